//! The critical-but-unfunded list over HTTP: `/api/v1/funding/critical`
//! (JSON, paged), its CSV (`/api/v1/funding/critical.csv`, and
//! `/funding/critical.csv` linked from the page), and the port the page
//! reads through.
use app::api::criticality::{CriticalFilters, CriticalList, CriticalityPort};
use axum::{
    extract::{Query, State},
    http::{header, HeaderValue},
    response::{IntoResponse, Response},
    routing::get,
    Json, Router,
};
use leptos::prelude::ServerFnError;
use sqlx::PgPool;

use super::AppState;
use crate::{criticality::read, error::AppError};

/// The criticality paths of the OpenAPI description (merged into `openapi::document`).
#[derive(utoipa::OpenApi)]
#[openapi(
    paths(critical, critical_csv),
    tags((name = "criticality", description = "How much depends on each project (the same software across ecosystems), and the critical-but-unfunded list"))
)]
pub struct CriticalityApi;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/funding/critical", get(critical))
        .route("/api/v1/funding/critical.csv", get(critical_csv))
        .layer(super::api::public_read_cors())
        .route("/funding/critical.csv", get(critical_csv))
}

#[derive(serde::Deserialize, utoipa::IntoParams)]
pub struct CriticalQuery {
    /// guix, spack or nix: only projects packaged there.
    ecosystem: Option<String>,
    /// A domain: only projects one of whose packages has this tag (at most 64 characters).
    tag: Option<String>,
    /// score (default), dependents (transitive) or name.
    sort: Option<String>,
    /// Page, from 1 to 200 (50 projects a page). The CSV without it holds every row (to 10,000).
    page: Option<i64>,
}

impl CriticalQuery {
    fn filters(self) -> Result<CriticalFilters, AppError> {
        let blank = |s: Option<String>| s.map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
        let filters = CriticalFilters {
            ecosystem: blank(self.ecosystem),
            tag: blank(self.tag),
            sort: blank(self.sort).unwrap_or_else(|| "score".into()),
            page: self.page.unwrap_or(1),
        };
        filters.check().map_err(AppError::BadRequest)?;
        Ok(filters)
    }
}

/// The critical-but-unfunded list: projects by criticality score, without an
/// active sponsorship (of the project, one of its packages or one of their
/// maintainers) and with at most one maintainer.
#[utoipa::path(get, path = "/api/v1/funding/critical", tag = "criticality", params(CriticalQuery),
    responses((status = 200, description = "One page of the list", body = CriticalList),
              (status = 400, description = "An unknown ecosystem or sort, a tag too long, a page out of range", body = super::openapi::ErrorBody)))]
pub async fn critical(
    State(pool): State<PgPool>,
    Query(q): Query<CriticalQuery>,
) -> Result<Json<CriticalList>, AppError> {
    let filters = q.filters()?;
    Ok(Json(read::critical(&pool, &filters).await?))
}

/// The list as CSV (same filters): one page with `page`, else every row, to 10,000.
#[utoipa::path(get, path = "/api/v1/funding/critical.csv", tag = "criticality", params(CriticalQuery),
    responses((status = 200, description = "CSV: rank, overall_rank, project, name, ecosystem, channel, package, ecosystems, tags, direct_dependents, transitive_dependents, packages, maintainers, ci_packages, ci_failing, sources_checked, sources_archived, score", content_type = "text/csv"),
              (status = 400, description = "As the JSON", body = super::openapi::ErrorBody)))]
pub async fn critical_csv(State(pool): State<PgPool>, Query(q): Query<CriticalQuery>) -> Result<Response, AppError> {
    let whole = q.page.is_none();
    let filters = q.filters()?;
    let body = read::csv(&pool, &filters, whole).await?;
    Ok((
        [
            (header::CONTENT_TYPE, HeaderValue::from_static("text/csv; charset=utf-8")),
            (header::CONTENT_DISPOSITION, HeaderValue::from_static("attachment; filename=\"critical-unfunded.csv\"")),
        ],
        body,
    )
        .into_response())
}

/// The port the list page reads through.
pub struct PgCriticality {
    pub pool: PgPool,
}

#[async_trait::async_trait]
impl CriticalityPort for PgCriticality {
    async fn critical(&self, filters: &CriticalFilters) -> Result<CriticalList, ServerFnError> {
        read::critical(&self.pool, filters).await.map_err(|e| {
            tracing::error!(error = %e, "criticality query failed");
            ServerFnError::new(app::api::catalog::UNAVAILABLE)
        })
    }
}
