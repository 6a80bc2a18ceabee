//! The GitLab CI importer against a local fake GitLab (Spack's pipelines):
//! specs parsed from job names, paging by `page`/`per_page`, a pipeline still
//! running waits for a later run, nothing imported twice, unknown statuses refused.
use std::sync::{Arc, Mutex};

use axum::{
    extract::{Path, Query, State},
    routing::get,
    Json, Router,
};
use pacatlas::{
    builds::{self, fetch::Policy, gitlab, Kind},
    catalog::Ecosystem,
    ingest::progress::Silent,
};
use serde_json::{json, Value};
use sqlx::PgPool;

use crate::support::{fixture, ingest};

#[derive(Clone, Default)]
struct Fake {
    pipelines: Arc<Mutex<Vec<Value>>>,
    jobs: Arc<Mutex<std::collections::HashMap<i64, Vec<Value>>>>,
    requests: Arc<Mutex<Vec<String>>>,
}

#[derive(serde::Deserialize)]
struct Paging {
    page: usize,
    per_page: usize,
    sort: Option<String>,
}

fn page_of(items: &[Value], p: &Paging) -> Vec<Value> {
    items.iter().skip((p.page - 1) * p.per_page).take(p.per_page).cloned().collect()
}

async fn pipelines(State(f): State<Fake>, Query(p): Query<Paging>) -> Json<Vec<Value>> {
    f.requests.lock().unwrap().push(format!("pipelines page {}", p.page));
    let mut all = f.pipelines.lock().unwrap().clone();
    all.sort_by_key(|v| v["id"].as_i64());
    if p.sort.as_deref() == Some("desc") {
        all.reverse();
    }
    Json(page_of(&all, &p))
}

async fn jobs(State(f): State<Fake>, Path((_, id)): Path<(i64, i64)>, Query(p): Query<Paging>) -> Json<Vec<Value>> {
    f.requests.lock().unwrap().push(format!("jobs {id} page {}", p.page));
    Json(page_of(f.jobs.lock().unwrap().get(&id).map(Vec::as_slice).unwrap_or_default(), &p))
}

fn job(id: i64, name: &str, status: &str, failure_reason: Option<&str>) -> Value {
    json!({"id": id, "name": name, "stage": "build", "status": status, "failure_reason": failure_reason,
           "created_at": "2026-11-20T10:00:00.000Z", "started_at": "2026-11-20T10:01:00.000Z",
           "finished_at": if status == "running" { Value::Null } else { json!("2026-11-20T10:30:00.000+00:00") },
           "web_url": format!("https://gitlab.example.org/spack/spack/-/jobs/{id}")})
}

async fn fake_gitlab() -> (String, Fake) {
    let fake = Fake::default();
    *fake.pipelines.lock().unwrap() = vec![
        json!({"id": 10, "sha": "aaa111", "ref": "develop", "status": "failed"}),
        json!({"id": 11, "sha": "bbb222", "ref": "develop", "status": "success"}),
        json!({"id": 12, "sha": "ccc333", "ref": "develop", "status": "running"}),
    ];
    let arch = "%gcc@11.4.0 arch=linux-ubuntu22.04-x86_64_v3";
    fake.jobs.lock().unwrap().extend([
        (
            10,
            vec![
                job(100, "generate", "success", None),
                job(101, &format!("hdf5@1.14.5 /abcdefg {arch} E4S"), "failed", Some("script_failure")),
                job(102, &format!("openmpi@5.0.5 /hijklmn {arch}"), "success", None),
                job(103, &format!("py-numpy@2.2.4 /opqrstu {arch}"), "skipped", None),
                job(104, &format!("nosuchpkg@1.0 /vwxyzab {arch}"), "failed", Some("job_execution_timeout")),
            ],
        ),
        (11, vec![job(110, &format!("hdf5@1.14.5 /abcdefg {arch} E4S"), "success", None)]),
        (12, vec![job(120, &format!("hdf5@1.14.6 /zzzzzzz {arch}"), "running", None)]),
    ]);
    let app = Router::new()
        .route("/api/v4/projects/2/pipelines", get(pipelines))
        .route("/api/v4/projects/{project}/pipelines/{id}/jobs", get(jobs))
        .with_state(fake.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (format!("http://{addr}/api/v4/projects/2"), fake)
}

fn options() -> gitlab::Options {
    gitlab::Options {
        per_page: 2,
        max_pipelines: 100,
        since: None,
        policy: Policy { attempts: 2, backoff: std::time::Duration::from_millis(20), ..Policy::default() },
    }
}

#[sqlx::test(migrations = "../migrations")]
async fn spack_pipelines_are_imported_once_and_running_ones_wait(pool: PgPool) {
    let (url, fake) = fake_gitlab().await;
    ingest(&pool, Ecosystem::Spack, "builtin", None, &[fixture("spack-rich.json")]).await.unwrap();
    let service = builds::ensure_service(&pool, "spack-gitlab", Kind::Gitlab, Some(&url), Ecosystem::Spack, "builtin")
        .await
        .unwrap();
    let summary = gitlab::import(&pool, &service, &options(), &Silent).await.unwrap();
    assert_eq!((summary.pipelines, summary.written, summary.skipped, summary.waiting), (2, 5, 1, 1), "{summary}");
    // Jobs were read page by page (5 jobs, 2 a page: 3 pages).
    assert!(fake.requests.lock().unwrap().contains(&"jobs 10 page 3".to_string()));
    type Row = (
        String,
        Option<String>,
        Option<String>,
        String,
        Option<String>,
        Option<String>,
        Option<String>,
        Option<String>,
    );
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT b.external_id, p.name, b.version, b.status, b.system, b.target, b.compiler, b.evaluation
         FROM build_results b LEFT JOIN packages p ON p.id = b.package_id ORDER BY b.external_id",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    let brief: Vec<(&str, Option<&str>, &str)> =
        rows.iter().map(|r| (r.0.as_str(), r.1.as_deref(), r.3.as_str())).collect();
    assert_eq!(
        brief,
        [
            ("101", Some("hdf5"), "failed"),
            ("102", Some("openmpi"), "succeeded"),
            ("103", Some("py-numpy"), "dependency-failed"),
            ("104", None, "timed-out"),
            ("110", Some("hdf5"), "succeeded"),
        ]
    );
    let hdf5 = &rows[0];
    assert_eq!(
        (hdf5.2.as_deref(), hdf5.4.as_deref(), hdf5.5.as_deref(), hdf5.6.as_deref(), hdf5.7.as_deref()),
        (Some("1.14.5"), Some("linux-ubuntu22.04"), Some("x86_64_v3"), Some("gcc@11.4.0"), Some("aaa111"))
    );
    // Again: nothing new until pipeline 12 finishes; then only it is read.
    let again = gitlab::import(&pool, &service, &options(), &Silent).await.unwrap();
    assert_eq!((again.pipelines, again.written, again.waiting), (0, 0, 1), "{again}");
    fake.pipelines.lock().unwrap()[2]["status"] = json!("success");
    fake.jobs.lock().unwrap().get_mut(&12).unwrap()[0] =
        job(120, "hdf5@1.14.6 /zzzzzzz arch=linux-ubuntu22.04-x86_64_v3", "success", None);
    fake.requests.lock().unwrap().clear();
    let later = gitlab::import(&pool, &service, &options(), &Silent).await.unwrap();
    assert_eq!((later.pipelines, later.written, later.waiting), (1, 1, 0), "{later}");
    let read = fake.requests.lock().unwrap().clone();
    assert!(!read.iter().any(|r| r.starts_with("jobs 10") || r.starts_with("jobs 11")), "{read:?}");
    let total: i64 = sqlx::query_scalar("SELECT count(*) FROM build_results").fetch_one(&pool).await.unwrap();
    assert_eq!(total, 6);
}

#[sqlx::test(migrations = "../migrations")]
async fn an_unknown_job_status_is_refused_naming_the_job(pool: PgPool) {
    let (url, fake) = fake_gitlab().await;
    fake.jobs.lock().unwrap().get_mut(&10).unwrap()[2]["status"] = json!("exploded");
    let service = builds::ensure_service(&pool, "spack-gitlab", Kind::Gitlab, Some(&url), Ecosystem::Spack, "builtin")
        .await
        .unwrap();
    let e = gitlab::import(&pool, &service, &options(), &Silent).await.unwrap_err().to_string();
    assert!(
        e.contains("spack-gitlab") && e.contains("job 102") && e.contains("`status`") && e.contains("exploded"),
        "{e}"
    );
    let total: i64 = sqlx::query_scalar("SELECT count(*) FROM build_results").fetch_one(&pool).await.unwrap();
    assert_eq!(total, 0, "nothing of the pipeline was written");
}
