//! CI status over HTTP: the push API (`POST /api/v1/builds`, bearer token
//! only: it reads no cookie, so a browser cannot be tricked into calling it
//! with someone's session; no CSRF token is needed).
use axum::{
    body::Bytes,
    extract::{Path, State},
    http::{header, HeaderMap, HeaderValue, StatusCode},
    response::{IntoResponse, Response},
    routing::{get, post},
    Json, Router,
};
use serde::Serialize;
use serde_json::json;
use sqlx::PgPool;

use super::AppState;
use crate::{
    accounts::tokens::{self, Refusal},
    builds::{self, push},
    error::AppError,
};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/packages/{ecosystem}/{channel}/{name}/builds", get(package_builds))
        .route("/api/v1/packages/{ecosystem}/{channel}/{name}/builds/history", get(history))
        .route("/api/v1/ci", get(ci))
        .route("/api/v1/ci/{service}", get(ci_service))
        .layer(super::api::public_read_cors())
        .merge(Router::new().route("/api/v1/builds", post(push_builds)))
        .route("/badge/build/{ecosystem}/{channel}/{file}", get(badge))
        .route("/ci/feed/{ecosystem}/{file}", get(channel_feed))
        .route("/packages/{ecosystem}/{channel}/{name}/builds.atom", get(package_feed))
}

fn atom(xml: Option<String>) -> Result<Response, AppError> {
    let xml = xml.ok_or(AppError::NotFound)?;
    Ok(([(header::CONTENT_TYPE, HeaderValue::from_static("application/atom+xml; charset=utf-8"))], xml).into_response())
}

/// `/ci/feed/{ecosystem}/{channel}.atom`: a channel's new failures and fixes.
pub async fn channel_feed(
    State(pool): State<PgPool>,
    headers: HeaderMap,
    Path((ecosystem, file)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let Some(channel) = file.strip_suffix(".atom") else { return Err(AppError::NotFound) };
    let lang = app::i18n::from_headers(&headers);
    atom(builds::feed::feed(&pool, lang, &ecosystem, channel, None).await?)
}

/// `/packages/{ecosystem}/{channel}/{name}/builds.atom`: one package's new failures and fixes.
pub async fn package_feed(
    State(pool): State<PgPool>,
    headers: HeaderMap,
    Path((ecosystem, channel, name)): Path<(String, String, String)>,
) -> Result<Response, AppError> {
    let lang = app::i18n::from_headers(&headers);
    atom(builds::feed::feed(&pool, lang, &ecosystem, &channel, Some(&name)).await?)
}

#[derive(serde::Deserialize)]
pub struct BadgeQuery {
    system: Option<String>,
}

/// `/badge/build/{ecosystem}/{channel}/{name}.svg[?system=…]`: the package's
/// build status as a badge (cacheable for five minutes).
pub async fn badge(
    State(pool): State<PgPool>,
    Path((ecosystem, channel, file)): Path<(String, String, String)>,
    axum::extract::Query(q): axum::extract::Query<BadgeQuery>,
) -> Result<Response, AppError> {
    use crate::builds::badge;
    let Some(name) = file.strip_suffix(".svg") else { return Err(AppError::NotFound) };
    if q.system.as_ref().is_some_and(|s| s.is_empty() || s.len() > 64) {
        return Err(AppError::BadRequest("system must be 1 to 64 characters".into()));
    }
    let Some(builds) = builds::read::package_builds(&pool, &ecosystem, &channel, name).await? else {
        return Err(AppError::NotFound);
    };
    let verdict = badge::verdict(&builds.latest, q.system.as_deref());
    let label = match &q.system {
        Some(s) => format!("build {s}"),
        None => "build".to_string(),
    };
    Ok((
        [
            (header::CONTENT_TYPE, HeaderValue::from_static("image/svg+xml; charset=utf-8")),
            (header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=300")),
        ],
        badge::svg(&label, verdict),
    )
        .into_response())
}

/// The builds of a package: the latest per service, version, system and target, with the weather.
#[utoipa::path(get, path = "/api/v1/packages/{ecosystem}/{channel}/{name}/builds", tag = "builds",
    params(("ecosystem" = String, Path, description = "guix, spack or nix"),
           ("channel" = String, Path, description = "the channel's name"),
           ("name" = String, Path, description = "the package's name in that channel")),
    responses((status = 200, description = "The package's builds", body = app::api::builds::PackageBuilds),
              (status = 404, description = "No such package", body = super::openapi::ErrorBody)))]
pub async fn package_builds(
    State(pool): State<PgPool>,
    Path((ecosystem, channel, name)): Path<(String, String, String)>,
) -> Result<Json<app::api::builds::PackageBuilds>, AppError> {
    builds::read::package_builds(&pool, &ecosystem, &channel, &name).await?.map(Json).ok_or(AppError::NotFound)
}

#[derive(serde::Deserialize, utoipa::IntoParams)]
pub struct HistoryQuery {
    /// Only builds on this system (e.g. x86_64-linux).
    system: Option<String>,
    /// Only builds of this status (succeeded, failed, dependency-failed, timed-out, cancelled, other).
    status: Option<String>,
    /// Page, from 1 to 10,000 (50 builds a page).
    page: Option<i64>,
}

/// The history of a package's builds, newest first, filterable and paged.
#[utoipa::path(get, path = "/api/v1/packages/{ecosystem}/{channel}/{name}/builds/history", tag = "builds",
    params(("ecosystem" = String, Path, description = "guix, spack or nix"),
           ("channel" = String, Path, description = "the channel's name"),
           ("name" = String, Path, description = "the package's name in that channel"), HistoryQuery),
    responses((status = 200, description = "One page of the history", body = app::api::builds::BuildHistory),
              (status = 400, description = "A filter or the page is out of range", body = super::openapi::ErrorBody),
              (status = 404, description = "No such package", body = super::openapi::ErrorBody)))]
pub async fn history(
    State(pool): State<PgPool>,
    Path((ecosystem, channel, name)): Path<(String, String, String)>,
    axum::extract::Query(q): axum::extract::Query<HistoryQuery>,
) -> Result<Json<app::api::builds::BuildHistory>, AppError> {
    let page = q.page.unwrap_or(1);
    if !(1..=10_000).contains(&page) {
        return Err(AppError::BadRequest("page must be between 1 and 10000".into()));
    }
    if let Some(s) = q.status.as_deref() {
        if builds::Status::parse(s).is_none() {
            return Err(AppError::BadRequest(format!(
                "unknown status {s:?}: one of {}",
                builds::status::ALL.map(builds::Status::as_str).join(", ")
            )));
        }
    }
    if q.system.as_ref().is_some_and(|s| s.is_empty() || s.len() > 64) {
        return Err(AppError::BadRequest("system must be 1 to 64 characters".into()));
    }
    builds::read::history(&pool, &ecosystem, &channel, &name, q.system.as_deref(), q.status.as_deref(), page)
        .await?
        .map(Json)
        .ok_or(AppError::NotFound)
}

/// Every CI service: builds counted by status, success rate per week and
/// failing packages.
#[utoipa::path(get, path = "/api/v1/ci", tag = "builds",
    responses((status = 200, description = "The CI services", body = app::api::builds::CiOverview)))]
pub async fn ci(State(pool): State<PgPool>) -> Result<Json<app::api::builds::CiOverview>, AppError> {
    builds::read::overview(&pool, None).await?.map(Json).ok_or(AppError::NotFound)
}

/// One CI service: its builds counted by status, success rate per week and
/// failing packages.
#[utoipa::path(get, path = "/api/v1/ci/{service}", tag = "builds",
    params(("service" = String, Path, description = "The service's name")),
    responses((status = 200, description = "The CI service", body = app::api::builds::CiOverview),
              (status = 404, description = "No such service", body = super::openapi::ErrorBody)))]
pub async fn ci_service(
    State(pool): State<PgPool>,
    Path(service): Path<String>,
) -> Result<Json<app::api::builds::CiOverview>, AppError> {
    if service.len() > 63 {
        return Err(AppError::NotFound);
    }
    builds::read::overview(&pool, Some(&service)).await?.map(Json).ok_or(AppError::NotFound)
}

/// What a batch did.
#[derive(Serialize, utoipa::ToSchema)]
pub struct PushAnswer {
    /// Rows in the batch.
    pub received: usize,
    /// Rows inserted or changed (a row sent again unchanged is not written).
    pub written: u64,
}

/// The refusal of a batch: nothing of it was written.
#[derive(Serialize, utoipa::ToSchema)]
pub struct PushRefusal {
    pub error: String,
    /// One entry per refused row.
    pub rows: Vec<push::RowError>,
}

fn refuse(status: StatusCode, message: &str) -> Response {
    let mut response = (status, Json(json!({ "error": message }))).into_response();
    if status == StatusCode::UNAUTHORIZED {
        response.headers_mut().insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
    }
    response
}

/// Pushes a batch of build results of one CI service.
#[utoipa::path(post, path = "/api/v1/builds", tag = "builds",
    request_body(content = inline(PushBody), description = "The service's name and its build results"),
    security(("bearer" = [])),
    responses((status = 200, description = "The batch was stored", body = PushAnswer),
              (status = 400, description = "Some rows are wrong; nothing was written", body = PushRefusal),
              (status = 401, description = "No token, or an unknown or revoked one", body = super::openapi::ErrorBody),
              (status = 403, description = "The token may not push results of this service", body = super::openapi::ErrorBody),
              (status = 413, description = "The body is too large")))]
pub async fn push_builds(State(pool): State<PgPool>, headers: HeaderMap, body: Bytes) -> Result<Response, AppError> {
    let authorization = headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok());
    let token = match tokens::authenticate(&pool, authorization).await? {
        Ok(token) => token,
        Err(Refusal::Unauthenticated(why)) => return Ok(refuse(StatusCode::UNAUTHORIZED, why)),
        Err(Refusal::Forbidden) => return Ok(refuse(StatusCode::FORBIDDEN, "forbidden")),
    };
    let batch: push::Batch = match serde_json::from_slice(&body) {
        Ok(b) => b,
        Err(e) => return Ok(refuse(StatusCode::BAD_REQUEST, &format!("the body is not a batch: {e}"))),
    };
    if !token.allows_ci(&batch.service) {
        tracing::info!(token = token.id, service = %batch.service, "push refused: the token's scope is another service");
        return Ok(refuse(StatusCode::FORBIDDEN, "this token may not push results of this service"));
    }
    let Some(service) = builds::service(&pool, &batch.service).await? else {
        return Ok(refuse(StatusCode::FORBIDDEN, "no such CI service"));
    };
    if batch.builds.len() > push::MAX_ROWS {
        return Ok(refuse(StatusCode::BAD_REQUEST, &format!("at most {} builds a request", push::MAX_ROWS)));
    }
    let received = batch.builds.len();
    let rows = match push::validate_all(batch.builds) {
        Ok(rows) => rows,
        Err(rows) => {
            let error = format!("{} of {received} rows refused; nothing was written", rows.len());
            return Ok((StatusCode::BAD_REQUEST, Json(PushRefusal { error, rows })).into_response());
        }
    };
    let mut tx = pool.begin().await?;
    let written = builds::write(&mut tx, &service, &rows).await?;
    tx.commit().await?;
    tracing::info!(token = token.id, service = %service.name, received, written, "builds pushed");
    Ok(Json(PushAnswer { received, written }).into_response())
}

/// The body of `POST /api/v1/builds`.
#[allow(dead_code)]
#[derive(utoipa::ToSchema)]
pub struct PushBody {
    /// The CI service (the token's scope must be ci:SERVICE).
    pub service: String,
    /// At most 1,000 rows.
    pub builds: Vec<push::PushedBuild>,
}
