//! The cells of a package's row, from its facts: builds (CI results),
//! attestations (sites), the recipe's declarations (Spack conflicts and GPU
//! variants, Nix `meta.platforms`) and inference from archspec ancestry.
//! Strongest first: attested, built, declared unsupported, inferred, declared
//! supported. Inference never yields `attested` or `built`.
use app::api::matrix::MatrixCell;
use serde::Deserialize;

use super::{columns::Platform, gpu_vendor, microarch, spack_gpu_variant, SYSTEMS};

/// The latest build of a package by one service on one system × target.
#[derive(Debug, Clone, Deserialize)]
pub struct BuildFact {
    pub service: String,
    pub system: String,
    /// '' when the service did not say.
    pub target: String,
    pub status: String,
    pub version: Option<String>,
    pub finished_at: Option<String>,
}

/// A current attestation at one partition.
#[derive(Debug, Clone, Deserialize)]
pub struct AttestFact {
    pub partition_id: i64,
    pub site: String,
    pub machine: String,
    pub partition: String,
    pub microarch: Option<String>,
    pub gpu_target: Option<String>,
    pub status: String,
    pub version: Option<String>,
    pub spec: Option<String>,
    pub attested_on: String,
    pub evidence_url: Option<String>,
    pub note: Option<String>,
    pub demo: bool,
}

/// A recipe's conflict, as Spack says it.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Conflict {
    pub spec: Option<String>,
    pub when: Option<String>,
}

/// Everything the matrix knows of one package.
#[derive(Debug, Clone, Default)]
pub struct PackageFacts {
    pub ecosystem: String,
    pub builds: Vec<BuildFact>,
    pub attestations: Vec<AttestFact>,
    /// Nix `meta.platforms` (empty: not said).
    pub platforms: Vec<String>,
    pub conflicts: Vec<Conflict>,
    /// GPU programming models the recipe has a variant for (cuda, rocm…).
    pub gpu: Vec<String>,
}

/// A build's system in the matrix' spelling: Guix and Nix say it
/// (x86_64-linux); Spack says the OS (linux-ubuntu22.04) and the target.
fn build_system(b: &BuildFact) -> Option<&'static str> {
    if let Some(s) = SYSTEMS.iter().find(|s| **s == b.system) {
        return Some(s);
    }
    microarch::system_of(&b.target)
}

fn verdict(status: &str) -> Option<&'static str> {
    match status {
        "succeeded" => Some("works"),
        "failed" | "timed-out" => Some("broken"),
        _ => None, // dependency failed, cancelled, other: says nothing of the package
    }
}

fn built_cell(b: &BuildFact, status: &str, via: Option<String>, kind: &str) -> MatrixCell {
    MatrixCell {
        kind: kind.into(),
        status: status.into(),
        source: Some(b.service.clone()),
        date: b.finished_at.clone(),
        version: b.version.clone(),
        via,
        evidence_url: None,
        note: None,
        demo: b.service.starts_with(crate::builds::read::DEMO_PREFIX),
    }
}

/// The newest conclusive build among `builds` passing `keep`.
fn latest(builds: &[BuildFact], keep: impl Fn(&BuildFact) -> bool) -> Option<(&BuildFact, &'static str)> {
    builds
        .iter()
        .filter(|b| keep(b))
        .filter_map(|b| verdict(&b.status).map(|v| (b, v)))
        .max_by(|(a, _), (b, _)| a.finished_at.cmp(&b.finished_at))
}

fn attested_cell(a: &AttestFact) -> MatrixCell {
    MatrixCell {
        kind: "attested".into(),
        status: a.status.clone(),
        source: Some(format!("{}/{}/{}", a.site, a.machine, a.partition)),
        date: Some(a.attested_on.clone()),
        version: a.version.clone().or_else(|| a.spec.clone()),
        via: a.spec.clone(),
        evidence_url: a.evidence_url.clone(),
        note: a.note.clone(),
        demo: a.demo,
    }
}

fn newest_attestation(facts: &PackageFacts, keep: impl Fn(&AttestFact) -> bool) -> Option<&AttestFact> {
    facts.attestations.iter().filter(|a| keep(a)).max_by(|a, b| a.attested_on.cmp(&b.attested_on))
}

fn declared(status: &str, via: String) -> MatrixCell {
    MatrixCell { kind: "declared".into(), status: status.into(), via: Some(via), ..MatrixCell::unknown() }
}

fn words(s: &Option<String>) -> Vec<&str> {
    s.as_deref().map(|s| s.split_whitespace().collect()).unwrap_or_default()
}

/// An unconditional conflict on a target range admitting `target`: the
/// recipe says it does not build there.
fn target_conflict(facts: &PackageFacts, target: &str) -> Option<String> {
    facts.conflicts.iter().find_map(|c| {
        if !words(&c.when).is_empty() {
            return None;
        }
        let spec = words(&c.spec);
        match spec.as_slice() {
            [one] => one
                .strip_prefix("target=")
                .filter(|range| microarch::constraint_admits(range, target))
                .map(|_| format!("conflicts: {one}")),
            _ => None,
        }
    })
}

/// Whether the recipe declares system `system` unsupported: a conflict on its
/// whole family, or Nix platforms that leave it out.
fn system_unsupported(facts: &PackageFacts, system: &str) -> Option<String> {
    if let Some(via) = microarch::family_of_system(system).and_then(|f| target_conflict(facts, f)) {
        return Some(via);
    }
    (facts.ecosystem == "nix" && !facts.platforms.is_empty() && !facts.platforms.iter().any(|p| p == system))
        .then(|| "meta.platforms".to_string())
}

/// A conflict of the recipe with GPU target `target` (`+cuda` when `cuda_arch=80`).
fn gpu_conflict(facts: &PackageFacts, target: &str) -> Option<String> {
    let variant = spack_gpu_variant(target)?;
    let model = if gpu_vendor(target) == Some("nvidia") { "+cuda" } else { "+rocm" };
    facts.conflicts.iter().find_map(|c| {
        let (spec, when) = (words(&c.spec), words(&c.when));
        let all: Vec<&str> = spec.iter().chain(when.iter()).copied().collect();
        (all.contains(&variant.as_str()) && all.iter().all(|w| *w == variant || *w == model))
            .then(|| format!("conflicts: {} when {}", spec.join(" "), when.join(" ")).trim_end_matches(" when ").into())
    })
}

/// The successful build that code for `host` (on `system`) may be inferred
/// from: built for `host`'s ancestor, or for the generic system.
fn inferred(facts: &PackageFacts, system: &str, host: &str) -> Option<MatrixCell> {
    let (b, _) = latest(&facts.builds, |b| {
        build_system(b) == Some(system)
            && b.status == "succeeded"
            && b.target != host
            && (b.target.is_empty() || microarch::runs_on(&b.target, host))
    })?;
    let from = if b.target.is_empty() { system.to_string() } else { b.target.clone() };
    Some(built_cell(b, "works", Some(from), "inferred"))
}

/// The cell of `facts` in column `platform`.
pub fn cell(facts: &PackageFacts, platform: &Platform) -> MatrixCell {
    match platform {
        Platform::System(system) => {
            if let Some((b, v)) = latest(&facts.builds, |b| build_system(b) == Some(system.as_str())) {
                return built_cell(b, v, None, "built");
            }
            if let Some(via) = system_unsupported(facts, system) {
                return declared("unsupported", via);
            }
            if facts.platforms.iter().any(|p| p == system) {
                return declared("supported", "meta.platforms".into());
            }
            MatrixCell::unknown()
        }
        Platform::Microarch { name, system } => {
            if let Some(a) = newest_attestation(facts, |a| a.microarch.as_deref() == Some(name)) {
                return attested_cell(a);
            }
            if let Some((b, v)) = latest(&facts.builds, |b| b.target == *name) {
                return built_cell(b, v, None, "built");
            }
            if let Some(via) = target_conflict(facts, name).or_else(|| system_unsupported(facts, system)) {
                return declared("unsupported", via);
            }
            inferred(facts, system, name).unwrap_or_else(MatrixCell::unknown)
        }
        Platform::Gpu(target) => {
            if let Some(a) = newest_attestation(facts, |a| a.gpu_target.as_deref() == Some(target)) {
                return attested_cell(a);
            }
            if let Some(via) = gpu_conflict(facts, target) {
                return declared("unsupported", via);
            }
            let model = if gpu_vendor(target) == Some("nvidia") { "cuda" } else { "rocm" };
            if facts.gpu.iter().any(|g| g == model) {
                return declared("supported", format!("+{model}"));
            }
            MatrixCell::unknown()
        }
        Platform::Partition(p) => {
            if let Some(a) = newest_attestation(facts, |a| a.partition_id == p.id) {
                return attested_cell(a);
            }
            let conflict = p
                .microarch
                .as_deref()
                .and_then(|m| target_conflict(facts, m))
                .or_else(|| system_unsupported(facts, &p.system));
            if let Some(via) = conflict {
                return declared("unsupported", via);
            }
            let host = p.microarch.clone().or_else(|| microarch::family_of_system(&p.system).map(str::to_string));
            host.and_then(|h| inferred(facts, &p.system, &h)).unwrap_or_else(MatrixCell::unknown)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::platforms::columns::PartitionSpec;

    fn build(service: &str, system: &str, target: &str, status: &str, at: &str) -> BuildFact {
        BuildFact {
            service: service.into(),
            system: system.into(),
            target: target.into(),
            status: status.into(),
            version: Some("1.0".into()),
            finished_at: Some(at.into()),
        }
    }

    fn micro(name: &str) -> Platform {
        Platform::Microarch { name: name.into(), system: microarch::system_of(name).unwrap().into() }
    }

    fn partition(id: i64, microarch: &str, gpu: Option<&str>) -> Platform {
        Platform::Partition(PartitionSpec {
            id,
            site: "cines".into(),
            machine: "adastra".into(),
            name: "p".into(),
            system: "x86_64-linux".into(),
            microarch: Some(microarch.into()),
            cpu_model: None,
            gpu_model: None,
            gpu_target: gpu.map(str::to_string),
            nodes: None,
        })
    }

    #[test]
    fn a_build_for_an_ancestor_is_inferred_never_attested_or_built() {
        let facts = PackageFacts {
            ecosystem: "spack".into(),
            builds: vec![build("gitlab", "linux-ubuntu22.04", "x86_64_v3", "succeeded", "2026-01-01T00:00:00Z")],
            ..Default::default()
        };
        let zen4 = cell(&facts, &micro("zen4"));
        assert_eq!(zen4.code(), "inferred:works");
        assert_eq!(zen4.via.as_deref(), Some("x86_64_v3"));
        assert_eq!(cell(&facts, &micro("x86_64_v3")).code(), "built:works");
        assert_eq!(cell(&facts, &Platform::System("x86_64-linux".into())).code(), "built:works");
        // zen3 descends from x86_64_v3 too; x86_64_v4 from v3; but not v2, older than the build's target.
        assert_eq!(cell(&facts, &micro("zen3")).code(), "inferred:works");
        assert_eq!(cell(&facts, &micro("x86_64_v2")).code(), "unknown:unknown");
        assert_eq!(cell(&facts, &micro("neoverse_v2")).code(), "unknown:unknown");
        assert_eq!(cell(&facts, &partition(1, "zen4", None)).code(), "inferred:works");
        // A failed build infers nothing.
        let failed = PackageFacts {
            builds: vec![build("gitlab", "linux-ubuntu22.04", "x86_64_v3", "failed", "2026-01-01T00:00:00Z")],
            ..facts.clone()
        };
        assert_eq!(cell(&failed, &micro("zen4")).code(), "unknown:unknown");
        assert_eq!(cell(&failed, &micro("x86_64_v3")).code(), "built:broken");
    }

    #[test]
    fn generic_builds_infer_every_target_of_their_system() {
        let facts = PackageFacts {
            ecosystem: "guix".into(),
            builds: vec![build("cuirass", "x86_64-linux", "", "succeeded", "2026-01-01T00:00:00Z")],
            ..Default::default()
        };
        let cell = cell(&facts, &micro("sapphirerapids"));
        assert_eq!(cell.code(), "inferred:works");
        assert_eq!(cell.via.as_deref(), Some("x86_64-linux"));
    }

    #[test]
    fn attestations_are_the_strongest() {
        let facts = PackageFacts {
            ecosystem: "spack".into(),
            builds: vec![build("gitlab", "linux-ubuntu22.04", "x86_64_v3", "succeeded", "2026-01-01T00:00:00Z")],
            attestations: vec![AttestFact {
                partition_id: 7,
                site: "cines".into(),
                machine: "adastra".into(),
                partition: "genoa".into(),
                microarch: Some("zen4".into()),
                gpu_target: None,
                status: "broken".into(),
                version: None,
                spec: None,
                attested_on: "2026-02-01".into(),
                evidence_url: None,
                note: None,
                demo: false,
            }],
            ..Default::default()
        };
        assert_eq!(cell(&facts, &partition(7, "zen4", None)).code(), "attested:broken");
        assert_eq!(cell(&facts, &micro("zen4")).code(), "attested:broken");
        assert_eq!(cell(&facts, &partition(8, "zen4", None)).code(), "inferred:works");
    }

    #[test]
    fn conflicts_are_declared_unsupported() {
        let facts = PackageFacts {
            ecosystem: "spack".into(),
            builds: vec![build("gitlab", "linux-ubuntu22.04", "x86_64_v3", "succeeded", "2026-01-01T00:00:00Z")],
            conflicts: vec![
                Conflict { spec: Some("target=zen4:".into()), when: None },
                Conflict { spec: Some("target=aarch64:".into()), when: None },
                Conflict { spec: Some("target=ppc64le:".into()), when: Some("@:1".into()) },
                Conflict { spec: Some("+cuda".into()), when: Some("cuda_arch=70".into()) },
            ],
            gpu: vec!["cuda".into()],
            ..Default::default()
        };
        let zen4 = cell(&facts, &micro("zen4"));
        assert_eq!(zen4.code(), "declared:unsupported", "the conflict wins over inference");
        assert_eq!(zen4.via.as_deref(), Some("conflicts: target=zen4:"));
        assert_eq!(cell(&facts, &micro("zen3")).code(), "inferred:works");
        assert_eq!(cell(&facts, &Platform::System("aarch64-linux".into())).code(), "declared:unsupported");
        assert_eq!(cell(&facts, &micro("a64fx")).code(), "declared:unsupported");
        // Conditional conflicts say nothing of the whole target.
        assert_eq!(cell(&facts, &micro("power9le")).code(), "unknown:unknown");
        assert_eq!(cell(&facts, &Platform::Gpu("sm_70".into())).code(), "declared:unsupported");
        assert_eq!(cell(&facts, &Platform::Gpu("sm_80".into())).code(), "declared:supported");
        assert_eq!(cell(&facts, &Platform::Gpu("gfx90a".into())).code(), "unknown:unknown");
        assert_eq!(cell(&facts, &partition(1, "zen4", None)).code(), "declared:unsupported");
    }

    #[test]
    fn nix_platforms_are_declarations() {
        let facts = PackageFacts {
            ecosystem: "nix".into(),
            platforms: vec!["x86_64-linux".into(), "aarch64-darwin".into()],
            ..Default::default()
        };
        assert_eq!(cell(&facts, &Platform::System("x86_64-linux".into())).code(), "declared:supported");
        assert_eq!(cell(&facts, &Platform::System("aarch64-linux".into())).code(), "declared:unsupported");
    }
}
