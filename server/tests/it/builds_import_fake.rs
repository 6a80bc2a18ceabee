//! A local fake CI service for the importer tests, speaking the documented
//! JSON of Cuirass (`/api/evaluations`, `/api/latestbuilds`, `/build/<id>`),
//! Hydra (`/jobset/{project}/{jobset}/evals` paged by `next`, `/build/<id>`)
//! and GitLab (`/api/v4/projects/2/pipelines`, `…/pipelines/{id}/jobs`),
//! with scripted faults (status codes, Retry-After, slow or broken answers),
//! a delay on every answer, and a log of the requests it was sent.
use std::{
    collections::{BTreeMap, HashMap, VecDeque},
    sync::{
        atomic::{AtomicBool, AtomicU64, Ordering},
        Arc, Mutex,
    },
    time::Duration,
};

use axum::{
    extract::{Path, Query, Request, State},
    http::{header, StatusCode},
    middleware::{self, Next},
    response::{IntoResponse, Response},
    routing::get,
    Json, Router,
};
use serde_json::{json, Value};

#[derive(Clone, Debug)]
pub(crate) enum Fault {
    Status(u16, Option<&'static str>),
    Slow(Duration),
    Body(&'static str),
}

#[derive(Clone, Default)]
pub(crate) struct Fake {
    /// Cuirass evaluations.
    pub evaluations: Arc<Mutex<Vec<Value>>>,
    /// Every build by id, Cuirass' or Hydra's shape.
    pub builds: Arc<Mutex<BTreeMap<i64, Value>>>,
    /// Hydra evaluations (`{id, builds, timestamp}`), `HYDRA_PAGE` a page.
    pub hydra_evals: Arc<Mutex<Vec<Value>>>,
    pub pipelines: Arc<Mutex<Vec<Value>>>,
    pub jobs: Arc<Mutex<HashMap<i64, Vec<Value>>>>,
    /// Faults answered to the next requests, whatever their path.
    pub faults: Arc<Mutex<VecDeque<Fault>>>,
    /// Milliseconds every answer waits.
    pub delay_ms: Arc<AtomicU64>,
    /// `latestbuilds` rows without `nixname` and `system` (they are in `/build/<id>`).
    pub terse: Arc<AtomicBool>,
    /// Path and query of each request, in order.
    pub log: Arc<Mutex<Vec<String>>>,
}

pub(crate) const HYDRA_PAGE: usize = 2;

impl Fake {
    pub fn requests(&self) -> Vec<String> {
        self.log.lock().unwrap().clone()
    }

    pub fn fault(&self, faults: impl IntoIterator<Item = Fault>) {
        self.faults.lock().unwrap().extend(faults);
    }

    pub fn add_build(&self, build: Value) {
        let id = build["id"].as_i64().unwrap();
        self.builds.lock().unwrap().insert(id, build);
    }
}

async fn faults(State(fake): State<Fake>, request: Request, next: Next) -> Response {
    let target = request.uri().path_and_query().map(|p| p.to_string()).unwrap_or_default();
    fake.log.lock().unwrap().push(target);
    let delay = fake.delay_ms.load(Ordering::Relaxed);
    if delay > 0 {
        tokio::time::sleep(Duration::from_millis(delay)).await;
    }
    let fault = fake.faults.lock().unwrap().pop_front();
    match fault {
        None => next.run(request).await,
        Some(Fault::Status(code, retry_after)) => {
            let mut r = StatusCode::from_u16(code).unwrap().into_response();
            if let Some(after) = retry_after {
                r.headers_mut().insert(header::RETRY_AFTER, after.parse().unwrap());
            }
            r
        }
        Some(Fault::Slow(d)) => {
            tokio::time::sleep(d).await;
            next.run(request).await
        }
        Some(Fault::Body(b)) => ([(header::CONTENT_TYPE, "application/json")], b).into_response(),
    }
}

#[derive(serde::Deserialize)]
struct Latest {
    nr: usize,
    evaluation: Option<i64>,
}

async fn cuirass_evaluations(State(f): State<Fake>, Query(q): Query<HashMap<String, String>>) -> Json<Vec<Value>> {
    let nr: usize = q.get("nr").and_then(|n| n.parse().ok()).unwrap_or(0);
    let mut all = f.evaluations.lock().unwrap().clone();
    all.sort_by_key(|e| std::cmp::Reverse(e["id"].as_i64()));
    Json(all.into_iter().take(nr).collect())
}

async fn latestbuilds(State(f): State<Fake>, Query(q): Query<Latest>) -> Json<Vec<Value>> {
    let terse = f.terse.load(Ordering::Relaxed);
    let builds = f.builds.lock().unwrap();
    let rows = builds
        .values()
        .rev()
        .filter(|b| q.evaluation.is_none_or(|e| b["evaluation"].as_i64() == Some(e)))
        .take(q.nr)
        .map(|b| {
            let mut b = b.clone();
            if terse {
                b.as_object_mut().unwrap().remove("nixname");
                b.as_object_mut().unwrap().remove("system");
            }
            b
        })
        .collect();
    Json(rows)
}

async fn build(State(f): State<Fake>, Path(id): Path<String>) -> Response {
    match id.parse::<i64>().ok().and_then(|id| f.builds.lock().unwrap().get(&id).cloned()) {
        Some(b) => Json(b).into_response(),
        None => (StatusCode::NOT_FOUND, Json(json!({"error": "build not found"}))).into_response(),
    }
}

async fn hydra_evals(
    State(f): State<Fake>,
    Path((_project, _jobset)): Path<(String, String)>,
    Query(q): Query<HashMap<String, String>>,
) -> Json<Value> {
    let page: usize = q.get("page").and_then(|p| p.parse().ok()).unwrap_or(1).max(1);
    let mut all = f.hydra_evals.lock().unwrap().clone();
    all.sort_by_key(|e| std::cmp::Reverse(e["id"].as_i64()));
    let last = all.len().div_ceil(HYDRA_PAGE).max(1);
    let evals: Vec<Value> = all.into_iter().skip((page - 1) * HYDRA_PAGE).take(HYDRA_PAGE).collect();
    let mut answer = json!({"evals": evals, "first": "?page=1", "last": format!("?page={last}")});
    if page < last {
        answer["next"] = json!(format!("?page={}", page + 1));
    }
    Json(answer)
}

#[derive(serde::Deserialize)]
struct Paging {
    page: usize,
    per_page: usize,
    sort: Option<String>,
}

fn page_of(items: &[Value], p: &Paging) -> Vec<Value> {
    items.iter().skip((p.page.max(1) - 1) * p.per_page).take(p.per_page).cloned().collect()
}

async fn pipelines(State(f): State<Fake>, Query(p): Query<Paging>) -> Json<Vec<Value>> {
    let mut all = f.pipelines.lock().unwrap().clone();
    all.sort_by_key(|v| v["id"].as_i64());
    if p.sort.as_deref() == Some("desc") {
        all.reverse();
    }
    Json(page_of(&all, &p))
}

async fn jobs(State(f): State<Fake>, Path((_, id)): Path<(i64, i64)>, Query(p): Query<Paging>) -> Json<Vec<Value>> {
    Json(page_of(f.jobs.lock().unwrap().get(&id).map(Vec::as_slice).unwrap_or_default(), &p))
}

/// Starts the fake on 127.0.0.1; its base URL (GitLab's project is `{base}/api/v4/projects/2`).
pub(crate) async fn start() -> (String, Fake) {
    let fake = Fake::default();
    let app = Router::new()
        .route("/api/evaluations", get(cuirass_evaluations))
        .route("/api/latestbuilds", get(latestbuilds))
        .route("/build/{id}", get(build))
        .route("/jobset/{project}/{jobset}/evals", get(hydra_evals))
        .route("/api/v4/projects/2/pipelines", get(pipelines))
        .route("/api/v4/projects/{project}/pipelines/{id}/jobs", get(jobs))
        .layer(middleware::from_fn_with_state(fake.clone(), faults))
        .with_state(fake.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (format!("http://{addr}"), fake)
}

/// A Cuirass build of `nixname` (`hdf5-1.14.5`) in evaluation `eval`.
pub(crate) fn cuirass_build(id: i64, eval: i64, nixname: &str, status: i64, stoptime: i64) -> Value {
    let finished = status >= 0;
    json!({"id": id, "jobset": "guix", "job": format!("{nixname}.x86_64-linux"), "nixname": nixname,
           "system": "x86_64-linux", "buildstatus": status, "weather": -1, "evaluation": eval,
           "timestamp": stoptime - 600, "starttime": if finished { stoptime - 300 } else { 0 },
           "stoptime": if finished { stoptime } else { 0 }, "busy": 0, "priority": 9, "finished": finished as i64,
           "derivation": format!("/gnu/store/{id}-{nixname}.drv")})
}

/// A Cuirass evaluation (`status` -1: still being evaluated).
pub(crate) fn cuirass_evaluation(id: i64, status: i64, timestamp: i64) -> Value {
    json!({"id": id, "specification": "guix", "status": status, "timestamp": timestamp,
           "checkouttime": timestamp, "evaltime": timestamp + 600,
           "checkouts": [{"commit": format!("{id:040x}"), "channel": "guix", "directory": "/gnu/store/x-guix"}]})
}

/// A Hydra build of attribute `attr` (`finished` 0 without a status).
pub(crate) fn hydra_build(id: i64, eval: i64, attr: &str, nixname: &str, status: Option<i64>, stoptime: i64) -> Value {
    json!({"id": id, "project": "nixpkgs", "jobset": "trunk", "job": format!("{attr}.x86_64-linux"),
           "nixname": nixname, "system": "x86_64-linux", "finished": status.is_some() as i64,
           "buildstatus": status, "jobsetevals": [eval], "timestamp": stoptime - 600,
           "starttime": stoptime - 300, "stoptime": if status.is_some() { stoptime } else { 0 }, "priority": 100,
           "drvpath": format!("/nix/store/{id}-{nixname}.drv"), "buildoutputs": {"out": {"path": "/nix/store/x"}},
           "buildproducts": {}, "buildmetrics": {}})
}

pub(crate) fn hydra_eval(id: i64, builds: &[i64], timestamp: i64) -> Value {
    json!({"id": id, "builds": builds, "hasnewbuilds": 1, "timestamp": timestamp,
           "jobsetevalinputs": {"nixpkgs": {"type": "git", "uri": "https://github.com/NixOS/nixpkgs",
                                            "revision": format!("{id:040x}"), "value": null, "dependency": null}}})
}

/// A GitLab job of Spack's pipelines.
pub(crate) fn gitlab_job(id: i64, name: &str, status: &str, finished_at: &str) -> Value {
    json!({"id": id, "name": name, "stage": "build", "status": status, "failure_reason": null,
           "created_at": "2026-11-20T10:00:00.000Z", "started_at": "2026-11-20T10:01:00.000Z",
           "finished_at": finished_at, "web_url": format!("https://gitlab.example.org/spack/spack/-/jobs/{id}")})
}

pub(crate) fn gitlab_pipeline(id: i64, status: &str, updated_at: &str) -> Value {
    json!({"id": id, "sha": format!("{id:040x}"), "ref": "develop", "status": status, "updated_at": updated_at})
}

pub(crate) async fn count(pool: &sqlx::PgPool) -> i64 {
    sqlx::query_scalar("SELECT count(*) FROM build_results").fetch_one(pool).await.unwrap()
}
