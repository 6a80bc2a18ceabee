//! `serve` keeps the criticality current: every `every`, when the catalog
//! generation moved since the stored computation (an ingest, a sponsorship,
//! a claim, CI results…), it is recomputed — unless another process is
//! computing it (then this round skips).
use std::time::Duration;

use sqlx::PgPool;

use crate::ingest::progress::Silent;

pub fn spawn(pool: PgPool, every: Duration) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        loop {
            tokio::time::sleep(every).await;
            match super::compute::generations(&pool).await {
                Ok((Some(done), current)) if done >= current => continue,
                Ok(_) => {}
                Err(e) => {
                    tracing::warn!(error = %e, "cannot read the catalog generation; criticality not refreshed");
                    continue;
                }
            }
            match super::recompute(&pool, &Silent).await {
                Ok(super::Outcome::Done(summary)) => tracing::info!(%summary, "criticality recomputed"),
                Ok(super::Outcome::Skipped) => tracing::info!("criticality being computed elsewhere; skipped"),
                Err(e) => tracing::warn!(error = %e, "criticality recomputation failed"),
            }
        }
    })
}
