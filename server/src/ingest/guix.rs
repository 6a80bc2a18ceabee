//! Guix: the `packages.json` the Guix website publishes (a list of
//! `{name, version, synopsis, homepage, location, cpe_name, source[]…}`; one
//! name may appear with several versions), optionally with `sources.json`
//! (`{"version":"1","revision":…,"sources":[…]}`, the file Software Heritage
//! reads), whose hash modes refine the sources and whose revision names the
//! channel revision. Licences and inputs are read when present (the exporter
//! script shipped in scripts/guix/ writes them).
use std::collections::HashMap;

use base64::Engine;
use serde::Deserialize;

use super::{
    input::Input,
    json::{check_name, decode, OneOrMany},
    IngestError,
};
use crate::catalog::{
    licenses,
    model::{DependencyRecord, OriginType, PackageRecord, SourceRecord, VersionRecord},
};

#[derive(Deserialize)]
struct GuixPackage {
    name: String,
    version: String,
    variable_name: Option<String>,
    cpe_name: Option<String>,
    cpe_version: Option<String>,
    synopsis: Option<String>,
    description: Option<String>,
    homepage: Option<String>,
    location: Option<String>,
    #[serde(default)]
    source: Vec<Origin>,
    #[serde(default)]
    license: OneOrMany<String>,
    #[serde(default)]
    inputs: Vec<String>,
    #[serde(default)]
    propagated_inputs: Vec<String>,
    #[serde(default)]
    native_inputs: Vec<String>,
}

#[derive(Deserialize, Clone)]
pub struct Origin {
    #[serde(rename = "type")]
    kind: String,
    #[serde(default)]
    urls: Vec<String>,
    integrity: Option<String>,
    git_url: Option<String>,
    git_ref: Option<String>,
    svn_url: Option<String>,
    svn_revision: Option<serde_json::Value>,
    hg_url: Option<String>,
    hg_changeset: Option<String>,
    #[serde(rename = "outputHashMode")]
    output_hash_mode: Option<String>,
}

#[derive(Deserialize)]
struct SourcesFile {
    version: String,
    revision: Option<String>,
    sources: Vec<Origin>,
}

/// What one Guix input contributes.
pub enum GuixInput {
    Packages(Vec<PackageRecord>),
    Sources { revision: Option<String>, sources: Vec<Origin> },
}

pub fn parse(input: &Input) -> Result<GuixInput, IngestError> {
    let first = input.bytes.iter().find(|b| !b.is_ascii_whitespace()).copied();
    if first == Some(b'{') {
        let file: SourcesFile = decode(input)?;
        if file.version != "1" {
            return Err(IngestError::input(
                &input.name,
                format!("sources.json version {:?} is not supported (expected \"1\")", file.version),
            ));
        }
        return Ok(GuixInput::Sources { revision: file.revision, sources: file.sources });
    }
    let entries: Vec<GuixPackage> = decode(input)?;
    let mut out = Vec::with_capacity(entries.len());
    for (i, p) in entries.into_iter().enumerate() {
        check_name(input, format!("record {i} ({})", p.name), &p.name)?;
        out.push(record(p));
    }
    Ok(GuixInput::Packages(out))
}

fn record(p: GuixPackage) -> PackageRecord {
    let mut extra = serde_json::Map::new();
    for (k, v) in [("variable_name", p.variable_name), ("cpe_name", p.cpe_name), ("cpe_version", p.cpe_version)] {
        if let Some(v) = v {
            extra.insert(k.into(), v.into());
        }
    }
    let mut deps: Vec<DependencyRecord> = Vec::new();
    for (kind, names) in [("link", p.inputs), ("run", p.propagated_inputs), ("build", p.native_inputs)] {
        for name in names {
            match deps.iter_mut().find(|d| d.name == name) {
                Some(d) => {
                    d.kinds.push(kind.into());
                    d.kinds.sort();
                    d.kinds.dedup();
                }
                None => deps.push(DependencyRecord { name, kinds: vec![kind.into()], spec: None, condition: None }),
            }
        }
    }
    PackageRecord {
        latest_version: Some(p.version.clone()),
        synopsis: p.synopsis.filter(|s| !s.trim().is_empty()),
        description: p.description.filter(|s| !s.trim().is_empty()),
        homepage: p.homepage.filter(|s| !s.trim().is_empty()),
        location: p.location,
        licenses: p.license.into_vec().iter().map(|l| licenses::guix_record(l)).collect(),
        versions: vec![VersionRecord {
            version: p.version,
            sources: p.source.iter().map(to_source).collect(),
            ..VersionRecord::default()
        }],
        dependencies: deps,
        extra,
        name: p.name,
        ..PackageRecord::default()
    }
}

/// `sha256-<base64>` → lower-case hex.
pub fn integrity_hex(integrity: &str) -> Option<String> {
    let b64 = integrity.strip_prefix("sha256-")?;
    let bytes = base64::engine::general_purpose::STANDARD.decode(b64).ok()?;
    (bytes.len() == 32).then(|| hex::encode(bytes))
}

fn to_source(o: &Origin) -> SourceRecord {
    let origin = OriginType::parse(&o.kind);
    let mut s = SourceRecord::new(origin);
    s.urls = o.urls.clone();
    match origin {
        OriginType::Git => {
            s.git_url = o.git_url.clone();
            // A 40-hex git_ref is a commit, otherwise a tag or branch; text
            // that cannot name a git ref (an unevaluated expression such as
            // `(string-append "v" version)`) is not kept as one.
            match o.git_ref.as_deref().filter(|r| is_git_ref(r)) {
                Some(r) if r.len() == 40 && r.bytes().all(|b| b.is_ascii_hexdigit()) => {
                    s.git_commit = Some(r.to_string())
                }
                r => s.git_ref = r.map(str::to_string),
            }
        }
        OriginType::Svn => {
            s.git_url = o.svn_url.clone();
            s.git_ref = o.svn_revision.as_ref().and_then(svn_revision);
        }
        OriginType::Hg => {
            s.git_url = o.hg_url.clone();
            s.git_commit = o.hg_changeset.clone();
        }
        OriginType::Url | OriginType::Other => {}
    }
    s.integrity = o.integrity.clone();
    if let Some(hex) = o.integrity.as_deref().and_then(integrity_hex) {
        let recursive = match o.output_hash_mode.as_deref() {
            Some(mode) => mode == "recursive",
            None => origin != OriginType::Url,
        };
        if recursive {
            s.nar_sha256 = Some(hex);
        } else {
            s.sha256 = Some(hex);
        }
    }
    s
}

/// Whether `r` can name a git ref or commit (`git check-ref-format`'s rules
/// on characters: no whitespace or control character, none of `~ ^ : ? * [ \`,
/// no `..`).
fn is_git_ref(r: &str) -> bool {
    !r.is_empty()
        && !r.contains("..")
        && !r.chars().any(|c| c.is_whitespace() || c.is_control() || "~^:?*[\\".contains(c))
}

/// An SVN revision: a number (written as a JSON number or string).
fn svn_revision(v: &serde_json::Value) -> Option<String> {
    let text = match v {
        serde_json::Value::Number(n) => n.to_string(),
        serde_json::Value::String(s) => s.trim().to_string(),
        _ => return None,
    };
    (!text.is_empty() && text.bytes().all(|b| b.is_ascii_digit())).then_some(text)
}

/// Applies sources.json to the packages: an origin with the same integrity
/// takes its hash mode from there, its resolved URLs (for `mirror://` ones or
/// none) and the references it lacks; what the package already states is
/// kept. Returns how many entries matched no package.
pub fn apply_sources(packages: &mut [PackageRecord], sources: &[Origin]) -> usize {
    let by_integrity: HashMap<&str, &Origin> =
        sources.iter().filter_map(|o| o.integrity.as_deref().map(|i| (i, o))).collect();
    let mut matched = std::collections::HashSet::new();
    for p in packages.iter_mut() {
        for v in p.versions.iter_mut() {
            for s in v.sources.iter_mut() {
                if let Some(o) = s.integrity.as_deref().and_then(|i| by_integrity.get(i)) {
                    matched.insert(o.integrity.clone());
                    refine(s, to_source(o));
                }
            }
        }
    }
    sources.iter().filter(|o| !matched.contains(&o.integrity)).count()
}

/// `s` refined by the same origin as sources.json describes it.
fn refine(s: &mut SourceRecord, from: SourceRecord) {
    if s.origin == OriginType::Other {
        s.origin = from.origin;
    }
    if !from.urls.is_empty() && (s.urls.is_empty() || s.urls.iter().any(|u| u.starts_with("mirror://"))) {
        s.urls = from.urls;
    }
    if s.git_url.is_none() {
        s.git_url = from.git_url;
    }
    if s.git_ref.is_none() && s.git_commit.is_none() {
        s.git_ref = from.git_ref;
        s.git_commit = from.git_commit;
    }
    // The hash mode (file or NAR hash) is what sources.json states.
    if from.sha256.is_some() || from.nar_sha256.is_some() {
        s.sha256 = from.sha256;
        s.nar_sha256 = from.nar_sha256;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn origin(json: &str) -> Origin {
        serde_json::from_str(json).unwrap()
    }

    fn package(json: &str) -> PackageRecord {
        record(serde_json::from_str(json).unwrap())
    }

    #[test]
    fn unevaluated_git_refs_are_not_kept() {
        // The shared 2022 data set's sources.json holds unevaluated expressions.
        let s = to_source(&origin(
            r#"{"type":"git","git_url":"https://github.com/numpy/numpy","git_ref":"(string-append \"v\" version)"}"#,
        ));
        assert_eq!((s.git_ref, s.git_commit), (None, None));
        let s = to_source(&origin(r#"{"type":"git","git_url":"u","git_ref":"v1.8.2"}"#));
        assert_eq!(s.git_ref.as_deref(), Some("v1.8.2"));
        let s =
            to_source(&origin(r#"{"type":"git","git_url":"u","git_ref":"0123456789abcdef0123456789abcdef01234567"}"#));
        assert_eq!((s.git_ref, s.git_commit.as_deref()), (None, Some("0123456789abcdef0123456789abcdef01234567")));
    }

    #[test]
    fn svn_revisions_are_numbers() {
        let rev = |v: &str| {
            to_source(&origin(&format!(r#"{{"type":"svn","svn_url":"svn://x","svn_revision":{v}}}"#))).git_ref
        };
        assert_eq!(rev("12345").as_deref(), Some("12345"));
        assert_eq!(rev(r#""678""#).as_deref(), Some("678"), "a string revision without its quotes");
        assert_eq!(rev(r#""svn-revision""#), None, "an unevaluated variable");
        assert_eq!(rev(r#""a\"b""#), None);
        assert_eq!(rev("null"), None);
    }

    #[test]
    fn sources_json_refines_without_overwriting_what_the_package_states() {
        let mut packages = vec![
            package(
                r#"{"name":"python-numpy","version":"1.8.2","source":[{"type":"git","git_url":"https://github.com/numpy/numpy",
                "git_ref":"v1.8.2","integrity":"sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="}]}"#,
            ),
            package(
                r#"{"name":"gcc","version":"14.2.0","source":[{"type":"url","urls":["mirror://gnu/gcc/gcc-14.2.0.tar.xz"],
                "integrity":"sha256-AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="}]}"#,
            ),
        ];
        let sources = [
            origin(
                r#"{"type":"git","git_url":"https://github.com/numpy/numpy","git_ref":"(string-append \"v\" version)",
                "integrity":"sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=","outputHashMode":"recursive"}"#,
            ),
            origin(
                r#"{"type":"url","urls":["https://ftp.gnu.org/gnu/gcc/gcc-14.2.0.tar.xz"],
                "integrity":"sha256-AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=","outputHashMode":"flat"}"#,
            ),
        ];
        assert_eq!(apply_sources(&mut packages, &sources), 0);
        let numpy = &packages[0].versions[0].sources[0];
        assert_eq!(numpy.git_ref.as_deref(), Some("v1.8.2"), "the package's own ref is kept");
        assert_eq!(
            numpy.nar_sha256.as_deref(),
            Some("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        );
        let gcc = &packages[1].versions[0].sources[0];
        assert_eq!(gcc.urls, ["https://ftp.gnu.org/gnu/gcc/gcc-14.2.0.tar.xz"], "mirror:// resolved");
        assert!(gcc.sha256.is_some() && gcc.nar_sha256.is_none());
    }

    #[test]
    fn integrity_is_decoded_to_hex() {
        // sha256 of the empty string.
        assert_eq!(
            integrity_hex("sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=").as_deref(),
            Some("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        );
        assert_eq!(integrity_hex("sha512-AAAA"), None);
        assert_eq!(integrity_hex("sha256-not base64"), None);
    }
}
