//! Maintainers: the people behind the packages, declared in channel metadata
//! (Spack `maintainers`, Nix `meta.maintainers`) or claiming packages after
//! logging in. Their pages, the index, their inbox items (CI failures,
//! archival gaps, outdated versions) and the server functions pages load
//! them with. Public data only: forge, handle and the public name.
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::catalog::encode_segment;

/// Packages per page of a maintainer's page.
pub const PACKAGES_PER_PAGE: i64 = 50;
/// Maintainers per page of the index.
pub const MAINTAINERS_PER_PAGE: i64 = 50;
/// Inbox items per page (at most; the API takes a smaller `limit`).
pub const ITEMS_PER_PAGE: i64 = 50;

/// `/maintainers/{forge}/{handle}`.
pub fn maintainer_href(forge: &str, handle: &str) -> String {
    format!("/maintainers/{}/{}", encode_segment(forge), encode_segment(handle))
}

/// Where the handle lives on its forge: github.com, a GitLab host, orcid.org.
pub fn profile_url(forge: &str, handle: &str) -> Option<String> {
    match forge {
        "github" => Some(format!("https://github.com/{}", encode_segment(handle))),
        "orcid" => Some(format!("https://orcid.org/{}", encode_segment(handle))),
        "email" => None,
        host => Some(format!("https://{host}/{}", encode_segment(handle))),
    }
}

/// Whether a forge has maintainer pages (e-mail addresses do not: they are
/// not shown as pages of people).
pub fn has_page(forge: &str) -> bool {
    forge != "email"
}

/// How a maintainer is known to look after a package.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Relation {
    /// Declared in the channel's metadata.
    pub declared: bool,
    /// An active claim: `verified` (a handle the channel declares matched)
    /// or `approved` (by a moderator); none without one.
    pub claim: Option<String>,
}

/// A newer version of the same project in another ecosystem's channel.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct NewerVersion {
    pub version: String,
    pub ecosystem: String,
    pub channel: String,
    pub name: String,
}

/// One package of a maintainer, and its health at a glance.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct MaintainedPackage {
    pub ecosystem: String,
    pub channel: String,
    pub name: String,
    pub latest_version: Option<String>,
    pub relation: Relation,
    /// passing or failing; none when no CI builds it.
    pub ci: Option<String>,
    /// RFC 3339: since when the latest builds fail.
    pub failing_since: Option<String>,
    /// Sources of the package.
    pub sources: i64,
    /// Of which Software Heritage holds a copy.
    pub archived: i64,
    /// Of which Software Heritage holds none (checked).
    pub missing: i64,
    /// archived, partly, not or unknown (as the archival badge says).
    pub archival: String,
    /// The newest version seen in another ecosystem, when newer than ours.
    pub newer: Option<NewerVersion>,
}

/// Packages of one channel (how many the maintainer has there).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ChannelCount {
    pub ecosystem: String,
    pub channel: String,
    pub packages: i64,
}

/// The counts at the top of a maintainer's page.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct HealthCounts {
    pub packages: i64,
    /// Whose latest builds fail.
    pub failing: i64,
    /// With sources Software Heritage does not hold.
    pub unarchived: i64,
    /// With a newer version in another ecosystem.
    pub outdated: i64,
}

/// A maintainer's page: who, their packages (one page of them, grouped by
/// ecosystem and channel) and the counts.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct MaintainerDetail {
    pub forge: String,
    /// As declared (or as the forge spells it).
    pub handle: String,
    pub name: Option<String>,
    pub profile_url: Option<String>,
    pub counts: HealthCounts,
    pub channels: Vec<ChannelCount>,
    /// name or health
    pub sort: String,
    pub page: i64,
    pub pages: i64,
    pub packages: Vec<MaintainedPackage>,
}

/// One maintainer of the index.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct MaintainerSummary {
    pub forge: String,
    pub handle: String,
    pub name: Option<String>,
    /// Packages declared or claimed (present in their channels).
    pub packages: i64,
}

/// One page of the maintainer index, most packages first.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct MaintainerIndex {
    /// The search applied (handle or name), if any.
    pub q: Option<String>,
    /// Maintainers matching.
    pub total: i64,
    pub page: i64,
    pub pages: i64,
    pub maintainers: Vec<MaintainerSummary>,
}

/// Something that needs a maintainer's attention.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct InboxItem {
    /// Stable: the same item keeps its id (`ci-failure:…`, `archival-gap:…`, `outdated:…`).
    pub id: String,
    /// ci-failure, archival-gap or outdated
    pub kind: String,
    pub ecosystem: String,
    pub channel: String,
    pub name: String,
    pub version: Option<String>,
    /// RFC 3339: since when it is so (CI: the first failure of the streak;
    /// archival: the latest check; outdated: when the newer version was seen).
    pub since: Option<String>,
    /// ci-failure: failing builds; archival-gap: sources missing.
    pub count: i64,
    /// outdated: the newer version.
    pub newer: Option<NewerVersion>,
}

/// One page of inbox items, newest first.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Inbox {
    /// Items in all.
    pub total: i64,
    pub page: i64,
    pub limit: i64,
    pub items: Vec<InboxItem>,
}

/// Whether a claimant of a package is also one of its declared maintainers.
pub fn is_declared(declared: &[super::catalog::MaintainerView], forge: &str, handle: &str) -> bool {
    declared.iter().any(|m| m.forge == forge && m.handle.eq_ignore_ascii_case(handle))
}

/// The server side of maintainers, implemented by the server crate and
/// provided in the Leptos context as `Arc<dyn MaintainersPort>`.
#[cfg(feature = "ssr")]
#[async_trait::async_trait]
pub trait MaintainersPort: Send + Sync {
    /// `None` when nobody declares or claims with that handle.
    async fn maintainer(
        &self,
        forge: &str,
        handle: &str,
        sort: &str,
        page: i64,
    ) -> Result<Option<MaintainerDetail>, ServerFnError>;
    async fn index(&self, q: Option<&str>, page: i64) -> Result<MaintainerIndex, ServerFnError>;
    async fn inbox(&self, forge: &str, handle: &str, page: i64) -> Result<Option<Inbox>, ServerFnError>;
    /// The inbox of a logged-in user: every identity of theirs.
    async fn user_inbox(&self, user_id: i64, page: i64) -> Result<Inbox, ServerFnError>;
}

#[cfg(feature = "ssr")]
fn maintainers() -> Result<std::sync::Arc<dyn MaintainersPort>, ServerFnError> {
    use_context::<std::sync::Arc<dyn MaintainersPort>>()
        .ok_or_else(|| ServerFnError::new("maintainers are not available"))
}

#[server(prefix = "/fn", endpoint = "maintainer")]
pub async fn get_maintainer(
    forge: String,
    handle: String,
    sort: String,
    page: i64,
) -> Result<Option<MaintainerDetail>, ServerFnError> {
    let found = maintainers()?
        .maintainer(&forge, &handle, &sort, page.clamp(1, 10_000))
        .await
        .inspect_err(|_| super::catalog::set_unavailable())?;
    if found.is_none() {
        super::catalog::set_status(404);
    }
    Ok(found)
}

#[server(prefix = "/fn", endpoint = "maintainers")]
pub async fn get_maintainer_index(q: Option<String>, page: i64) -> Result<MaintainerIndex, ServerFnError> {
    maintainers()?.index(q.as_deref(), page.clamp(1, 10_000)).await.inspect_err(|_| super::catalog::set_unavailable())
}

#[server(prefix = "/fn", endpoint = "maintainer_inbox")]
pub async fn get_maintainer_inbox(forge: String, handle: String, page: i64) -> Result<Option<Inbox>, ServerFnError> {
    let found = maintainers()?
        .inbox(&forge, &handle, page.clamp(1, 10_000))
        .await
        .inspect_err(|_| super::catalog::set_unavailable())?;
    if found.is_none() {
        super::catalog::set_status(404);
    }
    Ok(found)
}

/// The logged-in person's inbox; anonymous visitors are sent to the login
/// page (`None`).
#[server(prefix = "/fn", endpoint = "my_inbox")]
pub async fn get_my_inbox(page: i64) -> Result<Option<Inbox>, ServerFnError> {
    let Some(viewer) = super::accounts::request_viewer() else {
        leptos_axum::redirect("/login");
        return Ok(None);
    };
    maintainers()?
        .user_inbox(viewer.id, page.clamp(1, 10_000))
        .await
        .map(Some)
        .inspect_err(|_| super::catalog::set_unavailable())
}
