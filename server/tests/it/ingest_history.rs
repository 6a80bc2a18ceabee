//! What the channel page and API say of past ingests: failed ones too, and
//! inputs by file name, never by their place on the server; counts kept by
//! the ingest; the catalog left vacuumed and analysed.
use pacatlas::catalog::Ecosystem;
use serde_json::Value;
use sqlx::PgPool;

use crate::support::{app, fixture, get, ingest, snapshot, temp_file};

#[sqlx::test(migrations = "../migrations")]
async fn a_failed_ingest_is_recorded_and_shown_and_the_catalog_is_as_before(pool: PgPool) {
    ingest(&pool, Ecosystem::Spack, "builtin", Some("good"), &[fixture("spack-rich.json")]).await.unwrap();
    let before = snapshot(&pool).await;
    let dir = tempfile::tempdir().unwrap();
    let good = std::fs::read_to_string(fixture("spack-rich.json")).unwrap();
    let bad = good.replacen("\"version\": \"3.31.6\"", "\"version\": 3.31", 1);
    let path = temp_file(&dir, "broken-packages.json", bad.as_bytes());
    let err =
        ingest(&pool, Ecosystem::Spack, "builtin", Some("bad-rev"), std::slice::from_ref(&path)).await.unwrap_err();
    assert!(err.to_string().contains(&path), "the command names the file as given: {err}");
    assert_eq!(snapshot(&pool).await, before, "the catalog is as before");

    let app = app(pool.clone());
    let api: Value = serde_json::from_str(&get(&app, "/api/v1/channels/spack/builtin").await.body).unwrap();
    let failures = api["failures"].as_array().unwrap();
    assert_eq!(failures.len(), 1);
    let f = &failures[0];
    assert_eq!(f["revision"], "bad-rev");
    assert_eq!(f["file"], "broken-packages.json");
    assert_eq!(f["record"], "record 2 (cmake)");
    assert_eq!(f["place"], "$.packages[2].versions[0].version");
    assert_eq!(f["inputs"][0]["name"], "broken-packages.json");
    assert_eq!(f["inputs"][0]["bytes"], bad.len());
    let error = f["error"].as_str().unwrap();
    assert!(error.contains("invalid type") && error.starts_with("broken-packages.json"), "{error}");

    let page = get(&app, "/channels/spack/builtin").await.body;
    assert!(page.contains("Failed ingests"));
    assert!(page.contains("broken-packages.json › record 2 (cmake) › $.packages[2].versions[0].version"), "{page}");
    let tmp = dir.path().to_string_lossy().into_owned();
    assert!(!page.contains(&tmp) && !api.to_string().contains(&tmp), "no server path is shown");
    let fixtures_dir = std::path::Path::new(&fixture("x")).parent().unwrap().to_string_lossy().into_owned();
    assert!(!page.contains(&fixtures_dir), "the successful run's input is named by file name too");
    assert!(page.contains("spack-rich.json"));
}

#[sqlx::test(migrations = "../migrations")]
async fn a_first_ingest_that_fails_leaves_no_channel(pool: PgPool) {
    let dir = tempfile::tempdir().unwrap();
    let path = temp_file(&dir, "x.json", b"not json");
    ingest(&pool, Ecosystem::Nix, "nixos", None, &[path]).await.unwrap_err();
    let channels: i64 = sqlx::query_scalar("SELECT count(*) FROM channels").fetch_one(&pool).await.unwrap();
    assert_eq!(channels, 0);
    let recorded: (String, String, String) =
        sqlx::query_as("SELECT ecosystem, channel, file FROM ingest_failures").fetch_one(&pool).await.unwrap();
    assert_eq!(recorded, ("nix".into(), "nixos".into(), "x.json".into()));
}

#[sqlx::test(migrations = "../migrations")]
async fn channel_counts_are_kept_by_the_ingest(pool: PgPool) {
    ingest(&pool, Ecosystem::Spack, "builtin", Some("r1"), &[fixture("spack-rich.json")]).await.unwrap();
    let counts = |pool: PgPool| async move {
        let v: Value = serde_json::from_str(&get(&app(pool), "/api/v1/channels").await.body).unwrap();
        (v["channels"][0]["packages"].as_i64().unwrap(), v["channels"][0]["removed"].as_i64().unwrap())
    };
    let (n, removed) = counts(pool.clone()).await;
    assert!(n >= 3, "{n}");
    assert_eq!(removed, 0);
    // The next revision drops one package.
    let mut doc: Value = serde_json::from_str(&std::fs::read_to_string(fixture("spack-rich.json")).unwrap()).unwrap();
    doc["packages"].as_array_mut().unwrap().pop();
    let dir = tempfile::tempdir().unwrap();
    let path = temp_file(&dir, "fewer.json", doc.to_string().as_bytes());
    ingest(&pool, Ecosystem::Spack, "builtin", Some("r2"), &[path]).await.unwrap();
    assert_eq!(counts(pool.clone()).await, (n - 1, 1));
    let page = get(&app(pool), "/packages").await.body;
    assert!(page.contains(&format!("<td class=\"num\">{}</td><td class=\"num\">1</td>", n - 1)), "{page}");
}

#[sqlx::test(migrations = "../migrations")]
async fn refreshing_statistics_also_vacuums(pool: PgPool) {
    ingest(&pool, Ecosystem::Spack, "builtin", None, &[fixture("spack-rich.json")]).await.unwrap();
    pacatlas::catalog::statistics::refresh(&pool).await.unwrap();
    let vacuumed: Vec<String> = sqlx::query_scalar(
        "SELECT relname::text FROM pg_stat_user_tables
         WHERE last_vacuum IS NOT NULL AND last_analyze IS NOT NULL AND relname IN ('packages', 'sources') ORDER BY 1",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(vacuumed, ["packages", "sources"]);
    let all_visible: i32 = sqlx::query_scalar("SELECT relallvisible FROM pg_class WHERE relname = 'packages'")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert!(all_visible > 0, "the visibility map is set: index-only scans need no heap read");
}
