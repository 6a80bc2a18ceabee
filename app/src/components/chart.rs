//! What the server-rendered SVG charts share: series told apart by colour
//! (the `series-N` classes of style/main.css), dash pattern and marker shape,
//! never by colour alone; a legend swatch drawn the same way.
use leptos::prelude::*;

/// Colours the stylesheet defines (`series-0` … `series-5`).
const SERIES: usize = 6;
const DASHES: [&str; 4] = ["none", "7 4", "2 3", "10 3 2 3"];

/// The line of series `s`: its class and dash pattern.
pub fn line_class(s: usize) -> String {
    format!("line series-{}", s % SERIES)
}

pub fn dash(s: usize) -> &'static str {
    DASHES[s % DASHES.len()]
}

/// A marker of series `s` at (x, y): circle, square, triangle, diamond.
pub fn marker(s: usize, x: f64, y: f64) -> AnyView {
    let class = format!("marker series-{}", s % SERIES);
    match s % 4 {
        0 => view! { <circle class=class cx=format!("{x:.1}") cy=format!("{y:.1}") r="3.5"/> }.into_any(),
        1 => view! { <rect class=class x=format!("{:.1}", x - 3.5) y=format!("{:.1}", y - 3.5) width="7" height="7"/> }
            .into_any(),
        2 => view! { <polygon class=class points=format!("{x:.1},{:.1} {:.1},{:.1} {:.1},{:.1}", y - 4.5, x - 4.5, y + 3.5, x + 4.5, y + 3.5)/> }
            .into_any(),
        _ => view! { <polygon class=class points=format!("{x:.1},{:.1} {:.1},{y:.1} {x:.1},{:.1} {:.1},{y:.1}", y - 4.5, x + 4.5, y + 4.5, x - 4.5)/> }
            .into_any(),
    }
}

/// The legend's sample of series `s` (hidden from screen readers: the
/// legend's words say it).
#[component]
pub fn Swatch(s: usize) -> impl IntoView {
    view! {
        <svg class="swatch" viewBox="0 0 36 12" width="36" height="12" aria-hidden="true" focusable="false">
            <line class=line_class(s) x1="2" x2="34" y1="6" y2="6" stroke-dasharray=dash(s)/>
            {marker(s, 18.0, 6.0)}
        </svg>
    }
}
