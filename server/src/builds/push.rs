//! The push API's batch: `{"service": NAME, "builds": [ … ]}`, every row
//! validated before anything is written; one wrong row refuses the batch.
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::{BuildRow, Status};

/// Rows one request may carry.
pub const MAX_ROWS: usize = 1000;
/// Longest text field, in bytes.
pub const MAX_FIELD: usize = 500;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Batch {
    pub service: String,
    pub builds: Vec<Value>,
}

/// One row as a client sends it.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PushedBuild {
    /// The service's own build id (the batch is idempotent on it).
    pub id: String,
    /// The job's name as the service says it.
    pub job: String,
    /// The package's name in the channel; default: the job's name.
    pub package: Option<String>,
    pub version: Option<String>,
    /// e.g. x86_64-linux
    pub system: Option<String>,
    /// micro-architecture, e.g. x86_64_v3
    pub target: Option<String>,
    pub compiler: Option<String>,
    /// succeeded, failed, dependency-failed, timed-out, cancelled or other
    pub status: String,
    /// RFC 3339
    pub started_at: Option<String>,
    /// RFC 3339
    pub finished_at: Option<String>,
    pub log_url: Option<String>,
    pub build_url: Option<String>,
    /// The evaluation or commit the build belongs to.
    pub evaluation: Option<String>,
}

/// Why one row was refused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct RowError {
    /// The row's position in `builds`, from 0.
    pub row: usize,
    /// The row's build id, when it has one.
    pub id: Option<String>,
    pub field: String,
    pub message: String,
}

fn text(row: usize, id: &Option<String>, field: &str, value: Option<String>) -> Result<Option<String>, RowError> {
    let Some(value) = value else { return Ok(None) };
    let error = |message: String| RowError { row, id: id.clone(), field: field.into(), message };
    if value.trim().is_empty() {
        return Err(error("must not be empty (leave it out instead)".into()));
    }
    if value.len() > MAX_FIELD {
        return Err(error(format!("longer than {MAX_FIELD} bytes")));
    }
    if value.chars().any(char::is_control) {
        return Err(error("contains control characters".into()));
    }
    Ok(Some(value))
}

fn url(row: usize, id: &Option<String>, field: &str, value: Option<String>) -> Result<Option<String>, RowError> {
    let value = text(row, id, field, value)?;
    if let Some(v) = &value {
        match url::Url::parse(v) {
            Ok(u) if matches!(u.scheme(), "http" | "https") => {}
            _ => {
                return Err(RowError {
                    row,
                    id: id.clone(),
                    field: field.into(),
                    message: "must be an http or https URL".into(),
                })
            }
        }
    }
    Ok(value)
}

fn time(
    row: usize,
    id: &Option<String>,
    field: &str,
    value: Option<String>,
) -> Result<Option<DateTime<Utc>>, RowError> {
    value
        .map(|v| {
            DateTime::parse_from_rfc3339(&v).map(|t| t.with_timezone(&Utc)).map_err(|e| RowError {
                row,
                id: id.clone(),
                field: field.into(),
                message: format!("not an RFC 3339 time: {e}"),
            })
        })
        .transpose()
}

/// Validates one row (at position `row`).
pub fn validate(row: usize, value: Value) -> Result<BuildRow, RowError> {
    let raw_id = value.get("id").and_then(Value::as_str).map(str::to_string);
    let pushed: PushedBuild = serde_path_to_error::deserialize(value).map_err(|e| {
        let path = e.path().to_string();
        let field = if path == "." { String::new() } else { path };
        RowError { row, id: raw_id.clone(), field, message: e.into_inner().to_string() }
    })?;
    let id = Some(pushed.id.clone());
    let external_id = text(row, &id, "id", Some(pushed.id))?.unwrap_or_default();
    let job = text(row, &id, "job", Some(pushed.job))?.unwrap_or_default();
    let status = Status::parse(&pushed.status).ok_or_else(|| RowError {
        row,
        id: id.clone(),
        field: "status".into(),
        message: format!(
            "unknown status {:?}: one of {}",
            pushed.status,
            super::status::ALL.map(Status::as_str).join(", ")
        ),
    })?;
    let started_at = time(row, &id, "started_at", pushed.started_at)?;
    let finished_at = time(row, &id, "finished_at", pushed.finished_at)?;
    if let (Some(s), Some(f)) = (started_at, finished_at) {
        if f < s {
            return Err(RowError { row, id, field: "finished_at".into(), message: "before started_at".into() });
        }
    }
    Ok(BuildRow {
        package_name: Some(text(row, &id, "package", pushed.package)?.unwrap_or_else(|| job.clone())),
        external_id,
        job,
        version: text(row, &id, "version", pushed.version)?,
        system: text(row, &id, "system", pushed.system)?,
        target: text(row, &id, "target", pushed.target)?,
        compiler: text(row, &id, "compiler", pushed.compiler)?,
        service_status: status.as_str().to_string(),
        status,
        started_at,
        finished_at,
        log_url: url(row, &id, "log_url", pushed.log_url)?,
        build_url: url(row, &id, "build_url", pushed.build_url)?,
        evaluation: text(row, &id, "evaluation", pushed.evaluation)?,
    })
}

/// Validates every row: all of them, or every error (a repeated id too).
pub fn validate_all(values: Vec<Value>) -> Result<Vec<BuildRow>, Vec<RowError>> {
    let mut rows = Vec::with_capacity(values.len());
    let mut errors = Vec::new();
    let mut seen = std::collections::HashMap::new();
    for (i, value) in values.into_iter().enumerate() {
        match validate(i, value) {
            Ok(row) => {
                if let Some(first) = seen.insert(row.external_id.clone(), i) {
                    errors.push(RowError {
                        row: i,
                        id: Some(row.external_id.clone()),
                        field: "id".into(),
                        message: format!("the same id as row {first}"),
                    });
                }
                rows.push(row);
            }
            Err(e) => errors.push(e),
        }
    }
    if errors.is_empty() {
        Ok(rows)
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn a_full_row_is_accepted() {
        let row = validate(
            0,
            json!({"id": "42", "job": "hdf5", "version": "1.14.5", "system": "x86_64-linux", "status": "failed",
                   "started_at": "2026-01-01T10:00:00Z", "finished_at": "2026-01-01T10:05:00+01:00",
                   "log_url": "https://ci.example.org/log/42"}),
        );
        // 10:05+01:00 is before 10:00Z.
        assert_eq!(row.unwrap_err().field, "finished_at");
        let row = validate(0, json!({"id": "42", "job": "hdf5", "status": "timed-out"})).unwrap();
        assert_eq!(row.package_name.as_deref(), Some("hdf5"));
        assert_eq!(row.status, Status::TimedOut);
    }

    #[test]
    fn errors_name_the_row_the_id_and_the_field() {
        let cases = [
            (json!({"id": "1", "job": "x", "status": "green"}), "status"),
            (json!({"id": "1", "job": "x", "status": "failed", "started_at": "yesterday"}), "started_at"),
            (json!({"id": "1", "job": "x", "status": "failed", "log_url": "javascript:alert(1)"}), "log_url"),
            (json!({"id": "1", "job": "", "status": "failed"}), "job"),
            (json!({"id": "1", "job": "x", "status": "failed", "colour": "red"}), "colour"),
            (json!({"id": "1", "job": 3, "status": "failed"}), "job"),
        ];
        for (value, field) in cases {
            let e = validate(7, value.clone()).unwrap_err();
            assert_eq!((e.row, e.id.as_deref(), e.field.as_str()), (7, Some("1"), field), "{value}: {e:?}");
        }
        let e = validate(0, json!({"job": "x", "status": "failed"})).unwrap_err();
        assert!(e.message.contains("id"), "{e:?}");
    }

    #[test]
    fn repeated_ids_are_refused() {
        let rows = vec![
            json!({"id": "1", "job": "a", "status": "failed"}),
            json!({"id": "1", "job": "b", "status": "failed"}),
        ];
        let errors = validate_all(rows).unwrap_err();
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].row, 1);
    }
}
