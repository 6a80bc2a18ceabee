//! Demo build results for the demo data set's packages: made up, from
//! services named `demo-…` (the pages label them as demo data), with a
//! regression (hdf5 on Guix) and a fix (openmpi on Guix and Spack) so that
//! every CI view has something to show. Loading twice writes nothing.
use chrono::{DateTime, Utc};
use sqlx::PgPool;

use super::{ensure_service, write, BuildRow, Kind, Status};
use crate::catalog::Ecosystem;

struct DemoBuild {
    id: &'static str,
    package: &'static str,
    version: &'static str,
    system: &'static str,
    target: Option<&'static str>,
    compiler: Option<&'static str>,
    status: Status,
    /// 2026-11-DD at 12:00 UTC.
    day: u32,
}

const fn b(
    id: &'static str,
    package: &'static str,
    version: &'static str,
    system: &'static str,
    status: Status,
    day: u32,
) -> DemoBuild {
    DemoBuild { id, package, version, system, target: None, compiler: None, status, day }
}

const fn spack(id: &'static str, package: &'static str, version: &'static str, status: Status, day: u32) -> DemoBuild {
    DemoBuild {
        id,
        package,
        version,
        system: "linux-ubuntu22.04",
        target: Some("x86_64_v3"),
        compiler: Some("gcc@11.4.0"),
        status,
        day,
    }
}

use Status::*;

const GUIX: &[DemoBuild] = &[
    b("g1", "hdf5", "1.12.1", "x86_64-linux", Succeeded, 20),
    b("g2", "hdf5", "1.12.1", "x86_64-linux", Succeeded, 22),
    b("g3", "hdf5", "1.12.1", "x86_64-linux", Failed, 24),
    b("g4", "hdf5", "1.12.1", "aarch64-linux", Succeeded, 24),
    b("g5", "openmpi", "4.1.1", "x86_64-linux", Failed, 21),
    b("g6", "openmpi", "4.1.1", "x86_64-linux", Succeeded, 23),
    b("g7", "gromacs", "2020.2", "aarch64-linux", TimedOut, 21),
    b("g8", "gromacs", "2020.2", "aarch64-linux", Failed, 24),
    b("g9", "petsc", "3.16.1", "x86_64-linux", Succeeded, 24),
    b("g10", "python-numpy", "1.20.3", "x86_64-linux", DependencyFailed, 24),
    b("g11", "python-numpy", "1.20.3", "i686-linux", Cancelled, 23),
    b("g12", "demo-job-without-package", "1.0", "x86_64-linux", Failed, 24),
];

const NIX: &[DemoBuild] = &[
    b("n1", "hdf5", "2.1.0", "x86_64-linux", Succeeded, 23),
    b("n2", "hdf5", "2.1.0", "aarch64-darwin", Succeeded, 23),
    b("n3", "gromacs", "2026.1", "aarch64-darwin", Succeeded, 20),
    b("n4", "gromacs", "2026.1", "aarch64-darwin", TimedOut, 24),
    b("n5", "petsc", "3.25.3", "x86_64-linux", Other, 24),
];

const SPACK: &[DemoBuild] = &[
    spack("s1", "hdf5", "1.14.6", Succeeded, 22),
    spack("s2", "openmpi", "5.0.10", Failed, 22),
    spack("s3", "openmpi", "5.0.10", Succeeded, 24),
    spack("s4", "petsc", "3.25.3", DependencyFailed, 24),
];

fn at(day: u32, minutes: i64) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(&format!("2026-11-{day:02}T12:00:00Z"))
        .ok()
        .map(|t| t.with_timezone(&Utc) + chrono::Duration::minutes(minutes))
}

fn rows(builds: &[DemoBuild]) -> Vec<BuildRow> {
    builds
        .iter()
        .map(|d| BuildRow {
            external_id: d.id.to_string(),
            job: format!("{}-{}.{}", d.package, d.version, d.system),
            package_name: Some(d.package.to_string()),
            version: Some(d.version.to_string()),
            system: Some(d.system.to_string()),
            target: d.target.map(str::to_string),
            compiler: d.compiler.map(str::to_string),
            status: d.status,
            service_status: d.status.as_str().to_string(),
            started_at: at(d.day, 0),
            finished_at: at(d.day, 25),
            // Made up: there is no build page to link to.
            log_url: None,
            build_url: None,
            evaluation: Some(format!("demo-2026-11-{:02}", d.day)),
        })
        .collect()
}

/// Weeks of made-up history before the demo's builds, so that the
/// success-rate chart has a line to draw.
const HISTORY_WEEKS: i64 = 10;

/// One build a week, per package and system of `builds`, in the weeks before
/// them: mostly successes, a failure here and there,
/// the same every time the demo loads.
fn history(builds: &[DemoBuild]) -> Vec<BuildRow> {
    let mut seen = std::collections::HashSet::new();
    let mut out = Vec::new();
    for d in builds.iter().filter(|d| d.status != Cancelled && !d.package.starts_with("demo-")) {
        if !seen.insert((d.package, d.system)) {
            continue;
        }
        for week in 1..=HISTORY_WEEKS {
            let salt =
                d.package.bytes().chain(d.system.bytes()).fold(week as u64, |h, b| h.wrapping_mul(31) + u64::from(b));
            // The week just before the demo builds succeeded: their regressions and fixes stay as written.
            let status = if week > 1 && salt % 6 == 0 { Failed } else { Succeeded };
            let mut row = rows(std::slice::from_ref(d)).remove(0);
            let shift = chrono::Duration::weeks(week) + chrono::Duration::hours((salt % 48) as i64);
            row.external_id = format!("{}-w{week}", d.id);
            row.status = status;
            row.service_status = status.as_str().to_string();
            row.started_at = row.started_at.map(|t| t - shift);
            row.finished_at = row.finished_at.map(|t| t - shift);
            row.evaluation = row.finished_at.map(|t| format!("demo-{}", t.format("%Y-%m-%d")));
            out.push(row);
        }
    }
    out
}

/// Loads the demo build results; returns how many rows were written.
pub async fn load(pool: &PgPool) -> anyhow::Result<u64> {
    let mut written = 0;
    for (name, kind, ecosystem, channel, builds) in [
        ("demo-cuirass", Kind::Cuirass, Ecosystem::Guix, "guix", GUIX),
        ("demo-hydra", Kind::Hydra, Ecosystem::Nix, "nixos-25.11", NIX),
        ("demo-gitlab", Kind::Gitlab, Ecosystem::Spack, "builtin", SPACK),
    ] {
        let service = ensure_service(pool, name, kind, None, ecosystem, channel).await?;
        let mut tx = pool.begin().await?;
        let mut all = history(builds);
        all.extend(rows(builds));
        written += write(&mut tx, &service, &all).await?;
        tx.commit().await?;
    }
    Ok(written)
}
