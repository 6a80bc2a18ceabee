//! Search paging and request bounds, against every engine (as `search.rs`):
//! every page up to the announced total has results, a later one is empty or
//! refused, and no parameter can make the server panic or overflow.
use std::sync::Arc;

use pacatlas::{
    catalog::Ecosystem,
    search::{service::SearchService, SearchIndex},
};
use serde_json::Value;
use sqlx::PgPool;

use crate::support::{app_with, get, ingest, temp_file};

/// A Spack channel of `n` packages whose descriptions all say "widget".
async fn widgets(pool: &PgPool, index: Arc<dyn SearchIndex>, n: usize) -> axum::Router {
    let dir = tempfile::tempdir().unwrap();
    let packages: Vec<Value> = (0..n)
        .map(
            |i| serde_json::json!({"name": format!("pkg{i:05}"), "description": format!("Widget library number {i}.")}),
        )
        .collect();
    let doc = serde_json::json!({"commit": "widgets", "packages": packages});
    let path = temp_file(&dir, "widgets.json", doc.to_string().as_bytes());
    ingest(pool, Ecosystem::Spack, "builtin", None, &[path]).await.unwrap();
    SearchService::new(index.clone(), pool.clone()).sync().await.unwrap();
    app_with(pool.clone(), index)
}

async fn json(app: &axum::Router, query: &str) -> (u16, Value) {
    let reply = get(app, &format!("/api/v1/search?{query}")).await;
    (reply.status, serde_json::from_str(&reply.body).unwrap_or(Value::String(reply.body)))
}

fn names(v: &Value) -> Vec<String> {
    v["hits"].as_array().unwrap().iter().map(|h| h["name"].as_str().unwrap().to_string()).collect()
}

/// More matches than the ranker orders (400): every page up to the total
/// is full, the pages never repeat a result, the page after is empty.
async fn every_announced_page_has_results(pool: PgPool, index: Arc<dyn SearchIndex>) {
    let app = widgets(&pool, index, 450).await;
    let (status, first) = json(&app, "q=widget").await;
    assert_eq!(status, 200, "{first}");
    assert_eq!(first["total"], 450);
    assert_eq!(first["matches"], 450);
    let last_page = 450_u32.div_ceil(20);
    let mut seen = Vec::new();
    for page in 1..=last_page {
        let (status, r) = json(&app, &format!("q=widget&page={page}")).await;
        assert_eq!(status, 200);
        assert_eq!(r["total"], 450, "page {page} announces the same total");
        let n = names(&r);
        assert_eq!(n.len(), if page == last_page { 10 } else { 20 }, "page {page}");
        seen.extend(n);
    }
    seen.sort();
    seen.dedup();
    assert_eq!(seen.len(), 450, "the pages together list every match once");
    let (status, past) = json(&app, &format!("q=widget&page={}", last_page + 1)).await;
    assert_eq!(status, 200);
    assert!(names(&past).is_empty());
    let page = get(&app, &format!("/search?q=widget&page={}", last_page + 1)).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("past the last page"), "the page says why it is empty");
}

/// More matches than a search pages through: the total is capped (and says
/// how many match), its last page is full, the one after is refused.
async fn the_total_is_what_can_be_paged(pool: PgPool, index: Arc<dyn SearchIndex>) {
    let app = widgets(&pool, index, 1100).await;
    let (_, r) = json(&app, "q=widget").await;
    assert_eq!(r["total"], 1000, "50 pages of 20");
    assert!(r["matches"].as_u64().unwrap() >= 1000, "{}", r["matches"]);
    let (status, last) = json(&app, "q=widget&page=50").await;
    assert_eq!(status, 200);
    assert_eq!(names(&last).len(), 20);
    let (status, past) = json(&app, "q=widget&page=51").await;
    assert_eq!(status, 400, "{past}");
    assert!(past.to_string().contains("past the last page"), "{past}");
    let (_, browse) = json(&app, "q=&page=50").await;
    assert_eq!(names(&browse).len(), 20, "browsing pages as far");
}

/// Bounds on every parameter: a clear 400 on the API and on the page, no
/// overflow for any page number.
async fn parameters_are_bounded(pool: PgPool, index: Arc<dyn SearchIndex>) {
    let app = widgets(&pool, index, 3).await;
    for page in ["4294967295", "4294967296", "18446744073709551616", "51"] {
        let (status, r) = json(&app, &format!("q=widget&page={page}")).await;
        assert_eq!(status, 400, "page={page}: {r}");
        assert!(r.to_string().contains("past the last page"), "{r}");
        let html = get(&app, &format!("/search?q=widget&page={page}")).await;
        assert_eq!(html.status, 400, "page={page}");
        assert!(html.body.contains("This search cannot be run"), "page={page}");
    }
    for page in ["0", "-1", "x", ""] {
        let (status, r) = json(&app, &format!("q=widget&page={page}")).await;
        assert_eq!((status, r["page"].as_u64()), (200, Some(1)), "page={page} is the first page");
    }
    let many: String = (0..21).map(|i| format!("&license=L{i}")).collect();
    let (status, r) = json(&app, &format!("q=widget{many}")).await;
    assert_eq!(status, 400, "{r}");
    assert!(r.to_string().contains("at most 20 `license` values"), "{r}");
    let twenty: String = (0..20).map(|i| format!("&channel=c{i}")).collect();
    assert_eq!(json(&app, &format!("q=widget{twenty}")).await.0, 200, "20 values are fine");
    let long = "x".repeat(101);
    let (status, r) = json(&app, &format!("q=widget&ecosystem={long}")).await;
    assert_eq!(status, 400, "{r}");
    assert!(r.to_string().contains("`ecosystem` value is longer than 100 bytes"), "{r}");
    let html = get(&app, &format!("/search?q=widget&channel={long}")).await;
    assert_eq!(html.status, 400);
    assert!(html.body.contains("longer than 100 bytes"));
    // Queries of more words than a search runs on the request's thread
    // (they run on a blocking thread): answered, the package with every word first.
    let (status, r) = json(&app, "q=widget+library+number+2+widget+library").await;
    assert_eq!(status, 200, "{r}");
    assert_eq!(names(&r).first().map(String::as_str), Some("pkg00002"), "{r}");
    let longest: String = (0..50).map(|i| format!("w{i:03}")).collect::<Vec<_>>().join("+");
    let (status, r) = json(&app, &format!("q={longest}")).await;
    assert_eq!((status, r["total"].as_u64()), (200, Some(0)), "{r}");
    let body = format!(r#"{{"params":{{"q":"widget","ecosystem":[],"channel":[],"license":[],"page":{}}}}}"#, u32::MAX);
    let reply = crate::support::post(&app, "/fn/search", "application/json", &body).await;
    assert!(reply.body.contains("past the last page"), "{}", reply.body);
}

macro_rules! behaviour {
    ($($name:ident),* $(,)?) => {
        mod embedded_engine {
            $(
                #[sqlx::test(migrations = "../migrations")]
                async fn $name(pool: sqlx::PgPool) {
                    super::$name(pool, crate::search::embedded().unwrap()).await
                }
            )*
        }
        mod meilisearch_engine {
            $(
                #[sqlx::test(migrations = "../migrations")]
                async fn $name(pool: sqlx::PgPool) {
                    if let Some(index) = crate::search::meili() {
                        index.prepare().await.unwrap();
                        super::$name(pool, index).await
                    }
                }
            )*
        }
    };
}

behaviour!(every_announced_page_has_results, the_total_is_what_can_be_paged, parameters_are_bounded);

/// A Meilisearch that accepts connections and never answers: every search
/// still answers, from PostgreSQL, within the engine's time limit; the sync
/// reports the engine down instead of hanging.
#[sqlx::test(migrations = "../migrations")]
async fn a_hung_meilisearch_times_out_and_degrades(pool: PgPool) {
    use pacatlas::search::meili::MeiliIndex;
    use std::time::{Duration, Instant};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let held = tokio::spawn(async move {
        let mut open = Vec::new();
        while let Ok((socket, _)) = listener.accept().await {
            open.push(socket); // read nothing, answer nothing, never close
        }
    });
    let limit = Duration::from_millis(300);
    let index: Arc<dyn SearchIndex> = Arc::new(
        MeiliIndex::new(&format!("http://127.0.0.1:{port}"), Some("key"), "hung_").unwrap().with_timeout(limit),
    );
    ingest(&pool, Ecosystem::Spack, "builtin", None, &[crate::support::fixture("search-spack.json")]).await.unwrap();
    let service = SearchService::new(index.clone(), pool.clone());
    let started = Instant::now();
    let sync = tokio::time::timeout(Duration::from_secs(10), service.sync()).await.expect("sync does not hang");
    assert!(sync.is_err(), "sync reports the engine down");
    assert!(started.elapsed() < Duration::from_secs(3), "{:?}", started.elapsed());

    let app = app_with(pool.clone(), index);
    let started = Instant::now();
    let (status, r) = json(&app, "q=numpy").await;
    let took = started.elapsed();
    assert_eq!(status, 200, "{r}");
    assert_eq!((r["degraded"].as_bool(), r["engine"].as_str()), (Some(true), Some("postgresql")));
    assert_eq!(names(&r)[0], "py-numpy");
    assert!(took >= limit && took < limit + Duration::from_secs(2), "answered in {took:?}, the limit is {limit:?}");
    held.abort();
}

/// The degraded search pages as the engines do: every announced page full,
/// no result twice.
#[sqlx::test(migrations = "../migrations")]
async fn the_degraded_search_pages_honestly(pool: PgPool) {
    use pacatlas::search::meili::MeiliIndex;
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = closed.local_addr().unwrap().port();
    drop(closed);
    let index: Arc<dyn SearchIndex> =
        Arc::new(MeiliIndex::new(&format!("http://127.0.0.1:{port}"), None, "x_").unwrap());
    let dir = tempfile::tempdir().unwrap();
    let packages: Vec<Value> =
        (0..450).map(|i| serde_json::json!({"name": format!("pkg{i:05}"), "description": "Widget library."})).collect();
    let doc = serde_json::json!({"commit": "widgets", "packages": packages});
    ingest(&pool, Ecosystem::Spack, "builtin", None, &[temp_file(&dir, "w.json", doc.to_string().as_bytes())])
        .await
        .unwrap();
    let app = app_with(pool.clone(), index);
    let mut seen = Vec::new();
    for page in 1..=23 {
        let (status, r) = json(&app, &format!("q=widget&page={page}")).await;
        assert_eq!((status, r["degraded"].as_bool(), r["total"].as_u64()), (200, Some(true), Some(450)), "page {page}");
        seen.extend(names(&r));
    }
    seen.sort();
    seen.dedup();
    assert_eq!(seen.len(), 450);
    assert!(names(&json(&app, "q=widget&page=24").await.1).is_empty());
}
