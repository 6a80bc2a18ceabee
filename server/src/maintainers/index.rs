//! The maintainer index: everyone declared for or claiming a present
//! package (e-mail-only maintainers left out), most packages first,
//! searchable by handle or name, paged. One statement; the page cache keeps
//! the answer per catalog generation.
use app::api::maintainers::{MaintainerIndex, MaintainerSummary, MAINTAINERS_PER_PAGE};
use sqlx::PgPool;

use super::ACTIVE_CLAIMS;

/// The longest search accepted.
pub const MAX_QUERY_CHARS: usize = 100;

#[derive(sqlx::FromRow)]
struct Row {
    forge: String,
    handle: String,
    name: Option<String>,
    packages: i64,
    total: i64,
}

/// `q` as a LIKE pattern matching it anywhere, lower-cased, wildcards escaped.
fn pattern(q: &str) -> String {
    let escaped = q.to_lowercase().replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
    format!("%{escaped}%")
}

/// One page (from 1) of the maintainers matching `q` (handle or name, any
/// case; blank: everyone).
pub async fn index(pool: &PgPool, q: Option<&str>, page: i64) -> sqlx::Result<MaintainerIndex> {
    let q = q.map(str::trim).filter(|q| !q.is_empty()).map(|q| q.chars().take(MAX_QUERY_CHARS).collect::<String>());
    let page = page.clamp(1, 10_000);
    let sql = format!(
        "WITH claimants AS (
             SELECT i.forge, i.handle, COALESCE(i.name, u.name) AS name, c.package_id, c.project_id
             FROM identities i JOIN users u ON u.id = i.user_id AND u.disabled_at IS NULL
             JOIN claims c ON c.user_id = i.user_id AND c.status IN {ACTIVE_CLAIMS}
             WHERE i.forge <> 'email'),
         people AS (
             SELECT m.forge, m.handle, m.name, pm.package_id
             FROM maintainers m JOIN package_maintainers pm ON pm.maintainer_id = m.id
             WHERE m.forge <> 'email'
               AND ($1::text IS NULL OR lower(m.handle) LIKE $1 OR lower(m.name) LIKE $1)
             UNION ALL
             SELECT k.forge, k.handle, k.name, COALESCE(k.package_id, p.id)
             FROM claimants k LEFT JOIN packages p ON p.project_id = k.project_id
             WHERE ($1::text IS NULL OR lower(k.handle) LIKE $1 OR lower(k.name) LIKE $1)),
         counted AS (
             SELECT pe.forge, lower(pe.handle) AS key, min(pe.handle) AS handle, max(pe.name) AS name,
                    count(DISTINCT pe.package_id) AS packages
             FROM people pe JOIN packages p ON p.id = pe.package_id AND NOT p.removed
             GROUP BY pe.forge, lower(pe.handle))
         SELECT forge, handle, name, packages, count(*) OVER () AS total
         FROM counted ORDER BY packages DESC, key, forge
         LIMIT $2 OFFSET $3"
    );
    let rows: Vec<Row> = sqlx::query_as(&sql)
        .bind(q.as_deref().map(pattern))
        .bind(MAINTAINERS_PER_PAGE)
        .bind((page - 1) * MAINTAINERS_PER_PAGE)
        .fetch_all(pool)
        .await?;
    let total = match rows.first() {
        Some(r) => r.total,
        // Past the last page: count how many there are.
        None if page > 1 => Box::pin(index(pool, q.as_deref(), 1)).await?.total,
        None => 0,
    };
    let pages = ((total + MAINTAINERS_PER_PAGE - 1) / MAINTAINERS_PER_PAGE).max(1);
    Ok(MaintainerIndex {
        q,
        total,
        page,
        pages,
        maintainers: rows
            .into_iter()
            .map(|r| MaintainerSummary { forge: r.forge, handle: r.handle, name: r.name, packages: r.packages })
            .collect(),
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn wildcards_are_searched_for_literally() {
        assert_eq!(super::pattern("A_b%"), "%a\\_b\\%%");
    }
}
