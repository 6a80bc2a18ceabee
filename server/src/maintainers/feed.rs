//! A maintainer's Atom feed (`/maintainers/{forge}/{handle}/feed.atom`):
//! the inbox items (newest 50), written by the portal's Atom writer. An
//! entry's id stays the same while the item does (a new failure streak, a
//! newer version are new entries).
use app::{
    api::catalog::package_href,
    i18n::{Arg, Lang},
};
use chrono::DateTime;
use sqlx::PgPool;

use super::{inbox, packages, Identity};
use crate::atom;

/// Entries of a feed.
const ENTRIES: i64 = 50;

/// The feed; `None` when nobody declares or claims with that handle.
pub async fn feed(pool: &PgPool, lang: Lang, forge: &str, handle: &str) -> sqlx::Result<Option<String>> {
    let Some(handle) = packages::exists(pool, forge, handle).await? else { return Ok(None) };
    let identity = Identity { forge: forge.to_string(), handle: handle.clone() };
    let items = inbox::items(packages::of(pool, &[identity]).await?);
    let entries = items
        .into_iter()
        .take(ENTRIES as usize)
        .map(|d| {
            let i = d.item;
            let package = format!("{} {}", i.name, i.version.clone().unwrap_or_default()).trim().to_string();
            let channel = format!("{} ({})", i.channel, i.ecosystem);
            let args = |key: &str| {
                lang.ta(
                    key,
                    &[
                        ("package", package.clone().into()),
                        ("channel", channel.clone().into()),
                        ("count", Arg::Number(i.count)),
                        ("newer", i.newer.as_ref().map(|n| n.version.clone()).unwrap_or_default().into()),
                        (
                            "where",
                            i.newer
                                .as_ref()
                                .map(|n| format!("{} ({})", n.channel, n.ecosystem))
                                .unwrap_or_default()
                                .into(),
                        ),
                    ],
                )
            };
            let (title, summary) = match i.kind.as_str() {
                "ci-failure" => (args("maint-feed-ci-title"), args("maint-feed-ci-summary")),
                "archival-gap" => (args("maint-feed-archival-title"), args("maint-feed-archival-summary")),
                _ => (args("maint-feed-outdated-title"), args("maint-feed-outdated-summary")),
            };
            atom::Entry {
                id: format!("urn:pacatlas:maintainer:{forge}:{}:{}", handle.to_lowercase(), i.id),
                title,
                updated: d.updated.unwrap_or(DateTime::UNIX_EPOCH),
                link: package_href(&i.ecosystem, &i.channel, &i.name),
                summary,
            }
        })
        .collect();
    let feed = atom::Feed {
        lang: lang.code(),
        id: format!("urn:pacatlas:maintainer:{forge}:{}", handle.to_lowercase()),
        title: lang.ta("maint-feed-title", &[("handle", handle.clone().into())]),
        self_link: Some(format!("{}/feed.atom", app::api::maintainers::maintainer_href(forge, &handle))),
        entries,
    };
    Ok(Some(feed.write()))
}
