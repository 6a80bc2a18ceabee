//! The account's forms (claims, tokens), moderation and admin decisions,
//! and the account's JSON (`GET /api/v1/account`, with a personal token of
//! scope `account:read` or the session). Every form: logged in, from this
//! site with the session's token, the role; then 303 back to its page.
use axum::{
    extract::{Path, State},
    http::{header, HeaderMap, StatusCode},
    response::{IntoResponse, Response},
    routing::{get, post},
    Form, Json, Router,
};
use serde::{Deserialize, Serialize};
use tower_sessions::Session;

use super::{
    auth::{guard, refuse, see_other, MaybeViewer, TokenForm},
    AppState,
};
use crate::accounts::{
    claims::{self, ClaimError, Target},
    port, session, tokens, users,
};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/account/claims", post(claim))
        .route("/account/claims/{id}/withdraw", post(withdraw))
        .route("/account/tokens", post(create_token))
        .route("/account/tokens/{id}/revoke", post(revoke_token))
        .route("/moderation/claims/{id}", post(decide))
        .route("/admin/users/{id}/role", post(set_role))
        .route("/api/v1/account", get(account_json))
}

fn claim_refusal(headers: &HeaderMap, e: ClaimError) -> Response {
    let (status, key) = match e {
        ClaimError::NoTarget => (StatusCode::NOT_FOUND, "accounts-claim-no-target"),
        ClaimError::Duplicate => (StatusCode::CONFLICT, "accounts-claim-duplicate"),
        ClaimError::NoClaim => (StatusCode::NOT_FOUND, "accounts-claim-not-open"),
        ClaimError::ReasonNeeded => (StatusCode::BAD_REQUEST, "accounts-claim-reason-needed"),
        ClaimError::TooLong => (StatusCode::BAD_REQUEST, "accounts-text-too-long"),
        ClaimError::Db(e) => {
            tracing::warn!(error = %e, "claim");
            (StatusCode::SERVICE_UNAVAILABLE, "accounts-unavailable")
        }
    };
    refuse(headers, status, key)
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct ClaimForm {
    csrf: String,
    /// `ecosystem/channel/name` or `project:key`.
    target: String,
    evidence: String,
}

async fn claim(
    State(state): State<AppState>,
    headers: HeaderMap,
    MaybeViewer(viewer): MaybeViewer,
    Form(form): Form<ClaimForm>,
) -> Response {
    let v = match guard(&state, &headers, viewer, &form.csrf, "user") {
        Ok(v) => v,
        Err(refused) => return *refused,
    };
    let Some(target) = Target::parse(&form.target) else {
        return refuse(&headers, StatusCode::BAD_REQUEST, "accounts-claim-bad-target");
    };
    match claims::create(&state.pool, v.id, &target, &form.evidence).await {
        Ok((id, status)) => see_other(&format!("/account?claim={status}#claim-{id}")),
        Err(e) => claim_refusal(&headers, e),
    }
}

async fn withdraw(
    State(state): State<AppState>,
    headers: HeaderMap,
    MaybeViewer(viewer): MaybeViewer,
    Path(id): Path<i64>,
    Form(form): Form<TokenForm>,
) -> Response {
    let v = match guard(&state, &headers, viewer, &form.csrf, "user") {
        Ok(v) => v,
        Err(refused) => return *refused,
    };
    match claims::withdraw(&state.pool, v.id, id).await {
        Ok(()) => see_other("/account#claims"),
        Err(e) => claim_refusal(&headers, e),
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct NewTokenForm {
    csrf: String,
    name: String,
    scope: String,
    days: String,
}

async fn create_token(
    State(state): State<AppState>,
    headers: HeaderMap,
    MaybeViewer(viewer): MaybeViewer,
    session: Session,
    Form(form): Form<NewTokenForm>,
) -> Response {
    let v = match guard(&state, &headers, viewer, &form.csrf, "user") {
        Ok(v) => v,
        Err(refused) => return *refused,
    };
    let Ok(days) = form.days.trim().parse::<i64>() else {
        return refuse(&headers, StatusCode::BAD_REQUEST, "accounts-token-invalid");
    };
    // The sites admin API's scope is for admins (the API checks the owner's role again at each request).
    if form.scope == super::sites_admin::SCOPE && users::rank(&v.role) < users::rank("admin") {
        return refuse(&headers, StatusCode::FORBIDDEN, "accounts-forbidden");
    }
    match tokens::create_personal(&state.pool, v.id, &form.name, &form.scope, days).await {
        Ok(created) => {
            if session.insert(session::NEW_TOKEN, created.secret).await.is_err() {
                return refuse(&headers, StatusCode::SERVICE_UNAVAILABLE, "accounts-unavailable");
            }
            see_other("/account#tokens")
        }
        Err(e) => {
            tracing::debug!(error = %e, "token refused");
            refuse(&headers, StatusCode::BAD_REQUEST, "accounts-token-invalid")
        }
    }
}

async fn revoke_token(
    State(state): State<AppState>,
    headers: HeaderMap,
    MaybeViewer(viewer): MaybeViewer,
    Path(id): Path<i64>,
    Form(form): Form<TokenForm>,
) -> Response {
    let v = match guard(&state, &headers, viewer, &form.csrf, "user") {
        Ok(v) => v,
        Err(refused) => return *refused,
    };
    match tokens::revoke_personal(&state.pool, v.id, id).await {
        Ok(true) => see_other("/account#tokens"),
        Ok(false) => refuse(&headers, StatusCode::NOT_FOUND, "accounts-token-unknown"),
        Err(_) => refuse(&headers, StatusCode::SERVICE_UNAVAILABLE, "accounts-unavailable"),
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Decision {
    csrf: String,
    /// approve or reject
    decision: String,
    reason: String,
}

async fn decide(
    State(state): State<AppState>,
    headers: HeaderMap,
    MaybeViewer(viewer): MaybeViewer,
    Path(id): Path<i64>,
    Form(form): Form<Decision>,
) -> Response {
    let v = match guard(&state, &headers, viewer, &form.csrf, "moderator") {
        Ok(v) => v,
        Err(refused) => return *refused,
    };
    let approve = match form.decision.as_str() {
        "approve" => true,
        "reject" => false,
        _ => return refuse(&headers, StatusCode::BAD_REQUEST, "accounts-decision-invalid"),
    };
    match claims::decide(&state.pool, v.id, id, approve, &form.reason).await {
        Ok(()) => see_other("/moderation"),
        Err(e) => claim_refusal(&headers, e),
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct RoleForm {
    csrf: String,
    role: String,
    reason: String,
}

async fn set_role(
    State(state): State<AppState>,
    headers: HeaderMap,
    MaybeViewer(viewer): MaybeViewer,
    Path(id): Path<i64>,
    Form(form): Form<RoleForm>,
) -> Response {
    let v = match guard(&state, &headers, viewer, &form.csrf, "admin") {
        Ok(v) => v,
        Err(refused) => return *refused,
    };
    let reason = Some(form.reason.trim()).filter(|r| !r.is_empty() && r.len() <= 4000);
    match users::set_role(&state.pool, v.id, id, &form.role, reason).await {
        Ok(()) => see_other("/admin"),
        Err(users::RoleError::NoUser) => refuse(&headers, StatusCode::NOT_FOUND, "accounts-role-no-user"),
        Err(users::RoleError::Db(_)) => refuse(&headers, StatusCode::SERVICE_UNAVAILABLE, "accounts-unavailable"),
        Err(_) => refuse(&headers, StatusCode::BAD_REQUEST, "accounts-role-invalid"),
    }
}

/// The account's path and tag in the OpenAPI document.
#[derive(utoipa::OpenApi)]
#[openapi(
    paths(account_json),
    components(schemas(AccountJson)),
    tags((name = "accounts", description = "The logged-in person's account (personal token or session)"))
)]
pub struct AccountApi;

/// The logged-in person's account (`GET /api/v1/account`).
#[derive(Serialize, utoipa::ToSchema)]
pub struct AccountJson {
    pub name: String,
    /// user, moderator or admin
    pub role: String,
    pub identities: Vec<app::api::accounts::Identity>,
    pub claims: Vec<app::api::accounts::Claim>,
}

#[derive(Serialize)]
struct ApiError {
    error: String,
}

fn api_error(status: StatusCode, message: &str) -> Response {
    (status, [(header::CACHE_CONTROL, "no-store")], Json(ApiError { error: message.into() })).into_response()
}

/// The account of a personal token of scope `account:read`, or of the session.
#[utoipa::path(get, path = "/api/v1/account", tag = "accounts",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The account: public name, role, identities (public handles) and claims", body = AccountJson),
        (status = 401, description = "No session and no live token"),
        (status = 403, description = "A token without the scope account:read"),
    ))]
pub async fn account_json(
    State(state): State<AppState>,
    headers: HeaderMap,
    MaybeViewer(viewer): MaybeViewer,
) -> Response {
    let user = if headers.contains_key(header::AUTHORIZATION) {
        let auth = headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok());
        match tokens::authenticate(&state.pool, auth).await {
            Ok(Ok(t)) => match t.user_id.filter(|_| t.scope == "account:read") {
                Some(user) => user,
                None => return api_error(StatusCode::FORBIDDEN, "this token does not have the scope account:read"),
            },
            Ok(Err(tokens::Refusal::Unauthenticated(why))) => return api_error(StatusCode::UNAUTHORIZED, why),
            Ok(Err(tokens::Refusal::Forbidden)) => return api_error(StatusCode::FORBIDDEN, "forbidden"),
            Err(_) => return api_error(StatusCode::SERVICE_UNAVAILABLE, "the database is unavailable"),
        }
    } else {
        match viewer {
            Some(v) => v.id,
            None => return api_error(StatusCode::UNAUTHORIZED, "log in, or send Authorization: Bearer <token>"),
        }
    };
    let read = async {
        let u = users::get(&state.pool, user).await?;
        let identities = port::identities(&state.pool, user).await?;
        let claims = claims::of_user(&state.pool, user).await?;
        Ok::<_, sqlx::Error>((u, identities, claims))
    };
    match read.await {
        Ok((Some(u), identities, claims)) => (
            [(header::CACHE_CONTROL, "private, no-store")],
            Json(AccountJson {
                name: u.name.unwrap_or_default(),
                role: u.role,
                identities,
                claims: claims.into_iter().map(port::claim_view).collect(),
            }),
        )
            .into_response(),
        Ok(_) => api_error(StatusCode::UNAUTHORIZED, "no such account"),
        Err(_) => api_error(StatusCode::SERVICE_UNAVAILABLE, "the database is unavailable"),
    }
}
