use leptos::prelude::*;
use leptos_meta::Title;

use crate::i18n::use_lang;

/// The page for any path no route matches; answers with HTTP 404.
#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    {
        if let Some(resp) = use_context::<leptos_axum::ResponseOptions>() {
            resp.set_status(http::StatusCode::NOT_FOUND);
        }
    }
    let lang = use_lang();
    view! {
        <Title text=lang.t("not-found-title")/>
        <section class="not-found" aria-labelledby="nf-title">
            <h1 id="nf-title">{lang.t("not-found-title")}</h1>
            <p>{lang.t("not-found-text")}</p>
            <form role="search" method="get" action="/search">
                <label for="nf-q">{lang.t("search-packages")}</label>
                <input id="nf-q" type="search" name="q"/>
                <button type="submit">{lang.t("action-search")}</button>
            </form>
            <p><a href="/">{lang.t("not-found-home")}</a></p>
        </section>
    }
}
