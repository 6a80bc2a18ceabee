//! The degraded search: PostgreSQL alone (name, trigram similarity of the
//! software's name, virtuals provided, words in the name and synopsis), used
//! when the configured engine does not answer. One statement finds the
//! matches once and gives both the candidates and the facet counts; the
//! candidates' documents then count their dependents by name (indexed), not
//! over the whole catalog.
use std::collections::BTreeMap;

use sqlx::PgPool;

use super::{document, FacetCounts, Retrieval, Retrieved, SearchError};

/// $1 folded query, $2 words, $3-$5 and $7-$9 filters, $6 how many candidates.
const SQL: &str = concat!("
WITH m AS (
    SELECT p.id, p.name, c.ecosystem, c.name AS channel, similarity(p.base_name, $1) AS sim
    FROM packages p JOIN channels c ON c.id = p.channel_id
    WHERE NOT p.removed
      AND ($1 = '' OR strpos(lower(p.name), $1) > 0 OR strpos(replace(replace(replace(lower(p.name), '-', ''), '_', ''), '.', ''), $1) > 0
           OR p.base_name % $1 OR $1 = ANY(p.provides)
           OR NOT EXISTS (SELECT 1 FROM unnest($2::text[]) w
                          WHERE strpos(lower(p.name || ' ' || COALESCE(p.synopsis, '')), w) = 0))
      AND (cardinality($3::text[]) = 0 OR c.ecosystem = ANY($3))
      AND (cardinality($4::text[]) = 0 OR c.name = ANY($4))
      AND (cardinality($5::text[]) = 0 OR EXISTS (SELECT 1 FROM package_licenses l
                WHERE l.package_id = p.id AND COALESCE(l.spdx, l.raw) = ANY($5)))
      AND (cardinality($7::text[]) = 0
           OR COALESCE((SELECT pc.status FROM package_ci pc WHERE pc.package_id = p.id), 'unknown') = ANY($7))
      AND (cardinality($8::text[]) = 0 OR (", crate::archival_status_sql!("p.id"), ") = ANY($8))
      AND (cardinality($9::text[]) = 0 OR (", crate::platforms_sql!("p.id"), ") && $9::text[])
), hits AS (
    SELECT id, row_number() OVER (ORDER BY sim DESC, name, id) AS n FROM m ORDER BY sim DESC, name, id LIMIT $6
)
SELECT 'hit' AS facet, id::text AS value, n FROM hits
UNION ALL SELECT 'ecosystem', ecosystem, count(*) FROM m GROUP BY ecosystem
UNION ALL SELECT 'channel', channel, count(*) FROM m GROUP BY channel
UNION ALL SELECT 'license', COALESCE(l.spdx, l.raw), count(DISTINCT m.id)
          FROM m JOIN package_licenses l ON l.package_id = m.id GROUP BY 2
UNION ALL SELECT 'ci', COALESCE(pc.status, 'unknown'), count(*)
          FROM m LEFT JOIN package_ci pc ON pc.package_id = m.id GROUP BY 2
UNION ALL SELECT 'archival', x.status, count(*)
          FROM (SELECT ", crate::archival_status_sql!("m.id"), " AS status FROM m) x GROUP BY 2
UNION ALL SELECT 'platform', v, count(*)
          FROM m, unnest(", crate::platforms_sql!("m.id"), ") AS v GROUP BY 2");

pub async fn retrieve(pool: &PgPool, r: &Retrieval) -> Result<Retrieved, SearchError> {
    let rows: Vec<(String, String, i64)> = sqlx::query_as(SQL)
        .bind(&r.query.folded)
        .bind(&r.query.words)
        .bind(&r.filters.ecosystem)
        .bind(&r.filters.channel)
        .bind(&r.filters.license)
        .bind(r.limit.max(1) as i64)
        .bind(&r.filters.ci)
        .bind(&r.filters.archival)
        .bind(&r.filters.platform)
        .fetch_all(pool)
        .await?;
    let mut hits: Vec<(i64, i64)> = Vec::new();
    let mut facets: FacetCounts = BTreeMap::new();
    for name in ["ecosystem", "channel", "license", "ci", "archival", "platform"] {
        facets.insert(name, BTreeMap::new());
    }
    let mut total = 0;
    for (facet, value, n) in rows {
        match facet.as_str() {
            "hit" => hits.extend(value.parse().ok().map(|id| (n, id))),
            "ecosystem" => {
                total += n as u64;
                facets.entry("ecosystem").or_default().insert(value, n as u64);
            }
            "channel" => {
                facets.entry("channel").or_default().insert(value, n as u64);
            }
            "ci" => {
                facets.entry("ci").or_default().insert(value, n as u64);
            }
            "archival" => {
                facets.entry("archival").or_default().insert(value, n as u64);
            }
            "platform" => {
                facets.entry("platform").or_default().insert(value, n as u64);
            }
            _ => {
                facets.entry("license").or_default().insert(value, n as u64);
            }
        }
    }
    hits.sort_unstable();
    let ids: Vec<i64> = hits.iter().map(|(_, id)| *id).collect();
    // The documents in the order found (for_ids returns them by id).
    let mut docs: std::collections::HashMap<String, document::SearchDocument> =
        document::for_ids(pool, &ids).await?.into_iter().map(|d| (d.id.clone(), d)).collect();
    let candidates = ids
        .iter()
        .filter_map(|id| docs.remove(&id.to_string()))
        .map(|d| std::sync::Arc::new(super::record::RankRecord::of(&d)))
        .collect();
    Ok(Retrieved { candidates, total, facets })
}
