//! The Pacatlas Leptos application: the page shell, the routes, the pages and
//! the types shared by the browser (feature `hydrate`) and the server (`ssr`).
#![recursion_limit = "256"]

pub mod api;
pub mod components;
pub mod i18n;
pub mod pages;
mod shell;

pub use shell::{shell, App};

/// Entry point of the WebAssembly bundle: hydrates the server-rendered page.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(App);
}
