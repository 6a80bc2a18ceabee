//! `pacatlas serve` runs the archival check on a schedule when
//! `archival_check_interval_hours` is set: once per interval, the sources not
//! checked within `archival_stale_after_days` are checked (as `pacatlas
//! archival check` would). A PostgreSQL advisory lock makes sure that of
//! several servers, one checks at a time.
use std::time::Duration;

use sqlx::PgPool;

use super::{check, client::Client};
use crate::{config::Config, ingest::progress::Silent};

/// The advisory lock key of the archival check ("swh" in ASCII).
const LOCK: i64 = 0x0073_7768;

/// Runs one scheduled check unless another server holds the lock; `None` when it did not run.
pub async fn run_once(
    pool: &PgPool,
    client: &Client,
    options: &check::Options,
) -> anyhow::Result<Option<check::Summary>> {
    let mut conn = pool.acquire().await?;
    let locked: bool = sqlx::query_scalar("SELECT pg_try_advisory_lock($1)").bind(LOCK).fetch_one(&mut *conn).await?;
    if !locked {
        return Ok(None);
    }
    let result = check::run(pool, client, options, &Silent).await;
    sqlx::query("SELECT pg_advisory_unlock($1)").bind(LOCK).execute(&mut *conn).await?;
    result.map(Some)
}

/// Starts the schedule when the configuration asks for one.
pub fn spawn(pool: PgPool, config: &Config) {
    if config.archival_check_interval_hours == 0 {
        return;
    }
    let interval = Duration::from_secs(config.archival_check_interval_hours * 3600);
    let options = check::Options {
        stale_after: Duration::from_secs(config.archival_stale_after_days * 86_400),
        ..Default::default()
    };
    let client = match Client::new(config.swh_options()) {
        Ok(c) => c,
        Err(e) => {
            tracing::error!(error = %e, "archival schedule not started");
            return;
        }
    };
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(interval);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            match run_once(&pool, &client, &options).await {
                Ok(Some(summary)) => tracing::info!(%summary, "scheduled archival check"),
                Ok(None) => tracing::info!("scheduled archival check skipped: another server is running one"),
                Err(e) => tracing::warn!(error = %e, "scheduled archival check failed"),
            }
        }
    });
}
