//! `/admin/funding` (admins and moderators): funders and sponsorships to
//! create, edit, end and delete, and the CSV import. Plain HTML forms
//! with the session's CSRF token: they work without JavaScript; the server
//! checks the role again on every form. `?edit_funder=SLUG` and
//! `?edit_sponsorship=ID` fill the forms with what is there.
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::parts::{amount_text, period};
use crate::api::accounts::Gate;
use crate::api::funding::{funder_href, get_funding_admin, FundingAdmin, CSV_HEADER, FUNDER_KINDS};
use crate::i18n::use_lang;
use crate::pages::account::{CsrfField, LoginNeeded, PostButton};

#[component]
pub fn FundingAdminPage() -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let key = move || {
        let q = query.get();
        (q.get("edit_funder").filter(|s| s.len() <= 63), q.get("edit_sponsorship").and_then(|v| v.parse::<i64>().ok()))
    };
    let done = move || query.get().get("done").filter(|d| d.len() <= 40);
    let page = Resource::new(key, |(f, s)| get_funding_admin(f, s));
    view! {
        <Title text=lang.t("funding-admin-title")/>
        <h1>{lang.t("funding-admin-title")}</h1>
        <p class="lead">{lang.t("funding-admin-intro")}</p>
        {move || done().map(|d| view! { <p class="notice" role="status">{lang.t(&format!("funding-done-{d}"))}</p> })}
        <Suspense fallback=move || view! { <p>{lang.t("funding-loading")}</p> }>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(Gate::Ok(a)) => view! { <Admin a/> }.into_any(),
                    Ok(Gate::Login) => view! { <LoginNeeded/> }.into_any(),
                    Ok(Gate::Forbidden) => {
                        #[cfg(feature = "ssr")]
                        crate::api::catalog::set_status(403);
                        view! { <p class="notice error" role="alert">{lang.t("accounts-forbidden-page")}</p> }.into_any()
                    }
                    Err(_) => view! { <p role="alert">{lang.t("accounts-unavailable")}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Field(
    id: &'static str,
    label: String,
    value: String,
    #[prop(optional)] kind: Option<&'static str>,
    #[prop(optional)] required: bool,
) -> impl IntoView {
    view! {
        <p class="field">
            <label for=id>{label}</label>
            <input id=id name=id.trim_start_matches("f-").trim_start_matches("s-") type=kind.unwrap_or("text") value=value required=required/>
        </p>
    }
}

#[component]
fn Admin(a: FundingAdmin) -> impl IntoView {
    let lang = use_lang();
    let csrf = a.viewer.csrf.clone();
    let ef = a.edit_funder.clone();
    let funder_action = ef
        .as_ref()
        .map_or_else(|| "/admin/funding/funders".to_string(), |f| format!("/admin/funding/funders/{}", f.slug));
    let fv = |get: fn(&crate::api::funding::Funder) -> Option<String>| ef.as_ref().and_then(get).unwrap_or_default();
    let kind_now = ef.as_ref().map(|f| f.kind.clone()).unwrap_or_default();
    let es = a.edit_sponsorship.clone();
    let sponsorship_action = es
        .as_ref()
        .map_or_else(|| "/admin/funding/sponsorships".to_string(), |s| format!("/admin/funding/sponsorships/{}", s.id));
    let sv =
        |get: fn(&crate::api::funding::Sponsorship) -> Option<String>| es.as_ref().and_then(get).unwrap_or_default();
    let funder_now = es.as_ref().map(|s| s.funder_slug.clone()).unwrap_or_default();
    let in_kind_now = es.as_ref().is_some_and(|s| s.in_kind);
    let funder_heading =
        if ef.is_some() { lang.t("funding-admin-edit-funder") } else { lang.t("funding-admin-new-funder") };
    let sponsorship_heading =
        if es.is_some() { lang.t("funding-admin-edit-sponsorship") } else { lang.t("funding-admin-new-sponsorship") };
    let slugs: Vec<(String, String)> = a.funders.iter().map(|f| (f.slug.clone(), f.name.clone())).collect();
    view! {
        <p><a href="/funding">{lang.t("funding-title")}</a> " · " <a href="/admin">{lang.t("accounts-admin-title")}</a></p>
        <section aria-labelledby="funder-form-h" id="funder-form">
            <h2 id="funder-form-h">{funder_heading}</h2>
            <form method="post" action=funder_action class="stacked">
                <CsrfField token=csrf.clone()/>
                <Field id="f-slug" label=lang.t("funding-field-slug") value=fv(|f| Some(f.slug.clone())) required=true/>
                <Field id="f-name" label=lang.t("funding-field-name") value=fv(|f| Some(f.name.clone())) required=true/>
                <p class="field">
                    <label for="f-kind">{lang.t("funding-field-kind")}</label>
                    <select id="f-kind" name="kind">
                        {FUNDER_KINDS.iter().map(|k| view! { <option value=*k selected=kind_now == *k>{lang.t(&format!("funding-kind-{k}"))}</option> }).collect_view()}
                    </select>
                </p>
                <Field id="f-country" label=lang.t("funding-field-country") value=fv(|f| f.country.clone())/>
                <Field id="f-url" label=lang.t("funding-field-url") value=fv(|f| f.url.clone()) kind="url"/>
                <p class="field">
                    <label for="f-description">{lang.t("funding-field-description")}</label>
                    <textarea id="f-description" name="description" rows="3" maxlength="5000">{fv(|f| f.description.clone())}</textarea>
                </p>
                <button type="submit">{lang.t("funding-save")}</button>
            </form>
        </section>
        <section aria-labelledby="sponsorship-form-h" id="sponsorship-form">
            <h2 id="sponsorship-form-h">{sponsorship_heading}</h2>
            <form method="post" action=sponsorship_action class="stacked">
                <CsrfField token=csrf.clone()/>
                <p class="field">
                    <label for="s-funder">{lang.t("funding-field-funder")}</label>
                    <select id="s-funder" name="funder">
                        {slugs.iter().map(|(slug, name)| view! { <option value=slug.clone() selected=funder_now == *slug>{name.clone()}</option> }).collect_view()}
                    </select>
                </p>
                <Field id="s-target" label=lang.t("funding-field-target") value=sv(|s| Some(s.target.clone())) required=true/>
                <p class="muted">{lang.t("funding-target-help")}</p>
                <Field id="s-amount" label=lang.t("funding-field-amount") value=sv(|s| s.amount.clone())/>
                <Field id="s-currency" label=lang.t("funding-field-currency") value=sv(|s| s.currency.clone())/>
                <p class="field">
                    <input id="s-in_kind" name="in_kind" type="checkbox" value="true" checked=in_kind_now/>
                    <label for="s-in_kind">{lang.t("funding-field-in-kind")}</label>
                </p>
                <Field id="s-starts_on" label=lang.t("funding-field-starts") value=sv(|s| Some(s.starts_on.clone())) kind="date" required=true/>
                <Field id="s-ends_on" label=lang.t("funding-field-ends") value=sv(|s| s.ends_on.clone()) kind="date"/>
                <p class="field">
                    <label for="s-note">{lang.t("funding-field-note")}</label>
                    <textarea id="s-note" name="note" rows="2" maxlength="5000">{sv(|s| s.note.clone())}</textarea>
                </p>
                <Field id="s-source_url" label=lang.t("funding-field-source") value=sv(|s| s.source_url.clone()) kind="url"/>
                <button type="submit">{lang.t("funding-save")}</button>
            </form>
        </section>
        <section aria-labelledby="import-h" id="import">
            <h2 id="import-h">{lang.t("funding-import")}</h2>
            <p>{lang.t("funding-import-help")} " " <code>{CSV_HEADER}</code></p>
            <form method="post" action="/admin/funding/import" class="stacked" enctype="multipart/form-data">
                <CsrfField token=csrf.clone()/>
                <label for="import-file">{lang.t("funding-import-file")}</label>
                <input id="import-file" type="file" name="file" accept=".csv,text/csv"/>
                <label for="import-csv">{lang.t("funding-import-label")}</label>
                <textarea id="import-csv" name="csv" rows="6"></textarea>
                <button type="submit">{lang.t("funding-import-button")}</button>
            </form>
        </section>
        <section aria-labelledby="funders-h">
            <h2 id="funders-h">{lang.t("funding-funders")}</h2>
            <table class="data">
                <caption class="visually-hidden">{lang.t("funding-funders")}</caption>
                <thead><tr>
                    <th scope="col">{lang.t("funding-col-funder")}</th>
                    <th scope="col">{lang.t("funding-field-kind")}</th>
                    <th scope="col">{lang.t("funding-col-count")}</th>
                    <th scope="col">{lang.t("funding-col-actions")}</th>
                </tr></thead>
                <tbody>
                    {a.funders.into_iter().map(|f| {
                        let csrf = csrf.clone();
                        let label = lang.ta("funding-delete-funder", &[("name", f.name.clone().into())]);
                        view! {
                            <tr id=format!("funder-{}", f.slug)>
                                <th scope="row"><a href=funder_href(&f.slug)>{f.name.clone()}</a> " " <code>{f.slug.clone()}</code></th>
                                <td>{lang.t(&format!("funding-kind-{}", f.kind))}</td>
                                <td>{lang.int(f.active + f.ended)}</td>
                                <td>
                                    <a href=format!("/admin/funding?edit_funder={}#funder-form", f.slug)>{lang.ta("funding-edit-named", &[("name", f.name.clone().into())])}</a>
                                    <PostButton action=format!("/admin/funding/funders/{}/delete", f.slug) token=csrf
                                        text=lang.t("funding-delete") name=label/>
                                </td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </section>
        <section aria-labelledby="sponsorships-h">
            <h2 id="sponsorships-h">{lang.t("funding-sponsorships")}</h2>
            <table class="data">
                <caption class="visually-hidden">{lang.t("funding-sponsorships")}</caption>
                <thead><tr>
                    <th scope="col">{lang.t("funding-col-target")}</th>
                    <th scope="col">{lang.t("funding-col-funder")}</th>
                    <th scope="col">{lang.t("funding-col-amount")}</th>
                    <th scope="col">{lang.t("funding-col-period")}</th>
                    <th scope="col">{lang.t("funding-col-actions")}</th>
                </tr></thead>
                <tbody>
                    {a.sponsorships.into_iter().map(|s| {
                        let csrf2 = csrf.clone();
                        let csrf3 = csrf.clone();
                        let end_id = format!("end-{}", s.id);
                        let who = format!("{} → {}", s.funder_name, s.target_label);
                        view! {
                            <tr id=format!("sponsorship-{}", s.id)>
                                <th scope="row">{s.target.clone()}</th>
                                <td>{s.funder_name.clone()}</td>
                                <td>{amount_text(lang, &s)}</td>
                                <td>{period(lang, &s.starts_on, s.ends_on.as_deref())}</td>
                                <td>
                                    <a href=format!("/admin/funding?edit_sponsorship={}#sponsorship-form", s.id)>{lang.ta("funding-edit-named", &[("name", who.clone().into())])}</a> " · "
                                    <a href=format!("/funding/sponsorships/{}", s.id)>{lang.t("funding-revisions")}</a>
                                    {s.active.then(|| view! {
                                        <form method="post" action=format!("/admin/funding/sponsorships/{}/end", s.id) class="inline">
                                            <CsrfField token=csrf2/>
                                            <label for=end_id.clone()>{lang.t("funding-end-on")}</label>
                                            <input id=end_id type="date" name="ends_on"/>
                                            <button type="submit">{lang.t("funding-end")}</button>
                                        </form>
                                    })}
                                    <PostButton action=format!("/admin/funding/sponsorships/{}/delete", s.id) token=csrf3
                                        text=lang.t("funding-delete") name=lang.ta("funding-delete-sponsorship", &[("name", who.into())])/>
                                </td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </section>
    }
}
