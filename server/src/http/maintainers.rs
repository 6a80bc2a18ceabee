//! Maintainers over HTTP: the JSON API (index, one maintainer's packages
//! with their health, their public inbox), the Atom feed, and the port the
//! Leptos pages read through.
use app::api::maintainers::{Inbox, MaintainerDetail, MaintainerIndex, MaintainersPort};
use axum::{
    extract::{Path, Query, State},
    http::{header, HeaderMap, HeaderValue},
    response::{IntoResponse, Response},
    routing::get,
    Json, Router,
};
use leptos::prelude::ServerFnError;
use sqlx::PgPool;

use super::AppState;
use crate::{
    error::AppError,
    maintainers::{self, inbox, index, packages, Identity},
};

/// The maintainer paths of the OpenAPI description (merged into `openapi::document`).
#[derive(utoipa::OpenApi)]
#[openapi(
    paths(list, maintainer, maintainer_inbox),
    tags((name = "maintainers", description = "Maintainers (declared in channel metadata or claiming packages), their packages' health and what needs their attention"))
)]
pub struct MaintainersApi;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/maintainers", get(list))
        .route("/api/v1/maintainers/{forge}/{handle}", get(maintainer))
        .route("/api/v1/maintainers/{forge}/{handle}/inbox", get(maintainer_inbox))
        .layer(super::api::public_read_cors())
        .route("/maintainers/{forge}/{handle}/feed.atom", get(feed))
}

#[derive(serde::Deserialize, utoipa::IntoParams)]
pub struct IndexQuery {
    /// Only maintainers whose handle or name holds this (any case, at most 100 characters).
    q: Option<String>,
    /// Page, from 1 to 10,000 (50 maintainers a page).
    page: Option<i64>,
}

fn page_of(page: Option<i64>) -> Result<i64, AppError> {
    let page = page.unwrap_or(1);
    if !(1..=10_000).contains(&page) {
        return Err(AppError::BadRequest("page must be between 1 and 10000".into()));
    }
    Ok(page)
}

/// Maintainers, most packages first.
#[utoipa::path(get, path = "/api/v1/maintainers", tag = "maintainers", params(IndexQuery),
    responses((status = 200, description = "One page of maintainers", body = MaintainerIndex),
              (status = 400, description = "The search or the page is out of range", body = super::openapi::ErrorBody)))]
pub async fn list(State(pool): State<PgPool>, Query(q): Query<IndexQuery>) -> Result<Json<MaintainerIndex>, AppError> {
    let page = page_of(q.page)?;
    if q.q.as_ref().is_some_and(|s| s.chars().count() > index::MAX_QUERY_CHARS) {
        return Err(AppError::BadRequest("q must be at most 100 characters".into()));
    }
    Ok(Json(index::index(&pool, q.q.as_deref(), page).await?))
}

#[derive(serde::Deserialize, utoipa::IntoParams)]
pub struct MaintainerQuery {
    /// name (default) or health (failing, outdated, unarchived first), within each channel.
    sort: Option<String>,
    /// Page, from 1 to 10,000 (50 packages a page).
    page: Option<i64>,
}

fn checked(forge: &str, handle: &str) -> Result<(), AppError> {
    maintainers::validate(forge, handle).map_err(AppError::BadRequest)
}

/// A maintainer's packages (declared and claimed) with their health.
#[utoipa::path(get, path = "/api/v1/maintainers/{forge}/{handle}", tag = "maintainers",
    params(("forge" = String, Path, description = "github, orcid or a GitLab host such as gitlab.inria.fr"),
           ("handle" = String, Path, description = "the handle on that forge (any case)"),
           MaintainerQuery),
    responses((status = 200, description = "The maintainer", body = MaintainerDetail),
              (status = 400, description = "A bad forge, handle, sort or page", body = super::openapi::ErrorBody),
              (status = 404, description = "Nobody declares or claims with that handle", body = super::openapi::ErrorBody)))]
pub async fn maintainer(
    State(pool): State<PgPool>,
    Path((forge, handle)): Path<(String, String)>,
    Query(q): Query<MaintainerQuery>,
) -> Result<Json<MaintainerDetail>, AppError> {
    checked(&forge, &handle)?;
    let sort = q.sort.unwrap_or_else(|| "name".into());
    if sort != "name" && sort != "health" {
        return Err(AppError::BadRequest("sort must be name or health".into()));
    }
    let page = page_of(q.page)?;
    packages::detail(&pool, &forge, &handle, &sort, page).await?.map(Json).ok_or(AppError::NotFound)
}

#[derive(serde::Deserialize, utoipa::IntoParams)]
pub struct InboxQuery {
    /// Page, from 1 to 10,000.
    page: Option<i64>,
    /// Items a page, from 1 to 200 (default 50).
    limit: Option<i64>,
}

/// What needs the maintainer's attention, newest first: CI failures, archival gaps, outdated versions.
#[utoipa::path(get, path = "/api/v1/maintainers/{forge}/{handle}/inbox", tag = "maintainers",
    params(("forge" = String, Path, description = "github, orcid or a GitLab host"),
           ("handle" = String, Path, description = "the handle on that forge (any case)"),
           InboxQuery),
    responses((status = 200, description = "One page of items", body = Inbox),
              (status = 400, description = "A bad forge, handle, page or limit", body = super::openapi::ErrorBody),
              (status = 404, description = "Nobody declares or claims with that handle", body = super::openapi::ErrorBody)))]
pub async fn maintainer_inbox(
    State(pool): State<PgPool>,
    Path((forge, handle)): Path<(String, String)>,
    Query(q): Query<InboxQuery>,
) -> Result<Json<Inbox>, AppError> {
    checked(&forge, &handle)?;
    let page = page_of(q.page)?;
    let limit = q.limit.unwrap_or(app::api::maintainers::ITEMS_PER_PAGE);
    if !(1..=inbox::MAX_LIMIT).contains(&limit) {
        return Err(AppError::BadRequest("limit must be between 1 and 200".into()));
    }
    let Some(handle) = packages::exists(&pool, &forge, &handle).await? else { return Err(AppError::NotFound) };
    Ok(Json(inbox::for_identities(&pool, &[Identity { forge, handle }], page, limit).await?))
}

/// `/maintainers/{forge}/{handle}/feed.atom`: the inbox as an Atom feed.
pub async fn feed(
    State(pool): State<PgPool>,
    headers: HeaderMap,
    Path((forge, handle)): Path<(String, String)>,
) -> Result<Response, AppError> {
    if maintainers::validate(&forge, &handle).is_err() {
        return Err(AppError::NotFound);
    }
    let lang = app::i18n::from_headers(&headers);
    let xml = maintainers::feed::feed(&pool, lang, &forge, &handle).await?.ok_or(AppError::NotFound)?;
    Ok(([(header::CONTENT_TYPE, HeaderValue::from_static("application/atom+xml; charset=utf-8"))], xml).into_response())
}

/// The port the maintainer pages read through.
pub struct PgMaintainers {
    pub pool: PgPool,
}

fn unavailable(e: sqlx::Error) -> ServerFnError {
    tracing::error!(error = %e, "maintainers query failed");
    ServerFnError::new(app::api::catalog::UNAVAILABLE)
}

#[async_trait::async_trait]
impl MaintainersPort for PgMaintainers {
    async fn maintainer(
        &self,
        forge: &str,
        handle: &str,
        sort: &str,
        page: i64,
    ) -> Result<Option<MaintainerDetail>, ServerFnError> {
        if maintainers::validate(forge, handle).is_err() {
            return Ok(None);
        }
        packages::detail(&self.pool, forge, handle, sort, page).await.map_err(unavailable)
    }

    async fn index(&self, q: Option<&str>, page: i64) -> Result<MaintainerIndex, ServerFnError> {
        index::index(&self.pool, q, page).await.map_err(unavailable)
    }

    async fn inbox(&self, forge: &str, handle: &str, page: i64) -> Result<Option<Inbox>, ServerFnError> {
        if maintainers::validate(forge, handle).is_err() {
            return Ok(None);
        }
        let Some(handle) = packages::exists(&self.pool, forge, handle).await.map_err(unavailable)? else {
            return Ok(None);
        };
        let identity = Identity { forge: forge.to_string(), handle };
        inbox::for_identities(&self.pool, &[identity], page, app::api::maintainers::ITEMS_PER_PAGE)
            .await
            .map(Some)
            .map_err(unavailable)
    }

    async fn user_inbox(&self, user_id: i64, page: i64) -> Result<Inbox, ServerFnError> {
        inbox::for_user(&self.pool, user_id, page, app::api::maintainers::ITEMS_PER_PAGE).await.map_err(unavailable)
    }
}
