//! `pacatlas serve` runs the configured importers on a schedule:
//!
//! ```toml
//! [[ci.importers]]
//! kind = "cuirass"             # cuirass | hydra | gitlab
//! service = "berlin"
//! url = "https://ci.guix.gnu.org"
//! channel = "guix"
//! interval = "10m"             # humantime: 30s, 10m, 1h…
//! evaluations = true           # walk evaluations (Cuirass, Hydra) rather than the latest builds
//! # jobset = "nixpkgs/trunk"   # Hydra's PROJECT/JOBSET, for the evaluation walk
//! # latest = 1000              # latest builds, evaluations or pipelines read a run
//! # since = "30d"              # leave out what is older
//! # attempts = 5               # tries per request (5xx, 429, timeouts), with backoff
//! # timeout = "2m"             # per request
//! ```
//!
//! Each importer is its own task: it runs at start, then every `interval`
//! after the end of its previous run. A run that fails is logged and the
//! importer tries again at its next tick; the others go on.
use std::time::Duration;

use serde::{Deserialize, Serialize};
use sqlx::PgPool;
use tokio::task::JoinHandle;

use super::{
    fetch::Policy,
    import::{self, Request, Source},
    since,
};
use crate::ingest::progress::Silent;

/// The `ci` section of the configuration.
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct CiConfig {
    /// Importers `serve` runs on a schedule (`[[ci.importers]]`).
    #[serde(default)]
    pub importers: Vec<ImporterConfig>,
}

/// One scheduled importer.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ImporterConfig {
    pub kind: Source,
    pub service: String,
    pub url: String,
    pub channel: String,
    #[serde(default = "default_interval")]
    pub interval: String,
    #[serde(default = "default_latest")]
    pub latest: u32,
    #[serde(default)]
    pub evaluations: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub jobset: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub since: Option<String>,
    #[serde(default = "default_attempts")]
    pub attempts: u32,
    #[serde(default = "default_timeout")]
    pub timeout: String,
}

fn default_interval() -> String {
    "10m".into()
}
fn default_latest() -> u32 {
    1000
}
fn default_attempts() -> u32 {
    5
}
fn default_timeout() -> String {
    "2m".into()
}

/// The shortest interval accepted: a service is not to be hammered.
const MIN_INTERVAL: Duration = Duration::from_millis(100);

impl ImporterConfig {
    pub fn new(kind: Source, service: &str, url: &str, channel: &str) -> Self {
        Self {
            kind,
            service: service.into(),
            url: url.into(),
            channel: channel.into(),
            interval: default_interval(),
            latest: default_latest(),
            evaluations: false,
            jobset: None,
            since: None,
            attempts: default_attempts(),
            timeout: default_timeout(),
        }
    }

    pub fn interval(&self) -> Result<Duration, String> {
        let d = since::parse_duration(&self.interval)?;
        if d < MIN_INTERVAL {
            return Err(format!("{:?} is shorter than {}ms", self.interval, MIN_INTERVAL.as_millis()));
        }
        Ok(d)
    }

    /// The request of one run, `since` read against the time of the run.
    pub fn request(&self) -> Result<Request, String> {
        let timeout = since::parse_duration(&self.timeout)?;
        let mut request = Request::new(self.kind, &self.service, &self.url, &self.channel);
        request.latest = self.latest;
        request.evaluations = self.evaluations;
        request.jobset = self.jobset.clone();
        request.since = self.since.as_deref().map(|s| since::parse_since(s, chrono::Utc::now())).transpose()?;
        request.policy = Policy { attempts: self.attempts.max(1), total_timeout: timeout, ..Policy::default() };
        request.validate()?;
        Ok(request)
    }

    /// Checks every key; the error names the one that is wrong.
    pub fn validate(&self) -> Result<(), (&'static str, String)> {
        let name_ok = !self.service.is_empty()
            && self.service.len() <= 63
            && self.service.bytes().next().is_some_and(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
            && self.service.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"._-".contains(&b));
        if !name_ok {
            return Err(("service", "lower-case letters, digits, '.', '_' and '-', at most 63".into()));
        }
        let url_ok = (self.url.starts_with("http://") || self.url.starts_with("https://"))
            && url::Url::parse(&self.url).is_ok_and(|u| u.host().is_some());
        if !url_ok {
            return Err(("url", format!("{:?} is not an http(s) URL", self.url)));
        }
        if self.channel.is_empty() {
            return Err(("channel", "must not be empty".into()));
        }
        self.interval().map_err(|e| ("interval", e))?;
        since::parse_duration(&self.timeout).map_err(|e| ("timeout", e))?;
        if let Some(s) = &self.since {
            since::parse_since(s, chrono::Utc::now()).map_err(|e| ("since", e))?;
        }
        self.request().map_err(|e| ("jobset", e))?;
        Ok(())
    }
}

impl CiConfig {
    /// Checks the importers; the error names the key (`ci.importers[1].url`).
    pub fn validate(&self) -> Result<(), String> {
        let mut names = std::collections::HashSet::new();
        for (i, importer) in self.importers.iter().enumerate() {
            importer.validate().map_err(|(key, e)| format!("key `ci.importers[{i}].{key}`: {e}"))?;
            if !names.insert(importer.service.as_str()) {
                return Err(format!("key `ci.importers[{i}].service`: {:?} is configured twice", importer.service));
            }
        }
        Ok(())
    }
}

/// Starts one task per importer of `config`.
pub fn spawn(pool: PgPool, config: &CiConfig) -> Vec<JoinHandle<()>> {
    config
        .importers
        .iter()
        .cloned()
        .map(|importer| {
            let pool = pool.clone();
            tokio::spawn(async move { run_forever(pool, importer).await })
        })
        .collect()
}

async fn run_forever(pool: PgPool, importer: ImporterConfig) {
    let interval = importer.interval().unwrap_or(Duration::from_secs(600));
    tracing::info!(service = %importer.service, kind = ?importer.kind, interval = %importer.interval,
        "scheduled CI importer");
    loop {
        let started = std::time::Instant::now();
        let outcome = match importer.request() {
            Ok(request) => import::run(&pool, &request, &Silent).await,
            Err(e) => Err(anyhow::anyhow!("{}: {e}", importer.service)),
        };
        match outcome {
            Ok(summary) => tracing::info!(service = %importer.service,
                secs = started.elapsed().as_secs_f64(), "CI import: {summary}"),
            Err(e) => tracing::warn!(service = %importer.service, error = format!("{e:#}"),
                "CI import failed; trying again at the next tick"),
        }
        tokio::time::sleep(interval).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn importer_keys_are_checked_naming_the_key() {
        let good = ImporterConfig::new(Source::Cuirass, "berlin", "https://ci.guix.gnu.org", "guix");
        let config = |i: ImporterConfig| CiConfig { importers: vec![good.clone(), i] };
        assert_eq!(config(ImporterConfig { service: "b2".into(), ..good.clone() }).validate(), Ok(()));
        let cases = [
            (ImporterConfig { url: "ftp://x".into(), ..good.clone() }, "ci.importers[1].url"),
            (ImporterConfig { interval: "soon".into(), ..good.clone() }, "ci.importers[1].interval"),
            (ImporterConfig { interval: "1ms".into(), ..good.clone() }, "ci.importers[1].interval"),
            (ImporterConfig { service: "Berlin!".into(), ..good.clone() }, "ci.importers[1].service"),
            (ImporterConfig { since: Some("yesterday".into()), ..good.clone() }, "ci.importers[1].since"),
            (
                ImporterConfig { kind: Source::Hydra, evaluations: true, service: "h".into(), ..good.clone() },
                "ci.importers[1].jobset",
            ),
            (good.clone(), "configured twice"),
        ];
        for (importer, expected) in cases {
            let e = config(importer).validate().unwrap_err();
            assert!(e.contains(expected), "{expected}: {e}");
        }
    }
}
