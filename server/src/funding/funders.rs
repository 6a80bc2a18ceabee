//! Funders as listed (`/funding/funders`, the API) and looked up by slug,
//! with their counts of active and ended sponsorships.
use app::api::funding::Funder;
use sqlx::PgPool;

use super::read::MAX_FUNDERS;

const FUNDER_COLUMNS: &str = "f.slug, f.name, f.kind, f.country, f.url, f.description, f.demo,
    (SELECT count(*) FROM sponsorships s WHERE s.funder_id = f.id AND (s.ends_on IS NULL OR s.ends_on >= current_date)) AS active,
    (SELECT count(*) FROM sponsorships s WHERE s.funder_id = f.id AND s.ends_on < current_date) AS ended";

#[derive(sqlx::FromRow)]
struct FunderRow {
    slug: String,
    name: String,
    kind: String,
    country: Option<String>,
    url: Option<String>,
    description: Option<String>,
    demo: bool,
    active: i64,
    ended: i64,
}

fn funder_view(r: FunderRow) -> Funder {
    Funder {
        slug: r.slug,
        name: r.name,
        kind: r.kind,
        country: r.country,
        url: r.url,
        description: r.description,
        demo: r.demo,
        active: r.active,
        ended: r.ended,
    }
}

/// Funders of a kind (all kinds when none), by name.
pub async fn funders(pool: &PgPool, kind: Option<&str>) -> sqlx::Result<Vec<Funder>> {
    let sql = format!(
        "SELECT f.slug, f.name, f.kind, f.country, f.url, f.description, f.demo,
                coalesce(c.active, 0) AS active, coalesce(c.ended, 0) AS ended
         FROM funders f
         LEFT JOIN (SELECT funder_id, count(*) FILTER (WHERE ends_on IS NULL OR ends_on >= current_date) AS active,
                           count(*) FILTER (WHERE ends_on < current_date) AS ended
                    FROM sponsorships GROUP BY funder_id) c ON c.funder_id = f.id
         WHERE ($1::text IS NULL OR f.kind = $1) ORDER BY f.name, f.id LIMIT {MAX_FUNDERS}"
    );
    let rows: Vec<FunderRow> = sqlx::query_as(&sql).bind(kind).fetch_all(pool).await?;
    Ok(rows.into_iter().map(funder_view).collect())
}

pub async fn funder_by_slug(pool: &PgPool, slug: &str) -> sqlx::Result<Option<Funder>> {
    let sql = format!("SELECT {FUNDER_COLUMNS} FROM funders f WHERE f.slug = $1");
    let row: Option<FunderRow> = sqlx::query_as(&sql).bind(slug).fetch_optional(pool).await?;
    Ok(row.map(funder_view))
}
