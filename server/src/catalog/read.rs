//! Reading the catalog for pages and the JSON API: the shapes are the ones
//! in `app::api::catalog`, shared with the browser. Each page is one SQL
//! statement (one round trip, one snapshot); counts are kept by the ingest.
use app::api::catalog::{ChannelDetail, ChannelSummary, PackageDetail, MAX_PAGE};
use sqlx::{types::Json, PgPool};

pub use super::package_page::package;

/// Packages per page on a channel page.
pub const PER_PAGE: u32 = 100;

/// A channel as JSON (`ChannelSummary`), from `channels c`.
const CHANNEL_JSON: &str = "json_build_object('ecosystem', c.ecosystem, 'name', c.name, 'url', c.url,
    'current_revision', c.current_revision,
    'ingested_at', to_char(c.ingested_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'),
    'packages', c.packages_count, 'removed', c.removed_count)";

pub async fn channels(pool: &PgPool) -> Result<Vec<ChannelSummary>, sqlx::Error> {
    let Json(list): Json<Vec<ChannelSummary>> = sqlx::query_scalar(&format!(
        "SELECT COALESCE(json_agg({CHANNEL_JSON} ORDER BY c.ecosystem, c.name), '[]') FROM channels c"
    ))
    .fetch_one(pool)
    .await?;
    Ok(list)
}

fn channel_statement() -> String {
    const UTC: &str = "AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')";
    format!(
        "SELECT json_build_object(
            'channel', {CHANNEL_JSON},
            'runs', COALESCE((SELECT json_agg(json_build_object('revision', r.revision, 'status', r.status,
                        'added', r.added, 'updated', r.updated, 'removed', r.removed, 'unchanged', r.unchanged,
                        'started_at', to_char(r.started_at {UTC}, 'duration_ms', r.duration_ms,
                        'inputs', r.inputs, 'warnings', r.warnings) ORDER BY r.started_at DESC, r.id DESC)
                     FROM (SELECT * FROM ingest_runs r WHERE r.channel_id = c.id
                           ORDER BY r.started_at DESC, r.id DESC LIMIT 20) r), '[]'),
            'failures', COALESCE((SELECT json_agg(json_build_object('revision', f.revision,
                        'started_at', to_char(f.started_at {UTC}, 'failed_at', to_char(f.failed_at {UTC},
                        'inputs', f.inputs, 'file', f.file, 'record', f.record, 'place', f.place, 'error', f.error)
                        ORDER BY f.failed_at DESC, f.id DESC)
                     FROM (SELECT * FROM ingest_failures f WHERE f.ecosystem = c.ecosystem AND f.channel = c.name
                           ORDER BY f.failed_at DESC, f.id DESC LIMIT 10) f), '[]'),
            'packages', COALESCE((SELECT json_agg(json_build_object('ecosystem', c.ecosystem, 'channel', c.name,
                        'name', p.name, 'latest_version', p.latest_version, 'synopsis', p.synopsis, 'removed', p.removed)
                        ORDER BY p.name)
                     FROM (SELECT p.name, p.latest_version, p.synopsis, p.removed FROM packages p
                           WHERE p.channel_id = c.id AND NOT p.removed ORDER BY p.name LIMIT $3 OFFSET $4) p), '[]'),
            'page', $5::int, 'per_page', $3::int)
         FROM channels c WHERE c.ecosystem = $1 AND c.name = $2"
    )
}

/// A channel, its latest ingests (and failures) and one page of its packages.
/// `page` is clamped to 1..=`MAX_PAGE`.
pub async fn channel(
    pool: &PgPool,
    ecosystem: &str,
    name: &str,
    page: u32,
) -> Result<Option<ChannelDetail>, sqlx::Error> {
    static SQL: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    let page = page.clamp(1, MAX_PAGE);
    let found: Option<Json<ChannelDetail>> = sqlx::query_scalar(SQL.get_or_init(channel_statement))
        .bind(ecosystem)
        .bind(name)
        .bind(i64::from(PER_PAGE))
        .bind(i64::from(page - 1) * i64::from(PER_PAGE))
        .bind(page as i32)
        .fetch_optional(pool)
        .await?;
    Ok(found.map(|Json(d)| d))
}

/// The catalog port the Leptos server functions use.
pub struct PgCatalog {
    pub pool: PgPool,
}

/// A failed read: logged here, shown to the visitor as "not available"
/// (the page answers 503 with `Retry-After`).
fn unavailable(e: sqlx::Error) -> leptos::prelude::ServerFnError {
    tracing::error!(error = %e, "catalog query failed");
    leptos::prelude::ServerFnError::new(app::api::catalog::UNAVAILABLE)
}

#[async_trait::async_trait]
impl app::api::catalog::CatalogPort for PgCatalog {
    async fn channels(&self) -> Result<Vec<ChannelSummary>, leptos::prelude::ServerFnError> {
        channels(&self.pool).await.map_err(unavailable)
    }
    async fn channel(
        &self,
        ecosystem: &str,
        name: &str,
        page: u32,
    ) -> Result<Option<ChannelDetail>, leptos::prelude::ServerFnError> {
        channel(&self.pool, ecosystem, name, page).await.map_err(unavailable)
    }
    async fn package(
        &self,
        ecosystem: &str,
        channel: &str,
        name: &str,
    ) -> Result<Option<PackageDetail>, leptos::prelude::ServerFnError> {
        package(&self.pool, ecosystem, channel, name).await.map_err(unavailable)
    }
}
