//! The columns of the matrix: systems, each followed by its
//! micro-architectures, then GPU targets by vendor, then the sites' partitions
//! grouped by site.
use app::api::matrix::MatrixColumn;

use super::{gpu_vendor, microarch, GPU_TARGETS, MICROARCHS, SYSTEMS};

/// A partition of a site's machine, as the matrix needs it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PartitionSpec {
    pub id: i64,
    pub site: String,
    pub machine: String,
    pub name: String,
    pub system: String,
    pub microarch: Option<String>,
    pub cpu_model: Option<String>,
    pub gpu_model: Option<String>,
    pub gpu_target: Option<String>,
    pub nodes: Option<i32>,
}

/// What a column is, for computing its cells.
#[derive(Debug, Clone)]
pub enum Platform {
    System(String),
    Microarch { name: String, system: String },
    Gpu(String),
    Partition(PartitionSpec),
}

/// The columns for `partitions`: fixed systems, micro-architectures and GPU
/// targets, plus the partitions' own, plus one column per partition.
pub fn columns(partitions: &[PartitionSpec]) -> Vec<(MatrixColumn, Platform)> {
    let mut out = Vec::new();
    let mut targets: Vec<String> = MICROARCHS.iter().map(|s| s.to_string()).collect();
    for p in partitions {
        if let Some(m) = &p.microarch {
            if microarch::is_known(m) && !targets.contains(m) {
                targets.push(m.clone());
            }
        }
    }
    for system in SYSTEMS {
        out.push((
            MatrixColumn {
                key: format!("system:{system}"),
                kind: "system".into(),
                group: system.into(),
                label: system.into(),
                detail: None,
            },
            Platform::System(system.into()),
        ));
        for t in targets.iter().filter(|t| microarch::system_of(t) == Some(system)) {
            out.push((
                MatrixColumn {
                    key: format!("microarch:{t}"),
                    kind: "microarch".into(),
                    group: system.into(),
                    label: t.clone(),
                    detail: None,
                },
                Platform::Microarch { name: t.clone(), system: system.into() },
            ));
        }
    }
    let mut gpus: Vec<String> = GPU_TARGETS.iter().map(|s| s.to_string()).collect();
    for p in partitions {
        if let Some(g) = &p.gpu_target {
            if gpu_vendor(g).is_some() && !gpus.contains(g) {
                gpus.push(g.clone());
            }
        }
    }
    gpus.sort_by_key(|g| (gpu_vendor(g) != Some("nvidia"), g.len(), g.clone()));
    for g in gpus {
        out.push((
            MatrixColumn {
                key: format!("gpu:{g}"),
                kind: "gpu".into(),
                group: gpu_vendor(&g).unwrap_or_default().into(),
                label: g.clone(),
                detail: None,
            },
            Platform::Gpu(g),
        ));
    }
    for p in partitions {
        let mut detail = Vec::new();
        if let Some(c) = p.cpu_model.as_ref().or(p.microarch.as_ref()) {
            detail.push(c.clone());
        }
        if let Some(g) = p.gpu_model.as_ref().or(p.gpu_target.as_ref()) {
            detail.push(g.clone());
        }
        out.push((
            MatrixColumn {
                key: format!("site:{}/{}/{}", p.site, p.machine, p.name),
                kind: "site".into(),
                group: p.site.clone(),
                label: format!("{}/{}", p.machine, p.name),
                detail: (!detail.is_empty()).then(|| detail.join(", ")),
            },
            Platform::Partition(p.clone()),
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn micro_architectures_follow_their_system() {
        let p = PartitionSpec {
            id: 1,
            site: "cines".into(),
            machine: "adastra".into(),
            name: "mi250".into(),
            system: "x86_64-linux".into(),
            microarch: Some("zen3".into()),
            cpu_model: None,
            gpu_model: Some("MI250X".into()),
            gpu_target: Some("gfx90a".into()),
            nodes: None,
        };
        let cols = columns(&[p]);
        let keys: Vec<&str> = cols.iter().map(|(c, _)| c.key.as_str()).collect();
        let at = |k: &str| keys.iter().position(|x| *x == k).unwrap();
        assert!(at("system:x86_64-linux") < at("microarch:zen4"));
        assert!(at("microarch:zen4") < at("system:aarch64-linux"));
        assert!(at("system:aarch64-linux") < at("microarch:neoverse_v2"));
        assert!(at("gpu:sm_90") < at("gpu:gfx90a"));
        assert_eq!(keys.iter().filter(|k| **k == "gpu:gfx90a").count(), 1);
        assert_eq!(keys.last(), Some(&"site:cines/adastra/mi250"));
    }
}
