//! Walking a Cuirass or Hydra service evaluation by evaluation: how both
//! page their builds when more than the latest few are wanted.
//!
//! - Cuirass (the manual's "Web API"): `GET /api/evaluations?nr=N` lists the
//!   latest evaluations, newest first (`id`, `specification`, `status`: -1
//!   started, 0 succeeded, 1 failed, 2 aborted; `timestamp`, `checkouttime`,
//!   `evaltime`, `checkouts`); the builds of one are
//!   `GET /api/latestbuilds?nr=N&evaluation=ID`.
//! - Hydra (`hydra-api.yaml`): `GET /jobset/{project}/{jobset}/evals` answers
//!   `{evals: [{id, builds: [build ids], jobsetevalinputs, hasnewbuilds,
//!   timestamp}], first, next, last}`, newest first, `next` the query of the
//!   following (older) page (`?page=2`); each build is `GET /build/{id}`.
//!
//! Builds lacking details in a list answer are completed from
//! `/build/<id>` (`details.rs`). Each evaluation is validated whole, then
//! written in one transaction. The cursor (`evaluation`) moves past an
//! evaluation only once it and every one before it are complete (evaluated,
//! every build finished): an evaluation with builds still queued is read
//! again by the next run, its finished builds written at once (a row sent
//! again unchanged writes nothing), so nothing is lost or written twice,
//! whenever the process is killed.
use std::collections::{BTreeMap, HashSet};

use chrono::{DateTime, Utc};
use serde_json::{json, Value};
use sqlx::PgPool;

use super::{
    cuirass::{self, Flavour},
    details,
    fetch::{Client, Policy},
    BuildRow, Service,
};
use crate::ingest::Progress;

#[derive(Debug, Clone)]
pub struct Options {
    /// Cuirass: `nr` of `/api/evaluations`. Hydra: evaluations read at most
    /// on a service's first import (later runs read down to their cursor).
    pub evaluations: u32,
    /// Cuirass: `nr` of one evaluation's `latestbuilds`; an evaluation with
    /// as many builds is refused rather than imported in part.
    pub eval_builds: u32,
    /// Hydra: the project and jobset whose evaluations are walked.
    pub jobset: Option<(String, String)>,
    /// Leave out evaluations made, and builds finished, before this.
    pub since: Option<DateTime<Utc>>,
    /// `/build/<id>` requests at a time.
    pub concurrency: usize,
    pub policy: Policy,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            evaluations: 100,
            eval_builds: 200_000,
            jobset: None,
            since: None,
            concurrency: 8,
            policy: Policy::default(),
        }
    }
}

/// What one run did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Summary {
    /// Evaluations past the cursor read by this run.
    pub evaluations: usize,
    /// Of them, those still in progress or with builds not finished.
    pub waiting: usize,
    /// Builds read (list rows and `/build/<id>` answers).
    pub builds: usize,
    /// `/build/<id>` requests.
    pub details: usize,
    pub unfinished: usize,
    /// Builds finished before `since`.
    pub older: usize,
    /// Hydra builds already stored finished, not fetched again.
    pub known: usize,
    /// Rows inserted or changed.
    pub written: u64,
    /// The newest evaluation behind which everything is imported.
    pub cursor: Option<i64>,
}

impl std::fmt::Display for Summary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} evaluations ({} still running or building), {} builds read ({} from /build/<id>, {} known): \
             {} written, {} not finished, {} finished before --since; imported up to evaluation {}",
            self.evaluations,
            self.waiting,
            self.builds,
            self.details,
            self.known,
            self.written,
            self.unfinished,
            self.older,
            self.cursor.map_or("(none yet)".to_string(), |c| c.to_string())
        )
    }
}

/// One evaluation of the list.
#[derive(Debug, Clone, PartialEq)]
pub struct Evaluation {
    pub id: i64,
    pub timestamp: Option<i64>,
    /// Cuirass: still being evaluated (`status` -1).
    pub in_progress: bool,
    /// Hydra: the evaluation's build ids.
    pub builds: Option<Vec<i64>>,
}

fn eval_error(service: &str, url: &str, eval: &str, field: &str, message: &str) -> anyhow::Error {
    anyhow::anyhow!("{service}: GET {url}: evaluation {eval}: field `{field}`: {message}")
}

/// One evaluation object, Cuirass' or Hydra's.
pub fn parse_evaluation(service: &str, url: &str, position: usize, v: &Value) -> anyhow::Result<Evaluation> {
    let named = v.get("id").and_then(Value::as_i64).map_or(format!("(entry {position})"), |id| id.to_string());
    let err = |field: &str, message: &str| eval_error(service, url, &named, field, message);
    if !v.is_object() {
        return Err(err("", "not a JSON object"));
    }
    let id =
        v.get("id").and_then(Value::as_i64).filter(|id| *id >= 0).ok_or_else(|| err("id", "missing or not an id"))?;
    let int = |field: &str| -> anyhow::Result<Option<i64>> {
        match v.get(field) {
            None | Some(Value::Null) => Ok(None),
            // Hydra writes some integers as strings.
            Some(Value::String(s)) => s.parse().map(Some).map_err(|_| err(field, &format!("not an integer: {s:?}"))),
            Some(x) => x.as_i64().map(Some).ok_or_else(|| err(field, &format!("not an integer: {x}"))),
        }
    };
    let timestamp = int("timestamp")?.or(int("evaltime")?);
    let in_progress = int("status")?.is_some_and(|s| s < 0);
    let builds = match v.get("builds") {
        None | Some(Value::Null) => None,
        Some(Value::Array(ids)) => Some(
            ids.iter()
                .map(|b| b.as_i64().filter(|b| *b >= 0).ok_or_else(|| err("builds", &format!("not a build id: {b}"))))
                .collect::<anyhow::Result<Vec<_>>>()?,
        ),
        Some(other) => return Err(err("builds", &format!("not an array of build ids: {other}"))),
    };
    Ok(Evaluation { id, timestamp, in_progress, builds })
}

/// Imports the evaluations of Cuirass or Hydra `service` past its cursor.
pub async fn import(
    pool: &PgPool,
    service: &Service,
    options: &Options,
    progress: &dyn Progress,
) -> anyhow::Result<Summary> {
    let (flavour, base) = Flavour::with_base(service, "evaluations to walk")?;
    let client = Client::new(&service.name, options.policy.clone())?;
    let cursor: Option<i64> =
        super::cursor::load(pool, service.id).await?.and_then(|c| c.get("evaluation").and_then(Value::as_i64));
    progress.message(&format!("{}: listing evaluations", service.name));
    let mut evals = match flavour {
        Flavour::Cuirass => cuirass_evaluations(&client, &service.name, base, options).await?,
        Flavour::Hydra => hydra_evaluations(&client, &service.name, base, options, cursor).await?,
    };
    evals.retain(|e| cursor.is_none_or(|c| e.id > c));
    if let Some(since) = options.since {
        evals.retain(|e| e.timestamp.is_none_or(|t| t >= since.timestamp()));
    }
    evals.sort_by_key(|e| e.id);
    evals.dedup_by_key(|e| e.id);

    let mut summary = Summary { evaluations: evals.len(), cursor, ..Summary::default() };
    let mut complete_so_far = true;
    let mut analyzer = super::stats::Analyzer::new(pool).await?;
    progress.start(&format!("{}: importing evaluations", service.name), evals.len() as u64);
    let ctx = Ctx { pool, client: &client, service, base, flavour, options };
    // The next evaluation is fetched and parsed while this one is written.
    let mut prepared = match evals.first() {
        Some(first) => Some(prepare(&ctx, first).await?),
        None => None,
    };
    for (n, eval) in evals.iter().enumerate() {
        let Some(Prepared { rows, builds, unfinished, older, known, details }) = prepared.take() else { break };
        summary.known += known;
        summary.details += details;
        summary.builds += builds;
        summary.older += older;
        summary.unfinished += unfinished;
        let complete = unfinished == 0 && !eval.in_progress;
        if !complete {
            summary.waiting += 1;
        }
        complete_so_far &= complete;
        let write = async {
            let mut tx = pool.begin().await?;
            let written = super::write(&mut tx, service, &rows).await?;
            if complete_so_far {
                super::cursor::save(&mut tx, service.id, &json!({ "evaluation": eval.id })).await?;
            }
            tx.commit().await?;
            anyhow::Ok(written)
        };
        let next = async {
            match evals.get(n + 1) {
                Some(e) => prepare(&ctx, e).await.map(Some),
                None => Ok(None),
            }
        };
        let (written, next) = tokio::join!(write, next);
        let written = written?;
        summary.written += written;
        analyzer.wrote(pool, written).await?;
        if complete_so_far {
            summary.cursor = Some(eval.id);
        }
        progress.set(n as u64 + 1);
        prepared = next?;
    }
    progress.finish();
    Ok(summary)
}

/// What one evaluation's fetch brought.
struct Fetched {
    values: Vec<Value>,
    /// Where the builds came from, for errors.
    url: String,
    /// Hydra builds already stored finished, not fetched.
    known: usize,
    /// `/build/<id>` requests.
    details: usize,
}

/// One evaluation fetched and validated whole, ready to write.
struct Prepared {
    rows: Vec<BuildRow>,
    /// Builds the service listed (finished or not).
    builds: usize,
    unfinished: usize,
    /// Finished before `--since`: left out.
    older: usize,
    known: usize,
    details: usize,
}

/// Fetches `eval` and validates all of its builds (a malformed one fails the
/// whole evaluation, nothing of it written).
async fn prepare(ctx: &Ctx<'_>, eval: &Evaluation) -> anyhow::Result<Prepared> {
    let Fetched { values, url, known, details } = fetch_evaluation(ctx, eval).await?;
    let (service, base, flavour, since) = (&ctx.service.name, ctx.base, ctx.flavour, ctx.options.since);
    let mut rows: BTreeMap<i64, BuildRow> = BTreeMap::new();
    let (mut unfinished, mut older) = (0, 0);
    for (i, value) in values.iter().enumerate() {
        let parsed = cuirass::parse(flavour, service, base, i, value)
            .map_err(|e| anyhow::anyhow!("{e} (GET {url}, evaluation {})", eval.id))?;
        match parsed {
            None => unfinished += 1,
            Some((_, row)) if since.is_some_and(|s| row.finished_at.is_some_and(|t| t < s)) => older += 1,
            Some((c, mut row)) => {
                row.evaluation.get_or_insert_with(|| eval.id.to_string());
                rows.insert(c.id, row);
            }
        }
    }
    Ok(Prepared { rows: rows.into_values().collect(), builds: values.len(), unfinished, older, known, details })
}

struct Ctx<'a> {
    pool: &'a PgPool,
    client: &'a Client,
    service: &'a Service,
    base: &'a str,
    flavour: Flavour,
    options: &'a Options,
}

/// The builds of `eval`, completed from `/build/<id>` where the list lacks details.
async fn fetch_evaluation(ctx: &Ctx<'_>, eval: &Evaluation) -> anyhow::Result<Fetched> {
    let (service, base, client) = (&ctx.service.name, ctx.base, ctx.client);
    let (mut values, url, known) = match ctx.flavour {
        Flavour::Cuirass => {
            let url = format!("{base}/api/latestbuilds?nr={}&evaluation={}", ctx.options.eval_builds, eval.id);
            let values = get_array(client, service, &url).await?;
            if values.len() >= ctx.options.eval_builds as usize {
                anyhow::bail!(
                    "{service}: GET {url}: evaluation {} has {} builds or more: raise the builds-per-evaluation \
                     limit to import it whole",
                    eval.id,
                    ctx.options.eval_builds
                );
            }
            (values, url, 0)
        }
        Flavour::Hydra => {
            let ids = eval.builds.clone().unwrap_or_default();
            let known = known_builds(ctx.pool, ctx.service.id, &ids).await?;
            let values: Vec<Value> =
                ids.iter().filter(|id| !known.contains(&id.to_string())).map(|id| json!({ "id": id })).collect();
            (values, format!("{base}/build/<id>"), known.len())
        }
    };
    let details = details::fill(client, service, base, &mut values, ctx.options.concurrency).await?;
    if ctx.flavour == Flavour::Hydra {
        // Hydra's evaluation names its builds by id only: each must be known.
        if let Some(id) = values.iter().find(|v| v.get("job").is_none()).and_then(|v| v.get("id")) {
            anyhow::bail!(
                "{service}: GET {base}/build/{id}: HTTP 404 Not Found: evaluation {} lists build {id}, which the \
                 service does not know",
                eval.id
            );
        }
    }
    Ok(Fetched { values, url, known, details })
}

async fn get_array(client: &Client, service: &str, url: &str) -> anyhow::Result<Vec<Value>> {
    let body = client.get(url).await?;
    serde_json::from_slice(&body).map_err(|e| anyhow::anyhow!("{service}: GET {url}: not a JSON array: {e}"))
}

async fn cuirass_evaluations(
    client: &Client,
    service: &str,
    base: &str,
    options: &Options,
) -> anyhow::Result<Vec<Evaluation>> {
    let url = format!("{base}/api/evaluations?nr={}", options.evaluations);
    let values = get_array(client, service, &url).await?;
    values.iter().enumerate().map(|(i, v)| parse_evaluation(service, &url, i, v)).collect()
}

/// Hydra's evaluations newest first, page after page, down to the cursor
/// (or, without one, to `options.evaluations`), or to `since`.
async fn hydra_evaluations(
    client: &Client,
    service: &str,
    base: &str,
    options: &Options,
    cursor: Option<i64>,
) -> anyhow::Result<Vec<Evaluation>> {
    let Some((project, jobset)) = &options.jobset else {
        anyhow::bail!("{service}: walking Hydra evaluations needs the jobset (PROJECT/JOBSET)");
    };
    let first = format!("{base}/jobset/{project}/{jobset}/evals");
    let mut url = first.clone();
    let mut seen = HashSet::new();
    let mut out: Vec<Evaluation> = Vec::new();
    loop {
        let body = client.get(&url).await?;
        let page: Value = serde_json::from_slice(&body)
            .map_err(|e| anyhow::anyhow!("{service}: GET {url}: not a JSON object of evaluations: {e}"))?;
        let Some(list) = page.get("evals").and_then(Value::as_array) else {
            anyhow::bail!("{service}: GET {url}: field `evals`: missing or not an array");
        };
        let mut reached_end = list.is_empty();
        for (i, v) in list.iter().enumerate() {
            let eval = parse_evaluation(service, &url, i, v)?;
            let before_since = options.since.is_some_and(|s| eval.timestamp.is_some_and(|t| t < s.timestamp()));
            if cursor.is_some_and(|c| eval.id <= c) || before_since {
                reached_end = true;
                break;
            }
            if cursor.is_none() && out.len() >= options.evaluations as usize {
                reached_end = true;
                break;
            }
            out.push(eval);
        }
        let next = match page.get("next") {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) if s.starts_with('?') && s.len() < 200 => Some(s.clone()),
            Some(other) => anyhow::bail!("{service}: GET {url}: field `next`: not a page query: {other}"),
        };
        match next {
            Some(q) if !reached_end && seen.insert(q.clone()) => url = format!("{first}{q}"),
            _ => break,
        }
    }
    Ok(out)
}

/// The ids among `ids` already stored for `service_id`.
async fn known_builds(pool: &PgPool, service_id: i64, ids: &[i64]) -> sqlx::Result<HashSet<String>> {
    let ids: Vec<String> = ids.iter().map(i64::to_string).collect();
    let known: Vec<String> =
        sqlx::query_scalar("SELECT external_id FROM build_results WHERE service_id = $1 AND external_id = ANY($2)")
            .bind(service_id)
            .bind(&ids)
            .fetch_all(pool)
            .await?;
    Ok(known.into_iter().collect())
}
