//! A "Copy" button for commands; shown once the page is hydrated (it needs
//! JavaScript), so the static page never shows a dead button.
use leptos::prelude::*;

use crate::i18n::use_lang;

#[component]
pub fn CopyButton(text: String, #[prop(into)] label: String) -> impl IntoView {
    let hydrated = RwSignal::new(false);
    Effect::new(move |_| hydrated.set(true));
    let copied = RwSignal::new(false);
    let lang = use_lang();
    view! {
        <Show when=move || hydrated.get()>
            <button
                type="button"
                class="copy-button"
                aria-label=label.clone()
                on:click={
                    let text = text.clone();
                    move |_| {
                        copy_to_clipboard(&text);
                        copied.set(true);
                    }
                }
            >
                {move || lang.t(if copied.get() { "copy-copied" } else { "copy-copy" })}
            </button>
        </Show>
    }
}

#[cfg(feature = "hydrate")]
fn copy_to_clipboard(text: &str) {
    if let Some(window) = web_sys::window() {
        let _ = window.navigator().clipboard().write_text(text);
    }
}

#[cfg(not(feature = "hydrate"))]
fn copy_to_clipboard(_text: &str) {}
