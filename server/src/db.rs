//! The PostgreSQL pool and the embedded migrations.
use std::time::Duration;

use sqlx::{
    migrate::Migrator,
    postgres::{PgConnectOptions, PgPoolOptions},
    PgPool,
};

use crate::config::Config;

/// Every migration under `migrations/`, embedded in the binary.
pub static MIGRATOR: Migrator = sqlx::migrate!("../migrations");

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("cannot connect to the database at {url}: {source}")]
    Connect { url: String, source: sqlx::Error },
    #[error("database migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
}

/// Connects with the configured pool size and timeout, for commands (ingest,
/// demo, reindex): their statements may run long.
pub async fn connect(config: &Config) -> anyhow::Result<PgPool> {
    connect_with(config, None).await
}

/// Connects for `serve`: every statement is cancelled by PostgreSQL after
/// `db_statement_timeout_ms`, so no request waits on a runaway query.
pub async fn connect_serving(config: &Config) -> anyhow::Result<PgPool> {
    connect_with(config, Some(config.db_statement_timeout_ms).filter(|ms| *ms > 0)).await
}

async fn connect_with(config: &Config, statement_timeout_ms: Option<u64>) -> anyhow::Result<PgPool> {
    let url = config.require_database_url()?;
    let options: PgConnectOptions = url.parse().map_err(|source| DbError::Connect { url: redact(url), source })?;
    // Short queries only: JIT compilation costs more than it saves here.
    let options = options.options([("jit", "off")]);
    let options = match statement_timeout_ms {
        Some(ms) => options.options([("statement_timeout", ms.to_string())]),
        None => options,
    };
    PgPoolOptions::new()
        .max_connections(config.db_max_connections)
        .acquire_timeout(Duration::from_secs(config.db_connect_timeout_secs))
        .connect_with(options)
        .await
        .map_err(|source| DbError::Connect { url: redact(url), source }.into())
}

/// Applies pending migrations; already applied ones are skipped.
pub async fn migrate(pool: &PgPool) -> Result<(), DbError> {
    MIGRATOR.run(pool).await?;
    Ok(())
}

/// A database URL without its password, for messages and logs.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let userinfo = &url[scheme + 3..at];
            match userinfo.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..scheme + 3], &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::redact;

    #[test]
    fn redact_hides_the_password_only() {
        assert_eq!(redact("postgres://u:secret@h:5432/d"), "postgres://u:***@h:5432/d");
        assert_eq!(redact("postgres://u@h/d"), "postgres://u@h/d");
        assert_eq!(redact("postgres://h/d"), "postgres://h/d");
    }
}
