//! The JSON API, version 1 (read-only catalog routes for now).
use axum::{
    extract::{Path, Query, State},
    routing::get,
    Json, Router,
};
use serde::Deserialize;
use serde_json::{json, Value};
use sqlx::PgPool;

use super::AppState;
use crate::{catalog::read, error::AppError};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1", get(index))
        .route("/api/v1/channels", get(channels))
        .route("/api/v1/channels/{ecosystem}/{name}", get(channel))
        .route("/api/v1/packages/{ecosystem}/{channel}/{name}", get(package))
}

async fn index() -> Json<Value> {
    Json(json!({
        "version": 1,
        "routes": {
            "channels": "/api/v1/channels",
            "channel": "/api/v1/channels/{ecosystem}/{name}?page={n}",
            "package": "/api/v1/packages/{ecosystem}/{channel}/{name}",
        }
    }))
}

async fn channels(State(pool): State<PgPool>) -> Result<Json<Value>, AppError> {
    Ok(Json(json!({ "channels": read::channels(&pool).await? })))
}

#[derive(Deserialize)]
struct PageQuery {
    page: Option<u32>,
}

async fn channel(
    State(pool): State<PgPool>,
    Path((ecosystem, name)): Path<(String, String)>,
    Query(q): Query<PageQuery>,
) -> Result<Json<app::api::catalog::ChannelDetail>, AppError> {
    read::channel(&pool, &ecosystem, &name, q.page.unwrap_or(1)).await?.map(Json).ok_or(AppError::NotFound)
}

async fn package(
    State(pool): State<PgPool>,
    Path((ecosystem, channel, name)): Path<(String, String, String)>,
) -> Result<Json<app::api::catalog::PackageDetail>, AppError> {
    read::package(&pool, &ecosystem, &channel, &name).await?.map(Json).ok_or(AppError::NotFound)
}
