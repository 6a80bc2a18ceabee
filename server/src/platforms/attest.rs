//! Attestations: what a site says works on its machines. A batch
//! `{"site": NAME, "attestations": [ … ]}` is checked row by row before
//! anything is written; rows naming another site's machine refuse the whole
//! batch (403). The same statement sent twice is stored once; a new
//! statement about the same package and partition adds a row (history kept),
//! the latest by date is the current one.
use std::collections::HashMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::{Digest, Sha256};
use sqlx::PgPool;

/// Rows one request may carry.
pub const MAX_ROWS: usize = 1000;
/// Longest text field, in bytes (a note may be longer).
pub const MAX_FIELD: usize = 500;
pub const MAX_NOTE: usize = 2000;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Batch {
    pub site: String,
    pub attestations: Vec<Value>,
}

/// One row as a site sends it.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PostedAttestation {
    /// guix, spack or nix
    pub ecosystem: String,
    /// The channel, e.g. builtin, guix, nixos-25.11.
    pub channel: String,
    /// The package's name in the channel; default: the name the spec starts with.
    pub package: Option<String>,
    pub version: Option<String>,
    /// A Spack spec with variants, e.g. `hdf5@1.14.6+mpi`.
    pub spec: Option<String>,
    /// The machine, of the batch's site (`adastra`, or `cines/adastra`).
    pub machine: String,
    /// The machine's partition; may be left out when it has only one.
    pub partition: Option<String>,
    /// works, broken or partial
    pub status: String,
    /// An http(s) URL of the evidence (a test log, a job page).
    pub evidence_url: Option<String>,
    /// YYYY-MM-DD: when it was seen.
    pub date: String,
    /// Plain text.
    pub note: Option<String>,
}

/// Why one row was refused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct RowError {
    /// The row's position in `attestations`, from 0.
    pub row: usize,
    pub field: String,
    pub message: String,
}

/// A row once checked (names not resolved yet).
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub ecosystem: String,
    pub channel: String,
    pub package: String,
    pub version: Option<String>,
    pub spec: Option<String>,
    /// The site the row names, when it qualifies the machine.
    pub site: Option<String>,
    pub machine: String,
    pub partition: Option<String>,
    pub status: String,
    pub evidence_url: Option<String>,
    pub date: NaiveDate,
    pub note: Option<String>,
}

fn text(row: usize, field: &str, value: Option<String>, max: usize) -> Result<Option<String>, RowError> {
    let Some(value) = value else { return Ok(None) };
    let error = |message: String| RowError { row, field: field.into(), message };
    if value.trim().is_empty() {
        return Err(error("must not be empty (leave it out instead)".into()));
    }
    if value.len() > max {
        return Err(error(format!("longer than {max} bytes")));
    }
    if value.chars().any(|c| c.is_control() && c != '\n') {
        return Err(error("contains control characters".into()));
    }
    Ok(Some(value))
}

/// Checks one row (at position `row`).
pub fn validate(row: usize, value: Value, today: NaiveDate) -> Result<Row, RowError> {
    let posted: PostedAttestation = serde_path_to_error::deserialize(value).map_err(|e| {
        let path = e.path().to_string();
        RowError { row, field: if path == "." { String::new() } else { path }, message: e.into_inner().to_string() }
    })?;
    let error = |field: &str, message: String| RowError { row, field: field.into(), message };
    if !matches!(posted.ecosystem.as_str(), "guix" | "spack" | "nix") {
        return Err(error("ecosystem", "one of guix, spack, nix".into()));
    }
    let channel = text(row, "channel", Some(posted.channel), MAX_FIELD)?.unwrap_or_default();
    let spec = text(row, "spec", posted.spec, MAX_FIELD)?;
    let package = match text(row, "package", posted.package, MAX_FIELD)? {
        Some(p) => p,
        None => spec
            .as_deref()
            .and_then(crate::ingest::spack::spec_name)
            .ok_or_else(|| error("package", "give the package, or a spec starting with its name".into()))?,
    };
    let machine = text(row, "machine", Some(posted.machine), MAX_FIELD)?.unwrap_or_default();
    let (site, machine) = match machine.split_once('/') {
        Some((s, m)) => (Some(s.to_string()), m.to_string()),
        None => (None, machine),
    };
    if !matches!(posted.status.as_str(), "works" | "broken" | "partial") {
        return Err(error("status", format!("unknown status {:?}: one of works, broken, partial", posted.status)));
    }
    let evidence_url = text(row, "evidence_url", posted.evidence_url, MAX_FIELD)?;
    if let Some(u) = &evidence_url {
        if !url::Url::parse(u).is_ok_and(|u| matches!(u.scheme(), "http" | "https")) {
            return Err(error("evidence_url", "must be an http or https URL".into()));
        }
    }
    let date = NaiveDate::parse_from_str(&posted.date, "%Y-%m-%d")
        .map_err(|e| error("date", format!("not a date YYYY-MM-DD: {e}")))?;
    if date > today.succ_opt().unwrap_or(today) {
        return Err(error("date", "in the future".into()));
    }
    Ok(Row {
        ecosystem: posted.ecosystem,
        channel,
        package,
        version: text(row, "version", posted.version, MAX_FIELD)?,
        spec,
        site,
        machine,
        partition: text(row, "partition", posted.partition, MAX_FIELD)?,
        status: posted.status,
        evidence_url,
        date,
        note: text(row, "note", posted.note, MAX_NOTE)?,
    })
}

/// Checks every row: all of them, or every error.
pub fn validate_all(values: Vec<Value>, today: NaiveDate) -> Result<Vec<Row>, Vec<RowError>> {
    let mut rows = Vec::with_capacity(values.len());
    let mut errors = Vec::new();
    for (i, value) in values.into_iter().enumerate() {
        match validate(i, value, today) {
            Ok(row) => rows.push(row),
            Err(e) => errors.push(e),
        }
    }
    if errors.is_empty() {
        Ok(rows)
    } else {
        Err(errors)
    }
}

/// Why a checked batch was refused.
#[derive(Debug)]
pub enum Refused {
    /// A row names a machine of another site: nothing is written (403).
    OtherSite { row: usize, machine: String },
    /// Rows name no known package or machine (400).
    Rows(Vec<RowError>),
}

#[derive(sqlx::FromRow)]
struct PartitionName {
    id: i64,
    site: String,
    machine: String,
    name: String,
}

fn content_hash(partition: i64, package: i64, r: &Row) -> Vec<u8> {
    let text = serde_json::json!([
        partition,
        package,
        r.version,
        r.spec,
        r.status,
        r.evidence_url,
        r.date.to_string(),
        r.note
    ])
    .to_string();
    Sha256::digest(text.as_bytes()).to_vec()
}

/// Resolves the rows of site `site` and writes them in one transaction;
/// returns how many were new. `token` is the token that sent them; `demo`
/// marks made-up rows.
pub async fn write(
    pool: &PgPool,
    site: &str,
    rows: &[Row],
    token: Option<i64>,
    demo: bool,
) -> Result<Result<u64, Refused>, sqlx::Error> {
    let partitions: Vec<PartitionName> = sqlx::query_as(
        "SELECT pa.id, s.name AS site, m.name AS machine, pa.name
         FROM partitions pa JOIN machines m ON m.id = pa.machine_id JOIN sites s ON s.id = m.site_id",
    )
    .fetch_all(pool)
    .await?;
    let mut errors = Vec::new();
    let mut resolved = Vec::with_capacity(rows.len());
    let mut packages: HashMap<(&str, &str, &str), Option<i64>> = HashMap::new();
    let mut tx = pool.begin().await?;
    for (i, r) in rows.iter().enumerate() {
        let row_site = r.site.as_deref().unwrap_or(site);
        let own: Vec<&PartitionName> =
            partitions.iter().filter(|p| p.site == row_site && p.machine == r.machine).collect();
        // Another site's machine, named or not: the whole batch is refused.
        if row_site != site || (own.is_empty() && partitions.iter().any(|p| p.machine == r.machine)) {
            return Ok(Err(Refused::OtherSite { row: i, machine: format!("{row_site}/{}", r.machine) }));
        }
        let partition = match (&r.partition, own.as_slice()) {
            (_, []) => {
                errors.push(RowError {
                    row: i,
                    field: "machine".into(),
                    message: format!("site {site} has no machine {:?}", r.machine),
                });
                continue;
            }
            (None, [only]) => only.id,
            (None, _) => {
                let names: Vec<&str> = own.iter().map(|p| p.name.as_str()).collect();
                errors.push(RowError {
                    row: i,
                    field: "partition".into(),
                    message: format!("machine {} has several partitions: one of {}", r.machine, names.join(", ")),
                });
                continue;
            }
            (Some(name), _) => match own.iter().find(|p| &p.name == name) {
                Some(p) => p.id,
                None => {
                    errors.push(RowError {
                        row: i,
                        field: "partition".into(),
                        message: format!("machine {} has no partition {name:?}", r.machine),
                    });
                    continue;
                }
            },
        };
        let key = (r.ecosystem.as_str(), r.channel.as_str(), r.package.as_str());
        let package = match packages.get(&key) {
            Some(p) => *p,
            None => {
                let p: Option<i64> = sqlx::query_scalar(
                    "SELECT p.id FROM packages p JOIN channels c ON c.id = p.channel_id
                     WHERE c.ecosystem = $1 AND c.name = $2 AND p.name = $3",
                )
                .bind(key.0)
                .bind(key.1)
                .bind(key.2)
                .fetch_optional(&mut *tx)
                .await?;
                packages.insert(key, p);
                p
            }
        };
        let Some(package) = package else {
            errors.push(RowError {
                row: i,
                field: "package".into(),
                message: format!("no package {:?} in channel {}/{}", r.package, r.ecosystem, r.channel),
            });
            continue;
        };
        resolved.push((partition, package, r));
    }
    if !errors.is_empty() {
        return Ok(Err(Refused::Rows(errors)));
    }
    let mut written = 0;
    for (partition, package, r) in resolved {
        let done = sqlx::query(
            "INSERT INTO attestations (partition_id, package_id, version, spec, status, evidence_url, attested_on,
                 note, token_id, demo, content_sha256)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
             ON CONFLICT (partition_id, content_sha256) DO NOTHING",
        )
        .bind(partition)
        .bind(package)
        .bind(&r.version)
        .bind(&r.spec)
        .bind(&r.status)
        .bind(&r.evidence_url)
        .bind(r.date)
        .bind(&r.note)
        .bind(token)
        .bind(demo)
        .bind(content_hash(partition, package, r))
        .execute(&mut *tx)
        .await?;
        written += done.rows_affected();
    }
    if written > 0 {
        crate::catalog::generation::bump(&mut *tx).await?;
    }
    tx.commit().await?;
    Ok(Ok(written))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 27).unwrap()
    }

    #[test]
    fn rows_are_checked_field_by_field() {
        let good = json!({"ecosystem": "spack", "channel": "builtin", "spec": "hdf5@1.14.6+mpi",
                          "machine": "adastra", "partition": "genoa", "status": "works", "date": "2026-11-20"});
        let row = validate(0, good.clone(), today()).unwrap();
        assert_eq!(row.package, "hdf5");
        let cases = [
            ("status", json!("green")),
            ("date", json!("yesterday")),
            ("date", json!("2027-01-01")),
            ("evidence_url", json!("javascript:alert(1)")),
            ("ecosystem", json!("debian")),
            ("machine", json!("")),
            ("colour", json!("red")),
        ];
        for (field, value) in cases {
            let mut v = good.clone();
            v[field] = value;
            let e = validate(3, v, today()).unwrap_err();
            assert_eq!((e.row, e.field.as_str()), (3, field), "{e:?}");
        }
        let mut v = good.clone();
        v["note"] = json!("a\u{0007}b");
        assert_eq!(validate(0, v, today()).unwrap_err().field, "note");
    }
}
