//! Planner statistics of `build_results` kept current during an import.
//!
//! The summary triggers on `build_results` (migration 0010) look builds up
//! per package with plans chosen from the table's statistics; an import that
//! grows the table from nothing to a million rows faster than autovacuum
//! re-analyses it leaves the planner believing the table tiny, and it then
//! picks plans 40 times slower (measured: 61 s instead of 1.6 s for one
//! evaluation of 10,000 builds). So an import analyses the table itself
//! whenever it has written as many rows as the table held at the last
//! analysis (and at least `MIN_ROWS`): a few times per import, each a sample.
use sqlx::PgPool;

const MIN_ROWS: u64 = 5_000;

#[derive(Debug)]
pub struct Analyzer {
    since_last: u64,
    threshold: u64,
}

impl Analyzer {
    /// Starts from the table's size as the statistics say it.
    pub async fn new(pool: &PgPool) -> sqlx::Result<Self> {
        let rows: f32 = sqlx::query_scalar("SELECT reltuples FROM pg_class WHERE oid = 'build_results'::regclass")
            .fetch_one(pool)
            .await?;
        Ok(Self { since_last: 0, threshold: (rows.max(0.0) as u64).max(MIN_ROWS) })
    }

    /// Counts `written` rows (committed); analyses the table once enough were.
    pub async fn wrote(&mut self, pool: &PgPool, written: u64) -> sqlx::Result<()> {
        self.since_last += written;
        if self.since_last >= self.threshold {
            sqlx::query("ANALYZE build_results").execute(pool).await?;
            let rows: f32 = sqlx::query_scalar("SELECT reltuples FROM pg_class WHERE oid = 'build_results'::regclass")
                .fetch_one(pool)
                .await?;
            self.threshold = (rows.max(0.0) as u64).max(MIN_ROWS);
            self.since_last = 0;
        }
        Ok(())
    }
}
