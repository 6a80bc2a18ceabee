//! The GitLab CI importer, for Spack's pipelines: the finished pipelines of
//! a project (`GET {project}/pipelines?order_by=id&sort=desc&page=N&per_page=M`)
//! and their jobs (`GET {project}/pipelines/{id}/jobs?page=N&per_page=M`),
//! where `{project}` is the project's API URL
//! (`https://gitlab.spack.io/api/v4/projects/2`). A job's name carries the
//! spec it built: `hdf5@1.14.5 /abcdefg %gcc@11.4.0 arch=linux-ubuntu22.04-x86_64_v3`,
//! parsed into package, version, compiler, system (`linux-ubuntu22.04`) and
//! target (`x86_64_v3`); jobs whose name is no spec (`generate`,
//! `rebuild-index`) are not package builds and are skipped.
//!
//! The cursor is the id of the newest pipeline imported. A run reads the
//! pipelines newer than it (newest first, until it reaches it), then
//! imports them oldest first, one transaction per pipeline (all its jobs,
//! and the cursor). It stops before the first pipeline still running, so
//! that none of its jobs is passed over.
//!
//! `since` asks GitLab for the pipelines updated after it (`updated_after`)
//! and leaves out, here too, pipelines last updated and jobs finished before it.
use chrono::{DateTime, Utc};
use serde_json::Value;
use sqlx::PgPool;

use super::{
    fetch::{Client, Policy},
    BuildRow, Service, Status,
};
use crate::ingest::Progress;

#[derive(Debug, Clone)]
pub struct Options {
    pub per_page: u32,
    /// Pipelines to read at most in one run (the newest ones).
    pub max_pipelines: usize,
    /// Leave out pipelines last updated, and jobs finished, before this.
    pub since: Option<DateTime<Utc>>,
    pub policy: Policy,
}

impl Default for Options {
    fn default() -> Self {
        Self { per_page: 100, max_pipelines: 1000, since: None, policy: Policy::default() }
    }
}

#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Summary {
    pub pipelines: usize,
    pub jobs: usize,
    /// Jobs whose name is no spec, and jobs not finished.
    pub skipped: usize,
    pub written: u64,
    /// Pipelines left for a later run (one still running, and those after it).
    pub waiting: usize,
}

impl std::fmt::Display for Summary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} pipelines, {} jobs: {} written, {} skipped (no spec or not finished), {} pipelines still running or after one",
            self.pipelines, self.jobs, self.written, self.skipped, self.waiting
        )
    }
}

/// A Spack spec as a CI job names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Spec {
    pub name: String,
    pub version: Option<String>,
    pub compiler: Option<String>,
    /// `platform-os`, e.g. linux-ubuntu22.04.
    pub system: Option<String>,
    /// The micro-architecture, e.g. x86_64_v3.
    pub target: Option<String>,
}

/// Parses `hdf5@1.14.5 /abcdefg %gcc@11.4.0 arch=linux-ubuntu22.04-x86_64_v3`;
/// `None` when the name is no spec (it has no `name@version` first).
pub fn parse_spec(job: &str) -> Option<Spec> {
    let mut words = job.split_whitespace();
    let (name, version) = words.next()?.split_once('@')?;
    let valid_name = !name.is_empty()
        && name.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'-' | b'_' | b'.'));
    if !valid_name || version.is_empty() {
        return None;
    }
    let mut spec =
        Spec { name: name.into(), version: Some(version.into()), compiler: None, system: None, target: None };
    for word in words {
        if let Some(c) = word.strip_prefix('%') {
            spec.compiler = Some(c.to_string());
        } else if let Some(arch) = word.strip_prefix("arch=") {
            // platform-os-target: the target is after the second '-'.
            let mut parts = arch.splitn(3, '-');
            match (parts.next(), parts.next(), parts.next()) {
                (Some(p), Some(os), Some(t)) => {
                    spec.system = Some(format!("{p}-{os}"));
                    spec.target = Some(t.to_string());
                }
                _ => spec.system = Some(arch.to_string()),
            }
        }
    }
    Some(spec)
}

fn get_json(body: &[u8], service: &str, url: &str) -> anyhow::Result<Vec<Value>> {
    serde_json::from_slice(body).map_err(|e| anyhow::anyhow!("{service}: GET {url}: not a JSON array: {e}"))
}

fn field_error(service: &str, what: &str, id: &str, field: &str, message: &str) -> anyhow::Error {
    anyhow::anyhow!("{service}: {what} {id}: field `{field}`: {message}")
}

/// Imports the finished pipelines of GitLab `service` newer than its cursor.
pub async fn import(
    pool: &PgPool,
    service: &Service,
    options: &Options,
    progress: &dyn Progress,
) -> anyhow::Result<Summary> {
    let project = service.base_url.as_deref().ok_or_else(|| anyhow::anyhow!("{}: no project URL", service.name))?;
    let project = project.trim_end_matches('/');
    let client = Client::new(&service.name, options.policy.clone())?;
    let cursor: Option<i64> =
        sqlx::query_scalar("SELECT (cursor->>'pipeline')::bigint FROM ci_import_state WHERE service_id = $1")
            .bind(service.id)
            .fetch_optional(pool)
            .await?
            .flatten();
    // Newest first, down to the cursor.
    let mut pipelines: Vec<(i64, String, Option<String>)> = Vec::new();
    let updated_after = options
        .since
        .map(|t| format!("&updated_after={}", t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)))
        .unwrap_or_default();
    'pages: for page in 1.. {
        let url = format!(
            "{project}/pipelines?order_by=id&sort=desc&page={page}&per_page={}{updated_after}",
            options.per_page
        );
        let rows = get_json(&client.get(&url).await?, &service.name, &url)?;
        let last_page = rows.len() < options.per_page as usize;
        let mut all_older = !rows.is_empty();
        for p in rows {
            let id = p.get("id").and_then(Value::as_i64);
            let Some(id) = id else {
                return Err(field_error(&service.name, "pipeline", "?", "id", "missing or not an integer"));
            };
            if cursor.is_some_and(|c| id <= c) || pipelines.len() >= options.max_pipelines {
                break 'pages;
            }
            let status = p.get("status").and_then(Value::as_str).ok_or_else(|| {
                field_error(&service.name, "pipeline", &id.to_string(), "status", "missing or not a string")
            })?;
            let updated = time(&service.name, &id.to_string(), &p, "updated_at")?;
            if options.since.is_some_and(|since| updated.is_some_and(|u| u < since)) {
                continue;
            }
            all_older = false;
            let sha = p.get("sha").and_then(Value::as_str).map(str::to_string);
            pipelines.push((id, status.to_string(), sha));
        }
        if last_page || all_older {
            break;
        }
    }
    pipelines.reverse();
    let mut summary = Summary::default();
    progress.start(&format!("{}: importing pipelines", service.name), pipelines.len() as u64);
    let mut analyzer = super::stats::Analyzer::new(pool).await?;
    for (n, (id, status, sha)) in pipelines.iter().enumerate() {
        if !matches!(status.as_str(), "success" | "failed" | "canceled" | "skipped") {
            summary.waiting = pipelines.len() - n;
            break;
        }
        let mut rows = Vec::new();
        for page in 1.. {
            let url = format!("{project}/pipelines/{id}/jobs?page={page}&per_page={}", options.per_page);
            let jobs = get_json(&client.get(&url).await?, &service.name, &url)?;
            let last_page = jobs.len() < options.per_page as usize;
            for job in &jobs {
                summary.jobs += 1;
                match job_row(&service.name, job, sha.as_deref())? {
                    Some(row) if options.since.is_some_and(|s| row.finished_at.is_some_and(|t| t < s)) => {
                        summary.skipped += 1
                    }
                    Some(row) => rows.push(row),
                    None => summary.skipped += 1,
                }
            }
            if last_page {
                break;
            }
        }
        // A job listed twice (pages shifting under a running project): keep one.
        rows.sort_by(|a, b| a.external_id.cmp(&b.external_id));
        rows.dedup_by(|a, b| a.external_id == b.external_id);
        let mut tx = pool.begin().await?;
        let written = super::write(&mut tx, service, &rows).await?;
        super::cursor::save(&mut tx, service.id, &serde_json::json!({ "pipeline": id })).await?;
        tx.commit().await?;
        summary.written += written;
        analyzer.wrote(pool, written).await?;
        summary.pipelines += 1;
        progress.set(summary.pipelines as u64);
    }
    progress.finish();
    Ok(summary)
}

fn time(service: &str, id: &str, item: &Value, field: &str) -> anyhow::Result<Option<DateTime<Utc>>> {
    let what = if field == "updated_at" { "pipeline" } else { "job" };
    match item.get(field) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => DateTime::parse_from_rfc3339(s)
            .map(|t| Some(t.with_timezone(&Utc)))
            .map_err(|e| field_error(service, what, id, field, &format!("not an ISO 8601 time: {e}"))),
        Some(other) => Err(field_error(service, what, id, field, &format!("not a time: {other}"))),
    }
}

/// One job: `None` when it built no spec or has not finished.
fn job_row(service: &str, job: &Value, sha: Option<&str>) -> anyhow::Result<Option<BuildRow>> {
    let id = job
        .get("id")
        .and_then(Value::as_i64)
        .ok_or_else(|| field_error(service, "job", "?", "id", "missing or not an integer"))?
        .to_string();
    let text = |field: &str| -> anyhow::Result<Option<String>> {
        match job.get(field) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) if s.len() <= super::push::MAX_FIELD && !s.chars().any(char::is_control) => {
                Ok(Some(s.clone()))
            }
            Some(other) => Err(field_error(service, "job", &id, field, &format!("not a short string: {other}"))),
        }
    };
    let name = text("name")?.ok_or_else(|| field_error(service, "job", &id, "name", "missing"))?;
    let gitlab_status = text("status")?.ok_or_else(|| field_error(service, "job", &id, "status", "missing"))?;
    let failure_reason = text("failure_reason")?;
    let status = Status::from_gitlab(&gitlab_status, failure_reason.as_deref())
        .map_err(|e| field_error(service, "job", &id, "status", &e))?;
    let (Some(status), Some(spec)) = (status, parse_spec(&name)) else { return Ok(None) };
    let web_url = text("web_url")?;
    Ok(Some(BuildRow {
        external_id: id.clone(),
        job: name,
        package_name: Some(spec.name),
        version: spec.version,
        system: spec.system,
        target: spec.target,
        compiler: spec.compiler,
        status,
        service_status: gitlab_status,
        started_at: time(service, &id, job, "started_at")?,
        finished_at: time(service, &id, job, "finished_at")?,
        log_url: web_url.as_ref().map(|u| format!("{u}/raw")),
        build_url: web_url,
        evaluation: sha.map(str::to_string),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spack_job_names_are_specs() {
        let spec = parse_spec("hdf5@1.14.5 /abcdefg %gcc@11.4.0 arch=linux-ubuntu22.04-x86_64_v3 E4S").unwrap();
        assert_eq!(
            spec,
            Spec {
                name: "hdf5".into(),
                version: Some("1.14.5".into()),
                compiler: Some("gcc@11.4.0".into()),
                system: Some("linux-ubuntu22.04".into()),
                target: Some("x86_64_v3".into()),
            }
        );
        let spec = parse_spec("py-numpy@2.2.4 /x arch=linux-rhel8-neoverse_v2").unwrap();
        assert_eq!((spec.name.as_str(), spec.target.as_deref()), ("py-numpy", Some("neoverse_v2")));
        assert_eq!(parse_spec("rebuild-index"), None);
        assert_eq!(parse_spec("generate"), None);
        assert_eq!(parse_spec("@1.0"), None);
        assert_eq!(parse_spec("Weird@1"), None);
    }
}
