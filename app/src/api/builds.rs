//! CI status: build results as pages and the JSON API show them, and the
//! server functions pages load them with.
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// The latest build of one version × system (× target) by one service.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct BuildView {
    /// The CI service's name.
    pub service: String,
    /// cuirass, hydra, gitlab or push
    pub service_kind: String,
    /// The service's own build id.
    pub id: String,
    pub version: Option<String>,
    pub system: Option<String>,
    /// Micro-architecture, where the service says it.
    pub target: Option<String>,
    pub compiler: Option<String>,
    /// succeeded, failed, dependency-failed, timed-out, cancelled or other
    pub status: String,
    /// Of the package on this system at this service: new-failure,
    /// still-failing, fixed or still-succeeding (none when no build gave a verdict).
    pub weather: Option<String>,
    /// RFC 3339.
    pub finished_at: Option<String>,
    /// The build's page at the service.
    pub build_url: Option<String>,
    pub log_url: Option<String>,
    /// Whether it is a demo data set's (made-up) result.
    pub demo: bool,
}

/// The builds of one package.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct PackageBuilds {
    pub ecosystem: String,
    pub channel: String,
    pub name: String,
    /// The latest build per service, version, system and target, newest first.
    pub latest: Vec<BuildView>,
    /// Builds of the package on record (history included).
    pub total: i64,
    /// Whether any of `latest` is a demo data set's (made-up) result.
    pub demo: bool,
}

/// Builds of a history page.
pub const HISTORY_PER_PAGE: i64 = 50;

/// One page of a package's build history, newest first.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct BuildHistory {
    pub ecosystem: String,
    pub channel: String,
    pub name: String,
    /// The filters applied.
    pub system: Option<String>,
    pub status: Option<String>,
    /// Builds (weather is not given here).
    pub builds: Vec<BuildView>,
    pub page: i64,
    pub per_page: i64,
    /// Builds matching the filters.
    pub total: i64,
    /// Every system the package was built on (for the filter).
    pub systems: Vec<String>,
}

/// The history page of a package's builds.
pub fn history_href(ecosystem: &str, channel: &str, name: &str) -> String {
    format!("{}/builds", super::catalog::package_href(ecosystem, channel, name))
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct StatusCount {
    pub status: String,
    pub count: i64,
}

/// One CI service and what it built.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CiServiceSummary {
    pub name: String,
    pub kind: String,
    pub ecosystem: String,
    pub channel: String,
    pub base_url: Option<String>,
    /// Builds by status (every status of the vocabulary, zeros included).
    pub counts: Vec<StatusCount>,
    pub total: i64,
    /// Builds whose job names no package of the channel.
    pub unresolved: i64,
    /// RFC 3339: the latest build's end.
    pub last_finished_at: Option<String>,
    /// Whether it is the demo data set's (made-up) service.
    pub demo: bool,
}

/// A package whose latest build on a system failed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct FailingPackage {
    pub service: String,
    pub ecosystem: String,
    pub channel: String,
    pub name: String,
    pub system: Option<String>,
    pub version: Option<String>,
    /// The latest build's status.
    pub status: String,
    /// RFC 3339: the first failure since the last success.
    pub failing_since: Option<String>,
    /// RFC 3339: the latest build's end.
    pub finished_at: Option<String>,
    /// Packages of the channel that depend on it.
    pub dependents: i64,
    pub build_url: Option<String>,
    pub demo: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CiOverview {
    /// The one service shown (`/ci/{service}`), or none for every service.
    pub service: Option<String>,
    pub services: Vec<CiServiceSummary>,
    /// Success rate per service and week (at most [`TREND_WEEKS`] weeks, up
    /// to the service's latest build).
    pub trends: Vec<CiTrend>,
    /// Failing now, succeeding (or never built) before, failed in the last 7 days; newest first (at most 20).
    pub new_failures: Vec<FailingPackage>,
    /// Failing the longest, by the first failure since the last success (at most 10).
    pub longest_failing: Vec<FailingPackage>,
    /// Failing packages the most packages depend on (at most 10).
    pub most_depended_failing: Vec<FailingPackage>,
}

/// Weeks a success-rate trend covers.
pub const TREND_WEEKS: usize = 12;

/// One service's success rate over time.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CiTrend {
    pub service: String,
    /// Consecutive weeks, oldest first (weeks without builds included, with zeros).
    pub weeks: Vec<CiWeek>,
}

/// Builds of one week (Monday to Sunday, UTC).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CiWeek {
    /// The week's Monday, `YYYY-MM-DD`.
    pub week: String,
    pub succeeded: i64,
    /// Builds that gave a verdict: succeeded, failed, dependency-failed or
    /// timed-out (cancelled and other say nothing about the package).
    pub decisive: i64,
}

impl CiWeek {
    /// Succeeded builds per hundred decisive ones; none without a verdict.
    pub fn rate_percent(&self) -> Option<f64> {
        (self.decisive > 0).then(|| self.succeeded as f64 * 100.0 / self.decisive as f64)
    }
}

/// The server side of CI status, implemented by the server crate and
/// provided in the Leptos context as `Arc<dyn BuildsPort>`.
#[cfg(feature = "ssr")]
#[async_trait::async_trait]
pub trait BuildsPort: Send + Sync {
    async fn package_builds(
        &self,
        ecosystem: &str,
        channel: &str,
        name: &str,
    ) -> Result<Option<PackageBuilds>, ServerFnError>;
    /// Every service, or only `service`; `None` when there is no such service.
    async fn overview(&self, service: Option<&str>) -> Result<Option<CiOverview>, ServerFnError>;
    async fn history(
        &self,
        ecosystem: &str,
        channel: &str,
        name: &str,
        system: Option<&str>,
        status: Option<&str>,
        page: i64,
    ) -> Result<Option<BuildHistory>, ServerFnError>;
}

#[cfg(feature = "ssr")]
fn builds() -> Result<std::sync::Arc<dyn BuildsPort>, ServerFnError> {
    use_context::<std::sync::Arc<dyn BuildsPort>>().ok_or_else(|| ServerFnError::new("CI status is not available"))
}

#[server(prefix = "/fn", endpoint = "package_builds")]
pub async fn get_package_builds(
    ecosystem: String,
    channel: String,
    name: String,
) -> Result<Option<PackageBuilds>, ServerFnError> {
    builds()?.package_builds(&ecosystem, &channel, &name).await
}

#[server(prefix = "/fn", endpoint = "ci")]
pub async fn get_ci_overview(service: Option<String>) -> Result<Option<CiOverview>, ServerFnError> {
    let found = builds()?.overview(service.as_deref()).await.inspect_err(|_| super::catalog::set_unavailable())?;
    if found.is_none() {
        super::catalog::set_status(404);
    }
    Ok(found)
}

/// The page of one CI service.
pub fn ci_service_href(service: &str) -> String {
    format!("/ci/{}", super::catalog::encode_segment(service))
}

#[server(prefix = "/fn", endpoint = "build_history")]
pub async fn get_build_history(
    ecosystem: String,
    channel: String,
    name: String,
    system: Option<String>,
    status: Option<String>,
    page: i64,
) -> Result<Option<BuildHistory>, ServerFnError> {
    let found = builds()?
        .history(&ecosystem, &channel, &name, system.as_deref(), status.as_deref(), page.clamp(1, 10_000))
        .await
        .inspect_err(|_| super::catalog::set_unavailable())?;
    if found.is_none() {
        super::catalog::set_status(404);
    }
    Ok(found)
}
