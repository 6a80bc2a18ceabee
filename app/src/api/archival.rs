//! Archival coverage in Software Heritage as pages and the JSON API show it,
//! and the server functions the pages load it with.
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// Missing sources per page.
pub const MISSING_PER_PAGE: i64 = 50;
/// The statuses of a source, in the order pages show them.
pub const STATUSES: [&str; 5] = ["archived", "missing", "unknown", "error", "unchecked"];
/// Origin types of sources.
pub const ORIGIN_TYPES: [&str; 5] = ["url", "git", "svn", "hg", "other"];

/// Where a SWHID is browsed.
pub fn swhid_href(swhid: &str) -> String {
    format!("https://archive.softwareheritage.org/{swhid}")
}

/// The archival status of one source (on the package page).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct SourceArchival {
    /// archived, missing, unknown or error
    pub status: String,
    /// revision, extid-hg-nodeid, extid-nar-sha256, extid-checksum-sha256, content-sha256, origin-visit or none
    pub method: String,
    /// `swh:1:…` of the archived object.
    pub swhid: Option<String>,
    /// Why it is unknown, or what went wrong.
    pub reason: Option<String>,
    /// RFC 3339.
    pub checked_at: Option<String>,
    /// Made up by the demo data set.
    pub demo: bool,
}

/// Sources counted by status.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Coverage {
    pub sources: i64,
    pub archived: i64,
    pub missing: i64,
    pub unknown: i64,
    pub error: i64,
    /// Not checked yet.
    pub unchecked: i64,
}

impl Coverage {
    /// Archived sources in percent of all (0 without sources).
    pub fn percent(&self) -> f64 {
        if self.sources == 0 {
            0.0
        } else {
            self.archived as f64 * 100.0 / self.sources as f64
        }
    }

    pub fn count(&self, status: &str) -> i64 {
        match status {
            "archived" => self.archived,
            "missing" => self.missing,
            "unknown" => self.unknown,
            "error" => self.error,
            _ => self.unchecked,
        }
    }
}

/// Sources of one origin type (url, git, svn, hg, other).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct TypeCoverage {
    pub origin_type: String,
    pub coverage: Coverage,
}

/// Sources of one ecosystem's channels (their latest snapshots added up).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct EcosystemCoverage {
    pub ecosystem: String,
    pub channels: i64,
    pub coverage: Coverage,
}

impl Coverage {
    /// The sum of two coverages.
    pub fn plus(&self, o: &Coverage) -> Coverage {
        Coverage {
            sources: self.sources + o.sources,
            archived: self.archived + o.archived,
            missing: self.missing + o.missing,
            unknown: self.unknown + o.unknown,
            error: self.error + o.error,
            unchecked: self.unchecked + o.unchecked,
        }
    }
}

/// A host's share of sources.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct HostShare {
    pub host: String,
    /// commercial, institutional or other (a configurable list).
    pub class: String,
    pub sources: i64,
    /// Sources on this host the archive does not hold.
    pub unarchived: i64,
    /// Of the sources with a host, from 0 to 1.
    pub share: f64,
}

/// A channel's latest coverage snapshot.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ChannelCoverage {
    pub ecosystem: String,
    pub channel: String,
    pub revision: String,
    /// RFC 3339.
    pub taken_at: String,
    pub coverage: Coverage,
    pub by_type: Vec<TypeCoverage>,
    /// The ten hosts with the most sources.
    pub hosts: Vec<HostShare>,
    /// Hosts with at least one source.
    pub host_count: i64,
    /// Herfindahl-Hirschman index of the hosts' shares (0 to 10,000).
    pub hhi: f64,
    /// Shares (0 to 1) of the sources with a host on commercial and on institutional hosts.
    pub commercial_share: f64,
    pub institutional_share: f64,
    pub demo: bool,
}

/// One snapshot of one channel, for the trend.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct TrendPoint {
    pub ecosystem: String,
    pub channel: String,
    pub revision: String,
    /// RFC 3339.
    pub taken_at: String,
    pub sources: i64,
    pub archived: i64,
    pub demo: bool,
}

/// A host whose loss would leave sources without a copy.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct HostRisk {
    pub host: String,
    pub class: String,
    pub sources: i64,
    pub unarchived: i64,
}

/// A package with sources the archive does not hold.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct UnarchivedPackage {
    pub ecosystem: String,
    pub channel: String,
    pub name: String,
    /// Packages of the channel that depend on it.
    pub dependents: i64,
    pub sources: i64,
    /// Its sources not archived (missing, unknown, error or unchecked).
    pub unarchived: i64,
}

/// `/archival`'s data.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ArchivalOverview {
    /// The latest snapshot of every channel that has one.
    pub channels: Vec<ChannelCoverage>,
    /// The channels' latest snapshots added up per ecosystem.
    pub by_ecosystem: Vec<EcosystemCoverage>,
    /// Every channel's snapshots with sources, oldest first.
    pub trend: Vec<TrendPoint>,
    /// All channels' latest snapshots added up, per origin type.
    pub by_type: Vec<TypeCoverage>,
    /// Hosts whose loss would leave the most unarchived sources without a copy (at most 10).
    pub single_points_of_failure: Vec<HostRisk>,
    /// Packages with unarchived sources the most packages depend on (at most 10).
    pub most_depended_unarchived: Vec<UnarchivedPackage>,
    /// Whether any of it is made up by the demo data set.
    pub demo: bool,
}

/// The filters of the missing sources' list (all optional).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct MissingFilter {
    /// `ecosystem/channel`.
    pub channel: Option<String>,
    /// missing, unknown, error or unchecked (default: all four).
    pub status: Option<String>,
    /// url, git, svn, hg or other.
    pub origin_type: Option<String>,
    /// The source's host, e.g. github.com.
    pub host: Option<String>,
}

impl MissingFilter {
    /// The query string of these filters (without `page`), `&`-joined.
    pub fn query(&self) -> String {
        let mut q = Vec::new();
        for (k, v) in [
            ("channel", &self.channel),
            ("status", &self.status),
            ("origin_type", &self.origin_type),
            ("host", &self.host),
        ] {
            if let Some(v) = v {
                q.push(format!("{k}={}", super::catalog::encode_segment(v)));
            }
        }
        q.join("&")
    }
}

/// A source the archive does not hold (or not known to).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct MissingSource {
    pub ecosystem: String,
    pub channel: String,
    pub package: String,
    pub version: Option<String>,
    pub origin_type: String,
    /// The source's URL (git URL or first download URL).
    pub url: Option<String>,
    pub host: Option<String>,
    /// What the archive is asked about (`sha256:…`, `revision:…`, `origin:…`…).
    pub key: String,
    /// missing, unknown, error or unchecked
    pub status: String,
    pub reason: Option<String>,
    /// RFC 3339.
    pub checked_at: Option<String>,
    pub dependents: i64,
    pub demo: bool,
}

/// One page of the missing sources, most depended-upon packages first.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct MissingSources {
    pub filter: MissingFilter,
    pub rows: Vec<MissingSource>,
    pub page: i64,
    pub per_page: i64,
    pub total: i64,
    /// `ecosystem/channel` of every channel (for the filter).
    pub channels: Vec<String>,
}

/// One source of a package and its archival status.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct PackageSourceArchival {
    pub version: Option<String>,
    pub origin_type: String,
    pub url: Option<String>,
    pub key: String,
    /// archived, missing, unknown, error or unchecked
    pub status: String,
    pub method: Option<String>,
    pub swhid: Option<String>,
    pub reason: Option<String>,
    pub checked_at: Option<String>,
    pub demo: bool,
}

/// A package's sources and their archival status.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct PackageArchival {
    pub ecosystem: String,
    pub channel: String,
    pub name: String,
    /// archived (every source), partly, not (none archived, some checked) or unknown.
    pub verdict: String,
    pub sources: Vec<PackageSourceArchival>,
}

/// The server side of archival coverage, implemented by the server crate
/// and provided in the Leptos context as `Arc<dyn ArchivalPort>`.
#[cfg(feature = "ssr")]
#[async_trait::async_trait]
pub trait ArchivalPort: Send + Sync {
    async fn overview(&self) -> Result<ArchivalOverview, ServerFnError>;
    async fn missing(&self, filter: MissingFilter, page: i64) -> Result<MissingSources, ServerFnError>;
}

#[cfg(feature = "ssr")]
fn archival() -> Result<std::sync::Arc<dyn ArchivalPort>, ServerFnError> {
    use_context::<std::sync::Arc<dyn ArchivalPort>>()
        .ok_or_else(|| ServerFnError::new("archival coverage is not available"))
}

#[server(prefix = "/fn", endpoint = "archival")]
pub async fn get_archival_overview() -> Result<ArchivalOverview, ServerFnError> {
    archival()?.overview().await.inspect_err(|_| super::catalog::set_unavailable())
}

#[server(prefix = "/fn", endpoint = "archival_missing")]
pub async fn get_missing_sources(filter: MissingFilter, page: i64) -> Result<MissingSources, ServerFnError> {
    archival()?.missing(filter, page.clamp(1, 10_000)).await.inspect_err(|_| super::catalog::set_unavailable())
}
