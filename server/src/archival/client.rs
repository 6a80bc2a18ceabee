//! A client of Software Heritage's public Web API (`/api/1/…`): content by
//! sha256, external identifiers (nar-sha256, checksum-sha256, hg-nodeid),
//! revisions and an origin's latest visit with a snapshot.
//!
//! It bounds its concurrency (a semaphore), times out slow answers, retries
//! 429, 5xx and transport errors with exponential backoff (honouring
//! `Retry-After`), and when `X-RateLimit-Remaining` reaches 0 every request
//! waits for `X-RateLimit-Reset`. The token (a secret) is sent as a bearer
//! token and never logged.
use std::{
    sync::atomic::{AtomicU64, Ordering},
    time::Duration,
};

use reqwest::{header::RETRY_AFTER, Method, StatusCode};
use serde::Deserialize;
use tokio::{sync::Semaphore, time::Instant};

use crate::config::Secret;

/// How the client talks to the archive.
#[derive(Debug, Clone)]
pub struct Options {
    /// The API root, e.g. `https://archive.softwareheritage.org/api/1/`.
    pub base_url: String,
    pub token: Option<Secret>,
    pub connect_timeout: Duration,
    /// For one attempt: connecting, waiting and reading the answer.
    pub timeout: Duration,
    /// Attempts per request (at least 1).
    pub attempts: u32,
    /// The first wait after a failed attempt; doubled after each.
    pub backoff: Duration,
    /// The longest wait (Retry-After and rate-limit resets included).
    pub max_wait: Duration,
    /// Requests in flight at once.
    pub concurrency: usize,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            base_url: "https://archive.softwareheritage.org/api/1/".into(),
            token: None,
            connect_timeout: Duration::from_secs(10),
            timeout: Duration::from_secs(30),
            attempts: 4,
            backoff: Duration::from_secs(1),
            max_wait: Duration::from_secs(300),
            concurrency: 8,
        }
    }
}

/// A lookup that failed for good.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{0}")]
pub struct LookupError(pub String);

pub struct Client {
    http: reqwest::Client,
    base: String,
    options: Options,
    permits: Semaphore,
    /// No request starts before this (a rate-limit reset or Retry-After).
    not_before: std::sync::Mutex<Option<Instant>>,
    requests: AtomicU64,
}

enum Attempt {
    Done(Option<Vec<u8>>),
    Retry(String, Option<Duration>),
    Fail(String),
}

/// Keeps what may stand in a URL path as it is (an origin URL keeps its
/// `:` and `/`), percent-encodes the rest.
fn encode_path(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~:/@!$&'()*+,;=".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

impl Client {
    pub fn new(options: Options) -> Result<Self, LookupError> {
        let http = reqwest::Client::builder()
            .user_agent(concat!("pacatlas/", env!("CARGO_PKG_VERSION")))
            .connect_timeout(options.connect_timeout)
            .timeout(options.timeout)
            .build()
            .map_err(|e| LookupError(format!("HTTP client: {e}")))?;
        let mut base = options.base_url.trim().to_string();
        if !(base.starts_with("http://") || base.starts_with("https://")) {
            return Err(LookupError(format!("the Software Heritage API URL must be http(s): {base:?}")));
        }
        if !base.ends_with('/') {
            base.push('/');
        }
        Ok(Self {
            http,
            base,
            permits: Semaphore::new(options.concurrency.max(1)),
            options,
            not_before: std::sync::Mutex::new(None),
            requests: AtomicU64::new(0),
        })
    }

    /// Lookups in flight at once.
    pub fn concurrency(&self) -> usize {
        self.options.concurrency.max(1)
    }

    /// HTTP requests sent so far (retries included).
    pub fn requests(&self) -> u64 {
        self.requests.load(Ordering::Relaxed)
    }

    /// `swh:1:rev:…` when the archive holds git commit `sha1`.
    pub async fn revision(&self, sha1: &str) -> Result<Option<String>, LookupError> {
        #[derive(Deserialize)]
        struct Revision {
            id: String,
        }
        let found: Option<Revision> = self.get(&format!("revision/{sha1}/")).await?;
        found.map(|r| swhid("rev", &r.id)).transpose()
    }

    /// The SWHID an external identifier points to (`nar-sha256`,
    /// `checksum-sha256`, `hg-nodeid`), given in hexadecimal.
    pub async fn extid(&self, kind: &str, hex: &str) -> Result<Option<String>, LookupError> {
        #[derive(Deserialize)]
        struct ExtId {
            target: String,
        }
        // Guix and Nix identifiers must be asked for in version 1 (the API's documentation).
        let version = if kind == "hg-nodeid" { "" } else { "?extid_version=1" };
        let found: Option<ExtId> = self.get(&format!("extid/{kind}/hex:{hex}/{version}")).await?;
        match found {
            Some(e) if super::valid_swhid(&e.target) => Ok(Some(e.target)),
            Some(e) => Err(LookupError(format!("malformed answer: target {:?} is not a SWHID", e.target))),
            None => Ok(None),
        }
    }

    /// `swh:1:cnt:…` when the archive holds a file of this sha256.
    pub async fn content_sha256(&self, hex: &str) -> Result<Option<String>, LookupError> {
        #[derive(Deserialize)]
        struct Checksums {
            sha1_git: String,
        }
        #[derive(Deserialize)]
        struct Content {
            checksums: Checksums,
        }
        let found: Option<Content> = self.get(&format!("content/sha256:{hex}/")).await?;
        found.map(|c| swhid("cnt", &c.checksums.sha1_git)).transpose()
    }

    /// `swh:1:snp:…` of the latest visit of `origin` that has a snapshot.
    pub async fn origin_visit(&self, origin: &str) -> Result<Option<String>, LookupError> {
        #[derive(Deserialize)]
        struct Visit {
            snapshot: Option<String>,
        }
        let path = format!("origin/{}/visit/latest/?require_snapshot=true", encode_path(origin));
        let found: Option<Visit> = self.get(&path).await?;
        match found {
            Some(Visit { snapshot: Some(s) }) => swhid("snp", &s).map(Some),
            Some(Visit { snapshot: None }) => Ok(None),
            None => Ok(None),
        }
    }

    /// Asks Software Heritage to archive `origin` now ("save code now",
    /// `POST /api/1/origin/save/<visit_type>/url/<origin>/`); returns its
    /// `save_request_status` (accepted, pending, rejected).
    pub async fn save(&self, visit_type: &str, origin: &str) -> Result<String, LookupError> {
        #[derive(Deserialize)]
        struct Saved {
            save_request_status: String,
        }
        let path = format!("origin/save/{visit_type}/url/{}/", encode_path(origin));
        let Some(body) = self.fetch(Method::POST, &path).await? else {
            return Err(LookupError(format!("POST {path}: HTTP 404 Not Found")));
        };
        serde_json::from_slice::<Saved>(&body)
            .map(|s| s.save_request_status)
            .map_err(|e| LookupError(format!("malformed answer to {path}: {e}")))
    }

    /// GETs `path` (under the API root): `None` on 404, the decoded JSON otherwise.
    async fn get<T: serde::de::DeserializeOwned>(&self, path: &str) -> Result<Option<T>, LookupError> {
        let Some(body) = self.fetch(Method::GET, path).await? else { return Ok(None) };
        serde_json::from_slice(&body).map(Some).map_err(|e| LookupError(format!("malformed answer to {path}: {e}")))
    }

    async fn fetch(&self, method: Method, path: &str) -> Result<Option<Vec<u8>>, LookupError> {
        let _permit = self.permits.acquire().await.map_err(|e| LookupError(e.to_string()))?;
        let url = format!("{}{path}", self.base);
        let attempts = self.options.attempts.max(1);
        let mut wait = self.options.backoff;
        let mut attempt = 0;
        loop {
            attempt += 1;
            self.wait_turn().await;
            match self.attempt(method.clone(), &url).await {
                Attempt::Done(body) => return Ok(body),
                Attempt::Fail(why) => return Err(LookupError(format!("{method} {path}: {why}"))),
                Attempt::Retry(why, _) if attempt >= attempts => {
                    return Err(LookupError(format!("{method} {path}: {why} (gave up after {attempts} attempts)")))
                }
                Attempt::Retry(why, after) => {
                    let pause = after.unwrap_or(wait).min(self.options.max_wait);
                    tracing::debug!(%path, attempt, error = %why, wait_secs = pause.as_secs_f64(), "retrying");
                    tokio::time::sleep(pause).await;
                    wait = (wait * 2).min(self.options.max_wait);
                }
            }
        }
    }

    /// Waits while the rate limit says so.
    async fn wait_turn(&self) {
        let until = *self.not_before.lock().expect("lock");
        if let Some(until) = until {
            tokio::time::sleep_until(until).await;
        }
    }

    fn hold_until(&self, pause: Duration) {
        let until = Instant::now() + pause.min(self.options.max_wait);
        let mut slot = self.not_before.lock().expect("lock");
        if slot.is_none_or(|t| t < until) {
            *slot = Some(until);
        }
    }

    async fn attempt(&self, method: Method, url: &str) -> Attempt {
        self.requests.fetch_add(1, Ordering::Relaxed);
        let mut request = self.http.request(method, url).header("accept", "application/json");
        if let Some(token) = &self.options.token {
            request = request.bearer_auth(token.expose());
        }
        let response = match request.send().await {
            Ok(r) => r,
            Err(e) if e.is_timeout() => return Attempt::Retry("timed out".into(), None),
            Err(e) if e.is_builder() => return Attempt::Fail(format!("invalid URL: {}", e.without_url())),
            Err(e) => return Attempt::Retry(format!("request failed: {}", e.without_url()), None),
        };
        let headers = response.headers();
        let number =
            |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).and_then(|v| v.trim().parse::<i64>().ok());
        let reset_in = number("x-ratelimit-reset").map(|reset| {
            Duration::from_secs(u64::try_from(reset - chrono::Utc::now().timestamp()).unwrap_or(0).max(1))
        });
        if number("x-ratelimit-remaining") == Some(0) {
            self.hold_until(reset_in.unwrap_or(self.options.backoff));
        }
        let status = response.status();
        if status == StatusCode::TOO_MANY_REQUESTS || status.is_server_error() {
            let after = headers
                .get(RETRY_AFTER)
                .and_then(|v| v.to_str().ok())
                .and_then(crate::builds::fetch::retry_after)
                .or(if status == StatusCode::TOO_MANY_REQUESTS { reset_in } else { None });
            if status == StatusCode::TOO_MANY_REQUESTS {
                self.hold_until(after.unwrap_or(self.options.backoff));
            }
            return Attempt::Retry(format!("HTTP {status}"), after);
        }
        if status == StatusCode::NOT_FOUND {
            return Attempt::Done(None);
        }
        if !status.is_success() {
            return Attempt::Fail(format!("HTTP {status}"));
        }
        match response.bytes().await {
            Ok(body) => Attempt::Done(Some(body.to_vec())),
            Err(e) if e.is_timeout() => Attempt::Retry("timed out reading the answer".into(), None),
            Err(e) => Attempt::Retry(format!("answer interrupted: {}", e.without_url()), None),
        }
    }
}

fn swhid(kind: &str, hash: &str) -> Result<String, LookupError> {
    let id = format!("swh:1:{kind}:{hash}");
    if super::valid_swhid(&id) {
        Ok(id)
    } else {
        Err(LookupError(format!("malformed answer: {hash:?} is not a sha1_git")))
    }
}

#[cfg(test)]
mod tests {
    use super::encode_path;

    #[test]
    fn origin_urls_keep_their_scheme_and_slashes() {
        assert_eq!(encode_path("https://github.com/a/b.git"), "https://github.com/a/b.git");
        assert_eq!(encode_path("https://x.org/a b?c#d"), "https://x.org/a%20b%3Fc%23d");
    }
}
