//! Funding over HTTP: the JSON API (overview with totals, funders, one
//! funder, a sponsorship's history, what funds a package), the CSV exports
//! (`/funding.csv`: sponsorships; `/funding/totals.csv`: totals per funder,
//! year and currency) and the port the Leptos pages read through.
use app::api::{
    accounts::Viewer,
    funding::{
        Funder, FunderDetail, FundingAdmin, FundingFilter, FundingOverview, FundingPort, Sponsorship,
        SponsorshipHistory,
    },
};
use axum::{
    extract::{Path, Query, State},
    http::{header, HeaderValue},
    response::{IntoResponse, Response},
    routing::get,
    Json, Router,
};
use leptos::prelude::ServerFnError;
use sqlx::PgPool;

use super::AppState;
use crate::{
    error::AppError,
    funding::read::{self, Select},
};

#[derive(utoipa::OpenApi)]
#[openapi(
    paths(overview, funders, funder, sponsorship, package_funding),
    tags((name = "funding", description = "Funders, their sponsorships (amounts in their own currency, never converted) and the health of what they fund"))
)]
pub struct FundingApi;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/funding", get(overview))
        .route("/api/v1/funders", get(funders))
        .route("/api/v1/funders/{slug}", get(funder))
        .route("/api/v1/sponsorships/{id}", get(sponsorship))
        .route("/api/v1/packages/{ecosystem}/{channel}/{name}/funding", get(package_funding))
        .layer(super::api::public_read_cors())
        .route("/funding.csv", get(sponsorships_csv))
        .route("/funding/totals.csv", get(totals_csv))
}

#[derive(serde::Deserialize, utoipa::IntoParams, Default)]
pub struct FilterQuery {
    /// foundation, consortium, agency, company or individual
    kind: Option<String>,
    /// An ISO 4217 code: only sponsorships in that currency.
    currency: Option<String>,
    /// active or ended (both when absent).
    status: Option<String>,
    /// The page of funders, from 1 to 10,000 (20 funders a page; the totals cover every funder).
    page: Option<i64>,
}

fn filter(q: FilterQuery) -> Result<FundingFilter, AppError> {
    let none_if_empty = |s: Option<String>| s.filter(|s| !s.is_empty());
    let f = FundingFilter {
        kind: none_if_empty(q.kind),
        currency: none_if_empty(q.currency),
        status: none_if_empty(q.status),
    };
    read::check_filter(&f).map_err(AppError::BadRequest)?;
    Ok(f)
}

/// Totals per funder, year and currency (each sponsorship counted whole in its
/// start year; currencies never added together; in-kind sponsorships counted
/// apart), and the funders with up to 10 sponsorships each and their targets' health.
#[utoipa::path(get, path = "/api/v1/funding", tag = "funding", params(FilterQuery),
    responses((status = 200, description = "The overview", body = FundingOverview),
              (status = 400, description = "A filter is not known", body = super::openapi::ErrorBody)))]
pub async fn overview(
    State(pool): State<PgPool>,
    Query(q): Query<FilterQuery>,
) -> Result<Json<FundingOverview>, AppError> {
    let page = q.page.unwrap_or(1);
    if !(1..=10_000).contains(&page) {
        return Err(AppError::BadRequest("page must be between 1 and 10000".into()));
    }
    Ok(Json(read::overview(&pool, filter(q)?, page, true).await?))
}

/// Every funder, by name, with counts of active and ended sponsorships.
#[utoipa::path(get, path = "/api/v1/funders", tag = "funding",
    responses((status = 200, description = "Funders", body = Vec<Funder>)))]
pub async fn funders(State(pool): State<PgPool>) -> Result<Json<Vec<Funder>>, AppError> {
    Ok(Json(read::funders(&pool, None).await?))
}

/// One funder: totals and every sponsorship (active first, then ended) with its target's health.
#[utoipa::path(get, path = "/api/v1/funders/{slug}", tag = "funding",
    params(("slug" = String, Path, description = "the funder's slug")),
    responses((status = 200, description = "The funder", body = FunderDetail),
              (status = 404, description = "No such funder", body = super::openapi::ErrorBody)))]
pub async fn funder(State(pool): State<PgPool>, Path(slug): Path<String>) -> Result<Json<FunderDetail>, AppError> {
    read::funder(&pool, &slug).await?.map(Json).ok_or(AppError::NotFound)
}

/// A sponsorship and its earlier versions (every edit keeps the row it replaced), newest first.
#[utoipa::path(get, path = "/api/v1/sponsorships/{id}", tag = "funding",
    params(("id" = i64, Path, description = "the sponsorship's id")),
    responses((status = 200, description = "The sponsorship and its history", body = SponsorshipHistory),
              (status = 404, description = "No such sponsorship", body = super::openapi::ErrorBody)))]
pub async fn sponsorship(
    State(pool): State<PgPool>,
    Path(id): Path<i64>,
) -> Result<Json<SponsorshipHistory>, AppError> {
    read::history(&pool, id).await?.map(Json).ok_or(AppError::NotFound)
}

/// Who funds a package (the package itself or its project), active first.
#[utoipa::path(get, path = "/api/v1/packages/{ecosystem}/{channel}/{name}/funding", tag = "funding",
    params(("ecosystem" = String, Path, description = "guix, spack or nix"),
           ("channel" = String, Path, description = "the channel's name"),
           ("name" = String, Path, description = "the package's name")),
    responses((status = 200, description = "Sponsorships of the package or its project", body = Vec<Sponsorship>),
              (status = 404, description = "No such package", body = super::openapi::ErrorBody)))]
pub async fn package_funding(
    State(pool): State<PgPool>,
    Path((ecosystem, channel, name)): Path<(String, String, String)>,
) -> Result<Json<Vec<Sponsorship>>, AppError> {
    let exists: bool = sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM packages p JOIN channels c ON c.id = p.channel_id
                        WHERE c.ecosystem = $1 AND c.name = $2 AND p.name = $3)",
    )
    .bind(&ecosystem)
    .bind(&channel)
    .bind(&name)
    .fetch_one(&pool)
    .await?;
    if !exists {
        return Err(AppError::NotFound);
    }
    Ok(Json(read::of_package(&pool, &ecosystem, &channel, &name).await?))
}

fn csv_response(name: &str, body: Vec<u8>) -> Response {
    let disposition = format!("inline; filename=\"{name}\"");
    let mut r = ([(header::CONTENT_TYPE, HeaderValue::from_static("text/csv; charset=utf-8"))], body).into_response();
    if let Ok(v) = HeaderValue::from_str(&disposition) {
        r.headers_mut().insert(header::CONTENT_DISPOSITION, v);
    }
    r
}

/// A cell that a spreadsheet would not run as a formula.
fn cell(s: &str) -> String {
    if s.starts_with(['=', '+', '-', '@']) {
        format!("'{s}")
    } else {
        s.to_string()
    }
}

fn csv_error(e: csv::Error) -> AppError {
    AppError::Internal(anyhow::anyhow!(e.to_string()))
}

/// `/funding.csv`: every sponsorship (the overview's filters apply), in the
/// import's columns plus id, funder name, status and demo.
pub async fn sponsorships_csv(State(pool): State<PgPool>, Query(q): Query<FilterQuery>) -> Result<Response, AppError> {
    // The CSV prints no health: not counted.
    let select = Select { filter: filter(q)?, without_health: true, ..Default::default() };
    let rows = read::sponsorships(&pool, &select).await?;
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([
        "id",
        "funder",
        "funder_name",
        "target",
        "amount",
        "currency",
        "in_kind",
        "starts_on",
        "ends_on",
        "status",
        "note",
        "source_url",
        "demo",
    ])
    .map_err(csv_error)?;
    for s in rows {
        w.write_record([
            s.id.to_string(),
            s.funder_slug,
            cell(&s.funder_name),
            cell(&s.target),
            s.amount.unwrap_or_default(),
            s.currency.unwrap_or_default(),
            s.in_kind.to_string(),
            s.starts_on,
            s.ends_on.unwrap_or_default(),
            if s.active { "active".into() } else { "ended".into() },
            cell(&s.note.unwrap_or_default()),
            s.source_url.unwrap_or_default(),
            s.demo.to_string(),
        ])
        .map_err(csv_error)?;
    }
    Ok(csv_response("funding.csv", w.into_inner().map_err(|e| AppError::Internal(anyhow::anyhow!(e.to_string())))?))
}

/// `/funding/totals.csv`: per funder, year (of start) and currency; in kind: no currency, no amount.
pub async fn totals_csv(State(pool): State<PgPool>, Query(q): Query<FilterQuery>) -> Result<Response, AppError> {
    let select = Select { filter: filter(q)?, ..Default::default() };
    let rows = read::yearly(&pool, &select).await?;
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(["funder", "funder_name", "year", "currency", "amount", "in_kind", "sponsorships"])
        .map_err(csv_error)?;
    for t in rows {
        w.write_record([
            t.funder_slug,
            cell(&t.funder_name),
            t.year.map(|y| y.to_string()).unwrap_or_default(),
            t.currency.clone().unwrap_or_default(),
            t.amount.unwrap_or_default(),
            t.currency.is_none().to_string(),
            t.sponsorships.to_string(),
        ])
        .map_err(csv_error)?;
    }
    Ok(csv_response(
        "funding-totals.csv",
        w.into_inner().map_err(|e| AppError::Internal(anyhow::anyhow!(e.to_string())))?,
    ))
}

/// The port the funding pages read through.
pub struct PgFunding {
    pub pool: PgPool,
}

fn unavailable(e: sqlx::Error) -> ServerFnError {
    tracing::error!(error = %e, "funding query failed");
    ServerFnError::new(app::api::catalog::UNAVAILABLE)
}

#[async_trait::async_trait]
impl FundingPort for PgFunding {
    async fn overview(&self, filter: FundingFilter, page: i64) -> Result<FundingOverview, ServerFnError> {
        // The page ignores values it does not know rather than failing.
        let filter = FundingFilter {
            kind: filter.kind.filter(|k| app::api::funding::FUNDER_KINDS.contains(&k.as_str())),
            currency: filter.currency.filter(|c| crate::funding::model::check_currency(c).is_ok()),
            status: filter.status.filter(|s| s == "active" || s == "ended"),
        };
        // The page shows totals per funder and per year, never per funder
        // and year: not read (thousands of rows at scale; the JSON API has them).
        let mut overview = read::overview(&self.pool, filter, page, false).await.map_err(unavailable)?;
        // Its table of totals per funder is of the funders on the page (the
        // JSON API and /funding/totals.csv have every funder's).
        let shown: std::collections::HashSet<String> = overview.funders.iter().map(|b| b.funder.slug.clone()).collect();
        overview.totals.retain(|t| shown.contains(&t.funder_slug));
        Ok(overview)
    }
    async fn funder(&self, slug: &str) -> Result<Option<FunderDetail>, ServerFnError> {
        read::funder(&self.pool, slug).await.map_err(unavailable)
    }
    async fn history(&self, id: i64) -> Result<Option<SponsorshipHistory>, ServerFnError> {
        read::history(&self.pool, id).await.map_err(unavailable)
    }
    async fn of_package(&self, ecosystem: &str, channel: &str, name: &str) -> Result<Vec<Sponsorship>, ServerFnError> {
        read::of_package(&self.pool, ecosystem, channel, name).await.map_err(unavailable)
    }
    async fn of_maintainer(&self, forge: &str, handle: &str) -> Result<Vec<Sponsorship>, ServerFnError> {
        read::of_maintainer(&self.pool, forge, handle).await.map_err(unavailable)
    }
    async fn admin(
        &self,
        viewer: Viewer,
        edit_funder: Option<String>,
        edit_sponsorship: Option<i64>,
    ) -> Result<FundingAdmin, ServerFnError> {
        read::admin(&self.pool, viewer, edit_funder, edit_sponsorship).await.map_err(unavailable)
    }
}
