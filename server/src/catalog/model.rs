//! The normalised form every importer produces: one `ChannelSnapshot` per
//! channel revision, whatever the input format.
use std::fmt;

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Ecosystem {
    Guix,
    Spack,
    Nix,
}

impl Ecosystem {
    pub const ALL: [Ecosystem; 3] = [Ecosystem::Guix, Ecosystem::Spack, Ecosystem::Nix];

    pub fn as_str(self) -> &'static str {
        match self {
            Ecosystem::Guix => "guix",
            Ecosystem::Spack => "spack",
            Ecosystem::Nix => "nix",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|e| e.as_str() == s)
    }
}

impl fmt::Display for Ecosystem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Everything one revision of a channel says.
#[derive(Debug, Default)]
pub struct ChannelSnapshot {
    pub packages: Vec<PackageRecord>,
    /// The revision named by the input itself (e.g. sources.json `revision`).
    pub revision: Option<String>,
    /// Things the summary reports (folded duplicates, unmatched sources…).
    pub warnings: Vec<String>,
}

/// One package of a channel. Serialised (in this field order) to compute the
/// content hash that makes re-ingesting unchanged input write nothing.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct PackageRecord {
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
    pub licenses: Vec<LicenseRecord>,
    pub maintainers: Vec<MaintainerRecord>,
    pub versions: Vec<VersionRecord>,
    /// Sources not tied to one version.
    pub sources: Vec<SourceRecord>,
    pub dependencies: Vec<DependencyRecord>,
    pub variants: Vec<VariantRecord>,
    pub extra: serde_json::Map<String, serde_json::Value>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LicenseRecord {
    pub raw: String,
    pub spdx: Option<String>,
    pub condition: Option<String>,
}

/// Removes repeated maintainers (same forge, handle equal ignoring case),
/// keeping the first spelling and the input order.
pub fn dedup_maintainers(list: &mut Vec<MaintainerRecord>) {
    let mut seen = std::collections::HashSet::new();
    list.retain(|m| seen.insert((m.forge.clone(), m.handle.to_lowercase())));
}

#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct MaintainerRecord {
    /// `github`, a GitLab host, `orcid`, `email`.
    pub forge: String,
    pub handle: String,
    pub name: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct VersionRecord {
    pub version: String,
    pub deprecated: bool,
    pub preferred: bool,
    pub sources: Vec<SourceRecord>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum OriginType {
    Url,
    Git,
    Svn,
    Hg,
    Other,
}

impl OriginType {
    pub fn parse(s: &str) -> Self {
        match s {
            "url" => Self::Url,
            "git" => Self::Git,
            "svn" => Self::Svn,
            "hg" => Self::Hg,
            _ => Self::Other,
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Url => "url",
            Self::Git => "git",
            Self::Svn => "svn",
            Self::Hg => "hg",
            Self::Other => "other",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SourceRecord {
    pub origin: OriginType,
    pub urls: Vec<String>,
    pub git_url: Option<String>,
    pub git_ref: Option<String>,
    pub git_commit: Option<String>,
    /// Lower-case hex.
    pub sha256: Option<String>,
    pub nar_sha256: Option<String>,
    pub integrity: Option<String>,
}

impl SourceRecord {
    pub fn new(origin: OriginType) -> Self {
        Self {
            origin,
            urls: Vec::new(),
            git_url: None,
            git_ref: None,
            git_commit: None,
            sha256: None,
            nar_sha256: None,
            integrity: None,
        }
    }

    /// The URL the forge is derived from: the git/VCS URL, else the first download URL.
    pub fn primary_url(&self) -> Option<&str> {
        self.git_url.as_deref().or(self.urls.first().map(String::as_str))
    }
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DependencyRecord {
    pub name: String,
    /// build, link, run, test (sorted, unique).
    pub kinds: Vec<String>,
    pub spec: Option<String>,
    pub condition: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct VariantRecord {
    pub name: String,
    pub default: Option<String>,
    pub description: Option<String>,
    pub values: Option<String>,
}
