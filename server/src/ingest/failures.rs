//! Failed ingests, recorded after the ingest's transaction was rolled back
//! (in `ingest_failures`, outside the catalog tables), so the channel page
//! can show them while the catalog stays exactly as it was.
use sqlx::PgPool;

use super::{input::display_name, IngestError, Request};

/// What an ingest failure says, with every source named as the history
/// shows it (a file name or a URL without credentials, never a server path).
#[derive(Debug, PartialEq)]
pub struct Failure {
    pub file: Option<String>,
    pub record: Option<String>,
    pub place: Option<String>,
    pub error: String,
}

impl Failure {
    pub fn of(error: &IngestError, sources: &[String]) -> Self {
        let clean = |text: &str| {
            // Longest first, so that a source that contains another is replaced whole.
            let mut by_length: Vec<&String> = sources.iter().collect();
            by_length.sort_by_key(|s| std::cmp::Reverse(s.len()));
            by_length.into_iter().fold(text.to_string(), |t, s| t.replace(s.as_str(), &display_name(s)))
        };
        let (file, record, place) = match error {
            IngestError::Input { file, .. } => (Some(clean(file)), None, None),
            IngestError::Record { file, record, path, .. } => (Some(clean(file)), record.clone(), Some(path.clone())),
            IngestError::Invalid(_) | IngestError::Database(_) => (None, None, None),
        };
        Failure { file, record, place, error: clean(&error.to_string()) }
    }
}

/// Records `error` for the channel of `req`. Best effort: a database that
/// cannot take it (it may be why the ingest failed) is logged, not raised,
/// so the caller still reports the ingest's own error.
pub async fn record(
    pool: &PgPool,
    req: &Request,
    revision: Option<&str>,
    inputs: &serde_json::Value,
    error: &IngestError,
    started_at: chrono::DateTime<chrono::Utc>,
) {
    if !super::valid_channel_name(&req.channel) {
        return;
    }
    let f = Failure::of(error, &req.sources);
    let written = sqlx::query(
        "INSERT INTO ingest_failures (ecosystem, channel, revision, inputs, file, record, place, error, started_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(req.ecosystem.as_str())
    .bind(&req.channel)
    .bind(revision)
    .bind(inputs)
    .bind(&f.file)
    .bind(&f.record)
    .bind(&f.place)
    .bind(&f.error)
    .bind(started_at)
    .execute(pool)
    .await;
    if let Err(e) = written {
        tracing::warn!(error = %e, "the failed ingest could not be recorded");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failures_name_files_without_their_directories() {
        let sources =
            vec!["/home/op/data/packages.json".to_string(), "https://u:pw@example.org/p.json?token=x".to_string()];
        let e = IngestError::Record {
            file: sources[0].clone(),
            record: Some("hdf5".into()),
            path: "versions[0].sha256".into(),
            line: 3,
            column: 7,
            message: "not a sha256".into(),
        };
        let f = Failure::of(&e, &sources);
        assert_eq!(f.file.as_deref(), Some("packages.json"));
        assert_eq!(f.record.as_deref(), Some("hdf5"));
        assert!(f.error.starts_with("packages.json: hdf5: at versions[0].sha256"), "{}", f.error);
        assert!(!f.error.contains("/home/op"));
        let e = IngestError::input(&sources[1], "download failed: HTTP 500".into());
        let f = Failure::of(&e, &sources);
        assert_eq!(f.file.as_deref(), Some("https://example.org/p.json"));
        assert!(!f.error.contains("pw") && !f.error.contains("token"), "{}", f.error);
    }
}
