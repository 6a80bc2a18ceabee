//! What keeps one request from hurting the server: a time limit (503 with
//! `Retry-After` when it runs out), a cap on request bodies (413), and a
//! panic catcher that answers 500 instead of dropping the connection.
use std::time::Duration;

use axum::{
    extract::{DefaultBodyLimit, Request, State},
    http::{header, HeaderValue, StatusCode},
    middleware::{self, Next},
    response::{IntoResponse, Response},
    Router,
};
use tower_http::catch_panic::CatchPanicLayer;

/// Seconds a client should wait after a 503 of ours.
pub const RETRY_AFTER_SECS: u32 = app::api::catalog::RETRY_AFTER_SECS;

/// Applies the limits to every route of `router`.
pub fn with_limits<S: Clone + Send + Sync + 'static>(
    router: Router<S>,
    timeout: Duration,
    body_max_bytes: usize,
) -> Router<S> {
    // Extractors honour the first; the second bounds any other body reader
    // (server functions) and refuses a too large Content-Length at once.
    let router = router
        .layer(DefaultBodyLimit::max(body_max_bytes))
        .layer(tower_http::limit::RequestBodyLimitLayer::new(body_max_bytes));
    let router =
        if timeout.is_zero() { router } else { router.layer(middleware::from_fn_with_state(timeout, time_limit)) };
    router.layer(CatchPanicLayer::custom(on_panic)).layer(middleware::from_fn(localize_panic))
}

/// Marks the answer `on_panic` made, so that `localize_panic` can write it
/// in the reader's language (the panic handler never sees the request).
#[derive(Clone, Copy)]
struct PanicAnswer;

async fn localize_panic(request: Request, next: Next) -> Response {
    let lang = if request.uri().path().starts_with("/api/") {
        app::i18n::Lang::En
    } else {
        app::i18n::from_headers(request.headers())
    };
    let response = next.run(request).await;
    if response.extensions().get::<PanicAnswer>().is_none() {
        return response;
    }
    (StatusCode::INTERNAL_SERVER_ERROR, lang.t("server-panic")).into_response()
}

async fn time_limit(State(limit): State<Duration>, request: Request, next: Next) -> Response {
    let path = request.uri().path().to_string();
    // A person reads it in the page's language; the JSON API stays English.
    let lang = if path.starts_with("/api/") { app::i18n::Lang::En } else { app::i18n::from_headers(request.headers()) };
    match tokio::time::timeout(limit, next.run(request)).await {
        Ok(response) => response,
        Err(_) => {
            tracing::warn!(%path, limit_secs = limit.as_secs_f64(), "request timed out");
            unavailable(lang.t("server-timeout"))
        }
    }
}

/// 503 with `Retry-After` and a short text a person can read.
pub fn unavailable(message: String) -> Response {
    let mut response = (StatusCode::SERVICE_UNAVAILABLE, message).into_response();
    response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(RETRY_AFTER_SECS));
    response
}

fn on_panic(panic: Box<dyn std::any::Any + Send + 'static>) -> Response {
    let what = panic
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| panic.downcast_ref::<&str>().copied())
        .unwrap_or("(no message)");
    tracing::error!(panic = what, "a request handler panicked");
    let mut response =
        (StatusCode::INTERNAL_SERVER_ERROR, "Internal server error: the problem was logged.").into_response();
    response.extensions_mut().insert(PanicAnswer);
    response
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::{
        body::Body,
        routing::{get, post},
    };
    use tower::ServiceExt;

    fn app() -> Router {
        let router = Router::new()
            .route("/panic", get(|| async { panic!("boom") as &'static str }))
            .route(
                "/slow",
                get(|| async {
                    tokio::time::sleep(Duration::from_secs(60)).await;
                    "late"
                }),
            )
            .route("/echo", post(|body: String| async move { body.len().to_string() }));
        with_limits(router, Duration::from_millis(200), 1024)
    }

    async fn status(request: Request<Body>) -> (StatusCode, Option<String>) {
        let r = app().oneshot(request).await.unwrap();
        (r.status(), r.headers().get(header::RETRY_AFTER).map(|v| v.to_str().unwrap().to_string()))
    }

    #[tokio::test]
    async fn a_panicking_handler_answers_500_in_the_readers_language() {
        let (s, _) = status(Request::get("/panic").body(Body::empty()).unwrap()).await;
        assert_eq!(s, StatusCode::INTERNAL_SERVER_ERROR);
        let french = Request::get("/panic").header("accept-language", "fr").body(Body::empty()).unwrap();
        let r = app().oneshot(french).await.unwrap();
        assert_eq!(r.status(), StatusCode::INTERNAL_SERVER_ERROR);
        let body = axum::body::to_bytes(r.into_body(), 1 << 16).await.unwrap();
        assert!(String::from_utf8_lossy(&body).contains("Erreur interne du serveur"));
    }

    #[tokio::test]
    async fn a_slow_handler_answers_503_with_retry_after() {
        let started = std::time::Instant::now();
        let (s, retry) = status(Request::get("/slow").body(Body::empty()).unwrap()).await;
        assert_eq!(s, StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(retry.as_deref(), Some("30"));
        assert!(started.elapsed() < Duration::from_secs(5));
    }

    #[tokio::test]
    async fn the_time_limit_text_is_in_the_readers_language() {
        let text = |lang: &'static str| async move {
            let request = Request::get("/slow").header(header::ACCEPT_LANGUAGE, lang).body(Body::empty()).unwrap();
            let body = axum::body::to_bytes(app().oneshot(request).await.unwrap().into_body(), 4096).await.unwrap();
            String::from_utf8_lossy(&body).into_owned()
        };
        assert!(text("fr").await.starts_with("Le serveur a mis trop de temps"));
        assert!(text("en").await.starts_with("The server took too long"));
    }

    #[tokio::test]
    async fn a_large_body_answers_413() {
        let (s, _) = status(Request::post("/echo").body(Body::from(vec![b'x'; 4096])).unwrap()).await;
        assert_eq!(s, StatusCode::PAYLOAD_TOO_LARGE);
        let (s, _) = status(Request::post("/echo").body(Body::from(vec![b'x'; 100])).unwrap()).await;
        assert_eq!(s, StatusCode::OK);
    }
}
