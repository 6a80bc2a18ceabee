//! `/login` (the configured providers, the development login), `/account`
//! (identities, claims and their decisions, personal tokens, log out) and
//! `/account/claim` (the claim form). Every form is a plain HTML form
//! posting to the server: it works without JavaScript. Links to the
//! server's `/auth/…` routes are `rel="external"`: the router must not
//! handle them in the browser.
mod tables;

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::accounts::{get_account, get_login_page, Account, Gate, LoginPage as Login};
use crate::i18n::{use_lang, Arg};
use tables::{ClaimsTable, TokensSection};

/// The hidden field with the session's CSRF token.
#[component]
pub fn CsrfField(token: String) -> impl IntoView {
    view! { <input type="hidden" name="csrf" value=token/> }
}

/// A button posting a form with nothing but the CSRF token (withdraw,
/// revoke, delete, log out); `name` labels it for screen readers when its
/// text alone is ambiguous in a table ("Delete" of which row).
#[component]
pub fn PostButton(
    #[prop(into)] action: String,
    token: String,
    #[prop(into)] text: String,
    #[prop(optional, into)] name: Option<String>,
) -> impl IntoView {
    view! {
        <form method="post" action=action class="inline">
            <CsrfField token/>
            <button type="submit" aria-label=name>{text}</button>
        </form>
    }
}

/// "Please log in" with a link to the login page.
#[component]
pub fn LoginNeeded() -> impl IntoView {
    let lang = use_lang();
    view! {
        <p class="notice" role="status">
            {lang.t("accounts-login-needed")} " " <a href="/login">{lang.t("accounts-login")}</a>
        </p>
    }
}

const LOGIN_ERRORS: [&str; 5] = ["denied", "state", "provider", "unavailable", "disabled"];

#[component]
pub fn LoginPage() -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let page = Resource::new(|| (), |_| get_login_page());
    let error = move || {
        query.get().get("error").map(|e| {
            let e = LOGIN_ERRORS.iter().find(|k| **k == e).copied().unwrap_or("provider");
            view! { <p class="notice error" role="alert">{lang.t(&format!("accounts-login-error-{e}"))}</p> }
        })
    };
    view! {
        <Title text=lang.t("accounts-login-title")/>
        <h1>{lang.t("accounts-login-title")}</h1>
        <p class="lead">{lang.t("accounts-login-intro")}</p>
        {error}
        <Suspense fallback=move || view! { <p>{lang.t("accounts-loading")}</p> }>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(p) => view! { <LoginChoices page=p/> }.into_any(),
                    Err(_) => view! { <p role="alert">{lang.t("accounts-unavailable")}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn LoginChoices(page: Login) -> impl IntoView {
    let lang = use_lang();
    let none = page.providers.is_empty() && !page.dev_login;
    view! {
        {page.logged_in.then(|| view! {
            <p class="notice" role="status">{lang.t("accounts-login-already")} " " <a href="/account">{lang.t("accounts-account-title")}</a></p>
        })}
        {none.then(|| view! { <p>{lang.t("accounts-login-none")}</p> })}
        <ul class="login-providers">
            {page.providers.into_iter().map(|p| {
                let href = format!("/auth/{}/start?return=/account", p.forge);
                view! {
                    <li><a class="button" rel="external" href=href>{lang.ta("accounts-login-with", &[("provider", Arg::from(p.label))])}</a></li>
                }
            }).collect_view()}
        </ul>
        {page.dev_login.then(|| view! {
            <section class="dev-login" aria-labelledby="dev-login-title">
                <h2 id="dev-login-title">{lang.t("accounts-dev-login")}</h2>
                <p>{lang.t("accounts-dev-login-intro")}</p>
                <form method="post" action="/auth/dev-login">
                    <input type="hidden" name="return" value="/account"/>
                    <label for="dev-handle">{lang.t("accounts-dev-login-handle-label")}</label>
                    <input id="dev-handle" name="handle" required maxlength="39" autocomplete="username"/>
                    <button type="submit">{lang.t("accounts-dev-login-submit")}</button>
                </form>
            </section>
        })}
    }
}

#[component]
pub fn AccountPage() -> impl IntoView {
    let lang = use_lang();
    let account = Resource::new(|| (), |_| get_account());
    view! {
        <Title text=lang.t("accounts-account-title")/>
        <h1>{lang.t("accounts-account-title")}</h1>
        <Suspense fallback=move || view! { <p>{lang.t("accounts-loading")}</p> }>
            {move || Suspend::new(async move {
                match account.await {
                    Ok(Gate::Ok(a)) => view! { <AccountView account=a/> }.into_any(),
                    Ok(_) => view! { <LoginNeeded/> }.into_any(),
                    Err(_) => view! { <p role="alert">{lang.t("accounts-unavailable")}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn AccountView(account: Account) -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let Account { viewer, identities, claims, tokens, new_token, link } = account;
    let role = lang.t(&format!("accounts-role-{}", viewer.role));
    let intro =
        lang.ta("accounts-account-intro", &[("name", Arg::from(viewer.name.clone())), ("role", Arg::from(role))]);
    let notice = move || {
        let q = query.get();
        let claim = q.get("claim").filter(|c| c == "verified" || c == "pending");
        let claim = claim
            .map(|c| view! { <p class="notice" role="status">{lang.t(&format!("accounts-claim-created-{c}"))}</p> });
        let taken = (q.get("error").as_deref() == Some("taken"))
            .then(|| view! { <p class="notice error" role="alert">{lang.t("accounts-error-taken")}</p> });
        (claim, taken)
    };
    let csrf = viewer.csrf.clone();
    view! {
        <p class="lead">{intro}</p>
        {notice}
        {(viewer.is_moderator()).then(|| view! { <p><a href="/moderation">{lang.t("accounts-nav-moderation")}</a></p> })}
        {(viewer.is_admin()).then(|| view! { <p><a href="/admin">{lang.t("accounts-nav-admin")}</a></p> })}
        <section aria-labelledby="identities-title">
            <h2 id="identities-title">{lang.t("accounts-identities")}</h2>
            <table class="data identities">
                <caption>{lang.t("accounts-identities-caption")}</caption>
                <thead><tr>
                    <th scope="col">{lang.t("accounts-col-provider")}</th>
                    <th scope="col">{lang.t("accounts-col-handle")}</th>
                </tr></thead>
                <tbody>
                    {identities.into_iter().map(|i| view! {
                        <tr><td>{i.forge}</td><td>{i.handle}</td></tr>
                    }).collect_view()}
                </tbody>
            </table>
            {(!link.is_empty()).then(|| view! {
                <h3>{lang.t("accounts-link-another")}</h3>
                <ul class="login-providers">
                    {link.into_iter().map(|p| {
                        let href = format!("/auth/{}/start?return=/account", p.forge);
                        view! { <li><a rel="external" href=href>{lang.ta("accounts-link-with", &[("provider", Arg::from(p.label))])}</a></li> }
                    }).collect_view()}
                </ul>
            })}
        </section>
        <section id="claims" aria-labelledby="claims-title">
            <h2 id="claims-title">{lang.t("accounts-claims")}</h2>
            <ClaimsTable claims=claims csrf=csrf.clone()/>
        </section>
        <TokensSection tokens=tokens new_token=new_token csrf=csrf.clone() admin=viewer.is_admin()/>
        <section aria-labelledby="session-title">
            <h2 id="session-title">{lang.t("accounts-session")}</h2>
            <PostButton action="/auth/logout" token=csrf.clone() text=lang.t("accounts-logout")/>
            <p>{lang.t("accounts-logout-everywhere-intro")}</p>
            <PostButton action="/auth/logout-everywhere" token=csrf text=lang.t("accounts-logout-everywhere")/>
        </section>
    }
}

/// `/account/claim?target=ecosystem/channel/name`: the claim form.
#[component]
pub fn ClaimPage() -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let account = Resource::new(|| (), |_| get_account());
    view! {
        <Title text=lang.t("accounts-claim-title")/>
        <h1>{lang.t("accounts-claim-title")}</h1>
        <p class="lead">{lang.t("accounts-claim-intro")}</p>
        <Suspense fallback=move || view! { <p>{lang.t("accounts-loading")}</p> }>
            {move || Suspend::new(async move {
                let target = query.get_untracked().get("target").unwrap_or_default();
                match account.await {
                    Ok(Gate::Ok(a)) => view! {
                        <form method="post" action="/account/claims" class="claim-form">
                            <CsrfField token=a.viewer.csrf/>
                            <p>
                                <label for="claim-target">{lang.t("accounts-claim-target-label")}</label>
                                <input id="claim-target" name="target" required maxlength="600" value=target/>
                            </p>
                            <p>
                                <label for="claim-evidence">{lang.t("accounts-claim-evidence-label")}</label>
                                <textarea id="claim-evidence" name="evidence" rows="4" maxlength="4000"></textarea>
                            </p>
                            <button type="submit">{lang.t("accounts-claim-submit")}</button>
                        </form>
                    }.into_any(),
                    Ok(_) => view! { <LoginNeeded/> }.into_any(),
                    Err(_) => view! { <p role="alert">{lang.t("accounts-unavailable")}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}
