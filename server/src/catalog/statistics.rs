//! Planner statistics and the visibility map of the catalog tables. A bulk
//! ingest changes the tables' size by orders of magnitude and leaves freshly
//! COPYed pages unmarked in the visibility map: until PostgreSQL re-analyses
//! and vacuums them its plans assume the old sizes and index-only scans read
//! the heap (autovacuum may be off, as on the project machine, or minutes
//! away). `pacatlas ingest` and `demo` do it after writing; the server does
//! it at start and after every ingest that changed something (another
//! process may have written it).
use std::time::Duration;

use sqlx::PgPool;

const VACUUM: &str = "VACUUM (ANALYZE) channels, packages, package_versions, sources, package_licenses, maintainers, \
                      package_maintainers, dependencies, variants, projects, search_changes, \
                      build_results, build_state, build_daily, package_ci";

/// `VACUUM (ANALYZE)` of the catalog tables, on a connection of its own
/// without the server's statement time limit (it takes seconds on a large
/// catalog). VACUUM cannot run in a transaction: plain statements.
pub async fn refresh(pool: &PgPool) -> Result<(), sqlx::Error> {
    use sqlx::Executor;
    let mut conn = pool.acquire().await?;
    let conn: &mut sqlx::PgConnection = &mut conn;
    conn.execute("SET statement_timeout = 0").await?;
    let done = conn.execute(VACUUM).await;
    conn.execute("RESET statement_timeout").await?;
    done.map(|_| ())
}

/// The id of the latest ingest run that changed the catalog (0 if none).
async fn latest_change(pool: &PgPool) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COALESCE(max(id), 0) FROM ingest_runs WHERE status = 'changed'").fetch_one(pool).await
}

/// Refreshes the statistics now, then whenever a new changing ingest run appears.
pub fn spawn_refresh(pool: PgPool, every: Duration) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut seen: Option<i64> = None;
        loop {
            match latest_change(&pool).await {
                Ok(latest) if seen != Some(latest) => match refresh(&pool).await {
                    Ok(()) => {
                        tracing::debug!(ingest_run = latest, "catalog statistics refreshed");
                        seen = Some(latest);
                    }
                    Err(e) => tracing::warn!(error = %e, "refreshing the catalog statistics failed; will retry"),
                },
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "reading the ingest runs failed; will retry"),
            }
            tokio::time::sleep(every).await;
        }
    })
}
