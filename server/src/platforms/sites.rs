//! HPC sites, their machines and partitions, from a TOML file
//! (`pacatlas sites load FILE`):
//!
//! ```toml
//! [[site]]
//! name = "cines"                      # lower-case letters, digits, '.', '_', '-'
//! title = "CINES"
//! operator = "Centre Informatique National de l'Enseignement Supérieur"
//! url = "https://www.cines.fr"
//! country = "FR"
//!
//! [[site.machine]]
//! name = "adastra"
//! title = "Adastra"
//!
//! [[site.machine.partition]]
//! name = "genoa"
//! system = "x86_64-linux"
//! microarch = "zen4"                  # an archspec name
//! cpu_model = "AMD EPYC 9654"
//! gpu_vendor = "amd"                  # nvidia, amd or intel
//! gpu_model = "AMD Instinct MI250X"
//! gpu_target = "gfx90a"               # sm_XX or gfxXXX
//! nodes = 536
//! ```
//!
//! Every record is checked before anything is written, and the whole file is
//! written in one transaction; sites, machines and partitions are added or
//! updated by name (none is deleted: attestations refer to them).
use serde::Deserialize;
use sqlx::{PgPool, Postgres, Transaction};

use super::{gpu_vendor, microarch};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SitesFile {
    #[serde(default)]
    pub site: Vec<SiteRecord>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SiteRecord {
    pub name: String,
    pub title: String,
    pub operator: String,
    pub url: Option<String>,
    pub country: Option<String>,
    pub description: Option<String>,
    #[serde(default)]
    pub machine: Vec<MachineRecord>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MachineRecord {
    pub name: String,
    pub title: String,
    pub url: Option<String>,
    pub description: Option<String>,
    #[serde(default)]
    pub partition: Vec<PartitionRecord>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PartitionRecord {
    pub name: String,
    pub system: String,
    pub microarch: Option<String>,
    pub cpu_model: Option<String>,
    pub gpu_vendor: Option<String>,
    pub gpu_model: Option<String>,
    pub gpu_target: Option<String>,
    pub nodes: Option<i32>,
}

/// Why a sites file was refused: which file, which record, which field.
#[derive(Debug, thiserror::Error)]
pub enum SitesError {
    #[error("{file}: {message}")]
    Syntax { file: String, message: String },
    #[error("{file}: {record}: {field}: {message}")]
    Record { file: String, record: String, field: String, message: String },
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

pub fn valid_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 63
        && name.bytes().next().is_some_and(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        && name.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'.' | b'_' | b'-'))
}

fn valid_url(u: &str) -> bool {
    url::Url::parse(u).is_ok_and(|u| matches!(u.scheme(), "http" | "https"))
}

const NAME_RULE: &str = "lower-case letters, digits, '.', '_' and '-', at most 63";

/// What is wrong with a record: the field and why.
pub type FieldError = (&'static str, String);

/// Checks a site's own fields (not its machines): the loader's and the admin API's rule.
pub fn check_site(s: &SiteRecord) -> Result<(), FieldError> {
    if !valid_name(&s.name) {
        return Err(("name", NAME_RULE.into()));
    }
    for (field, value) in [("title", &s.title), ("operator", &s.operator)] {
        if value.trim().is_empty() || value.len() > 200 {
            return Err((field, "must be 1 to 200 characters".into()));
        }
    }
    if s.url.as_deref().is_some_and(|u| !valid_url(u)) {
        return Err(("url", "must be an http or https URL".into()));
    }
    Ok(())
}

/// Checks a machine's own fields (not its partitions).
pub fn check_machine(m: &MachineRecord) -> Result<(), FieldError> {
    if !valid_name(&m.name) {
        return Err(("name", NAME_RULE.into()));
    }
    if m.title.trim().is_empty() {
        return Err(("title", "must not be empty".into()));
    }
    if m.url.as_deref().is_some_and(|u| !valid_url(u)) {
        return Err(("url", "must be an http or https URL".into()));
    }
    Ok(())
}

/// Checks a partition.
pub fn check_partition(p: &PartitionRecord) -> Result<(), FieldError> {
    if !valid_name(&p.name) {
        return Err(("name", NAME_RULE.into()));
    }
    if microarch::family_of_system(&p.system).is_none() {
        return Err(("system", format!("unknown system {:?}: one of {}", p.system, super::SYSTEMS.join(", "))));
    }
    if let Some(m) = &p.microarch {
        if !microarch::is_known(m) {
            return Err(("microarch", format!("{m:?} is not an archspec micro-architecture")));
        }
        if microarch::system_of(m) != Some(p.system.as_str()) {
            return Err(("microarch", format!("{m:?} is not a target of {}", p.system)));
        }
    }
    if let Some(v) = &p.gpu_vendor {
        if !matches!(v.as_str(), "nvidia" | "amd" | "intel") {
            return Err(("gpu_vendor", "one of nvidia, amd, intel".into()));
        }
    }
    if let Some(t) = &p.gpu_target {
        let Some(vendor) = gpu_vendor(t) else {
            return Err(("gpu_target", format!("{t:?}: expected sm_XX (CUDA) or gfxXXX (ROCm)")));
        };
        if p.gpu_vendor.as_deref().is_some_and(|v| v != vendor) {
            return Err(("gpu_target", format!("{t:?} is not a {vendor} target")));
        }
    }
    if p.nodes.is_some_and(|n| n < 0) {
        return Err(("nodes", "must not be negative".into()));
    }
    Ok(())
}

/// Parses and checks a sites file.
pub fn parse(file: &str, text: &str) -> Result<SitesFile, SitesError> {
    let parsed: SitesFile =
        toml::from_str(text).map_err(|e| SitesError::Syntax { file: file.into(), message: e.to_string() })?;
    let err = |record: String, field: &str, message: String| SitesError::Record {
        file: file.into(),
        record,
        field: field.into(),
        message,
    };
    let mut sites = std::collections::HashSet::new();
    for s in &parsed.site {
        let record = format!("site {:?}", s.name);
        check_site(s).map_err(|(field, message)| err(record.clone(), field, message))?;
        if !sites.insert(&s.name) {
            return Err(err(record, "name", "named twice in the file".into()));
        }
        let mut machines = std::collections::HashSet::new();
        for m in &s.machine {
            let record = format!("site {:?}, machine {:?}", s.name, m.name);
            check_machine(m).map_err(|(field, message)| err(record.clone(), field, message))?;
            if !machines.insert(&m.name) {
                return Err(err(record, "name", "named twice in the site".into()));
            }
            if m.partition.is_empty() {
                return Err(err(record, "partition", "a machine needs at least one partition".into()));
            }
            let mut partitions = std::collections::HashSet::new();
            for p in &m.partition {
                let record = format!("site {:?}, machine {:?}, partition {:?}", s.name, m.name, p.name);
                check_partition(p).map_err(|(field, message)| err(record.clone(), field, message))?;
                if !partitions.insert(&p.name) {
                    return Err(err(record, "name", "named twice in the machine".into()));
                }
            }
        }
    }
    Ok(parsed)
}

/// What a load wrote.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Loaded {
    pub sites: usize,
    pub machines: usize,
    pub partitions: usize,
}

impl std::fmt::Display for Loaded {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} sites, {} machines, {} partitions loaded", self.sites, self.machines, self.partitions)
    }
}

/// Adds or updates a checked site's own fields by name: its id, and
/// whether it is new.
pub async fn upsert_site(tx: &mut Transaction<'_, Postgres>, s: &SiteRecord) -> sqlx::Result<(i64, bool)> {
    sqlx::query_as(
        "INSERT INTO sites (name, title, operator, url, country, description) VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (name) DO UPDATE SET title = EXCLUDED.title, operator = EXCLUDED.operator,
             url = EXCLUDED.url, country = EXCLUDED.country, description = EXCLUDED.description,
             updated_at = now()
         RETURNING id, xmax = 0",
    )
    .bind(&s.name)
    .bind(&s.title)
    .bind(&s.operator)
    .bind(&s.url)
    .bind(&s.country)
    .bind(&s.description)
    .fetch_one(&mut **tx)
    .await
}

/// Adds or updates a checked machine of site `site_id` by name: its id, and whether it is new.
pub async fn upsert_machine(
    tx: &mut Transaction<'_, Postgres>,
    site_id: i64,
    m: &MachineRecord,
) -> sqlx::Result<(i64, bool)> {
    sqlx::query_as(
        "INSERT INTO machines (site_id, name, title, url, description) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (site_id, name) DO UPDATE SET title = EXCLUDED.title, url = EXCLUDED.url,
             description = EXCLUDED.description
         RETURNING id, xmax = 0",
    )
    .bind(site_id)
    .bind(&m.name)
    .bind(&m.title)
    .bind(&m.url)
    .bind(&m.description)
    .fetch_one(&mut **tx)
    .await
}

/// Adds or updates a checked partition of machine `machine_id` by name: whether it is new.
pub async fn upsert_partition(
    tx: &mut Transaction<'_, Postgres>,
    machine_id: i64,
    p: &PartitionRecord,
) -> sqlx::Result<bool> {
    sqlx::query_scalar(
        "INSERT INTO partitions (machine_id, name, system, microarch, cpu_model, gpu_vendor, gpu_model,
             gpu_target, nodes)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
         ON CONFLICT (machine_id, name) DO UPDATE SET system = EXCLUDED.system,
             microarch = EXCLUDED.microarch, cpu_model = EXCLUDED.cpu_model,
             gpu_vendor = EXCLUDED.gpu_vendor, gpu_model = EXCLUDED.gpu_model,
             gpu_target = EXCLUDED.gpu_target, nodes = EXCLUDED.nodes
         RETURNING xmax = 0",
    )
    .bind(machine_id)
    .bind(&p.name)
    .bind(&p.system)
    .bind(&p.microarch)
    .bind(&p.cpu_model)
    .bind(&p.gpu_vendor)
    .bind(&p.gpu_model)
    .bind(&p.gpu_target)
    .bind(p.nodes)
    .fetch_one(&mut **tx)
    .await
}

/// Writes a checked sites file in `tx`.
pub async fn write(tx: &mut Transaction<'_, Postgres>, file: &SitesFile) -> sqlx::Result<Loaded> {
    let mut loaded = Loaded::default();
    for s in &file.site {
        let (site_id, _) = upsert_site(tx, s).await?;
        loaded.sites += 1;
        for m in &s.machine {
            let (machine_id, _) = upsert_machine(tx, site_id, m).await?;
            loaded.machines += 1;
            for p in &m.partition {
                upsert_partition(tx, machine_id, p).await?;
                loaded.partitions += 1;
            }
        }
    }
    crate::catalog::generation::bump(&mut **tx).await?;
    Ok(loaded)
}

/// Checks `text` (read from `file`) and writes it in one transaction: a
/// wrong record writes nothing.
pub async fn load(pool: &PgPool, file: &str, text: &str) -> Result<Loaded, SitesError> {
    let parsed = parse(file, text)?;
    let mut tx = pool.begin().await?;
    let loaded = write(&mut tx, &parsed).await?;
    tx.commit().await?;
    Ok(loaded)
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r#"
[[site]]
name = "cines"
title = "CINES"
operator = "CINES"
[[site.machine]]
name = "adastra"
title = "Adastra"
[[site.machine.partition]]
name = "mi250"
system = "x86_64-linux"
microarch = "zen3"
gpu_vendor = "amd"
gpu_target = "gfx90a"
"#;

    #[test]
    fn a_good_file_parses() {
        let f = parse("sites.toml", GOOD).unwrap();
        assert_eq!(f.site[0].machine[0].partition[0].gpu_target.as_deref(), Some("gfx90a"));
    }

    #[test]
    fn errors_name_the_file_the_record_and_the_field() {
        for (from, to, field) in [
            ("microarch = \"zen3\"", "microarch = \"zen9\"", "microarch"),
            ("microarch = \"zen3\"", "microarch = \"neoverse_v2\"", "microarch"),
            ("gpu_target = \"gfx90a\"", "gpu_target = \"sm_80\"", "gpu_target"),
            ("gpu_target = \"gfx90a\"", "gpu_target = \"mi250\"", "gpu_target"),
            ("system = \"x86_64-linux\"", "system = \"x86_64-windows\"", "system"),
            ("name = \"adastra\"", "name = \"Adastra!\"", "name"),
        ] {
            let text = GOOD.replace(from, to);
            match parse("sites.toml", &text) {
                Err(SitesError::Record { file, record, field: f, .. }) => {
                    assert_eq!(file, "sites.toml");
                    assert!(record.starts_with("site \"cines\""), "{record}");
                    assert_eq!(f, field, "{to}");
                }
                other => panic!("{to}: {other:?}"),
            }
        }
        let e = parse("x.toml", "[[site]]\nname = 3").unwrap_err().to_string();
        assert!(e.starts_with("x.toml: ") && e.contains("line 2"), "{e}");
    }
}
