//! Planner statistics for the catalog tables. A bulk ingest changes the
//! tables' size by orders of magnitude; until PostgreSQL re-analyses them its
//! plans assume the old sizes (and autovacuum may be off or minutes away).
//! The server refreshes them at start and after every ingest that changed
//! something.
use std::time::Duration;

use sqlx::PgPool;

const TABLES: &str = "channels, packages, package_versions, sources, package_licenses, maintainers, \
                      package_maintainers, dependencies, variants, projects";

pub async fn refresh(pool: &PgPool) -> Result<(), sqlx::Error> {
    sqlx::query(&format!("ANALYZE {TABLES}")).execute(pool).await.map(|_| ())
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
