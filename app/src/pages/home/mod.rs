use leptos::prelude::*;
use leptos_meta::Title;

use crate::i18n::use_lang;

/// What each area of the portal answers, shown on the home page: (path,
/// message key prefix: `<key>-title` and `<key>-text`).
const AREAS: [(&str, &str); 6] = [
    ("/packages", "area-packages"),
    ("/matrix", "area-matrix"),
    ("/ci", "area-ci"),
    ("/archival", "area-archival"),
    ("/maintainers", "area-maintainers"),
    ("/funding", "area-funding"),
];

#[component]
pub fn HomePage() -> impl IntoView {
    let lang = use_lang();
    view! {
        <Title text=""/>
        <section class="hero" aria-labelledby="hero-title">
            <h1 id="hero-title">{lang.t("home-title")}</h1>
            <p class="lead">{lang.t("home-lead")}</p>
            <form class="hero-search" role="search" method="get" action="/search">
                <label for="hero-q">{lang.t("home-search-label")}</label>
                <div class="hero-search__row">
                    <input id="hero-q" type="search" name="q" placeholder=lang.t("home-search-placeholder") autocomplete="off"/>
                    <button type="submit">{lang.t("action-search")}</button>
                </div>
            </form>
        </section>
        <section class="areas" aria-labelledby="areas-title">
            <h2 id="areas-title">{lang.t("home-areas-title")}</h2>
            <ul class="area-grid">
                {AREAS
                    .iter()
                    .map(|(href, key)| view! {
                        <li class="card">
                            <h3><a href=*href>{lang.t(&format!("{key}-title"))}</a></h3>
                            <p>{lang.t(&format!("{key}-text"))}</p>
                        </li>
                    })
                    .collect_view()}
            </ul>
        </section>
    }
}
