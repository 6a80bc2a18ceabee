//! Channels and packages: the types pages and the JSON API show, and the
//! server functions pages load them with.
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ChannelSummary {
    pub ecosystem: String,
    pub name: String,
    pub url: Option<String>,
    pub current_revision: Option<String>,
    /// RFC 3339.
    pub ingested_at: Option<String>,
    pub packages: i64,
    pub removed: i64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct IngestInput {
    pub name: String,
    pub sha256: String,
    pub bytes: i64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct IngestRunView {
    pub revision: Option<String>,
    pub status: String,
    pub added: i32,
    pub updated: i32,
    pub removed: i32,
    pub unchanged: i32,
    pub started_at: String,
    pub duration_ms: i64,
    pub inputs: Vec<IngestInput>,
    pub warnings: Vec<String>,
}

/// An ingest that failed: nothing of it was written to the catalog.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct IngestFailureView {
    pub revision: Option<String>,
    /// RFC 3339.
    pub started_at: String,
    /// RFC 3339.
    pub failed_at: String,
    pub inputs: Vec<IngestInput>,
    /// The input (file name or URL) the error is in.
    pub file: Option<String>,
    /// The record (package) the error is in.
    pub record: Option<String>,
    /// Where in the record.
    pub place: Option<String>,
    pub error: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct PackageRef {
    pub ecosystem: String,
    pub channel: String,
    pub name: String,
    pub latest_version: Option<String>,
    pub synopsis: Option<String>,
    pub removed: bool,
}

impl PackageRef {
    pub fn href(&self) -> String {
        package_href(&self.ecosystem, &self.channel, &self.name)
    }
}

/// The page of a package: `/packages/{ecosystem}/{channel}/{name}`.
pub fn package_href(ecosystem: &str, channel: &str, name: &str) -> String {
    format!("/packages/{}/{}/{}", encode_segment(ecosystem), encode_segment(channel), encode_segment(name))
}

pub fn channel_href(ecosystem: &str, channel: &str) -> String {
    format!("/channels/{}/{}", encode_segment(ecosystem), encode_segment(channel))
}

/// Percent-encodes what may not stand in a path segment (`+` of gtk+, `/`, spaces…).
pub fn encode_segment(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Reverses `encode_segment` (route parameters may arrive encoded). Works on
/// bytes: a `%` followed by anything but two hex digits (a multi-byte
/// character, the end) stays as it is; bytes that are not UTF-8 once decoded
/// leave the segment as it came.
pub fn decode_segment(s: &str) -> String {
    fn hex(b: u8) -> Option<u8> {
        (b as char).to_digit(16).map(|d| d as u8)
    }
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            if let (Some(h), Some(l)) =
                (bytes.get(i + 1).copied().and_then(hex), bytes.get(i + 2).copied().and_then(hex))
            {
                out.push(h << 4 | l);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap_or_else(|_| s.to_string())
}

/// The largest page number a paged list accepts; larger ones are refused or clamped.
pub const MAX_PAGE: u32 = 10_000;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ChannelDetail {
    pub channel: ChannelSummary,
    pub runs: Vec<IngestRunView>,
    /// The latest failed ingests (newest first).
    pub failures: Vec<IngestFailureView>,
    pub packages: Vec<PackageRef>,
    pub page: u32,
    pub per_page: u32,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct LicenseView {
    pub raw: String,
    pub spdx: Option<String>,
    pub condition: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct MaintainerView {
    pub forge: String,
    pub handle: String,
    pub name: Option<String>,
}

impl MaintainerView {
    /// Where the handle lives, when it is a forge account.
    pub fn profile_url(&self) -> Option<String> {
        match self.forge.as_str() {
            "github" => Some(format!("https://github.com/{}", self.handle)),
            "orcid" => Some(format!("https://orcid.org/{}", self.handle)),
            "email" => None,
            host => Some(format!("https://{host}/{}", self.handle)),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct SourceView {
    pub origin_type: String,
    pub urls: Vec<String>,
    pub git_url: Option<String>,
    pub git_ref: Option<String>,
    pub git_commit: Option<String>,
    pub sha256: Option<String>,
    pub nar_sha256: Option<String>,
    pub integrity: Option<String>,
    pub forge_host: Option<String>,
    /// Its latest check in Software Heritage, when it was checked.
    #[serde(default)]
    pub archival: Option<super::archival::SourceArchival>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct VersionView {
    pub version: String,
    pub deprecated: bool,
    pub preferred: bool,
    pub sources: Vec<SourceView>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct DependencyView {
    pub name: String,
    pub kinds: Vec<String>,
    pub spec: Option<String>,
    pub condition: Option<String>,
    /// A package of that name exists in the same channel.
    pub resolved: bool,
    /// Packages of the channel that provide it, when it is a virtual (mpi, blas).
    pub providers: i64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct VariantView {
    pub name: String,
    pub default_value: Option<String>,
    pub description: Option<String>,
    pub allowed_values: Option<String>,
}

/// A Spack `conflicts(spec, when=…, msg=…)`: a configuration that cannot build.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ConflictView {
    pub spec: String,
    pub when: Option<String>,
    pub message: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct PackageDetail {
    pub ecosystem: String,
    pub channel: String,
    pub channel_revision: Option<String>,
    pub name: String,
    pub pname: Option<String>,
    pub latest_version: Option<String>,
    pub synopsis: Option<String>,
    pub description: Option<String>,
    pub homepage: Option<String>,
    pub repository_url: Option<String>,
    pub location: Option<String>,
    pub build_system: Option<String>,
    pub tags: Vec<String>,
    pub provides: Vec<String>,
    pub platforms: Vec<String>,
    pub removed: bool,
    pub removed_at: Option<String>,
    pub first_seen_revision: Option<String>,
    pub last_seen_revision: Option<String>,
    pub licenses: Vec<LicenseView>,
    pub maintainers: Vec<MaintainerView>,
    /// People with an active claim on the package or its project (verified
    /// or approved), each by one of their identities (GitHub first).
    #[serde(default)]
    pub claimants: Vec<MaintainerView>,
    pub versions: Vec<VersionView>,
    /// Sources not tied to one version.
    pub sources: Vec<SourceView>,
    pub dependencies: Vec<DependencyView>,
    pub dependents: i64,
    pub variants: Vec<VariantView>,
    /// Spack: configurations that cannot build.
    pub conflicts: Vec<ConflictView>,
    /// GPU programming models the recipe supports (Spack: cuda, rocm, sycl).
    pub gpu: Vec<String>,
    /// The same software in other channels and ecosystems.
    pub also_in: Vec<PackageRef>,
    /// The command that installs it.
    pub install: String,
}

/// How to install `name` from a channel of `ecosystem`.
pub fn install_command(ecosystem: &str, name: &str) -> String {
    match ecosystem {
        "guix" => format!("guix install {name}"),
        "spack" => format!("spack install {name}"),
        "nix" => format!("nix profile install nixpkgs#{name}"),
        _ => name.to_string(),
    }
}

/// The server side of the catalog, implemented by the server crate and
/// provided in the Leptos context as `Arc<dyn CatalogPort>`.
#[cfg(feature = "ssr")]
#[async_trait::async_trait]
pub trait CatalogPort: Send + Sync {
    async fn channels(&self) -> Result<Vec<ChannelSummary>, ServerFnError>;
    async fn channel(&self, ecosystem: &str, name: &str, page: u32) -> Result<Option<ChannelDetail>, ServerFnError>;
    async fn package(&self, ecosystem: &str, channel: &str, name: &str)
        -> Result<Option<PackageDetail>, ServerFnError>;
}

#[cfg(feature = "ssr")]
fn catalog() -> Result<std::sync::Arc<dyn CatalogPort>, ServerFnError> {
    use_context::<std::sync::Arc<dyn CatalogPort>>().ok_or_else(|| ServerFnError::new("the catalog is not available"))
}

/// Sets the HTTP status of the page being rendered (404 for a missing package).
#[cfg(feature = "ssr")]
pub fn set_status(code: u16) {
    if let (Some(resp), Ok(status)) = (use_context::<leptos_axum::ResponseOptions>(), http::StatusCode::from_u16(code))
    {
        resp.set_status(status);
    }
}

/// What a page says when the catalog cannot be read (database down).
pub const UNAVAILABLE: &str = "The catalog is not available right now.";

/// Seconds a client should wait before trying again after a 503.
pub const RETRY_AFTER_SECS: u32 = 30;

/// The page being rendered could not be made (the catalog is down): 503
/// with `Retry-After`, so that crawlers and caches keep the last good copy.
#[cfg(feature = "ssr")]
pub fn set_unavailable() {
    set_status(503);
    if let Some(resp) = use_context::<leptos_axum::ResponseOptions>() {
        resp.insert_header(http::header::RETRY_AFTER, http::HeaderValue::from(RETRY_AFTER_SECS));
    }
}

#[server(prefix = "/fn", endpoint = "channels")]
pub async fn list_channels() -> Result<Vec<ChannelSummary>, ServerFnError> {
    catalog()?.channels().await.inspect_err(|_| set_unavailable())
}

#[server(prefix = "/fn", endpoint = "channel")]
pub async fn get_channel(ecosystem: String, name: String, page: u32) -> Result<Option<ChannelDetail>, ServerFnError> {
    let found =
        catalog()?.channel(&ecosystem, &name, page.clamp(1, MAX_PAGE)).await.inspect_err(|_| set_unavailable())?;
    if found.is_none() {
        set_status(404);
    }
    Ok(found)
}

#[server(prefix = "/fn", endpoint = "package")]
pub async fn get_package(
    ecosystem: String,
    channel: String,
    name: String,
) -> Result<Option<PackageDetail>, ServerFnError> {
    let found = catalog()?.package(&ecosystem, &channel, &name).await.inspect_err(|_| set_unavailable())?;
    if found.is_none() {
        set_status(404);
    }
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments_round_trip() {
        for s in ["gtk+", "python312Packages.numpy", "a b/c", "r-ggplot2", "%41"] {
            assert_eq!(decode_segment(&encode_segment(s)), s);
        }
        assert_eq!(encode_segment("gtk+"), "gtk%2B");
        // A `%` before a multi-byte character, at the end, or before one hex digit.
        for s in ["%aé", "%é", "x%", "x%a", "%%", "%zz", "é%", "%C3"] {
            assert_eq!(decode_segment(s), s);
        }
        assert_eq!(decode_segment("%C3%A9"), "é");
        assert_eq!(decode_segment("gtk%2b"), "gtk+");
        assert_eq!(
            package_href("nix", "nixos-25.11", "python312Packages.numpy"),
            "/packages/nix/nixos-25.11/python312Packages.numpy"
        );
    }
}
