//! Demo sites and attestations: real public French HPC machines (facts from
//! their sites' public documentation, `demo_sites.toml`) and made-up
//! attestations about the demo packages, marked `demo` and labelled so on
//! every page. Loading twice writes nothing new.
use serde_json::json;
use sqlx::PgPool;

use super::{attest, sites};

/// The demo sites file, embedded in the binary.
pub const SITES: &str = include_str!("demo_sites.toml");

/// (site, ecosystem, channel, package, machine, partition, status, day of 2026-11, note); the version
/// attested is the package's latest in the demo channel.
type Demo = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    u32,
    &'static str,
);

const ATTESTATIONS: &[Demo] = &[
    ("cines", "spack", "builtin", "hdf5", "adastra", "genoa", "works", 18, "Demo: made-up attestation."),
    ("cines", "spack", "builtin", "gromacs", "adastra", "genoa", "works", 19, "Demo: made-up attestation."),
    ("cines", "spack", "builtin", "petsc", "adastra", "genoa", "partial", 20, "Demo: made up; some tests time out."),
    (
        "cines",
        "spack",
        "builtin",
        "cp2k",
        "adastra",
        "mi250",
        "works",
        21,
        "Demo: made up; +rocm amdgpu_target=gfx90a.",
    ),
    ("cines", "spack", "builtin", "hdf5", "adastra", "mi250", "works", 21, "Demo: made-up attestation."),
    ("cines", "spack", "builtin", "kokkos", "adastra", "mi300", "broken", 22, "Demo: made up; fails to link."),
    ("gricad", "guix", "guix", "openmpi", "dahu", "main", "works", 17, "Demo: made-up attestation."),
    ("gricad", "guix", "guix", "gromacs", "dahu", "main", "works", 17, "Demo: made-up attestation."),
    ("gricad", "guix", "guix", "hdf5", "dahu", "main", "works", 17, "Demo: made-up attestation."),
    ("grid5000", "guix", "guix", "hdf5", "grvingt", "default", "works", 15, "Demo: made-up attestation."),
    ("grid5000", "guix", "guix", "petsc", "grvingt", "default", "broken", 16, "Demo: made up; MPI tests hang."),
    ("grid5000", "spack", "builtin", "gromacs", "gemini", "default", "works", 16, "Demo: made up; +cuda cuda_arch=70."),
    ("grid5000", "guix", "guix", "fftw", "pyxis", "default", "works", 14, "Demo: made-up attestation."),
];

/// Loads the demo sites and attestations; returns how many attestations were new.
pub async fn load(pool: &PgPool) -> anyhow::Result<u64> {
    sites::load(pool, "demo_sites.toml", SITES).await?;
    let today = chrono::Utc::now().date_naive();
    let mut written = 0;
    for site in ["cines", "gricad", "grid5000"] {
        let values = ATTESTATIONS
            .iter()
            .filter(|a| a.0 == site)
            .map(|&(_, ecosystem, channel, package, machine, partition, status, day, note)| {
                json!({"ecosystem": ecosystem, "channel": channel, "package": package,
                       "machine": machine, "partition": partition, "status": status,
                       "date": format!("2026-11-{day:02}"), "note": note})
            })
            .collect();
        let rows = attest::validate_all(values, today.max(chrono::NaiveDate::from_ymd_opt(2026, 11, 30).unwrap()))
            .map_err(|e| anyhow::anyhow!("demo attestations of {site}: {e:?}"))?;
        // Packages a demo channel does not hold (an older corpus) are left out.
        let mut kept = Vec::new();
        for mut r in rows {
            let found: Option<Option<String>> = sqlx::query_scalar(
                "SELECT p.latest_version FROM packages p JOIN channels c ON c.id = p.channel_id
                 WHERE c.ecosystem = $1 AND c.name = $2 AND p.name = $3",
            )
            .bind(&r.ecosystem)
            .bind(&r.channel)
            .bind(&r.package)
            .fetch_optional(pool)
            .await?;
            if let Some(version) = found {
                r.version = version;
                kept.push(r);
            }
        }
        match attest::write(pool, site, &kept, None, true).await? {
            Ok(n) => written += n,
            Err(e) => anyhow::bail!("demo attestations of {site}: {e:?}"),
        }
    }
    Ok(written)
}
