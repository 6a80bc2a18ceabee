//! The frame around every page: site header (brand, search box, navigation)
//! and footer.
use leptos::{ev, html, prelude::*};
use leptos_router::hooks::use_location;

use crate::i18n::{use_lang, Lang};

/// The areas of the portal, in navigation order: (English label, path).
/// The label shown is the message `nav-<path>` of the page's language.
pub const NAV_AREAS: [(&str, &str); 6] = [
    ("Packages", "/packages"),
    ("Matrix", "/matrix"),
    ("CI", "/ci"),
    ("Archival", "/archival"),
    ("Maintainers", "/maintainers"),
    ("Funding", "/funding"),
];

#[component]
pub fn SiteHeader() -> impl IntoView {
    let search_box: NodeRef<html::Input> = NodeRef::new();
    focus_on_slash(search_box);
    let location = use_location();
    let lang = use_lang();

    view! {
        <header class="site-header">
            <div class="site-header__inner">
                <a class="brand" href="/" aria-label=lang.t("header-home-label")>
                    <img src="/favicon.svg" alt="" width="28" height="28"/>
                    <span>"Pacatlas"</span>
                </a>
                <form class="header-search" role="search" method="get" action="/search">
                    <label for="site-search" class="visually-hidden">{lang.t("search-packages")}</label>
                    <input
                        id="site-search"
                        node_ref=search_box
                        type="search"
                        name="q"
                        placeholder=lang.t("header-search-placeholder")
                        autocomplete="off"
                        spellcheck="false"
                        aria-keyshortcuts="/"
                    />
                    <button type="submit">{lang.t("action-search")}</button>
                </form>
                <nav class="site-nav" aria-label=lang.t("nav-label")>
                    <ul>
                        {NAV_AREAS
                            .iter()
                            .map(|(_, href)| {
                                let href = *href;
                                let label = lang.t(&format!("nav-{}", href.trim_start_matches('/')));
                                let current = move || {
                                    let path = location.pathname.get();
                                    (path == href || path.starts_with(&format!("{href}/")))
                                        .then_some("page")
                                };
                                view! {
                                    <li>
                                        <a href=href aria-current=current>{label}</a>
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                </nav>
                {match crate::api::accounts::viewer_name() {
                    Some(name) => view! {
                        <a class="account-link" href="/inbox">{lang.t("accounts-inbox")}</a>
                        <a class="account-link" href="/account">{name}</a>
                    }
                    .into_any(),
                    None => view! { <a class="account-link" href="/login">{lang.t("accounts-login")}</a> }.into_any(),
                }}
                <LanguageSwitch lang/>
            </div>
        </header>
    }
}

/// The language switch: a plain form, so it works without JavaScript. The
/// server sets the `lang` cookie and sends the visitor back to this page
/// (same URL: URLs never depend on the language).
#[component]
fn LanguageSwitch(lang: Lang) -> impl IntoView {
    let location = use_location();
    let back = move || {
        let search = location.search.get();
        let search = search.trim_start_matches('?');
        if search.is_empty() {
            location.pathname.get()
        } else {
            format!("{}?{search}", location.pathname.get())
        }
    };
    let other = lang.other();
    view! {
        <form class="lang-switch" method="post" action="/lang" aria-label=lang.t("lang-switch-label")>
            <input type="hidden" name="return" value=back/>
            <button type="submit" name="lang" value=other.code() lang=other.code() title=other.t("lang-switch-button")>
                {other.native_name()}
            </button>
        </form>
    }
}

/// "/" anywhere outside a text field moves the keyboard focus to the search
/// box (as on GitHub, crates.io and search.nixos.org). Client-only.
fn focus_on_slash(search_box: NodeRef<html::Input>) {
    Effect::new(move |_| {
        let handle = window_event_listener(ev::keydown, move |e| {
            if e.key() != "/" || e.ctrl_key() || e.meta_key() || e.alt_key() {
                return;
            }
            let typing = e
                .target()
                .and_then(|t| wasm_bindgen_target_tag(&t))
                .is_some_and(|tag| matches!(tag.as_str(), "INPUT" | "TEXTAREA" | "SELECT"));
            if typing {
                return;
            }
            use leptos::wasm_bindgen::JsCast;
            let page_box = document()
                .get_element_by_id("search-q")
                .and_then(|el| el.dyn_into::<leptos::web_sys::HtmlInputElement>().ok());
            if let Some(input) = page_box.or_else(|| search_box.get_untracked()) {
                e.prevent_default();
                let _ = input.focus();
                input.select();
            }
        });
        on_cleanup(move || handle.remove());
    });
}

fn wasm_bindgen_target_tag(target: &leptos::web_sys::EventTarget) -> Option<String> {
    use leptos::wasm_bindgen::JsCast;
    target.dyn_ref::<leptos::web_sys::Element>().map(|el| el.tag_name())
}

#[component]
pub fn SiteFooter() -> impl IntoView {
    let lang = use_lang();
    view! {
        <footer class="site-footer">
            <div class="site-footer__inner">
                <p>{lang.t("footer-about")}</p>
                <ul class="footer-links">
                    <li><a href="/packages">{lang.t("footer-channels")}</a></li>
                    <li><a href="/api/v1">{lang.t("footer-api")}</a></li>
                    <li><a href="/healthz">{lang.t("footer-status")}</a></li>
                </ul>
            </div>
        </footer>
    }
}
