//! Inputs that used to panic, overflow or hang, and a database that is down:
//! each answers with a clear status, never a panic.
use std::time::Duration;

use axum::{body::Body, http::Request};
use http_body_util::BodyExt;
use pacatlas::{catalog::Ecosystem, config::Config};
use sqlx::PgPool;
use tower::ServiceExt;

use crate::support::{app, fixture, get, ingest};

#[sqlx::test(migrations = "../migrations")]
async fn a_percent_before_a_multibyte_character_is_a_plain_404(pool: PgPool) {
    ingest(&pool, Ecosystem::Spack, "builtin", None, &[fixture("spack-rich.json")]).await.unwrap();
    let app = app(pool);
    for path in [
        "/packages/nix/x/%a%C3%A9",
        "/packages/nix/x/%25a%C3%A9",
        "/channels/%C3%A9%a/x",
        "/packages/spack/builtin/%",
        "/packages/spack/builtin/hdf5%",
    ] {
        let reply = get(&app, path).await;
        assert_eq!(reply.status, 404, "{path}");
        assert!(reply.body.contains("not found"), "{path}: a readable page");
    }
    let reply = get(&app, "/api/v1/packages/spack/builtin/%a%C3%A9").await;
    assert_eq!(reply.status, 404);
}

#[sqlx::test(migrations = "../migrations")]
async fn huge_page_numbers_are_clamped_on_pages_and_refused_by_the_api(pool: PgPool) {
    ingest(&pool, Ecosystem::Spack, "builtin", None, &[fixture("spack-rich.json")]).await.unwrap();
    let app = app(pool);
    let page = get(&app, "/channels/spack/builtin?page=4294967295").await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Page 10000 of 1"), "clamped to the largest page");
    assert!(!page.body.contains("rel=\"next\""));
    let page = get(&app, "/channels/spack/builtin?page=0").await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Page 1 of 1"));
    for bad in ["4294967295", "10001", "0"] {
        let api = get(&app, &format!("/api/v1/channels/spack/builtin?page={bad}")).await;
        assert_eq!(api.status, 400, "page={bad}");
        assert!(api.body.contains("page must be between 1 and 10000"), "{}", api.body);
    }
    let api = get(&app, "/api/v1/channels/spack/builtin?page=99999999999").await;
    assert_eq!(api.status, 400, "larger than u32");
}

/// A pool on a port where no PostgreSQL listens.
fn dead_pool() -> PgPool {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    sqlx::postgres::PgPoolOptions::new()
        .acquire_timeout(Duration::from_millis(500))
        .connect_lazy(&format!("postgres://postgres@127.0.0.1:{port}/none"))
        .unwrap()
}

#[tokio::test]
async fn pages_answer_503_with_retry_after_when_the_database_is_down() {
    let app = app(dead_pool());
    for path in ["/packages", "/channels/spack/builtin", "/packages/spack/builtin/hdf5"] {
        let response = app.clone().oneshot(Request::get(path).body(Body::empty()).unwrap()).await.unwrap();
        assert_eq!(response.status(), 503, "{path}");
        assert_eq!(response.headers()["retry-after"], "30", "{path}");
        let body = String::from_utf8(response.into_body().collect().await.unwrap().to_bytes().to_vec()).unwrap();
        assert!(body.contains("The catalog is not available right now."), "{path}: {body}");
        assert!(body.contains("<html"), "{path}: still a whole page");
    }
    for path in ["/api/v1/channels", "/api/v1/packages/spack/builtin/hdf5"] {
        let response = app.clone().oneshot(Request::get(path).body(Body::empty()).unwrap()).await.unwrap();
        assert_eq!(response.status(), 503, "{path}");
        assert_eq!(response.headers()["retry-after"], "30");
    }
}

#[sqlx::test(migrations = "../migrations")]
async fn a_runaway_statement_is_cancelled_by_the_servers_time_limit(pool: PgPool) {
    let url = std::env::var("DATABASE_URL").expect("DATABASE_URL");
    let db: String = sqlx::query_scalar("SELECT current_database()").fetch_one(&pool).await.unwrap();
    let base = url.rsplit_once('/').map(|(server, _)| server.to_string()).unwrap();
    let config =
        Config { database_url: Some(format!("{base}/{db}")), db_statement_timeout_ms: 100, ..Config::default() };
    let serving = pacatlas::db::connect_serving(&config).await.unwrap();
    let started = std::time::Instant::now();
    let err = sqlx::query("SELECT pg_sleep(5)").execute(&serving).await.unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(3));
    assert!(pacatlas::error::database_unavailable(&err), "{err}");
    // Commands (ingest, demo) have no such limit.
    let commands = pacatlas::db::connect(&config).await.unwrap();
    sqlx::query("SELECT pg_sleep(0.3)").execute(&commands).await.unwrap();
}

#[sqlx::test(migrations = "../migrations")]
async fn a_stalled_download_is_abandoned_after_the_read_timeout(pool: PgPool) {
    // Answers the headers, then never sends the body.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        loop {
            let Ok((mut socket, _)) = listener.accept().await else { return };
            tokio::spawn(async move {
                let mut buf = [0u8; 4096];
                let _ = socket.read(&mut buf).await;
                let _ = socket.write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n{\"packages\"").await;
                tokio::time::sleep(Duration::from_secs(60)).await;
            });
        }
    });
    let limits = pacatlas::ingest::Limits { read_timeout: Duration::from_millis(500), ..Default::default() };
    let started = std::time::Instant::now();
    let url = format!("http://{addr}/packages.json");
    let err = crate::support::ingest_with(&pool, limits, Ecosystem::Spack, "builtin", None, std::slice::from_ref(&url))
        .await
        .unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(10), "{:?}", started.elapsed());
    assert!(err.to_string().contains(&url), "{err}");
    // Recorded for the channel's history, without touching the catalog.
    let (file, error): (String, String) =
        sqlx::query_as("SELECT file, error FROM ingest_failures").fetch_one(&pool).await.unwrap();
    assert_eq!(file, url);
    assert!(error.contains("download"), "{error}");
    let channels: i64 = sqlx::query_scalar("SELECT count(*) FROM channels").fetch_one(&pool).await.unwrap();
    assert_eq!(channels, 0);
}

/// Building a router lists the app's routes, which switched resource loading
/// off for the whole process while it ran (leptos-rs/leptos#4773): a page
/// with a resource, rendered meanwhile by another router, never finished
/// (the `accounts_authz` and `builds_pages` flakes: 503 after the time limit).
#[sqlx::test(migrations = "../migrations")]
async fn pages_render_while_other_routers_are_built(pool: PgPool) {
    ingest(&pool, Ecosystem::Spack, "builtin", None, &[fixture("spack-rich.json")]).await.unwrap();
    let index = || -> std::sync::Arc<dyn pacatlas::search::SearchIndex> {
        std::sync::Arc::new(pacatlas::search::embedded::EmbeddedIndex::in_memory().unwrap())
    };
    // Every page rendered (no page cache), each within 5 s.
    let config = Config { request_timeout_secs: 5, page_cache_bytes: 0, ..Config::default() };
    let app = crate::support::app_with_config(pool.clone(), index(), config);
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let builder = {
        let (stop, pool) = (stop.clone(), pool.clone());
        std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
            let mut built = 0;
            rt.block_on(async {
                while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                    drop(crate::support::app_with(pool.clone(), index()));
                    built += 1;
                    tokio::task::yield_now().await;
                }
            });
            built
        })
    };
    for i in 0..30 {
        let reply = get(&app, &format!("/search?q=hdf5+{i}")).await;
        assert_eq!(reply.status, 200, "request {i} while routers are built: {:.300}", reply.body);
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    assert!(builder.join().unwrap() > 0, "routers were built meanwhile");
}
