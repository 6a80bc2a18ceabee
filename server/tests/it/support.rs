//! Helpers shared by the integration tests.
use axum::{body::Body, http::Request, Router};
use http_body_util::BodyExt;
use pacatlas::{config::Config, http::AppState};
use sqlx::PgPool;
use tower::ServiceExt;

/// The application router over `pool`, configured as in production.
pub fn app(pool: PgPool) -> Router {
    app_with(pool, std::sync::Arc::new(pacatlas::search::embedded::EmbeddedIndex::in_memory().unwrap()))
}

/// The router over `pool`, searching with `index`.
pub fn app_with(pool: PgPool, index: std::sync::Arc<dyn pacatlas::search::SearchIndex>) -> Router {
    app_with_config(pool, index, Config::default())
}

/// The router over `pool` with `config` (its site root replaced by an empty one).
pub fn app_with_config(
    pool: PgPool,
    index: std::sync::Arc<dyn pacatlas::search::SearchIndex>,
    config: Config,
) -> Router {
    router_over(own_pool(&pool), index, config)
}

/// The router over `pool` itself (tests that close it to see the database
/// go away).
pub fn app_on_this_pool(pool: PgPool) -> Router {
    let index = std::sync::Arc::new(pacatlas::search::embedded::EmbeddedIndex::in_memory().unwrap());
    router_over(pool, index, Config::default())
}

fn router_over(pool: PgPool, index: std::sync::Arc<dyn pacatlas::search::SearchIndex>, config: Config) -> Router {
    let config = Config { site_root: test_site_root(), ..config };
    log_warnings();
    pacatlas::http::router(AppState::new(config, pool, index))
}

/// A pool of the server's own to the test's database. `#[sqlx::test]`
/// pools borrow their connections' permits from one pool shared by every
/// test of the process, and a later test sometimes waited 30 s for
/// `/account` (the `accounts_authz` flake). Suspected: a permit lost by an
/// acquire cancelled midway (sqlx 0.8's acquire is not cancel-safe,
/// transact-rs/sqlx#3582; our requests have time limits). The server's
/// pool borrows nothing. Same connection options and acquire timeout.
pub fn own_pool(pool: &PgPool) -> PgPool {
    sqlx::postgres::PgPoolOptions::new()
        .max_connections(5)
        .acquire_timeout(pool.options().get_acquire_timeout())
        .idle_timeout(Some(std::time::Duration::from_secs(1)))
        .connect_lazy_with((*pool.connect_options()).clone())
}

/// The server's warnings and errors in the output of a failing test (the
/// test harness shows a test's output when it fails): a 503 or a 500 says
/// why. `RUST_LOG` chooses more.
pub fn log_warnings() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn"));
    let _ = tracing_subscriber::fmt().with_test_writer().with_env_filter(filter).try_init();
}

/// An empty site root: static files are not needed by these tests.
fn test_site_root() -> String {
    let dir = std::env::temp_dir().join("pacatlas-test-site");
    std::fs::create_dir_all(&dir).expect("create test site root");
    dir.to_string_lossy().into_owned()
}

pub struct Reply {
    pub status: u16,
    pub content_type: String,
    pub body: String,
}

/// Sends one GET request through the router and reads the whole answer.
pub async fn get(app: &Router, path: &str) -> Reply {
    send(app, Request::get(path).body(Body::empty()).unwrap()).await
}

/// Sends one GET request with these headers.
pub async fn get_with(app: &Router, path: &str, headers: &[(&str, &str)]) -> Reply {
    let mut request = Request::get(path);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    send(app, request.body(Body::empty()).unwrap()).await
}

/// Sends one POST request with a body of `content_type`.
pub async fn post(app: &Router, path: &str, content_type: &str, body: &str) -> Reply {
    let request = Request::post(path).header("content-type", content_type).body(Body::from(body.to_string())).unwrap();
    send(app, request).await
}

async fn send(app: &Router, request: Request<Body>) -> Reply {
    let response = app.clone().oneshot(request).await.expect("router answers");
    let status = response.status().as_u16();
    let content_type =
        response.headers().get("content-type").map(|v| v.to_str().unwrap().to_string()).unwrap_or_default();
    let bytes = response.into_body().collect().await.expect("body").to_bytes();
    Reply { status, content_type, body: String::from_utf8_lossy(&bytes).into_owned() }
}

use pacatlas::{
    catalog::Ecosystem,
    ingest::{self, progress::Silent, IngestError, Limits, Summary},
};

/// A fixture file under server/tests/fixtures.
pub fn fixture(name: &str) -> String {
    format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"))
}

pub async fn ingest_with(
    pool: &PgPool,
    limits: Limits,
    ecosystem: Ecosystem,
    channel: &str,
    revision: Option<&str>,
    sources: &[String],
) -> Result<Summary, IngestError> {
    let request = ingest::Request {
        ecosystem,
        channel: channel.to_string(),
        channel_url: None,
        revision: revision.map(str::to_string),
        sources: sources.to_vec(),
    };
    ingest::run(pool, limits, request, &Silent).await
}

pub async fn ingest(
    pool: &PgPool,
    ecosystem: Ecosystem,
    channel: &str,
    revision: Option<&str>,
    sources: &[String],
) -> Result<Summary, IngestError> {
    ingest_with(pool, Limits::default(), ecosystem, channel, revision, sources).await
}

/// A fingerprint of every catalog table's full content (row text, sorted):
/// equal fingerprints mean the tables hold exactly the same rows.
pub async fn snapshot(pool: &PgPool) -> Vec<(String, i64, String)> {
    let mut out = Vec::new();
    for table in [
        "channels",
        "projects",
        "packages",
        "package_versions",
        "sources",
        "package_licenses",
        "maintainers",
        "package_maintainers",
        "dependencies",
        "variants",
        "ingest_runs",
        "search_changes",
    ] {
        let row: (i64, Option<String>) =
            sqlx::query_as(&format!("SELECT count(*), md5(string_agg(t::text, '|' ORDER BY t::text)) FROM {table} t"))
                .fetch_one(pool)
                .await
                .unwrap();
        out.push((table.to_string(), row.0, row.1.unwrap_or_default()));
    }
    out
}

/// Writes `contents` to a fresh temporary file named `name`.
pub fn temp_file(dir: &tempfile::TempDir, name: &str, contents: &[u8]) -> String {
    let path = dir.path().join(name);
    std::fs::write(&path, contents).unwrap();
    path.to_string_lossy().into_owned()
}

/// Every message catalogue of a language (`app/locales/{lang}/*.ftl`, one
/// file per area), joined.
pub fn catalogue(lang: &str) -> String {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../app/locales").join(lang);
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "ftl"))
        .collect();
    files.sort();
    files.iter().map(|p| std::fs::read_to_string(p).unwrap()).collect::<Vec<_>>().join("\n")
}

/// A build result of `package` on `system` finished at `finished_at`, as an
/// importer would write it (the rest empty).
pub fn build_row(
    id: &str,
    package: &str,
    system: &str,
    status: pacatlas::builds::Status,
    finished_at: chrono::DateTime<chrono::Utc>,
) -> pacatlas::builds::BuildRow {
    pacatlas::builds::BuildRow {
        external_id: id.to_string(),
        job: format!("{package}.{system}"),
        package_name: Some(package.to_string()),
        version: Some("1.0".to_string()),
        system: Some(system.to_string()),
        target: None,
        compiler: None,
        status,
        service_status: status.as_str().to_string(),
        started_at: None,
        finished_at: Some(finished_at),
        log_url: None,
        build_url: None,
        evaluation: None,
    }
}

/// Writes build results of `service` in a transaction of their own.
pub async fn write_builds(pool: &PgPool, service: &pacatlas::builds::Service, rows: &[pacatlas::builds::BuildRow]) {
    let mut tx = pool.begin().await.unwrap();
    pacatlas::builds::write(&mut tx, service, rows).await.unwrap();
    tx.commit().await.unwrap();
}
