//! Reading the catalog for pages and the JSON API: the shapes are the ones
//! in `app::api::catalog`, shared with the browser.
use app::api::catalog::{
    install_command, ChannelDetail, ChannelSummary, DependencyView, IngestInput, IngestRunView, LicenseView,
    ConflictView, MaintainerView, PackageDetail, PackageRef, SourceView, VariantView, VersionView,
};
use sqlx::{FromRow, PgPool};

/// Packages per page on a channel page.
pub const PER_PAGE: u32 = 100;

const CHANNEL_COLUMNS: &str = "c.ecosystem, c.name, c.url, c.current_revision,
    to_char(c.ingested_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') AS ingested_at,
    COALESCE(n.packages, 0) AS packages, COALESCE(n.removed, 0) AS removed";
/// Package counts per channel, joined as `n` after `channels c`.
const CHANNEL_COUNTS: &str = "LEFT JOIN LATERAL (SELECT count(*) FILTER (WHERE NOT p.removed) AS packages,
    count(*) FILTER (WHERE p.removed) AS removed FROM packages p WHERE p.channel_id = c.id) n ON true";

#[derive(FromRow)]
struct ChannelRow {
    ecosystem: String,
    name: String,
    url: Option<String>,
    current_revision: Option<String>,
    ingested_at: Option<String>,
    packages: i64,
    removed: i64,
}

impl From<ChannelRow> for ChannelSummary {
    fn from(r: ChannelRow) -> Self {
        Self {
            ecosystem: r.ecosystem,
            name: r.name,
            url: r.url,
            current_revision: r.current_revision,
            ingested_at: r.ingested_at,
            packages: r.packages,
            removed: r.removed,
        }
    }
}

pub async fn channels(pool: &PgPool) -> Result<Vec<ChannelSummary>, sqlx::Error> {
    let rows: Vec<ChannelRow> = sqlx::query_as(&format!(
        "SELECT {CHANNEL_COLUMNS} FROM channels c {CHANNEL_COUNTS} ORDER BY c.ecosystem, c.name"
    ))
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().map(Into::into).collect())
}

#[derive(FromRow)]
struct RunRow {
    revision: Option<String>,
    status: String,
    added: i32,
    updated: i32,
    removed: i32,
    unchanged: i32,
    started_at: String,
    duration_ms: i64,
    inputs: sqlx::types::Json<Vec<IngestInput>>,
    warnings: sqlx::types::Json<Vec<String>>,
}

#[derive(FromRow)]
struct RefRow {
    ecosystem: String,
    channel: String,
    name: String,
    latest_version: Option<String>,
    synopsis: Option<String>,
    removed: bool,
}

impl From<RefRow> for PackageRef {
    fn from(r: RefRow) -> Self {
        Self {
            ecosystem: r.ecosystem,
            channel: r.channel,
            name: r.name,
            latest_version: r.latest_version,
            synopsis: r.synopsis,
            removed: r.removed,
        }
    }
}

pub async fn channel(pool: &PgPool, ecosystem: &str, name: &str, page: u32) -> Result<Option<ChannelDetail>, sqlx::Error> {
    let Some(row): Option<ChannelRow> = sqlx::query_as(&format!(
        "SELECT {CHANNEL_COLUMNS} FROM channels c {CHANNEL_COUNTS} WHERE c.ecosystem = $1 AND c.name = $2"
    ))
    .bind(ecosystem)
    .bind(name)
    .fetch_optional(pool)
    .await?
    else {
        return Ok(None);
    };
    let runs: Vec<RunRow> = sqlx::query_as(
        "SELECT r.revision, r.status, r.added, r.updated, r.removed, r.unchanged,
                to_char(r.started_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') AS started_at,
                r.duration_ms, r.inputs, r.warnings
         FROM ingest_runs r JOIN channels c ON c.id = r.channel_id
         WHERE c.ecosystem = $1 AND c.name = $2 ORDER BY r.started_at DESC, r.id DESC LIMIT 20",
    )
    .bind(ecosystem)
    .bind(name)
    .fetch_all(pool)
    .await?;
    let page = page.max(1);
    let packages: Vec<RefRow> = sqlx::query_as(
        "SELECT c.ecosystem, c.name AS channel, p.name, p.latest_version, p.synopsis, p.removed
         FROM packages p JOIN channels c ON c.id = p.channel_id
         WHERE c.ecosystem = $1 AND c.name = $2 AND NOT p.removed
         ORDER BY p.name LIMIT $3 OFFSET $4",
    )
    .bind(ecosystem)
    .bind(name)
    .bind(i64::from(PER_PAGE))
    .bind(i64::from(page - 1) * i64::from(PER_PAGE))
    .fetch_all(pool)
    .await?;
    Ok(Some(ChannelDetail {
        channel: row.into(),
        runs: runs
            .into_iter()
            .map(|r| IngestRunView {
                revision: r.revision,
                status: r.status,
                added: r.added,
                updated: r.updated,
                removed: r.removed,
                unchanged: r.unchanged,
                started_at: r.started_at,
                duration_ms: r.duration_ms,
                inputs: r.inputs.0,
                warnings: r.warnings.0,
            })
            .collect(),
        packages: packages.into_iter().map(Into::into).collect(),
        page,
        per_page: PER_PAGE,
    }))
}

#[derive(FromRow)]
struct PackageRow {
    id: i64,
    channel_id: i64,
    project_id: Option<i64>,
    ecosystem: String,
    channel: String,
    channel_revision: Option<String>,
    name: String,
    pname: Option<String>,
    latest_version: Option<String>,
    synopsis: Option<String>,
    description: Option<String>,
    homepage: Option<String>,
    repository_url: Option<String>,
    location: Option<String>,
    build_system: Option<String>,
    tags: Vec<String>,
    provides: Vec<String>,
    platforms: Vec<String>,
    removed: bool,
    removed_at: Option<String>,
    first_seen_revision: Option<String>,
    last_seen_revision: Option<String>,
    extra: sqlx::types::Json<serde_json::Value>,
}

#[derive(FromRow)]
struct SourceRow {
    version_id: Option<i64>,
    origin_type: String,
    urls: Vec<String>,
    git_url: Option<String>,
    git_ref: Option<String>,
    git_commit: Option<String>,
    sha256: Option<String>,
    nar_sha256: Option<String>,
    integrity: Option<String>,
    forge_host: Option<String>,
}

impl From<SourceRow> for SourceView {
    fn from(s: SourceRow) -> Self {
        Self {
            origin_type: s.origin_type,
            urls: s.urls,
            git_url: s.git_url,
            git_ref: s.git_ref,
            git_commit: s.git_commit,
            sha256: s.sha256,
            nar_sha256: s.nar_sha256,
            integrity: s.integrity,
            forge_host: s.forge_host,
        }
    }
}

#[derive(FromRow)]
struct DependencyRow {
    name: String,
    kinds: Vec<String>,
    spec: Option<String>,
    condition: Option<String>,
    resolved: bool,
    providers: i64,
}

/// Spack's conflicts and GPU flags, kept in `packages.extra` by the importer.
fn recipe_facts(extra: &serde_json::Value) -> (Vec<ConflictView>, Vec<String>) {
    let text = |v: &serde_json::Value, key: &str| v.get(key).and_then(|x| x.as_str()).map(str::to_string);
    let conflicts = extra
        .get("conflicts")
        .and_then(|c| c.as_array())
        .map(|list| {
            list.iter()
                .filter_map(|c| Some(ConflictView { spec: text(c, "spec")?, when: text(c, "when"), message: text(c, "msg") }))
                .collect()
        })
        .unwrap_or_default();
    let gpu = extra
        .get("gpu")
        .and_then(|g| g.as_object())
        .map(|flags| flags.iter().filter(|(_, on)| on.as_bool() == Some(true)).map(|(k, _)| k.clone()).collect())
        .unwrap_or_default();
    (conflicts, gpu)
}

pub async fn package(pool: &PgPool, ecosystem: &str, channel: &str, name: &str) -> Result<Option<PackageDetail>, sqlx::Error> {
    let Some(p): Option<PackageRow> = sqlx::query_as(
        "SELECT p.id, p.channel_id, p.project_id, c.ecosystem, c.name AS channel, c.current_revision AS channel_revision,
                p.name, p.pname, p.latest_version, p.synopsis, p.description, p.homepage, p.repository_url, p.location,
                p.build_system, p.tags, p.provides, p.platforms, p.removed,
                to_char(p.removed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') AS removed_at,
                p.first_seen_revision, p.last_seen_revision, p.extra
         FROM packages p JOIN channels c ON c.id = p.channel_id
         WHERE c.ecosystem = $1 AND c.name = $2 AND p.name = $3",
    )
    .bind(ecosystem)
    .bind(channel)
    .bind(name)
    .fetch_optional(pool)
    .await?
    else {
        return Ok(None);
    };

    let versions: Vec<(i64, String, bool, bool)> = sqlx::query_as(
        "SELECT id, version, deprecated, preferred FROM package_versions WHERE package_id = $1 ORDER BY position",
    )
    .bind(p.id)
    .fetch_all(pool)
    .await?;
    let mut sources: Vec<SourceRow> = sqlx::query_as(
        "SELECT version_id, origin_type, urls, git_url, git_ref, git_commit, sha256, nar_sha256, integrity, forge_host
         FROM sources WHERE package_id = $1 ORDER BY id",
    )
    .bind(p.id)
    .fetch_all(pool)
    .await?;
    let versions: Vec<VersionView> = versions
        .into_iter()
        .map(|(id, version, deprecated, preferred)| {
            let (mine, rest): (Vec<SourceRow>, Vec<SourceRow>) =
                std::mem::take(&mut sources).into_iter().partition(|s| s.version_id == Some(id));
            sources = rest;
            VersionView { version, deprecated, preferred, sources: mine.into_iter().map(Into::into).collect() }
        })
        .collect();
    let package_sources: Vec<SourceView> = sources.into_iter().map(Into::into).collect();

    let licenses: Vec<(String, Option<String>, Option<String>)> = sqlx::query_as(
        "SELECT raw, spdx, condition FROM package_licenses WHERE package_id = $1 ORDER BY position",
    )
    .bind(p.id)
    .fetch_all(pool)
    .await?;
    let maintainers: Vec<(String, String, Option<String>)> = sqlx::query_as(
        "SELECT m.forge, m.handle, m.name FROM package_maintainers pm JOIN maintainers m ON m.id = pm.maintainer_id
         WHERE pm.package_id = $1 ORDER BY lower(m.handle)",
    )
    .bind(p.id)
    .fetch_all(pool)
    .await?;
    let dependencies: Vec<DependencyRow> = sqlx::query_as(
        "SELECT d.name, d.kinds, d.spec, d.condition,
                EXISTS (SELECT 1 FROM packages t WHERE t.channel_id = $2 AND t.name = d.name) AS resolved,
                (SELECT count(*) FROM packages t WHERE t.channel_id = $2 AND t.provides @> ARRAY[d.name] AND NOT t.removed) AS providers
         FROM dependencies d WHERE d.package_id = $1 ORDER BY d.position",
    )
    .bind(p.id)
    .bind(p.channel_id)
    .fetch_all(pool)
    .await?;
    let dependents: i64 = sqlx::query_scalar(
        "SELECT count(DISTINCT d.package_id) FROM dependencies d JOIN packages q ON q.id = d.package_id
         WHERE d.name = $1 AND q.channel_id = $2 AND NOT q.removed AND q.id <> $3",
    )
    .bind(&p.name)
    .bind(p.channel_id)
    .bind(p.id)
    .fetch_one(pool)
    .await?;
    let variants: Vec<(String, Option<String>, Option<String>, Option<String>)> = sqlx::query_as(
        "SELECT name, default_value, description, allowed_values FROM variants WHERE package_id = $1 ORDER BY position",
    )
    .bind(p.id)
    .fetch_all(pool)
    .await?;
    let also_in: Vec<RefRow> = match p.project_id {
        Some(project) => {
            sqlx::query_as(
                "SELECT c.ecosystem, c.name AS channel, q.name, q.latest_version, q.synopsis, q.removed
                 FROM packages q JOIN channels c ON c.id = q.channel_id
                 WHERE q.project_id = $1 AND q.id <> $2 AND NOT q.removed
                 ORDER BY c.ecosystem = $3, c.ecosystem, c.name, q.name LIMIT 50",
            )
            .bind(project)
            .bind(p.id)
            .bind(&p.ecosystem)
            .fetch_all(pool)
            .await?
        }
        None => Vec::new(),
    };

    let (conflicts, gpu) = recipe_facts(&p.extra);
    Ok(Some(PackageDetail {
        conflicts,
        gpu,
        install: install_command(&p.ecosystem, &p.name),
        ecosystem: p.ecosystem,
        channel: p.channel,
        channel_revision: p.channel_revision,
        name: p.name,
        pname: p.pname,
        latest_version: p.latest_version,
        synopsis: p.synopsis,
        description: p.description,
        homepage: p.homepage,
        repository_url: p.repository_url,
        location: p.location,
        build_system: p.build_system,
        tags: p.tags,
        provides: p.provides,
        platforms: p.platforms,
        removed: p.removed,
        removed_at: p.removed_at,
        first_seen_revision: p.first_seen_revision,
        last_seen_revision: p.last_seen_revision,
        licenses: licenses.into_iter().map(|(raw, spdx, condition)| LicenseView { raw, spdx, condition }).collect(),
        maintainers: maintainers.into_iter().map(|(forge, handle, name)| MaintainerView { forge, handle, name }).collect(),
        versions,
        sources: package_sources,
        dependencies: dependencies
            .into_iter()
            .map(|d| DependencyView {
                name: d.name,
                kinds: d.kinds,
                spec: d.spec,
                condition: d.condition,
                resolved: d.resolved,
                providers: d.providers,
            })
            .collect(),
        dependents,
        variants: variants
            .into_iter()
            .map(|(name, default_value, description, allowed_values)| VariantView { name, default_value, description, allowed_values })
            .collect(),
        also_in: also_in.into_iter().map(Into::into).collect(),
    }))
}

/// The catalog port the Leptos server functions use.
pub struct PgCatalog {
    pub pool: PgPool,
}

fn internal(e: sqlx::Error) -> leptos::prelude::ServerFnError {
    tracing::error!(error = %e, "catalog query failed");
    leptos::prelude::ServerFnError::new("internal error")
}

#[async_trait::async_trait]
impl app::api::catalog::CatalogPort for PgCatalog {
    async fn channels(&self) -> Result<Vec<ChannelSummary>, leptos::prelude::ServerFnError> {
        channels(&self.pool).await.map_err(internal)
    }
    async fn channel(&self, ecosystem: &str, name: &str, page: u32) -> Result<Option<ChannelDetail>, leptos::prelude::ServerFnError> {
        channel(&self.pool, ecosystem, name, page).await.map_err(internal)
    }
    async fn package(&self, ecosystem: &str, channel: &str, name: &str) -> Result<Option<PackageDetail>, leptos::prelude::ServerFnError> {
        package(&self.pool, ecosystem, channel, name).await.map_err(internal)
    }
}
