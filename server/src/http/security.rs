//! Security headers on every answer: no MIME sniffing, no framing
//! (clickjacking), no cross-site referrer paths, and a Content Security
//! Policy that forbids plugins, foreign `<base>` and form targets. Pages
//! restrict scripts with a second, per-response policy carrying the nonce of
//! their inline scripts (`app/src/shell.rs`).
use axum::{
    http::{header, HeaderValue},
    Router,
};
use tower_http::set_header::SetResponseHeaderLayer;

pub const CONTENT_SECURITY_POLICY: &str =
    "frame-ancestors 'none'; base-uri 'self'; object-src 'none'; form-action 'self'";

pub fn with_headers<S: Clone + Send + Sync + 'static>(router: Router<S>) -> Router<S> {
    let set = |name, value| SetResponseHeaderLayer::if_not_present(name, HeaderValue::from_static(value));
    router
        .layer(set(header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .layer(set(header::X_FRAME_OPTIONS, "DENY"))
        .layer(set(header::REFERRER_POLICY, "strict-origin-when-cross-origin"))
        .layer(set(header::CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY))
}
