//! The degraded search: PostgreSQL alone (name, trigram similarity and
//! words in the synopsis), used when the configured engine does not answer.
use std::collections::BTreeMap;

use sqlx::PgPool;

use super::{document, FacetCounts, Retrieval, Retrieved, SearchError};

const MATCH: &str = "
    FROM packages p JOIN channels c ON c.id = p.channel_id
    WHERE NOT p.removed
      AND ($1 = '' OR strpos(lower(p.name), $1) > 0 OR strpos(replace(replace(replace(lower(p.name), '-', ''), '_', ''), '.', ''), $1) > 0
           OR p.base_name % $1 OR $1 = ANY(p.provides)
           OR NOT EXISTS (SELECT 1 FROM unnest($2::text[]) w
                          WHERE strpos(lower(p.name || ' ' || COALESCE(p.synopsis, '')), w) = 0))
      AND (cardinality($3::text[]) = 0 OR c.ecosystem = ANY($3))
      AND (cardinality($4::text[]) = 0 OR c.name = ANY($4))
      AND (cardinality($5::text[]) = 0 OR EXISTS (SELECT 1 FROM package_licenses l
                WHERE l.package_id = p.id AND COALESCE(l.spdx, l.raw) = ANY($5)))";

/// Binds the parameters of `MATCH` ($1 folded query, $2 words, $3-$5 filters).
fn bind_match<'q, O>(
    q: sqlx::query::QueryAs<'q, sqlx::Postgres, O, sqlx::postgres::PgArguments>,
    r: &'q Retrieval,
) -> sqlx::query::QueryAs<'q, sqlx::Postgres, O, sqlx::postgres::PgArguments> {
    q.bind(&r.query.folded).bind(&r.query.words).bind(&r.filters.ecosystem).bind(&r.filters.channel).bind(&r.filters.license)
}

pub async fn retrieve(pool: &PgPool, r: &Retrieval) -> Result<Retrieved, SearchError> {
    let sql = format!("SELECT p.id {MATCH} ORDER BY similarity(p.base_name, $1) DESC, p.name LIMIT {}", r.limit.max(1));
    let ids: Vec<(i64,)> = bind_match(sqlx::query_as(&sql), r).fetch_all(pool).await?;
    let ids: Vec<i64> = ids.into_iter().map(|(id,)| id).collect();
    let candidates = document::for_ids(pool, &ids).await?;
    let mut facets: FacetCounts = BTreeMap::new();
    let mut total = 0;
    for (name, expr) in [("ecosystem", "c.ecosystem"), ("channel", "c.name"), ("license", "COALESCE(l.spdx, l.raw)")] {
        let join = if name == "license" { "JOIN package_licenses l ON l.package_id = p.id" } else { "" };
        let sql = format!("SELECT {expr} AS v, count(DISTINCT p.id) {} GROUP BY 1", MATCH.replacen("WHERE", &format!("{join} WHERE"), 1));
        let rows: Vec<(String, i64)> = bind_match(sqlx::query_as(&sql), r).fetch_all(pool).await?;
        if name == "ecosystem" {
            total = rows.iter().map(|(_, n)| *n as u64).sum();
        }
        facets.insert(name, rows.into_iter().map(|(v, n)| (v, n as u64)).collect());
    }
    Ok(Retrieved { candidates, total, facets })
}
