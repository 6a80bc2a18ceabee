//! What needs a maintainer's attention, newest first: CI failures (packages
//! whose latest builds fail, since when), archival gaps (sources Software
//! Heritage does not hold) and outdated versions (a newer version of the
//! same project in another ecosystem's channel). Each kind appears as soon
//! as its data exists (CI summaries, archival checks, other channels).
//! Read from `packages::of` (one statement), for identities or a user.
use app::api::maintainers::{Inbox, InboxItem};
use chrono::{DateTime, Utc};
use sqlx::PgPool;

use super::{packages, Identity};

/// Items per page at most.
pub const MAX_LIMIT: i64 = 200;

/// An item and the time it sorts (and is dated in the feed) by.
pub struct Dated {
    pub item: InboxItem,
    pub updated: Option<DateTime<Utc>>,
}

fn key(p: &app::api::maintainers::MaintainedPackage) -> String {
    format!("{}/{}/{}", p.ecosystem, p.channel, p.name)
}

/// Every item of these packages, newest first.
pub fn items(packages: Vec<packages::Package>) -> Vec<Dated> {
    let mut out = Vec::new();
    for p in packages {
        let v = &p.view;
        let item = |kind: &str, id: String, since: Option<DateTime<Utc>>, count: i64| InboxItem {
            id,
            kind: kind.to_string(),
            ecosystem: v.ecosystem.clone(),
            channel: v.channel.clone(),
            name: v.name.clone(),
            version: v.latest_version.clone(),
            since: since.map(crate::atom::stamp),
            count,
            newer: None,
        };
        if v.ci.as_deref() == Some("failing") {
            let since =
                v.failing_since.as_deref().and_then(|t| DateTime::parse_from_rfc3339(t).ok()).map(|t| t.to_utc());
            let id = format!("ci-failure:{}:{}", key(v), v.failing_since.clone().unwrap_or_default());
            out.push(Dated {
                item: item("ci-failure", id, since, p.failing_builds),
                updated: p.failing_updated.or(since),
            });
        }
        if v.missing > 0 {
            let id = format!("archival-gap:{}", key(v));
            out.push(Dated {
                item: item("archival-gap", id, p.missing_checked_at, v.missing),
                updated: p.missing_checked_at,
            });
        }
        if let Some(n) = &v.newer {
            let id = format!("outdated:{}:{}/{}/{}@{}", key(v), n.ecosystem, n.channel, n.name, n.version);
            let mut i = item("outdated", id, p.newer_seen_at, 0);
            i.newer = Some(n.clone());
            out.push(Dated { item: i, updated: p.newer_seen_at });
        }
    }
    // Newest first; undated last; then by id, so pages are stable.
    out.sort_by(|a, b| b.updated.cmp(&a.updated).then_with(|| a.item.id.cmp(&b.item.id)));
    out
}

/// One page (from 1) of `limit` items (1 to `MAX_LIMIT`).
pub fn page(all: Vec<Dated>, page: i64, limit: i64) -> Inbox {
    let limit = limit.clamp(1, MAX_LIMIT);
    let page = page.max(1);
    let total = all.len() as i64;
    let items = all
        .into_iter()
        .skip(((page - 1).saturating_mul(limit)) as usize)
        .take(limit as usize)
        .map(|d| d.item)
        .collect();
    Inbox { total, page, limit, items }
}

/// The items of these identities' packages.
pub async fn for_identities(pool: &PgPool, identities: &[Identity], page_: i64, limit: i64) -> sqlx::Result<Inbox> {
    Ok(page(items(packages::of(pool, identities).await?), page_, limit))
}

/// The identities of a user (every forge account linked to it).
pub async fn identities_of(pool: &PgPool, user_id: i64) -> sqlx::Result<Vec<Identity>> {
    let rows: Vec<(String, String)> =
        sqlx::query_as("SELECT forge, handle FROM identities WHERE user_id = $1 ORDER BY id LIMIT 100")
            .bind(user_id)
            .fetch_all(pool)
            .await?;
    Ok(rows.into_iter().map(|(forge, handle)| Identity { forge, handle }).collect())
}

/// The logged-in user's inbox: the packages declared for any of their
/// identities and those they (or anyone with one of their identities) claim.
pub async fn for_user(pool: &PgPool, user_id: i64, page_: i64, limit: i64) -> sqlx::Result<Inbox> {
    let identities = identities_of(pool, user_id).await?;
    for_identities(pool, &identities, page_, limit).await
}
