//! The JSON API, version 1 (read-only catalog routes for now).
use axum::{
    extract::{Path, Query, State},
    routing::get,
    Json, Router,
};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use sqlx::PgPool;

use super::AppState;
use crate::{catalog::read, error::AppError};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1", get(index))
        .route("/api/v1/openapi.json", get(openapi))
        .route("/api/v1/channels", get(channels))
        .route("/api/v1/channels/{ecosystem}/{name}", get(channel))
        .route("/api/v1/packages/{ecosystem}/{channel}/{name}", get(package))
        .layer(public_read_cors())
}

/// The JSON API is public and read-only: any site may read it from a browser
/// (no credentials are involved).
pub fn public_read_cors() -> tower_http::cors::CorsLayer {
    tower_http::cors::CorsLayer::new()
        .allow_origin(tower_http::cors::Any)
        .allow_methods([axum::http::Method::GET, axum::http::Method::HEAD])
}

async fn index() -> Json<Value> {
    Json(json!({
        "version": 1,
        "routes": {
            "channels": "/api/v1/channels",
            "channel": "/api/v1/channels/{ecosystem}/{name}?page={n}",
            "package": "/api/v1/packages/{ecosystem}/{channel}/{name}",
            "search": "/api/v1/search?q={query}",
            "openapi": "/api/v1/openapi.json",
        }
    }))
}

async fn openapi() -> Json<utoipa::openapi::OpenApi> {
    Json(super::openapi::document())
}

/// Every channel with its package counts.
#[derive(Serialize, utoipa::ToSchema)]
pub struct ChannelList {
    pub channels: Vec<app::api::catalog::ChannelSummary>,
}

/// Every channel Pacatlas indexes.
#[utoipa::path(get, path = "/api/v1/channels", tag = "catalog",
    responses((status = 200, description = "The channels", body = ChannelList)))]
pub async fn channels(State(pool): State<PgPool>) -> Result<Json<ChannelList>, AppError> {
    Ok(Json(ChannelList { channels: read::channels(&pool).await? }))
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct PageQuery {
    /// Page of the package list, from 1 to 10,000 (100 a page).
    page: Option<u32>,
}

/// A channel: revision, ingest history and one page of its packages.
#[utoipa::path(get, path = "/api/v1/channels/{ecosystem}/{name}", tag = "catalog",
    params(("ecosystem" = String, Path, description = "guix, spack or nix"),
           ("name" = String, Path, description = "the channel's name"), PageQuery),
    responses((status = 200, description = "The channel", body = app::api::catalog::ChannelDetail),
              (status = 404, description = "No such channel", body = super::openapi::ErrorBody)))]
pub async fn channel(
    State(pool): State<PgPool>,
    Path((ecosystem, name)): Path<(String, String)>,
    Query(q): Query<PageQuery>,
) -> Result<Json<app::api::catalog::ChannelDetail>, AppError> {
    let page = q.page.unwrap_or(1);
    if !(1..=app::api::catalog::MAX_PAGE).contains(&page) {
        return Err(AppError::BadRequest(format!("page must be between 1 and {}", app::api::catalog::MAX_PAGE)));
    }
    read::channel(&pool, &ecosystem, &name, page).await?.map(Json).ok_or(AppError::NotFound)
}

/// A package of a channel: versions, sources, licences, dependencies, maintainers…
#[utoipa::path(get, path = "/api/v1/packages/{ecosystem}/{channel}/{name}", tag = "catalog",
    params(("ecosystem" = String, Path, description = "guix, spack or nix"),
           ("channel" = String, Path, description = "the channel's name"),
           ("name" = String, Path, description = "the package's name in that channel")),
    responses((status = 200, description = "The package", body = app::api::catalog::PackageDetail),
              (status = 404, description = "No such package", body = super::openapi::ErrorBody)))]
pub async fn package(
    State(pool): State<PgPool>,
    Path((ecosystem, channel, name)): Path<(String, String, String)>,
) -> Result<Json<app::api::catalog::PackageDetail>, AppError> {
    read::package(&pool, &ecosystem, &channel, &name).await?.map(Json).ok_or(AppError::NotFound)
}
