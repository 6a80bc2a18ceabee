//! One import of a polling CI service, however it is started (`pacatlas ci
//! import`, or `serve`'s schedule): the service is added or updated, one
//! import of it runs at a time (a PostgreSQL advisory lock, held by the
//! connection: a killed process releases it), and the right walk is chosen:
//! Cuirass and Hydra latest builds or evaluations, GitLab pipelines.
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sqlx::PgPool;

use super::{cuirass, evaluations, fetch::Policy, gitlab, Kind};
use crate::{catalog::Ecosystem, ingest::Progress};

/// The services an importer exists for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Source {
    Cuirass,
    Hydra,
    Gitlab,
}

impl Source {
    pub fn kind(self) -> Kind {
        match self {
            Source::Cuirass => Kind::Cuirass,
            Source::Hydra => Kind::Hydra,
            Source::Gitlab => Kind::Gitlab,
        }
    }

    pub fn ecosystem(self) -> Ecosystem {
        match self {
            Source::Cuirass => Ecosystem::Guix,
            Source::Hydra => Ecosystem::Nix,
            Source::Gitlab => Ecosystem::Spack,
        }
    }
}

/// What to import, and how.
#[derive(Debug, Clone)]
pub struct Request {
    pub source: Source,
    /// The service's name in Pacatlas.
    pub service: String,
    pub url: String,
    pub channel: String,
    /// Latest builds (Cuirass, Hydra), evaluations or pipelines to read.
    pub latest: u32,
    /// Walk evaluations (Cuirass, Hydra) rather than the latest builds.
    pub evaluations: bool,
    /// Hydra's `PROJECT/JOBSET`, for the evaluation walk.
    pub jobset: Option<String>,
    pub since: Option<DateTime<Utc>>,
    pub policy: Policy,
}

impl Request {
    pub fn new(source: Source, service: &str, url: &str, channel: &str) -> Self {
        Self {
            source,
            service: service.into(),
            url: url.into(),
            channel: channel.into(),
            latest: 1000,
            evaluations: false,
            jobset: None,
            since: None,
            policy: Policy::default(),
        }
    }

    /// Checks what the walks cannot: a Hydra evaluation walk needs its jobset.
    pub fn validate(&self) -> Result<(), String> {
        if self.evaluations && self.source == Source::Gitlab {
            return Err("GitLab has no evaluations: it is read pipeline by pipeline".into());
        }
        match (&self.jobset, self.source, self.evaluations) {
            (None, Source::Hydra, true) => Err("walking Hydra evaluations needs --jobset PROJECT/JOBSET".into()),
            (Some(j), _, _) => match j.split_once('/') {
                Some((p, s)) if !p.is_empty() && !s.is_empty() && !s.contains('/') && valid_segment(p, s) => Ok(()),
                _ => Err(format!("jobset {j:?} is not PROJECT/JOBSET")),
            },
            _ => Ok(()),
        }
    }
}

fn valid_segment(project: &str, jobset: &str) -> bool {
    [project, jobset]
        .iter()
        .all(|s| s.len() <= 100 && s.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.')))
}

/// The summary line of one import.
pub async fn run(pool: &PgPool, request: &Request, progress: &dyn Progress) -> anyhow::Result<String> {
    request.validate().map_err(|e| anyhow::anyhow!("{}: {e}", request.service))?;
    let service = super::ensure_service(
        pool,
        &request.service,
        request.source.kind(),
        Some(&request.url),
        request.source.ecosystem(),
        &request.channel,
    )
    .await?;
    // One import of a service at a time, across processes and machines.
    let mut lock = pool.acquire().await?;
    let key = format!("pacatlas ci import {}", service.id);
    let locked: bool =
        sqlx::query_scalar("SELECT pg_try_advisory_lock(hashtext($1))").bind(&key).fetch_one(&mut *lock).await?;
    if !locked {
        anyhow::bail!("{}: another import of this service is running; try again when it is done", service.name);
    }
    let outcome = walk(pool, &service, request, progress).await;
    let unlocked = sqlx::query("SELECT pg_advisory_unlock(hashtext($1))").bind(&key).execute(&mut *lock).await;
    if unlocked.is_err() {
        // The lock goes with the connection: do not give it back to the pool.
        lock.detach();
    }
    outcome.map(|summary| format!("{}: {summary}", service.name))
}

async fn walk(
    pool: &PgPool,
    service: &super::Service,
    request: &Request,
    progress: &dyn Progress,
) -> anyhow::Result<String> {
    Ok(match (request.source, request.evaluations) {
        (Source::Gitlab, _) => {
            let options = gitlab::Options {
                max_pipelines: request.latest as usize,
                since: request.since,
                policy: request.policy.clone(),
                ..Default::default()
            };
            gitlab::import(pool, service, &options, progress).await?.to_string()
        }
        (_, true) => {
            let options = evaluations::Options {
                evaluations: request.latest,
                jobset: request.jobset.as_deref().and_then(|j| j.split_once('/')).map(|(p, j)| (p.into(), j.into())),
                since: request.since,
                policy: request.policy.clone(),
                ..Default::default()
            };
            evaluations::import(pool, service, &options, progress).await?.to_string()
        }
        (_, false) => {
            let options = cuirass::Options {
                latest: request.latest,
                since: request.since,
                policy: request.policy.clone(),
                ..Default::default()
            };
            cuirass::import(pool, service, &options, progress).await?.to_string()
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_request_says_what_it_lacks() {
        let mut r = Request::new(Source::Hydra, "hydra", "http://h", "nixos");
        assert!(r.validate().is_ok());
        r.evaluations = true;
        assert!(r.validate().unwrap_err().contains("--jobset"));
        r.jobset = Some("nixpkgs/trunk".into());
        assert!(r.validate().is_ok());
        r.jobset = Some("nixpkgs/../x".into());
        assert!(r.validate().unwrap_err().contains("PROJECT/JOBSET"));
        let mut g = Request::new(Source::Gitlab, "spack", "http://g", "builtin");
        g.evaluations = true;
        assert!(g.validate().unwrap_err().contains("pipeline"));
    }
}
