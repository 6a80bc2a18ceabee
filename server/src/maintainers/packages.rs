//! A maintainer's packages and their health, in one statement: the packages
//! declared for the identities (`package_maintainers`) and those claimed by
//! users holding them (active claims on a package, or on its project), each
//! with its CI status (`package_ci`, `build_state`), its sources' archival
//! (`archival_checks`) and the latest versions of the same project in other
//! ecosystems (compared here, see `outdated`). Sorted and paged here: a
//! maintainer has at most a few thousand packages.
use app::api::maintainers::{
    profile_url, ChannelCount, HealthCounts, MaintainedPackage, MaintainerDetail, NewerVersion, Relation,
    PACKAGES_PER_PAGE,
};
use chrono::{DateTime, Utc};
use sqlx::{types::Json, PgPool};

use super::{outdated, Identity, ACTIVE_CLAIMS};

/// Packages read for one maintainer at most.
const MAX_PACKAGES: i64 = 10_000;

/// One package of the identities, with what its page and inbox need.
pub struct Package {
    pub view: MaintainedPackage,
    /// Latest failing builds: when the newest of them finished.
    pub failing_updated: Option<DateTime<Utc>>,
    pub failing_builds: i64,
    /// The latest check that found a source missing.
    pub missing_checked_at: Option<DateTime<Utc>>,
    /// When the newer version was seen.
    pub newer_seen_at: Option<DateTime<Utc>>,
}

#[derive(sqlx::FromRow)]
struct Row {
    ecosystem: String,
    channel: String,
    name: String,
    latest_version: Option<String>,
    declared: bool,
    claim: Option<String>,
    ci: Option<String>,
    failing_since: Option<DateTime<Utc>>,
    failing_builds: i64,
    failing_updated: Option<DateTime<Utc>>,
    sources: i64,
    archived: i64,
    missing: i64,
    missing_checked_at: Option<DateTime<Utc>>,
    siblings: Json<Vec<Sibling>>,
}

#[derive(serde::Deserialize)]
struct Sibling {
    version: String,
    ecosystem: String,
    channel: String,
    name: String,
    seen_at: DateTime<Utc>,
}

/// The common table expressions `ident`, `holders` and `mine` (package_id,
/// declared, claim status): the packages declared for the identities whose
/// forges and lower-cased handles are the text arrays `forges` and `keys`
/// (SQL parameters such as `$1`), and those claimed (active claims on the
/// package or its project) by users holding one of them. Shared with the
/// matrix' maintainer filter.
pub fn mine_ctes(forges: &str, keys: &str) -> String {
    format!(
        "ident AS (SELECT DISTINCT forge, key FROM unnest({forges}::text[], {keys}::text[]) AS t(forge, key)),
         holders AS (
             SELECT DISTINCT i.user_id FROM ident
             JOIN identities i ON i.forge = ident.forge AND lower(i.handle) = ident.key
             JOIN users u ON u.id = i.user_id AND u.disabled_at IS NULL),
         mine AS (
             SELECT pm.package_id, true AS declared, NULL::text AS claim
             FROM ident JOIN maintainers m ON m.forge = ident.forge AND lower(m.handle) = ident.key
             JOIN package_maintainers pm ON pm.maintainer_id = m.id
             UNION ALL
             SELECT c.package_id, false, c.status FROM holders h
             JOIN claims c ON c.user_id = h.user_id AND c.package_id IS NOT NULL AND c.status IN {active}
             UNION ALL
             SELECT p.id, false, c.status FROM holders h
             JOIN claims c ON c.user_id = h.user_id AND c.project_id IS NOT NULL AND c.status IN {active}
             JOIN packages p ON p.project_id = c.project_id)",
        active = ACTIVE_CLAIMS
    )
}

/// The packages of these identities (present in their channels), by
/// ecosystem, channel and name. The handles are matched case-insensitively.
pub async fn of(pool: &PgPool, identities: &[Identity]) -> sqlx::Result<Vec<Package>> {
    let forges: Vec<&str> = identities.iter().map(|i| i.forge.as_str()).collect();
    let keys: Vec<String> = identities.iter().map(|i| i.handle.to_lowercase()).collect();
    let sql = format!(
        "WITH {},
         agg AS (SELECT package_id, bool_or(declared) AS declared, max(claim) AS claim FROM mine GROUP BY package_id)
         SELECT c.ecosystem, c.name AS channel, p.name, p.latest_version, a.declared, a.claim,
                ci.status AS ci, st.failing_since, st.failing_builds, st.failing_updated,
                ar.sources, ar.archived, ar.missing, ar.missing_checked_at,
                COALESCE(sib.list, '[]'::json) AS siblings
         FROM agg a
         JOIN packages p ON p.id = a.package_id AND NOT p.removed
         JOIN channels c ON c.id = p.channel_id
         LEFT JOIN package_ci ci ON ci.package_id = p.id
         CROSS JOIN LATERAL (
             SELECT min(s.failing_since) AS failing_since, count(*) AS failing_builds,
                    max(COALESCE(s.last_finished_at, s.failing_since)) AS failing_updated
             FROM build_state s WHERE s.package_id = p.id AND s.last_status <> 'succeeded') st
         CROSS JOIN LATERAL (
             SELECT count(*) AS sources, count(*) FILTER (WHERE x.status = 'archived') AS archived,
                    count(*) FILTER (WHERE x.status = 'missing') AS missing,
                    max(x.checked_at) FILTER (WHERE x.status = 'missing') AS missing_checked_at
             FROM sources s LEFT JOIN archival_checks x ON x.key = s.archival_key WHERE s.package_id = p.id) ar
         LEFT JOIN LATERAL (
             SELECT json_agg(json_build_object('version', q.latest_version, 'ecosystem', oc.ecosystem,
                        'channel', oc.name, 'name', q.name, 'seen_at', q.updated_at)) AS list
             FROM (SELECT q.* FROM packages q
                   WHERE q.project_id = p.project_id AND q.id <> p.id AND NOT q.removed AND q.latest_version IS NOT NULL
                   LIMIT 100) q
             JOIN channels oc ON oc.id = q.channel_id AND oc.ecosystem <> c.ecosystem) sib ON true
         ORDER BY c.ecosystem, c.name, p.name
         LIMIT {MAX_PACKAGES}",
        mine_ctes("$1", "$2")
    );
    let rows: Vec<Row> = sqlx::query_as(&sql).bind(&forges).bind(&keys).fetch_all(pool).await?;
    Ok(rows.into_iter().map(package).collect())
}

fn package(r: Row) -> Package {
    let others: Vec<(String, Sibling)> = r.siblings.0.into_iter().map(|s| (s.version.clone(), s)).collect();
    let newer = r.latest_version.as_deref().and_then(|v| outdated::newest_newer(v, &others)).map(|(_, s)| s);
    Package {
        failing_updated: r.failing_updated,
        failing_builds: r.failing_builds,
        missing_checked_at: r.missing_checked_at,
        newer_seen_at: newer.map(|s| s.seen_at),
        view: MaintainedPackage {
            archival: crate::archival::badge::verdict_of_counts(r.sources, r.archived, r.missing).as_str().to_string(),
            newer: newer.map(|s| NewerVersion {
                version: s.version.clone(),
                ecosystem: s.ecosystem.clone(),
                channel: s.channel.clone(),
                name: s.name.clone(),
            }),
            ecosystem: r.ecosystem,
            channel: r.channel,
            name: r.name,
            latest_version: r.latest_version,
            relation: Relation { declared: r.declared, claim: r.claim },
            ci: r.ci,
            failing_since: r.failing_since.map(crate::atom::stamp),
            sources: r.sources,
            archived: r.archived,
            missing: r.missing,
        },
    }
}

/// How a package fares: failing CI weighs most, then outdated, then unarchived.
fn trouble(p: &MaintainedPackage) -> u8 {
    4 * u8::from(p.ci.as_deref() == Some("failing")) + 2 * u8::from(p.newer.is_some()) + u8::from(p.missing > 0)
}

/// Who the handle is: the spelling and name declared, else those of a
/// claimant's identity; `None` when nobody declares or claims with it.
async fn person(pool: &PgPool, forge: &str, handle: &str) -> sqlx::Result<Option<(String, Option<String>)>> {
    let rows: Vec<(String, Option<String>)> = sqlx::query_as(&format!(
        "SELECT handle, name FROM (
             SELECT m.handle, m.name, 0 AS rank FROM maintainers m WHERE m.forge = $1 AND lower(m.handle) = lower($2)
             UNION ALL
             SELECT i.handle, COALESCE(i.name, u.name), 1 FROM identities i
             JOIN users u ON u.id = i.user_id AND u.disabled_at IS NULL
             WHERE i.forge = $1 AND lower(i.handle) = lower($2)
               AND EXISTS (SELECT 1 FROM claims c WHERE c.user_id = i.user_id AND c.status IN {ACTIVE_CLAIMS})) t
         ORDER BY rank, handle LIMIT 10"
    ))
    .bind(forge)
    .bind(handle)
    .fetch_all(pool)
    .await?;
    let name = rows.iter().find_map(|r| r.1.clone());
    Ok(rows.into_iter().next().map(|(h, _)| (h, name)))
}

/// The maintainer's page: `sort` is `name` or `health` (worst first), within
/// each ecosystem and channel; `page` from 1.
pub async fn detail(
    pool: &PgPool,
    forge: &str,
    handle: &str,
    sort: &str,
    page: i64,
) -> sqlx::Result<Option<MaintainerDetail>> {
    let Some((handle, name)) = person(pool, forge, handle).await? else { return Ok(None) };
    let identity = Identity { forge: forge.to_string(), handle: handle.clone() };
    let mut all: Vec<MaintainedPackage> = of(pool, &[identity]).await?.into_iter().map(|p| p.view).collect();
    let counts = HealthCounts {
        packages: all.len() as i64,
        failing: all.iter().filter(|p| p.ci.as_deref() == Some("failing")).count() as i64,
        unarchived: all.iter().filter(|p| p.missing > 0).count() as i64,
        outdated: all.iter().filter(|p| p.newer.is_some()).count() as i64,
    };
    let mut channels: Vec<ChannelCount> = Vec::new();
    for p in &all {
        match channels.last_mut() {
            Some(c) if c.ecosystem == p.ecosystem && c.channel == p.channel => c.packages += 1,
            _ => {
                channels.push(ChannelCount { ecosystem: p.ecosystem.clone(), channel: p.channel.clone(), packages: 1 })
            }
        }
    }
    let sort = if sort == "health" { "health" } else { "name" };
    if sort == "health" {
        // Stable: names stay in order among equals.
        all.sort_by(|a, b| {
            (&a.ecosystem, &a.channel).cmp(&(&b.ecosystem, &b.channel)).then(trouble(b).cmp(&trouble(a)))
        });
    }
    let pages = ((all.len() as i64 + PACKAGES_PER_PAGE - 1) / PACKAGES_PER_PAGE).max(1);
    let page = page.clamp(1, pages);
    let packages =
        all.into_iter().skip(((page - 1) * PACKAGES_PER_PAGE) as usize).take(PACKAGES_PER_PAGE as usize).collect();
    Ok(Some(MaintainerDetail {
        profile_url: profile_url(forge, &handle),
        forge: forge.to_string(),
        handle,
        name,
        counts,
        channels,
        sort: sort.to_string(),
        page,
        pages,
        packages,
    }))
}

/// Whether anybody declares or claims with this handle.
pub async fn exists(pool: &PgPool, forge: &str, handle: &str) -> sqlx::Result<Option<String>> {
    Ok(person(pool, forge, handle).await?.map(|(h, _)| h))
}
