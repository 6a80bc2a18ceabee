//! Archival coverage over HTTP: the JSON API, the CSV of missing sources and
//! the archival badge of a package.
use std::sync::Arc;

use app::api::archival::{ArchivalOverview, MissingFilter, MissingSources, PackageArchival};
use axum::{
    extract::{Path, Query, State},
    http::{header, HeaderValue},
    response::{IntoResponse, Response},
    routing::get,
    Json, Router,
};
use sqlx::PgPool;

use super::AppState;
use crate::{archival::read, config::Config, error::AppError};

/// The archival paths of the OpenAPI description (merged into `openapi::document`).
#[derive(utoipa::OpenApi)]
#[openapi(
    paths(overview, missing, package),
    tags((name = "archival", description = "Archival coverage of package sources in Software Heritage"))
)]
pub struct ArchivalApi;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/archival", get(overview))
        .route("/api/v1/archival/missing", get(missing))
        .route("/api/v1/packages/{ecosystem}/{channel}/{name}/archival", get(package))
        .layer(super::api::public_read_cors())
        .route("/archival/missing.csv", get(missing_csv))
        .route("/badge/archival/{ecosystem}/{channel}/{file}", get(badge))
}

/// Coverage per channel, its trend, forge concentration and the packages at risk.
#[utoipa::path(get, path = "/api/v1/archival", tag = "archival",
    responses((status = 200, description = "Archival coverage", body = ArchivalOverview)))]
pub async fn overview(
    State(pool): State<PgPool>,
    State(config): State<Arc<Config>>,
) -> Result<Json<ArchivalOverview>, AppError> {
    Ok(Json(read::overview(&pool, &config.host_classes()).await?))
}

#[derive(serde::Deserialize, utoipa::IntoParams)]
pub struct MissingQuery {
    /// Only this channel: `ecosystem/channel`, e.g. guix/guix.
    channel: Option<String>,
    /// Only this status: missing, unknown, error or unchecked (default: all four).
    status: Option<String>,
    /// Only this origin type: url, git, svn, hg or other.
    origin_type: Option<String>,
    /// Only sources on this host, e.g. github.com.
    host: Option<String>,
    /// Page, from 1 to 10,000 (50 sources a page).
    page: Option<i64>,
}

impl MissingQuery {
    fn filter(self) -> Result<(MissingFilter, i64), AppError> {
        let page = self.page.unwrap_or(1);
        if !(1..=10_000).contains(&page) {
            return Err(AppError::BadRequest("page must be between 1 and 10000".into()));
        }
        let filter = read::normalise(MissingFilter {
            channel: self.channel,
            status: self.status,
            origin_type: self.origin_type,
            host: self.host,
        });
        read::validate(&filter).map_err(AppError::BadRequest)?;
        Ok((filter, page))
    }
}

/// Sources without a known copy in Software Heritage, most depended-upon packages first.
#[utoipa::path(get, path = "/api/v1/archival/missing", tag = "archival", params(MissingQuery),
    responses((status = 200, description = "One page of the missing sources", body = MissingSources),
              (status = 400, description = "A filter or the page is out of range", body = super::openapi::ErrorBody)))]
pub async fn missing(
    State(pool): State<PgPool>,
    Query(q): Query<MissingQuery>,
) -> Result<Json<MissingSources>, AppError> {
    let (filter, page) = q.filter()?;
    Ok(Json(read::missing(&pool, filter, page).await?))
}

/// `/archival/missing.csv?…`: the same list (same filters) as CSV, at most 100,000 rows.
pub async fn missing_csv(State(pool): State<PgPool>, Query(q): Query<MissingQuery>) -> Result<Response, AppError> {
    let (filter, _) = q.filter()?;
    let csv = read::missing_csv(&pool, &filter).await?;
    Ok((
        [
            (header::CONTENT_TYPE, HeaderValue::from_static("text/csv; charset=utf-8")),
            (header::CONTENT_DISPOSITION, HeaderValue::from_static("attachment; filename=\"missing-sources.csv\"")),
        ],
        csv,
    )
        .into_response())
}

/// A package's sources and whether Software Heritage holds each.
#[utoipa::path(get, path = "/api/v1/packages/{ecosystem}/{channel}/{name}/archival", tag = "archival",
    params(("ecosystem" = String, Path, description = "guix, spack or nix"),
           ("channel" = String, Path, description = "the channel's name"),
           ("name" = String, Path, description = "the package's name in that channel")),
    responses((status = 200, description = "The package's sources", body = PackageArchival),
              (status = 404, description = "No such package", body = super::openapi::ErrorBody)))]
pub async fn package(
    State(pool): State<PgPool>,
    Path((ecosystem, channel, name)): Path<(String, String, String)>,
) -> Result<Json<PackageArchival>, AppError> {
    read::package(&pool, &ecosystem, &channel, &name).await?.map(Json).ok_or(AppError::NotFound)
}

/// `/badge/archival/{ecosystem}/{channel}/{name}.svg`: archived, partly archived, not archived or unknown.
pub async fn badge(
    State(pool): State<PgPool>,
    Path((ecosystem, channel, file)): Path<(String, String, String)>,
) -> Result<Response, AppError> {
    let Some(name) = file.strip_suffix(".svg") else { return Err(AppError::NotFound) };
    let Some(p) = read::package(&pool, &ecosystem, &channel, name).await? else {
        return Err(AppError::NotFound);
    };
    let statuses: Vec<&str> = p.sources.iter().map(|s| s.status.as_str()).collect();
    let verdict = crate::archival::badge::verdict(&statuses);
    Ok((
        [
            (header::CONTENT_TYPE, HeaderValue::from_static("image/svg+xml; charset=utf-8")),
            (header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=300")),
        ],
        crate::builds::badge::shield("archival", verdict.message(), verdict.colour()),
    )
        .into_response())
}
