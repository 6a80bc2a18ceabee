//! Archival coverage as JSON, HTML, CSV and badges, after a check against
//! the fake Software Heritage; the demo data set's results.
use pacatlas::{
    archival::{check, client::Client},
    ingest::progress::Silent,
};
use serde_json::Value;
use sqlx::PgPool;

use crate::{
    archival_check::{fake_swh, hex, ingest_fixture, knows_the_fixture, quick},
    support::{app, get},
};

async fn checked(pool: &PgPool) {
    ingest_fixture(pool).await;
    let (url, fake) = fake_swh().await;
    knows_the_fixture(&fake);
    let client = Client::new(quick(&url)).unwrap();
    check::run(pool, &client, &check::Options::default(), &Silent).await.unwrap();
}

/// The page at `path` asked for in French.
async fn french(app: &axum::Router, path: &str) -> crate::support::Reply {
    use tower::ServiceExt;
    let request =
        axum::http::Request::get(path).header("accept-language", "fr").body(axum::body::Body::empty()).unwrap();
    let response = app.clone().oneshot(request).await.unwrap();
    let status = response.status().as_u16();
    let bytes = http_body_util::BodyExt::collect(response.into_body()).await.unwrap().to_bytes();
    crate::support::Reply { status, content_type: String::new(), body: String::from_utf8_lossy(&bytes).into_owned() }
}

fn json(body: &str) -> Value {
    serde_json::from_str(body).unwrap_or_else(|e| panic!("{e}: {body}"))
}

#[sqlx::test(migrations = "../migrations")]
async fn the_overview_counts_coverage_types_and_forges(pool: PgPool) {
    checked(&pool).await;
    let app = app(pool);
    let reply = get(&app, "/api/v1/archival").await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    let o = json(&reply.body);
    let c = &o["channels"][0];
    assert_eq!(
        (c["ecosystem"].as_str(), c["channel"].as_str(), c["revision"].as_str()),
        (Some("guix"), Some("test"), Some("rev1"))
    );
    assert_eq!(c["coverage"]["sources"], 7);
    assert_eq!(c["coverage"]["archived"], 5);
    assert_eq!(c["coverage"]["missing"], 1);
    assert_eq!(c["coverage"]["unknown"], 1);
    // Hosts: github.com 3 (alpha, gamma, zeta), then one each: eta.example.org, gitlab.inria.fr, gnu, svn.example.org.
    assert_eq!(c["host_count"], 5);
    assert_eq!(c["hosts"][0]["host"], "github.com");
    assert_eq!(c["hosts"][0]["class"], "commercial");
    assert!((c["hhi"].as_f64().unwrap() - (42.857142857f64.powi(2) + 4.0 * 14.285714286f64.powi(2))).abs() < 0.01);
    assert!((c["commercial_share"].as_f64().unwrap() - 3.0 / 7.0).abs() < 1e-9);
    // gitlab.inria.fr and gnu are institutional.
    assert!((c["institutional_share"].as_f64().unwrap() - 2.0 / 7.0).abs() < 1e-9);
    let git = o["by_type"].as_array().unwrap().iter().find(|t| t["origin_type"] == "git").unwrap();
    assert_eq!((git["coverage"]["sources"].as_i64(), git["coverage"]["archived"].as_i64()), (Some(2), Some(2)));
    // Single points of failure: eta.example.org (eta missing) and gnu (delta unknown).
    let spof: Vec<&str> =
        o["single_points_of_failure"].as_array().unwrap().iter().map(|h| h["host"].as_str().unwrap()).collect();
    assert_eq!(spof, ["eta.example.org", "gnu"]);
    // Most depended upon first: eta (3 dependents), then delta.
    let names: Vec<&str> =
        o["most_depended_unarchived"].as_array().unwrap().iter().map(|p| p["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["eta", "delta"]);
    assert_eq!(o["trend"].as_array().unwrap().len(), 1);
    assert_eq!(o["by_ecosystem"][0]["ecosystem"], "guix");
    assert_eq!(
        (o["by_ecosystem"][0]["channels"].as_i64(), o["by_ecosystem"][0]["coverage"]["archived"].as_i64()),
        (Some(1), Some(5))
    );
    assert_eq!(o["demo"], false);
}

#[sqlx::test(migrations = "../migrations")]
async fn missing_sources_are_paged_filtered_and_exported(pool: PgPool) {
    checked(&pool).await;
    let app = app(pool);
    let m = json(&get(&app, "/api/v1/archival/missing").await.body);
    assert_eq!(m["total"], 2);
    assert_eq!(m["rows"][0]["package"], "eta");
    assert_eq!(m["rows"][0]["key"], format!("sha256:{}", hex("44", 32)));
    assert_eq!(m["rows"][0]["dependents"], 3);
    let m = json(&get(&app, "/api/v1/archival/missing?status=unknown&channel=guix/test").await.body);
    assert_eq!((m["total"].as_i64(), m["rows"][0]["package"].as_str()), (Some(1), Some("delta")));
    assert_eq!(m["rows"][0]["reason"], "no-hash");
    let m = json(&get(&app, "/api/v1/archival/missing?host=github.com").await.body);
    assert_eq!(m["total"], 0);
    for bad in ["status=archived", "status=nope", "origin_type=cvs", "page=0", "page=10001"] {
        let reply = get(&app, &format!("/api/v1/archival/missing?{bad}")).await;
        assert_eq!(reply.status, 400, "{bad}: {}", reply.body);
        assert!(json(&reply.body)["error"].is_string());
    }
    let csv = get(&app, "/archival/missing.csv?status=missing").await;
    assert_eq!(csv.status, 200);
    assert!(csv.content_type.starts_with("text/csv"), "{}", csv.content_type);
    let lines: Vec<&str> = csv.body.lines().collect();
    assert_eq!(lines.len(), 2, "{}", csv.body);
    assert!(lines[0].starts_with("ecosystem,channel,package,version,origin_type,url"));
    assert!(lines[1].starts_with("guix,test,eta,0.9,url,https://eta.example.org/eta-0.9.tar.gz"), "{}", lines[1]);
}

#[sqlx::test(migrations = "../migrations")]
async fn package_pages_show_each_source_with_its_swhid_and_badges_say_it(pool: PgPool) {
    checked(&pool).await;
    let app = app(pool);
    let p = json(&get(&app, "/api/v1/packages/guix/test/alpha/archival").await.body);
    assert_eq!(p["verdict"], "archived");
    assert_eq!(p["sources"][0]["swhid"], format!("swh:1:dir:{}", hex("a", 40)));
    assert_eq!(get(&app, "/api/v1/packages/guix/test/nope/archival").await.status, 404);
    // The package's JSON and page carry each source's status.
    let detail = json(&get(&app, "/api/v1/packages/guix/test/beta").await.body);
    let source = &detail["versions"][0]["sources"][0];
    assert_eq!(source["archival"]["status"], "archived");
    assert_eq!(source["archival"]["method"], "revision");
    let html = get(&app, "/packages/guix/test/beta").await.body;
    let swhid = format!("swh:1:rev:{}", crate::archival_check::COMMIT);
    assert!(html.contains(&format!(r#"href="https://archive.softwareheritage.org/{swhid}""#)), "{html}");
    let eta = get(&app, "/packages/guix/test/eta").await.body;
    assert!(eta.contains("archival-missing"), "{eta}");
    for (name, says) in
        [("alpha", "archival: archived"), ("eta", "archival: not archived"), ("delta", "archival: unknown")]
    {
        let badge = get(&app, &format!("/badge/archival/guix/test/{name}.svg")).await;
        assert_eq!(badge.status, 200);
        assert!(badge.content_type.starts_with("image/svg+xml"));
        assert!(badge.body.contains(&format!(r#"aria-label="{says}""#)), "{name}: {}", badge.body);
    }
    assert_eq!(get(&app, "/badge/archival/guix/test/nope.svg").await.status, 404);
}

#[sqlx::test(migrations = "../migrations")]
async fn the_archival_page_renders_in_both_languages(pool: PgPool) {
    checked(&pool).await;
    let app = app(pool);
    let page = get(&app, "/archival").await;
    assert_eq!(page.status, 200);
    for text in [
        "Coverage per channel",
        "Coverage over time",
        "<svg",
        "Forge concentration",
        "Single points of failure",
        "eta.example.org",
        "Sources without a known copy",
        "/archival/missing.csv",
        "71.4%",
    ] {
        assert!(page.body.contains(text), "{text} not in the page");
    }
    let filtered = get(&app, "/archival?status=unknown").await.body;
    assert!(filtered.contains(r#"href="/archival/missing.csv?status=unknown""#));
    assert!(filtered.contains("/packages/guix/test/delta"));
    let fr = french(&app, "/archival").await;
    for text in ["Couverture par canal", "Concentration des forges", "71,4"] {
        assert!(fr.body.contains(text), "{text} not in the French page");
    }
    let openapi = json(&get(&app, "/api/v1/openapi.json").await.body);
    for path in
        ["/api/v1/archival", "/api/v1/archival/missing", "/api/v1/packages/{ecosystem}/{channel}/{name}/archival"]
    {
        assert!(openapi["paths"][path].is_object(), "{path} not described");
    }
}

#[sqlx::test(migrations = "../migrations")]
async fn demo_results_are_labelled_and_load_once(pool: PgPool) {
    ingest_fixture(&pool).await;
    let written = pacatlas::archival::demo::load(&pool).await.unwrap();
    assert_eq!(written, 7);
    assert_eq!(pacatlas::archival::demo::load(&pool).await.unwrap(), 0);
    let app = app(pool.clone());
    let o = json(&get(&app, "/api/v1/archival").await.body);
    assert_eq!(o["demo"], true);
    // The current snapshot and five made-up earlier ones.
    assert_eq!(o["trend"].as_array().unwrap().len(), 6);
    let page = get(&app, "/archival").await.body;
    assert!(page.contains("Demo data"));
    // A real check replaces the demo results.
    let (url, fake) = fake_swh().await;
    knows_the_fixture(&fake);
    let client = Client::new(quick(&url)).unwrap();
    assert_eq!(check::run(&pool, &client, &check::Options::default(), &Silent).await.unwrap().checked, 7);
    let demo: i64 =
        sqlx::query_scalar("SELECT count(*) FROM archival_checks WHERE demo").fetch_one(&pool).await.unwrap();
    assert_eq!(demo, 0);
}

#[sqlx::test(migrations = "../migrations")]
async fn the_archival_search_facet_follows_checks(pool: PgPool) {
    use pacatlas::search::{embedded::EmbeddedIndex, service::SearchService, SearchIndex};
    use std::sync::Arc;
    ingest_fixture(&pool).await;
    let index: Arc<dyn SearchIndex> = Arc::new(EmbeddedIndex::in_memory().unwrap());
    let sync = SearchService::new(index.clone(), pool.clone());
    sync.sync().await.unwrap();
    let app = crate::support::app_with(pool.clone(), index);
    let facet = |r: &Value| {
        let mut v: Vec<(String, u64)> = r["facets"]["archival"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| (f["value"].as_str().unwrap().to_string(), f["count"].as_u64().unwrap()))
            .collect();
        v.sort();
        v
    };
    let all = json(&get(&app, "/api/v1/search?q=").await.body);
    assert_eq!(facet(&all), [("unknown".to_string(), 7)]);
    let (url, fake) = fake_swh().await;
    knows_the_fixture(&fake);
    let client = Client::new(quick(&url)).unwrap();
    check::run(&pool, &client, &check::Options::default(), &Silent).await.unwrap();
    // Delta's source has no hash: unknown before and after, not re-indexed.
    assert_eq!(sync.sync().await.unwrap().upserted, 6);
    let all = json(&get(&app, "/api/v1/search?q=").await.body);
    assert_eq!(facet(&all), [("archived".to_string(), 5), ("not".to_string(), 1), ("unknown".to_string(), 1)]);
    let not = json(&get(&app, "/api/v1/search?q=&archival=not").await.body);
    let names: Vec<&str> = not["hits"].as_array().unwrap().iter().map(|h| h["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["eta"]);
    // Checked again with the same verdicts: nothing to re-index.
    let again = check::Options { stale_after: std::time::Duration::ZERO, ..Default::default() };
    check::run(&pool, &client, &again, &Silent).await.unwrap();
    assert_eq!(sync.sync().await.unwrap().upserted, 0);
    // The page shows the facet in words and keeps it in its links.
    let html = get(&app, "/search?q=&archival=not").await.body;
    assert!(html.contains(">Archival<") && html.contains(">Not archived<"), "{html}");
    assert!(html.contains(r#"name="archival" value="not""#), "the form keeps the filter");
}
