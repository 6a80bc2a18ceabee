//! English and French through the real router: every page in both
//! languages, the cookie before `Accept-Language`, `<html lang>`, `Vary`,
//! the language switch, the page cache per language, and never a raw
//! catalogue key or an unfilled `{ $placeholder }` on a page.
use std::{collections::BTreeSet, sync::Arc, time::Duration};

use axum::{
    body::Body,
    http::{HeaderMap, Request},
    Router,
};
use http_body_util::BodyExt;
use pacatlas::{
    catalog::Ecosystem,
    config::Config,
    http::AppState,
    search::{embedded::EmbeddedIndex, meili::MeiliIndex, service::SearchService, SearchIndex},
};
use sqlx::PgPool;
use tower::ServiceExt;

use crate::support::{app_with, fixture, ingest, temp_file};

struct Page {
    status: u16,
    headers: HeaderMap,
    body: String,
}

async fn fetch(app: &Router, path: &str, headers: &[(&str, &str)]) -> Page {
    let mut request = Request::get(path);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    send(app, request.body(Body::empty()).unwrap()).await
}

async fn send(app: &Router, request: Request<Body>) -> Page {
    let response = app.clone().oneshot(request).await.unwrap();
    let (parts, body) = response.into_parts();
    let body = String::from_utf8_lossy(&body.collect().await.unwrap().to_bytes()).into_owned();
    Page { status: parts.status.as_u16(), headers: parts.headers, body }
}

/// Every message id of the English catalogue (the French one has the same:
/// a unit test of the app checks it).
fn catalogue_keys() -> BTreeSet<String> {
    crate::support::catalogue("en")
        .lines()
        .filter_map(|l| l.split_once(" =").map(|(k, _)| k))
        .filter(|k| !k.is_empty() && k.bytes().all(|b| b.is_ascii_lowercase() || b == b'-'))
        .map(str::to_string)
        .collect()
}

/// What a reader sees or hears: text between tags and the attributes that
/// are read out or shown (labels, placeholders, titles, descriptions).
fn visible_text(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(end) = rest.find('<') {
        out.push(rest[..end].to_string());
        let Some(close) = rest[end..].find('>') else { break };
        let tag = &rest[end..end + close];
        for attr in ["aria-label=\"", "placeholder=\"", "title=\"", "content=\"", "alt=\""] {
            if let Some(at) = tag.find(attr) {
                let value = &tag[at + attr.len()..];
                out.push(value[..value.find('"').unwrap_or(value.len())].to_string());
            }
        }
        rest = &rest[end + close + 1..];
    }
    out.push(rest.to_string());
    // Scripts carry serialised data, not text.
    out.retain(|t| !t.trim_start().starts_with("__RESOLVED_RESOURCES") && !t.contains("window.__"));
    out
}

fn assert_no_raw_text(path: &str, lang: &str, html: &str, keys: &BTreeSet<String>) {
    for text in visible_text(html) {
        for word in text.split(|c: char| c.is_whitespace() || matches!(c, ',' | '.' | '(' | ')' | ':' | ';' | '"')) {
            assert!(!keys.contains(word), "{path} ({lang}) shows the raw key {word:?} in {text:?}");
        }
        assert!(!text.contains("{$") && !text.contains("{ $"), "{path} ({lang}) shows a placeholder: {text:?}");
        assert!(
            !text.contains('\u{2068}') && !text.contains('\u{2069}'),
            "{path} ({lang}) has isolation marks: {text:?}"
        );
    }
}

async fn loaded_app(pool: &PgPool) -> Router {
    ingest(pool, Ecosystem::Spack, "builtin", Some("good"), &[fixture("spack-rich.json")]).await.unwrap();
    ingest(pool, Ecosystem::Guix, "guix", None, &[fixture("guix-packages.json"), fixture("guix-sources.json")])
        .await
        .unwrap();
    // A failed ingest, for the channel page's "Failed ingests" table.
    let dir = tempfile::tempdir().unwrap();
    let good = std::fs::read_to_string(fixture("spack-rich.json")).unwrap();
    let bad =
        temp_file(&dir, "broken.json", good.replacen("\"version\": \"3.31.6\"", "\"version\": 3.31", 1).as_bytes());
    ingest(pool, Ecosystem::Spack, "builtin", Some("bad"), &[bad]).await.unwrap_err();
    let index: Arc<dyn SearchIndex> = Arc::new(EmbeddedIndex::in_memory().unwrap());
    SearchService::new(index.clone(), pool.clone()).sync().await.unwrap();
    app_with(pool.clone(), index)
}

/// (path, status, an English text, a French text) for every page there is.
const PAGES: [(&str, u16, &str, &str); 9] = [
    ("/", 200, "The atlas of HPC packages", "L’atlas des paquets HPC"),
    ("/packages", 200, "2 channels, ", "2 canaux, "),
    ("/channels/spack/builtin", 200, "Ingest history", "Historique des imports"),
    ("/channels/spack/nowhere", 404, "Channel not found", "Canal introuvable"),
    ("/packages/spack/builtin/hdf5", 200, "Dependencies (", "Dépendances ("),
    ("/packages/spack/builtin/nowhere", 404, "Package not found", "Paquet introuvable"),
    ("/search?q=hdf5", 200, "aria-label=\"Filters\"", "aria-label=\"Filtres\""),
    ("/search?q=zzqxnothing", 200, "No package matches", "Aucun paquet ne correspond"),
    ("/no/such/page", 404, "Page not found", "Page introuvable"),
];

#[sqlx::test(migrations = "../migrations")]
async fn every_page_in_both_languages(pool: PgPool) {
    let app = loaded_app(&pool).await;
    let keys = catalogue_keys();
    assert!(keys.len() > 100 && keys.contains("home-title"), "the catalogue was read: {}", keys.len());
    for (path, status, english, french) in PAGES {
        for (accept, lang, expected, other) in
            [("en-GB,en;q=0.9", "en", english, french), ("fr-FR,fr;q=0.9,en;q=0.5", "fr", french, english)]
        {
            let page = fetch(&app, path, &[("accept-language", accept)]).await;
            assert_eq!(page.status, status, "{path} ({lang}): {:.600}", page.body);
            assert!(page.body.contains(&format!("<html lang=\"{lang}\"")), "{path} ({lang}): <html lang>");
            assert!(page.body.contains(expected), "{path} ({lang}) lacks {expected:?}");
            assert!(!page.body.contains(other), "{path} ({lang}) has the other language's {other:?}");
            let vary = page
                .headers
                .get_all("vary")
                .iter()
                .map(|v| v.to_str().unwrap().to_ascii_lowercase())
                .collect::<Vec<_>>()
                .join(", ");
            assert!(vary.contains("accept-language") && vary.contains("cookie"), "{path} ({lang}): Vary {vary:?}");
            assert_no_raw_text(path, lang, &page.body, &keys);
        }
    }
    // Formats and the server-side messages of the pages.
    let fr = |path: &'static str| {
        let app = app.clone();
        async move { fetch(&app, path, &[("accept-language", "fr")]).await.body }
    };
    let channel = fr("/channels/spack/builtin").await;
    assert!(channel.contains("Imports échoués") && channel.contains("Erreur"), "the failed-ingest table in French");
    assert!(channel.contains("\u{a0}s</td>"), "durations as `0,1 s`");
    // Dates: `<time datetime="2026-11-24T12:26:06Z">24 nov. 2026, 12:26 UTC</time>`.
    let time = channel.split("<time datetime=\"").nth(1).expect("a date on the channel page");
    let (stamp, rest) = time.split_once("\">").unwrap();
    let shown = rest.split("</time>").next().unwrap();
    assert_eq!(shown, app::i18n::format::date_time(app::i18n::Lang::Fr, stamp));
    assert!(shown.ends_with(" UTC") && shown != stamp, "{shown}");
    let package = fr("/packages/spack/builtin/hdf5").await;
    assert!(package.contains("virtuel\u{a0}: 1 fournisseur<"), "singular in French");
    assert!(package.contains(">Installer</h2>"));
    let english = fetch(&app, "/packages/spack/builtin/hdf5", &[]).await.body;
    assert!(english.contains("virtual: 1 provider<"), "singular in English");
    assert!(english.contains("<html lang=\"en\""), "English without Accept-Language");
    let missing = app::i18n::missing_keys();
    assert!(missing.is_empty(), "keys asked for that no catalogue has: {missing:?}");
}

#[sqlx::test(migrations = "../migrations")]
async fn the_cookie_beats_accept_language(pool: PgPool) {
    let app = app_with(pool, Arc::new(EmbeddedIndex::in_memory().unwrap()));
    let page = fetch(&app, "/", &[("accept-language", "fr"), ("cookie", "theme=dark; lang=en")]).await;
    assert!(page.body.contains("<html lang=\"en\"") && page.body.contains("The atlas of HPC packages"));
    let page = fetch(&app, "/", &[("accept-language", "en-US,en"), ("cookie", "lang=fr")]).await;
    assert!(page.body.contains("<html lang=\"fr\"") && page.body.contains("L’atlas des paquets HPC"));
    // The switch offers the other language, named in it.
    assert!(page.body.contains(r#"lang="en""#) && page.body.contains(">English<"), "the switch offers English");
    assert!(page.body.contains(r#"action="/lang""#) && page.body.contains(r#"method="post""#));
}

async fn switch(app: &Router, body: &str, headers: &[(&str, &str)]) -> Page {
    let mut request = Request::post("/lang").header("content-type", "application/x-www-form-urlencoded");
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    send(app, request.body(Body::from(body.to_string())).unwrap()).await
}

#[sqlx::test(migrations = "../migrations")]
async fn the_switch_sets_a_cookie_and_returns_to_the_page(pool: PgPool) {
    let app = app_with(pool, Arc::new(EmbeddedIndex::in_memory().unwrap()));
    let site = [("host", "pacatlas.test"), ("origin", "http://pacatlas.test")];
    let reply = switch(&app, "lang=fr&return=%2Fsearch%3Fq%3Dhdf5%26ecosystem%3Dspack", &site).await;
    assert_eq!(reply.status, 303);
    assert_eq!(reply.headers["location"], "/search?q=hdf5&ecosystem=spack", "back to the same URL");
    let cookie = reply.headers["set-cookie"].to_str().unwrap();
    assert!(
        cookie.starts_with("lang=fr;")
            && cookie.contains("Path=/")
            && cookie.contains("Max-Age=31536000")
            && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );

    let by_referer =
        switch(&app, "lang=en&return=/", &[("host", "pacatlas.test"), ("referer", "http://pacatlas.test/packages")])
            .await;
    assert_eq!(by_referer.status, 303);
    assert!(by_referer.headers["set-cookie"].to_str().unwrap().starts_with("lang=en;"));

    let elsewhere = switch(&app, "lang=fr&return=//evil.example/", &site).await;
    assert_eq!(elsewhere.headers["location"], "/", "no open redirect");
    let absolute = switch(&app, "lang=fr&return=https%3A%2F%2Fevil.example%2F", &site).await;
    assert_eq!(absolute.headers["location"], "/");

    for headers in [
        vec![("host", "pacatlas.test"), ("origin", "http://evil.example")],
        vec![("host", "pacatlas.test"), ("referer", "http://evil.example/")],
        vec![("host", "pacatlas.test")],
    ] {
        let refused = switch(&app, "lang=fr&return=/", &headers).await;
        assert_eq!(refused.status, 403, "{headers:?}");
        assert!(refused.body.contains("only be changed from a page of this site"), "{}", refused.body);
        assert!(!refused.headers.contains_key("set-cookie"));
    }
    assert_eq!(switch(&app, "lang=xx&return=/", &site).await.status, 400);
}

#[sqlx::test(migrations = "../migrations")]
async fn the_page_cache_keeps_each_language_apart(pool: PgPool) {
    ingest(&pool, Ecosystem::Spack, "builtin", Some("r1"), &[fixture("spack-rich.json")]).await.unwrap();
    let config = Config { site_root: std::env::temp_dir().to_string_lossy().into_owned(), ..Config::default() };
    let state = AppState::new(config, crate::support::own_pool(&pool), Arc::new(EmbeddedIndex::in_memory().unwrap()));
    state.generation.clone().spawn_watch(pool, Duration::from_secs(10));
    for _ in 0..100 {
        if state.generation.get().is_some() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let app = pacatlas::http::router(state);
    for _ in 0..2 {
        let en = fetch(&app, "/packages", &[]).await;
        let fr = fetch(&app, "/packages", &[("accept-language", "fr")]).await;
        assert!(en.body.contains("Packages by channel") && fr.body.contains("Paquets par canal"));
        let (en_tag, fr_tag) = (en.headers["etag"].to_str().unwrap(), fr.headers["etag"].to_str().unwrap());
        assert_ne!(en_tag, fr_tag);
        let stale = fetch(&app, "/packages", &[("accept-language", "fr"), ("if-none-match", en_tag)]).await;
        assert_eq!(stale.status, 200, "an English copy does not validate a French page");
        let fresh = fetch(&app, "/packages", &[("cookie", "lang=fr"), ("if-none-match", fr_tag)]).await;
        assert_eq!(fresh.status, 304);
        assert!(fresh.headers.get_all("vary").iter().any(|v| v.to_str().unwrap().contains("Accept-Language")));
    }
    // The JSON API is English only, whatever the request asks.
    let api = fetch(&app, "/api/v1/channels", &[("accept-language", "fr")]).await;
    assert!(api.headers["content-type"].to_str().unwrap().starts_with("application/json"));
    assert!(!api.headers.get_all("vary").iter().any(|v| v.to_str().unwrap().contains("Accept-Language")));
}

/// The degraded-search banner is a server-side message: in French too.
#[sqlx::test(migrations = "../migrations")]
async fn the_degraded_search_banner_in_french(pool: PgPool) {
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = closed.local_addr().unwrap().port();
    drop(closed);
    let index: Arc<dyn SearchIndex> =
        Arc::new(MeiliIndex::new(&format!("http://127.0.0.1:{port}"), Some("key"), "x_").unwrap());
    ingest(&pool, Ecosystem::Spack, "builtin", None, &[fixture("search-spack.json")]).await.unwrap();
    let app = app_with(pool, index);
    let page = fetch(&app, "/search?q=numpy", &[("accept-language", "fr")]).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Le moteur de recherche ne répond pas"), "{}", page.body);
}

/// A refused search says why in the reader's language; the JSON API keeps
/// its English reason and gives the structured one beside it.
#[sqlx::test(migrations = "../migrations")]
async fn refused_searches_say_why_in_french(pool: PgPool) {
    let app = crate::support::app(pool);
    let long = "a".repeat(300);
    let page = fetch(&app, &format!("/search?q={long}"), &[("accept-language", "fr")]).await;
    assert_eq!(page.status, 400);
    assert!(page.body.contains("la requête dépasse 256 caractères"), "{}", page.body);
    let too_many: String = (0..21).map(|i| format!("&license=l{i}")).collect();
    let page = fetch(&app, &format!("/search?q=x{too_many}"), &[("accept-language", "fr")]).await;
    assert!(page.body.contains("valeurs « license » au plus"), "{}", page.body);
    let page = fetch(&app, "/search?q=x&page=51", &[]).await;
    assert!(page.body.contains("a search shows 50 pages at most"), "{}", page.body);
    let api = fetch(&app, "/api/v1/search?q=x&page=51", &[("accept-language", "fr")]).await;
    assert_eq!(api.status, 400);
    assert!(api.body.contains("past the last page"), "the JSON API stays English: {}", api.body);
}

/// The raw-text check itself: it catches a key shown as text or in a label,
/// and a placeholder left unfilled, but not ids or class names.
#[test]
fn the_raw_text_check_catches_keys_and_placeholders() {
    let keys = catalogue_keys();
    let caught = |html: &'static str| std::panic::catch_unwind(|| assert_no_raw_text("/", "fr", html, &keys)).is_err();
    assert!(caught("<h1>home-title</h1>"));
    assert!(caught(r#"<nav aria-label="nav-label"></nav>"#));
    assert!(caught("<p>Page { $page } sur 3</p>"));
    assert!(!caught(r#"<section id="facet-ecosystem" class="skip-link"><h1>L’atlas des paquets HPC</h1></section>"#));
}
