//! Spack: `spack list --format version_json` output (a list of packages with
//! version strings and dependency names by type), and the richer per-package
//! JSON of the kind packages.spack.io generates (`{"packages": [...]}` with
//! versions and their hashes, variants, licences, maintainers, dependencies
//! with types and conditions, conflicts, provided virtuals, GPU flags).
use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::Value;

use super::{
    input::Input,
    json::{check_name, decode, BoolOrText},
    IngestError,
};
use crate::catalog::{
    licenses,
    model::{
        DependencyRecord, MaintainerRecord, OriginType, PackageRecord, SourceRecord, VariantRecord, VersionRecord,
    },
};

#[derive(Deserialize)]
struct ListEntry {
    name: String,
    latest_version: Option<String>,
    #[serde(default)]
    versions: Vec<String>,
    homepage: Option<String>,
    file: Option<String>,
    #[serde(default)]
    maintainers: Vec<String>,
    #[serde(default)]
    dependencies: BTreeMap<String, Vec<String>>,
}

#[derive(Deserialize)]
struct RichDocument {
    commit: Option<String>,
    packages: Vec<RichPackage>,
}

#[derive(Deserialize)]
struct RichPackage {
    name: String,
    file: Option<String>,
    build_system: Option<String>,
    description: Option<String>,
    homepage: Option<String>,
    url: Option<String>,
    git: Option<String>,
    list_url: Option<String>,
    #[serde(default)]
    tags: Vec<String>,
    #[serde(default)]
    maintainers: Vec<String>,
    #[serde(default)]
    licenses: Vec<RichLicense>,
    #[serde(default)]
    versions: Vec<RichVersion>,
    latest_version: Option<String>,
    #[serde(default)]
    variants: Vec<RichVariant>,
    #[serde(default)]
    dependencies: Vec<RichDependency>,
    #[serde(default)]
    conflicts: Vec<Value>,
    #[serde(default)]
    provides: Vec<String>,
    gpu: Option<Value>,
}

#[derive(Deserialize)]
struct RichLicense {
    spdx: Option<String>,
    when: Option<String>,
}

#[derive(Deserialize)]
struct RichVersion {
    version: String,
    sha256: Option<String>,
    url: Option<String>,
    git: Option<String>,
    svn: Option<String>,
    hg: Option<String>,
    branch: Option<String>,
    tag: Option<String>,
    commit: Option<String>,
    deprecated: Option<BoolOrText>,
    preferred: Option<BoolOrText>,
}

#[derive(Deserialize)]
struct RichVariant {
    name: String,
    default: Option<Value>,
    description: Option<String>,
    values: Option<Value>,
}

#[derive(Deserialize)]
struct RichDependency {
    name: Option<String>,
    spec: String,
    #[serde(default, rename = "type")]
    kinds: Vec<String>,
    when: Option<String>,
}

/// Parses one Spack input of either shape (a list is version_json, an
/// object the rich shape). Returns the packages and, for the rich shape, the
/// repository commit it was read from.
pub fn parse(input: &Input) -> Result<(Vec<PackageRecord>, Option<String>), IngestError> {
    let first = input.bytes.iter().find(|b| !b.is_ascii_whitespace()).copied();
    if first == Some(b'[') {
        let entries: Vec<ListEntry> = decode(input)?;
        let mut out = Vec::with_capacity(entries.len());
        for (i, e) in entries.into_iter().enumerate() {
            check_name(input, format!("record {i}"), &e.name)?;
            out.push(from_list_entry(e));
        }
        Ok((out, None))
    } else {
        let doc: RichDocument = decode(input)?;
        let mut out = Vec::with_capacity(doc.packages.len());
        for (i, p) in doc.packages.into_iter().enumerate() {
            check_name(input, format!("record {i} ({})", p.name), &p.name)?;
            out.push(from_rich(p));
        }
        Ok((out, doc.commit))
    }
}

fn from_list_entry(e: ListEntry) -> PackageRecord {
    // Dependency names by type → one record per name with its kinds.
    let mut kinds: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (kind, names) in e.dependencies {
        for name in names {
            kinds.entry(name).or_default().push(kind.clone());
        }
    }
    PackageRecord {
        latest_version: e.latest_version.or_else(|| e.versions.first().cloned()),
        homepage: nonempty(e.homepage),
        location: e.file,
        maintainers: github_handles(e.maintainers),
        versions: e.versions.into_iter().map(|version| VersionRecord { version, ..VersionRecord::default() }).collect(),
        dependencies: kinds
            .into_iter()
            .map(|(name, mut kinds)| {
                kinds.sort();
                kinds.dedup();
                DependencyRecord { name, kinds, spec: None, condition: None }
            })
            .collect(),
        name: e.name,
        ..PackageRecord::default()
    }
}

fn from_rich(p: RichPackage) -> PackageRecord {
    let package_git = p.git.clone();
    let versions = p
        .versions
        .into_iter()
        .map(|v| {
            let mut sources = Vec::new();
            let vcs = v.git.clone().map(|u| (OriginType::Git, u)).or_else(|| {
                if v.branch.is_some() || v.tag.is_some() || v.commit.is_some() {
                    package_git.clone().map(|u| (OriginType::Git, u))
                } else {
                    None
                }
            });
            if let Some((origin, url)) = vcs
                .or_else(|| v.svn.clone().map(|u| (OriginType::Svn, u)))
                .or_else(|| v.hg.clone().map(|u| (OriginType::Hg, u)))
            {
                let mut s = SourceRecord::new(origin);
                s.git_url = Some(url);
                s.git_ref = v.tag.clone().or_else(|| v.branch.clone());
                s.git_commit = v.commit.clone();
                sources.push(s);
            }
            if let Some(sha) = v.sha256.as_deref().filter(|s| is_sha256_hex(s)) {
                let mut s = SourceRecord::new(OriginType::Url);
                s.urls = v.url.clone().into_iter().collect();
                s.sha256 = Some(sha.to_ascii_lowercase());
                sources.push(s);
            }
            VersionRecord {
                version: v.version,
                deprecated: v.deprecated.is_some_and(|d| d.is_true()),
                preferred: v.preferred.is_some_and(|d| d.is_true()),
                sources,
            }
        })
        .collect();

    let mut extra = serde_json::Map::new();
    let conflicts: Vec<Value> = p
        .conflicts
        .into_iter()
        .map(|c| serde_json::json!({ "spec": c.get("spec"), "when": c.get("when"), "msg": c.get("msg") }))
        .collect();
    if !conflicts.is_empty() {
        extra.insert("conflicts".into(), Value::Array(conflicts));
    }
    if let Some(gpu) = p.gpu {
        extra.insert("gpu".into(), gpu);
    }
    if let Some(list_url) = p.list_url {
        extra.insert("list_url".into(), Value::String(list_url));
    }
    if let Some(url) = &p.url {
        extra.insert("url".into(), Value::String(url.clone()));
    }

    PackageRecord {
        latest_version: p.latest_version,
        synopsis: p.description.as_deref().map(first_sentence),
        description: nonempty(p.description),
        homepage: nonempty(p.homepage),
        repository_url: p.git,
        location: p.file,
        build_system: p.build_system,
        tags: p.tags,
        provides: p.provides,
        licenses: p.licenses.into_iter().filter_map(|l| l.spdx.map(|raw| licenses::record(&raw, l.when))).collect(),
        maintainers: github_handles(p.maintainers),
        versions,
        dependencies: p
            .dependencies
            .into_iter()
            .filter_map(|d| {
                let name = d.name.or_else(|| spec_name(&d.spec))?;
                let mut kinds = d.kinds;
                kinds.sort();
                kinds.dedup();
                Some(DependencyRecord { name, kinds, spec: Some(d.spec), condition: d.when })
            })
            .collect(),
        variants: p
            .variants
            .into_iter()
            .map(|v| VariantRecord {
                name: v.name,
                default: v.default.as_ref().and_then(value_text),
                description: v.description,
                values: v.values.as_ref().and_then(value_text),
            })
            .collect(),
        extra,
        name: p.name,
        ..PackageRecord::default()
    }
}

fn github_handles(handles: Vec<String>) -> Vec<MaintainerRecord> {
    let mut out: Vec<MaintainerRecord> = handles
        .into_iter()
        .filter(|h| !h.trim().is_empty())
        .map(|handle| MaintainerRecord { forge: "github".into(), handle, name: None })
        .collect();
    crate::catalog::model::dedup_maintainers(&mut out);
    out
}

/// The package name at the start of a spec: `hdf5@1.14+mpi` → `hdf5`.
pub fn spec_name(spec: &str) -> Option<String> {
    let name: String =
        spec.trim().chars().take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')).collect();
    (!name.is_empty()).then_some(name)
}

fn value_text(v: &Value) -> Option<String> {
    match v {
        Value::Null => None,
        Value::String(s) => Some(s.clone()),
        Value::Array(items) => Some(items.iter().filter_map(value_text).collect::<Vec<_>>().join(", ")),
        other => Some(other.to_string()),
    }
}

fn nonempty(s: Option<String>) -> Option<String> {
    s.map(|s| s.trim().to_string()).filter(|s| !s.is_empty())
}

fn is_sha256_hex(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| b.is_ascii_hexdigit())
}

/// A synopsis from a description: its first sentence, at most 160 characters.
pub fn first_sentence(description: &str) -> String {
    let text = description.split_whitespace().collect::<Vec<_>>().join(" ");
    let end = text
        .char_indices()
        .find(|(i, c)| *c == '.' && text[i + 1..].starts_with(' '))
        .map(|(i, _)| i + 1)
        .unwrap_or(text.len());
    let sentence = &text[..end];
    if sentence.chars().count() <= 160 {
        sentence.to_string()
    } else {
        let cut: String = sentence.chars().take(157).collect();
        format!("{}…", cut.trim_end())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spec_names() {
        assert_eq!(spec_name("hdf5@1.14:+mpi").as_deref(), Some("hdf5"));
        assert_eq!(spec_name("py-numpy"), Some("py-numpy".into()));
        assert_eq!(spec_name("@1.2"), None);
    }

    #[test]
    fn first_sentences() {
        assert_eq!(first_sentence("HDF5 is a data model. It supports I/O."), "HDF5 is a data model.");
        assert_eq!(first_sentence("Version 1.2 of x"), "Version 1.2 of x");
        assert!(first_sentence(&"a".repeat(400)).ends_with('…'));
    }
}
