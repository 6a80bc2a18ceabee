//! What the CI write path keeps by itself (migrations 0010, 0011, 0015)
//! equals what a full recomputation from the history gives, whatever order
//! results arrive in; build_results' references are still enforced once the
//! per-row foreign keys became per-statement checks.
use chrono::{DateTime, Duration, Utc};
use pacatlas::{
    builds::{self, BuildRow, Kind, Service, Status},
    catalog::Ecosystem,
};
use sqlx::PgPool;

use crate::support::{fixture, ingest, write_builds};

async fn setup(pool: &PgPool) -> Service {
    ingest(pool, Ecosystem::Guix, "guix", None, &[fixture("guix-packages.json")]).await.unwrap();
    builds::ensure_service(pool, "berlin", Kind::Cuirass, None, Ecosystem::Guix, "guix").await.unwrap()
}

/// Deterministic results over a few packages and systems: statuses cycle
/// with a stride so that keys pass, fail, flip and get cancelled; finish
/// times follow ids, some tied, and with `shuffled` every fifth comes from
/// 30 hours earlier.
fn results(first: u32, count: u32, names: &[String], shuffled: bool) -> Vec<BuildRow> {
    const SYSTEMS: [&str; 2] = ["x86_64-linux", "aarch64-linux"];
    const STATUSES: [Status; 7] = [
        Status::Succeeded,
        Status::Failed,
        Status::Succeeded,
        Status::DependencyFailed,
        Status::Cancelled,
        Status::Succeeded,
        Status::TimedOut,
    ];
    let t0: DateTime<Utc> = "2026-10-01T00:00:00Z".parse().unwrap();
    (first..first + count)
        .map(|i| {
            let name = &names[(i as usize * 7) % names.len()];
            let system = SYSTEMS[(i as usize / 3) % SYSTEMS.len()];
            let status = STATUSES[(i as usize * 5) % STATUSES.len()];
            let at = t0 + Duration::hours(i64::from(i / 2)) - Duration::hours(i64::from(shuffled && i % 5 == 0) * 30);
            crate::support::build_row(&i.to_string(), name, system, status, at)
        })
        .collect()
}

type StateRow = (
    i64,
    i64,
    String,
    i64,
    String,
    Option<DateTime<Utc>>,
    Option<String>,
    Option<DateTime<Utc>>,
    Option<DateTime<Utc>>,
);

async fn state(pool: &PgPool) -> Vec<StateRow> {
    sqlx::query_as(
        "SELECT service_id, package_id, system, last_id, last_status, last_finished_at, prev_status, last_success_at,
                failing_since
         FROM build_state ORDER BY 1, 2, 3",
    )
    .fetch_all(pool)
    .await
    .unwrap()
}

async fn ci(pool: &PgPool) -> Vec<(i64, String)> {
    sqlx::query_as("SELECT package_id, status FROM package_ci ORDER BY 1").fetch_all(pool).await.unwrap()
}

type PlatformRow = (i64, String, String, i64, i64, String);

async fn platforms(pool: &PgPool) -> Vec<PlatformRow> {
    sqlx::query_as(
        "SELECT package_id, system, target, service_id, build_id, status FROM platform_builds ORDER BY 1, 2, 3, 4",
    )
    .fetch_all(pool)
    .await
    .unwrap()
}

/// The same tables recomputed from build_results alone.
async fn recomputed(pool: &PgPool) -> (Vec<StateRow>, Vec<(i64, String)>, Vec<PlatformRow>) {
    let mut tx = pool.begin().await.unwrap();
    sqlx::query("DELETE FROM build_state").execute(&mut *tx).await.unwrap();
    sqlx::query("DELETE FROM package_ci").execute(&mut *tx).await.unwrap();
    sqlx::query(
        "SELECT build_state_refresh(COALESCE(array_agg(service_id), '{}'), COALESCE(array_agg(package_id), '{}'),
                                    COALESCE(array_agg(sys), '{}'))
         FROM (SELECT DISTINCT service_id, package_id, COALESCE(system, '') AS sys
               FROM build_results WHERE package_id IS NOT NULL) k",
    )
    .execute(&mut *tx)
    .await
    .unwrap();
    let platforms: Vec<PlatformRow> = sqlx::query_as(
        "SELECT DISTINCT ON (package_id, COALESCE(system, ''), COALESCE(target, ''), service_id)
                package_id, COALESCE(system, ''), COALESCE(target, ''), service_id, id, status
         FROM build_results WHERE package_id IS NOT NULL
         ORDER BY package_id, COALESCE(system, ''), COALESCE(target, ''), service_id, finished_at DESC NULLS LAST,
                  id DESC",
    )
    .fetch_all(&mut *tx)
    .await
    .unwrap();
    let state: Vec<StateRow> = sqlx::query_as(
        "SELECT service_id, package_id, system, last_id, last_status, last_finished_at, prev_status, last_success_at,
                failing_since
         FROM build_state ORDER BY 1, 2, 3",
    )
    .fetch_all(&mut *tx)
    .await
    .unwrap();
    let ci: Vec<(i64, String)> =
        sqlx::query_as("SELECT package_id, status FROM package_ci ORDER BY 1").fetch_all(&mut *tx).await.unwrap();
    tx.rollback().await.unwrap();
    (state, ci, platforms)
}

#[sqlx::test(migrations = "../migrations")]
async fn summaries_kept_by_the_writes_equal_a_full_recomputation(pool: PgPool) {
    let service = setup(&pool).await;
    let names: Vec<String> =
        sqlx::query_scalar("SELECT name FROM packages ORDER BY name LIMIT 12").fetch_all(&pool).await.unwrap();
    assert!(names.len() >= 3, "the fixture has packages to build: {names:?}");
    // In order, in pages (each key's state advances from the new rows alone);
    // then pages out of order, from the past (recomputed from the history);
    // then a page rewriting earlier results with other verdicts (updates).
    let check = |when: &'static str| {
        let pool = pool.clone();
        async move {
            let (want_state, want_ci, want_platforms) = recomputed(&pool).await;
            assert_eq!(state(&pool).await, want_state, "build_state {when}");
            assert_eq!(ci(&pool).await, want_ci, "package_ci {when}");
            assert_eq!(platforms(&pool).await, want_platforms, "platform_builds {when}");
            want_state
        }
    };
    for page in 0..6 {
        write_builds(&pool, &service, &results(1000 + page * 40, 40, &names, false)).await;
        check("after an in-order page").await;
    }
    write_builds(&pool, &service, &results(1240, 40, &names, true)).await;
    check("after a shuffled page").await;
    write_builds(&pool, &service, &results(100, 60, &names, true)).await;
    check("after a page from the past").await;
    let mut rewritten = results(1000, 30, &names, false);
    for r in &mut rewritten {
        r.status = if r.status == Status::Succeeded { Status::Failed } else { Status::Succeeded };
    }
    write_builds(&pool, &service, &rewritten).await;
    let state = check("after rewritten results").await;
    assert!(state.iter().any(|s| s.4 == "succeeded") && state.iter().any(|s| s.4 != "succeeded"));
    assert!(state.iter().any(|s| s.8.is_some()), "some key has a failure streak");
}

async fn insert_raw(pool: &PgPool, service_id: i64, package_id: Option<i64>) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO build_results (service_id, external_id, package_id, job, status, service_status)
         VALUES ($1, 'raw-1', $2, 'job', 'failed', '1')",
    )
    .bind(service_id)
    .bind(package_id)
    .execute(pool)
    .await
    .map(|_| ())
}

#[sqlx::test(migrations = "../migrations")]
async fn a_result_for_a_missing_package_or_service_is_refused_and_nothing_is_written(pool: PgPool) {
    let service = setup(&pool).await;
    let package: i64 = sqlx::query_scalar("SELECT min(id) FROM packages").fetch_one(&pool).await.unwrap();
    let count = || async { sqlx::query_scalar::<_, i64>("SELECT count(*) FROM build_results").fetch_one(&pool).await };
    for (service_id, package_id, what) in
        [(service.id, Some(-5), "package -5"), (service.id + 100, Some(package), "CI service")]
    {
        let err = insert_raw(&pool, service_id, package_id).await.unwrap_err();
        let db = err.as_database_error().expect("a database error");
        assert_eq!(db.code().as_deref(), Some("23503"), "{db}");
        assert!(db.message().contains(what), "{db}");
        assert_eq!(count().await.unwrap(), 0);
    }
    // Moving an existing result to a missing package is refused the same way.
    insert_raw(&pool, service.id, Some(package)).await.unwrap();
    let err = sqlx::query("UPDATE build_results SET package_id = -7").execute(&pool).await.unwrap_err();
    assert_eq!(err.as_database_error().unwrap().code().as_deref(), Some("23503"));
}

#[sqlx::test(migrations = "../migrations")]
async fn deleting_a_package_keeps_its_results_unresolved_and_deleting_a_service_drops_them(pool: PgPool) {
    let service = setup(&pool).await;
    let names: Vec<String> =
        sqlx::query_scalar("SELECT name FROM packages ORDER BY name LIMIT 3").fetch_all(&pool).await.unwrap();
    write_builds(&pool, &service, &results(1, 30, &names, true)).await;
    let victim: i64 = sqlx::query_scalar("SELECT package_id FROM build_results WHERE package_id IS NOT NULL LIMIT 1")
        .fetch_one(&pool)
        .await
        .unwrap();
    let its: i64 = sqlx::query_scalar("SELECT count(*) FROM build_results WHERE package_id = $1")
        .bind(victim)
        .fetch_one(&pool)
        .await
        .unwrap();
    sqlx::query("DELETE FROM packages WHERE id = $1").bind(victim).execute(&pool).await.unwrap();
    let (total, unresolved, dangling): (i64, i64, i64) = sqlx::query_as(
        "SELECT count(*), count(*) FILTER (WHERE package_id IS NULL),
                count(*) FILTER (WHERE package_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM packages p WHERE p.id = package_id))
         FROM build_results",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!((total, unresolved, dangling), (30, its, 0));
    let daily_unresolved: i64 =
        sqlx::query_scalar("SELECT sum(unresolved)::bigint FROM build_daily").fetch_one(&pool).await.unwrap();
    assert_eq!(daily_unresolved, its, "the daily counts follow the results that lost their package");

    sqlx::query("DELETE FROM ci_services WHERE id = $1").bind(service.id).execute(&pool).await.unwrap();
    let left: i64 = sqlx::query_scalar("SELECT count(*) FROM build_results").fetch_one(&pool).await.unwrap();
    assert_eq!(left, 0);
}
