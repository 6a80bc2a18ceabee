//! Helpers shared by the integration tests.
use axum::{body::Body, http::Request, Router};
use http_body_util::BodyExt;
use pacatlas::{config::Config, http::AppState};
use sqlx::PgPool;
use tower::ServiceExt;

/// The application router over `pool`, configured as in production.
pub fn app(pool: PgPool) -> Router {
    let config = Config { site_root: test_site_root(), ..Config::default() };
    pacatlas::http::router(AppState::new(config, pool))
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
    let response = app
        .clone()
        .oneshot(Request::get(path).body(Body::empty()).unwrap())
        .await
        .expect("router answers");
    let status = response.status().as_u16();
    let content_type = response
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    let bytes = response.into_body().collect().await.expect("body").to_bytes();
    Reply { status, content_type, body: String::from_utf8_lossy(&bytes).into_owned() }
}
