//! Topic phrases, against every engine (as `search.rs`): a phrase's words
//! side by side beat the same words scattered over a text, a package that
//! is the thing named beats one that mentions it, a program beats a
//! language's extension saying the same. The engines only retrieve; the
//! shared ranker orders, so both must answer alike.
use std::sync::Arc;

use pacatlas::{
    catalog::Ecosystem,
    search::{service::SearchService, SearchIndex},
};
use serde_json::{json, Value};
use sqlx::PgPool;

use crate::support::{app_with, get, ingest, temp_file};

/// A package of the Spack channel: its name, description and the packages
/// it provides.
fn package(name: &str, description: &str, provides: &[&str], depends_on: &[&str]) -> Value {
    json!({
        "name": name,
        "description": description,
        "versions": [{"version": "1.0"}],
        "latest_version": "1.0",
        "provides": provides,
        "dependencies": depends_on.iter().map(|d| json!({"spec": d, "name": d, "type": ["build", "link"], "when": null})).collect::<Vec<_>>(),
    })
}

/// Real synopses (Spack's and Guix's, shortened), and applications relying
/// on some of them: the scattered words, the general library and the R
/// extension are relied upon more than the answers.
async fn setup(pool: &PgPool, index: Arc<dyn SearchIndex>) -> axum::Router {
    let mut packages = vec![
        package(
            "quantum-espresso",
            "Quantum ESPRESSO is an integrated suite of codes for electronic-structure calculations. \
             It is based on density-functional theory, plane waves, and pseudopotentials.",
            &[],
            &[],
        ),
        package("octopus", "A real-space finite-difference (time-dependent) density-functional theory code.", &[], &[]),
        package(
            "ape",
            "A tool for generating atomic pseudopotentials within a Density-Functional Theory framework.",
            &[],
            &[],
        ),
        package(
            "r-e1071",
            "Misc functions of the Department of Statistics, Probability Theory Group. Functions for latent \
             class analysis, short time Fourier transform, density estimation and functional data.",
            &[],
            &[],
        ),
        package("openblas", "OpenBLAS: An optimized BLAS library", &["blas"], &[]),
        package(
            "eigen",
            "Eigen is a C++ template library for linear algebra: matrices, vectors, numerical solvers.",
            &[],
            &[],
        ),
        package(
            "gmsh",
            "Gmsh is a free 3D finite element grid generator with a built-in CAD engine. Its design goal is \
             to provide a fast meshing tool. Gmsh is built around four modules: geometry, mesh, solver and \
             post-processing.",
            &[],
            &[],
        ),
        package(
            "r-geometry",
            "Mesh Generation and Surface Tessellation. Makes the Qhull library available in R.",
            &[],
            &[],
        ),
    ];
    // Applications relying on them (the general ones most).
    for (target, n) in [("r-e1071", 6), ("eigen", 12), ("openblas", 2), ("r-geometry", 3), ("gmsh", 2)] {
        for i in 0..n {
            packages.push(package(&format!("app-{target}-{i}"), "An application.", &[], &[target]));
        }
    }
    let dir = tempfile::tempdir().unwrap();
    let doc = json!({"commit": "phrases", "packages": packages});
    let path = temp_file(&dir, "phrases.json", doc.to_string().as_bytes());
    ingest(pool, Ecosystem::Spack, "builtin", None, &[path]).await.unwrap();
    SearchService::new(index.clone(), pool.clone()).sync().await.unwrap();
    app_with(pool.clone(), index)
}

async fn names(app: &axum::Router, q: &str) -> Vec<String> {
    let reply = get(app, &format!("/api/v1/search?q={}", q.replace(' ', "+"))).await;
    assert_eq!(reply.status, 200, "{q}: {}", reply.body);
    let v: Value = serde_json::from_str(&reply.body).unwrap();
    v["hits"].as_array().unwrap().iter().map(|h| h["name"].as_str().unwrap().to_string()).collect()
}

/// Where `name` stands among `names` (after every one when absent).
fn position(names: &[String], name: &str) -> usize {
    names.iter().position(|n| n == name).unwrap_or(usize::MAX)
}

/// "density functional theory" (and its acronym): the codes that say it,
/// the one whose synopsis is it first; the statistics package holding
/// "density", "functional" and "theory" apart after them all, whatever
/// relies on it.
async fn search_a_phrase_side_by_side_beats_its_words_scattered(pool: PgPool, index: Arc<dyn SearchIndex>) {
    let app = setup(&pool, index).await;
    for q in ["density functional theory", "dft", "density functional"] {
        let n = names(&app, q).await;
        assert_eq!(n.first().map(String::as_str), Some("octopus"), "{q}: {n:?}");
        for code in ["ape", "quantum-espresso"] {
            assert!(position(&n, code) < position(&n, "r-e1071"), "{q}: {code} before r-e1071: {n:?}");
        }
    }
}

/// "blas library": OpenBLAS is one; Eigen, a library for linear algebra
/// relied upon six times more, is not ("linear algebra" is more than the
/// basic linear algebra subprograms).
async fn search_a_package_that_is_the_thing_named_beats_one_that_mentions_it(
    pool: PgPool,
    index: Arc<dyn SearchIndex>,
) {
    let app = setup(&pool, index).await;
    for q in ["blas library", "basic linear algebra subprograms"] {
        let n = names(&app, q).await;
        assert_eq!(n.first().map(String::as_str), Some("openblas"), "{q}: {n:?}");
        assert!(position(&n, "eigen") > position(&n, "openblas"), "{q}: {n:?}");
    }
    // The head of a synopsis says what a package is: the code before the
    // tool for pseudopotentials "within a density-functional theory framework".
    let n = names(&app, "density functional theory").await;
    assert!(position(&n, "octopus") < position(&n, "ape"), "{n:?}");
}

/// "mesh generation": the mesh generator before the R package whose
/// synopsis says it, relied upon a little more (an R package serves R's
/// users).
async fn search_a_program_beats_a_language_extension_saying_the_same(pool: PgPool, index: Arc<dyn SearchIndex>) {
    let app = setup(&pool, index).await;
    let n = names(&app, "mesh generation").await;
    assert_eq!(n.first().map(String::as_str), Some("gmsh"), "{n:?}");
    assert!(position(&n, "r-geometry") < usize::MAX, "the R package is still found: {n:?}");
    // Its name still finds it first.
    assert_eq!(names(&app, "r-geometry").await.first().map(String::as_str), Some("r-geometry"));
}

macro_rules! behaviour {
    ($($name:ident),* $(,)?) => {
        mod embedded_engine {
            $(
                #[sqlx::test(migrations = "../migrations")]
                async fn $name(pool: sqlx::PgPool) {
                    super::$name(pool, crate::search::embedded().unwrap()).await
                }
            )*
        }
        mod meilisearch_engine {
            $(
                #[sqlx::test(migrations = "../migrations")]
                async fn $name(pool: sqlx::PgPool) {
                    if let Some(index) = crate::search::meili() {
                        index.prepare().await.unwrap();
                        super::$name(pool, index).await
                    }
                }
            )*
        }
    };
}

behaviour!(
    search_a_phrase_side_by_side_beats_its_words_scattered,
    search_a_package_that_is_the_thing_named_beats_one_that_mentions_it,
    search_a_program_beats_a_language_extension_saying_the_same,
);
