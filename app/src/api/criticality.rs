//! Criticality (#14): the critical-but-unfunded list — projects (the same
//! software across ecosystems) by criticality score, without an active
//! sponsorship and with at most one maintainer — its filters and the server
//! function the page loads it with.
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// Projects per page.
pub const PER_PAGE: i64 = 50;
/// Pages at most: the list is read to 10,000 projects.
pub const MAX_PAGE: i64 = 200;
/// Projects at most in the list (and its CSV).
pub const MAX_ROWS: i64 = PER_PAGE * MAX_PAGE;
/// The longest tag accepted as a filter.
pub const MAX_TAG_CHARS: usize = 64;
/// The ecosystems a project may be filtered by.
pub const ECOSYSTEMS: [&str; 3] = ["guix", "spack", "nix"];
/// Orders of the list.
pub const SORTS: [&str; 3] = ["score", "dependents", "name"];

/// What the list is filtered and sorted by (the URL's query).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CriticalFilters {
    /// guix, spack or nix: projects packaged there.
    pub ecosystem: Option<String>,
    /// A domain: projects one of whose packages carries this tag.
    pub tag: Option<String>,
    /// score (default), dependents (transitive) or name.
    pub sort: String,
    pub page: i64,
}

impl Default for CriticalFilters {
    fn default() -> Self {
        Self { ecosystem: None, tag: None, sort: "score".into(), page: 1 }
    }
}

impl CriticalFilters {
    /// Why these filters cannot be answered (the API's 400), if they cannot.
    pub fn check(&self) -> Result<(), String> {
        if let Some(e) = &self.ecosystem {
            if !ECOSYSTEMS.contains(&e.as_str()) {
                return Err(format!("ecosystem must be guix, spack or nix, not {e:?}"));
            }
        }
        if let Some(t) = &self.tag {
            if t.chars().count() > MAX_TAG_CHARS || t.chars().any(char::is_control) {
                return Err(format!("tag must be at most {MAX_TAG_CHARS} characters, without control characters"));
            }
        }
        if !SORTS.contains(&self.sort.as_str()) {
            return Err("sort must be score, dependents or name".into());
        }
        if !(1..=MAX_PAGE).contains(&self.page) {
            return Err(format!("page must be between 1 and {MAX_PAGE}"));
        }
        Ok(())
    }

    /// The same filters made answerable: unknown values dropped, the page
    /// clamped (for pages, which never answer 400).
    pub fn lenient(self) -> Self {
        Self {
            ecosystem: self.ecosystem.filter(|e| ECOSYSTEMS.contains(&e.as_str())),
            tag: self
                .tag
                .map(|t| t.trim().to_string())
                .filter(|t| !t.is_empty() && t.chars().count() <= MAX_TAG_CHARS && !t.chars().any(char::is_control)),
            sort: if SORTS.contains(&self.sort.as_str()) { self.sort } else { "score".into() },
            page: self.page.clamp(1, MAX_PAGE),
        }
    }

    /// The query string of these filters (without the page), `&`-separated.
    pub fn query(&self) -> String {
        let mut parts = Vec::new();
        if let Some(e) = &self.ecosystem {
            parts.push(format!("ecosystem={}", super::catalog::encode_segment(e)));
        }
        if let Some(t) = &self.tag {
            parts.push(format!("tag={}", super::catalog::encode_segment(t)));
        }
        if self.sort != "score" {
            parts.push(format!("sort={}", self.sort));
        }
        parts.join("&")
    }
}

/// One project of the list.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CriticalProject {
    /// Its place in this list (with these filters and this order).
    pub rank: i64,
    /// Its place among every project, by score.
    pub overall_rank: i64,
    /// The project's key: its name with language prefixes and separators removed.
    pub project: String,
    pub name: String,
    /// The package most depended on, which the project's name links to.
    pub package: Option<PackageRef>,
    /// Ecosystems packaging it (guix, nix, spack).
    pub ecosystems: Vec<String>,
    /// The tags of its packages.
    pub tags: Vec<String>,
    /// Present packages of other projects, over every channel, depending on one of its packages.
    pub direct_dependents: i64,
    /// The same through any chain of dependencies (direct ones included).
    pub transitive_dependents: i64,
    /// Present packages of the project.
    pub packages: i64,
    /// Declared maintainers plus claimants (0 or 1 on this list).
    pub maintainers: i64,
    /// Packages built by a CI, and of those whose latest builds fail.
    pub ci_packages: i64,
    pub ci_failing: i64,
    /// Sources checked against Software Heritage, and of those archived.
    pub sources_checked: i64,
    pub sources_archived: i64,
    pub score: f64,
}

/// A package of a project.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct PackageRef {
    pub ecosystem: String,
    pub channel: String,
    pub name: String,
}

/// One page of the critical-but-unfunded list.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CriticalList {
    pub ecosystem: Option<String>,
    pub tag: Option<String>,
    pub sort: String,
    pub page: i64,
    pub pages: i64,
    /// Projects matching, at most 10,000 (`MAX_ROWS`).
    pub total: i64,
    /// RFC 3339: when the criticality was computed; none before the first computation.
    pub computed_at: Option<String>,
    /// The tags most common on the list (the domain filter's choices).
    pub tags: Vec<String>,
    pub projects: Vec<CriticalProject>,
}

/// The server side of the list, implemented by the server crate and
/// provided in the Leptos context as `Arc<dyn CriticalityPort>`.
#[cfg(feature = "ssr")]
#[async_trait::async_trait]
pub trait CriticalityPort: Send + Sync {
    async fn critical(&self, filters: &CriticalFilters) -> Result<CriticalList, ServerFnError>;
}

#[server(prefix = "/fn", endpoint = "critical")]
pub async fn get_critical(
    ecosystem: Option<String>,
    tag: Option<String>,
    sort: String,
    page: i64,
) -> Result<CriticalList, ServerFnError> {
    let port = use_context::<std::sync::Arc<dyn CriticalityPort>>()
        .ok_or_else(|| ServerFnError::new("criticality is not available"))?;
    let filters = CriticalFilters { ecosystem, tag, sort, page }.lenient();
    port.critical(&filters).await.inspect_err(|_| super::catalog::set_unavailable())
}
