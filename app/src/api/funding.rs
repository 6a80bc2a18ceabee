//! Funding (#14) as pages and the API show it: funders, their sponsorships
//! (of a project, a package, a maintainer or infrastructure) with the
//! health of what they fund, totals per funder, year and currency (never
//! converted: amounts keep their currency; in-kind sponsorships are
//! counted apart), and the server functions the pages load them with.
//! Amounts are exact decimal strings (`"1234.50"`), never floats.
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::accounts::{Gate, Viewer};

/// Funder kinds, as stored.
pub const FUNDER_KINDS: [&str; 5] = ["foundation", "consortium", "agency", "company", "individual"];
/// Sponsorships listed per funder on `/funding` (the funder's page lists all).
pub const PER_FUNDER_ON_OVERVIEW: i64 = 5;
/// Funders per page of `/funding`.
pub const FUNDERS_PER_PAGE: i64 = 20;
/// The CSV import's header, in this order.
pub const CSV_HEADER: &str = "funder,target,amount,currency,in_kind,starts_on,ends_on,note,source_url";

/// `/funders/{slug}`.
pub fn funder_href(slug: &str) -> String {
    format!("/funders/{slug}")
}

/// A funder.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Funder {
    pub slug: String,
    pub name: String,
    /// foundation, consortium, agency, company or individual
    pub kind: String,
    /// ISO 3166-1 alpha-2 (EU for the European Union).
    pub country: Option<String>,
    pub url: Option<String>,
    pub description: Option<String>,
    /// Made-up demo data (its amounts are invented).
    pub demo: bool,
    /// Sponsorships still running.
    pub active: i64,
    /// Sponsorships ended.
    pub ended: i64,
}

/// The health of what a sponsorship funds (what is known of it).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Health {
    /// Packages of the target (the package, the project's packages, the
    /// maintainer's declared packages); 0 for infrastructure.
    pub packages: i64,
    /// Of which CI builds.
    pub built: i64,
    /// Of which the latest builds fail.
    pub failing: i64,
    /// archived, partly, not or unknown (the sources' archival in Software Heritage).
    pub archival: Option<String>,
    /// Sources of those packages, and how many Software Heritage holds.
    pub sources: i64,
    pub archived: i64,
    /// Declared maintainers and active claimants of those packages.
    pub maintainers: i64,
    /// A CI service: the share of its builds that succeeded over the last
    /// 30 days, in percent.
    pub ci_success_percent: Option<f64>,
}

/// One sponsorship and the state of what it funds.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Sponsorship {
    pub id: i64,
    pub funder_slug: String,
    pub funder_name: String,
    /// The target as a reference: `project:KEY`, `package:ECOSYSTEM/CHANNEL/NAME`,
    /// `maintainer:FORGE:HANDLE`, `infrastructure:ci-service:NAME`,
    /// `infrastructure:mirror:NAME`, `infrastructure:software-heritage`,
    /// `infrastructure:other:NAME`.
    pub target: String,
    /// project, package, maintainer or infrastructure
    pub target_kind: String,
    /// The target in words.
    pub target_label: String,
    /// Its page on this site, when it has one.
    pub target_href: Option<String>,
    /// The amount for the whole period, a decimal string; none when in kind.
    pub amount: Option<String>,
    /// ISO 4217; none when in kind.
    pub currency: Option<String>,
    pub in_kind: bool,
    /// YYYY-MM-DD.
    pub starts_on: String,
    /// YYYY-MM-DD; none while open-ended.
    pub ends_on: Option<String>,
    /// Not ended (no end, or an end today or later).
    pub active: bool,
    pub note: Option<String>,
    pub source_url: Option<String>,
    /// Made-up demo data (the amount is invented).
    pub demo: bool,
    /// Earlier versions kept (each edit keeps the row it replaced).
    pub revisions: i64,
    pub health: Health,
}

/// One total: a funder's money in one currency (and one year, when `year`
/// is set), or its in-kind sponsorships (`currency` none).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Total {
    pub funder_slug: String,
    pub funder_name: String,
    /// The year the sponsorships started in (a sponsorship counts whole in its start year).
    pub year: Option<i32>,
    /// None: in-kind sponsorships (counted, no amount).
    pub currency: Option<String>,
    /// Decimal string; none for in kind.
    pub amount: Option<String>,
    pub sponsorships: i64,
}

/// All funders' money in one currency in one year (the chart's bars).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct YearTotal {
    pub year: i32,
    pub currency: String,
    pub amount: String,
    pub sponsorships: i64,
}

/// What `/funding` was asked for.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct FundingFilter {
    /// A funder kind.
    pub kind: Option<String>,
    /// An ISO 4217 code: only sponsorships in that currency.
    pub currency: Option<String>,
    /// active, ended or none for both.
    pub status: Option<String>,
}

/// A funder and (some of) what they fund.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct FunderBlock {
    pub funder: Funder,
    /// Active first, then ended; at most `PER_FUNDER_ON_OVERVIEW` on `/funding`.
    pub sponsorships: Vec<Sponsorship>,
}

/// `/funding`: totals and funders.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct FundingOverview {
    pub filter: FundingFilter,
    /// Per funder and currency (all years), in-kind rows apart.
    pub totals: Vec<Total>,
    /// Per funder, year and currency.
    pub yearly: Vec<Total>,
    /// Per year and currency, all funders (the chart).
    pub years: Vec<YearTotal>,
    /// Currencies present (for the filter).
    pub currencies: Vec<String>,
    /// The page of funders (20 a page), from 1.
    pub page: i64,
    pub pages: i64,
    pub funders: Vec<FunderBlock>,
}

/// `/funders/{slug}`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct FunderDetail {
    pub funder: Funder,
    pub totals: Vec<Total>,
    pub yearly: Vec<Total>,
    /// Active first, then ended.
    pub sponsorships: Vec<Sponsorship>,
}

/// An earlier version of a sponsorship.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Revision {
    /// RFC 3339: when it was replaced.
    pub revised_at: String,
    /// update or delete
    pub operation: String,
    pub amount: Option<String>,
    pub currency: Option<String>,
    pub in_kind: bool,
    pub starts_on: String,
    pub ends_on: Option<String>,
    pub note: Option<String>,
}

/// A sponsorship with its history, newest first.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct SponsorshipHistory {
    pub sponsorship: Sponsorship,
    pub revisions: Vec<Revision>,
}

/// The admin page: funders, sponsorships and the one being edited.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FundingAdmin {
    pub viewer: Viewer,
    pub funders: Vec<Funder>,
    pub sponsorships: Vec<Sponsorship>,
    pub edit_funder: Option<Funder>,
    pub edit_sponsorship: Option<Sponsorship>,
}

/// The server side of funding (implemented in the server crate).
#[cfg(feature = "ssr")]
#[async_trait::async_trait]
pub trait FundingPort: Send + Sync {
    async fn overview(&self, filter: FundingFilter, page: i64) -> Result<FundingOverview, ServerFnError>;
    async fn funder(&self, slug: &str) -> Result<Option<FunderDetail>, ServerFnError>;
    async fn history(&self, id: i64) -> Result<Option<SponsorshipHistory>, ServerFnError>;
    /// Sponsorships of a package (and of its project), active first.
    async fn of_package(&self, ecosystem: &str, channel: &str, name: &str) -> Result<Vec<Sponsorship>, ServerFnError>;
    async fn of_maintainer(&self, forge: &str, handle: &str) -> Result<Vec<Sponsorship>, ServerFnError>;
    async fn admin(
        &self,
        viewer: Viewer,
        edit_funder: Option<String>,
        edit_sponsorship: Option<i64>,
    ) -> Result<FundingAdmin, ServerFnError>;
}

#[cfg(feature = "ssr")]
fn port() -> Result<std::sync::Arc<dyn FundingPort>, ServerFnError> {
    use_context::<std::sync::Arc<dyn FundingPort>>().ok_or_else(|| ServerFnError::new("funding is not available"))
}

#[server(prefix = "/fn", endpoint = "funding")]
pub async fn get_funding(filter: FundingFilter, page: i64) -> Result<FundingOverview, ServerFnError> {
    port()?.overview(filter, page.clamp(1, 10_000)).await.inspect_err(|_| super::catalog::set_unavailable())
}

#[server(prefix = "/fn", endpoint = "funder")]
pub async fn get_funder(slug: String) -> Result<Option<FunderDetail>, ServerFnError> {
    let found = port()?.funder(&slug).await.inspect_err(|_| super::catalog::set_unavailable())?;
    if found.is_none() {
        super::catalog::set_status(404);
    }
    Ok(found)
}

#[server(prefix = "/fn", endpoint = "sponsorship_history")]
pub async fn get_sponsorship_history(id: i64) -> Result<Option<SponsorshipHistory>, ServerFnError> {
    let found = port()?.history(id).await.inspect_err(|_| super::catalog::set_unavailable())?;
    if found.is_none() {
        super::catalog::set_status(404);
    }
    Ok(found)
}

#[server(prefix = "/fn", endpoint = "package_funding")]
pub async fn get_package_funding(
    ecosystem: String,
    channel: String,
    name: String,
) -> Result<Vec<Sponsorship>, ServerFnError> {
    port()?.of_package(&ecosystem, &channel, &name).await
}

#[server(prefix = "/fn", endpoint = "maintainer_funding")]
pub async fn get_maintainer_funding(forge: String, handle: String) -> Result<Vec<Sponsorship>, ServerFnError> {
    port()?.of_maintainer(&forge, &handle).await
}

/// The admin page (admins and moderators).
#[server(prefix = "/fn", endpoint = "funding_admin")]
pub async fn get_funding_admin(
    edit_funder: Option<String>,
    edit_sponsorship: Option<i64>,
) -> Result<Gate<FundingAdmin>, ServerFnError> {
    match super::accounts::request_viewer() {
        None => Ok(Gate::Login),
        Some(v) if !v.is_moderator() => Ok(Gate::Forbidden),
        Some(v) => Ok(Gate::Ok(port()?.admin(v, edit_funder, edit_sponsorship).await?)),
    }
}
