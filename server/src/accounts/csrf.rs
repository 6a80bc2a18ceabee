//! CSRF defence. One layer refuses every state-changing request (POST, PUT,
//! PATCH, DELETE) a browser says comes from another site (`Sec-Fetch-Site:
//! cross-site` or `same-site`, or an `Origin` of another host). Requests
//! with an `Authorization` header are API calls with a bearer token, which
//! a browser never adds to a cross-site request. Every form of a logged-in
//! person also carries the session's token (`csrf` field), checked by the
//! handler with `form_ok`, which also requires the request to name this
//! site (`Sec-Fetch-Site: same-origin`, or `Origin` / `Referer`).
use axum::{
    extract::{Request, State},
    http::{header, HeaderMap, Method, StatusCode},
    middleware::Next,
    response::{IntoResponse, Response},
};
use std::sync::Arc;

use crate::config::Config;

fn state_changing(method: &Method) -> bool {
    matches!(*method, Method::POST | Method::PUT | Method::PATCH | Method::DELETE)
}

fn authority(u: &url::Url) -> String {
    let host = u.host_str().unwrap_or_default().to_ascii_lowercase();
    match u.port() {
        Some(port) => format!("{host}:{port}"),
        None => host,
    }
}

/// Whether `source` (an Origin or Referer value) names this site: the host
/// the request was sent to, or the configured public URL.
fn names_this_site(source: &str, headers: &HeaderMap, public_url: Option<&str>) -> bool {
    let Ok(source) = url::Url::parse(source) else { return false };
    if !matches!(source.scheme(), "http" | "https") {
        return false;
    }
    let source = authority(&source);
    let host = headers.get(header::HOST).and_then(|v| v.to_str().ok()).map(str::to_ascii_lowercase);
    let public = public_url.and_then(|u| url::Url::parse(u).ok()).map(|u| authority(&u));
    host.as_deref() == Some(source.as_str()) || public.as_deref() == Some(source.as_str())
}

/// What the browser says of where the request comes from: `Some(true)`
/// this site, `Some(false)` another one, `None` it does not say.
pub fn from_this_site(headers: &HeaderMap, public_url: Option<&str>) -> Option<bool> {
    let text = |name| headers.get(name).and_then(|v: &header::HeaderValue| v.to_str().ok());
    match text("sec-fetch-site") {
        Some("cross-site") | Some("same-site") => return Some(false),
        _ => {}
    }
    if let Some(origin) = text(header::ORIGIN.as_str()) {
        return Some(names_this_site(origin, headers, public_url));
    }
    if text("sec-fetch-site") == Some("same-origin") {
        return Some(true);
    }
    text(header::REFERER.as_str()).map(|r| names_this_site(r, headers, public_url))
}

/// The layer: refuses state-changing requests from other sites.
pub async fn layer(State(config): State<Arc<Config>>, request: Request, next: Next) -> Response {
    if state_changing(request.method())
        && !request.headers().contains_key(header::AUTHORIZATION)
        && from_this_site(request.headers(), config.public_url.as_deref()) == Some(false)
    {
        let lang = app::i18n::from_headers(request.headers());
        // The language switch has its own words for it.
        let key = if request.uri().path() == "/lang" { "lang-switch-forbidden" } else { "accounts-csrf-refused" };
        return (StatusCode::FORBIDDEN, lang.t(key)).into_response();
    }
    next.run(request).await
}

/// A form of a logged-in person: sent from a page of this site, with the
/// session's token.
pub fn form_ok(headers: &HeaderMap, public_url: Option<&str>, expected: &str, given: &str) -> bool {
    from_this_site(headers, public_url) == Some(true) && !expected.is_empty() && constant_time_eq(expected, given)
}

fn constant_time_eq(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, HeaderValue::from_static(v));
        }
        h
    }

    #[test]
    fn sites() {
        let host = ("host", "127.0.0.1:3000");
        assert_eq!(from_this_site(&headers(&[host, ("origin", "http://127.0.0.1:3000")]), None), Some(true));
        assert_eq!(from_this_site(&headers(&[host, ("origin", "http://evil.example")]), None), Some(false));
        assert_eq!(from_this_site(&headers(&[host, ("sec-fetch-site", "cross-site")]), None), Some(false));
        assert_eq!(from_this_site(&headers(&[host, ("sec-fetch-site", "same-origin")]), None), Some(true));
        assert_eq!(from_this_site(&headers(&[host, ("referer", "http://127.0.0.1:3000/a")]), None), Some(true));
        assert_eq!(from_this_site(&headers(&[host]), None), None);
        assert!(form_ok(&headers(&[host, ("origin", "http://127.0.0.1:3000")]), None, "abc", "abc"));
        assert!(!form_ok(&headers(&[host, ("origin", "http://127.0.0.1:3000")]), None, "abc", "abd"));
        assert!(!form_ok(&headers(&[host]), None, "abc", "abc"));
    }
}
