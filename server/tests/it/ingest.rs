//! Ingest semantics: formats, idempotence, transactions, removal, bad input.
use pacatlas::catalog::Ecosystem;
use serde_json::Value;
use sqlx::PgPool;

use crate::support::{app, fixture, get, ingest, snapshot, temp_file};

pub(crate) async fn package_json(pool: &PgPool, eco: &str, channel: &str, name: &str) -> Value {
    let app = app(pool.clone());
    let reply = get(&app, &format!("/api/v1/packages/{eco}/{channel}/{name}")).await;
    assert_eq!(reply.status, 200, "{eco}/{channel}/{name}: {}", reply.body);
    serde_json::from_str(&reply.body).unwrap()
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array().unwrap().iter().map(|x| x.as_str().unwrap().to_string()).collect()
}

#[sqlx::test(migrations = "../migrations")]
async fn spack_rich_format_is_read_completely(pool: PgPool) {
    let s = ingest(&pool, Ecosystem::Spack, "builtin", None, &[fixture("spack-rich.json")]).await.unwrap();
    assert_eq!((s.packages, s.added, s.updated, s.removed), (5, 5, 0, 0));
    assert_eq!(s.revision, "0123456789abcdef0123456789abcdef01234567", "the document's commit is the revision");

    let p = package_json(&pool, "spack", "builtin", "hdf5").await;
    assert_eq!(p["latest_version"], "1.14.5");
    assert_eq!(p["synopsis"], "HDF5 is a data model and file format.");
    assert_eq!(p["description"], "HDF5 is a data model and file format. It supports\nlarge data.", "line breaks kept");
    let versions = p["versions"].as_array().unwrap();
    assert_eq!(versions.len(), 5);
    assert_eq!(versions[0]["version"], "develop");
    assert_eq!(versions[0]["sources"][0]["origin_type"], "git");
    assert_eq!(versions[0]["sources"][0]["git_ref"], "develop");
    assert_eq!(versions[0]["sources"][0]["forge_host"], "github.com");
    assert_eq!(versions[1]["preferred"], true);
    assert_eq!(
        versions[1]["sources"][0]["sha256"], "ec2e13c52e60f9a01491bb3158cb3778c985697131fc6a342262d32a26e58e44",
        "hashes are stored lower-case"
    );
    assert_eq!(versions[2]["sources"][0]["urls"][0], "https://support.hdfgroup.org/hdf5-1.14.4-3.tar.gz");
    assert_eq!(versions[2]["sources"][0]["forge_host"], "support.hdfgroup.org");
    assert_eq!(versions[3]["deprecated"], true);
    assert_eq!(versions[4]["deprecated"], false, "an unevaluated condition is not a literal true");
    assert_eq!(versions[4]["sources"][0]["git_commit"], "abcdefabcdefabcdefabcdefabcdefabcdefabcd");
    assert_eq!(versions[4]["sources"][0]["git_ref"], "hdf5-1_8_1");

    let handles: Vec<&str> =
        p["maintainers"].as_array().unwrap().iter().map(|m| m["handle"].as_str().unwrap()).collect();
    assert_eq!(handles.len(), 2, "handles differing only in case are one person: {handles:?}");
    assert_eq!(p["licenses"][0]["spdx"], "BSD-3-Clause");
    assert_eq!(p["licenses"][1]["raw"], "custom");
    assert_eq!(p["licenses"][1]["spdx"], Value::Null);
    assert_eq!(p["licenses"][1]["condition"], "@:1.8");
    assert_eq!(p["conflicts"][0]["spec"], "+java");
    assert_eq!(p["conflicts"][0]["when"], "~shared");
    assert_eq!(p["conflicts"][0]["message"], Value::Null);
    assert_eq!(p["gpu"], serde_json::json!([]), "every GPU flag false");
    let openmpi = package_json(&pool, "spack", "builtin", "openmpi").await;
    assert_eq!(openmpi["gpu"], serde_json::json!(["cuda", "rocm"]));
    assert_eq!(openmpi["conflicts"][0]["message"], "CUDA is not available on macOS");

    let deps = p["dependencies"].as_array().unwrap();
    assert_eq!(deps.len(), 3);
    assert_eq!(deps[0]["name"], "cmake");
    assert_eq!(deps[0]["resolved"], true, "cmake is in the channel");
    assert_eq!(deps[1]["name"], "mpi");
    assert_eq!(strings(&deps[1]["kinds"]), ["build", "link"]);
    assert_eq!(deps[1]["condition"], "+mpi");
    assert_eq!(deps[1]["resolved"], false);
    assert_eq!(deps[1]["providers"], 0, "openmpi provides mpi@:3.1, not bare mpi");
    assert_eq!(deps[2]["name"], "zlib-api", "a null name is read from the spec");
    assert_eq!(deps[2]["providers"], 1, "zlib-ng provides zlib-api");
    assert_eq!(p["variants"][1]["allowed_values"], "default, v114, v112");
    assert_eq!(p["install"], "spack install hdf5");

    let cmake = package_json(&pool, "spack", "builtin", "cmake").await;
    assert_eq!(cmake["dependents"], 1);
}

#[sqlx::test(migrations = "../migrations")]
async fn spack_version_json_is_read(pool: PgPool) {
    let s =
        ingest(&pool, Ecosystem::Spack, "builtin", Some("r1"), &[fixture("spack-version-json.json")]).await.unwrap();
    assert_eq!(s.added, 2);
    let p = package_json(&pool, "spack", "builtin", "petsc").await;
    assert_eq!(p["latest_version"], "3.23.0");
    assert_eq!(p["versions"].as_array().unwrap().len(), 3);
    let deps = p["dependencies"].as_array().unwrap();
    let mpi = deps.iter().find(|d| d["name"] == "mpi").unwrap();
    assert_eq!(strings(&mpi["kinds"]), ["link"]);
    let slepc = package_json(&pool, "spack", "builtin", "slepc").await;
    let petsc_dep = &slepc["dependencies"][0];
    assert_eq!(strings(&petsc_dep["kinds"]), ["build", "link"], "one dependency with both kinds");
    assert_eq!(petsc_dep["resolved"], true);
}

#[sqlx::test(migrations = "../migrations")]
async fn guix_versions_fold_and_sources_json_refines(pool: PgPool) {
    let s =
        ingest(&pool, Ecosystem::Guix, "guix", None, &[fixture("guix-packages.json"), fixture("guix-sources.json")])
            .await
            .unwrap();
    assert_eq!(s.packages, 3, "gcc three times is one package; hdf5 twice is one");
    assert_eq!(s.revision, "9f0f3c4d5e6a7b8c9d0e1f2a3b4c5d6e7f8a9b0c", "sources.json names the revision");
    assert!(s.warnings.iter().any(|w| w == "hdf5@1.14.5 is listed twice; folded into one"), "{:?}", s.warnings);
    assert!(s.warnings.iter().any(|w| w.contains("1 of 3 sources match no package")), "{:?}", s.warnings);

    let gcc = package_json(&pool, "guix", "guix", "gcc").await;
    assert_eq!(gcc["latest_version"], "14.2.0");
    assert_eq!(gcc["synopsis"], "GNU Compiler Collection", "described by the newest entry");
    let versions: Vec<&str> =
        gcc["versions"].as_array().unwrap().iter().map(|v| v["version"].as_str().unwrap()).collect();
    assert_eq!(versions, ["14.2.0", "11.5.0", "7.5.0"]);
    assert_eq!(gcc["licenses"][0]["spdx"], "GPL-3.0-or-later");
    assert_eq!(gcc["install"], "guix install gcc");

    let numpy = package_json(&pool, "guix", "guix", "python-numpy").await;
    let src = &numpy["versions"][0]["sources"][0];
    assert_eq!(src["origin_type"], "git");
    assert_eq!(src["git_ref"], "v1.26.4");
    assert_eq!(src["nar_sha256"], "2020202020202020202020202020202020202020202020202020202020202020", "recursive hash");
    assert_eq!(src["sha256"], Value::Null);
    assert_eq!(numpy["licenses"][0]["spdx"], "BSD-3-Clause");
    let deps: Vec<(&str, Vec<String>)> = numpy["dependencies"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["name"].as_str().unwrap(), strings(&d["kinds"])))
        .collect();
    assert!(deps.contains(&("gcc", vec!["build".to_string()])), "{deps:?}");

    let hdf5 = package_json(&pool, "guix", "guix", "hdf5").await;
    assert_eq!(
        hdf5["versions"][0]["sources"][0]["sha256"], "ec2e13c52e60f9a01491bb3158cb3778c985697131fc6a342262d32a26e58e44",
        "url origins carry the file hash"
    );
    assert_eq!(hdf5["licenses"][0]["raw"], "bsd-style");
    assert_eq!(hdf5["licenses"][0]["spdx"], "LicenseRef-guix-non-copyleft", "no SPDX id: one stable reference");
}

#[sqlx::test(migrations = "../migrations")]
async fn nix_packages_json_is_read(pool: PgPool) {
    let s = ingest(&pool, Ecosystem::Nix, "nixos-25.11", Some("abc"), &[fixture("nix-packages.json")]).await.unwrap();
    assert_eq!(s.added, 3);
    let hdf5 = package_json(&pool, "nix", "nixos-25.11", "hdf5").await;
    assert_eq!(hdf5["latest_version"], "1.14.6");
    assert_eq!(hdf5["pname"], "hdf5");
    assert_eq!(
        hdf5["description"],
        "HDF5 supports an unlimited variety of datatypes.\nIt is designed for flexible I/O."
    );
    assert_eq!(strings(&hdf5["platforms"]), ["x86_64-linux", "aarch64-linux"]);
    let m: Vec<(&str, &str)> = hdf5["maintainers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| (m["forge"].as_str().unwrap(), m["handle"].as_str().unwrap()))
        .collect();
    assert_eq!(m, [("github", "markuskowa"), ("email", "nohandle@example.org")], "ordered by handle");
    assert_eq!(hdf5["install"], "nix profile install nixpkgs#hdf5");

    let numpy = package_json(&pool, "nix", "nixos-25.11", "python312Packages.numpy").await;
    assert_eq!(numpy["homepage"], "https://numpy.org/", "the first of several homepages");
    let spdx: Vec<&str> = numpy["licenses"].as_array().unwrap().iter().map(|l| l["spdx"].as_str().unwrap()).collect();
    assert_eq!(spdx, ["BSD-3-Clause", "Zlib"]);

    let cuda = package_json(&pool, "nix", "nixos-25.11", "cudatoolkit").await;
    assert_eq!(cuda["licenses"][0]["raw"], "unfree");
    assert_eq!(cuda["licenses"][0]["spdx"], Value::Null);
}

#[sqlx::test(migrations = "../migrations")]
async fn the_same_software_links_across_ecosystems(pool: PgPool) {
    ingest(&pool, Ecosystem::Spack, "builtin", None, &[fixture("spack-rich.json")]).await.unwrap();
    ingest(&pool, Ecosystem::Guix, "guix", None, &[fixture("guix-packages.json")]).await.unwrap();
    ingest(&pool, Ecosystem::Nix, "nixos-25.11", None, &[fixture("nix-packages.json")]).await.unwrap();
    let numpy = package_json(&pool, "spack", "builtin", "py-numpy").await;
    let also: Vec<(String, String)> = numpy["also_in"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["ecosystem"].as_str().unwrap().to_string(), r["name"].as_str().unwrap().to_string()))
        .collect();
    assert_eq!(
        also,
        [("guix".to_string(), "python-numpy".to_string()), ("nix".to_string(), "python312Packages.numpy".to_string())]
    );
}

#[sqlx::test(migrations = "../migrations")]
async fn the_same_input_twice_writes_nothing(pool: PgPool) {
    let first = ingest(&pool, Ecosystem::Spack, "builtin", None, &[fixture("spack-rich.json")]).await.unwrap();
    assert!(first.wrote);
    let before = snapshot(&pool).await;
    let second = ingest(&pool, Ecosystem::Spack, "builtin", None, &[fixture("spack-rich.json")]).await.unwrap();
    assert_eq!((second.added, second.updated, second.removed, second.unchanged), (0, 0, 0, 5));
    assert!(!second.wrote);
    assert!(second.changed.is_empty());
    assert_eq!(snapshot(&pool).await, before, "no table changed");

    // A new revision with the same content records the revision, touches no package.
    let third = ingest(&pool, Ecosystem::Spack, "builtin", Some("next"), &[fixture("spack-rich.json")]).await.unwrap();
    assert_eq!((third.added, third.updated, third.removed, third.unchanged), (0, 0, 0, 5));
    let after = snapshot(&pool).await;
    let unchanged_tables: Vec<&str> = ["packages", "package_versions", "sources", "dependencies", "variants"].to_vec();
    for t in unchanged_tables {
        let a = before.iter().find(|r| r.0 == t).unwrap();
        let b = after.iter().find(|r| r.0 == t).unwrap();
        assert_eq!(a, b, "{t} unchanged");
    }
    let rev: String = sqlx::query_scalar("SELECT current_revision FROM channels").fetch_one(&pool).await.unwrap();
    assert_eq!(rev, "next");
}

#[sqlx::test(migrations = "../migrations")]
async fn a_changed_package_is_updated(pool: PgPool) {
    let dir = tempfile::tempdir().unwrap();
    let v1 = std::fs::read_to_string(fixture("spack-rich.json")).unwrap();
    ingest(&pool, Ecosystem::Spack, "builtin", Some("r1"), &[temp_file(&dir, "v1.json", v1.as_bytes())]).await.unwrap();
    let v2 = v1
        .replace("\"latest_version\": \"3.31.6\"", "\"latest_version\": \"4.0.0\"")
        .replace("[{\"version\": \"3.31.6\"}]", "[{\"version\": \"4.0.0\"}, {\"version\": \"3.31.6\"}]");
    let s = ingest(&pool, Ecosystem::Spack, "builtin", Some("r2"), &[temp_file(&dir, "v2.json", v2.as_bytes())])
        .await
        .unwrap();
    assert_eq!((s.added, s.updated, s.removed, s.unchanged), (0, 1, 0, 4));
    assert_eq!(s.changed, ["cmake"]);
    let cmake = package_json(&pool, "spack", "builtin", "cmake").await;
    assert_eq!(cmake["latest_version"], "4.0.0");
    assert_eq!(cmake["versions"].as_array().unwrap().len(), 2);
    assert_eq!(cmake["dependents"], 1, "dependents survive the update");
}

#[sqlx::test(migrations = "../migrations")]
async fn removal_and_reappearance(pool: PgPool) {
    let dir = tempfile::tempdir().unwrap();
    let all = std::fs::read_to_string(fixture("spack-version-json.json")).unwrap();
    let mut doc: Value = serde_json::from_str(&all).unwrap();
    ingest(&pool, Ecosystem::Spack, "builtin", Some("rev-1"), &[temp_file(&dir, "a.json", all.as_bytes())])
        .await
        .unwrap();

    doc.as_array_mut().unwrap().retain(|p| p["name"] != "slepc");
    let without = serde_json::to_string(&doc).unwrap();
    let s = ingest(&pool, Ecosystem::Spack, "builtin", Some("rev-2"), &[temp_file(&dir, "b.json", without.as_bytes())])
        .await
        .unwrap();
    assert_eq!((s.added, s.removed, s.unchanged), (0, 1, 1));
    let slepc = package_json(&pool, "spack", "builtin", "slepc").await;
    assert_eq!(slepc["removed"], true, "kept, marked removed");
    assert_eq!(slepc["last_seen_revision"], "rev-1");
    let html = get(&app(pool.clone()), "/packages/spack/builtin/slepc").await;
    assert_eq!(html.status, 200);
    assert!(html.body.contains("This package was removed from the channel"), "the page says so");
    let channel = get(&app(pool.clone()), "/api/v1/channels/spack/builtin").await;
    let channel: Value = serde_json::from_str(&channel.body).unwrap();
    assert_eq!(channel["channel"]["packages"], 1);
    assert_eq!(channel["channel"]["removed"], 1);

    let s = ingest(&pool, Ecosystem::Spack, "builtin", Some("rev-3"), &[temp_file(&dir, "c.json", all.as_bytes())])
        .await
        .unwrap();
    assert_eq!((s.added, s.removed, s.unchanged), (1, 0, 1), "it comes back");
    let slepc = package_json(&pool, "spack", "builtin", "slepc").await;
    assert_eq!(slepc["removed"], false);
    assert_eq!(slepc["last_seen_revision"], Value::Null);
    assert_eq!(slepc["first_seen_revision"], "rev-1");
}
