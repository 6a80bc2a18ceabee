//! The dependents a search document carries are its software's: the
//! packages of its project that are one software. A language's extension
//! sharing a program's base name joins the program only when something
//! says they are one (homepage host, words of their synopses, bindings);
//! otherwise the program borrows nothing of it (Spack's `ape`, a
//! pseudopotential generator, and `r-ape`, the R package for phylogenetics).
use pacatlas::{catalog::Ecosystem, search::document};
use serde_json::{json, Value};
use sqlx::PgPool;

use crate::support::{ingest, temp_file};

fn package(name: &str, homepage: &str, description: &str, depends_on: &[&str]) -> Value {
    json!({
        "name": name,
        "homepage": homepage,
        "description": description,
        "versions": [{"version": "1.0"}],
        "latest_version": "1.0",
        "dependencies": depends_on.iter().map(|d| json!({"spec": d, "name": d, "type": ["build", "link"], "when": null})).collect::<Vec<_>>(),
    })
}

#[sqlx::test(migrations = "../migrations")]
async fn search_documents_count_dependents_per_software_not_per_base_name(pool: PgPool) {
    let mut packages = vec![
        package(
            "ape",
            "https://www.tddft.org/programs/APE/",
            "A tool for generating atomic pseudopotentials within a Density-Functional Theory framework",
            &[],
        ),
        package("r-ape", "https://cloud.r-project.org/package=ape", "Analyses of Phylogenetics and Evolution.", &[]),
        package("tensorflow", "https://www.tensorflow.org", "Machine learning framework.", &[]),
        package(
            "py-tensorflow",
            "https://www.tensorflow.org",
            "TensorFlow is an open source machine learning framework for everyone.",
            &[],
        ),
    ];
    for (target, n) in [("r-ape", 3), ("py-tensorflow", 2), ("tensorflow", 1)] {
        for i in 0..n {
            packages.push(package(&format!("app-{target}-{i}"), "https://example.org", "An application.", &[target]));
        }
    }
    let dir = tempfile::tempdir().unwrap();
    let path = temp_file(&dir, "software.json", json!({"commit": "c1", "packages": packages}).to_string().as_bytes());
    ingest(&pool, Ecosystem::Spack, "builtin", None, &[path]).await.unwrap();

    let all = document::all(&pool).await.unwrap();
    let dependents = |docs: &[document::SearchDocument], name: &str| {
        docs.iter().find(|d| d.name == name).map(|d| d.dependents).unwrap_or_else(|| panic!("{name} missing"))
    };
    assert_eq!(dependents(&all, "ape"), 0, "the pseudopotential generator borrows nothing of r-ape");
    assert_eq!(dependents(&all, "r-ape"), 3);
    assert_eq!(dependents(&all, "tensorflow"), 3, "one software: the same homepage");
    assert_eq!(dependents(&all, "py-tensorflow"), 3);
    // A sync reads the documents of some packages only: the same counts.
    let ids: Vec<i64> = all
        .iter()
        .filter(|d| d.name.contains("ape") || d.name.contains("tensorflow"))
        .map(|d| d.id.parse().unwrap())
        .collect();
    for id in ids {
        let one = document::for_ids(&pool, &[id]).await.unwrap();
        let d = &one[0];
        assert_eq!(d.dependents, dependents(&all, &d.name), "{} alone", d.name);
    }
}
