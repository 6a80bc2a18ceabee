//! The health of sponsored targets kept per catalog generation (#14,
//! migration 0020): pages count it themselves while the kept one is stale and
//! never show an older state than the catalog's; a refresh keeps the same
//! figures the page counts; the CSV export does not count it.
use pacatlas::funding::health::{self, Refresh};
use serde_json::Value;
use sqlx::PgPool;

use super::accounts_claims::catalog;
use super::support::{app, get};

async fn sponsor(pool: &PgPool) {
    sqlx::raw_sql(
        "INSERT INTO funders (slug, name, kind) VALUES ('hf', 'Health Foundation', 'foundation');
         INSERT INTO sponsorships (funder_id, target_kind, package_id, amount, currency, starts_on)
         SELECT f.id, 'package', p.id, 100, 'EUR', DATE '2025-01-01'
         FROM funders f, packages p WHERE f.slug = 'hf' AND p.name = 'hdf5';
         INSERT INTO sponsorships (funder_id, target_kind, maintainer_id, amount, currency, starts_on)
         SELECT f.id, 'maintainer', m.id, 50, 'EUR', DATE '2025-01-01'
         FROM funders f, (SELECT id FROM maintainers ORDER BY id LIMIT 1) m WHERE f.slug = 'hf'",
    )
    .execute(pool)
    .await
    .unwrap();
}

/// Each sponsorship's target and health, as the JSON of /funding says.
async fn healths(app: &axum::Router) -> Vec<(String, Value)> {
    let reply = get(app, "/api/v1/funders/hf").await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    let json: Value = serde_json::from_str(&reply.body).unwrap();
    let mut out: Vec<(String, Value)> = json["sponsorships"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["target"].as_str().unwrap().to_string(), s["health"].clone()))
        .collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

/// Refreshes until it is done or fresh (a page may have started one in the background).
async fn refreshed(pool: &PgPool) -> Refresh {
    for _ in 0..100 {
        match health::refresh(pool).await.unwrap() {
            Refresh::Busy => tokio::time::sleep(std::time::Duration::from_millis(50)).await,
            done => return done,
        }
    }
    panic!("the refresh stayed busy for 5 s");
}

async fn kept_generation(pool: &PgPool) -> Option<i64> {
    sqlx::query_scalar("SELECT generation FROM funding_health_state").fetch_optional(pool).await.unwrap()
}

#[sqlx::test(migrations = "../migrations")]
async fn funding_health_is_kept_per_generation_and_never_shown_stale(pool: PgPool) {
    catalog(&pool).await;
    sponsor(&pool).await;
    let app = app(pool.clone());

    // Nothing kept yet: the page counts the health itself.
    let live = healths(&app).await;
    assert_eq!(live.len(), 2);
    let hdf5 = &live.iter().find(|(t, _)| t.starts_with("package:")).unwrap().1;
    assert_eq!(hdf5["packages"], 1);
    assert!(hdf5["sources"].as_i64().unwrap() >= 1, "hdf5 has sources: {hdf5}");
    assert!(hdf5["maintainers"].as_i64().unwrap() >= 2, "hdf5 declares maintainers: {hdf5}");
    let maintainer = &live.iter().find(|(t, _)| t.starts_with("maintainer:")).unwrap().1;
    assert!(maintainer["packages"].as_i64().unwrap() >= 1, "{maintainer}");

    // A refresh keeps exactly what the page counted, once per generation.
    let current: i64 = sqlx::query_scalar("SELECT generation FROM catalog_state").fetch_one(&pool).await.unwrap();
    // (The page may have asked for a refresh in the background already.)
    if let Refresh::Done { generation, targets } = refreshed(&pool).await {
        assert_eq!((generation, targets), (current, 2));
    }
    assert_eq!(kept_generation(&pool).await, Some(current));
    assert_eq!(refreshed(&pool).await, Refresh::Fresh);
    let kept: i64 = sqlx::query_scalar("SELECT count(*) FROM funding_target_health").fetch_one(&pool).await.unwrap();
    assert_eq!(kept, 2);
    assert_eq!(healths(&app).await, live, "the kept health is the counted one");

    // The page reads the kept rows while they are of the current generation…
    sqlx::query("UPDATE funding_target_health SET packages = 77 WHERE target_kind = 'package'")
        .execute(&pool)
        .await
        .unwrap();
    let read = healths(&app).await;
    assert_eq!(read.iter().find(|(t, _)| t.starts_with("package:")).unwrap().1["packages"], 77);

    // …and counts again as soon as the catalog moves: hdf5's sources archived.
    sqlx::query(
        "INSERT INTO archival_checks (key, status, method, checked_at)
         SELECT DISTINCT so.archival_key, 'archived', 'none', now()
         FROM sources so JOIN packages p ON p.id = so.package_id WHERE p.name = 'hdf5'
         ON CONFLICT (key) DO UPDATE SET status = 'archived'",
    )
    .execute(&pool)
    .await
    .unwrap();
    pacatlas::catalog::generation::bump(&pool).await.unwrap();
    let after = healths(&app).await;
    let hdf5_after = &after.iter().find(|(t, _)| t.starts_with("package:")).unwrap().1;
    assert_eq!(hdf5_after["packages"], 1, "not the stale kept row");
    assert_eq!(hdf5_after["archived"], hdf5_after["sources"], "{hdf5_after}");
    assert_eq!(hdf5_after["archival"], "archived");

    // A refresh then keeps the new state.
    refreshed(&pool).await;
    assert_eq!(refreshed(&pool).await, Refresh::Fresh);
    assert_eq!(healths(&app).await, after);
}

#[sqlx::test(migrations = "../migrations")]
async fn funding_csv_lists_sponsorships_without_counting_health(pool: PgPool) {
    catalog(&pool).await;
    sponsor(&pool).await;
    let app = app(pool.clone());
    let csv = get(&app, "/funding.csv").await;
    assert_eq!(csv.status, 200);
    assert_eq!(csv.body.lines().count(), 3, "a header and two sponsorships: {}", csv.body);
    assert!(csv.body.contains("package:spack/builtin/hdf5"), "{}", csv.body);
    // It did not find the kept health stale, so it asked for no refresh.
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    assert_eq!(kept_generation(&pool).await, None);
}
