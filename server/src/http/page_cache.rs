//! Anonymous catalog pages and their JSON, rendered once per catalog
//! generation: a GET of a channel list, a channel or a package page is
//! answered from memory until the next ingest commits (the generation
//! changes, see `catalog::generation`), and conditionally (`ETag`, 304)
//! for clients that have it already. Search answers are kept the same way
//! per version of the search index (`search_version`), except degraded
//! ones (`Cache-Control: no-store`). Each answer from memory gets a fresh
//! CSP nonce: the page's nonce is replaced in the stored HTML. Concurrent
//! requests for a page not in memory wait for one rendering of it.
use std::{collections::HashMap, num::NonZeroUsize, sync::Arc, time::Duration};

use axum::{
    body::{Body, Bytes},
    extract::{Request, State},
    http::{header, HeaderMap, HeaderName, HeaderValue, Method, StatusCode},
    middleware::Next,
    response::{IntoResponse, Response},
};
use lru::LruCache;
use std::sync::Mutex;

use super::search_version::SearchVersion;
use crate::catalog::generation::CatalogGeneration;

/// Entries at most, whatever their size (the byte budget usually binds first).
const MAX_ENTRIES: usize = 100_000;
/// Answers larger than this are not kept.
const MAX_ENTRY_BYTES: usize = 2 << 20;
/// Longer path+query keys are not kept (crawlers' junk URLs).
const MAX_KEY_BYTES: usize = 512;
/// How long a request waits for another one's rendering of the same page
/// before rendering it itself.
const WAIT_FOR_RENDERING: Duration = Duration::from_secs(5);

pub struct PageCache {
    generation: Arc<CatalogGeneration>,
    search: Arc<SearchVersion>,
    budget: usize,
    /// Pages being rendered, and who waits for them.
    inflight: Mutex<HashMap<String, Arc<tokio::sync::Notify>>>,
    /// Differs between server processes: a new build may render differently.
    boot: String,
    state: Mutex<Stored>,
}

struct Stored {
    generation: i64,
    entries: LruCache<String, Arc<Entry>>,
    bytes: usize,
}

struct Entry {
    /// The search index version it was made at (search answers only).
    search: Option<i64>,
    status: StatusCode,
    headers: Vec<(HeaderName, HeaderValue)>,
    body: Bytes,
    /// The CSP nonce inside `body`, replaced per answer.
    nonce: Option<String>,
}

impl PageCache {
    pub fn new(generation: Arc<CatalogGeneration>, search: Arc<SearchVersion>, budget: usize) -> Arc<Self> {
        Arc::new(Self {
            generation,
            search,
            budget,
            inflight: Mutex::new(HashMap::new()),
            boot: uuid::Uuid::new_v4().simple().to_string()[..8].to_string(),
            state: Mutex::new(Stored {
                generation: 0,
                entries: LruCache::new(NonZeroUsize::new(MAX_ENTRIES).expect("non-zero")),
                bytes: 0,
            }),
        })
    }

    fn get(&self, generation: i64, search: Option<i64>, key: &str) -> Option<Arc<Entry>> {
        let mut s = self.state.lock().ok()?;
        if s.generation != generation {
            return None;
        }
        s.entries.get(key).filter(|e| e.search == search).cloned()
    }

    /// The generations a page of `source` depends on, when both are known.
    fn current(&self, source: Source) -> Option<(i64, Option<i64>)> {
        let catalog = self.generation.get()?;
        match source {
            Source::Catalog => Some((catalog, None)),
            Source::Search => Some((catalog, Some(self.search.get()?))),
        }
    }

    fn put(&self, generation: i64, key: String, entry: Entry) {
        let Ok(mut s) = self.state.lock() else { return };
        if s.generation != generation {
            if generation < s.generation {
                return;
            }
            s.entries.clear();
            s.bytes = 0;
            s.generation = generation;
        }
        let size = entry.body.len() + key.len();
        if let Some(old) = s.entries.put(key.clone(), Arc::new(entry)) {
            s.bytes -= old.body.len() + key.len();
        }
        s.bytes += size;
        while s.bytes > self.budget {
            match s.entries.pop_lru() {
                Some((k, e)) => s.bytes -= e.body.len() + k.len(),
                None => break,
            }
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Source {
    /// Made from the catalog alone.
    Catalog,
    /// Made from the search index (and the catalog).
    Search,
}

/// The pages and JSON this cache may keep, and what they are made from.
fn cacheable(path: &str) -> Option<Source> {
    if path == "/search" || path == "/api/v1/search" {
        return Some(Source::Search);
    }
    (path == "/packages"
        || path.starts_with("/packages/")
        || path.starts_with("/channels/")
        || path.starts_with("/api/v1/channels")
        || path.starts_with("/api/v1/packages/")
        || path == "/ci"
        || path.starts_with("/ci/")
        || path.starts_with("/api/v1/ci")
        || path == "/maintainers"
        || path.starts_with("/maintainers/")
        || path.starts_with("/api/v1/maintainers"))
    .then_some(Source::Catalog)
}

/// The entry's key: path and query, and for pages (not the JSON API, which
/// is English only) the language the request negotiates.
fn key_of(uri: &axum::http::Uri, headers: &HeaderMap) -> (String, Option<app::i18n::Lang>) {
    let key = uri.path_and_query().map(|p| p.as_str().to_string()).unwrap_or_default();
    if uri.path().starts_with("/api/") {
        return (key, None);
    }
    let lang = app::i18n::from_headers(headers);
    (format!("{}:{key}", lang.code()), Some(lang))
}

fn etag(cache: &PageCache, generation: i64, search: Option<i64>, lang: Option<app::i18n::Lang>) -> HeaderValue {
    // English, the default, keeps the plain tag (the JSON's).
    let lang = lang.filter(|l| *l != app::i18n::Lang::En).map(|l| format!("-{}", l.code())).unwrap_or_default();
    let search = search.map(|v| format!(".s{v}")).unwrap_or_default();
    HeaderValue::from_str(&format!("W/\"{}-{generation}{search}{lang}\"", cache.boot)).expect("ascii")
}

fn matches(headers: &HeaderMap, tag: &HeaderValue) -> bool {
    let Some(inm) = headers.get(header::IF_NONE_MATCH).and_then(|v| v.to_str().ok()) else { return false };
    let tag = tag.to_str().unwrap_or_default();
    let bare = tag.trim_start_matches("W/");
    inm.split(',').map(str::trim).any(|t| t == "*" || t == tag || t.trim_start_matches("W/") == bare)
}

fn validators(headers: &mut HeaderMap, tag: HeaderValue) {
    headers.insert(header::ETAG, tag);
    // Anonymous pages may be stored anywhere, but checked on every use: an
    // ingest can change them at any moment.
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("public, no-cache"));
}

/// The middleware: serve from memory, or render (once for all concurrent
/// requests of the page), keep and serve.
pub async fn serve(State(cache): State<Arc<PageCache>>, request: Request, next: Next) -> Response {
    // Everything else (the bundle, POSTs…) passes before any key is made;
    // so do requests of logged-in people (their pages name them).
    let Some(source) = cacheable(request.uri().path()).filter(|_| {
        request.method() == Method::GET && cache.budget > 0 && !crate::accounts::session::has_cookie(request.headers())
    }) else {
        return next.run(request).await;
    };
    let (key, lang) = key_of(request.uri(), request.headers());
    if key.len() > MAX_KEY_BYTES {
        return next.run(request).await;
    }
    let Some((generation, search)) = cache.current(source) else {
        return next.run(request).await;
    };
    let tag = etag(&cache, generation, search, lang);
    if matches(request.headers(), &tag) {
        let mut response = StatusCode::NOT_MODIFIED.into_response();
        validators(response.headers_mut(), tag);
        return response;
    }
    if let Some(entry) = cache.get(generation, search, &key) {
        return answer(&entry, tag);
    }
    // Another request is rendering this page: wait for it, then serve its copy.
    let leader = {
        let Ok(mut inflight) = cache.inflight.lock() else { return next.run(request).await };
        match inflight.get(&key) {
            Some(notify) => Err(notify.clone()),
            None => {
                let notify = Arc::new(tokio::sync::Notify::new());
                inflight.insert(key.clone(), notify.clone());
                Ok(notify)
            }
        }
    };
    let notify = match leader {
        Ok(notify) => notify,
        Err(notify) => {
            let notified = notify.notified();
            tokio::pin!(notified);
            // Registered before checking again: a rendering that ends in
            // between still wakes this request.
            notified.as_mut().enable();
            if let Some(entry) = cache.get(generation, search, &key) {
                return answer(&entry, tag);
            }
            let _ = tokio::time::timeout(WAIT_FOR_RENDERING, notified).await;
            if let Some(entry) = cache.get(generation, search, &key) {
                return answer(&entry, tag);
            }
            // Not kept (an error, a degraded answer): render it here.
            return next.run(request).await;
        }
    };
    let response = render_and_keep(&cache, request, next, key.clone(), (generation, search), tag).await;
    if let Ok(mut inflight) = cache.inflight.lock() {
        inflight.remove(&key);
    }
    notify.notify_waiters();
    response
}

async fn render_and_keep(
    cache: &PageCache,
    request: Request,
    next: Next,
    key: String,
    (generation, search): (i64, Option<i64>),
    tag: HeaderValue,
) -> Response {
    let source = if search.is_some() { Source::Search } else { Source::Catalog };
    let response = next.run(request).await;
    let no_store = response
        .headers()
        .get(header::CACHE_CONTROL)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("no-store"));
    let keep = matches!(response.status(), StatusCode::OK | StatusCode::NOT_FOUND)
        && !no_store
        && !response.headers().contains_key(header::SET_COOKIE)
        && response
            .headers()
            .get(header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok()?.parse::<usize>().ok())
            .is_none_or(|n| n <= MAX_ENTRY_BYTES);
    if !keep {
        return response;
    }
    let (parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, MAX_ENTRY_BYTES).await else {
        tracing::warn!(%key, "answer too large or broken; not cached");
        return (StatusCode::INTERNAL_SERVER_ERROR, "internal server error").into_response();
    };
    let entry = Entry {
        search,
        status: parts.status,
        headers: parts
            .headers
            .iter()
            .filter(|(name, _)| *name != header::CONTENT_LENGTH)
            .map(|(n, v)| (n.clone(), v.clone()))
            .collect(),
        nonce: nonce_in(&bytes),
        body: bytes,
    };
    // Made while the catalog or the index changed? Serve it, do not keep it.
    let response = answer(&entry, tag);
    if cache.current(source) == Some((generation, search)) {
        cache.put(generation, key, entry);
    }
    response
}

fn answer(entry: &Entry, tag: HeaderValue) -> Response {
    let body = match &entry.nonce {
        Some(old) => {
            let fresh = uuid::Uuid::new_v4().simple().to_string();
            let text = String::from_utf8_lossy(&entry.body).replace(old.as_str(), &fresh);
            Body::from(text)
        }
        None => Body::from(entry.body.clone()),
    };
    let mut response = Response::new(body);
    *response.status_mut() = entry.status;
    for (name, value) in &entry.headers {
        response.headers_mut().append(name.clone(), value.clone());
    }
    validators(response.headers_mut(), tag);
    response
}

/// The nonce of the page's script policy (`'nonce-…'`), if it has one.
fn nonce_in(body: &[u8]) -> Option<String> {
    let at = memchr::memmem::find(body, b"'nonce-")? + 7;
    let len = body[at..].iter().position(|b| *b == b'\'')?;
    let nonce = std::str::from_utf8(&body[at..at + len]).ok()?;
    // Long and plain enough not to occur by chance in the page's text.
    (nonce.len() >= 16
        && nonce.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'+' | b'/' | b'=')))
    .then(|| nonce.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_nonce_is_read_from_the_policy() {
        let page = br#"<meta content="script-src 'self' 'nonce-AbC_def-0123456789xyz' 'wasm-unsafe-eval'"><script nonce="AbC_def-0123456789xyz">"#;
        assert_eq!(nonce_in(page).as_deref(), Some("AbC_def-0123456789xyz"));
        assert_eq!(nonce_in(b"{\"json\": true}"), None);
        assert_eq!(nonce_in(b"'nonce-short'"), None);
    }

    #[test]
    fn the_byte_budget_evicts_the_least_recently_used() {
        let cache = PageCache::new(CatalogGeneration::new(), SearchVersion::new(), 250);
        let entry = |n: usize| Entry {
            search: None,
            status: StatusCode::OK,
            headers: vec![],
            body: Bytes::from(vec![b'x'; n]),
            nonce: None,
        };
        cache.put(1, "/a".into(), entry(100));
        cache.put(1, "/b".into(), entry(100));
        assert!(cache.get(1, None, "/a").is_some());
        cache.put(1, "/c".into(), entry(100));
        assert!(cache.get(1, None, "/b").is_none(), "least recently used goes first");
        assert!(cache.get(1, None, "/a").is_some() && cache.get(1, None, "/c").is_some());
        // A new generation empties it; an older one is never stored.
        cache.put(2, "/d".into(), entry(10));
        assert!(cache.get(2, None, "/a").is_none() && cache.get(1, None, "/a").is_none());
        cache.put(1, "/e".into(), entry(10));
        assert!(cache.get(2, None, "/e").is_none());
    }

    #[test]
    fn pages_are_kept_and_tagged_per_language() {
        let uri: axum::http::Uri = "/packages/spack/builtin/hdf5?x=1".parse().unwrap();
        let with = |name: HeaderName, v: &'static str| {
            let mut h = HeaderMap::new();
            h.insert(name, HeaderValue::from_static(v));
            h
        };
        let (en, en_lang) = key_of(&uri, &HeaderMap::new());
        let (fr, fr_lang) = key_of(&uri, &with(header::ACCEPT_LANGUAGE, "fr-FR,fr;q=0.9"));
        let (chosen, _) = key_of(&uri, &with(header::COOKIE, "lang=fr"));
        assert_eq!(en, "en:/packages/spack/builtin/hdf5?x=1");
        assert_eq!(fr, "fr:/packages/spack/builtin/hdf5?x=1");
        assert_eq!(chosen, fr);
        let cache = PageCache::new(CatalogGeneration::new(), SearchVersion::new(), 1000);
        assert_ne!(
            etag(&cache, 3, None, en_lang),
            etag(&cache, 3, None, fr_lang),
            "a French page never revalidates an English one"
        );
        assert_ne!(
            etag(&cache, 3, Some(1), None),
            etag(&cache, 3, Some(2), None),
            "search answers change with the index"
        );
        let api: axum::http::Uri = "/api/v1/channels".parse().unwrap();
        assert_eq!(
            key_of(&api, &with(header::ACCEPT_LANGUAGE, "fr")),
            ("/api/v1/channels".to_string(), None),
            "JSON is English only"
        );
    }

    #[test]
    fn if_none_match_accepts_lists_weak_tags_and_star() {
        let tag = HeaderValue::from_static("W/\"abc-7\"");
        let with = |v: &'static str| {
            let mut h = HeaderMap::new();
            h.insert(header::IF_NONE_MATCH, HeaderValue::from_static(v));
            h
        };
        assert!(matches(&with("W/\"abc-7\""), &tag));
        assert!(matches(&with("\"x\", \"abc-7\""), &tag));
        assert!(matches(&with("*"), &tag));
        assert!(!matches(&with("W/\"abc-6\""), &tag));
        assert!(!matches(&HeaderMap::new(), &tag));
    }
}
