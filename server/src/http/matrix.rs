//! The hardware-support matrix over HTTP: `/api/v1/matrix` (JSON or CSV of
//! exactly what `/matrix` shows for the same filters), sites, a package's
//! platforms, site badges, and the attestation API (`POST
//! /api/v1/attestations`, bearer token of scope `site:NAME` only: it reads no
//! cookie, so no CSRF token is needed).
use axum::{
    body::{Body, Bytes},
    extract::{Path, Query, State},
    http::{header, HeaderMap, HeaderValue, StatusCode},
    response::{IntoResponse, Response},
    routing::{get, post},
    Json, Router,
};
use serde::{Deserialize, Serialize};
use serde_json::json;
use sqlx::PgPool;

use super::AppState;
use crate::{
    accounts::tokens::{self, Refusal},
    error::AppError,
    platforms::{attest, export, matrix, read},
};
use app::api::matrix::{MatrixFilters, MAX_PAGE, MAX_PER_PAGE, PER_PAGE};

/// The matrix' part of the OpenAPI document (merged by `openapi.rs`).
#[derive(utoipa::OpenApi)]
#[openapi(
    paths(matrix_api, sites, site, package_platforms, post_attestations,
          super::sites_admin::put_site, super::sites_admin::delete_site, super::sites_admin::put_machine,
          super::sites_admin::delete_machine, super::sites_admin::put_partition, super::sites_admin::delete_partition),
    tags((name = "matrix", description = "Hardware-support matrix: platforms, HPC sites and their attestations"))
)]
pub struct MatrixApi;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/matrix", get(matrix_api))
        .route("/api/v1/sites", get(sites))
        .route("/api/v1/sites/{site}", get(site))
        .route("/api/v1/packages/{ecosystem}/{channel}/{name}/platforms", get(package_platforms))
        .layer(super::api::public_read_cors())
        .merge(Router::new().route("/api/v1/attestations", post(post_attestations)))
        .route("/badge/site/{site}/{ecosystem}/{channel}/{file}", get(badge))
}

/// The filters of a matrix, as query parameters.
#[derive(Deserialize, utoipa::IntoParams)]
pub struct MatrixQuery {
    /// `ecosystem/channel`, e.g. spack/builtin.
    channel: Option<String>,
    /// Words of the package's name (at most 100 characters).
    q: Option<String>,
    /// A tag of the package.
    tag: Option<String>,
    /// Only this site's partitions as site columns, and the packages it attested.
    site: Option<String>,
    /// 1: only packages with at least one known cell.
    known: Option<String>,
    /// `FORGE:HANDLE` (e.g. github:octocat): only the packages this maintainer
    /// declares or claims (active claims); an unknown one gives no rows.
    maintainer: Option<String>,
    /// Page, from 1 to 10,000. Without it, the CSV holds every matching row.
    page: Option<i64>,
    /// Rows a page, 1 to 500 (default 50).
    per_page: Option<i64>,
    /// json (default) or csv.
    format: Option<String>,
}

/// Checks the query: a bounded filter set, or a 400 saying which parameter is wrong.
pub fn filters(q: &MatrixQuery) -> Result<MatrixFilters, AppError> {
    let page = q.page.unwrap_or(1);
    if !(1..=MAX_PAGE).contains(&page) {
        return Err(AppError::BadRequest(format!("page must be between 1 and {MAX_PAGE}")));
    }
    let per_page = q.per_page.unwrap_or(PER_PAGE);
    if !(1..=MAX_PER_PAGE).contains(&per_page) {
        return Err(AppError::BadRequest(format!("per_page must be between 1 and {MAX_PER_PAGE}")));
    }
    for (name, v) in [("channel", &q.channel), ("q", &q.q), ("tag", &q.tag), ("site", &q.site)] {
        if v.as_ref().is_some_and(|v| v.chars().count() > 100) {
            return Err(AppError::BadRequest(format!("{name} must be at most 100 characters")));
        }
    }
    let known = match q.known.as_deref() {
        None | Some("") | Some("0") | Some("false") => false,
        Some("1") | Some("true") | Some("on") => true,
        Some(_) => return Err(AppError::BadRequest("known must be 1 or 0".into())),
    };
    let maintainer = q.maintainer.as_deref().map(str::trim).filter(|m| !m.is_empty());
    if let Some(m) = maintainer {
        let Some((forge, handle)) = app::api::matrix::split_maintainer(m) else {
            return Err(AppError::BadRequest("maintainer must be FORGE:HANDLE, e.g. github:octocat".into()));
        };
        crate::maintainers::validate(&forge, &handle).map_err(|e| AppError::BadRequest(format!("maintainer: {e}")))?;
    }
    Ok(app::api::matrix::clean(MatrixFilters {
        maintainer: maintainer.map(str::to_string),
        channel: q.channel.clone(),
        q: q.q.clone(),
        tag: q.tag.clone(),
        site: q.site.clone(),
        known,
        page,
        per_page,
    }))
}

fn csv_response(body: Body, name: &str) -> Response {
    (
        [
            (header::CONTENT_TYPE, HeaderValue::from_static("text/csv; charset=utf-8")),
            (
                header::CONTENT_DISPOSITION,
                HeaderValue::from_str(&format!("attachment; filename=\"{name}.csv\""))
                    .unwrap_or_else(|_| HeaderValue::from_static("attachment")),
            ),
        ],
        body,
    )
        .into_response()
}

/// The matrix: packages × platforms, each cell with its provenance; JSON
/// (one page) or CSV (`format=csv`: one page with `page`, else every matching row, streamed).
#[utoipa::path(get, path = "/api/v1/matrix", tag = "matrix", params(MatrixQuery),
    responses((status = 200, description = "The matrix (JSON, or CSV with format=csv)", body = app::api::matrix::Matrix),
              (status = 400, description = "A parameter is out of range", body = super::openapi::ErrorBody)))]
pub async fn matrix_api(State(pool): State<PgPool>, Query(q): Query<MatrixQuery>) -> Result<Response, AppError> {
    let f = filters(&q)?;
    match q.format.as_deref().unwrap_or("json") {
        "json" => Ok(Json(matrix::matrix(&pool, f).await?).into_response()),
        "csv" if q.page.is_some() => {
            let m = matrix::matrix(&pool, f).await?;
            Ok(csv_response(Body::from(export::csv_page(&m.columns, &m.rows)), "matrix"))
        }
        "csv" => {
            let (columns, platforms) = matrix::columns_for(&pool, &f).await?;
            let stream = export::csv_stream(pool, f, columns, platforms);
            Ok(csv_response(Body::from_stream(stream), "matrix"))
        }
        other => Err(AppError::BadRequest(format!("unknown format {other:?}: json or csv"))),
    }
}

/// Every HPC site with its machines and attested packages counted.
#[utoipa::path(get, path = "/api/v1/sites", tag = "matrix",
    responses((status = 200, description = "The sites", body = Vec<app::api::matrix::SiteSummary>)))]
pub async fn sites(State(pool): State<PgPool>) -> Result<Json<Vec<app::api::matrix::SiteSummary>>, AppError> {
    Ok(Json(read::sites(&pool).await?))
}

/// A site: its machines and partitions, and its public matrix.
#[utoipa::path(get, path = "/api/v1/sites/{site}", tag = "matrix",
    params(("site" = String, Path, description = "the site's name"), MatrixQuery),
    responses((status = 200, description = "The site", body = app::api::matrix::SitePage),
              (status = 400, description = "A parameter is out of range", body = super::openapi::ErrorBody),
              (status = 404, description = "No such site", body = super::openapi::ErrorBody)))]
pub async fn site(
    State(pool): State<PgPool>,
    Path(name): Path<String>,
    Query(q): Query<MatrixQuery>,
) -> Result<Json<app::api::matrix::SitePage>, AppError> {
    let f = filters(&q)?;
    read::site(&pool, &name, f).await?.map(Json).ok_or(AppError::NotFound)
}

/// Where a package runs: its row of the matrix, its GPU models and target conflicts.
#[utoipa::path(get, path = "/api/v1/packages/{ecosystem}/{channel}/{name}/platforms", tag = "matrix",
    params(("ecosystem" = String, Path, description = "guix, spack or nix"),
           ("channel" = String, Path, description = "the channel's name"),
           ("name" = String, Path, description = "the package's name in that channel")),
    responses((status = 200, description = "The package's platforms", body = app::api::matrix::PackagePlatforms),
              (status = 404, description = "No such package", body = super::openapi::ErrorBody)))]
pub async fn package_platforms(
    State(pool): State<PgPool>,
    Path((ecosystem, channel, name)): Path<(String, String, String)>,
) -> Result<Json<app::api::matrix::PackagePlatforms>, AppError> {
    read::package_platforms(&pool, &ecosystem, &channel, &name).await?.map(Json).ok_or(AppError::NotFound)
}

/// `/badge/site/{site}/{ecosystem}/{channel}/{name}.svg`: whether the package
/// works on the site's machines, from its attestations (cacheable five minutes).
pub async fn badge(
    State(pool): State<PgPool>,
    Path((site, ecosystem, channel, file)): Path<(String, String, String, String)>,
) -> Result<Response, AppError> {
    let Some(name) = file.strip_suffix(".svg") else { return Err(AppError::NotFound) };
    let exists: bool =
        sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM sites WHERE name = $1)").bind(&site).fetch_one(&pool).await?;
    if !exists {
        return Err(AppError::NotFound);
    }
    let f = MatrixFilters {
        channel: Some(format!("{ecosystem}/{channel}")),
        site: Some(site.clone()),
        page: 1,
        per_page: 1,
        ..Default::default()
    };
    let (_, platforms) = matrix::columns_for(&pool, &f).await?;
    let f = MatrixFilters { site: None, ..f };
    let (rows, _) = matrix::rows_named(&pool, &f, &platforms, matrix::Start::Offset(0), 1, Some(name)).await?;
    let Some(row) = rows.into_iter().next() else { return Err(AppError::NotFound) };
    let codes: Vec<String> = row.cells.iter().map(|c| c.code()).collect();
    let verdict = read::site_verdict(&codes);
    let colour = match verdict {
        "works" => "#2e7d32",
        "broken" => "#c62828",
        "partial" => "#b26a00",
        _ => "#616161",
    };
    Ok((
        [
            (header::CONTENT_TYPE, HeaderValue::from_static("image/svg+xml; charset=utf-8")),
            (header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=300")),
        ],
        crate::builds::badge::shield(&site, verdict, colour),
    )
        .into_response())
}

/// What a batch did.
#[derive(Serialize, utoipa::ToSchema)]
pub struct AttestAnswer {
    /// Rows in the batch.
    pub received: usize,
    /// Rows stored (a statement sent again is not stored twice).
    pub written: u64,
}

/// The refusal of a batch: nothing of it was written.
#[derive(Serialize, utoipa::ToSchema)]
pub struct AttestRefusal {
    pub error: String,
    /// One entry per refused row.
    pub rows: Vec<attest::RowError>,
}

fn refuse(status: StatusCode, message: &str) -> Response {
    let mut response = (status, Json(json!({ "error": message }))).into_response();
    if status == StatusCode::UNAUTHORIZED {
        response.headers_mut().insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
    }
    response
}

/// The body of `POST /api/v1/attestations`.
#[allow(dead_code)]
#[derive(utoipa::ToSchema)]
pub struct AttestBody {
    /// The site (the token's scope must be site:SITE).
    pub site: String,
    /// At most 1,000 rows.
    pub attestations: Vec<attest::PostedAttestation>,
}

/// A site attests what works on its machines.
#[utoipa::path(post, path = "/api/v1/attestations", tag = "matrix",
    request_body(content = inline(AttestBody), description = "The site's name and its attestations"),
    security(("bearer" = [])),
    responses((status = 200, description = "The batch was stored", body = AttestAnswer),
              (status = 400, description = "Some rows are wrong; nothing was written", body = AttestRefusal),
              (status = 401, description = "No token, or an unknown or revoked one", body = super::openapi::ErrorBody),
              (status = 403, description = "The token may not attest for this site, or a row names another site's machine; nothing was written", body = super::openapi::ErrorBody),
              (status = 413, description = "The body is too large")))]
pub async fn post_attestations(
    State(pool): State<PgPool>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, AppError> {
    let authorization = headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok());
    let token = match tokens::authenticate(&pool, authorization).await? {
        Ok(token) => token,
        Err(Refusal::Unauthenticated(why)) => return Ok(refuse(StatusCode::UNAUTHORIZED, why)),
        Err(Refusal::Forbidden) => return Ok(refuse(StatusCode::FORBIDDEN, "forbidden")),
    };
    let batch: attest::Batch = match serde_json::from_slice(&body) {
        Ok(b) => b,
        Err(e) => return Ok(refuse(StatusCode::BAD_REQUEST, &format!("the body is not a batch: {e}"))),
    };
    if !token.allows_site(&batch.site) {
        tracing::info!(token = token.id, site = %batch.site, "attestations refused: the token's scope is another");
        return Ok(refuse(StatusCode::FORBIDDEN, "this token may not attest for this site"));
    }
    if batch.attestations.len() > attest::MAX_ROWS {
        return Ok(refuse(StatusCode::BAD_REQUEST, &format!("at most {} attestations a request", attest::MAX_ROWS)));
    }
    let received = batch.attestations.len();
    let rows = match attest::validate_all(batch.attestations, chrono::Utc::now().date_naive()) {
        Ok(rows) => rows,
        Err(rows) => {
            let error = format!("{} of {received} rows refused; nothing was written", rows.len());
            return Ok((StatusCode::BAD_REQUEST, Json(AttestRefusal { error, rows })).into_response());
        }
    };
    match attest::write(&pool, &batch.site, &rows, Some(token.id), false).await? {
        Ok(written) => {
            tracing::info!(token = token.id, site = %batch.site, received, written, "attestations stored");
            Ok(Json(AttestAnswer { received, written }).into_response())
        }
        Err(attest::Refused::OtherSite { row, machine }) => {
            tracing::info!(token = token.id, site = %batch.site, row, %machine, "attestations refused: another site's machine");
            Ok(refuse(
                StatusCode::FORBIDDEN,
                &format!("row {row}: machine {machine} is not one of site {}'s; nothing was written", batch.site),
            ))
        }
        Err(attest::Refused::Rows(rows)) => {
            let error = format!("{} of {received} rows refused; nothing was written", rows.len());
            Ok((StatusCode::BAD_REQUEST, Json(AttestRefusal { error, rows })).into_response())
        }
    }
}
