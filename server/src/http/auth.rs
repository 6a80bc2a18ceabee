//! Login and logout: `/auth/{forge}/start` sends the browser to the
//! provider, `/auth/{forge}/callback` comes back (state and PKCE checked,
//! the session id rotated), `/auth/logout`, `/auth/logout-everywhere`, and
//! the development login. Failures go back to `/login?error=…`, which says
//! what happened in the visitor's language.
use axum::{
    extract::{FromRequestParts, Path, Query, State},
    http::{header, request::Parts, HeaderMap, HeaderValue, StatusCode},
    response::{IntoResponse, Response},
    routing::{get, post},
    Form, Router,
};
use serde::Deserialize;
use tower_sessions::Session;

use super::AppState;
use crate::accounts::{
    config::dev_login_allowed,
    csrf,
    oauth::{self, LoginError, Pending, ProviderUser},
    session::{self, SessionUser, Viewer},
    users,
};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/auth/{forge}/start", get(start))
        .route("/auth/{forge}/callback", get(callback))
        .route("/auth/logout", post(logout))
        .route("/auth/logout-everywhere", post(logout_everywhere))
        .route("/auth/dev-login", post(dev_login))
}

/// The request's logged-in person, if any (set by `session::resolve`).
pub struct MaybeViewer(pub Option<Viewer>);

impl<S: Send + Sync> FromRequestParts<S> for MaybeViewer {
    type Rejection = std::convert::Infallible;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(MaybeViewer(parts.extensions.get::<Viewer>().cloned()))
    }
}

/// A 303 to `location`, never stored.
pub fn see_other(location: &str) -> Response {
    let mut response = StatusCode::SEE_OTHER.into_response();
    let value = HeaderValue::from_str(location).unwrap_or(HeaderValue::from_static("/"));
    response.headers_mut().insert(header::LOCATION, value);
    response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// A refusal in the visitor's language.
pub fn refuse(headers: &HeaderMap, status: StatusCode, key: &str) -> Response {
    let lang = app::i18n::from_headers(headers);
    let mut response = (status, lang.t(key)).into_response();
    response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// The logged-in person of a form, checked: logged in (401), the form
/// comes from this site with the session's token (403), the role (403).
pub fn guard(
    state: &AppState,
    headers: &HeaderMap,
    viewer: Option<Viewer>,
    token: &str,
    role: &str,
) -> Result<Viewer, Box<Response>> {
    let Some(v) = viewer else {
        return Err(Box::new(refuse(headers, StatusCode::UNAUTHORIZED, "accounts-login-needed")));
    };
    if !csrf::form_ok(headers, state.config.public_url.as_deref(), &v.csrf, token) {
        return Err(Box::new(refuse(headers, StatusCode::FORBIDDEN, "accounts-csrf-refused")));
    }
    if users::rank(&v.role) < users::rank(role) {
        return Err(Box::new(refuse(headers, StatusCode::FORBIDDEN, "accounts-forbidden")));
    }
    Ok(v)
}

#[derive(Deserialize)]
struct StartQuery {
    #[serde(rename = "return", default)]
    back: String,
}

async fn start(
    State(state): State<AppState>,
    Path(forge): Path<String>,
    Query(q): Query<StartQuery>,
    session: Session,
) -> Response {
    let (Some(provider), Some(public_url)) =
        (state.config.accounts.provider(&forge), state.config.public_url.as_deref())
    else {
        return see_other("/login?error=provider");
    };
    let back = super::lang::return_path(if q.back.is_empty() { "/account" } else { &q.back });
    match oauth::start(provider, public_url, back) {
        Ok((url, pending)) => {
            if session.insert(session::PENDING, pending).await.is_err() {
                return see_other("/login?error=unavailable");
            }
            see_other(&url)
        }
        Err(_) => see_other("/login?error=provider"),
    }
}

#[derive(Deserialize)]
struct Callback {
    code: Option<String>,
    state: Option<String>,
    error: Option<String>,
}

async fn callback(
    State(state): State<AppState>,
    Path(forge): Path<String>,
    Query(q): Query<Callback>,
    MaybeViewer(viewer): MaybeViewer,
    session: Session,
) -> Response {
    // The pending login is used once, whatever happens next.
    let pending: Option<Pending> = session.remove(session::PENDING).await.ok().flatten();
    if let Some(error) = q.error.as_deref() {
        return see_other(if error == "access_denied" { "/login?error=denied" } else { "/login?error=provider" });
    }
    let (Some(provider), Some(public_url)) =
        (state.config.accounts.provider(&forge), state.config.public_url.as_deref())
    else {
        return see_other("/login?error=provider");
    };
    let Some(pending) = pending.filter(|p| p.forge == forge && Some(p.state.as_str()) == q.state.as_deref()) else {
        return see_other("/login?error=state");
    };
    let Some(code) = q.code.filter(|c| !c.is_empty() && c.len() <= 2048) else {
        return see_other("/login?error=provider");
    };
    let http = oauth::http_client(std::time::Duration::from_secs(state.config.accounts.provider_timeout_secs));
    let who = match oauth::finish(provider, public_url, &http, &pending, &code).await {
        Ok(who) => who,
        Err(_) => return see_other("/login?error=provider"),
    };
    log_in(&state, &session, &who, viewer.map(|v| v.id), &pending.back).await
}

/// Logs `who` in (or links it to `current`), rotates the session id and goes to `back`.
async fn log_in(state: &AppState, session: &Session, who: &ProviderUser, current: Option<i64>, back: &str) -> Response {
    let (id, epoch) = match users::login(&state.pool, &state.config.accounts, who, current).await {
        Ok(user) => user,
        Err(LoginError::TakenByOther) => return see_other("/account?error=taken"),
        Err(LoginError::Disabled) => return see_other("/login?error=disabled"),
        Err(e) => {
            tracing::warn!(error = %e, "login not recorded");
            return see_other("/login?error=unavailable");
        }
    };
    let csrf = match session.get::<SessionUser>(session::USER).await.ok().flatten() {
        // Linking keeps the session's token (forms already open stay valid).
        Some(su) if su.id == id => su.csrf,
        _ => session::random_token(),
    };
    let user = SessionUser { id, epoch, csrf };
    if session.cycle_id().await.is_err() || session.insert(session::USER, user).await.is_err() {
        return see_other("/login?error=unavailable");
    }
    tracing::info!(user = id, forge = %who.forge, "logged in");
    see_other(back)
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct TokenForm {
    pub csrf: String,
}

async fn logout(
    State(state): State<AppState>,
    headers: HeaderMap,
    MaybeViewer(viewer): MaybeViewer,
    session: Session,
    Form(form): Form<TokenForm>,
) -> Response {
    if let Err(refused) = guard(&state, &headers, viewer, &form.csrf, "user") {
        return *refused;
    }
    let _ = session.flush().await;
    see_other("/")
}

async fn logout_everywhere(
    State(state): State<AppState>,
    headers: HeaderMap,
    MaybeViewer(viewer): MaybeViewer,
    session: Session,
    Form(form): Form<TokenForm>,
) -> Response {
    let v = match guard(&state, &headers, viewer, &form.csrf, "user") {
        Ok(v) => v,
        Err(refused) => return *refused,
    };
    if users::logout_everywhere(&state.pool, v.id).await.is_err() {
        return refuse(&headers, StatusCode::SERVICE_UNAVAILABLE, "accounts-unavailable");
    }
    let _ = session.flush().await;
    see_other("/")
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct DevLogin {
    handle: String,
    #[serde(rename = "return")]
    back: String,
}

/// Logs in as any GitHub handle, without a provider: only with
/// `accounts.dev_login` on a portal at http://127.0.0.1 / localhost.
async fn dev_login(
    State(state): State<AppState>,
    headers: HeaderMap,
    MaybeViewer(viewer): MaybeViewer,
    session: Session,
    Form(form): Form<DevLogin>,
) -> Response {
    if !(state.config.accounts.dev_login && dev_login_allowed(state.config.public_url.as_deref())) {
        return refuse(&headers, StatusCode::NOT_FOUND, "accounts-dev-login-off");
    }
    if csrf::from_this_site(&headers, state.config.public_url.as_deref()) != Some(true) {
        return refuse(&headers, StatusCode::FORBIDDEN, "accounts-csrf-refused");
    }
    let handle = form.handle.trim();
    let valid = !handle.is_empty()
        && handle.len() <= 39
        && handle.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        && !handle.starts_with('-');
    if !valid {
        return refuse(&headers, StatusCode::BAD_REQUEST, "accounts-dev-login-handle");
    }
    let who = ProviderUser {
        forge: "github".into(),
        subject: format!("dev-login:{}", handle.to_ascii_lowercase()),
        handle: handle.to_string(),
        name: None,
    };
    let back = super::lang::return_path(if form.back.is_empty() { "/account" } else { &form.back });
    log_in(&state, &session, &who, viewer.map(|v| v.id), &back).await
}
