//! Catalog pages kept in memory per catalog generation: validators (ETag,
//! 304), a fresh nonce per answer, and a new page as soon as an ingest
//! commits.
use std::time::Duration;

use axum::{
    body::Body,
    http::{HeaderMap, Request},
    Router,
};
use http_body_util::BodyExt;
use pacatlas::{catalog::Ecosystem, config::Config, http::AppState};
use sqlx::PgPool;
use tower::ServiceExt;

use crate::support::{fixture, ingest, temp_file};

async fn fetch(app: &Router, path: &str, if_none_match: Option<&str>) -> (u16, HeaderMap, String) {
    let mut request = Request::get(path);
    if let Some(tag) = if_none_match {
        request = request.header("if-none-match", tag);
    }
    let response = app.clone().oneshot(request.body(Body::empty()).unwrap()).await.unwrap();
    let (parts, body) = response.into_parts();
    let body = String::from_utf8(body.collect().await.unwrap().to_bytes().to_vec()).unwrap();
    (parts.status.as_u16(), parts.headers, body)
}

/// GETs `path` until its answer contains `needle` (at most `within`); its headers.
async fn fetch_until(app: &Router, path: &str, needle: &str, within: Duration) -> HeaderMap {
    let started = std::time::Instant::now();
    loop {
        let (_, headers, body) = fetch(app, path, None).await;
        if body.contains(needle) {
            return headers;
        }
        assert!(started.elapsed() < within, "{path} never showed {needle:?} within {within:?}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// The router with the generation watcher running, once it knows the generation.
async fn watched_app(pool: PgPool) -> Router {
    let index = std::sync::Arc::new(pacatlas::search::embedded::EmbeddedIndex::in_memory().unwrap());
    let config = Config { site_root: std::env::temp_dir().to_string_lossy().into_owned(), ..Config::default() };
    let state = AppState::new(config, crate::support::own_pool(&pool), index);
    state.generation.clone().spawn_watch(pool, Duration::from_secs(10));
    for _ in 0..100 {
        if state.generation.get().is_some() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(state.generation.get().is_some(), "the watcher reads the generation");
    pacatlas::http::router(state)
}

fn nonce(page: &str) -> String {
    page.split("'nonce-").nth(1).and_then(|r| r.split('\'').next()).unwrap().to_string()
}

#[sqlx::test(migrations = "../migrations")]
async fn pages_are_served_again_with_validators_and_fresh_nonces(pool: PgPool) {
    ingest(&pool, Ecosystem::Spack, "builtin", Some("r1"), &[fixture("spack-rich.json")]).await.unwrap();
    let app = watched_app(pool).await;
    let (status, headers, first) = fetch(&app, "/packages/spack/builtin/hdf5", None).await;
    assert_eq!(status, 200);
    let tag = headers["etag"].to_str().unwrap().to_string();
    assert!(tag.starts_with("W/\""), "{tag}");
    assert_eq!(headers["cache-control"], "public, no-cache");
    let (status, headers, second) = fetch(&app, "/packages/spack/builtin/hdf5", None).await;
    assert_eq!(status, 200);
    assert_eq!(headers["etag"].to_str().unwrap(), tag);
    assert_eq!(headers["content-type"], "text/html; charset=utf-8");
    assert_ne!(nonce(&first), nonce(&second), "each answer has its own nonce");
    assert_eq!(first.replace(&nonce(&first), "N"), second.replace(&nonce(&second), "N"), "the same page otherwise");
    let scripts = second.matches("<script").count();
    assert_eq!(second.matches(&format!(r#"nonce="{}""#, nonce(&second))).count(), scripts);

    let (status, _, body) = fetch(&app, "/packages/spack/builtin/hdf5", Some(&tag)).await;
    assert_eq!(status, 304);
    assert!(body.is_empty());
    let (status, _, _) = fetch(&app, "/packages/spack/builtin/hdf5", Some("W/\"other\"")).await;
    assert_eq!(status, 200);
    let (status, headers, json) = fetch(&app, "/api/v1/packages/spack/builtin/hdf5", None).await;
    assert_eq!(status, 200);
    assert_eq!(headers["etag"].to_str().unwrap(), tag);
    assert!(json.starts_with('{'));
    // A missing package is a 404 each time.
    assert_eq!(fetch(&app, "/packages/spack/builtin/nothing-here", None).await.0, 404);
    assert_eq!(fetch(&app, "/packages/spack/builtin/nothing-here", None).await.0, 404);
}

#[sqlx::test(migrations = "../migrations")]
async fn an_ingest_shows_at_once(pool: PgPool) {
    ingest(&pool, Ecosystem::Spack, "builtin", Some("r1"), &[fixture("spack-rich.json")]).await.unwrap();
    let app = watched_app(pool.clone()).await;
    let (_, headers, page) = fetch(&app, "/packages/spack/builtin/hdf5", None).await;
    assert!(page.contains("1.14.5"));
    let old_tag = headers["etag"].to_str().unwrap().to_string();
    let list = fetch(&app, "/channels/spack/builtin", None).await.2;
    assert!(list.contains("r1"));

    let doc = std::fs::read_to_string(fixture("spack-rich.json")).unwrap().replace("1.14.5", "1.14.99");
    let dir = tempfile::tempdir().unwrap();
    let path = temp_file(&dir, "next.json", doc.as_bytes());
    ingest(&pool, Ecosystem::Spack, "builtin", Some("r2"), &[path]).await.unwrap();
    // The notification arrives when the ingest commits: within moments.
    let headers = fetch_until(&app, "/packages/spack/builtin/hdf5", "1.14.99", Duration::from_secs(2)).await;
    assert_ne!(headers["etag"].to_str().unwrap(), old_tag, "the new version is shown with a new tag");
    assert_eq!(
        fetch(&app, "/packages/spack/builtin/hdf5", Some(&old_tag)).await.0,
        200,
        "the old tag no longer matches"
    );
    let list = fetch(&app, "/channels/spack/builtin", None).await.2;
    assert!(list.contains("r2"), "the channel page too");
}

#[sqlx::test(migrations = "../migrations")]
async fn without_the_watcher_nothing_is_cached(pool: PgPool) {
    ingest(&pool, Ecosystem::Spack, "builtin", Some("r1"), &[fixture("spack-rich.json")]).await.unwrap();
    let app = crate::support::app(pool.clone());
    let (_, headers, _) = fetch(&app, "/packages/spack/builtin/hdf5", None).await;
    assert!(headers.get("etag").is_none());
    let doc = std::fs::read_to_string(fixture("spack-rich.json")).unwrap().replace("1.14.5", "1.14.99");
    let dir = tempfile::tempdir().unwrap();
    ingest(&pool, Ecosystem::Spack, "builtin", Some("r2"), &[temp_file(&dir, "n.json", doc.as_bytes())]).await.unwrap();
    assert!(fetch(&app, "/packages/spack/builtin/hdf5", None).await.2.contains("1.14.99"));
}

/// An embedded index whose retrieval can be made to fail (the search then
/// answers from PostgreSQL, degraded).
struct Flaky {
    inner: pacatlas::search::embedded::EmbeddedIndex,
    failing: std::sync::atomic::AtomicBool,
}

#[async_trait::async_trait]
impl pacatlas::search::SearchIndex for Flaky {
    fn engine(&self) -> &'static str {
        self.inner.engine()
    }
    async fn prepare(&self) -> Result<(), pacatlas::search::SearchError> {
        self.inner.prepare().await
    }
    async fn upsert(&self, docs: Vec<pacatlas::search::SearchDocument>) -> Result<(), pacatlas::search::SearchError> {
        self.inner.upsert(docs).await
    }
    async fn delete(&self, ids: &[String]) -> Result<(), pacatlas::search::SearchError> {
        self.inner.delete(ids).await
    }
    async fn clear(&self) -> Result<(), pacatlas::search::SearchError> {
        self.inner.clear().await
    }
    async fn retrieve(
        &self,
        request: &pacatlas::search::Retrieval,
    ) -> Result<pacatlas::search::Retrieved, pacatlas::search::SearchError> {
        if self.failing.load(std::sync::atomic::Ordering::SeqCst) {
            return Err(pacatlas::search::SearchError::Unavailable("switched off by the test".into()));
        }
        self.inner.retrieve(request).await
    }
    async fn count(&self) -> Result<u64, pacatlas::search::SearchError> {
        self.inner.count().await
    }
    async fn cursor(&self) -> Result<i64, pacatlas::search::SearchError> {
        self.inner.cursor().await
    }
    async fn set_cursor(&self, cursor: i64) -> Result<(), pacatlas::search::SearchError> {
        self.inner.set_cursor(cursor).await
    }
}

#[sqlx::test(migrations = "../migrations")]
async fn search_answers_are_kept_per_index_version_and_degraded_ones_never(pool: PgPool) {
    ingest(&pool, Ecosystem::Spack, "builtin", Some("r1"), &[fixture("search-spack.json")]).await.unwrap();
    let index = std::sync::Arc::new(Flaky {
        inner: pacatlas::search::embedded::EmbeddedIndex::in_memory().unwrap(),
        failing: Default::default(),
    });
    let config = Config { site_root: std::env::temp_dir().to_string_lossy().into_owned(), ..Config::default() };
    let state = AppState::new(config, crate::support::own_pool(&pool), index.clone());
    state.search.sync().await.unwrap();
    pacatlas::http::spawn_watchers(&state);
    state.search.clone().spawn_sync(Duration::from_millis(200));
    for _ in 0..200 {
        if state.generation.get().is_some() && state.search_version.get().is_some() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let app = pacatlas::http::router(state);
    let (status, headers, first) = fetch(&app, "/api/v1/search?q=zlib", None).await;
    assert_eq!(status, 200, "{first}");
    let tag = headers["etag"].to_str().unwrap().to_string();
    assert!(tag.contains(".s"), "a search answer's tag names the index version: {tag}");
    assert_eq!(fetch(&app, "/api/v1/search?q=zlib", Some(&tag)).await.0, 304);
    let page = fetch(&app, "/search?q=zlib", None).await;
    assert_eq!(page.0, 200);
    assert!(page.1.contains_key("etag"));

    // A new package shows in the answers once the index has it.
    let doc =
        serde_json::json!({"commit": "r2", "packages": [{"name": "zlib-turbo", "description": "A faster zlib."}]});
    let dir = tempfile::tempdir().unwrap();
    let mut all: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(fixture("search-spack.json")).unwrap()).unwrap();
    all["packages"].as_array_mut().unwrap().push(doc["packages"][0].clone());
    ingest(&pool, Ecosystem::Spack, "builtin", Some("r2"), &[temp_file(&dir, "r2.json", all.to_string().as_bytes())])
        .await
        .unwrap();
    let headers = fetch_until(&app, "/api/v1/search?q=zlib", "zlib-turbo", Duration::from_secs(8)).await;
    assert_ne!(headers["etag"].to_str().unwrap(), tag, "the new package is found, with a new tag");

    // The engine fails: a kept answer is still right; a new query is
    // answered from PostgreSQL, marked, and never kept.
    index.failing.store(true, std::sync::atomic::Ordering::SeqCst);
    assert!(fetch(&app, "/api/v1/search?q=zlib", None).await.2.contains("\"degraded\":false"));
    for _ in 0..2 {
        let (status, headers, body) = fetch(&app, "/api/v1/search?q=turbo", None).await;
        assert_eq!(status, 200);
        assert!(body.contains("\"degraded\":true"), "{body}");
        assert_eq!(headers["cache-control"], "no-store");
        assert!(headers.get("etag").is_none());
    }
    let (_, headers, _) = fetch(&app, "/search?q=turbo", None).await;
    assert_eq!(headers["cache-control"], "no-store");
    index.failing.store(false, std::sync::atomic::Ordering::SeqCst);
    let (_, headers, body) = fetch(&app, "/api/v1/search?q=turbo", None).await;
    assert!(body.contains("\"degraded\":false"), "{body}");
    assert!(headers.contains_key("etag"));
}

#[sqlx::test(migrations = "../migrations")]
async fn concurrent_requests_for_a_new_page_all_get_it(pool: PgPool) {
    ingest(&pool, Ecosystem::Spack, "builtin", Some("r1"), &[fixture("spack-rich.json")]).await.unwrap();
    let app = watched_app(pool).await;
    let requests = (0..16).map(|_| {
        let app = app.clone();
        tokio::spawn(async move { fetch(&app, "/packages/spack/builtin/hdf5", None).await })
    });
    let answers = futures_util::future::join_all(requests).await;
    let pages: Vec<String> = answers
        .into_iter()
        .map(|a| a.unwrap())
        .map(|(s, _, body)| {
            assert_eq!(s, 200);
            body.replace(&nonce(&body), "N")
        })
        .collect();
    assert!(pages.iter().all(|p| p == &pages[0] && p.contains("1.14.5")));
}
