//! Atom feeds of a channel's (or one package's) new failures and fixes:
//! the builds whose verdict differs from the one before on the same
//! service and system (cancelled builds say nothing). Newest 50, written
//! by the portal's one Atom writer (`crate::atom`).
use app::i18n::Lang;
use chrono::{DateTime, Utc};
use sqlx::PgPool;

use super::read::DEMO_PREFIX;
use crate::atom;

#[derive(sqlx::FromRow)]
struct Event {
    service: String,
    external_id: String,
    package: String,
    version: Option<String>,
    system: Option<String>,
    status: String,
    finished_at: Option<DateTime<Utc>>,
    imported_at: DateTime<Utc>,
    build_url: Option<String>,
}

/// The feed of channel `ecosystem`/`channel` (of package `name` only when
/// given); `None` when there is no such channel or package.
pub async fn feed(
    pool: &PgPool,
    lang: Lang,
    ecosystem: &str,
    channel: &str,
    name: Option<&str>,
) -> sqlx::Result<Option<String>> {
    let exists: bool = sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM channels c LEFT JOIN packages p ON p.channel_id = c.id AND p.name = $3
                        WHERE c.ecosystem = $1 AND c.name = $2 AND ($3::text IS NULL OR p.id IS NOT NULL))",
    )
    .bind(ecosystem)
    .bind(channel)
    .bind(name)
    .fetch_one(pool)
    .await?;
    if !exists {
        return Ok(None);
    }
    let events: Vec<Event> = sqlx::query_as(
        "WITH v AS (
             SELECT b.*, p.name AS package, lag(b.status) OVER (PARTITION BY b.service_id, b.package_id, b.system
                                                                ORDER BY b.finished_at NULLS FIRST, b.id) AS prev
             FROM build_results b
             JOIN packages p ON p.id = b.package_id
             JOIN channels c ON c.id = p.channel_id
             WHERE c.ecosystem = $1 AND c.name = $2 AND ($3::text IS NULL OR p.name = $3) AND b.status <> 'cancelled')
         SELECT s.name AS service, v.external_id, v.package, v.version, v.system, v.status, v.finished_at,
                v.imported_at, v.build_url
         FROM v JOIN ci_services s ON s.id = v.service_id
         WHERE (v.status <> 'succeeded' AND (v.prev IS NULL OR v.prev = 'succeeded'))
            OR (v.status = 'succeeded' AND v.prev IS NOT NULL AND v.prev <> 'succeeded')
         ORDER BY v.finished_at DESC NULLS LAST, v.id DESC
         LIMIT 50",
    )
    .bind(ecosystem)
    .bind(channel)
    .bind(name)
    .fetch_all(pool)
    .await?;
    let (id, title) = match name {
        Some(n) => (
            format!("urn:pacatlas:builds:{ecosystem}:{channel}:{n}"),
            lang.ta("feed-package-title", &[("name", n.into()), ("channel", channel.into())]),
        ),
        None => (
            format!("urn:pacatlas:builds:{ecosystem}:{channel}"),
            lang.ta("feed-channel-title", &[("channel", channel.into())]),
        ),
    };
    let entries = events
        .into_iter()
        .map(|e| {
            let what =
                if e.status == "succeeded" { lang.t("ci-weather-fixed") } else { lang.t("ci-weather-new-failure") };
            let mut headline = format!("{} {}", e.package, e.version.clone().unwrap_or_default()).trim().to_string();
            if let Some(s) = &e.system {
                headline = lang.ta("feed-entry-on", &[("package", headline.into()), ("system", s.clone().into())]);
            }
            let mut summary = format!(
                "{what} ({}: {})",
                e.service,
                crate::builds::Status::parse(&e.status).map_or("other", |s| s.as_str())
            );
            if e.service.starts_with(DEMO_PREFIX) {
                summary = format!("{summary} {}", lang.t("ci-demo-notice"));
            }
            let link =
                e.build_url.clone().unwrap_or_else(|| app::api::catalog::package_href(ecosystem, channel, &e.package));
            atom::Entry {
                id: format!("urn:pacatlas:build:{}:{}", e.service, e.external_id),
                title: format!("{headline}: {what}"),
                updated: e.finished_at.unwrap_or(e.imported_at),
                link,
                summary,
            }
        })
        .collect();
    Ok(Some(atom::Feed { lang: lang.code(), id, title, self_link: None, entries }.write()))
}
