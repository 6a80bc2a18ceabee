use leptos::prelude::*;
use leptos_meta::Title;

/// The page for any path no route matches; answers with HTTP 404.
#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    {
        if let Some(resp) = use_context::<leptos_axum::ResponseOptions>() {
            resp.set_status(http::StatusCode::NOT_FOUND);
        }
    }
    view! {
        <Title text="Page not found"/>
        <section class="not-found" aria-labelledby="nf-title">
            <h1 id="nf-title">"Page not found"</h1>
            <p>"There is no page at this address. Try searching for the package instead:"</p>
            <form role="search" method="get" action="/search">
                <label for="nf-q">"Search packages"</label>
                <input id="nf-q" type="search" name="q"/>
                <button type="submit">"Search"</button>
            </form>
            <p><a href="/">"Back to the home page"</a></p>
        </section>
    }
}
