//! Funding changes: each in one transaction with its audit entry
//! (`funder.created`, `sponsorship.ended`…, target `funder:SLUG` or
//! `sponsorship:ID`). Edits of a sponsorship keep the row they replace
//! (the table's trigger writes `sponsorship_revisions`).
use serde_json::json;
use sqlx::{PgPool, Postgres, Transaction};

use super::model::{FieldError, FunderInput, SponsorshipInput, SponsorshipRecord, Target};
use crate::accounts::audit;

#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    /// A field is wrong (its name and why).
    #[error("{0}")]
    Field(#[from] FieldError),
    #[error("not found")]
    NotFound,
    /// The funder's slug is taken, or the funder still has sponsorships.
    #[error("{0}")]
    Conflict(String),
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

fn field(field: &'static str, message: impl Into<String>) -> WriteError {
    WriteError::Field(FieldError { field, message: message.into() })
}

/// The columns a target fills: (kind, project, package, maintainer, infrastructure kind, ci service, infrastructure name).
pub struct Resolved {
    pub kind: &'static str,
    pub project_id: Option<i64>,
    pub package_id: Option<i64>,
    pub maintainer_id: Option<i64>,
    pub infrastructure_kind: Option<&'static str>,
    pub ci_service_id: Option<i64>,
    pub infrastructure_name: Option<String>,
}

fn unknown(what: String) -> WriteError {
    field("target", format!("{what} is not known to this site"))
}

/// Looks a target up; a clear error when it does not exist.
pub async fn resolve(tx: &mut Transaction<'_, Postgres>, target: &Target) -> Result<Resolved, WriteError> {
    let none = Resolved {
        kind: "infrastructure",
        project_id: None,
        package_id: None,
        maintainer_id: None,
        infrastructure_kind: None,
        ci_service_id: None,
        infrastructure_name: None,
    };
    Ok(match target {
        Target::Project(key) => {
            let id: Option<i64> = sqlx::query_scalar("SELECT id FROM projects WHERE key = $1")
                .bind(key)
                .fetch_optional(&mut **tx)
                .await?;
            Resolved {
                kind: "project",
                project_id: Some(id.ok_or_else(|| unknown(format!("project {key:?}")))?),
                ..none
            }
        }
        Target::Package { ecosystem, channel, name } => {
            let id: Option<i64> = sqlx::query_scalar(
                "SELECT p.id FROM packages p JOIN channels c ON c.id = p.channel_id
                 WHERE c.ecosystem = $1 AND c.name = $2 AND p.name = $3",
            )
            .bind(ecosystem)
            .bind(channel)
            .bind(name)
            .fetch_optional(&mut **tx)
            .await?;
            let id = id.ok_or_else(|| unknown(format!("package {ecosystem}/{channel}/{name}")))?;
            Resolved { kind: "package", package_id: Some(id), ..none }
        }
        Target::Maintainer { forge, handle } => {
            let id: Option<i64> =
                sqlx::query_scalar("SELECT id FROM maintainers WHERE forge = $1 AND lower(handle) = lower($2)")
                    .bind(forge)
                    .bind(handle)
                    .fetch_optional(&mut **tx)
                    .await?;
            let id = id.ok_or_else(|| unknown(format!("maintainer {forge}:{handle}")))?;
            Resolved { kind: "maintainer", maintainer_id: Some(id), ..none }
        }
        Target::CiService(name) => {
            let id: Option<i64> = sqlx::query_scalar("SELECT id FROM ci_services WHERE name = $1")
                .bind(name)
                .fetch_optional(&mut **tx)
                .await?;
            let id = id.ok_or_else(|| unknown(format!("CI service {name:?}")))?;
            Resolved {
                infrastructure_kind: Some("ci-service"),
                ci_service_id: Some(id),
                infrastructure_name: Some(name.clone()),
                ..none
            }
        }
        Target::Mirror(name) => {
            Resolved { infrastructure_kind: Some("mirror"), infrastructure_name: Some(name.clone()), ..none }
        }
        Target::Other(name) => {
            Resolved { infrastructure_kind: Some("other"), infrastructure_name: Some(name.clone()), ..none }
        }
        Target::SoftwareHeritage => Resolved {
            infrastructure_kind: Some("software-heritage"),
            infrastructure_name: Some("Software Heritage".into()),
            ..none
        },
    })
}

fn detail(demo: bool) -> serde_json::Value {
    if demo {
        json!({"demo": true})
    } else {
        json!({})
    }
}

/// Creates a funder; its slug must be new.
pub async fn create_funder(
    pool: &PgPool,
    actor: Option<i64>,
    input: &FunderInput,
    demo: bool,
) -> Result<String, WriteError> {
    let f = input.check()?;
    let mut tx = pool.begin().await?;
    let id: Option<i64> = sqlx::query_scalar(
        "INSERT INTO funders (slug, name, kind, country, url, description, demo) VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (slug) DO NOTHING RETURNING id",
    )
    .bind(&f.slug)
    .bind(&f.name)
    .bind(&f.kind)
    .bind(&f.country)
    .bind(&f.url)
    .bind(&f.description)
    .bind(demo)
    .fetch_optional(&mut *tx)
    .await?;
    if id.is_none() {
        return Err(WriteError::Conflict(format!("slug: a funder {:?} exists already", f.slug)));
    }
    audit::record(&mut *tx, actor, "funder.created", &format!("funder:{}", f.slug), None, detail(demo)).await?;
    tx.commit().await?;
    Ok(f.slug)
}

/// Changes a funder (its slug too); `slug` names it as it is.
pub async fn update_funder(pool: &PgPool, actor: i64, slug: &str, input: &FunderInput) -> Result<String, WriteError> {
    let f = input.check()?;
    let mut tx = pool.begin().await?;
    let taken: bool = sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM funders WHERE slug = $1 AND slug <> $2)")
        .bind(&f.slug)
        .bind(slug)
        .fetch_one(&mut *tx)
        .await?;
    if taken {
        return Err(WriteError::Conflict(format!("slug: a funder {:?} exists already", f.slug)));
    }
    let done = sqlx::query(
        "UPDATE funders SET slug = $2, name = $3, kind = $4, country = $5, url = $6, description = $7, updated_at = now()
         WHERE slug = $1",
    )
    .bind(slug)
    .bind(&f.slug)
    .bind(&f.name)
    .bind(&f.kind)
    .bind(&f.country)
    .bind(&f.url)
    .bind(&f.description)
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() == 0 {
        return Err(WriteError::NotFound);
    }
    audit::record(&mut *tx, Some(actor), "funder.updated", &format!("funder:{}", f.slug), None, json!({"was": slug}))
        .await?;
    tx.commit().await?;
    Ok(f.slug)
}

/// Deletes a funder without sponsorships (delete or keep those first: history matters).
pub async fn delete_funder(pool: &PgPool, actor: i64, slug: &str) -> Result<(), WriteError> {
    let mut tx = pool.begin().await?;
    let id: Option<i64> = sqlx::query_scalar("SELECT id FROM funders WHERE slug = $1 FOR UPDATE")
        .bind(slug)
        .fetch_optional(&mut *tx)
        .await?;
    let Some(id) = id else { return Err(WriteError::NotFound) };
    let n: i64 = sqlx::query_scalar("SELECT count(*) FROM sponsorships WHERE funder_id = $1")
        .bind(id)
        .fetch_one(&mut *tx)
        .await?;
    if n > 0 {
        return Err(WriteError::Conflict(format!("this funder has {n} sponsorships: delete them first")));
    }
    sqlx::query("DELETE FROM funders WHERE id = $1").bind(id).execute(&mut *tx).await?;
    audit::record(&mut *tx, Some(actor), "funder.deleted", &format!("funder:{slug}"), None, json!({})).await?;
    tx.commit().await?;
    Ok(())
}

async fn funder_id(tx: &mut Transaction<'_, Postgres>, slug: &str) -> Result<i64, WriteError> {
    let id: Option<i64> =
        sqlx::query_scalar("SELECT id FROM funders WHERE slug = $1").bind(slug).fetch_optional(&mut **tx).await?;
    id.ok_or_else(|| field("funder", format!("no funder {slug:?}")))
}

/// The sponsorship columns of `s` (funder, target, money, period, note,
/// source) as `$1` to `$15`, in the order `SPONSORSHIP_COLUMNS` names them.
const SPONSORSHIP_COLUMNS: &str = "funder_id, target_kind, project_id, package_id, maintainer_id, \
     infrastructure_kind, ci_service_id, infrastructure_name, amount, currency, in_kind, starts_on, ends_on, note, \
     source_url";

/// Binds `s`'s columns (see `SPONSORSHIP_COLUMNS`), its funder and target
/// resolved in `tx`, to `sql`, whose `$16` the caller binds next.
async fn sponsorship_query<'q>(
    tx: &mut Transaction<'_, Postgres>,
    sql: &'q str,
    s: &'q SponsorshipRecord,
) -> Result<sqlx::query::QueryScalar<'q, Postgres, i64, sqlx::postgres::PgArguments>, WriteError> {
    let funder = funder_id(tx, &s.funder).await?;
    let t = resolve(tx, &s.target).await?;
    let (amount, currency) = match &s.money {
        Some((a, c)) => (Some(a.as_str()), Some(c.as_str())),
        None => (None, None),
    };
    Ok(sqlx::query_scalar(sql)
        .bind(funder)
        .bind(t.kind)
        .bind(t.project_id)
        .bind(t.package_id)
        .bind(t.maintainer_id)
        .bind(t.infrastructure_kind)
        .bind(t.ci_service_id)
        .bind(t.infrastructure_name)
        .bind(amount)
        .bind(currency)
        .bind(s.money.is_none())
        .bind(s.starts_on)
        .bind(s.ends_on)
        .bind(&s.note)
        .bind(&s.source_url))
}

/// Inserts one checked sponsorship in `tx` (no audit entry: the caller writes it).
pub async fn insert(tx: &mut Transaction<'_, Postgres>, s: &SponsorshipRecord, demo: bool) -> Result<i64, WriteError> {
    let sql = format!(
        "INSERT INTO sponsorships ({SPONSORSHIP_COLUMNS}, demo)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::numeric, $10, $11, $12, $13, $14, $15, $16) RETURNING id"
    );
    let id = sponsorship_query(tx, &sql, s).await?.bind(demo).fetch_one(&mut **tx).await?;
    Ok(id)
}

pub async fn create_sponsorship(
    pool: &PgPool,
    actor: Option<i64>,
    input: &SponsorshipInput,
    demo: bool,
) -> Result<i64, WriteError> {
    let s = input.check()?;
    let mut tx = pool.begin().await?;
    let id = insert(&mut tx, &s, demo).await?;
    let mut d = detail(demo);
    d["funder"] = json!(s.funder);
    audit::record(&mut *tx, actor, "sponsorship.created", &format!("sponsorship:{id}"), None, d).await?;
    tx.commit().await?;
    Ok(id)
}

/// Replaces a sponsorship's fields (the trigger keeps the previous row).
pub async fn update_sponsorship(
    pool: &PgPool,
    actor: i64,
    id: i64,
    input: &SponsorshipInput,
) -> Result<(), WriteError> {
    let s = input.check()?;
    let mut tx = pool.begin().await?;
    let exists: bool = sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM sponsorships WHERE id = $1)")
        .bind(id)
        .fetch_one(&mut *tx)
        .await?;
    if !exists {
        return Err(WriteError::NotFound);
    }
    let sql = format!(
        "UPDATE sponsorships SET ({SPONSORSHIP_COLUMNS}, updated_at)
           = ($1, $2, $3, $4, $5, $6, $7, $8, $9::numeric, $10, $11, $12, $13, $14, $15, now())
         WHERE id = $16 RETURNING id"
    );
    sponsorship_query(&mut tx, &sql, &s).await?.bind(id).fetch_one(&mut *tx).await?;
    audit::record(&mut *tx, Some(actor), "sponsorship.updated", &format!("sponsorship:{id}"), None, json!({})).await?;
    tx.commit().await?;
    Ok(())
}

/// Ends a sponsorship on `on` (today when empty); it stays, shown as ended.
pub async fn end_sponsorship(pool: &PgPool, actor: i64, id: i64, on: &str) -> Result<(), WriteError> {
    let on = super::model::check_date("ends_on", on)?.unwrap_or_else(|| chrono::Utc::now().date_naive());
    let mut tx = pool.begin().await?;
    let starts: Option<chrono::NaiveDate> = sqlx::query_scalar("SELECT starts_on FROM sponsorships WHERE id = $1")
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?;
    let Some(starts) = starts else { return Err(WriteError::NotFound) };
    if on < starts {
        return Err(field("ends_on", "before starts_on"));
    }
    sqlx::query("UPDATE sponsorships SET ends_on = $2, updated_at = now() WHERE id = $1")
        .bind(id)
        .bind(on)
        .execute(&mut *tx)
        .await?;
    audit::record(&mut *tx, Some(actor), "sponsorship.ended", &format!("sponsorship:{id}"), None, json!({"on": on}))
        .await?;
    tx.commit().await?;
    Ok(())
}

/// Deletes a sponsorship (entered by mistake); its last version stays in the revisions.
pub async fn delete_sponsorship(pool: &PgPool, actor: i64, id: i64) -> Result<(), WriteError> {
    let mut tx = pool.begin().await?;
    let done = sqlx::query("DELETE FROM sponsorships WHERE id = $1").bind(id).execute(&mut *tx).await?;
    if done.rows_affected() == 0 {
        return Err(WriteError::NotFound);
    }
    audit::record(&mut *tx, Some(actor), "sponsorship.deleted", &format!("sponsorship:{id}"), None, json!({})).await?;
    tx.commit().await?;
    Ok(())
}
