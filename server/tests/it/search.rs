//! The search behaviour suite. Every test runs against the embedded engine,
//! and against Meilisearch when MEILI_URL (and MEILI_MASTER_KEY) are set;
//! without them the Meilisearch copies print why they skip.
use std::sync::Arc;

use pacatlas::{
    catalog::Ecosystem,
    search::{embedded::EmbeddedIndex, meili::MeiliIndex, service::SearchService, SearchIndex},
};
use serde_json::Value;
use sqlx::PgPool;

use crate::support::{app_with, fixture, get, ingest};

pub(crate) fn embedded() -> Option<Arc<dyn SearchIndex>> {
    Some(Arc::new(EmbeddedIndex::in_memory().unwrap()))
}

pub(crate) fn meili() -> Option<Arc<dyn SearchIndex>> {
    let Ok(url) = std::env::var("MEILI_URL") else {
        println!("SKIP: MEILI_URL is not set, so the Meilisearch engine is not tested here");
        return None;
    };
    let key = std::env::var("MEILI_MASTER_KEY").ok();
    let prefix = format!("test_{}_", uuid::Uuid::new_v4().simple());
    Some(Arc::new(MeiliIndex::new(&url, key.as_deref(), &prefix).unwrap()))
}

/// Loads the search fixtures, builds the index, returns the router.
async fn setup(pool: &PgPool, index: Arc<dyn SearchIndex>) -> axum::Router {
    ingest(pool, Ecosystem::Spack, "builtin", None, &[fixture("search-spack.json")]).await.unwrap();
    ingest(pool, Ecosystem::Guix, "guix", Some("g1"), &[fixture("search-guix.json")]).await.unwrap();
    let service = SearchService::new(index.clone(), pool.clone());
    service.sync().await.unwrap();
    app_with(pool.clone(), index)
}

async fn search(app: &axum::Router, query: &str) -> Value {
    let reply = get(app, &format!("/api/v1/search?{query}")).await;
    assert_eq!(reply.status, 200, "{query}: {}", reply.body);
    serde_json::from_str(&reply.body).unwrap()
}

fn names(v: &Value) -> Vec<String> {
    v["hits"].as_array().unwrap().iter().map(|h| h["name"].as_str().unwrap().to_string()).collect()
}

fn top(v: &Value, n: usize) -> Vec<String> {
    names(v).into_iter().take(n).collect()
}

async fn exact_name_first_across_language_prefixes(pool: PgPool, index: Arc<dyn SearchIndex>) {
    let app = setup(&pool, index).await;
    let r = search(&app, "q=numpy").await;
    assert_eq!(top(&r, 2), ["py-numpy", "python-numpy"], "{:?}", names(&r));
    let n = names(&r);
    let pos = |x: &str| n.iter().position(|h| h == x).unwrap_or(usize::MAX);
    assert!(pos("py-numpydoc") > 1 && pos("py-numpydoc") < usize::MAX, "numpydoc after numpy: {n:?}");
    assert_eq!(r["hits"][0]["reason"], "name");
    assert_eq!(top(&search(&app, "q=ggplot2").await, 2), ["r-ggplot2", "r-ggplot2"]);
    let torch = search(&app, "q=torch").await;
    assert_eq!(top(&torch, 1), ["py-torch"]);
    let mut pytorch = top(&search(&app, "q=pytorch").await, 2);
    pytorch.sort();
    assert_eq!(pytorch, ["py-torch", "python-pytorch"], "py-torch folds to pytorch too");
}

async fn case_and_separators_do_not_matter(pool: PgPool, index: Arc<dyn SearchIndex>) {
    let app = setup(&pool, index).await;
    assert_eq!(top(&search(&app, "q=PETSc").await, 2), ["petsc", "petsc"]);
    assert_eq!(top(&search(&app, "q=deal.ii").await, 1), ["dealii"]);
    assert_eq!(top(&search(&app, "q=open+mpi").await, 2), ["openmpi", "openmpi"]);
    assert_eq!(top(&search(&app, "q=quantum+espresso").await, 1), ["quantum-espresso"]);
    assert_eq!(top(&search(&app, "q=Quantum_Espresso").await, 1), ["quantum-espresso"]);
}

async fn names_that_are_substrings_of_others(pool: PgPool, index: Arc<dyn SearchIndex>) {
    let app = setup(&pool, index).await;
    let r = search(&app, "q=hdf5").await;
    assert_eq!(top(&r, 2), ["hdf5", "hdf5"], "{:?}", names(&r));
    assert_eq!(names(&r)[2], "hdf5-vol-async");
}

async fn typos_are_forgiven(pool: PgPool, index: Arc<dyn SearchIndex>) {
    let app = setup(&pool, index).await;
    assert_eq!(top(&search(&app, "q=nmupy").await, 1), ["py-numpy"]);
    assert_eq!(top(&search(&app, "q=tensorflwo").await, 1), ["tensorflow"]);
    assert_eq!(top(&search(&app, "q=openmpii").await, 2), ["openmpi", "openmpi"]);
    // Short words get no typo budget: "mpu" is not "mpi".
    assert!(names(&search(&app, "q=mpu").await).iter().all(|n| !n.contains("mpi")));
}

async fn prefixes_find_as_you_type(pool: PgPool, index: Arc<dyn SearchIndex>) {
    let app = setup(&pool, index).await;
    assert_eq!(top(&search(&app, "q=numpyd").await, 1), ["py-numpydoc"]);
    assert_eq!(top(&search(&app, "q=quantum+esp").await, 1), ["quantum-espresso"]);
    let r = search(&app, "q=mpifile").await;
    assert_eq!(top(&r, 1), ["mpifileutils"]);
}

async fn spack_specs_find_the_package(pool: PgPool, index: Arc<dyn SearchIndex>) {
    let app = setup(&pool, index).await;
    let r = search(&app, "q=hdf5%2Bmpi").await;
    assert_eq!(top(&r, 1), ["hdf5"]);
    assert_eq!(r["spec"], "hdf5 +mpi");
    let spack_hdf5 = r["hits"].as_array().unwrap().iter().find(|h| h["ecosystem"] == "spack").unwrap();
    assert_eq!(spack_hdf5["matched_variants"][0], "+mpi");
    let r = search(&app, "q=gcc%4013").await;
    assert_eq!(top(&r, 1), ["gcc"]);
    assert_eq!(r["hits"][0]["matched_version"], "13.2.0");
    let r = search(&app, "q=openmpi%404.1.5+%25gcc").await;
    assert_eq!(top(&r, 1), ["openmpi"]);
    let spack = r["hits"].as_array().unwrap().iter().find(|h| h["ecosystem"] == "spack").unwrap();
    assert_eq!(spack["matched_version"], "4.1.5");
}

async fn virtual_packages_list_their_providers(pool: PgPool, index: Arc<dyn SearchIndex>) {
    let app = setup(&pool, index).await;
    let r = search(&app, "q=mpi").await;
    let n = names(&r);
    let providers: Vec<&String> = n.iter().take(3).collect();
    for p in ["openmpi", "mpich", "mvapich"] {
        assert!(providers.iter().any(|x| *x == p), "{p} among the first three: {n:?}");
    }
    let r = search(&app, "q=lapack").await;
    let first_two: Vec<String> = top(&r, 2);
    assert!(
        first_two.contains(&"openblas".to_string()) && first_two.contains(&"netlib-lapack".to_string()),
        "{first_two:?}"
    );
}

async fn multi_word_topics(pool: PgPool, index: Arc<dyn SearchIndex>) {
    let app = setup(&pool, index).await;
    let r = search(&app, "q=mpi+fortran").await;
    assert_eq!(top(&r, 1), ["fortran-mpi-bindings"]);
    let r = search(&app, "q=python+hdf5").await;
    assert_eq!(top(&r, 1), ["py-h5py"]);
    // The match is highlighted in the synopsis, as text pieces (never HTML).
    let hit = &r["hits"][0]["synopsis"];
    assert!(hit.as_array().unwrap().iter().any(|s| s["hit"] == true && s["text"] == "HDF5"), "{hit}");
}

/// The field's acronyms and the phrases they stand for find each other
/// (`query::SYNONYMS`), and a topic ranks the software described by it in
/// several ecosystems first.
async fn topics_and_acronyms_both_ways(pool: PgPool, index: Arc<dyn SearchIndex>) {
    let app = setup(&pool, index).await;
    let r = search(&app, "q=fft").await;
    assert_eq!(top(&r, 1), ["fftw"], "FFT: Fourier transforms");
    let r = search(&app, "q=fast+fourier+transform").await;
    assert_eq!(top(&r, 1), ["fftw"]);
    let r = search(&app, "q=fem").await;
    assert_eq!(top(&r, 1), ["dealii"], "FEM: finite element");
    let r = search(&app, "q=partial+differential+equations").await;
    assert_eq!(top(&r, 2), ["petsc", "petsc"], "written PDE in both ecosystems");
    let r = search(&app, "q=pde").await;
    assert_eq!(top(&r, 1), ["petsc"]);
    // Open MPI says MPI in Spack and Guix: before the other implementations.
    let r = search(&app, "q=message+passing+interface").await;
    assert_eq!(top(&r, 2), ["openmpi", "openmpi"], "{:?}", names(&r));
    assert!(names(&r).contains(&"mpich".to_string()), "{:?}", names(&r));
}

async fn facets_count_and_filters_combine(pool: PgPool, index: Arc<dyn SearchIndex>) {
    let app = setup(&pool, index).await;
    let r = search(&app, "q=numpy").await;
    let eco: Vec<(String, u64)> = r["facets"]["ecosystem"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["value"].as_str().unwrap().to_string(), f["count"].as_u64().unwrap()))
        .collect();
    assert!(eco.contains(&("guix".into(), 1)), "python-numpy: {eco:?}");
    let spack = eco.iter().find(|(e, _)| e == "spack").unwrap().1;
    assert!(spack >= 2, "py-numpy and py-numpydoc at least: {eco:?}");

    let r = search(&app, "q=numpy&ecosystem=guix").await;
    assert!(r["hits"].as_array().unwrap().iter().all(|h| h["ecosystem"] == "guix"));
    assert_eq!(top(&r, 1), ["python-numpy"]);
    let selected = r["facets"]["ecosystem"].as_array().unwrap().iter().find(|f| f["value"] == "guix").unwrap();
    assert_eq!(selected["selected"], true);

    // OR within a facet, AND between facets.
    let both = search(&app, "q=hdf5&ecosystem=guix&ecosystem=spack").await;
    assert_eq!(names(&both).iter().filter(|n| *n == "hdf5").count(), 2);
    let r = search(&app, "q=&license=MIT").await;
    assert_eq!(names(&r), ["r-ggplot2"]);
    let r = search(&app, "q=&license=MIT&ecosystem=guix").await;
    assert_eq!(r["total"], 0);
}

fn minutes_ago(minutes: i64) -> chrono::DateTime<chrono::Utc> {
    chrono::Utc::now() - chrono::Duration::minutes(minutes)
}

/// (value, count) of a facet of an answer.
fn facet(r: &Value, name: &str) -> Vec<(String, u64)> {
    r["facets"][name]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["value"].as_str().unwrap().to_string(), f["count"].as_u64().unwrap()))
        .collect()
}

async fn the_ci_status_facet_follows_build_results(pool: PgPool, index: Arc<dyn SearchIndex>) {
    use pacatlas::builds::{self, BuildRow, Kind, Status};
    let app = setup(&pool, index.clone()).await;
    let service =
        builds::ensure_service(&pool, "spack-ci", Kind::Push, None, Ecosystem::Spack, "builtin").await.unwrap();
    let build = |id: &str, package: &str, status: Status, minute: i64| {
        crate::support::build_row(id, package, "x86_64-linux", status, minutes_ago(60 - minute))
    };
    let write = |rows: Vec<BuildRow>| {
        let (pool, service) = (pool.clone(), service.clone());
        async move { crate::support::write_builds(&pool, &service, &rows).await }
    };
    write(vec![build("1", "hdf5", Status::Succeeded, 1), build("2", "openmpi", Status::Failed, 2)]).await;
    let sync = SearchService::new(index.clone(), pool.clone());
    let report = sync.sync().await.unwrap();
    assert_eq!(report.upserted, 2, "the two packages whose CI status changed");
    let all = search(&app, "q=").await;
    let mut ci = facet(&all, "ci");
    ci.sort();
    assert_eq!(ci, [("failing".into(), 1), ("passing".into(), 1), ("unknown".into(), 32)]);
    assert_eq!(names(&search(&app, "q=&ci=failing").await), ["openmpi"]);
    let either = search(&app, "q=&ci=failing&ci=passing").await;
    let mut got = names(&either);
    got.sort();
    assert_eq!(got, ["hdf5", "openmpi"]);
    assert_eq!(search(&app, "q=hdf5&ci=unknown").await["hits"][0]["ecosystem"], "guix", "Guix hdf5 has no build");
    // Fixed: the index follows.
    write(vec![build("3", "openmpi", Status::Succeeded, 3)]).await;
    assert_eq!(sync.sync().await.unwrap().upserted, 1);
    assert_eq!(search(&app, "q=&ci=failing").await["total"], 0);
    // The page shows the facet in words and keeps it in its links.
    let html = get(&app, "/search?q=").await.body;
    assert!(html.contains(">CI status<") && html.contains(">No build result<"), "{html}");
    let html = get(&app, "/search?q=&ci=passing").await.body;
    assert!(html.contains(r#"name="ci" value="passing""#), "the form keeps the filter");
    assert!(html.contains(r#"href="/search?q=&amp;ecosystem=spack&amp;ci=passing""#), "and its links");
}

async fn the_platform_facet_follows_recipes_builds_and_attestations(pool: PgPool, index: Arc<dyn SearchIndex>) {
    use pacatlas::builds::{self, BuildRow, Kind, Status};
    use pacatlas::platforms::{attest, sites};
    // Recipes: Nix meta.platforms (darwin is not a facet value), Spack openmpi's CUDA and ROCm variants.
    ingest(&pool, Ecosystem::Nix, "nixos-unstable", None, &[fixture("nix-packages.json")]).await.unwrap();
    ingest(&pool, Ecosystem::Spack, "develop", None, &[fixture("spack-rich.json")]).await.unwrap();
    let app = setup(&pool, index.clone()).await;
    let sync = SearchService::new(index.clone(), pool.clone());
    let platform = |r: &Value| {
        let mut f = facet(r, "platform");
        f.sort();
        f
    };
    let all = search(&app, "q=").await;
    assert_eq!(
        platform(&all),
        [("aarch64-linux".into(), 1), ("amd".into(), 1), ("nvidia".into(), 1), ("x86_64-linux".into(), 3)]
    );
    let arm = search(&app, "q=&platform=aarch64-linux").await;
    assert_eq!(names(&arm), ["hdf5"]);
    assert_eq!(arm["hits"][0]["ecosystem"], "nix");
    let mut either = names(&search(&app, "q=&platform=nvidia&platform=aarch64-linux").await);
    either.sort();
    assert_eq!(either, ["hdf5", "openmpi"]);
    assert_eq!(search(&app, "q=&platform=amd&ecosystem=nix").await["total"], 0, "facets combine with AND");

    // Builds: Guix hdf5 passes on x86_64-linux, then on aarch64-linux too (its CI status stays
    // passing: the platform facet alone re-indexes it), then fails there.
    let service = builds::ensure_service(&pool, "cuirass", Kind::Push, None, Ecosystem::Guix, "guix").await.unwrap();
    let build = |id: &str, system: &str, status: Status, minute: i64| {
        crate::support::build_row(id, "hdf5", system, status, minutes_ago(60 - minute))
    };
    let write = |rows: Vec<BuildRow>| {
        let (pool, service) = (pool.clone(), service.clone());
        async move { crate::support::write_builds(&pool, &service, &rows).await }
    };
    write(vec![build("1", "x86_64-linux", Status::Succeeded, 1)]).await;
    sync.sync().await.unwrap();
    assert_eq!(search(&app, "q=&platform=x86_64-linux").await["total"], 4);
    write(vec![build("2", "aarch64-linux", Status::Succeeded, 2)]).await;
    assert_eq!(sync.sync().await.unwrap().upserted, 1, "Guix hdf5, whose platforms changed");
    let mut arm: Vec<String> = search(&app, "q=&platform=aarch64-linux").await["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["ecosystem"].as_str().unwrap().to_string())
        .collect();
    arm.sort();
    assert_eq!(arm, ["guix", "nix"]);
    write(vec![build("3", "aarch64-linux", Status::Failed, 3)]).await;
    sync.sync().await.unwrap();
    assert_eq!(search(&app, "q=&platform=aarch64-linux").await["total"], 1, "a failed latest build takes it out");
    // Its CI status stays failing: the platform facet alone re-indexes it.
    write(vec![build("4", "x86_64-linux", Status::Failed, 4)]).await;
    assert_eq!(sync.sync().await.unwrap().upserted, 1, "Guix hdf5, whose platforms changed");
    assert_eq!(search(&app, "q=&platform=x86_64-linux").await["total"], 3);

    // Attestations: a site says Guix openmpi works on its POWER partition with NVIDIA GPUs, then broken.
    let toml = r#"
[[site]]
name = "lab"
title = "Lab"
operator = "A laboratory"

[[site.machine]]
name = "big"
title = "Big"

[[site.machine.partition]]
name = "gpu"
system = "powerpc64le-linux"
microarch = "power9le"
gpu_vendor = "nvidia"
gpu_target = "sm_70"
"#;
    sites::load(&pool, "lab.toml", toml).await.unwrap();
    let attest = |status: &str, days_ago: i64| attest::Row {
        ecosystem: "guix".into(),
        channel: "guix".into(),
        package: "openmpi".into(),
        version: None,
        spec: None,
        site: None,
        machine: "big".into(),
        partition: None,
        status: status.into(),
        evidence_url: None,
        date: chrono::Utc::now().date_naive() - chrono::Duration::days(days_ago),
        note: None,
    };
    attest::write(&pool, "lab", &[attest("works", 2)], None, false).await.unwrap().unwrap();
    assert_eq!(sync.sync().await.unwrap().upserted, 1, "Guix openmpi");
    let power = search(&app, "q=&platform=powerpc64le-linux").await;
    assert_eq!(names(&power), ["openmpi"]);
    assert_eq!(power["hits"][0]["ecosystem"], "guix");
    assert_eq!(search(&app, "q=&platform=nvidia").await["total"], 2);
    attest::write(&pool, "lab", &[attest("broken", 1)], None, false).await.unwrap().unwrap();
    sync.sync().await.unwrap();
    assert_eq!(search(&app, "q=&platform=powerpc64le-linux").await["total"], 0);
    assert_eq!(search(&app, "q=&platform=nvidia").await["total"], 1);

    // The page shows the facet in words and keeps it in its links.
    let html = get(&app, "/search?q=").await.body;
    assert!(html.contains(">Platform<") && html.contains(">NVIDIA GPUs (CUDA)<"), "{html}");
    assert!(html.contains(">aarch64-linux<"));
    let html = get(&app, "/search?q=&platform=amd").await.body;
    assert!(html.contains(r#"name="platform" value="amd""#), "the form keeps the filter");
    assert!(html.contains(r#"href="/search?q=&amp;ecosystem=spack&amp;platform=amd""#), "and its links");
}

async fn browsing_pages_through_everything(pool: PgPool, index: Arc<dyn SearchIndex>) {
    let app = setup(&pool, index).await;
    let p1 = search(&app, "q=").await;
    assert_eq!(p1["total"], 34, "28 Spack and 6 Guix packages");
    assert_eq!(names(&p1).len(), 20);
    let p2 = search(&app, "q=&page=2").await;
    assert_eq!(names(&p2).len(), 14);
    let mut all: Vec<String> = names(&p1).into_iter().chain(names(&p2)).map(|n| n.to_string()).collect();
    let len = all.len();
    all.sort();
    all.dedup_by(|a, b| a == b);
    assert!(all.len() >= len - 6, "pages do not repeat (same names exist across channels)");
    // Most depended-upon first when browsing: mpi providers and numpy lead.
    let first: Vec<String> = top(&p1, 5);
    assert!(first.contains(&"py-numpy".to_string()), "{first:?}");
    let p9 = search(&app, "q=&page=9").await;
    assert!(names(&p9).is_empty());
}

async fn removed_packages_leave_the_index(pool: PgPool, index: Arc<dyn SearchIndex>) {
    let app = setup(&pool, index.clone()).await;
    assert_eq!(top(&search(&app, "q=slepc").await, 1), ["slepc"]);
    let dir = tempfile::tempdir().unwrap();
    let mut doc: Value = serde_json::from_str(&std::fs::read_to_string(fixture("search-spack.json")).unwrap()).unwrap();
    doc["packages"].as_array_mut().unwrap().retain(|p| p["name"] != "slepc");
    doc["commit"] = "search-fixture-2".into();
    let path = crate::support::temp_file(&dir, "v2.json", serde_json::to_string(&doc).unwrap().as_bytes());
    let s = ingest(&pool, Ecosystem::Spack, "builtin", None, &[path]).await.unwrap();
    assert_eq!(s.removed, 1);
    let report = SearchService::new(index, pool.clone()).sync().await.unwrap();
    // slepc's document goes; petsc's (Spack and Guix: one project) change, one dependent fewer.
    assert_eq!((report.upserted, report.deleted), (2, 1), "exactly the changed documents");
    assert!(!names(&search(&app, "q=slepc").await).contains(&"slepc".to_string()));
}

async fn dependents_follow_ingests(pool: PgPool, index: Arc<dyn SearchIndex>) {
    let dir = tempfile::tempdir().unwrap();
    let revision = |n: u32, app_deps: Value| {
        let doc = serde_json::json!({"commit": format!("dependents-{n}"), "packages": [
            {"name": "libaaa", "description": "A library."},
            {"name": "libbbb", "description": "B library."},
            {"name": "app", "description": "An application.", "dependencies": app_deps},
        ]});
        crate::support::temp_file(&dir, &format!("r{n}.json"), doc.to_string().as_bytes())
    };
    let service = SearchService::new(index.clone(), pool.clone());
    ingest(&pool, Ecosystem::Spack, "builtin", None, &[revision(1, serde_json::json!([]))]).await.unwrap();
    service.sync().await.unwrap();
    let app = app_with(pool.clone(), index.clone());
    assert_eq!(top(&search(&app, "q=lib").await, 2), ["libaaa", "libbbb"], "equal: the shorter, then alphabetical");

    // app now depends on libbbb: libbbb's document changes although its input did not.
    let deps = serde_json::json!([{"name": "libbbb", "spec": "libbbb", "type": ["link"], "when": null}]);
    ingest(&pool, Ecosystem::Spack, "builtin", None, &[revision(2, deps)]).await.unwrap();
    let report = service.sync().await.unwrap();
    assert_eq!((report.upserted, report.deleted), (2, 0), "app and libbbb");
    assert_eq!(top(&search(&app, "q=lib").await, 2), ["libbbb", "libaaa"], "the depended-upon first");

    // And back when the dependency goes away.
    ingest(&pool, Ecosystem::Spack, "builtin", None, &[revision(3, serde_json::json!([]))]).await.unwrap();
    service.sync().await.unwrap();
    assert_eq!(top(&search(&app, "q=lib").await, 2), ["libaaa", "libbbb"]);
}

async fn hostile_input_is_safe(pool: PgPool, index: Arc<dyn SearchIndex>) {
    let app = setup(&pool, index).await;
    for q in [
        "%22",
        "%5C",
        "%3Cscript%3Ealert(1)%3C%2Fscript%3E",
        "%22%29+OR+1%3D1+--",
        "%C3%B1and%C3%BA",
        "%E2%80%8B",
        "*",
        "((((",
        "mpi+AND+OR+NOT",
    ] {
        let reply = get(&app, &format!("/api/v1/search?q={q}")).await;
        assert_eq!(reply.status, 200, "{q}: {}", reply.body);
    }
    let long = "a".repeat(10 * 1024);
    let reply = get(&app, &format!("/api/v1/search?q={long}")).await;
    assert_eq!(reply.status, 400, "a 10 KB query is a clear 400");
    assert!(reply.body.contains("longer than"), "{}", reply.body);
    let page = get(&app, &format!("/search?q={long}")).await;
    assert_eq!(page.status, 400);
    assert!(page.body.contains("This search cannot be run"));
    for q in [
        "%3Cscript%3Ealert(1)%3C%2Fscript%3E",
        "%3C%2Ftitle%3E%3Cscript%3Ealert(1)%3C%2Fscript%3E",
        "%3C%2Fscript%3E%3Cscript%3Ealert(1)%3C%2Fscript%3E",
    ] {
        let page = get(&app, &format!("/search?q={q}")).await;
        assert_eq!(page.status, 200);
        assert!(!page.body.contains("<script>alert(1)</script>"), "{q} is escaped everywhere, the title too");
    }
}

async fn the_search_page_renders_results(pool: PgPool, index: Arc<dyn SearchIndex>) {
    let app = setup(&pool, index).await;
    let page = get(&app, "/search?q=numpy&ecosystem=spack").await;
    assert_eq!(page.status, 200);
    let html = page.body;
    assert!(html.contains(r#"href="/packages/spack/builtin/py-numpy""#), "result links to the package page");
    assert!(html.contains("<mark>"), "matches are highlighted");
    assert!(html.contains(r#"href="/search?q=numpy""#), "the selected facet links to its removal");
    assert!(html.contains(r#"value="numpy""#), "the box keeps the query");
    assert!(html.contains(r#"name="ecosystem" value="spack""#), "the form keeps the filter");
}

macro_rules! behaviour {
    ($($name:ident),* $(,)?) => {
        mod embedded_engine {
            $(
                #[sqlx::test(migrations = "../migrations")]
                async fn $name(pool: sqlx::PgPool) {
                    super::$name(pool, super::embedded().unwrap()).await
                }
            )*
        }
        mod meilisearch_engine {
            $(
                #[sqlx::test(migrations = "../migrations")]
                async fn $name(pool: sqlx::PgPool) {
                    if let Some(index) = super::meili() {
                        index.prepare().await.unwrap();
                        super::$name(pool, index).await
                    }
                }
            )*
        }
    };
}

behaviour!(
    exact_name_first_across_language_prefixes,
    case_and_separators_do_not_matter,
    names_that_are_substrings_of_others,
    typos_are_forgiven,
    prefixes_find_as_you_type,
    spack_specs_find_the_package,
    virtual_packages_list_their_providers,
    multi_word_topics,
    topics_and_acronyms_both_ways,
    facets_count_and_filters_combine,
    the_ci_status_facet_follows_build_results,
    the_platform_facet_follows_recipes_builds_and_attestations,
    browsing_pages_through_everything,
    removed_packages_leave_the_index,
    dependents_follow_ingests,
    hostile_input_is_safe,
    the_search_page_renders_results,
);

/// Browsers add Pacatlas as a search engine from /opensearch.xml, whose
/// templates must be absolute URLs.
#[sqlx::test(migrations = "../migrations")]
async fn the_opensearch_description_has_absolute_templates(pool: PgPool) {
    use axum::{body::Body, http::Request};
    use http_body_util::BodyExt;
    use tower::ServiceExt;
    let fetch = |app: axum::Router, host: &'static str| async move {
        let request = Request::get("/opensearch.xml").header("host", host).body(Body::empty()).unwrap();
        let response = app.oneshot(request).await.unwrap();
        assert_eq!(response.headers()["content-type"], "application/opensearchdescription+xml");
        String::from_utf8(response.into_body().collect().await.unwrap().to_bytes().to_vec()).unwrap()
    };
    let app = crate::support::app(pool.clone());
    let xml = fetch(app.clone(), "packages.example.org:8080").await;
    assert!(xml.contains(r#"template="http://packages.example.org:8080/search?q={searchTerms}""#), "{xml}");
    assert!(xml.contains(r#"template="http://packages.example.org:8080/api/v1/search?q={searchTerms}""#), "{xml}");
    // A Host that is not a plain host name is not echoed into the document.
    let xml = fetch(app, "evil\"><x").await;
    assert!(
        !xml.contains("evil") && xml.contains(r#"template="http://127.0.0.1:3000/search?q={searchTerms}""#),
        "{xml}"
    );

    let config =
        pacatlas::config::Config { public_url: Some("https://pacatlas.example.org/".into()), ..Default::default() };
    let index = std::sync::Arc::new(EmbeddedIndex::in_memory().unwrap());
    let xml = fetch(crate::support::app_with_config(pool, index, config), "ignored.example").await;
    assert!(xml.contains(r#"template="https://pacatlas.example.org/search?q={searchTerms}""#), "{xml}");
}

/// The browser bundle calls server functions at fixed paths (not hashed by
/// build location), with JSON input for the search.
#[sqlx::test(migrations = "../migrations")]
async fn server_functions_answer_at_fixed_paths(pool: PgPool) {
    let app = setup(&pool, embedded().unwrap()).await;
    let body = r#"{"params":{"q":"numpy","ecosystem":["guix"],"channel":[],"license":[],"page":1}}"#;
    let reply = crate::support::post(&app, "/fn/search", "application/json", body).await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    let v: Value = serde_json::from_str(&reply.body).unwrap();
    assert_eq!(v["hits"][0]["name"], "python-numpy");
    assert!(v["hits"].as_array().unwrap().iter().all(|h| h["ecosystem"] == "guix"));

    let form = "application/x-www-form-urlencoded";
    let reply = crate::support::post(&app, "/fn/package", form, "ecosystem=spack&channel=builtin&name=py-numpy").await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert!(reply.body.contains(r#""name":"py-numpy""#), "{}", reply.body);
    let reply = crate::support::post(&app, "/fn/channels", form, "").await;
    assert_eq!(reply.status, 200, "{}", reply.body);
}

/// Meilisearch configured but down: the page still answers, from PostgreSQL,
/// and says so.
#[sqlx::test(migrations = "../migrations")]
async fn a_dead_meilisearch_degrades_to_postgresql(pool: PgPool) {
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = closed.local_addr().unwrap().port();
    drop(closed);
    let index: Arc<dyn SearchIndex> =
        Arc::new(MeiliIndex::new(&format!("http://127.0.0.1:{port}"), Some("key"), "x_").unwrap());
    ingest(&pool, Ecosystem::Spack, "builtin", None, &[fixture("search-spack.json")]).await.unwrap();
    let service = SearchService::new(index.clone(), pool.clone());
    assert!(service.sync().await.is_err(), "sync reports the engine down");
    let app = app_with(pool.clone(), index);
    let r = search(&app, "q=numpy").await;
    assert_eq!(r["degraded"], true);
    assert_eq!(r["engine"], "postgresql");
    assert_eq!(top(&r, 1), ["py-numpy"]);
    let eco = &r["facets"]["ecosystem"][0];
    assert_eq!(eco["value"], "spack");
    let page = get(&app, "/search?q=numpy").await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("The search engine is not answering"));
}

/// The PostgreSQL fallback counts and filters platforms as the engines do.
#[sqlx::test(migrations = "../migrations")]
async fn the_degraded_search_has_the_platform_facet(pool: PgPool) {
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = closed.local_addr().unwrap().port();
    drop(closed);
    let index: Arc<dyn SearchIndex> =
        Arc::new(MeiliIndex::new(&format!("http://127.0.0.1:{port}"), Some("key"), "x_").unwrap());
    ingest(&pool, Ecosystem::Nix, "nixos-unstable", None, &[fixture("nix-packages.json")]).await.unwrap();
    ingest(&pool, Ecosystem::Spack, "develop", None, &[fixture("spack-rich.json")]).await.unwrap();
    let app = app_with(pool.clone(), index);
    let all = search(&app, "q=").await;
    assert_eq!(all["degraded"], true);
    let mut platform = facet(&all, "platform");
    platform.sort();
    assert_eq!(
        platform,
        [("aarch64-linux".into(), 1), ("amd".into(), 1), ("nvidia".into(), 1), ("x86_64-linux".into(), 3)]
    );
    assert_eq!(names(&search(&app, "q=&platform=aarch64-linux").await), ["hdf5"]);
    let mut either = names(&search(&app, "q=&platform=amd&platform=aarch64-linux").await);
    either.sort();
    assert_eq!(either, ["hdf5", "openmpi"]);
    assert_eq!(search(&app, "q=&platform=nvidia&ecosystem=nix").await["total"], 0);
}
