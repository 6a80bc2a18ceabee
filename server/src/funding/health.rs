//! The health of what a sponsorship funds: its present packages, how many a
//! CI builds and how many fail (`package_ci`), their sources and how many
//! Software Heritage has or lacks (`archival_checks`), and for a package or a
//! project its declared maintainers plus active claimants.
//!
//! Counting it costs ~0.1 ms a target (sources and claims over every
//! package), too much for `/funding`'s hundred sponsorships per request. So
//! the health of every sponsored target is kept in `funding_target_health`
//! (migration 0020) for one catalog generation: pages read it when it is of
//! the current generation and count the health of what they show
//! themselves when it is not (then they ask for a refresh, done once, in the
//! background). Every writer of what health is made of (ingest, CI results,
//! archival checks, claims, sponsorships) starts a new generation, so a
//! page never shows an older state than the catalog's.
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

use sqlx::PgPool;

/// The lateral subquery counting a target's packages, CI and sources, over
/// `s` (a row with `target_kind`, `package_id`, `project_id`,
/// `maintainer_id`); `gate` is a condition (ending in `AND`) that must hold
/// for anything to be counted, or empty.
pub fn counts_sql(gate: &str) -> String {
    format!(
        "SELECT count(*) AS packages, count(ci.package_id) AS built,
                count(*) FILTER (WHERE ci.status = 'failing') AS failing,
                coalesce(sum(ar.sources), 0)::bigint AS sources, coalesce(sum(ar.archived), 0)::bigint AS archived,
                coalesce(sum(ar.missing), 0)::bigint AS missing, array_agg(p.id) AS ids
         FROM packages p
         LEFT JOIN package_ci ci ON ci.package_id = p.id
         CROSS JOIN LATERAL (
             SELECT count(*) AS sources, count(*) FILTER (WHERE x.status = 'archived') AS archived,
                    count(*) FILTER (WHERE x.status = 'missing') AS missing
             FROM sources so LEFT JOIN archival_checks x ON x.key = so.archival_key WHERE so.package_id = p.id) ar
         WHERE {gate} s.target_kind <> 'infrastructure' AND NOT p.removed AND p.id IN (
             SELECT s.package_id WHERE s.package_id IS NOT NULL
             UNION ALL SELECT q.id FROM packages q WHERE s.project_id IS NOT NULL AND q.project_id = s.project_id
             UNION ALL SELECT pm.package_id FROM package_maintainers pm
                       WHERE s.maintainer_id IS NOT NULL AND pm.maintainer_id = s.maintainer_id)"
    )
}

/// The lateral subquery counting the maintainers of the packages `h.ids`
/// (from `counts_sql`): declared ones plus people with an active claim; none
/// for a maintainer or an infrastructure target.
pub fn maintainers_sql(gate: &str) -> String {
    format!(
        "SELECT (SELECT count(DISTINCT pm.maintainer_id) FROM package_maintainers pm WHERE pm.package_id = ANY (h.ids))
              + (SELECT count(DISTINCT c.user_id) FROM claims c
                 WHERE c.status IN ('verified', 'approved')
                   AND (c.package_id = ANY (h.ids)
                        OR c.project_id IN (SELECT q.project_id FROM packages q WHERE q.id = ANY (h.ids)))) AS maintainers
         WHERE {gate} s.target_kind <> 'infrastructure' AND s.target_kind <> 'maintainer'"
    )
}

/// A one-row relation `fresh (fresh boolean)`: whether the kept health is of
/// the current catalog generation.
pub const FRESH_SQL: &str = "SELECT EXISTS (SELECT 1 FROM funding_health_state st JOIN catalog_state c
                                            ON c.generation = st.generation) AS fresh";

/// What a refresh did.
#[derive(Debug, PartialEq, Eq)]
pub enum Refresh {
    /// Targets written for this generation.
    Done { generation: i64, targets: u64 },
    /// The kept health was already of the current generation.
    Fresh,
    /// Another transaction is refreshing it.
    Busy,
}

/// An arbitrary constant naming the refresh's advisory lock.
const LOCK: i64 = 0x7061_6361_6668; // "pacafh"

/// Replaces the kept health with the current one, in one transaction whose
/// snapshot is the generation it records (REPEATABLE READ), unless it is
/// fresh already or another transaction is at it.
pub async fn refresh(pool: &PgPool) -> sqlx::Result<Refresh> {
    let started = Instant::now();
    let mut tx = pool.begin().await?;
    sqlx::query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ").execute(&mut *tx).await?;
    let locked: bool =
        sqlx::query_scalar("SELECT pg_try_advisory_xact_lock($1)").bind(LOCK).fetch_one(&mut *tx).await?;
    if !locked {
        return Ok(Refresh::Busy);
    }
    let (generation, done): (i64, Option<i64>) =
        sqlx::query_as("SELECT c.generation, (SELECT generation FROM funding_health_state) FROM catalog_state c")
            .fetch_one(&mut *tx)
            .await?;
    if done == Some(generation) {
        return Ok(Refresh::Fresh);
    }
    sqlx::query("DELETE FROM funding_target_health").execute(&mut *tx).await?;
    let targets = sqlx::query(&format!(
        "INSERT INTO funding_target_health
             (target_kind, target_id, packages, built, failing, sources, archived, missing, maintainers)
         SELECT s.target_kind, coalesce(s.package_id, s.project_id, s.maintainer_id),
                h.packages, h.built, h.failing, h.sources, h.archived, h.missing, coalesce(mc.maintainers, 0)
         FROM (SELECT DISTINCT target_kind, package_id, project_id, maintainer_id
               FROM sponsorships WHERE target_kind <> 'infrastructure') s
         CROSS JOIN LATERAL ({}) h
         LEFT JOIN LATERAL ({}) mc ON true",
        counts_sql(""),
        maintainers_sql("")
    ))
    .execute(&mut *tx)
    .await?
    .rows_affected();
    sqlx::query(
        "INSERT INTO funding_health_state (id, generation, refreshed_at, duration_ms, targets)
         VALUES (true, $1, now(), $2, $3)
         ON CONFLICT (id) DO UPDATE SET generation = $1, refreshed_at = now(), duration_ms = $2, targets = $3",
    )
    .bind(generation)
    .bind(started.elapsed().as_millis() as i64)
    .bind(targets as i64)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(Refresh::Done { generation, targets })
}

static REFRESHING: AtomicBool = AtomicBool::new(false);

/// Refreshes the kept health in the background, once at a time in this
/// process (a page that found it stale calls this and does not wait). The
/// server has one database; tests with many wait for their own refresh.
pub fn refresh_soon(pool: &PgPool) {
    if REFRESHING.swap(true, Ordering::AcqRel) {
        return;
    }
    /// Lets the next page ask again when the task ends, even cancelled.
    struct Done;
    impl Drop for Done {
        fn drop(&mut self) {
            REFRESHING.store(false, Ordering::Release);
        }
    }
    let done = Done;
    let pool = pool.clone();
    tokio::spawn(async move {
        let _done = done;
        match refresh(&pool).await {
            Ok(Refresh::Done { generation, targets }) => {
                tracing::debug!(generation, targets, "funding health refreshed")
            }
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "funding health not refreshed"),
        }
    });
}
