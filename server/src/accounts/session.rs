//! Sessions: tower-sessions in PostgreSQL (`tower_sessions.session`), an
//! HttpOnly, SameSite=Lax cookie (Secure when the public URL is https). The
//! session holds the user's id, the epoch it was made at ("log out
//! everywhere" bumps the user's epoch: older sessions are ended on their
//! next request) and the session's CSRF token. `resolve` turns a live
//! session into the request's `Viewer`; answers to a request carrying the
//! session cookie are `Cache-Control: private, no-store`.
use axum::{
    extract::{Request, State},
    http::{header, HeaderValue},
    middleware::Next,
    response::Response,
};
use serde::{Deserialize, Serialize};
use sqlx::PgPool;
use tower_sessions::{cookie::SameSite, Expiry, Session, SessionManagerLayer};
use tower_sessions_sqlx_store::PostgresStore;

pub use app::api::accounts::Viewer;

use super::users;

pub const COOKIE: &str = "pacatlas_session";
/// Session keys.
pub const USER: &str = "user";
pub const PENDING: &str = "login";
pub const NEW_TOKEN: &str = "new_token";

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct SessionUser {
    pub id: i64,
    pub epoch: i32,
    pub csrf: String,
}

pub fn store(pool: PgPool) -> PostgresStore {
    PostgresStore::new(pool)
}

pub fn layer(pool: PgPool, public_url: Option<&str>, hours: u64) -> SessionManagerLayer<PostgresStore> {
    let secure = public_url.is_some_and(|u| u.starts_with("https://"));
    SessionManagerLayer::new(store(pool))
        .with_name(COOKIE)
        .with_http_only(true)
        .with_same_site(SameSite::Lax)
        .with_secure(secure)
        .with_path("/")
        .with_expiry(Expiry::OnInactivity(time::Duration::hours(hours.min(24 * 366) as i64)))
}

/// Deletes expired sessions every `every` (`serve` starts it).
pub fn spawn_cleanup(pool: PgPool, every: std::time::Duration) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(every);
        loop {
            tick.tick().await;
            let done = tokio::time::timeout(
                std::time::Duration::from_secs(60),
                sqlx::query("DELETE FROM tower_sessions.session WHERE expiry_date < now()").execute(&pool),
            )
            .await;
            match done {
                Ok(Ok(r)) if r.rows_affected() > 0 => tracing::info!(deleted = r.rows_affected(), "expired sessions"),
                Ok(Err(e)) => tracing::warn!(error = %e, "expired sessions not deleted"),
                _ => {}
            }
        }
    });
}

/// Whether the request carries the session cookie.
pub fn has_cookie(headers: &axum::http::HeaderMap) -> bool {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .any(|c| c.trim().starts_with(&format!("{COOKIE}=")))
}

/// A random token (CSRF token, login state): 244 bits from the OS generator.
pub fn random_token() -> String {
    format!("{}{}", uuid::Uuid::new_v4().simple(), uuid::Uuid::new_v4().simple())
}

/// The live user of `session`, if any: a session of an older epoch, or of
/// a disabled or deleted user, is ended.
pub async fn viewer(pool: &PgPool, session: &Session) -> Option<Viewer> {
    let su = session.get::<SessionUser>(USER).await.ok().flatten()?;
    match users::get(pool, su.id).await {
        Ok(Some(u)) if u.session_epoch == su.epoch && !u.disabled => {
            Some(Viewer { id: u.id, name: u.name.unwrap_or_default(), role: u.role, csrf: su.csrf })
        }
        Ok(_) => {
            let _ = session.flush().await;
            None
        }
        Err(e) => {
            tracing::warn!(error = %e, "session user not read");
            None
        }
    }
}

/// Puts the request's `Viewer` (when logged in) into its extensions, and
/// marks answers to requests with a session cookie private.
pub async fn resolve(State(pool): State<PgPool>, mut request: Request, next: Next) -> Response {
    let cookie = has_cookie(request.headers());
    if cookie {
        if let Some(session) = request.extensions().get::<Session>().cloned() {
            if let Some(v) = viewer(&pool, &session).await {
                request.extensions_mut().insert(v);
                // A token just created is shown once, on the account page.
                if request.method() == axum::http::Method::GET && request.uri().path() == "/account" {
                    if let Ok(Some(secret)) = session.remove::<String>(NEW_TOKEN).await {
                        request.extensions_mut().insert(app::api::accounts::NewToken(secret));
                    }
                }
            }
        }
    }
    let mut response = next.run(request).await;
    if cookie {
        response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("private, no-store"));
    }
    response
}
