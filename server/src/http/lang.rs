//! The language switch (`POST /lang`) and `Vary` on pages.
//!
//! The header's switch is a plain form: it works without JavaScript. The
//! answer sets the `lang` cookie (a year, `SameSite=Lax`) and sends the
//! visitor back (303) to the page they were on, a path of this site only.
//! Only same-origin forms may change it (`Origin`, else `Referer`).
use axum::{
    extract::{Request, State},
    http::{header, HeaderMap, HeaderValue, Method, StatusCode},
    middleware::Next,
    response::{IntoResponse, Response},
    routing::post,
    Form, Router,
};
use serde::Deserialize;

use super::AppState;
use app::i18n::{lang::COOKIE, Lang};

pub fn routes() -> Router<AppState> {
    Router::new().route("/lang", post(switch))
}

#[derive(Deserialize)]
struct Choice {
    lang: String,
    #[serde(rename = "return", default)]
    back: String,
}

async fn switch(State(state): State<AppState>, headers: HeaderMap, Form(choice): Form<Choice>) -> Response {
    let current = app::i18n::from_headers(&headers);
    if !same_origin(&headers, state.config.public_url.as_deref()) {
        return (StatusCode::FORBIDDEN, current.t("lang-switch-forbidden")).into_response();
    }
    let Some(lang) = Lang::from_tag(&choice.lang) else {
        return (StatusCode::BAD_REQUEST, current.t("lang-switch-unknown")).into_response();
    };
    let cookie = format!("{COOKIE}={}; Path=/; Max-Age=31536000; SameSite=Lax; HttpOnly", lang.code());
    let location = HeaderValue::from_str(&return_path(&choice.back)).unwrap_or(HeaderValue::from_static("/"));
    let mut response = StatusCode::SEE_OTHER.into_response();
    response.headers_mut().insert(header::LOCATION, location);
    if let Ok(value) = HeaderValue::from_str(&cookie) {
        response.headers_mut().insert(header::SET_COOKIE, value);
    }
    response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// Where to send the visitor back: a path of this site (`/…`, not `//…`,
/// no backslash or control character), else the home page. Anything that
/// is not plain ASCII is percent-encoded, so it fits in `Location`.
pub(crate) fn return_path(back: &str) -> String {
    let local = back.starts_with('/')
        && !back.starts_with("//")
        && !back.contains('\\')
        && !back.chars().any(char::is_control)
        && back.len() <= 2048;
    if !local {
        return "/".to_string();
    }
    let mut out = String::with_capacity(back.len());
    for byte in back.bytes() {
        if byte.is_ascii_graphic() {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// The request comes from a page of this site: its `Origin` (or, when a
/// browser sends none, its `Referer`) names the host the request was sent
/// to, or the configured public URL.
fn same_origin(headers: &HeaderMap, public_url: Option<&str>) -> bool {
    let source = headers
        .get(header::ORIGIN)
        .or_else(|| headers.get(header::REFERER))
        .and_then(|v| v.to_str().ok())
        .and_then(|v| url::Url::parse(v).ok());
    let Some(source) = source else { return false };
    if !matches!(source.scheme(), "http" | "https") {
        return false;
    }
    let authority = |u: &url::Url| {
        let host = u.host_str().unwrap_or_default().to_ascii_lowercase();
        match u.port() {
            Some(port) => format!("{host}:{port}"),
            None => host,
        }
    };
    let source = authority(&source);
    let host = headers.get(header::HOST).and_then(|v| v.to_str().ok()).map(str::to_ascii_lowercase);
    let public = public_url.and_then(|u| url::Url::parse(u).ok()).map(|u| authority(&u));
    host.as_deref() == Some(source.as_str()) || public.as_deref() == Some(source.as_str())
}

/// Pages depend on the language: tell caches which request headers choose
/// it. (The JSON API and static files do not.)
pub async fn vary(request: Request, next: Next) -> Response {
    let page = request.method() == Method::GET || request.method() == Method::HEAD;
    let path = request.uri().path();
    let page = page && !path.starts_with("/api/") && !path.starts_with("/pkg/");
    let mut response = next.run(request).await;
    let html = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| t.starts_with("text/html"));
    if page && (html || response.status() == StatusCode::NOT_MODIFIED) {
        response.headers_mut().append(header::VARY, HeaderValue::from_static("Cookie, Accept-Language"));
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_local_paths_are_returned_to() {
        assert_eq!(return_path("/packages/spack/builtin/hdf5"), "/packages/spack/builtin/hdf5");
        assert_eq!(return_path("/search?q=hdf5&ecosystem=spack"), "/search?q=hdf5&ecosystem=spack");
        assert_eq!(return_path("//evil.example/x"), "/");
        assert_eq!(return_path("/\\evil.example"), "/");
        assert_eq!(return_path("https://evil.example/"), "/");
        assert_eq!(return_path("/a\r\nSet-Cookie: x=1"), "/");
        assert_eq!(return_path(""), "/");
        assert_eq!(return_path("/search?q=é"), "/search?q=%C3%A9");
    }

    #[test]
    fn same_origin_by_origin_or_referer() {
        let headers = |pairs: &[(header::HeaderName, &'static str)]| {
            let mut h = HeaderMap::new();
            for (k, v) in pairs {
                h.insert(k.clone(), HeaderValue::from_static(v));
            }
            h
        };
        let host = (header::HOST, "127.0.0.1:3000");
        assert!(same_origin(&headers(&[host.clone(), (header::ORIGIN, "http://127.0.0.1:3000")]), None));
        assert!(same_origin(&headers(&[host.clone(), (header::REFERER, "http://127.0.0.1:3000/packages")]), None));
        assert!(!same_origin(&headers(&[host.clone(), (header::ORIGIN, "http://evil.example")]), None));
        assert!(!same_origin(&headers(&[host.clone(), (header::ORIGIN, "null")]), None));
        assert!(!same_origin(&headers(std::slice::from_ref(&host)), None), "neither Origin nor Referer");
        let proxied = [(header::HOST, "internal:3000"), (header::ORIGIN, "https://pacatlas.example.org")];
        assert!(same_origin(&headers(&proxied), Some("https://pacatlas.example.org/")));
        assert!(!same_origin(&headers(&proxied), None));
    }
}
