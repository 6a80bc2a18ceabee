//! A moment in time: its date in the page's language, and once the page is
//! hydrated, how long ago it was ("3 days ago" / "il y a 3 jours"). The
//! elapsed time is written by the browser only: a page rendered (and cached)
//! by the server would show it stale, and it would differ at hydration.
use leptos::prelude::*;

use crate::i18n::{format, use_lang};

#[component]
pub fn DateTime(timestamp: String) -> impl IntoView {
    let lang = use_lang();
    let absolute = lang.date_time(&timestamp);
    let ago = RwSignal::new(None::<String>);
    let instant = format::parse_timestamp(&timestamp);
    Effect::new(move |_| {
        if let (Some(t), Some(now)) = (instant, now_epoch()) {
            ago.set(Some(lang.ago(format::elapsed(now - t.epoch))));
        }
    });
    view! {
        <time datetime=timestamp>{absolute}</time>
        <Show when=move || ago.get().is_some()>
            <span class="muted ago">{move || format!(" ({})", ago.get().unwrap_or_default())}</span>
        </Show>
    }
}

/// Seconds since the epoch, by the browser's clock.
#[cfg(feature = "hydrate")]
fn now_epoch() -> Option<i64> {
    Some((web_sys::js_sys::Date::now() / 1000.0) as i64)
}

#[cfg(not(feature = "hydrate"))]
fn now_epoch() -> Option<i64> {
    None
}
