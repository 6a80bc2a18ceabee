//! The real Guix channel (../shared/data/guix, commit 4dffeced, 2022): the
//! exporter's shape with licences and inputs, and the website's
//! packages.json + sources.json. Skipped with a printed reason when the data
//! set is not there (a fresh clone of the project alone).
use pacatlas::catalog::Ecosystem;
use serde_json::Value;
use sqlx::PgPool;

use crate::support::{app, get, ingest};

const REVISION: &str = "4dffeced6c6e1c4ce141a76ad1f2323f6541bace";

/// The path of `file` in the shared Guix data set, or `None` (with a printed
/// reason) when it is absent.
fn shared(test: &str, file: &str) -> Option<String> {
    let path = format!("{}/../../shared/data/guix/{file}", env!("CARGO_MANIFEST_DIR"));
    if std::path::Path::new(&path).exists() {
        Some(path)
    } else {
        println!("SKIP {test}: {path} is not present");
        None
    }
}

async fn package(pool: &PgPool, name: &str) -> Value {
    let reply = get(&app(pool.clone()), &format!("/api/v1/packages/guix/guix/{name}")).await;
    assert_eq!(reply.status, 200, "guix/{name}: {}", reply.body);
    serde_json::from_str(&reply.body).unwrap()
}

fn versions(p: &Value) -> Vec<String> {
    p["versions"].as_array().unwrap().iter().map(|v| v["version"].as_str().unwrap().to_string()).collect()
}

fn spdx(p: &Value) -> Vec<String> {
    p["licenses"].as_array().unwrap().iter().map(|l| l["spdx"].as_str().unwrap_or("(none)").to_string()).collect()
}

#[sqlx::test(migrations = "../migrations")]
async fn the_exported_guix_channel_is_ingested_with_spdx_licences(pool: PgPool) {
    let test = "the_exported_guix_channel_is_ingested_with_spdx_licences";
    let (Some(export), Some(sources)) = (shared(test, "export.json"), shared(test, "sources.json")) else {
        return;
    };
    let s = ingest(&pool, Ecosystem::Guix, "guix", None, &[export, sources]).await.unwrap();
    assert_eq!(s.revision, REVISION, "sources.json names the revision");
    assert_eq!(s.packages, 16_659, "18,104 entries, 16,659 names: {s}");

    // Every licence of the channel has an SPDX expression or LicenseRef id.
    let (total, with_id): (i64, i64) =
        sqlx::query_as("SELECT count(*), count(spdx) FROM package_licenses").fetch_one(&pool).await.unwrap();
    assert!(total > 15_000, "{total} licences");
    assert!(with_id * 100 >= total * 99, "{with_id} of {total} licences have an SPDX id");
    let unknown: Vec<String> =
        sqlx::query_scalar("SELECT DISTINCT raw FROM package_licenses WHERE spdx IS NULL ORDER BY raw LIMIT 20")
            .fetch_all(&pool)
            .await
            .unwrap();
    assert!(unknown.is_empty(), "licences without an id: {unknown:?}");
    let gromacs = package(&pool, "gromacs").await;
    assert_eq!(gromacs["latest_version"], "2020.2");
    assert_eq!(spdx(&gromacs), ["LGPL-2.1-or-later"]);
    assert_eq!(gromacs["licenses"][0]["raw"], "LGPL 2.1+", "the channel's text is kept");
    assert_eq!(gromacs["location"], "gnu/packages/chemistry.scm:434");

    let openmpi = package(&pool, "openmpi").await;
    assert_eq!(openmpi["latest_version"], "4.1.1");
    assert_eq!(spdx(&openmpi), ["BSD-2-Clause"]);
    let src = &openmpi["versions"][0]["sources"][0];
    assert_eq!(src["urls"][0], "https://www.open-mpi.org/software/ompi/v4.1/downloads/openmpi-4.1.1.tar.bz2");
    assert_eq!(
        src["sha256"], "e24f7a778bd11a71ad0c14587a7f5b00e68a71aa5623e2157bafee3d44c07cda",
        "file hash of a url origin"
    );
    let deps: Vec<&str> =
        openmpi["dependencies"].as_array().unwrap().iter().map(|d| d["name"].as_str().unwrap()).collect();
    assert!(deps.contains(&"hwloc"), "{deps:?}");

    let fftw = package(&pool, "fftw").await;
    assert_eq!(fftw["latest_version"], "3.3.8");
    assert_eq!(spdx(&fftw), ["GPL-2.0-or-later"]);

    let hdf5 = package(&pool, "hdf5").await;
    assert_eq!(versions(&hdf5), ["1.12.1", "1.10.7", "1.8.22"], "one name, three versions");

    // sources.json (whose git refs are unevaluated expressions in this data
    // set) refines the hash mode without replacing the package's own ref.
    let numpy = package(&pool, "python-numpy").await;
    let old = numpy["versions"].as_array().unwrap().iter().find(|v| v["version"] == "1.8.2").unwrap();
    assert_eq!(old["sources"][0]["git_ref"], "v1.8.2", "{old}");
    assert_eq!(old["sources"][0]["nar_sha256"].as_str().map(str::len), Some(64), "{old}");

    let sklearn = package(&pool, "python-scikit-learn").await;
    assert_eq!(sklearn["latest_version"], "1.0.2");
    assert_eq!(spdx(&sklearn), ["BSD-3-Clause"]);
    let src = &sklearn["versions"][0]["sources"][0];
    assert_eq!((src["origin_type"].as_str(), src["git_ref"].as_str()), (Some("git"), Some("1.0.2")));
    assert!(src["nar_sha256"].as_str().is_some_and(|h| h.len() == 64), "git origins carry a NAR hash: {src}");
}

#[sqlx::test(migrations = "../migrations")]
async fn the_website_packages_and_sources_files_are_ingested(pool: PgPool) {
    let test = "the_website_packages_and_sources_files_are_ingested";
    let (Some(packages), Some(sources)) = (shared(test, "packages.json"), shared(test, "sources.json")) else {
        return;
    };
    let s = ingest(&pool, Ecosystem::Guix, "guix", None, &[packages, sources]).await.unwrap();
    assert_eq!(s.revision, REVISION, "sources.json names the revision");
    assert_eq!(s.packages, 15_148, "16,598 entries, 15,148 names: {s}");
    let gromacs = package(&pool, "gromacs").await;
    assert_eq!(gromacs["latest_version"], "2020.2");
    let numpy = package(&pool, "python-numpy").await;
    assert_eq!(versions(&numpy), ["1.20.3", "1.16.5", "1.8.2"]);
    assert_eq!(numpy["homepage"], "https://numpy.org");
}

/// The demo's Guix channel carries the real channel's facts, and links to
/// the same software in Spack.
#[sqlx::test(migrations = "../migrations")]
async fn the_demo_guix_channel_is_the_real_one(pool: PgPool) {
    let limits = pacatlas::ingest::Limits::default();
    pacatlas::demo::load(&pool, limits, &pacatlas::ingest::progress::Silent).await.unwrap();

    let hdf5 = package(&pool, "hdf5").await;
    assert_eq!(versions(&hdf5), ["1.12.1", "1.10.7", "1.8.22"]);
    assert_eq!(hdf5["licenses"][0]["raw"], "X11-style");
    assert_eq!(hdf5["licenses"][0]["spdx"], "LicenseRef-guix-x11-style");
    assert_eq!(hdf5["location"], "gnu/packages/maths.scm:1378");
    let src = &hdf5["versions"][0]["sources"][0];
    assert_eq!(
        src["urls"][0],
        "https://support.hdfgroup.org/ftp/HDF5/releases/hdf5-1.12/hdf5-1.12.1/src/hdf5-1.12.1.tar.bz2"
    );
    assert_eq!(src["sha256"].as_str().map(str::len), Some(64), "{src}");

    let openmpi = package(&pool, "openmpi").await;
    assert_eq!(openmpi["latest_version"], "4.1.1");
    assert_eq!(spdx(&openmpi), ["BSD-2-Clause"]);
    assert_eq!(
        openmpi["versions"][0]["sources"][0]["sha256"],
        "e24f7a778bd11a71ad0c14587a7f5b00e68a71aa5623e2157bafee3d44c07cda"
    );
    let gromacs = package(&pool, "gromacs").await;
    assert_eq!(
        (gromacs["latest_version"].as_str(), spdx(&gromacs)),
        (Some("2020.2"), vec!["LGPL-2.1-or-later".into()])
    );

    let channel: (String,) =
        sqlx::query_as("SELECT current_revision FROM channels WHERE ecosystem = 'guix' AND name = 'guix'")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(channel.0, REVISION);

    // "Also packaged in": Spack's hdf5 and py-numpy link to Guix's.
    for (spack, guix) in [("hdf5", "hdf5"), ("py-numpy", "python-numpy")] {
        let reply = get(&app(pool.clone()), &format!("/api/v1/packages/spack/builtin/{spack}")).await;
        let p: Value = serde_json::from_str(&reply.body).unwrap();
        let also: Vec<(&str, &str)> = p["also_in"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| (r["ecosystem"].as_str().unwrap(), r["name"].as_str().unwrap()))
            .collect();
        assert!(also.contains(&("guix", guix)), "{spack}: {also:?}");
    }
}
