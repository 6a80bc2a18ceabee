//! `archival check --request-save`: asks Software Heritage to archive the
//! git, svn and hg origins whose check found them missing ("save code now"),
//! off by default, at most `limit` a run, one at a time (the client's rate
//! limiting applies), never the same origin twice within `not_within`; every
//! request is recorded in `archival_save_requests` with the answer.
use std::{fmt, time::Duration};

use sqlx::PgPool;

use super::client::Client;

#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct SaveSummary {
    pub requested: u64,
    /// Accepted or pending review (Software Heritage's words).
    pub accepted: u64,
    pub rejected: u64,
    pub failed: u64,
}

impl fmt::Display for SaveSummary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} save requests: {} accepted or pending, {} rejected, {} failed",
            self.requested, self.accepted, self.rejected, self.failed
        )
    }
}

/// Requests saves of missing origins (of `channel` when given: `name` or `ecosystem/name`).
pub async fn request_saves(
    pool: &PgPool,
    client: &Client,
    channel: Option<&str>,
    limit: i64,
    not_within: Duration,
) -> anyhow::Result<SaveSummary> {
    let origins: Vec<(String, String)> = sqlx::query_as(
        "SELECT DISTINCT s.git_url, s.origin_type
         FROM sources s JOIN packages p ON p.id = s.package_id JOIN channels c ON c.id = p.channel_id
         JOIN archival_checks a ON a.key = s.archival_key AND a.status = 'missing' AND NOT a.demo
         WHERE NOT p.removed AND s.origin_type IN ('git', 'svn', 'hg') AND s.git_url ~ '^https?://'
           AND ($1::text IS NULL OR c.name = $1 OR c.ecosystem || '/' || c.name = $1)
           AND NOT EXISTS (SELECT 1 FROM archival_save_requests r WHERE r.origin_url = s.git_url
                           AND r.requested_at > now() - make_interval(secs => $3))
         ORDER BY s.git_url
         LIMIT $2",
    )
    .bind(channel)
    .bind(limit.max(0))
    .bind(not_within.as_secs_f64())
    .fetch_all(pool)
    .await?;
    let mut summary = SaveSummary::default();
    for (url, visit_type) in origins {
        let (status, error) = match client.save(&visit_type, &url).await {
            Ok(status) => (Some(status), None),
            Err(e) => (None, Some(e.0)),
        };
        summary.requested += 1;
        match status.as_deref() {
            Some("accepted" | "pending") => summary.accepted += 1,
            Some(_) => summary.rejected += 1,
            None => summary.failed += 1,
        }
        sqlx::query(
            "INSERT INTO archival_save_requests (origin_url, visit_type, requested_at, request_status, error)
             VALUES ($1, $2, now(), $3, $4)
             ON CONFLICT (origin_url) DO UPDATE SET visit_type = EXCLUDED.visit_type, requested_at = now(),
                 request_status = EXCLUDED.request_status, error = EXCLUDED.error",
        )
        .bind(&url)
        .bind(&visit_type)
        .bind(status)
        .bind(error)
        .execute(pool)
        .await?;
    }
    Ok(summary)
}
