//! `/moderation` (moderators: pending claims, approve or reject with a
//! reason) and `/admin` (admins: people and roles, the audit log). Plain
//! HTML forms: they work without JavaScript. The server checks every role
//! again on every form.
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::accounts::{get_admin, get_moderation, Admin, Gate, Moderation};
use crate::components::pager::Pager;
use crate::i18n::use_lang;
use crate::pages::account::{CsrfField, LoginNeeded};

#[component]
fn Forbidden() -> impl IntoView {
    let lang = use_lang();
    #[cfg(feature = "ssr")]
    {
        if let Some(resp) = use_context::<leptos_axum::ResponseOptions>() {
            resp.set_status(http::StatusCode::FORBIDDEN);
        }
    }
    view! { <p class="notice error" role="alert">{lang.t("accounts-forbidden-page")}</p> }
}

#[component]
pub fn ModerationPage() -> impl IntoView {
    let lang = use_lang();
    let page = Resource::new(|| (), |_| get_moderation());
    view! {
        <Title text=lang.t("accounts-moderation-title")/>
        <h1>{lang.t("accounts-moderation-title")}</h1>
        <p class="lead">{lang.t("accounts-moderation-intro")}</p>
        <p><a href="/admin/funding">{lang.t("accounts-funding-admin-link")}</a></p>
        <Suspense fallback=move || view! { <p>{lang.t("accounts-loading")}</p> }>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(Gate::Ok(m)) => view! { <Queue page=m/> }.into_any(),
                    Ok(Gate::Login) => view! { <LoginNeeded/> }.into_any(),
                    Ok(Gate::Forbidden) => view! { <Forbidden/> }.into_any(),
                    Err(_) => view! { <p role="alert">{lang.t("accounts-unavailable")}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Queue(page: Moderation) -> impl IntoView {
    let lang = use_lang();
    if page.pending.is_empty() {
        return view! { <p>{lang.t("accounts-moderation-none")}</p> }.into_any();
    }
    let csrf = page.viewer.csrf;
    view! {
        <table class="data moderation">
            <caption>{lang.t("accounts-moderation-caption")}</caption>
            <thead><tr>
                <th scope="col">{lang.t("accounts-col-target")}</th>
                <th scope="col">{lang.t("accounts-col-claimant")}</th>
                <th scope="col">{lang.t("accounts-col-evidence")}</th>
                <th scope="col">{lang.t("accounts-col-created")}</th>
                <th scope="col">{lang.t("accounts-col-actions")}</th>
            </tr></thead>
            <tbody>
                {page.pending.into_iter().map(|c| {
                    let action = format!("/moderation/claims/{}", c.id);
                    let reason_id = format!("reason-{}", c.id);
                    let csrf = csrf.clone();
                    view! {
                        <tr id=format!("pending-{}", c.id)>
                            <th scope="row"><a href=c.href>{c.target}</a></th>
                            <td>{c.claimant.unwrap_or_default()}</td>
                            <td class="evidence">{c.evidence.unwrap_or_default()}</td>
                            <td>{lang.date_time(&c.created_at)}</td>
                            <td>
                                <form method="post" action=action class="decision">
                                    <CsrfField token=csrf/>
                                    <label for=reason_id.clone()>{lang.t("accounts-reason-label")}</label>
                                    <textarea id=reason_id name="reason" rows="2" maxlength="4000"></textarea>
                                    <button type="submit" name="decision" value="approve">{lang.t("accounts-approve")}</button>
                                    <button type="submit" name="decision" value="reject">{lang.t("accounts-reject")}</button>
                                </form>
                            </td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}

#[component]
pub fn AdminPage() -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let audit_page =
        move || query.with(|q| q.get("page").and_then(|v| v.parse::<i64>().ok()).unwrap_or(1).clamp(1, 1_000_000));
    let page = Resource::new(audit_page, get_admin);
    view! {
        <Title text=lang.t("accounts-admin-title")/>
        <h1>{lang.t("accounts-admin-title")}</h1>
        <p class="lead">{lang.t("accounts-admin-intro")}</p>
        <p><a href="/admin/funding">{lang.t("accounts-funding-admin-link")}</a></p>
        <Suspense fallback=move || view! { <p>{lang.t("accounts-loading")}</p> }>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(Gate::Ok(a)) => view! { <AdminView page=a/> }.into_any(),
                    Ok(Gate::Login) => view! { <LoginNeeded/> }.into_any(),
                    Ok(Gate::Forbidden) => view! { <Forbidden/> }.into_any(),
                    Err(_) => view! { <p role="alert">{lang.t("accounts-unavailable")}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn AdminView(page: Admin) -> impl IntoView {
    let lang = use_lang();
    let csrf = page.viewer.csrf.clone();
    let me = page.viewer.id;
    view! {
        <section aria-labelledby="people-title">
            <h2 id="people-title">{lang.t("accounts-people")}</h2>
            <table class="data people">
                <caption>{lang.t("accounts-people-caption")}</caption>
                <thead><tr>
                    <th scope="col">{lang.t("accounts-col-person")}</th>
                    <th scope="col">{lang.t("accounts-col-identities")}</th>
                    <th scope="col">{lang.t("accounts-col-role")}</th>
                </tr></thead>
                <tbody>
                    {page.people.into_iter().map(|p| {
                        let select_id = format!("role-{}", p.id);
                        let action = format!("/admin/users/{}/role", p.id);
                        let role_text = lang.t(&format!("accounts-role-{}", p.role));
                        let csrf = csrf.clone();
                        let current = p.role.clone();
                        let form = (p.id != me).then(|| view! {
                            <form method="post" action=action class="inline">
                                <CsrfField token=csrf/>
                                <label for=select_id.clone() class="visually-hidden">{lang.t("accounts-col-role")}</label>
                                <select id=select_id name="role">
                                    {["user", "moderator", "admin"].into_iter().map(|r| view! {
                                        <option value=r selected=current == r>{lang.t(&format!("accounts-role-{r}"))}</option>
                                    }).collect_view()}
                                </select>
                                <button type="submit">{lang.t("accounts-role-set")}</button>
                            </form>
                        });
                        view! {
                            <tr>
                                <th scope="row">{p.name.unwrap_or_default()}</th>
                                <td>{p.identities.join(", ")}</td>
                                <td>{role_text} {form}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </section>
        <section aria-labelledby="audit-title" id="audit">
            <h2 id="audit-title">{lang.t("accounts-audit")}</h2>
            <p role="status">{lang.tn("accounts-audit-count", page.audit_total)}</p>
            <table class="data audit">
                <caption>{lang.t("accounts-audit-caption")}</caption>
                <thead><tr>
                    <th scope="col">{lang.t("accounts-col-at")}</th>
                    <th scope="col">{lang.t("accounts-col-actor")}</th>
                    <th scope="col">{lang.t("accounts-col-action")}</th>
                    <th scope="col">{lang.t("accounts-col-on")}</th>
                    <th scope="col">{lang.t("accounts-col-reason")}</th>
                </tr></thead>
                <tbody>
                    {page.audit.into_iter().map(|e| view! {
                        <tr>
                            <td>{lang.date_time(&e.at)}</td>
                            <td>{e.actor.unwrap_or_else(|| lang.t("accounts-system"))}</td>
                            <td><code>{e.action}</code> {e.demo.then(|| view! { " " <span class="badge demo">{lang.t("accounts-demo")}</span> })}</td>
                            <td>{e.target}</td>
                            <td>{e.reason.unwrap_or_default()}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
            <Pager base="/admin?page=" page=page.audit_page pages=page.audit_pages/>
        </section>
    }
}
