//! The account page's claims table and tokens section.
use leptos::prelude::*;

use super::{CsrfField, PostButton};
use crate::api::accounts::{Claim, Token};
use crate::i18n::use_lang;

fn open(status: &str) -> bool {
    matches!(status, "pending" | "verified" | "approved")
}

#[component]
pub fn ClaimsTable(claims: Vec<Claim>, csrf: String) -> impl IntoView {
    let lang = use_lang();
    if claims.is_empty() {
        return view! { <p>{lang.t("accounts-claims-none")}</p> }.into_any();
    }
    view! {
        <table class="data claims">
            <caption>{lang.t("accounts-claims-caption")}</caption>
            <thead><tr>
                <th scope="col">{lang.t("accounts-col-target")}</th>
                <th scope="col">{lang.t("accounts-col-status")}</th>
                <th scope="col">{lang.t("accounts-col-reason")}</th>
                <th scope="col">{lang.t("accounts-col-created")}</th>
                <th scope="col">{lang.t("accounts-col-actions")}</th>
            </tr></thead>
            <tbody>
                {claims.into_iter().map(|c| {
                    let action = format!("/account/claims/{}/withdraw", c.id);
                    let row_id = format!("claim-{}", c.id);
                    let is_open = open(&c.status);
                    let csrf = csrf.clone();
                    view! {
                        <tr id=row_id data-status=c.status.clone()>
                            <th scope="row"><a href=c.href>{c.target}</a></th>
                            <td class=format!("claim-status {}", c.status)>{lang.t(&format!("accounts-claim-status-{}", c.status))}</td>
                            <td>{c.reason.unwrap_or_default()}</td>
                            <td>{lang.date_time(&c.created_at)}</td>
                            <td>
                                {is_open.then(|| view! {
                                    <PostButton action token=csrf text=lang.t("accounts-withdraw")/>
                                })}
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
pub fn TokensSection(tokens: Vec<Token>, new_token: Option<String>, csrf: String, admin: bool) -> impl IntoView {
    let lang = use_lang();
    let table = if tokens.is_empty() {
        view! { <p>{lang.t("accounts-tokens-none")}</p> }.into_any()
    } else {
        let csrf = csrf.clone();
        view! {
            <table class="data tokens">
                <caption>{lang.t("accounts-tokens-caption")}</caption>
                <thead><tr>
                    <th scope="col">{lang.t("accounts-col-name")}</th>
                    <th scope="col">{lang.t("accounts-col-scope")}</th>
                    <th scope="col">{lang.t("accounts-col-expires")}</th>
                    <th scope="col">{lang.t("accounts-col-last-used")}</th>
                    <th scope="col">{lang.t("accounts-col-state")}</th>
                    <th scope="col">{lang.t("accounts-col-actions")}</th>
                </tr></thead>
                <tbody>
                    {tokens.into_iter().map(|t| {
                        let action = format!("/account/tokens/{}/revoke", t.id);
                        let live = t.state == "live";
                        let csrf = csrf.clone();
                        view! {
                            <tr>
                                <th scope="row">{t.name.unwrap_or_default()}</th>
                                <td><code>{t.scope}</code></td>
                                <td>{t.expires_at.map(|e| lang.date_time(&e)).unwrap_or_else(|| lang.t("accounts-never"))}</td>
                                <td>{t.last_used_at.map(|e| lang.date_time(&e)).unwrap_or_else(|| lang.t("accounts-never"))}</td>
                                <td>{lang.t(&format!("accounts-token-state-{}", t.state))}</td>
                                <td>
                                    {live.then(|| view! {
                                        <PostButton action token=csrf text=lang.t("accounts-token-revoke")/>
                                    })}
                                </td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        }
        .into_any()
    };
    view! {
        <section id="tokens" aria-labelledby="tokens-title">
            <h2 id="tokens-title">{lang.t("accounts-tokens")}</h2>
            <p>{lang.t("accounts-tokens-intro")}</p>
            {new_token.map(|secret| view! {
                <div class="notice" role="status">
                    <p>{lang.t("accounts-token-created")}</p>
                    <p><code id="new-token">{secret}</code></p>
                </div>
            })}
            {table}
            <h3>{lang.t("accounts-token-new")}</h3>
            <form method="post" action="/account/tokens" class="token-form">
                <CsrfField token=csrf/>
                <p>
                    <label for="token-name">{lang.t("accounts-token-name-label")}</label>
                    <input id="token-name" name="name" required maxlength="100"/>
                </p>
                <p>
                    <label for="token-scope">{lang.t("accounts-token-scope-label")}</label>
                    <select id="token-scope" name="scope">
                        <option value="account:read">"account:read"</option>
                        // The sites admin API (admins only).
                        {admin.then(|| view! { <option value="admin:sites">"admin:sites"</option> })}
                    </select>
                </p>
                <p>
                    <label for="token-days">{lang.t("accounts-token-days-label")}</label>
                    <input id="token-days" name="days" type="number" min="1" max="366" value="90" required/>
                </p>
                <button type="submit">{lang.t("accounts-token-create")}</button>
            </form>
        </section>
    }
}
