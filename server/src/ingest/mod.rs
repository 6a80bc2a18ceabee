//! Ingest: read a channel revision from one or more inputs (one module per
//! format), normalise it, and write it to the catalog in one transaction.
pub mod failures;
mod fold;
pub mod guix;
pub mod input;
pub mod json;
pub mod nix;
pub mod progress;
pub mod spack;

use std::time::{Duration, Instant};

use serde::Serialize;
use sqlx::PgPool;

use crate::catalog::{self, model::PackageRecord, write::RunInfo, Ecosystem};
pub use fold::fold;
pub use progress::Progress;

#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    /// The input as a whole (cannot read, too large, not JSON).
    #[error("{file}: {message}")]
    Input { file: String, message: String },
    /// A place in the input.
    #[error("{file}: {}at {path}{}: {message}",
        record.as_ref().map(|r| format!("{r}: ")).unwrap_or_default(),
        if *line > 0 { format!(" (line {line}, column {column})") } else { String::new() })]
    Record { file: String, record: Option<String>, path: String, line: usize, column: usize, message: String },
    #[error("{0}")]
    Invalid(String),
    #[error("database error while writing the channel (nothing was changed): {0}")]
    Database(#[from] sqlx::Error),
}

impl IngestError {
    pub fn input(file: &str, message: String) -> Self {
        IngestError::Input { file: file.to_string(), message }
    }
}

/// Bounds on what one ingest accepts.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    pub max_bytes: u64,
    pub max_packages: usize,
    /// A download that sends nothing for this long is abandoned.
    pub read_timeout: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Self { max_bytes: 2 << 30, max_packages: 1_000_000, read_timeout: Duration::from_secs(60) }
    }
}

pub struct Request {
    pub ecosystem: Ecosystem,
    pub channel: String,
    pub channel_url: Option<String>,
    pub revision: Option<String>,
    pub sources: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct Summary {
    pub ecosystem: Ecosystem,
    pub channel: String,
    pub revision: String,
    pub packages: usize,
    pub added: usize,
    pub updated: usize,
    pub removed: usize,
    pub unchanged: usize,
    /// Names whose stored data changed (for the search index).
    pub changed: Vec<String>,
    pub warnings: Vec<String>,
    pub wrote: bool,
    pub duration: Duration,
}

impl std::fmt::Display for Summary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}/{} at {}: {} packages: {} added, {} updated, {} removed, {} unchanged{} in {:.2}s",
            self.ecosystem,
            self.channel,
            self.revision,
            self.packages,
            self.added,
            self.updated,
            self.removed,
            self.unchanged,
            if self.wrote { "" } else { " (nothing written)" },
            self.duration.as_secs_f64()
        )?;
        for w in &self.warnings {
            write!(f, "\nwarning: {w}")?;
        }
        Ok(())
    }
}

/// Channel names as the database accepts them.
pub fn valid_channel_name(name: &str) -> bool {
    let b = name.as_bytes();
    !b.is_empty()
        && b.len() <= 63
        && (b[0].is_ascii_lowercase() || b[0].is_ascii_digit())
        && b.iter().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, b'.' | b'_' | b'-'))
}

/// Runs one ingest: all inputs are read and checked before anything is
/// written; the write is one transaction. A failure is recorded in the
/// channel's history (outside the catalog, which stays as it was).
pub async fn run(pool: &PgPool, limits: Limits, req: Request, progress: &dyn Progress) -> Result<Summary, IngestError> {
    let started = Instant::now();
    check_channel_name(&req.channel)?;
    if req.sources.is_empty() {
        return Err(IngestError::Invalid("no input given".into()));
    }

    let mut inputs = Vec::new();
    for source in &req.sources {
        progress.message(&format!("reading {}", input::display_name(source)));
        match input::read(source, limits.max_bytes, limits.read_timeout).await {
            Ok(i) => inputs.push(i),
            Err(e) => {
                failures::record(pool, &req, req.revision.as_deref(), &inputs_meta(&inputs), &e, chrono::Utc::now())
                    .await;
                return Err(e);
            }
        }
    }
    run_inputs(pool, limits, req, inputs, progress, started).await
}

fn check_channel_name(name: &str) -> Result<(), IngestError> {
    if valid_channel_name(name) {
        return Ok(());
    }
    Err(IngestError::Invalid(format!(
        "channel name {name:?} is not valid: use lower-case letters, digits, '.', '_' and '-' (at most 63)"
    )))
}

/// The inputs as the ingest history lists them (no server paths).
fn inputs_meta(inputs: &[input::Input]) -> serde_json::Value {
    serde_json::Value::Array(
        inputs
            .iter()
            .map(
                |i| serde_json::json!({ "name": input::display_name(&i.name), "sha256": i.sha256, "bytes": i.raw_len }),
            )
            .collect(),
    )
}

/// Ingests inputs already in memory (the embedded demo data set, tests).
/// A failure is recorded in the channel's history.
#[tracing::instrument(name = "ingest", skip_all, fields(ecosystem = ?req.ecosystem, channel = %req.channel))]
pub async fn run_inputs(
    pool: &PgPool,
    limits: Limits,
    req: Request,
    inputs: Vec<input::Input>,
    progress: &dyn Progress,
    started: Instant,
) -> Result<Summary, IngestError> {
    let started_at = chrono::Utc::now() - chrono::Duration::from_std(started.elapsed()).unwrap_or_default();
    check_channel_name(&req.channel)?;
    let meta = inputs_meta(&inputs);
    let (sources, revision) = (req.sources.clone(), req.revision.clone());
    let ecosystem = req.ecosystem;
    let channel = req.channel.clone();
    match ingest_inputs(pool, limits, req, inputs, meta.clone(), progress, started, started_at).await {
        Ok(summary) => Ok(summary),
        Err(e) => {
            let req = Request { ecosystem, channel, channel_url: None, revision, sources };
            failures::record(pool, &req, req.revision.as_deref(), &meta, &e, started_at).await;
            Err(e)
        }
    }
}

#[allow(clippy::too_many_arguments)]
async fn ingest_inputs(
    pool: &PgPool,
    limits: Limits,
    req: Request,
    inputs: Vec<input::Input>,
    inputs_meta: serde_json::Value,
    progress: &dyn Progress,
    started: Instant,
    started_at: chrono::DateTime<chrono::Utc>,
) -> Result<Summary, IngestError> {
    progress.message("parsing");
    let ecosystem = req.ecosystem;
    let (inputs, parsed) = tokio::task::spawn_blocking(move || {
        let parsed = parse_all(ecosystem, &inputs);
        (inputs, parsed)
    })
    .await
    .map_err(|e| IngestError::Invalid(format!("parser failed: {e}")))?;
    let (packages, input_revision, mut warnings) = parsed?;
    let (packages, fold_warnings) = fold(packages);
    warnings.extend(fold_warnings);
    if packages.len() > limits.max_packages {
        return Err(IngestError::Invalid(format!(
            "{} packages is more than the limit of {} (ingest_max_packages)",
            packages.len(),
            limits.max_packages
        )));
    }

    let revision = req.revision.clone().or(input_revision).unwrap_or_else(|| {
        // No revision named: the inputs' content names it.
        let joined: String = inputs.iter().map(|i| i.sha256.as_str()).collect();
        format!(
            "sha256:{}",
            &hex::encode(sha2::Digest::finalize(sha2::Digest::chain_update(
                <sha2::Sha256 as sha2::Digest>::new(),
                joined.as_bytes()
            )))[..16]
        )
    });
    drop(inputs);

    progress.start("writing", packages.len() as u64);
    let outcome = catalog::write::apply(
        pool,
        ecosystem,
        &req.channel,
        &packages,
        RunInfo {
            revision: &revision,
            channel_url: req.channel_url.as_deref(),
            inputs: inputs_meta,
            warnings: &warnings,
            started_at,
        },
        &|done| progress.set(done as u64),
    )
    .await?;
    progress.finish();
    Ok(Summary {
        ecosystem,
        channel: req.channel,
        revision,
        packages: packages.len(),
        added: outcome.added,
        updated: outcome.updated,
        removed: outcome.removed,
        unchanged: outcome.unchanged,
        changed: outcome.changed,
        warnings,
        wrote: outcome.wrote,
        duration: started.elapsed(),
    })
}

type Parsed = (Vec<PackageRecord>, Option<String>, Vec<String>);

fn parse_all(ecosystem: Ecosystem, inputs: &[input::Input]) -> Result<Parsed, IngestError> {
    let mut packages = Vec::new();
    let mut revision = None;
    let mut warnings = Vec::new();
    let mut guix_sources = Vec::new();
    for input in inputs {
        match ecosystem {
            Ecosystem::Spack => {
                let (p, commit) = spack::parse(input)?;
                json::check_no_nul(input, &p, false)?;
                packages.extend(p);
                revision = revision.or(commit);
            }
            Ecosystem::Nix => {
                let p = nix::parse(input)?;
                json::check_no_nul(input, &p, true)?;
                packages.extend(p);
            }
            Ecosystem::Guix => match guix::parse(input)? {
                guix::GuixInput::Packages(p) => {
                    json::check_no_nul(input, &p, false)?;
                    packages.extend(p);
                }
                guix::GuixInput::Sources { revision: r, sources } => {
                    revision = revision.or(r);
                    guix_sources.push((input.name.clone(), sources));
                }
            },
        }
    }
    for (name, sources) in guix_sources {
        let unmatched = guix::apply_sources(&mut packages, &sources);
        if unmatched > 0 {
            warnings.push(format!("{name}: {unmatched} of {} sources match no package's origin", sources.len()));
        }
    }
    Ok((packages, revision, warnings))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn channel_names() {
        assert!(valid_channel_name("guix-science"));
        assert!(valid_channel_name("nixos-25.05"));
        assert!(!valid_channel_name("Guix"));
        assert!(!valid_channel_name(""));
        assert!(!valid_channel_name("a/b"));
    }
}
