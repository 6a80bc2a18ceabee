//! `/search`: results, facets and pages rendered on the server (a plain GET
//! form and links, so it works without JavaScript); once hydrated, results
//! follow the typing (debounced, the URL follows), and arrow keys move
//! through the results.
use leptos::{either::Either, ev, html, prelude::*};
use leptos_meta::Title;
use leptos_router::{
    hooks::{use_navigate, use_query_map},
    NavigateOptions,
};

use crate::api::catalog::package_href;
use crate::api::search::{run_search, FacetValue, Facets, SearchParams, SearchResponse};
use crate::i18n::{use_lang, Arg};

fn params_from(map: &leptos_router::params::ParamsMap) -> SearchParams {
    let mut pairs: Vec<(String, String)> = Vec::new();
    for key in ["q", "ecosystem", "channel", "license", "ci", "archival", "platform", "page"] {
        for v in map.get_all(key).unwrap_or_default() {
            pairs.push((key.to_string(), v));
        }
    }
    SearchParams::from_pairs(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())))
}

#[component]
pub fn SearchPage() -> impl IntoView {
    let query = use_query_map();
    let params = Memo::new(move |_| params_from(&query.get()));
    let results = Resource::new(move || params.get(), run_search);

    // What the box shows: typed text, or the URL's query after back/forward.
    let text = RwSignal::new(params.get_untracked().q);
    let last_sent = RwSignal::new(params.get_untracked().q);
    Effect::new(move |_| {
        let q = params.get().q;
        if q != last_sent.get_untracked() {
            last_sent.set(q.clone());
            text.set(q);
        }
    });
    let navigate = use_navigate();
    let typed = RwSignal::new(0u64);
    let on_input = move |e: ev::Event| {
        let value = event_target_value(&e);
        text.set(value);
        let ticket = typed.get_untracked() + 1;
        typed.set(ticket);
        let navigate = navigate.clone();
        set_timeout(
            move || {
                if typed.get_untracked() != ticket {
                    return; // a newer keystroke follows
                }
                let mut next = params.get_untracked();
                next.q = text.get_untracked();
                next.page = 1;
                last_sent.set(next.q.clone());
                navigate(&next.href(), NavigateOptions { replace: true, scroll: false, ..Default::default() });
            },
            std::time::Duration::from_millis(180),
        );
    };
    let input: NodeRef<html::Input> = NodeRef::new();
    let list: NodeRef<html::Ol> = NodeRef::new();
    let lang = use_lang();
    let title_of = move |q: String| {
        if q.is_empty() {
            lang.t("search-title")
        } else {
            lang.ta("search-title-query", &[("q", q.into())])
        }
    };
    // The server writes the title after the page has rendered: give it a plain
    // string (a closure read then can find its signal disposed under load).
    #[cfg(feature = "ssr")]
    let title = leptos::text_prop::TextProp::from(title_of(params.get_untracked().q));
    #[cfg(not(feature = "ssr"))]
    let title = leptos::text_prop::TextProp::from(move || title_of(params.get().q));

    view! {
        <Title text=title/>
        <h1 class="visually-hidden">{lang.t("search-packages")}</h1>
        <form class="search-form" role="search" method="get" action="/search">
            <label for="search-q" class="visually-hidden">{lang.t("search-packages")}</label>
            <input
                id="search-q"
                node_ref=input
                type="search"
                name="q"
                autocomplete="off"
                spellcheck="false"
                placeholder=lang.t("search-placeholder")
                prop:value=move || text.get()
                value=params.get_untracked().q
                on:input=on_input
                on:keydown=move |e: ev::KeyboardEvent| {
                    if e.key() == "ArrowDown" {
                        e.prevent_default();
                        focus_result(list, 0);
                    }
                }
                aria-controls="search-results"
            />
            {move || {
                let p = params.get();
                let mut hidden = Vec::new();
                for (k, vs) in p.facets() {
                    for v in vs.iter().cloned() {
                        hidden.push(view! { <input type="hidden" name=k value=v/> });
                    }
                }
                hidden.collect_view()
            }}
            <button type="submit">{lang.t("action-search")}</button>
        </form>
        <Transition fallback=move || view! { <p>{lang.t("search-searching")}</p> }>
            {move || Suspend::new(async move {
                match results.await {
                    Ok(r) => view! { <Results r list/> }.into_any(),
                    Err(_) => view! { <p role="alert">{lang.t("search-unavailable")}</p> }.into_any(),
                }
            })}
        </Transition>
    }
}

/// Moves the focus to result `index` (clamped), for arrow-key navigation.
fn focus_result(list: NodeRef<html::Ol>, index: i32) {
    #[cfg(feature = "hydrate")]
    {
        use leptos::wasm_bindgen::JsCast;
        let Some(ol) = list.get_untracked() else { return };
        let Ok(links) = ol.query_selector_all("a.result-link") else { return };
        let n = links.length() as i32;
        if n == 0 {
            return;
        }
        let i = index.clamp(0, n - 1) as u32;
        if let Some(el) = links.item(i).and_then(|n| n.dyn_into::<web_sys::HtmlElement>().ok()) {
            let _ = el.focus();
        }
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (list, index);
}

#[component]
fn Results(mut r: SearchResponse, list: NodeRef<html::Ol>) -> impl IntoView {
    let lang = use_lang();
    if let Some(error) = r.error.clone() {
        let reason = match &r.problem {
            Some(problem) => problem_text(lang, problem),
            // An answer without the structured reason: the English text.
            None => error,
        };
        return view! { <p role="alert" class="notice">{lang.ta("search-cannot-run", &[("error", reason.into())])}</p> }
            .into_any();
    }
    let Facets { ecosystem, channel, license, ci, archival, platform } = std::mem::take(&mut r.facets);
    let p = r.params.clone();
    let pages = r.total.div_ceil(u64::from(r.per_page)).max(1) as u32;
    let first = r.page.saturating_sub(1).saturating_mul(r.per_page).saturating_add(1);
    let last = first.saturating_add(r.hits.len() as u32).saturating_sub(1);
    let on_keydown = move |e: ev::KeyboardEvent| {
        let key = e.key();
        if key != "ArrowDown" && key != "ArrowUp" {
            return;
        }
        let current = current_index(list);
        e.prevent_default();
        match (key.as_str(), current) {
            ("ArrowUp", Some(0)) => focus_search_box(),
            ("ArrowUp", Some(i)) => focus_result(list, i - 1),
            ("ArrowDown", Some(i)) => focus_result(list, i + 1),
            _ => focus_result(list, 0),
        }
    };
    view! {
        <div class="search-layout">
            <aside class="facets" aria-label=lang.t("search-filters")>
                {facet(lang, lang.t("facet-ecosystem"), "ecosystem", ecosystem, &p, None)}
                {facet(lang, lang.t("facet-channel"), "channel", channel, &p, None)}
                {facet(lang, lang.t("facet-licence"), "license", license, &p, None)}
                {facet(lang, lang.t("facet-ci"), "ci", ci, &p, Some(ci_label))}
                {facet(lang, lang.t("archival-facet"), "archival", archival, &p, Some(crate::pages::archival::facet_label))}
                {facet(lang, lang.t("matrix-facet"), "platform", platform, &p, Some(crate::pages::matrix::facet_label))}
            </aside>
            <section class="results" aria-labelledby="results-summary">
                {r.degraded.then(|| view! {
                    <p class="notice" role="status">{lang.t("search-degraded")}</p>
                })}
                <p id="results-summary" class="summary" aria-live="polite">
                    {summary(lang, &r, pages, first, last)}
                    {r.spec.clone().map(|s| view! { " · " {lang.t("search-spec")} " " <code>{s}</code> })}
                    <span class="muted">{format!(" · {}", lang.ta("search-took", &[("ms", lang.dec(r.took_ms, 1).into())]))}</span>
                </p>
                <ol class="result-list" id="search-results" node_ref=list on:keydown=on_keydown start=first.to_string()>
                    {r.hits.into_iter().map(|h| {
                        let href = package_href(&h.ecosystem, &h.channel, &h.name);
                        let eco_class = format!("badge eco-{}", h.ecosystem);
                        view! {
                            <li class="result">
                                <div class="result-head">
                                    <a class="result-link" href=href>{h.name}</a>
                                    {h.version.map(|v| view! { <span class="version">{v}</span> })}
                                    <span class=eco_class>{h.ecosystem}</span>
                                    <span class="badge">{h.channel}</span>
                                    {h.matched_version.map(|v| view! { <span class="badge match">{format!("@{v}")}</span> })}
                                    {h.matched_variants.into_iter().map(|v| view! { <span class="badge match">{v}</span> }).collect_view()}
                                </div>
                                <p class="result-synopsis">
                                    {h.synopsis.into_iter().map(|s| if s.hit {
                                        Either::Left(view! { <mark>{s.text}</mark> })
                                    } else {
                                        Either::Right(view! { <span>{s.text}</span> })
                                    }).collect_view()}
                                </p>
                            </li>
                        }
                    }).collect_view()}
                </ol>
                <nav class="pager" aria-label=lang.t("search-result-pages")>
                    {(r.page > 1).then(|| { let mut prev = p.clone(); prev.page = r.page - 1; view! { <a rel="prev" href=prev.href()>{lang.t("pager-previous")}</a> } })}
                    {(pages > 1).then(|| view! { <span>{lang.ta("pager-page", &[("page", r.page.to_string().into()), ("pages", pages.to_string().into())])}</span> })}
                    {(r.page < pages).then(|| { let mut next = p.clone(); next.page = r.page + 1; view! { <a rel="next" href=next.href()>{lang.t("pager-next")}</a> } })}
                </nav>
            </section>
        </div>
    }.into_any()
}

/// "1–20 of 312 packages", or why there is nothing to show.
fn summary(lang: crate::i18n::Lang, r: &SearchResponse, pages: u32, first: u32, last: u32) -> String {
    let total = i64::try_from(r.total).unwrap_or(i64::MAX);
    if r.total == 0 {
        lang.ta("search-no-match", &[("q", r.params.q.clone().into())])
    } else if r.hits.is_empty() {
        lang.ta("search-past-end", &[("page", r.page.to_string().into()), ("pages", pages.to_string().into())])
    } else if r.matches > r.total {
        let matches = i64::try_from(r.matches).unwrap_or(i64::MAX);
        lang.ta(
            "search-range-capped",
            &[
                ("first", lang.int(first).into()),
                ("last", lang.int(last).into()),
                ("total", lang.int(total).into()),
                ("matches", lang.int(matches).into()),
            ],
        )
    } else {
        lang.tna(
            "search-range",
            total,
            vec![("first", Arg::Text(lang.int(first))), ("last", Arg::Text(lang.int(last)))],
        )
    }
}

fn current_index(list: NodeRef<html::Ol>) -> Option<i32> {
    #[cfg(feature = "hydrate")]
    {
        let ol = list.get_untracked()?;
        let links = ol.query_selector_all("a.result-link").ok()?;
        let active = document().active_element()?;
        (0..links.length())
            .find(|i| {
                links.item(*i).is_some_and(|n| {
                    use leptos::wasm_bindgen::JsCast;
                    n.dyn_ref::<web_sys::Element>() == Some(&active)
                })
            })
            .map(|i| i as i32)
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = list;
        None
    }
}

fn focus_search_box() {
    #[cfg(feature = "hydrate")]
    {
        use leptos::wasm_bindgen::JsCast;
        if let Some(el) =
            document().get_element_by_id("search-q").and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
        {
            let _ = el.focus();
        }
    }
}

/// Labels a facet value (the value itself when there is none).
type FacetLabel = fn(crate::i18n::Lang, &str) -> String;

/// One facet: its values as links switching them on or off (the
/// selection's mark is drawn by the style sheet).
fn facet(
    lang: crate::i18n::Lang,
    title: String,
    name: &'static str,
    values: Vec<FacetValue>,
    params: &SearchParams,
    label: Option<FacetLabel>,
) -> impl IntoView {
    if values.is_empty() {
        return None;
    }
    let heading = format!("facet-{name}");
    let labelled_by = heading.clone();
    let items = values
        .into_iter()
        .map(|v| {
            let href = params.toggled_href(name, &v.value);
            let count = lang.int(i64::try_from(v.count).unwrap_or(i64::MAX));
            let text = match label {
                Some(f) => f(lang, &v.value),
                None => v.value,
            };
            view! {
                <li>
                    <a href=href class:selected=v.selected aria-pressed=if v.selected { "true" } else { "false" } role="button">
                        <span class="facet-value">{text}</span>
                        <span class="facet-count">{count}</span>
                    </a>
                </li>
            }
        })
        .collect_view();
    Some(view! {
        <section class="facet" aria-labelledby=labelled_by>
            <h2 id=heading>{title}</h2>
            <ul>{items}</ul>
        </section>
    })
}

/// A CI-status facet value as words.
fn ci_label(lang: crate::i18n::Lang, value: &str) -> String {
    match value {
        "passing" => lang.t("facet-ci-passing"),
        "failing" => lang.t("facet-ci-failing"),
        _ => lang.t("facet-ci-unknown"),
    }
}

/// Why a search was refused, in the reader's language.
fn problem_text(lang: crate::i18n::Lang, problem: &crate::api::search::SearchProblem) -> String {
    use crate::api::search::SearchProblem as P;
    match problem {
        P::QueryTooLong { max } => {
            lang.ta("search-problem-too-long", &[("max", crate::i18n::Arg::Number(i64::from(*max)))])
        }
        P::TooManyValues { facet, max } => lang.ta(
            "search-problem-too-many-values",
            &[("facet", facet.clone().into()), ("max", crate::i18n::Arg::Number(i64::from(*max)))],
        ),
        P::ValueTooLong { facet, max } => lang.ta(
            "search-problem-value-too-long",
            &[("facet", facet.clone().into()), ("max", crate::i18n::Arg::Number(i64::from(*max)))],
        ),
        P::PageTooFar { max } => {
            lang.ta("search-problem-page-too-far", &[("max", crate::i18n::Arg::Number(i64::from(*max)))])
        }
    }
}
