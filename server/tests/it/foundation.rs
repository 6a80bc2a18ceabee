//! The page shell, health endpoints and the 404 page through the real router.
use sqlx::PgPool;

use crate::support::{app, app_on_this_pool, get};

#[sqlx::test(migrations = "../migrations")]
async fn home_page_renders_the_shell(pool: PgPool) {
    let app = app(pool);
    let reply = get(&app, "/").await;
    assert_eq!(reply.status, 200);
    assert!(reply.content_type.starts_with("text/html"), "{}", reply.content_type);
    let html = reply.body;
    // The shell: search box as a plain GET form to /search, the navigation, a footer.
    assert!(html.contains(r#"action="/search""#), "search form missing");
    assert!(html.contains(r#"name="q""#));
    for (label, href) in app::components::layout::NAV_AREAS {
        assert!(html.contains(&format!(r#"href="{href}""#)), "nav link {href} missing");
        assert!(html.contains(label), "nav label {label} missing");
    }
    assert!(html.contains("<footer"), "footer missing");
    assert!(html.contains("<main"), "main landmark missing");
    assert!(html.contains(r#"<html lang="en""#));
    // Hydration bundle is referenced.
    assert!(html.contains("/pkg/pacatlas.js"), "hydration script missing");
    assert!(html.contains("<title>Pacatlas</title>"), "title missing: {html}");
}

#[sqlx::test(migrations = "../migrations")]
async fn healthz_answers_without_touching_the_database(pool: PgPool) {
    let app = app_on_this_pool(pool.clone());
    pool.close().await;
    let reply = get(&app, "/healthz").await;
    assert_eq!(reply.status, 200);
    let json: serde_json::Value = serde_json::from_str(&reply.body).unwrap();
    assert_eq!(json["status"], "ok");
}

#[sqlx::test(migrations = "../migrations")]
async fn readyz_reports_the_database(pool: PgPool) {
    let app = app_on_this_pool(pool.clone());
    let reply = get(&app, "/readyz").await;
    assert_eq!(reply.status, 200);
    let json: serde_json::Value = serde_json::from_str(&reply.body).unwrap();
    assert_eq!(json["database"], "ok");

    // With the pool closed the database is unreachable: 503, not a panic.
    pool.close().await;
    let reply = get(&app, "/readyz").await;
    assert_eq!(reply.status, 503);
    let json: serde_json::Value = serde_json::from_str(&reply.body).unwrap();
    assert_eq!(json["status"], "unavailable");
}

#[sqlx::test(migrations = "../migrations")]
async fn missing_page_is_a_404_page(pool: PgPool) {
    let app = app(pool);
    let reply = get(&app, "/no/such/page").await;
    assert_eq!(reply.status, 404);
    assert!(reply.content_type.starts_with("text/html"));
    assert!(reply.body.contains("Page not found"));
    // Still inside the shell, so the user can search from there.
    assert!(reply.body.contains(r#"action="/search""#));
}

#[sqlx::test(migrations = "../migrations")]
async fn every_response_carries_a_request_id(pool: PgPool) {
    use axum::{body::Body, http::Request};
    use tower::ServiceExt;
    let response = app(pool).oneshot(Request::get("/healthz").body(Body::empty()).unwrap()).await.unwrap();
    let id = response.headers().get("x-request-id").expect("x-request-id header");
    assert_eq!(id.to_str().unwrap().len(), 36, "a UUID");
}

#[sqlx::test(migrations = "../migrations")]
async fn every_response_carries_the_security_headers(pool: PgPool) {
    use axum::{body::Body, http::Request};
    use tower::ServiceExt;
    let app = app(pool);
    for path in ["/", "/search?q=x", "/api/v1/channels", "/no/such/page", "/healthz"] {
        let response = app.clone().oneshot(Request::get(path).body(Body::empty()).unwrap()).await.unwrap();
        let h = response.headers();
        let value = |name: &str| h.get(name).map(|v| v.to_str().unwrap().to_string());
        assert_eq!(value("x-content-type-options").as_deref(), Some("nosniff"), "{path}");
        assert_eq!(value("x-frame-options").as_deref(), Some("DENY"), "{path}");
        assert_eq!(value("referrer-policy").as_deref(), Some("strict-origin-when-cross-origin"), "{path}");
        let csp = value("content-security-policy").unwrap_or_default();
        assert!(csp.contains("frame-ancestors 'none'") && csp.contains("object-src 'none'"), "{path}: {csp}");
    }
}

#[sqlx::test(migrations = "../migrations")]
async fn a_client_over_the_rate_limit_gets_429_with_retry_after(pool: PgPool) {
    use axum::{body::Body, extract::ConnectInfo, http::Request};
    use std::net::SocketAddr;
    use tower::ServiceExt;
    let config = pacatlas::config::Config { rate_limit_per_second: 1, rate_limit_burst: 3, ..Default::default() };
    let index = std::sync::Arc::new(pacatlas::search::embedded::EmbeddedIndex::in_memory().unwrap());
    let app = crate::support::app_with_config(pool, index, config);
    let from = |ip: [u8; 4]| {
        let mut request = Request::get("/healthz").body(Body::empty()).unwrap();
        request.extensions_mut().insert(ConnectInfo(SocketAddr::from((ip, 40000))));
        request
    };
    for _ in 0..3 {
        assert_eq!(app.clone().oneshot(from([10, 0, 0, 1])).await.unwrap().status(), 200, "within the burst");
    }
    let refused = app.clone().oneshot(from([10, 0, 0, 1])).await.unwrap();
    assert_eq!(refused.status(), 429);
    let wait: u64 = refused.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert!(wait <= 1, "one request a second: {wait}");
    assert_eq!(refused.headers()["x-content-type-options"], "nosniff", "a refusal still carries the headers");
    // Another client has its own budget.
    assert_eq!(app.clone().oneshot(from([10, 0, 0, 2])).await.unwrap().status(), 200);
}

#[sqlx::test(migrations = "../migrations")]
async fn inline_scripts_carry_the_nonce_the_page_policy_allows(pool: PgPool) {
    let app = app(pool);
    let page = get(&app, "/").await.body;
    let policy_at = page.find(r#"http-equiv="Content-Security-Policy""#).expect("a CSP meta element");
    assert!(policy_at < page.find("<script").expect("scripts"), "the policy comes before every script");
    let nonce = page.split("'nonce-").nth(1).and_then(|rest| rest.split('\'').next()).expect("a nonce in the policy");
    assert!(nonce.len() >= 16, "{nonce}");
    assert!(page.contains("'wasm-unsafe-eval'"));
    let scripts = page.matches("<script").count();
    assert!(scripts > 0);
    assert_eq!(page.matches(&format!(r#"nonce="{nonce}""#)).count(), scripts, "every inline script has the nonce");
    // A new response, a new nonce.
    let again = get(&app, "/").await.body;
    assert!(!again.contains(nonce));
}

#[sqlx::test(migrations = "../migrations")]
async fn the_json_api_is_readable_from_other_sites_and_the_pages_are_not(pool: PgPool) {
    use axum::{body::Body, http::Request};
    use tower::ServiceExt;
    let app = app(pool);
    let from_elsewhere =
        |path: &str| Request::get(path).header("origin", "https://tool.example").body(Body::empty()).unwrap();
    for path in ["/api/v1/channels", "/api/v1/search?q=x", "/api/v1/openapi.json"] {
        let response = app.clone().oneshot(from_elsewhere(path)).await.unwrap();
        assert_eq!(
            response.headers().get("access-control-allow-origin").map(|v| v.to_str().unwrap()),
            Some("*"),
            "{path}"
        );
    }
    let page = app.clone().oneshot(from_elsewhere("/")).await.unwrap();
    assert!(page.headers().get("access-control-allow-origin").is_none());
    let fns = app.oneshot(from_elsewhere("/fn/channels")).await.unwrap();
    assert!(fns.headers().get("access-control-allow-origin").is_none(), "server functions stay same-origin");
}

#[sqlx::test(migrations = "../migrations")]
async fn answers_are_compressed_for_clients_that_accept_it(pool: PgPool) {
    use axum::{body::Body, http::Request};
    use http_body_util::BodyExt;
    use tower::ServiceExt;
    let app = app(pool);
    let plain = app.clone().oneshot(Request::get("/").body(Body::empty()).unwrap()).await.unwrap();
    assert!(plain.headers().get("content-encoding").is_none());
    let plain_len = plain.into_body().collect().await.unwrap().to_bytes().len();
    for encoding in ["gzip", "br"] {
        let request = Request::get("/").header("accept-encoding", encoding).body(Body::empty()).unwrap();
        let response = app.clone().oneshot(request).await.unwrap();
        assert_eq!(response.headers()["content-encoding"], encoding);
        let len = response.into_body().collect().await.unwrap().to_bytes().len();
        assert!(len * 2 < plain_len, "{encoding}: {len} bytes vs {plain_len}");
    }
}

#[sqlx::test(migrations = "../migrations")]
async fn the_browser_bundle_is_revalidated_not_kept(pool: PgPool) {
    use axum::{body::Body, http::Request};
    use tower::ServiceExt;
    let pkg = std::env::temp_dir().join("pacatlas-test-site").join("pkg");
    std::fs::create_dir_all(&pkg).unwrap();
    std::fs::write(pkg.join("probe.js"), "export {};\n").unwrap();
    let app = app(pool);
    let first = app.clone().oneshot(Request::get("/pkg/probe.js").body(Body::empty()).unwrap()).await.unwrap();
    assert_eq!(first.status(), 200);
    assert_eq!(first.headers()["cache-control"], "no-cache");
    let modified = first.headers()["last-modified"].clone();
    let again = Request::get("/pkg/probe.js").header("if-modified-since", modified).body(Body::empty()).unwrap();
    assert_eq!(app.clone().oneshot(again).await.unwrap().status(), 304, "unchanged: not sent again");
    let page = app.oneshot(Request::get("/").body(Body::empty()).unwrap()).await.unwrap();
    assert!(page.headers().get("cache-control").is_none_or(|v| v != "no-cache"), "pages are not touched");
}

#[sqlx::test(migrations = "../migrations")]
async fn migrations_are_idempotent(pool: PgPool) {
    // Already migrated by sqlx::test; running again applies nothing and fails nothing.
    pacatlas::db::migrate(&pool).await.expect("second run");
    let trgm: Option<String> = sqlx::query_scalar("SELECT extname::text FROM pg_extension WHERE extname = 'pg_trgm'")
        .fetch_optional(&pool)
        .await
        .unwrap();
    assert_eq!(trgm.as_deref(), Some("pg_trgm"));
}
