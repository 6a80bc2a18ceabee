//! The hardware-support matrix: packages × platforms (systems, CPU
//! micro-architectures, GPU targets, HPC sites' machines), each cell with its
//! provenance; HPC sites and their machines; the server functions pages load
//! them with.
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// Rows of a matrix page by default, and at most.
pub const PER_PAGE: i64 = 50;
pub const MAX_PER_PAGE: i64 = 500;
/// Pages one may ask for.
pub const MAX_PAGE: i64 = 10_000;

/// Where a cell's fact comes from, strongest first.
pub const KINDS: [&str; 5] = ["attested", "built", "declared", "inferred", "unknown"];
/// What a cell says.
pub const STATUSES: [&str; 6] = ["works", "partial", "broken", "supported", "unsupported", "unknown"];

/// One column: a platform.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct MatrixColumn {
    /// Stable key: `system:x86_64-linux`, `microarch:zen4`, `gpu:sm_90`, `site:cines/adastra/genoa`.
    pub key: String,
    /// system, microarch, gpu or site
    pub kind: String,
    /// The heading it is grouped under: the system (systems and
    /// micro-architectures), the GPU vendor (nvidia, amd) or the site's name.
    pub group: String,
    /// Its short name: x86_64-linux, zen4, sm_90, adastra/genoa.
    pub label: String,
    /// More about it: the CPU and GPU of a partition, its node count.
    pub detail: Option<String>,
}

/// One cell: what is known of a package on a platform, and from where.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct MatrixCell {
    /// attested (a site said so), built (a CI result), declared (the recipe
    /// says it), inferred (built for an ancestor target; never tested) or unknown.
    pub kind: String,
    /// works, partial, broken (attested, built or inferred), supported,
    /// unsupported (declared) or unknown.
    pub status: String,
    /// Who says it: the CI service or the site/machine. Absent when not known
    /// (as are the other optional fields: the JSON of 15,000 cells stays small).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// RFC 3339 time of the build, or the attestation's date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// What it rests on: the ancestor target an inference comes from, the
    /// recipe's conflict, the build's own status.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub via: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evidence_url: Option<String>,
    /// A site's note (plain text).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Made up by the demo data set (absent: false).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub demo: bool,
}

impl MatrixCell {
    pub fn unknown() -> Self {
        MatrixCell {
            kind: "unknown".into(),
            status: "unknown".into(),
            source: None,
            date: None,
            version: None,
            via: None,
            evidence_url: None,
            note: None,
            demo: false,
        }
    }

    /// `kind:status`: what the page, the JSON and the CSV all say of a cell.
    pub fn code(&self) -> String {
        format!("{}:{}", self.kind, self.status)
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct MatrixRow {
    pub ecosystem: String,
    pub channel: String,
    pub name: String,
    pub version: Option<String>,
    /// One per column, in the columns' order.
    pub cells: Vec<MatrixCell>,
}

/// The filters of a matrix.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct MatrixFilters {
    /// `ecosystem/channel`, e.g. spack/builtin.
    pub channel: Option<String>,
    /// Words of the package's name.
    pub q: Option<String>,
    /// A tag of the package (Spack tags).
    pub tag: Option<String>,
    /// Only this site's machines as site columns, only packages it attested.
    pub site: Option<String>,
    /// Only packages with at least one known cell.
    pub known: bool,
    /// `FORGE:HANDLE`: only the packages this maintainer declares or claims.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub maintainer: Option<String>,
    pub page: i64,
    pub per_page: i64,
}

impl MatrixFilters {
    /// The query string of these filters (without the page when `page` is false).
    pub fn query_string(&self, page: bool) -> String {
        let mut q = Vec::new();
        let enc = super::catalog::encode_segment;
        for (k, v) in [
            ("channel", &self.channel),
            ("q", &self.q),
            ("tag", &self.tag),
            ("site", &self.site),
            ("maintainer", &self.maintainer),
        ] {
            if let Some(v) = v {
                q.push(format!("{k}={}", enc(v)));
            }
        }
        if self.known {
            q.push("known=1".into());
        }
        if page {
            q.push(format!("page={}", self.page));
            if self.per_page != PER_PAGE {
                q.push(format!("per_page={}", self.per_page));
            }
        }
        q.join("&")
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Matrix {
    pub filters: MatrixFilters,
    pub columns: Vec<MatrixColumn>,
    pub rows: Vec<MatrixRow>,
    /// Packages matching the filters.
    pub total: i64,
    /// Channels one may filter on, `ecosystem/channel`.
    pub channels: Vec<String>,
    /// Whether a cell shown is made up by the demo data set.
    pub demo: bool,
}

/// An HPC site.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct SiteSummary {
    pub name: String,
    pub title: String,
    pub operator: String,
    pub url: Option<String>,
    pub country: Option<String>,
    pub description: Option<String>,
    pub machines: i64,
    pub partitions: i64,
    /// Packages with a current attestation at the site.
    pub attested_packages: i64,
}

/// A partition of a machine: nodes of one kind.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct PartitionView {
    pub machine: String,
    pub machine_title: String,
    pub machine_url: Option<String>,
    pub name: String,
    pub system: String,
    pub microarch: Option<String>,
    pub cpu_model: Option<String>,
    pub gpu_vendor: Option<String>,
    pub gpu_model: Option<String>,
    pub gpu_target: Option<String>,
    pub nodes: Option<i32>,
}

/// A site, its machines and its public matrix.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct SitePage {
    pub site: SiteSummary,
    pub partitions: Vec<PartitionView>,
    pub matrix: Matrix,
}

/// A package's row of the matrix ("Where it runs").
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct PackagePlatforms {
    pub columns: Vec<MatrixColumn>,
    pub row: MatrixRow,
    /// GPU programming models the recipe declares (cuda, rocm, sycl).
    pub gpu: Vec<String>,
    /// The recipe's conflicts about targets and GPUs, as it says them.
    pub conflicts: Vec<String>,
}

/// The page of a site.
pub fn site_href(site: &str) -> String {
    format!("/sites/{}", super::catalog::encode_segment(site))
}

/// The server side of the matrix, implemented by the server crate and
/// provided in the Leptos context as `Arc<dyn MatrixPort>`.
#[cfg(feature = "ssr")]
#[async_trait::async_trait]
pub trait MatrixPort: Send + Sync {
    async fn matrix(&self, filters: MatrixFilters) -> Result<Matrix, ServerFnError>;
    async fn sites(&self) -> Result<Vec<SiteSummary>, ServerFnError>;
    async fn site(&self, name: &str, filters: MatrixFilters) -> Result<Option<SitePage>, ServerFnError>;
    async fn package_platforms(
        &self,
        ecosystem: &str,
        channel: &str,
        name: &str,
    ) -> Result<Option<PackagePlatforms>, ServerFnError>;
}

#[cfg(feature = "ssr")]
fn port() -> Result<std::sync::Arc<dyn MatrixPort>, ServerFnError> {
    use_context::<std::sync::Arc<dyn MatrixPort>>().ok_or_else(|| ServerFnError::new("the matrix is not available"))
}

/// Bounds the filters: pages and sizes clamped, empty texts dropped, texts cut to 100 characters.
pub fn clean(mut f: MatrixFilters) -> MatrixFilters {
    let text = |v: Option<String>| v.map(|s| s.trim().chars().take(100).collect::<String>()).filter(|s| !s.is_empty());
    f.channel = text(f.channel);
    f.q = text(f.q);
    f.tag = text(f.tag);
    f.site = text(f.site);
    f.maintainer = f.maintainer.map(|m| m.trim().to_string()).filter(|m| !m.is_empty());
    f.page = f.page.clamp(1, MAX_PAGE);
    f.per_page = if f.per_page <= 0 { PER_PAGE } else { f.per_page.min(MAX_PER_PAGE) };
    f
}

/// The forge and handle of a `maintainer=FORGE:HANDLE` filter: a forge
/// (`github`, `orcid`, a GitLab host; lower case, not `email`) and a handle
/// of 1 to 255 characters. `None` when it is not of that form.
pub fn split_maintainer(value: &str) -> Option<(String, String)> {
    let (forge, handle) = value.split_once(':')?;
    let forge_ok = !forge.is_empty()
        && forge.len() <= 253
        && forge.starts_with(|c: char| c.is_ascii_lowercase() || c.is_ascii_digit())
        && forge.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '.' || c == '-')
        && super::maintainers::has_page(forge);
    let handle_ok = !handle.is_empty() && handle.chars().count() <= 255 && !handle.chars().any(char::is_control);
    (forge_ok && handle_ok).then(|| (forge.to_string(), handle.to_string()))
}

#[server(prefix = "/fn", endpoint = "matrix")]
pub async fn get_matrix(filters: MatrixFilters) -> Result<Matrix, ServerFnError> {
    if filters.maintainer.as_deref().is_some_and(|m| split_maintainer(m.trim()).is_none()) {
        super::catalog::set_status(400);
        return Err(ServerFnError::new("maintainer must be FORGE:HANDLE"));
    }
    port()?.matrix(clean(filters)).await.inspect_err(|_| super::catalog::set_unavailable())
}

#[server(prefix = "/fn", endpoint = "sites")]
pub async fn get_sites() -> Result<Vec<SiteSummary>, ServerFnError> {
    port()?.sites().await.inspect_err(|_| super::catalog::set_unavailable())
}

#[server(prefix = "/fn", endpoint = "site")]
pub async fn get_site(name: String, filters: MatrixFilters) -> Result<Option<SitePage>, ServerFnError> {
    let found = port()?.site(&name, clean(filters)).await.inspect_err(|_| super::catalog::set_unavailable())?;
    if found.is_none() {
        super::catalog::set_status(404);
    }
    Ok(found)
}

#[server(prefix = "/fn", endpoint = "package_platforms")]
pub async fn get_package_platforms(
    ecosystem: String,
    channel: String,
    name: String,
) -> Result<Option<PackagePlatforms>, ServerFnError> {
    port()?.package_platforms(&ecosystem, &channel, &name).await
}
