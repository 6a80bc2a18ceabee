//! The rows of one batch of packages: the packages themselves (updated in
//! place, or added through COPY with ids reserved beforehand), their
//! projects, and their child rows (versions, sources, licences, maintainers,
//! dependencies, variants), replaced whole.
use std::collections::HashMap;

use serde::Serialize;
use sqlx::{PgConnection, Row};

use super::{
    copy::{self, Cell, CopyRows},
    model::{PackageRecord, SourceRecord},
    names,
    write::to_json,
    Ecosystem,
};

/// Replaces the stored packages of `chunk` (id, new record, content hash) and their child rows.
pub(super) async fn update_packages(
    tx: &mut PgConnection,
    ecosystem: Ecosystem,
    chunk: &[(i64, &PackageRecord, Vec<u8>)],
    revision: &str,
) -> Result<(), sqlx::Error> {
    let ids: Vec<i64> = chunk.iter().map(|(id, _, _)| *id).collect();
    delete_children(tx, &ids).await?;
    let project_ids = upsert_projects(tx, ecosystem, chunk.iter().map(|(_, p, _)| *p)).await?;
    let rows: Vec<PackageRow> = chunk
        .iter()
        .map(|(id, p, hash)| PackageRow::new(ecosystem, Some(*id), p, hash, &project_ids, revision))
        .collect();
    sqlx::query(
        "UPDATE packages p SET base_name = x.base_name, pname = x.pname, latest_version = x.latest_version,
            synopsis = x.synopsis, description = x.description, homepage = x.homepage, homepage_host = x.homepage_host,
            repository_url = x.repository_url, location = x.location, build_system = x.build_system, tags = x.tags,
            provides = x.provides, platforms = x.platforms, extra = x.extra, project_id = x.project_id,
            content_hash = decode(x.content_hash, 'hex'), removed = false, removed_at = NULL,
            last_seen_revision = NULL, updated_at = now()
         FROM json_to_recordset($1::json) AS x(id bigint, base_name text, pname text, latest_version text, synopsis text,
            description text, homepage text, homepage_host text, repository_url text, location text, build_system text,
            tags text[], provides text[], platforms text[], extra jsonb, project_id bigint, content_hash text)
         WHERE p.id = x.id",
    )
    .bind(to_json(&rows))
    .execute(&mut *tx)
    .await?;
    let with_ids: Vec<(i64, &PackageRecord)> = chunk.iter().map(|(id, p, _)| (*id, *p)).collect();
    insert_children(tx, &with_ids).await?;
    Ok(())
}

/// Adds the packages of `chunk` (record, content hash) to `channel_id` with
/// their child rows. Returns their new ids.
pub(super) async fn insert_packages(
    tx: &mut PgConnection,
    ecosystem: Ecosystem,
    channel_id: i64,
    chunk: &[(&PackageRecord, Vec<u8>)],
    revision: &str,
) -> Result<Vec<i64>, sqlx::Error> {
    let project_ids = upsert_projects(tx, ecosystem, chunk.iter().map(|(p, _)| *p)).await?;
    let rows: Vec<PackageRow> =
        chunk.iter().map(|(p, hash)| PackageRow::new(ecosystem, None, p, hash, &project_ids, revision)).collect();
    // COPY with ids reserved beforehand (COPY has no RETURNING).
    let ids = copy::reserve_ids(tx, "packages", chunk.len()).await?;
    let mut copy_rows = CopyRows::default();
    for ((id, row), (_, hash)) in ids.iter().zip(&rows).zip(chunk) {
        copy_rows.row(&[
            Cell::Int(*id),
            Cell::Int(channel_id),
            Cell::Text(row.name),
            Cell::Text(&row.base_name),
            row.pname.into(),
            row.latest_version.into(),
            row.synopsis.into(),
            row.description.into(),
            row.homepage.into(),
            row.homepage_host.as_deref().into(),
            row.repository_url.into(),
            row.location.into(),
            row.build_system.into(),
            Cell::TextArray(row.tags),
            Cell::TextArray(row.provides),
            Cell::TextArray(row.platforms),
            Cell::Json(row.extra),
            row.project_id.into(),
            Cell::Bytea(hash),
            Cell::Text(row.first_seen_revision),
        ]);
    }
    copy_rows
        .copy_into(
            tx,
            "packages (id, channel_id, name, base_name, pname, latest_version, synopsis, description, homepage, \
             homepage_host, repository_url, location, build_system, tags, provides, platforms, extra, project_id, \
             content_hash, first_seen_revision)",
        )
        .await?;
    let with_ids: Vec<(i64, &PackageRecord)> = ids.iter().zip(chunk).map(|(id, (p, _))| (*id, *p)).collect();
    insert_children(tx, &with_ids).await?;
    Ok(ids)
}

#[derive(Serialize)]
struct PackageRow<'a> {
    id: Option<i64>,
    name: &'a str,
    base_name: String,
    pname: Option<&'a str>,
    latest_version: Option<&'a str>,
    synopsis: Option<&'a str>,
    description: Option<&'a str>,
    homepage: Option<&'a str>,
    homepage_host: Option<String>,
    repository_url: Option<&'a str>,
    location: Option<&'a str>,
    build_system: Option<&'a str>,
    tags: &'a [String],
    provides: &'a [String],
    platforms: &'a [String],
    extra: &'a serde_json::Map<String, serde_json::Value>,
    project_id: Option<i64>,
    content_hash: String,
    first_seen_revision: &'a str,
}

impl<'a> PackageRow<'a> {
    fn new(
        ecosystem: Ecosystem,
        id: Option<i64>,
        p: &'a PackageRecord,
        hash: &[u8],
        projects: &HashMap<String, i64>,
        revision: &'a str,
    ) -> Self {
        Self {
            id,
            name: &p.name,
            base_name: names::base_name(ecosystem, &p.name),
            pname: p.pname.as_deref(),
            latest_version: p.latest_version.as_deref(),
            synopsis: p.synopsis.as_deref(),
            description: p.description.as_deref(),
            homepage: p.homepage.as_deref(),
            homepage_host: p.homepage.as_deref().and_then(names::host),
            repository_url: p.repository_url.as_deref(),
            location: p.location.as_deref(),
            build_system: p.build_system.as_deref(),
            tags: &p.tags,
            provides: &p.provides,
            platforms: &p.platforms,
            extra: &p.extra,
            project_id: projects.get(&names::project_key(ecosystem, &p.name)).copied(),
            content_hash: hex::encode(hash),
            first_seen_revision: revision,
        }
    }
}

/// Creates the projects these packages belong to; returns key → id.
async fn upsert_projects(
    tx: &mut PgConnection,
    ecosystem: Ecosystem,
    packages: impl Iterator<Item = &PackageRecord>,
) -> Result<HashMap<String, i64>, sqlx::Error> {
    #[derive(Serialize)]
    struct Row<'a> {
        key: String,
        name: String,
        homepage: Option<&'a str>,
    }
    let mut rows: Vec<Row> = packages
        .map(|p| Row {
            key: names::project_key(ecosystem, &p.name),
            name: names::base_name(ecosystem, &p.name),
            homepage: p.homepage.as_deref(),
        })
        .filter(|r| !r.key.is_empty())
        .collect();
    rows.sort_by(|a, b| a.key.cmp(&b.key));
    rows.dedup_by(|a, b| a.key == b.key);
    sqlx::query(
        "INSERT INTO projects (key, name, homepage)
         SELECT x.key, x.name, x.homepage FROM json_to_recordset($1::json) AS x(key text, name text, homepage text)
         ON CONFLICT (key) DO NOTHING",
    )
    .bind(to_json(&rows))
    .execute(&mut *tx)
    .await?;
    let keys: Vec<&str> = rows.iter().map(|r| r.key.as_str()).collect();
    Ok(sqlx::query("SELECT id, key FROM projects WHERE key = ANY($1)")
        .bind(&keys)
        .fetch_all(&mut *tx)
        .await?
        .into_iter()
        .map(|r| (r.get("key"), r.get("id")))
        .collect())
}

async fn delete_children(tx: &mut PgConnection, ids: &[i64]) -> Result<(), sqlx::Error> {
    for table in ["sources", "package_versions", "package_licenses", "package_maintainers", "dependencies", "variants"]
    {
        sqlx::query(&format!("DELETE FROM {table} WHERE package_id = ANY($1)")).bind(ids).execute(&mut *tx).await?;
    }
    Ok(())
}

/// Versions, sources, licences, maintainers, dependencies and variants of
/// freshly inserted (or emptied) packages. The large tables go through COPY.
async fn insert_children(tx: &mut PgConnection, packages: &[(i64, &PackageRecord)]) -> Result<(), sqlx::Error> {
    let version_count = packages.iter().map(|(_, p)| p.versions.len()).sum();
    let mut version_ids = copy::reserve_ids(tx, "package_versions", version_count).await?.into_iter();
    let mut versions = CopyRows::default();
    let mut sources = CopyRows::default();
    let mut source_row = |package_id: i64, version_id: Option<i64>, s: &SourceRecord| {
        let forge = s.primary_url().and_then(names::forge_host);
        sources.row(&[
            Cell::Int(package_id),
            version_id.into(),
            Cell::Text(s.origin.as_str()),
            Cell::TextArray(&s.urls),
            s.git_url.as_deref().into(),
            s.git_ref.as_deref().into(),
            s.git_commit.as_deref().into(),
            s.sha256.as_deref().into(),
            s.nar_sha256.as_deref().into(),
            s.integrity.as_deref().into(),
            forge.as_deref().into(),
        ]);
    };
    for (id, p) in packages {
        for s in &p.sources {
            source_row(*id, None, s);
        }
        for (i, v) in p.versions.iter().enumerate() {
            let vid = version_ids.next().expect("one id reserved per version");
            versions.row(&[
                Cell::Int(vid),
                Cell::Int(*id),
                Cell::Int(i as i64),
                Cell::Text(&v.version),
                Cell::Bool(v.deprecated),
                Cell::Bool(v.preferred),
            ]);
            for s in &v.sources {
                source_row(*id, Some(vid), s);
            }
        }
    }
    versions.copy_into(tx, "package_versions (id, package_id, position, version, deprecated, preferred)").await?;
    sources
        .copy_into(
            tx,
            "sources (package_id, version_id, origin_type, urls, git_url, git_ref, git_commit, sha256, nar_sha256, integrity, forge_host)",
        )
        .await?;

    let mut licenses = CopyRows::default();
    let mut deps = CopyRows::default();
    let mut variants = CopyRows::default();
    for (id, p) in packages {
        for (i, l) in p.licenses.iter().enumerate() {
            licenses.row(&[
                Cell::Int(*id),
                Cell::Int(i as i64),
                Cell::Text(&l.raw),
                l.spdx.as_deref().into(),
                l.condition.as_deref().into(),
            ]);
        }
        for (i, d) in p.dependencies.iter().enumerate() {
            deps.row(&[
                Cell::Int(*id),
                Cell::Int(i as i64),
                Cell::Text(&d.name),
                Cell::TextArray(&d.kinds),
                d.spec.as_deref().into(),
                d.condition.as_deref().into(),
            ]);
        }
        for (i, v) in p.variants.iter().enumerate() {
            variants.row(&[
                Cell::Int(*id),
                Cell::Int(i as i64),
                Cell::Text(&v.name),
                v.default.as_deref().into(),
                v.description.as_deref().into(),
                v.values.as_deref().into(),
            ]);
        }
    }
    licenses.copy_into(tx, "package_licenses (package_id, position, raw, spdx, condition)").await?;
    deps.copy_into(tx, "dependencies (package_id, position, name, kinds, spec, condition)").await?;
    variants.copy_into(tx, "variants (package_id, position, name, default_value, description, allowed_values)").await?;

    #[derive(Serialize)]
    struct MaintainerRow<'a> {
        package_id: i64,
        forge: &'a str,
        handle: &'a str,
        name: Option<&'a str>,
    }
    let maintainers: Vec<MaintainerRow> = packages
        .iter()
        .flat_map(|(id, p)| {
            p.maintainers.iter().map(move |m| MaintainerRow {
                package_id: *id,
                forge: &m.forge,
                handle: &m.handle,
                name: m.name.as_deref(),
            })
        })
        .collect();
    if !maintainers.is_empty() {
        sqlx::query(
            "INSERT INTO maintainers (forge, handle, name)
             SELECT DISTINCT ON (x.forge, lower(x.handle)) x.forge, x.handle, x.name
             FROM json_to_recordset($1::json) AS x(package_id bigint, forge text, handle text, name text)
             ON CONFLICT (forge, lower(handle)) DO NOTHING",
        )
        .bind(to_json(&maintainers))
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "INSERT INTO package_maintainers (package_id, maintainer_id)
             SELECT DISTINCT x.package_id, m.id
             FROM json_to_recordset($1::json) AS x(package_id bigint, forge text, handle text, name text)
             JOIN maintainers m ON m.forge = x.forge AND lower(m.handle) = lower(x.handle)
             ON CONFLICT DO NOTHING",
        )
        .bind(to_json(&maintainers))
        .execute(&mut *tx)
        .await?;
    }
    Ok(())
}
