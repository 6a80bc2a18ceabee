//! The frame around every page: site header (brand, search box, navigation)
//! and footer.
use leptos::{ev, html, prelude::*};
use leptos_router::hooks::use_location;

/// The areas of the portal, in navigation order: (label, path).
pub const NAV_AREAS: [(&str, &str); 5] = [
    ("Packages", "/packages"),
    ("Matrix", "/matrix"),
    ("CI", "/ci"),
    ("Archival", "/archival"),
    ("Funding", "/funding"),
];

#[component]
pub fn SiteHeader() -> impl IntoView {
    let search_box: NodeRef<html::Input> = NodeRef::new();
    focus_on_slash(search_box);
    let location = use_location();

    view! {
        <header class="site-header">
            <div class="site-header__inner">
                <a class="brand" href="/" aria-label="Pacatlas home">
                    <img src="/favicon.svg" alt="" width="28" height="28"/>
                    <span>"Pacatlas"</span>
                </a>
                <form class="header-search" role="search" method="get" action="/search">
                    <label for="site-search" class="visually-hidden">"Search packages"</label>
                    <input
                        id="site-search"
                        node_ref=search_box
                        type="search"
                        name="q"
                        placeholder="Search packages (press / to focus)"
                        autocomplete="off"
                        spellcheck="false"
                        aria-keyshortcuts="/"
                    />
                    <button type="submit">"Search"</button>
                </form>
                <nav class="site-nav" aria-label="Main">
                    <ul>
                        {NAV_AREAS
                            .iter()
                            .map(|(label, href)| {
                                let href = *href;
                                let current = move || {
                                    let path = location.pathname.get();
                                    (path == href || path.starts_with(&format!("{href}/")))
                                        .then_some("page")
                                };
                                view! {
                                    <li>
                                        <a href=href aria-current=current>{*label}</a>
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                </nav>
            </div>
        </header>
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
            if let Some(input) = page_box.or_else(|| search_box.get_untracked().map(|i| i.into())) {
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
    view! {
        <footer class="site-footer">
            <div class="site-footer__inner">
                <p>
                    "Pacatlas indexes GNU Guix, Spack and Nix packages for HPC: builds, hardware support, "
                    "source archival and who maintains and funds them."
                </p>
                <ul class="footer-links">
                    <li><a href="/packages">"Channels"</a></li>
                    <li><a href="/api/v1">"JSON API"</a></li>
                    <li><a href="/healthz">"Status"</a></li>
                </ul>
            </div>
        </footer>
    }
}
