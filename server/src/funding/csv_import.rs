//! Many sponsorships at once from CSV (header `app::api::funding::CSV_HEADER`,
//! columns in any order, `note` and `source_url` and `ends_on` may be
//! empty). Every row is checked and its funder and target looked up; when
//! any row is wrong nothing is written and every wrong row is reported
//! (row number as in the file, the header being row 1, and the field).
//! One transaction, one audit entry (`sponsorship.imported`).
use serde_json::json;
use sqlx::PgPool;

use super::model::SponsorshipInput;
use super::write::{insert, WriteError};
use crate::accounts::audit;

/// Rows one import may hold.
pub const MAX_ROWS: usize = 10_000;
/// Errors reported at most (the rest are counted).
pub const MAX_ERRORS: usize = 100;

/// A wrong row.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct RowError {
    /// The line's row in the file (the header is row 1).
    pub row: usize,
    /// The column, when one is to blame.
    pub field: Option<String>,
    pub message: String,
}

impl std::fmt::Display for RowError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.field {
            Some(field) => write!(f, "row {}, {}: {}", self.row, field, self.message),
            None => write!(f, "row {}: {}", self.row, self.message),
        }
    }
}

#[derive(Debug)]
pub enum ImportError {
    /// Nothing written: these rows are wrong.
    Rows(Vec<RowError>),
    Db(sqlx::Error),
}

const COLUMNS: [&str; 9] =
    ["funder", "target", "amount", "currency", "in_kind", "starts_on", "ends_on", "note", "source_url"];
const REQUIRED: [&str; 3] = ["funder", "target", "starts_on"];

/// Parses the file into inputs (row number, input), or the errors.
pub fn parse(text: &str) -> Result<Vec<(usize, SponsorshipInput)>, Vec<RowError>> {
    let mut reader = csv::ReaderBuilder::new().flexible(false).trim(csv::Trim::All).from_reader(text.as_bytes());
    let header_err = |m: String| vec![RowError { row: 1, field: None, message: m }];
    let headers = reader.headers().map_err(|e| header_err(format!("the header cannot be read: {e}")))?.clone();
    let mut index = [usize::MAX; 9];
    for (i, h) in headers.iter().enumerate() {
        let h = h.trim_start_matches('\u{feff}');
        match COLUMNS.iter().position(|c| *c == h) {
            Some(k) if index[k] == usize::MAX => index[k] = i,
            Some(_) => return Err(header_err(format!("column {h:?} is given twice"))),
            None => return Err(header_err(format!("unknown column {h:?} (the columns are {})", COLUMNS.join(",")))),
        }
    }
    for r in REQUIRED {
        if index[COLUMNS.iter().position(|c| *c == r).unwrap_or(0)] == usize::MAX {
            return Err(header_err(format!("the column {r:?} is missing")));
        }
    }
    let mut rows = Vec::new();
    let mut errors = Vec::new();
    for (n, record) in reader.records().enumerate() {
        let row = n + 2;
        if rows.len() >= MAX_ROWS {
            errors.push(RowError { row, field: None, message: format!("at most {MAX_ROWS} rows per import") });
            break;
        }
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                errors.push(RowError { row, field: None, message: format!("not a CSV row of this header: {e}") });
                continue;
            }
        };
        let get = |k: usize| {
            if index[k] == usize::MAX {
                String::new()
            } else {
                record.get(index[k]).unwrap_or("").to_string()
            }
        };
        rows.push((
            row,
            SponsorshipInput {
                funder: get(0),
                target: get(1),
                amount: get(2),
                currency: get(3),
                in_kind: get(4),
                starts_on: get(5),
                ends_on: get(6),
                note: get(7),
                source_url: get(8),
            },
        ));
    }
    if rows.is_empty() && errors.is_empty() {
        errors.push(RowError { row: 2, field: None, message: "no rows below the header".into() });
    }
    if errors.is_empty() {
        Ok(rows)
    } else {
        Err(errors)
    }
}

/// Imports the file: every row or none. Returns the new sponsorships' ids.
pub async fn import(pool: &PgPool, actor: i64, text: &str) -> Result<Vec<i64>, ImportError> {
    let rows = parse(text).map_err(ImportError::Rows)?;
    let mut errors = Vec::new();
    let mut checked = Vec::new();
    for (row, input) in rows {
        match input.check() {
            Ok(r) => checked.push((row, r)),
            Err(e) => errors.push(RowError { row, field: Some(e.field.into()), message: e.message }),
        }
    }
    let mut tx = pool.begin().await.map_err(ImportError::Db)?;
    let mut ids = Vec::new();
    for (row, record) in &checked {
        // A savepoint per row: a wrong row does not end the others' checks.
        let mut sp = sqlx::Acquire::begin(&mut *tx).await.map_err(ImportError::Db)?;
        match insert(&mut sp, record, false).await {
            Ok(id) => {
                sp.commit().await.map_err(ImportError::Db)?;
                ids.push(id);
            }
            Err(WriteError::Field(e)) => {
                sp.rollback().await.map_err(ImportError::Db)?;
                errors.push(RowError { row: *row, field: Some(e.field.into()), message: e.message });
            }
            Err(WriteError::Db(sqlx::Error::Database(e))) => {
                sp.rollback().await.map_err(ImportError::Db)?;
                errors.push(RowError { row: *row, field: None, message: e.message().to_string() });
            }
            Err(WriteError::Db(e)) => return Err(ImportError::Db(e)),
            Err(other) => {
                sp.rollback().await.map_err(ImportError::Db)?;
                errors.push(RowError { row: *row, field: None, message: other.to_string() });
            }
        }
        if errors.len() >= MAX_ERRORS {
            break;
        }
    }
    if !errors.is_empty() {
        // Dropped without commit: nothing written.
        tx.rollback().await.map_err(ImportError::Db)?;
        errors.sort_by_key(|e| e.row);
        errors.truncate(MAX_ERRORS);
        return Err(ImportError::Rows(errors));
    }
    audit::record(
        &mut *tx,
        Some(actor),
        "sponsorship.imported",
        &format!("sponsorships:{}", ids.len()),
        None,
        json!({"ids": ids}),
    )
    .await
    .map_err(ImportError::Db)?;
    tx.commit().await.map_err(ImportError::Db)?;
    Ok(ids)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_and_rows_are_checked() {
        assert!(parse("funder,target,starts_on\nhpsf,project:x,2025-01-01\n").is_ok());
        let e = parse("funder,target,colour\n").unwrap_err();
        assert_eq!(e[0].row, 1);
        assert!(e[0].message.contains("colour"));
        let e = parse("funder,target\nx,y\n").unwrap_err();
        assert!(e[0].message.contains("starts_on"));
        let e = parse("funder,target,starts_on\na,b,c\nd,e\n").unwrap_err();
        assert_eq!(e[0].row, 3);
        assert!(parse(&format!("{}\n", app::api::funding::CSV_HEADER)).is_err());
    }
}
