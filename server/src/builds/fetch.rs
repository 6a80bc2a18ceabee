//! GET JSON from a CI service: connect and total timeouts, a bounded
//! answer, retries with exponential backoff on 5xx, 429 and transport
//! errors, honouring `Retry-After` (seconds or an HTTP date, capped).
use std::time::Duration;

use futures_util::StreamExt;
use reqwest::{header::RETRY_AFTER, StatusCode};

/// How hard to try.
#[derive(Debug, Clone)]
pub struct Policy {
    pub connect_timeout: Duration,
    /// For one attempt: connecting, waiting and reading the whole answer.
    pub total_timeout: Duration,
    /// Attempts in all (at least 1).
    pub attempts: u32,
    /// The first wait; doubled after each failed attempt.
    pub backoff: Duration,
    /// The longest wait, `Retry-After` included.
    pub max_wait: Duration,
    pub max_bytes: usize,
}

impl Default for Policy {
    fn default() -> Self {
        Self {
            connect_timeout: Duration::from_secs(10),
            total_timeout: Duration::from_secs(120),
            attempts: 5,
            backoff: Duration::from_secs(1),
            max_wait: Duration::from_secs(120),
            max_bytes: 256 << 20,
        }
    }
}

/// A fetch that failed for good, naming the service and the URL.
#[derive(Debug, thiserror::Error)]
#[error("{service}: GET {url}: {message}")]
pub struct FetchError {
    pub service: String,
    pub url: String,
    pub message: String,
    /// The HTTP status that ended it, when one did.
    pub status: Option<u16>,
}

pub struct Client {
    http: reqwest::Client,
    policy: Policy,
    service: String,
}

enum Attempt {
    Done(Vec<u8>),
    /// Worth another try, after at least this long (Retry-After), if said.
    Retry(String, Option<Duration>),
    Fail(String),
    /// A 4xx other than 429: not worth another try.
    Refused(StatusCode),
}

impl Client {
    pub fn new(service: &str, policy: Policy) -> Result<Self, FetchError> {
        let http = reqwest::Client::builder()
            .user_agent(concat!("pacatlas/", env!("CARGO_PKG_VERSION")))
            .connect_timeout(policy.connect_timeout)
            .timeout(policy.total_timeout)
            .build()
            .map_err(|e| FetchError {
                service: service.into(),
                url: String::new(),
                message: format!("HTTP client: {e}"),
                status: None,
            })?;
        Ok(Self { http, policy, service: service.into() })
    }

    /// The body of `url`, after as many attempts as the policy allows.
    pub async fn get(&self, url: &str) -> Result<Vec<u8>, FetchError> {
        let mut wait = self.policy.backoff;
        let attempts = self.policy.attempts.max(1);
        let mut attempt = 0;
        loop {
            attempt += 1;
            match self.attempt(url).await {
                Attempt::Done(body) => return Ok(body),
                Attempt::Fail(why) => return Err(self.error(url, why)),
                Attempt::Refused(status) => {
                    return Err(FetchError {
                        status: Some(status.as_u16()),
                        ..self.error(url, format!("HTTP {status}"))
                    })
                }
                Attempt::Retry(why, _) if attempt >= attempts => {
                    return Err(self.error(url, format!("{why} (gave up after {attempts} attempts)")))
                }
                Attempt::Retry(why, retry_after) => {
                    let pause = retry_after.unwrap_or(wait).min(self.policy.max_wait);
                    tracing::warn!(service = %self.service, %url, attempt, error = %why,
                        wait_secs = pause.as_secs_f64(), "retrying");
                    tokio::time::sleep(pause).await;
                    wait = (wait * 2).min(self.policy.max_wait);
                }
            }
        }
    }

    fn error(&self, url: &str, message: String) -> FetchError {
        FetchError { service: self.service.clone(), url: url.into(), message, status: None }
    }

    async fn attempt(&self, url: &str) -> Attempt {
        let response = match self.http.get(url).header("accept", "application/json").send().await {
            Ok(r) => r,
            Err(e) if e.is_timeout() => return Attempt::Retry(format!("timed out: {e}"), None),
            Err(e) if e.is_builder() => return Attempt::Fail(format!("invalid URL: {e}")),
            Err(e) => return Attempt::Retry(format!("request failed: {e}"), None),
        };
        let status = response.status();
        if status == StatusCode::TOO_MANY_REQUESTS || status.is_server_error() {
            let after = response.headers().get(RETRY_AFTER).and_then(|v| v.to_str().ok()).and_then(retry_after);
            return Attempt::Retry(format!("HTTP {status}"), after);
        }
        if !status.is_success() {
            return Attempt::Refused(status);
        }
        if response.content_length().is_some_and(|n| n > self.policy.max_bytes as u64) {
            return Attempt::Fail(format!("answer larger than {} bytes", self.policy.max_bytes));
        }
        let mut body = Vec::new();
        let mut stream = response.bytes_stream();
        while let Some(chunk) = stream.next().await {
            match chunk {
                Ok(c) => body.extend_from_slice(&c),
                Err(e) if e.is_timeout() => return Attempt::Retry(format!("timed out reading the answer: {e}"), None),
                Err(e) => return Attempt::Retry(format!("answer interrupted: {e}"), None),
            }
            if body.len() > self.policy.max_bytes {
                return Attempt::Fail(format!("answer larger than {} bytes", self.policy.max_bytes));
            }
        }
        Attempt::Done(body)
    }
}

/// `Retry-After`: delay-seconds or an HTTP date.
pub fn retry_after(value: &str) -> Option<Duration> {
    let value = value.trim();
    if let Ok(secs) = value.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let when = chrono::DateTime::parse_from_rfc2822(value).ok()?;
    let secs = (when.timestamp() - chrono::Utc::now().timestamp()).max(0);
    Some(Duration::from_secs(secs as u64))
}

#[cfg(test)]
mod tests {
    use super::retry_after;
    use std::time::Duration;

    #[test]
    fn retry_after_takes_seconds_or_a_date() {
        assert_eq!(retry_after("3"), Some(Duration::from_secs(3)));
        assert_eq!(retry_after("Wed, 21 Oct 2015 07:28:00 GMT"), Some(Duration::ZERO));
        assert_eq!(retry_after("soon"), None);
    }
}
