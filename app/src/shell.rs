use leptos::prelude::*;
use leptos_meta::{provide_meta_context, Link, Meta, MetaTags, Stylesheet, Title};
use leptos_router::{
    components::{Route, Router, Routes},
    path, SsrMode,
};

use crate::components::layout::{SiteFooter, SiteHeader};
use crate::i18n::page_lang;
use crate::pages::{
    channel::{ChannelPage, ChannelsPage},
    ci::{BuildHistoryPage, CiPage},
    home::HomePage,
    matrix::MatrixPage,
    not_found::NotFound,
    package::PackagePage,
    search::SearchPage,
    sites::{SitePage, SitesPage},
};

/// The scripts a page may run: its own bundle, the inline hydration and
/// resource scripts carrying this response's nonce, and WebAssembly. First in
/// `<head>`, so it covers every script after it. (The response header adds
/// framing and form rules, which a `<meta>` policy cannot carry.)
fn script_policy(options: &LeptosOptions) -> String {
    let nonce = leptos::nonce::use_nonce().map(|n| format!(" 'nonce-{n}'")).unwrap_or_default();
    // cargo-leptos' live reload talks over a WebSocket in development.
    let live_reload = if options.env == leptos::config::Env::DEV { " ws: wss:" } else { "" };
    format!(
        "default-src 'self'; script-src 'self'{nonce} 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; \
         img-src 'self' data:; connect-src 'self'{live_reload}; object-src 'none'; base-uri 'self'"
    )
}

/// The HTML document every page is rendered into (server side only).
pub fn shell(options: LeptosOptions) -> impl IntoView {
    let lang = page_lang();
    view! {
        <!DOCTYPE html>
        <html lang=lang.code() data-viewer=crate::api::accounts::viewer_name()>
            <head>
                <meta charset="utf-8"/>
                <meta http-equiv="Content-Security-Policy" content=script_policy(&options)/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <meta name="color-scheme" content="light dark"/>
                <AutoReload options=options.clone()/>
                <HydrationScripts options/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

/// The application: the page frame (header, main, footer) around the routes.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    mark_hydrated();
    // The same language on both sides: negotiated from the request on the
    // server, read back from `<html lang>` in the browser.
    let lang = page_lang();
    provide_context(lang);

    view! {
        <Stylesheet id="leptos" href="/pkg/pacatlas.css"/>
        <Link rel="icon" type_="image/svg+xml" href="/favicon.svg"/>
        <Link rel="search" type_="application/opensearchdescription+xml" href="/opensearch.xml" title="Pacatlas"/>
        <Meta name="description" content=lang.t("site-description")/>
        <Title formatter=|text: String| escape_title(if text.is_empty() { "Pacatlas".to_string() } else { format!("{text} · Pacatlas") })/>
        <Router>
            <a class="skip-link" href="#main">{lang.t("skip-link")}</a>
            <SiteHeader/>
            <main id="main" tabindex="-1">
                <Routes fallback=|| view! { <NotFound/> }>
                    <Route path=path!("") view=HomePage/>
                    <Route path=path!("/search") view=SearchPage ssr=SsrMode::Async/>
                    <Route path=path!("/packages") view=ChannelsPage ssr=SsrMode::Async/>
                    <Route path=path!("/channels/:ecosystem/:name") view=ChannelPage ssr=SsrMode::Async/>
                    <Route path=path!("/packages/:ecosystem/:channel/:name") view=PackagePage ssr=SsrMode::Async/>
                    <Route path=path!("/packages/:ecosystem/:channel/:name/builds") view=BuildHistoryPage ssr=SsrMode::Async/>
                    <Route path=path!("/ci") view=CiPage ssr=SsrMode::Async/>
                    <Route path=path!("/matrix") view=MatrixPage ssr=SsrMode::Async/>
                    <Route path=path!("/sites") view=SitesPage ssr=SsrMode::Async/>
                    <Route path=path!("/sites/:site") view=SitePage ssr=SsrMode::Async/>
                    <Route path=path!("/archival") view=crate::pages::archival::ArchivalPage ssr=SsrMode::Async/>
                    <Route path=path!("/ci/:service") view=CiPage ssr=SsrMode::Async/>
                    <Route path=path!("/login") view=crate::pages::account::LoginPage ssr=SsrMode::Async/>
                    <Route path=path!("/account") view=crate::pages::account::AccountPage ssr=SsrMode::Async/>
                    <Route path=path!("/account/claim") view=crate::pages::account::ClaimPage ssr=SsrMode::Async/>
                    <Route path=path!("/moderation") view=crate::pages::admin::ModerationPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin") view=crate::pages::admin::AdminPage ssr=SsrMode::Async/>
                    <Route path=path!("/maintainers") view=crate::pages::maintainers::MaintainersPage ssr=SsrMode::Async/>
                    <Route path=path!("/maintainers/:forge/:handle") view=crate::pages::maintainers::MaintainerPage ssr=SsrMode::Async/>
                    <Route path=path!("/inbox") view=crate::pages::maintainers::InboxPage ssr=SsrMode::Async/>
                    <Route path=path!("/funding/critical") view=crate::pages::funding::critical::CriticalPage ssr=SsrMode::Async/>
                    <Route path=path!("/funding") view=crate::pages::funding::FundingPage ssr=SsrMode::Async/>
                    <Route path=path!("/funders/:slug") view=crate::pages::funding::FunderPage ssr=SsrMode::Async/>
                    <Route path=path!("/funding/sponsorships/:id") view=crate::pages::funding::SponsorshipPage ssr=SsrMode::Async/>
                    <Route path=path!("/admin/funding") view=crate::pages::funding::admin::FundingAdminPage ssr=SsrMode::Async/>
                </Routes>
            </main>
            <SiteFooter/>
        </Router>
    }
}

/// leptos_meta writes the title into the server's HTML without escaping it,
/// so a page title made from data (a search query, a package name) could
/// close `</title>` and inject markup. Escape it there; in the browser the
/// title is set as text and needs nothing.
pub fn escape_title(text: String) -> String {
    if cfg!(feature = "ssr") {
        text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
    } else {
        text
    }
}

/// Once the page has hydrated, say so on the root element (`data-hydrated`):
/// styles and browser tests can tell the interactive page from the static one.
fn mark_hydrated() {
    Effect::new(move |_| {
        if let Some(root) = document().document_element() {
            let _ = root.set_attribute("data-hydrated", "true");
        }
    });
}
