//! The CI summaries the database keeps as results are written (migration
//! 0010): latest verdicts and failing lists, counts per day, the weekly
//! success rate, a package's CI status for search, and `/ci/{service}`.
use chrono::{DateTime, Utc};
use pacatlas::{
    builds::{self, BuildRow, Kind, Service, Status},
    catalog::Ecosystem,
};
use serde_json::Value;
use sqlx::PgPool;

use crate::support::{app, fixture, get, ingest};

async fn setup(pool: &PgPool) -> Service {
    ingest(pool, Ecosystem::Guix, "guix", None, &[fixture("guix-packages.json")]).await.unwrap();
    builds::ensure_service(pool, "berlin", Kind::Cuirass, None, Ecosystem::Guix, "guix").await.unwrap()
}

fn at(day: &str) -> Option<DateTime<Utc>> {
    Some(DateTime::parse_from_rfc3339(&format!("{day}T12:00:00Z")).unwrap().with_timezone(&Utc))
}

fn row(id: &str, package: &str, system: &str, status: Status, day: &str) -> BuildRow {
    crate::support::build_row(id, package, system, status, at(day).unwrap())
}

async fn write(pool: &PgPool, service: &Service, rows: &[BuildRow]) {
    crate::support::write_builds(pool, service, rows).await
}

/// (package, system, status, failing since) of every state row.
async fn states(pool: &PgPool) -> Vec<(String, String, String, Option<DateTime<Utc>>)> {
    sqlx::query_as(
        "SELECT p.name, s.system, s.last_status, s.failing_since FROM build_state s
         JOIN packages p ON p.id = s.package_id ORDER BY 1, 2",
    )
    .fetch_all(pool)
    .await
    .unwrap()
}

async fn ci_status(pool: &PgPool, package: &str) -> Option<String> {
    sqlx::query_scalar(
        "SELECT c.status FROM package_ci c JOIN packages p ON p.id = c.package_id WHERE p.name = $1 LIMIT 1",
    )
    .bind(package)
    .fetch_optional(pool)
    .await
    .unwrap()
}

/// Where the search indexes' outbox stands.
async fn search_changes(pool: &PgPool) -> i64 {
    sqlx::query_scalar("SELECT COALESCE(max(id), 0) FROM search_changes").fetch_one(pool).await.unwrap()
}

/// The packages sent to the search indexes since `mark`, by name.
async fn changed_since(pool: &PgPool, mark: i64) -> Vec<String> {
    sqlx::query_scalar(
        "SELECT DISTINCT p.name FROM search_changes s JOIN packages p ON p.id = s.package_id WHERE s.id > $1 ORDER BY 1",
    )
    .bind(mark)
    .fetch_all(pool)
    .await
    .unwrap()
}

#[sqlx::test(migrations = "../migrations")]
async fn the_latest_verdict_and_since_when_it_fails_follow_each_write(pool: PgPool) {
    use Status::*;
    let service = setup(&pool).await;
    let before = search_changes(&pool).await;
    // Written out of order and in two batches: the state follows finish times, not arrival.
    write(
        &pool,
        &service,
        &[
            row("3", "hdf5", "x86_64-linux", Failed, "2026-11-03"),
            row("1", "hdf5", "x86_64-linux", Succeeded, "2026-11-01"),
            row("9", "python-numpy", "aarch64-linux", Succeeded, "2026-11-02"),
        ],
    )
    .await;
    write(
        &pool,
        &service,
        &[
            row("4", "hdf5", "x86_64-linux", TimedOut, "2026-11-04"),
            row("2", "hdf5", "x86_64-linux", Succeeded, "2026-11-02"),
            // A cancelled build says nothing: the verdict stays.
            row("5", "hdf5", "x86_64-linux", Cancelled, "2026-11-05"),
        ],
    )
    .await;
    assert_eq!(
        states(&pool).await,
        [
            ("hdf5".into(), "x86_64-linux".into(), "timed-out".into(), at("2026-11-03")),
            ("python-numpy".into(), "aarch64-linux".into(), "succeeded".into(), None),
        ]
    );
    assert_eq!(ci_status(&pool, "hdf5").await.as_deref(), Some("failing"));
    assert_eq!(ci_status(&pool, "python-numpy").await.as_deref(), Some("passing"));
    assert_eq!(ci_status(&pool, "gcc").await, None, "no build: unknown");
    // hdf5 and python-numpy changed CI status: the search indexes hear of it.
    assert_eq!(changed_since(&pool, before).await, ["hdf5", "python-numpy"]);

    // The longest-failing list reads the state.
    let app = app(pool.clone());
    let body: Value = serde_json::from_str(&get(&app, "/api/v1/ci").await.body).unwrap();
    let longest = body["longest_failing"].as_array().unwrap();
    assert_eq!(longest.len(), 1, "{longest:?}");
    assert_eq!((longest[0]["name"].as_str(), longest[0]["status"].as_str()), (Some("hdf5"), Some("timed-out")));
    assert_eq!(longest[0]["failing_since"], "2026-11-03T12:00:00Z");

    // Fixed: the package leaves the failing lists and passes; a status
    // unchanged writes no search change.
    let changes = search_changes(&pool).await;
    write(&pool, &service, &[row("6", "hdf5", "x86_64-linux", Succeeded, "2026-11-06")]).await;
    assert_eq!(states(&pool).await[0].2, "succeeded");
    assert_eq!(states(&pool).await[0].3, None);
    assert_eq!(ci_status(&pool, "hdf5").await.as_deref(), Some("passing"));
    assert_eq!(changed_since(&pool, changes).await, ["hdf5"]);
    let changes = search_changes(&pool).await;
    write(&pool, &service, &[row("7", "python-numpy", "aarch64-linux", Succeeded, "2026-11-07")]).await;
    assert_eq!(changed_since(&pool, changes).await, Vec::<String>::new(), "still passing: nothing to re-index");
    let body: Value = serde_json::from_str(&get(&app, "/api/v1/ci").await.body).unwrap();
    assert_eq!(body["longest_failing"].as_array().unwrap().len(), 0);
}

#[sqlx::test(migrations = "../migrations")]
async fn a_changed_result_moves_its_counts_and_its_verdict(pool: PgPool) {
    use Status::*;
    let service = setup(&pool).await;
    write(
        &pool,
        &service,
        &[
            row("1", "hdf5", "x86_64-linux", Succeeded, "2026-11-01"),
            row("2", "hdf5", "x86_64-linux", Failed, "2026-11-02"),
            row("3", "no-such-package", "x86_64-linux", Failed, "2026-11-02"),
        ],
    )
    .await;
    // The service says build 2 succeeded after all (a restarted build).
    write(&pool, &service, &[row("2", "hdf5", "x86_64-linux", Succeeded, "2026-11-02")]).await;
    let daily: Vec<(String, i64, i64)> = sqlx::query_as(
        "SELECT status, sum(builds)::bigint, sum(unresolved)::bigint FROM build_daily GROUP BY status ORDER BY status",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(daily, [("failed".into(), 1, 1), ("succeeded".into(), 2, 0)]);
    assert_eq!(states(&pool).await[0].2, "succeeded");
    assert_eq!(ci_status(&pool, "hdf5").await.as_deref(), Some("passing"));
    // The counts the page shows come from there.
    let body: Value = serde_json::from_str(&get(&app(pool.clone()), "/api/v1/ci").await.body).unwrap();
    let s = &body["services"][0];
    assert_eq!((s["total"].as_i64(), s["unresolved"].as_i64()), (Some(3), Some(1)));
    assert_eq!(s["last_finished_at"], "2026-11-02T12:00:00Z");
}

#[sqlx::test(migrations = "../migrations")]
async fn the_success_rate_is_counted_per_week_over_decisive_builds(pool: PgPool) {
    use Status::*;
    let service = setup(&pool).await;
    // Week of Mon 2026-11-02: 1 of 2 (the cancelled and the other one do not count);
    // week of 2026-11-09: none; week of 2026-11-16: 3 of 3 (Sun 22nd is still that week).
    write(
        &pool,
        &service,
        &[
            row("1", "hdf5", "x86_64-linux", Succeeded, "2026-11-02"),
            row("2", "hdf5", "x86_64-linux", Failed, "2026-11-08"),
            row("3", "hdf5", "x86_64-linux", Cancelled, "2026-11-05"),
            row("4", "gcc", "x86_64-linux", Other, "2026-11-05"),
            row("5", "hdf5", "x86_64-linux", Succeeded, "2026-11-16"),
            row("6", "gcc", "x86_64-linux", Succeeded, "2026-11-20"),
            row("7", "python-numpy", "x86_64-linux", Succeeded, "2026-11-22"),
        ],
    )
    .await;
    let app = app(pool.clone());
    let reply = get(&app, "/api/v1/ci/berlin").await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    let body: Value = serde_json::from_str(&reply.body).unwrap();
    assert_eq!(body["service"], "berlin");
    let weeks = body["trends"][0]["weeks"].as_array().unwrap();
    assert_eq!(weeks.len(), app::api::builds::TREND_WEEKS);
    let last: Vec<(&str, i64, i64)> = weeks[weeks.len() - 3..]
        .iter()
        .map(|w| (w["week"].as_str().unwrap(), w["succeeded"].as_i64().unwrap(), w["decisive"].as_i64().unwrap()))
        .collect();
    assert_eq!(last, [("2026-11-02", 1, 2), ("2026-11-09", 0, 0), ("2026-11-16", 3, 3)]);
    assert_eq!(weeks[0]["week"], "2026-08-31", "twelve weeks up to the latest");
    assert_eq!(get(&app, "/api/v1/ci/no-such-service").await.status, 404);
}

#[sqlx::test(migrations = "../migrations")]
async fn a_service_page_draws_its_success_rate_with_a_text_alternative(pool: PgPool) {
    use Status::*;
    let service = setup(&pool).await;
    builds::ensure_service(&pool, "other", Kind::Push, None, Ecosystem::Guix, "guix").await.unwrap();
    write(
        &pool,
        &service,
        &[
            row("1", "hdf5", "x86_64-linux", Succeeded, "2026-11-16"),
            row("2", "gcc", "x86_64-linux", Failed, "2026-11-17"),
            row("3", "gcc", "aarch64-linux", Succeeded, "2026-11-18"),
            row("4", "python-numpy", "x86_64-linux", Succeeded, "2026-11-18"),
        ],
    )
    .await;
    let app = app(pool.clone());
    let page = get(&app, "/ci/berlin").await;
    assert_eq!(page.status, 200);
    let html = page.body;
    assert!(html.contains("<h1>CI service berlin</h1>"), "{html}");
    assert!(html.contains(r#"role="img""#) && html.contains("<polyline"), "the chart is drawn on the server");
    assert!(html.contains("berlin: 75% in the week of 16 Nov 2026 (3 of 4 builds succeeded)."), "{html}");
    assert!(html.contains("<td class=\"num\">75% (3 of 4)</td>"), "the figures as a table");
    assert!(html.contains(r#"href="/ci""#), "a way back to every service");
    assert!(!html.contains(">other<"), "only that service");
    let french = crate::support::get_with(&app, "/ci/berlin", &[("accept-language", "fr")]).await;
    assert!(french.body.contains("75\u{202F}% la semaine du 16 nov. 2026"), "{}", french.body);
    let missing = get(&app, "/ci/no-such-service").await;
    assert_eq!(missing.status, 404);
    assert!(missing.body.contains("No such CI service"));
    // Every service on /ci, each linking to its page.
    let all = get(&app, "/ci").await.body;
    assert!(all.contains(r#"href="/ci/berlin""#) && all.contains(r#"href="/ci/other""#));
}
