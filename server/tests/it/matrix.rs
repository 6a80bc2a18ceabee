//! The hardware-support matrix through the real router: cells and their
//! provenance (built, attested, declared, inferred), the attestation API and
//! its token scopes, CSV = JSON = page for the same filters, hostile notes
//! rendered as text, sites pages and badges, bounded parameters.
use axum::{body::Body, http::Request, Router};
use http_body_util::BodyExt;
use pacatlas::{
    accounts::tokens,
    builds::{self, BuildRow, Kind, Status},
    catalog::Ecosystem,
    platforms::{demo, sites},
};
use serde_json::{json, Value};
use sqlx::PgPool;
use tower::ServiceExt;

use crate::support::{app, fixture, get, ingest, temp_file};

async fn attest(app: &Router, authorization: Option<&str>, body: &Value) -> (u16, Value) {
    let mut request = Request::post("/api/v1/attestations").header("content-type", "application/json");
    if let Some(a) = authorization {
        request = request.header("authorization", a);
    }
    let response = app.clone().oneshot(request.body(Body::from(body.to_string())).unwrap()).await.unwrap();
    let status = response.status().as_u16();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    (status, serde_json::from_slice(&bytes).unwrap_or(Value::Null))
}

async fn attestations(pool: &PgPool) -> i64 {
    sqlx::query_scalar("SELECT count(*) FROM attestations").fetch_one(pool).await.unwrap()
}

/// The Spack fixture channel, openmpi given conflicts on aarch64 and CUDA
/// sm_70; the demo sites (real machines); a push CI service.
async fn setup(pool: &PgPool) {
    let dir = tempfile::tempdir().unwrap();
    let mut corpus: Value =
        serde_json::from_str(&std::fs::read_to_string(fixture("spack-rich.json")).unwrap()).unwrap();
    let packages = corpus["packages"].as_array_mut().unwrap();
    let openmpi = packages.iter_mut().find(|p| p["name"] == "openmpi").unwrap();
    openmpi["conflicts"] = json!([
        {"spec": "target=aarch64:", "when": null, "msg": "x86 only"},
        {"spec": "+cuda", "when": "cuda_arch=70", "msg": null},
        {"spec": "target=zen4:", "when": "@:1.0", "msg": "conditional: says nothing of zen4 as a whole"}
    ]);
    let file = temp_file(&dir, "spack.json", corpus.to_string().as_bytes());
    ingest(pool, Ecosystem::Spack, "builtin", None, &[file]).await.unwrap();
    sites::load(pool, "demo_sites.toml", demo::SITES).await.unwrap();
    builds::ensure_service(pool, "lab-ci", Kind::Push, None, Ecosystem::Spack, "builtin").await.unwrap();
}

fn build(id: &str, package: &str, target: &str, status: Status, day: u32) -> BuildRow {
    let at = chrono::DateTime::parse_from_rfc3339(&format!("2026-11-{day:02}T12:00:00Z")).unwrap().to_utc();
    BuildRow {
        external_id: id.into(),
        job: package.into(),
        package_name: Some(package.into()),
        version: Some("1.0".into()),
        system: Some("linux-ubuntu22.04".into()),
        target: Some(target.into()),
        compiler: None,
        status,
        service_status: status.as_str().into(),
        started_at: None,
        finished_at: Some(at),
        log_url: None,
        build_url: None,
        evaluation: None,
    }
}

async fn write_builds(pool: &PgPool, rows: &[BuildRow]) {
    let service = builds::service(pool, "lab-ci").await.unwrap().unwrap();
    let mut tx = pool.begin().await.unwrap();
    builds::write(&mut tx, &service, rows).await.unwrap();
    tx.commit().await.unwrap();
}

fn row<'a>(matrix: &'a Value, name: &str) -> &'a Value {
    matrix["rows"].as_array().unwrap().iter().find(|r| r["name"] == name).unwrap_or_else(|| panic!("no row {name}"))
}

fn cell<'a>(matrix: &'a Value, name: &str, key: &str) -> &'a Value {
    let at = matrix["columns"]
        .as_array()
        .unwrap()
        .iter()
        .position(|c| c["key"] == key)
        .unwrap_or_else(|| panic!("no column {key}"));
    &row(matrix, name)["cells"][at]
}

fn code(cell: &Value) -> String {
    format!("{}:{}", cell["kind"].as_str().unwrap(), cell["status"].as_str().unwrap())
}

async fn matrix_json(app: &Router, query: &str) -> Value {
    let reply = get(app, &format!("/api/v1/matrix?{query}")).await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    serde_json::from_str(&reply.body).unwrap()
}

#[sqlx::test(migrations = "../migrations")]
async fn a_build_for_an_ancestor_target_is_inferred_never_attested(pool: PgPool) {
    setup(&pool).await;
    write_builds(
        &pool,
        &[
            build("1", "hdf5", "x86_64_v3", Status::Failed, 10),
            build("2", "hdf5", "x86_64_v3", Status::Succeeded, 11),
            build("3", "cmake", "zen4", Status::Failed, 11),
        ],
    )
    .await;
    let app = app(pool.clone());
    let m = matrix_json(&app, "channel=spack/builtin").await;
    // The latest build, kept by the database as results are written.
    let v3 = cell(&m, "hdf5", "microarch:x86_64_v3");
    assert_eq!(code(v3), "built:works");
    assert_eq!(v3["source"], "lab-ci");
    assert_eq!(v3["date"], "2026-11-11T12:00:00Z");
    assert_eq!(code(cell(&m, "hdf5", "system:x86_64-linux")), "built:works");
    // zen4 descends from x86_64_v3: inferred, from that target, never tested.
    let zen4 = cell(&m, "hdf5", "microarch:zen4");
    assert_eq!(code(zen4), "inferred:works");
    assert_eq!(zen4["via"], "x86_64_v3");
    // Adastra's Genoa partition is zen4: inferred too; its ThunderX2 cousin at Grid'5000 is not x86.
    assert_eq!(code(cell(&m, "hdf5", "site:cines/adastra/genoa")), "inferred:works");
    assert_eq!(code(cell(&m, "hdf5", "site:grid5000/pyxis/default")), "unknown:unknown");
    assert_eq!(code(cell(&m, "hdf5", "microarch:neoverse_v2")), "unknown:unknown");
    // A failure infers nothing.
    assert_eq!(code(cell(&m, "cmake", "microarch:zen4")), "built:broken");
    assert_eq!(code(cell(&m, "cmake", "site:cines/adastra/genoa")), "unknown:unknown");
    // No inferred cell anywhere says attested or built.
    for r in m["rows"].as_array().unwrap() {
        for c in r["cells"].as_array().unwrap() {
            if c["kind"] == "inferred" {
                assert_eq!(c["status"], "works");
            }
        }
    }
    // A site's attestation is the strongest fact; only its own partition (and platforms) say attested.
    let cines = format!("Bearer {}", tokens::create(&pool, "site:cines").await.unwrap().secret);
    let body = json!({"site": "cines", "attestations": [
        {"ecosystem": "spack", "channel": "builtin", "package": "hdf5", "machine": "adastra", "partition": "genoa",
         "status": "broken", "date": "2026-11-12", "evidence_url": "https://example.org/job/1"}]});
    assert_eq!(attest(&app, Some(&cines), &body).await.0, 200);
    let m = matrix_json(&app, "channel=spack/builtin").await;
    let genoa = cell(&m, "hdf5", "site:cines/adastra/genoa");
    assert_eq!(code(genoa), "attested:broken");
    assert_eq!(genoa["source"], "cines/adastra/genoa");
    assert_eq!(genoa["evidence_url"], "https://example.org/job/1");
    assert_eq!(code(cell(&m, "hdf5", "microarch:zen4")), "attested:broken");
    assert_eq!(code(cell(&m, "hdf5", "site:cines/adastra/mi300")), "inferred:works");
}

#[sqlx::test(migrations = "../migrations")]
async fn a_conflict_is_shown_as_declared_unsupported(pool: PgPool) {
    setup(&pool).await;
    write_builds(&pool, &[build("1", "openmpi", "x86_64", Status::Succeeded, 10)]).await;
    let app = app(pool.clone());
    let m = matrix_json(&app, "q=openmpi").await;
    assert_eq!(m["total"], 1);
    let aarch64 = cell(&m, "openmpi", "system:aarch64-linux");
    assert_eq!(code(aarch64), "declared:unsupported");
    assert_eq!(aarch64["via"], "conflicts: target=aarch64:");
    assert_eq!(code(cell(&m, "openmpi", "microarch:neoverse_v2")), "declared:unsupported");
    assert_eq!(code(cell(&m, "openmpi", "site:grid5000/pyxis/default")), "declared:unsupported");
    // The recipe's CUDA variant: sm_70 conflicts, sm_80 is declared supported; ROCm too.
    assert_eq!(code(cell(&m, "openmpi", "gpu:sm_70")), "declared:unsupported");
    assert_eq!(code(cell(&m, "openmpi", "gpu:sm_80")), "declared:supported");
    assert_eq!(code(cell(&m, "openmpi", "gpu:gfx90a")), "declared:supported");
    // A conditional conflict does not hide the inference from the generic build.
    assert_eq!(code(cell(&m, "openmpi", "microarch:zen4")), "inferred:works");
    // The package page's section says the same, with the conflicts as the recipe says them.
    let reply = get(&app, "/api/v1/packages/spack/builtin/openmpi/platforms").await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    let p: Value = serde_json::from_str(&reply.body).unwrap();
    assert_eq!(p["gpu"], json!(["cuda", "rocm"]));
    assert!(p["conflicts"].as_array().unwrap().iter().any(|c| c == "target=aarch64:"), "{}", p["conflicts"]);
    let at = p["columns"].as_array().unwrap().iter().position(|c| c["key"] == "gpu:sm_70").unwrap();
    assert_eq!(code(&p["row"]["cells"][at]), "declared:unsupported");
    assert_eq!(get(&app, "/api/v1/packages/spack/builtin/nothing/platforms").await.status, 404);
    let page = get(&app, "/packages/spack/builtin/openmpi").await;
    assert!(page.body.contains("id=\"where-h\""), "no Where it runs section");
    assert!(page.body.contains("data-cell=\"declared:unsupported\""));
}

#[sqlx::test(migrations = "../migrations")]
async fn a_site_token_attests_only_its_own_machines(pool: PgPool) {
    setup(&pool).await;
    let app = app(pool.clone());
    let cines = format!("Bearer {}", tokens::create(&pool, "site:cines").await.unwrap().secret);
    let gricad = format!("Bearer {}", tokens::create(&pool, "site:gricad").await.unwrap().secret);
    let ci = format!("Bearer {}", tokens::create(&pool, "ci:lab-ci").await.unwrap().secret);
    assert!(tokens::create(&pool, "site:nowhere").await.is_err(), "a token for an unknown site");
    let good = json!({"ecosystem": "spack", "channel": "builtin", "spec": "hdf5@1.14.5+mpi", "machine": "adastra",
                      "partition": "genoa", "status": "works", "date": "2026-11-20", "note": "ok"});
    let batch = |rows: Value| json!({"site": "cines", "attestations": rows});

    assert_eq!(attest(&app, None, &batch(json!([good]))).await.0, 401);
    assert_eq!(attest(&app, Some("Bearer pacatlas_nope"), &batch(json!([good]))).await.0, 401);
    assert_eq!(attest(&app, Some(&ci), &batch(json!([good]))).await.0, 403, "a CI token is not a site's");
    assert_eq!(attest(&app, Some(&gricad), &batch(json!([good]))).await.0, 403, "another site's token");
    // A row on another site's machine (named or qualified) refuses the whole batch.
    for machine in ["dahu", "gricad/dahu"] {
        let mut other = good.clone();
        other["machine"] = json!(machine);
        other["partition"] = json!("main");
        let (status, body) = attest(&app, Some(&cines), &batch(json!([good, other]))).await;
        assert_eq!(status, 403, "{machine}: {body}");
        assert!(body["error"].as_str().unwrap().contains("row 1"), "{body}");
    }
    assert_eq!(attestations(&pool).await, 0, "nothing written");
    // Wrong rows: every error, by row and field, nothing written.
    let mut unknown = good.clone();
    unknown["package"] = json!("no-such-package");
    let mut bad_status = good.clone();
    bad_status["status"] = json!("fine");
    let mut no_partition = good.clone();
    no_partition.as_object_mut().unwrap().remove("partition");
    let (status, body) = attest(&app, Some(&cines), &batch(json!([good, bad_status]))).await;
    assert_eq!(
        (status, body["rows"][0]["row"].clone(), body["rows"][0]["field"].clone()),
        (400, json!(1), json!("status"))
    );
    let (status, body) = attest(&app, Some(&cines), &batch(json!([unknown, no_partition]))).await;
    assert_eq!(status, 400, "{body}");
    let fields: Vec<(i64, &str)> = body["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["row"].as_i64().unwrap(), r["field"].as_str().unwrap()))
        .collect();
    assert_eq!(fields, [(0, "package"), (1, "partition")]);
    assert_eq!(attestations(&pool).await, 0);
    // Stored once, however often it is sent; a later statement adds to the history.
    let (status, body) = attest(&app, Some(&cines), &batch(json!([good]))).await;
    assert_eq!((status, body["written"].clone()), (200, json!(1)), "{body}");
    let (_, body) = attest(&app, Some(&cines), &batch(json!([good]))).await;
    assert_eq!(body["written"], 0);
    let mut later = good.clone();
    later["date"] = json!("2026-11-21");
    later["status"] = json!("partial");
    let (_, body) = attest(&app, Some(&cines), &batch(json!([later]))).await;
    assert_eq!(body["written"], 1);
    assert_eq!(attestations(&pool).await, 2, "history kept");
    let m = matrix_json(&app, "site=cines").await;
    assert_eq!(m["total"], 1, "the site's matrix holds what it attested");
    let genoa = cell(&m, "hdf5", "site:cines/adastra/genoa");
    assert_eq!((code(genoa), genoa["date"].clone()), ("attested:partial".to_string(), json!("2026-11-21")));
    assert_eq!(genoa["version"], "hdf5@1.14.5+mpi");
    assert!(m["columns"].as_array().unwrap().iter().all(|c| c["kind"] != "site" || c["group"] == "cines"));
}

/// The `data-cell` values of a page, in order.
fn page_cells(html: &str) -> Vec<String> {
    html.split("data-cell=\"").skip(1).map(|s| s[..s.find('"').unwrap()].to_string()).collect()
}

#[sqlx::test(migrations = "../migrations")]
async fn csv_json_and_the_page_say_the_same(pool: PgPool) {
    setup(&pool).await;
    write_builds(&pool, &[build("1", "hdf5", "x86_64_v3", Status::Succeeded, 10)]).await;
    let app = app(pool.clone());
    for query in ["channel=spack/builtin&page=1&per_page=3", "q=m&page=2&per_page=2", "tag=e4s&page=1"] {
        let m = matrix_json(&app, query).await;
        let json_cells: Vec<String> = m["rows"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|r| r["cells"].as_array().unwrap().iter().map(code))
            .collect();
        assert!(!json_cells.is_empty(), "{query}");
        let csv = get(&app, &format!("/api/v1/matrix?{query}&format=csv")).await;
        assert_eq!(csv.status, 200);
        assert!(csv.content_type.starts_with("text/csv"), "{}", csv.content_type);
        let mut reader = csv::Reader::from_reader(csv.body.as_bytes());
        let header: Vec<String> = reader.headers().unwrap().iter().map(str::to_string).collect();
        let keys: Vec<String> =
            m["columns"].as_array().unwrap().iter().map(|c| c["key"].as_str().unwrap().to_string()).collect();
        assert_eq!(&header[4..], keys.as_slice());
        let records: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
        let names: Vec<&str> = records.iter().map(|r| &r[2]).collect();
        let json_names: Vec<&str> = m["rows"].as_array().unwrap().iter().map(|r| r["name"].as_str().unwrap()).collect();
        assert_eq!(names, json_names, "{query}");
        let csv_cells: Vec<String> =
            records.iter().flat_map(|r| r.iter().skip(4).map(str::to_string).collect::<Vec<_>>()).collect();
        assert_eq!(csv_cells, json_cells, "{query}");
        let page = get(&app, &format!("/matrix?{query}")).await;
        assert_eq!(page.status, 200);
        assert_eq!(page_cells(&page.body), json_cells, "{query}");
        // The page links to the export of the same filters.
        assert!(page.body.contains("format=csv"), "{query}");
    }
    // Streamed through the compression layer, the whole body arrives.
    let request = Request::get("/api/v1/matrix?channel=spack/builtin&format=csv")
        .header("accept-encoding", "gzip")
        .body(Body::empty())
        .unwrap();
    let response = app.clone().oneshot(request).await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-encoding"], "gzip");
    let bytes = response.into_body().collect().await.expect("the whole compressed body").to_bytes();
    let mut text = String::new();
    std::io::Read::read_to_string(&mut flate2::read::GzDecoder::new(&bytes[..]), &mut text).unwrap();
    assert!(text.starts_with("ecosystem,channel,package,version,system:x86_64-linux"), "{text}");
    // JSON cells leave out what is not known, and OpenAPI says those fields may be absent.
    let m = matrix_json(&app, "channel=spack/builtin&page=1&per_page=3").await;
    let cells: Vec<&Value> =
        m["rows"].as_array().unwrap().iter().flat_map(|r| r["cells"].as_array().unwrap()).collect();
    assert!(cells.contains(&&json!({"kind": "unknown", "status": "unknown"})), "{cells:?}");
    assert!(cells
        .iter()
        .all(|c| c.get("demo").is_none_or(|d| d == true) && !c.as_object().unwrap().values().any(Value::is_null)));
    let built = cells.iter().find(|c| c["kind"] == "built").expect("a built cell");
    assert!(built["source"].is_string() && built["date"].is_string(), "{built}");
    let doc: Value = serde_json::from_str(&get(&app, "/api/v1/openapi.json").await.body).unwrap();
    let mut required: Vec<&str> = doc["components"]["schemas"]["MatrixCell"]["required"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    required.sort();
    assert_eq!(required, ["kind", "status"]);
    // Without a page, the CSV holds every matching row.
    let all = get(&app, "/api/v1/matrix?channel=spack/builtin&format=csv").await;
    let m = matrix_json(&app, "channel=spack/builtin&per_page=1").await;
    assert_eq!(all.body.lines().count() as i64, m["total"].as_i64().unwrap() + 1);
}

#[sqlx::test(migrations = "../migrations")]
async fn a_hostile_note_is_rendered_as_text(pool: PgPool) {
    setup(&pool).await;
    let app = app(pool.clone());
    let cines = format!("Bearer {}", tokens::create(&pool, "site:cines").await.unwrap().secret);
    let note = "<script>alert(1)</script><img src=x onerror=alert(2)>\"'&";
    let body = json!({"site": "cines", "attestations": [
        {"ecosystem": "spack", "channel": "builtin", "package": "hdf5", "machine": "adastra", "partition": "genoa",
         "status": "works", "date": "2026-11-20", "note": note, "evidence_url": "https://example.org/?a=<b>"}]});
    assert_eq!(attest(&app, Some(&cines), &body).await.0, 200);
    for path in ["/matrix?q=hdf5", "/sites/cines", "/packages/spack/builtin/hdf5"] {
        let page = get(&app, path).await;
        assert_eq!(page.status, 200, "{path}");
        assert!(!page.body.contains("<script>alert(1)"), "{path}: the note's markup reached the page");
        assert!(!page.body.contains("<img src=x"), "{path}");
        assert!(page.body.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "{path}: the note is not shown as text");
    }
    // A javascript: evidence URL never gets in.
    let body = json!({"site": "cines", "attestations": [
        {"ecosystem": "spack", "channel": "builtin", "package": "hdf5", "machine": "adastra", "partition": "genoa",
         "status": "works", "date": "2026-11-20", "evidence_url": "javascript:alert(1)"}]});
    assert_eq!(attest(&app, Some(&cines), &body).await.0, 400);
}

#[sqlx::test(migrations = "../migrations")]
async fn sites_pages_badges_and_bounds(pool: PgPool) {
    setup(&pool).await;
    let app = app(pool.clone());
    let reply = get(&app, "/api/v1/sites").await;
    let list: Value = serde_json::from_str(&reply.body).unwrap();
    let names: Vec<&str> = list.as_array().unwrap().iter().map(|s| s["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["cines", "gricad", "grid5000"]);
    let reply = get(&app, "/api/v1/sites/cines").await;
    let site: Value = serde_json::from_str(&reply.body).unwrap();
    let mi250 = site["partitions"].as_array().unwrap().iter().find(|p| p["name"] == "mi250").unwrap();
    assert_eq!((mi250["gpu_target"].as_str(), mi250["microarch"].as_str()), (Some("gfx90a"), Some("zen3")));
    assert_eq!(get(&app, "/api/v1/sites/nowhere").await.status, 404);
    let page = get(&app, "/sites").await;
    assert!(page.status == 200 && page.body.contains("href=\"/sites/cines\""));
    let page = get(&app, "/sites/cines").await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("AMD EPYC 9654") && page.body.contains("gfx90a"));
    assert_eq!(get(&app, "/sites/nowhere").await.status, 404);
    let page = get(&app, "/matrix").await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Hardware-support matrix") && page.body.contains("adastra/genoa"));
    // The badge says unknown, then what the site attested.
    let badge = get(&app, "/badge/site/cines/spack/builtin/hdf5.svg").await;
    assert_eq!(badge.status, 200);
    assert!(badge.content_type.starts_with("image/svg+xml"));
    assert!(badge.body.contains("cines: unknown"), "{}", badge.body);
    let cines = format!("Bearer {}", tokens::create(&pool, "site:cines").await.unwrap().secret);
    let body = json!({"site": "cines", "attestations": [
        {"ecosystem": "spack", "channel": "builtin", "package": "hdf5", "machine": "adastra", "partition": "mi250",
         "status": "works", "date": "2026-11-20"}]});
    assert_eq!(attest(&app, Some(&cines), &body).await.0, 200);
    assert!(get(&app, "/badge/site/cines/spack/builtin/hdf5.svg").await.body.contains("cines: works"));
    assert_eq!(get(&app, "/badge/site/nowhere/spack/builtin/hdf5.svg").await.status, 404);
    assert_eq!(get(&app, "/badge/site/cines/spack/builtin/nothing.svg").await.status, 404);
    // Bounded parameters: a 400 that says which.
    for (query, word) in [
        ("page=0", "page"),
        ("page=10001", "page"),
        ("per_page=501", "per_page"),
        ("format=xml", "format"),
        ("known=maybe", "known"),
    ] {
        let reply = get(&app, &format!("/api/v1/matrix?{query}")).await;
        assert_eq!(reply.status, 400, "{query}");
        assert!(reply.body.contains(word), "{query}: {}", reply.body);
    }
    let long = "x".repeat(101);
    assert_eq!(get(&app, &format!("/api/v1/matrix?q={long}")).await.status, 400);
    // The page clamps instead.
    assert_eq!(get(&app, "/matrix?page=0&per_page=100000").await.status, 200);
    // Described in OpenAPI.
    let doc = get(&app, "/api/v1/openapi.json").await.body;
    for path in ["/api/v1/matrix", "/api/v1/attestations", "/api/v1/sites/{site}"] {
        assert!(doc.contains(path), "{path} missing from OpenAPI");
    }
}

#[sqlx::test(migrations = "../migrations")]
async fn a_wrong_sites_file_writes_nothing(pool: PgPool) {
    let wrong = demo::SITES.replace("microarch = \"thunderx2\"", "microarch = \"zen4\"");
    let e = sites::load(&pool, "sites.toml", &wrong).await.unwrap_err().to_string();
    assert!(e.starts_with("sites.toml: site \"grid5000\", machine \"pyxis\", partition \"default\": microarch"), "{e}");
    let count: i64 = sqlx::query_scalar("SELECT count(*) FROM sites").fetch_one(&pool).await.unwrap();
    assert_eq!(count, 0);
    let loaded = sites::load(&pool, "sites.toml", demo::SITES).await.unwrap();
    assert_eq!((loaded.sites, loaded.machines), (3, 5));
    // Loading again changes nothing.
    sites::load(&pool, "sites.toml", demo::SITES).await.unwrap();
    let count: i64 = sqlx::query_scalar("SELECT count(*) FROM partitions").fetch_one(&pool).await.unwrap();
    assert_eq!(count as usize, loaded.partitions);
}

#[sqlx::test(migrations = "../migrations")]
async fn the_demo_shows_real_sites_and_made_up_attestations_labelled_demo(pool: PgPool) {
    let limits = pacatlas::ingest::Limits::default();
    pacatlas::demo::load(&pool, limits, &pacatlas::ingest::progress::Silent).await.unwrap();
    pacatlas::builds::demo::load(&pool).await.unwrap();
    let written = demo::load(&pool).await.unwrap();
    assert!(written >= 10, "{written}");
    assert_eq!(demo::load(&pool).await.unwrap(), 0, "loading twice writes nothing");
    let app = app(pool.clone());
    let m = matrix_json(&app, "channel=spack/builtin&q=hdf5").await;
    let genoa = cell(&m, "hdf5", "site:cines/adastra/genoa");
    assert_eq!((code(genoa), genoa["demo"].clone()), ("attested:works".to_string(), json!(true)));
    assert_eq!(m["demo"], true);
    let page = get(&app, "/matrix?channel=spack/builtin&q=hdf5").await;
    assert!(page.body.contains("class=\"notice demo\""), "the page says some cells are made up");
    assert!(page.body.contains("class=\"demo-mark\""), "made-up cells are marked");
    let page = get(&app, "/sites/cines").await;
    assert!(page.body.contains("class=\"demo-mark\""));
}

/// The package names of a matrix JSON.
fn names(m: &Value) -> Vec<String> {
    m["rows"].as_array().unwrap().iter().map(|r| r["name"].as_str().unwrap().to_string()).collect()
}

#[sqlx::test(migrations = "../migrations")]
async fn the_maintainer_filter_agrees_in_page_json_and_csv(pool: PgPool) {
    setup(&pool).await;
    write_builds(&pool, &[build("1", "hdf5", "x86_64_v3", Status::Succeeded, 10)]).await;
    // A claimant: a user with the GitHub identity "claimer" and an approved
    // claim on zlib-ng, a withdrawn one on cmake (not active: not theirs).
    sqlx::query(
        "WITH u AS (INSERT INTO users (name) VALUES ('Claimer') RETURNING id),
              i AS (INSERT INTO identities (user_id, forge, subject, handle) SELECT id, 'github', '42', 'Claimer' FROM u)
         INSERT INTO claims (user_id, package_id, status)
         SELECT u.id, p.id, CASE p.name WHEN 'zlib-ng' THEN 'approved' ELSE 'withdrawn' END
         FROM u, packages p WHERE p.name IN ('zlib-ng', 'cmake')",
    )
    .execute(&pool)
    .await
    .unwrap();
    let app = app(pool.clone());
    for (maintainer, expected) in [
        ("github:lrknox", vec!["hdf5"]),
        ("github:LRKNOX", vec!["hdf5"]),
        ("github:adamjstewart", vec!["py-numpy"]),
        ("github:claimer", vec!["zlib-ng"]),
        ("github:nobody-at-all", vec![]),
        ("gitlab.inria.fr:lrknox", vec![]),
    ] {
        let query = format!("maintainer={maintainer}&page=1");
        let m = matrix_json(&app, &query).await;
        assert_eq!(names(&m), expected, "{maintainer}");
        assert_eq!(m["total"], expected.len(), "{maintainer}");
        assert_eq!(m["filters"]["maintainer"], maintainer);
        let json_cells: Vec<String> = m["rows"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|r| r["cells"].as_array().unwrap().iter().map(code))
            .collect();
        let csv = get(&app, &format!("/api/v1/matrix?maintainer={maintainer}&format=csv")).await;
        assert_eq!(csv.status, 200, "{}", csv.body);
        let mut reader = csv::Reader::from_reader(csv.body.as_bytes());
        let records: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
        let csv_names: Vec<&str> = records.iter().map(|r| &r[2]).collect();
        assert_eq!(csv_names, expected, "{maintainer}");
        let csv_cells: Vec<String> =
            records.iter().flat_map(|r| r.iter().skip(4).map(str::to_string).collect::<Vec<_>>()).collect();
        assert_eq!(csv_cells, json_cells, "{maintainer}");
        let page = get(&app, &format!("/matrix?{query}")).await;
        assert_eq!(page.status, 200);
        assert_eq!(page_cells(&page.body), json_cells, "{maintainer}");
        // The form keeps the filter; the export links carry it.
        assert!(page.body.contains(&format!("value=\"{maintainer}\"")), "{maintainer}");
        assert!(page.body.contains(&format!("maintainer={}", maintainer.replace(':', "%3A"))), "{maintainer}");
    }
    // Combined with another filter.
    assert!(names(&matrix_json(&app, "maintainer=github:lrknox&q=zlib").await).is_empty());
    // Bad syntax: 400 saying which parameter, for the JSON, the CSV and the page.
    for bad in ["lrknox", "github:", ":lrknox", "GitHub:lrknox", "email:a@b.c"] {
        for path in ["/api/v1/matrix?", "/api/v1/matrix?format=csv&"] {
            let reply = get(&app, &format!("{path}maintainer={bad}")).await;
            assert_eq!(reply.status, 400, "{path} {bad}: {}", reply.body);
            assert!(reply.body.contains("maintainer"), "{}", reply.body);
        }
        let page = get(&app, &format!("/matrix?maintainer={bad}")).await;
        assert_eq!(page.status, 400, "{bad}");
        assert!(page.body.contains("FORGE:HANDLE"), "{bad}");
    }
}
