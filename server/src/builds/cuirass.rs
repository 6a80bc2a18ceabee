//! The Cuirass and Hydra importer: `GET /api/latestbuilds?nr=N` (the Cuirass
//! manual's "Web API"; Hydra's `hydra-api.yaml`): an array of builds, newest
//! first, each with `id`, `jobset`, `job`, `nixname`, `system`,
//! `buildstatus`, `timestamp`, `starttime`, `stoptime` and, from Cuirass,
//! `evaluation`, from Hydra, `finished` (and `jobsetevals` where given).
//!
//! Cuirass (Guix) jobs are `hdf5-1.14.5.x86_64-linux`: the package and its
//! version come from `nixname` (`hdf5-1.14.5`). Hydra (Nix) jobs are
//! attribute paths with the system: `python312Packages.numpy.x86_64-linux`
//! names the package `python312Packages.numpy`; the version comes from
//! `nixname` (`python3.12-numpy-2.2.4`).
//!
//! The API offers no offset, so the importer keeps a cursor: the (stoptime,
//! id) of the newest build it has stored. Each run validates the whole
//! answer first (a malformed row stops the run, naming the service, the
//! build id and the field, before anything is written), keeps the finished
//! builds past the cursor, oldest first, and writes them a page at a time:
//! one transaction per page, which also moves the cursor. Killed mid-run,
//! the next run starts after the last committed page: nothing lost, nothing
//! twice (and a row sent again unchanged writes nothing anyway).
//!
//! A row lacking `job`, `nixname` or `system` is completed from
//! `/build/<id>` before validation; `since` leaves out builds finished
//! before it. Walking a service evaluation by evaluation is `evaluations.rs`.
use std::collections::HashMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sqlx::PgPool;

use super::{
    fetch::{Client, Policy},
    split_name_version, BuildRow, Service, Status,
};
use crate::ingest::Progress;

/// Which service speaks: the answers are alike, the job names are not.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flavour {
    Cuirass,
    Hydra,
}

impl Flavour {
    /// The flavour of a service of `kind` (`cuirass` or `hydra`).
    pub fn of(kind: &str) -> Option<Flavour> {
        match kind {
            "cuirass" => Some(Flavour::Cuirass),
            "hydra" => Some(Flavour::Hydra),
            _ => None,
        }
    }

    /// The flavour of Cuirass or Hydra `service` and its base URL (no
    /// trailing `/`); `what` names the importer in the error.
    pub fn with_base<'s>(service: &'s Service, what: &str) -> anyhow::Result<(Flavour, &'s str)> {
        let flavour = Flavour::of(&service.kind)
            .ok_or_else(|| anyhow::anyhow!("{}: a {} service has no {what}", service.name, service.kind))?;
        let base = service.base_url.as_deref().ok_or_else(|| anyhow::anyhow!("{}: no base URL", service.name))?;
        Ok((flavour, base.trim_end_matches('/')))
    }
}

#[derive(Debug, Clone)]
pub struct Options {
    /// `nr`: how many of the latest builds to ask for.
    pub latest: u32,
    /// Rows a transaction.
    pub page_size: usize,
    /// Stop after this many pages (the next run resumes after them).
    pub max_pages: Option<usize>,
    /// Leave out builds finished before this.
    pub since: Option<DateTime<Utc>>,
    /// `/build/<id>` requests at a time, for rows lacking details.
    pub concurrency: usize,
    pub policy: Policy,
}

impl Default for Options {
    fn default() -> Self {
        Self { latest: 1000, page_size: 500, max_pages: None, since: None, concurrency: 8, policy: Policy::default() }
    }
}

/// What one run did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Summary {
    /// Rows in the service's answer.
    pub fetched: usize,
    /// Builds not finished yet (not stored).
    pub unfinished: usize,
    /// Finished builds already imported by an earlier run.
    pub already: usize,
    /// Rows inserted or changed.
    pub written: u64,
    /// Transactions committed.
    pub pages: usize,
    /// Finished builds past the cursor left for the next run (`max_pages`).
    pub left: usize,
    /// Finished builds left out because they finished before `since`.
    pub older: usize,
    /// Rows completed from `/build/<id>`.
    pub details: usize,
}

impl std::fmt::Display for Summary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} builds fetched: {} written in {} pages, {} imported before, {} not finished{}{}",
            self.fetched,
            self.written,
            self.pages,
            self.already,
            self.unfinished,
            if self.older > 0 { format!(", {} finished before --since", self.older) } else { String::new() },
            if self.left > 0 { format!(", {} left for the next run", self.left) } else { String::new() }
        )
    }
}

/// Where the last committed page stopped.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(default)]
pub struct Cursor {
    pub stoptime: i64,
    pub id: i64,
}

/// A row of the answer that is not a build as the API documents it.
#[derive(Debug, thiserror::Error)]
#[error("{service}: build {build}: field `{field}`: {message}")]
pub struct RowError {
    pub service: String,
    /// The build id, or `row N` when the row has none.
    pub build: String,
    pub field: String,
    pub message: String,
}

/// Imports the latest builds of Cuirass or Hydra `service`.
pub async fn import(
    pool: &PgPool,
    service: &Service,
    options: &Options,
    progress: &dyn Progress,
) -> anyhow::Result<Summary> {
    let (flavour, base) = Flavour::with_base(service, "latestbuilds importer")?;
    let url = format!("{base}/api/latestbuilds?nr={}", options.latest);
    progress.message(&format!("{}: fetching {url}", service.name));
    let client = Client::new(&service.name, options.policy.clone())?;
    let body = client.get(&url).await?;
    let mut values: Vec<Value> = serde_json::from_slice(&body)
        .map_err(|e| anyhow::anyhow!("{}: GET {url}: not a JSON array of builds: {e}", service.name))?;
    let mut summary = Summary { fetched: values.len(), ..Summary::default() };
    summary.details = super::details::fill(&client, &service.name, base, &mut values, options.concurrency).await?;

    // Validate everything before writing anything.
    let mut finished: HashMap<i64, (Cursor, BuildRow)> = HashMap::new();
    for (i, value) in values.iter().enumerate() {
        match parse(flavour, &service.name, base, i, value)? {
            None => summary.unfinished += 1,
            Some((_, row)) if options.since.is_some_and(|since| row.finished_at.is_some_and(|t| t < since)) => {
                summary.older += 1
            }
            Some((cursor, row)) => {
                // The same build twice in one answer: the later one wins.
                let keep = finished.get(&cursor.id).is_none_or(|(c, _)| *c <= cursor);
                if keep {
                    finished.insert(cursor.id, (cursor, row));
                }
            }
        }
    }
    let stored = cursor(pool, service.id).await?;
    let mut todo: Vec<(Cursor, BuildRow)> = finished.into_values().filter(|(c, _)| Some(*c) > stored).collect();
    summary.already = summary.fetched - summary.unfinished - summary.older - todo.len();
    todo.sort_by_key(|(c, _)| *c);

    progress.start(&format!("{}: importing", service.name), todo.len() as u64);
    let mut done = 0;
    let mut analyzer = super::stats::Analyzer::new(pool).await?;
    for page in todo.chunks(options.page_size.max(1)) {
        if options.max_pages.is_some_and(|max| summary.pages >= max) {
            break;
        }
        let rows: Vec<BuildRow> = page.iter().map(|(_, r)| r.clone()).collect();
        let last = page.last().map(|(c, _)| *c).unwrap_or_default();
        let mut tx = pool.begin().await?;
        let written = super::write(&mut tx, service, &rows).await?;
        super::cursor::save(&mut tx, service.id, &serde_json::to_value(last)?).await?;
        tx.commit().await?;
        summary.written += written;
        analyzer.wrote(pool, written).await?;
        summary.pages += 1;
        done += page.len();
        progress.set(done as u64);
    }
    progress.finish();
    summary.left = todo.len() - done;
    Ok(summary)
}

/// The cursor of `service`'s last committed page.
pub async fn cursor(pool: &PgPool, service_id: i64) -> anyhow::Result<Option<Cursor>> {
    // A service walked by evaluations only has no latest-builds cursor yet.
    let value = super::cursor::load(pool, service_id).await?.filter(|v| v.get("id").is_some());
    Ok(value.map(serde_json::from_value).transpose()?)
}

/// One row of `/api/latestbuilds`: `None` for a build not finished yet.
pub fn parse(
    flavour: Flavour,
    service: &str,
    base: &str,
    position: usize,
    value: &Value,
) -> Result<Option<(Cursor, BuildRow)>, RowError> {
    let id_value = value.get("id");
    let build = match id_value.and_then(Value::as_i64) {
        Some(id) => id.to_string(),
        None => format!("(row {position})"),
    };
    let error = |field: &str, message: String| RowError {
        service: service.to_string(),
        build: build.clone(),
        field: field.to_string(),
        message,
    };
    if !value.is_object() {
        return Err(error("", "not a JSON object".into()));
    }
    let id = match id_value {
        None => return Err(error("id", "missing".into())),
        Some(v) => v.as_i64().filter(|id| *id >= 0).ok_or_else(|| error("id", format!("not a build id: {v}")))?,
    };
    let text = |field: &str, required: bool| -> Result<Option<String>, RowError> {
        match value.get(field) {
            None | Some(Value::Null) if !required => Ok(None),
            None | Some(Value::Null) => Err(error(field, "missing".into())),
            Some(Value::String(s)) if s.len() > super::push::MAX_FIELD => {
                Err(error(field, format!("longer than {} bytes", super::push::MAX_FIELD)))
            }
            Some(Value::String(s)) if s.chars().any(char::is_control) => {
                Err(error(field, "contains control characters".into()))
            }
            Some(Value::String(s)) if s.is_empty() && required => Err(error(field, "empty".into())),
            Some(Value::String(s)) if s.is_empty() => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(other) => Err(error(field, format!("not a string: {other}"))),
        }
    };
    let integer = |field: &str| -> Result<Option<i64>, RowError> {
        match value.get(field) {
            None | Some(Value::Null) => Ok(None),
            Some(v) => v.as_i64().map(Some).ok_or_else(|| error(field, format!("not an integer: {v}"))),
        }
    };
    let time = |field: &str| -> Result<Option<DateTime<Utc>>, RowError> {
        match integer(field)? {
            None | Some(0) => Ok(None),
            Some(t) => DateTime::from_timestamp(t, 0)
                .filter(|_| t > 0)
                .map(Some)
                .ok_or_else(|| error(field, format!("not a time: {t}"))),
        }
    };
    let job = text("job", true)?.unwrap_or_default();
    // Hydra: a build not finished yet has `finished` 0 and no `buildstatus`.
    if integer("finished")? == Some(0) {
        return Ok(None);
    }
    let code = integer("buildstatus")?.ok_or_else(|| error("buildstatus", "missing".into()))?;
    let system = text("system", false)?;
    let nixname = text("nixname", false)?;
    let (started_at, finished_at) = (time("starttime")?, time("stoptime")?);
    // Hydra: the first of `jobsetevals`, when the answer has them.
    let eval_value = value.get("evaluation").or_else(|| value.get("jobsetevals").and_then(|e| e.get(0)));
    let evaluation = match eval_value {
        None | Some(Value::Null) => None,
        Some(Value::Number(n)) if n.is_i64() => Some(n.to_string()),
        Some(Value::String(s)) if !s.is_empty() && s.len() <= 100 => Some(s.clone()),
        Some(other) => return Err(error("evaluation", format!("not an evaluation id: {other}"))),
    };
    let Some(status) = Status::from_build_status(code) else { return Ok(None) };
    let job_less_system = match &system {
        Some(s) => job.strip_suffix(&format!(".{s}")).unwrap_or(&job).to_string(),
        None => job.clone(),
    };
    // hdf5-1.14.5 (nixname) or, without it, the job less its system: hdf5-1.14.5.x86_64-linux.
    let drv_name = nixname.clone().unwrap_or_else(|| job_less_system.clone());
    let (drv_package, version) = split_name_version(&drv_name);
    let name = match flavour {
        Flavour::Cuirass => drv_package.to_string(),
        Flavour::Hydra => job_less_system,
    };
    let cursor = Cursor { stoptime: finished_at.map(|t| t.timestamp()).unwrap_or(0), id };
    Ok(Some((
        cursor,
        BuildRow {
            external_id: id.to_string(),
            job,
            package_name: Some(name),
            version: version.map(str::to_string),
            system,
            target: None,
            compiler: None,
            status,
            service_status: code.to_string(),
            started_at,
            finished_at,
            log_url: Some(match flavour {
                Flavour::Cuirass => format!("{base}/build/{id}/log/raw"),
                Flavour::Hydra => format!("{base}/build/{id}/log"),
            }),
            build_url: Some(match flavour {
                Flavour::Cuirass => format!("{base}/build/{id}/details"),
                Flavour::Hydra => format!("{base}/build/{id}"),
            }),
            evaluation,
        },
    )))
}
