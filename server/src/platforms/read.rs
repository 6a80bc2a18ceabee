//! Reading sites and a package's platforms for pages and the JSON API, and
//! the matrix port the Leptos server functions call.
use app::api::matrix::{
    Matrix, MatrixFilters, MatrixPort, PackagePlatforms, PartitionView, SitePage, SiteSummary, PER_PAGE,
};
use leptos::prelude::ServerFnError;
use sqlx::PgPool;

use super::matrix::{self, Start};

#[derive(sqlx::FromRow)]
struct SiteRow {
    name: String,
    title: String,
    operator: String,
    url: Option<String>,
    country: Option<String>,
    description: Option<String>,
    machines: i64,
    partitions: i64,
    attested_packages: i64,
}

#[derive(sqlx::FromRow)]
struct PartitionRow {
    machine: String,
    machine_title: String,
    machine_url: Option<String>,
    name: String,
    system: String,
    microarch: Option<String>,
    cpu_model: Option<String>,
    gpu_vendor: Option<String>,
    gpu_model: Option<String>,
    gpu_target: Option<String>,
    nodes: Option<i32>,
}

/// Every site with its counts.
pub async fn sites(pool: &PgPool) -> sqlx::Result<Vec<SiteSummary>> {
    let rows: Vec<SiteRow> = sqlx::query_as(
        "SELECT s.name, s.title, s.operator, s.url, s.country, s.description,
                (SELECT count(*) FROM machines m WHERE m.site_id = s.id) AS machines,
                (SELECT count(*) FROM partitions pa JOIN machines m ON m.id = pa.machine_id WHERE m.site_id = s.id)
                    AS partitions,
                (SELECT count(DISTINCT a.package_id) FROM attestations a JOIN partitions pa ON pa.id = a.partition_id
                     JOIN machines m ON m.id = pa.machine_id WHERE m.site_id = s.id) AS attested_packages
         FROM sites s ORDER BY s.name",
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| SiteSummary {
            name: r.name,
            title: r.title,
            operator: r.operator,
            url: r.url,
            country: r.country,
            description: r.description,
            machines: r.machines,
            partitions: r.partitions,
            attested_packages: r.attested_packages,
        })
        .collect())
}

/// A site's machines, partitions and public matrix; `None` when there is no such site.
pub async fn site(pool: &PgPool, name: &str, mut filters: MatrixFilters) -> sqlx::Result<Option<SitePage>> {
    let Some(site) = sites(pool).await?.into_iter().find(|s| s.name == name) else { return Ok(None) };
    let partitions: Vec<PartitionRow> = sqlx::query_as(
        "SELECT m.name AS machine, m.title AS machine_title, m.url AS machine_url, pa.name, pa.system, pa.microarch,
                pa.cpu_model, pa.gpu_vendor, pa.gpu_model, pa.gpu_target, pa.nodes
         FROM partitions pa JOIN machines m ON m.id = pa.machine_id JOIN sites s ON s.id = m.site_id
         WHERE s.name = $1 ORDER BY m.name, pa.name",
    )
    .bind(name)
    .fetch_all(pool)
    .await?;
    let partitions = partitions
        .into_iter()
        .map(|p| PartitionView {
            machine: p.machine,
            machine_title: p.machine_title,
            machine_url: p.machine_url,
            name: p.name,
            system: p.system,
            microarch: p.microarch,
            cpu_model: p.cpu_model,
            gpu_vendor: p.gpu_vendor,
            gpu_model: p.gpu_model,
            gpu_target: p.gpu_target,
            nodes: p.nodes,
        })
        .collect();
    filters.site = Some(name.to_string());
    let matrix = matrix::matrix(pool, filters).await?;
    Ok(Some(SitePage { site, partitions, matrix }))
}

/// A package's row of the matrix, its GPU models and target conflicts.
pub async fn package_platforms(
    pool: &PgPool,
    ecosystem: &str,
    channel: &str,
    name: &str,
) -> sqlx::Result<Option<PackagePlatforms>> {
    let filters = MatrixFilters {
        channel: Some(format!("{ecosystem}/{channel}")),
        page: 1,
        per_page: PER_PAGE,
        ..Default::default()
    };
    let (columns, platforms) = matrix::columns_for(pool, &filters).await?;
    let found: Option<(Option<Vec<String>>, Option<serde_json::Value>)> = sqlx::query_as(
        "SELECT (SELECT array_agg(k ORDER BY k) FROM jsonb_each_text(CASE WHEN jsonb_typeof(p.extra->'gpu') = 'object'
                                                  THEN p.extra->'gpu' ELSE '{}' END) AS g (k, v) WHERE v = 'true'),
                p.extra->'conflicts'
         FROM packages p JOIN channels c ON c.id = p.channel_id
         WHERE c.ecosystem = $1 AND c.name = $2 AND p.name = $3",
    )
    .bind(ecosystem)
    .bind(channel)
    .bind(name)
    .fetch_optional(pool)
    .await?;
    let Some((gpu, conflicts)) = found else { return Ok(None) };
    let (rows, _) = matrix::rows_named(pool, &filters, &platforms, Start::Offset(0), 1, Some(name)).await?;
    let Some(row) = rows.into_iter().next() else { return Ok(None) };
    let conflicts = conflicts
        .and_then(|c| c.as_array().cloned())
        .unwrap_or_default()
        .into_iter()
        .filter_map(|c| {
            let spec = c.get("spec").and_then(|s| s.as_str()).unwrap_or_default().to_string();
            let when = c.get("when").and_then(|s| s.as_str()).unwrap_or_default().to_string();
            let about_platform = |s: &str| {
                s.contains("target=")
                    || s.contains("cuda_arch=")
                    || s.contains("amdgpu_target=")
                    || s.contains("platform=")
            };
            (about_platform(&spec) || about_platform(&when)).then(|| {
                if when.is_empty() {
                    spec
                } else {
                    format!("{spec} when {when}")
                }
            })
        })
        .take(50)
        .collect();
    Ok(Some(PackagePlatforms { columns, row, gpu: gpu.unwrap_or_default(), conflicts }))
}

/// The verdict of a site's badge for a package: works when a current
/// attestation at one of its partitions says so, and none says broken.
pub fn site_verdict(codes: &[String]) -> &'static str {
    if codes.iter().any(|c| c == "attested:broken") {
        "broken"
    } else if codes.iter().any(|c| c == "attested:partial") {
        "partial"
    } else if codes.iter().any(|c| c == "attested:works") {
        "works"
    } else {
        "unknown"
    }
}

/// The matrix port the server functions call.
pub struct PgMatrix {
    pub pool: PgPool,
}

fn internal(e: sqlx::Error) -> ServerFnError {
    tracing::error!(error = %e, "matrix query failed");
    ServerFnError::new("the matrix is not available")
}

#[async_trait::async_trait]
impl MatrixPort for PgMatrix {
    async fn matrix(&self, filters: MatrixFilters) -> Result<Matrix, ServerFnError> {
        matrix::matrix(&self.pool, filters).await.map_err(internal)
    }
    async fn sites(&self) -> Result<Vec<SiteSummary>, ServerFnError> {
        sites(&self.pool).await.map_err(internal)
    }
    async fn site(&self, name: &str, filters: MatrixFilters) -> Result<Option<SitePage>, ServerFnError> {
        site(&self.pool, name, filters).await.map_err(internal)
    }
    async fn package_platforms(
        &self,
        ecosystem: &str,
        channel: &str,
        name: &str,
    ) -> Result<Option<PackagePlatforms>, ServerFnError> {
        package_platforms(&self.pool, ecosystem, channel, name).await.map_err(internal)
    }
}
