//! Funding as read: the overview (`/funding`), a funder, a sponsorship's
//! history, what funds a package or a maintainer. Each sponsorship comes
//! with the health of its target, from what other areas keep: CI status
//! (`package_ci`), the sources' archival (`archival_checks`), declared
//! maintainers and active claims, and for a CI service its success rate
//! (`build_daily`, last 30 days).
//!
//! Totals: a sponsorship's amount is its total for the whole period and
//! counts whole in the year it starts (no pro rata); money is summed per
//! currency only, as integers of cents; in-kind sponsorships are counted.
use std::collections::HashSet;

use app::api::accounts::Viewer;
use app::api::funding::{
    Funder, FunderBlock, FunderDetail, FundingAdmin, FundingFilter, FundingOverview, Health, Revision, Sponsorship,
    SponsorshipHistory, FUNDERS_PER_PAGE, PER_FUNDER_ON_OVERVIEW,
};
use sqlx::PgPool;

pub use super::funders::{funder_by_slug, funders};
use super::health;
use super::money::format_cents;
use super::totals::cents;
pub use super::totals::{per_funder, per_year, summary, yearly};

/// Sponsorships read for one page at most.
pub const MAX_ROWS: i64 = 2000;
/// Funders listed at most.
pub const MAX_FUNDERS: i64 = 1000;

/// Which sponsorships a query reads.
#[derive(Clone, Debug, Default)]
pub struct Select {
    pub filter: FundingFilter,
    pub funder: Option<String>,
    pub id: Option<i64>,
    pub package_id: Option<i64>,
    pub maintainer_id: Option<i64>,
    /// At most this many per funder.
    pub per_funder: Option<i64>,
    /// Only these funders (slugs).
    pub funders_in: Option<Vec<String>>,
    /// Without the targets' health (zeros), for what does not show it.
    pub without_health: bool,
}

/// The sponsorships' WHERE clause over `s` (sponsorships) and `f` (funders), parameters $1 to $7.
pub(super) const WHERE: &str = "($1::text IS NULL OR f.kind = $1)
      AND ($2::text IS NULL OR s.currency = $2)
      AND ($3::text IS NULL OR ($3 = 'active') = (s.ends_on IS NULL OR s.ends_on >= current_date))
      AND ($4::text IS NULL OR f.slug = $4)
      AND ($5::bigint IS NULL OR s.id = $5)
      AND ($6::bigint IS NULL OR s.package_id = $6
           OR s.project_id = (SELECT project_id FROM packages WHERE id = $6))
      AND ($7::bigint IS NULL OR s.maintainer_id = $7)
      AND ($9::text[] IS NULL OR f.slug = ANY ($9))";

/// Binds `WHERE`'s parameters ($1 to $7 and $9) from `select`, and `eighth` as $8.
pub(super) fn bind_where<'q, O>(
    query: sqlx::query::QueryAs<'q, sqlx::Postgres, O, sqlx::postgres::PgArguments>,
    select: &'q Select,
    eighth: i64,
) -> sqlx::query::QueryAs<'q, sqlx::Postgres, O, sqlx::postgres::PgArguments> {
    let f = &select.filter;
    query
        .bind(&f.kind)
        .bind(&f.currency)
        .bind(&f.status)
        .bind(&select.funder)
        .bind(select.id)
        .bind(select.package_id)
        .bind(select.maintainer_id)
        .bind(eighth)
        .bind(&select.funders_in)
}

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    funder_slug: String,
    funder_name: String,
    target_kind: String,
    project_key: Option<String>,
    project_name: Option<String>,
    ecosystem: Option<String>,
    channel: Option<String>,
    package: Option<String>,
    forge: Option<String>,
    handle: Option<String>,
    maintainer_name: Option<String>,
    infrastructure_kind: Option<String>,
    infrastructure_name: Option<String>,
    amount: Option<String>,
    currency: Option<String>,
    in_kind: bool,
    starts_on: String,
    ends_on: Option<String>,
    active: bool,
    note: Option<String>,
    source_url: Option<String>,
    demo: bool,
    revisions: i64,
    packages: i64,
    built: i64,
    failing: i64,
    sources: i64,
    archived: i64,
    missing: i64,
    maintainers: i64,
    success_percent: Option<f64>,
    health_fresh: bool,
}

/// The sponsorships' query; `live`: counting the targets' health where the
/// kept one is stale (its laterals cost ~10 ms of planning alone, so the
/// query reading the kept health leaves them out).
fn sponsorships_sql(live: bool) -> String {
    let (counts, maintainers) = match live {
        true => (health::counts_sql(LIVE), health::maintainers_sql(LIVE)),
        false => (
            "SELECT NULL::bigint AS packages, NULL::bigint AS built, NULL::bigint AS failing,
                          NULL::bigint AS sources, NULL::bigint AS archived, NULL::bigint AS missing"
                .to_string(),
            "SELECT NULL::bigint AS maintainers".to_string(),
        ),
    };
    format!(
        "WITH sel AS (
             SELECT s.*, row_number() OVER (PARTITION BY s.funder_id
                 ORDER BY (s.ends_on IS NULL OR s.ends_on >= current_date) DESC, s.starts_on DESC, s.id DESC) AS rn
             FROM sponsorships s JOIN funders f ON f.id = s.funder_id
             WHERE {WHERE})
         SELECT s.id, f.slug AS funder_slug, f.name AS funder_name, s.target_kind,
                pr.key AS project_key, pr.name AS project_name, pc.ecosystem, pc.name AS channel, pk.name AS package,
                m.forge, m.handle, m.name AS maintainer_name, s.infrastructure_kind,
                coalesce(cs.name, s.infrastructure_name) AS infrastructure_name,
                s.amount::text AS amount, s.currency, s.in_kind, s.starts_on::text AS starts_on, s.ends_on::text AS ends_on,
                (s.ends_on IS NULL OR s.ends_on >= current_date) AS active, s.note, s.source_url,
                (s.demo OR f.demo) AS demo,
                (SELECT count(*) FROM sponsorship_revisions r WHERE r.sponsorship_id = s.id) AS revisions,
                coalesce(fh.packages, h.packages, 0) AS packages, coalesce(fh.built, h.built, 0) AS built,
                coalesce(fh.failing, h.failing, 0) AS failing, coalesce(fh.sources, h.sources, 0) AS sources,
                coalesce(fh.archived, h.archived, 0) AS archived, coalesce(fh.missing, h.missing, 0) AS missing,
                coalesce(fh.maintainers, mc.maintainers, 0) AS maintainers, ci.success_percent,
                fr.fresh AS health_fresh
         FROM sel s CROSS JOIN ({fresh}) fr JOIN funders f ON f.id = s.funder_id
         LEFT JOIN projects pr ON pr.id = s.project_id
         LEFT JOIN packages pk ON pk.id = s.package_id
         LEFT JOIN channels pc ON pc.id = pk.channel_id
         LEFT JOIN maintainers m ON m.id = s.maintainer_id
         LEFT JOIN ci_services cs ON cs.id = s.ci_service_id
         LEFT JOIN funding_target_health fh ON fr.fresh AND fh.target_kind = s.target_kind
              AND fh.target_id = coalesce(s.package_id, s.project_id, s.maintainer_id)
         LEFT JOIN LATERAL ({counts}) h ON true
         LEFT JOIN LATERAL ({maintainers}) mc ON true
         LEFT JOIN LATERAL (
             SELECT round(100.0 * sum(d.builds) FILTER (WHERE d.status = 'succeeded') / nullif(sum(d.builds), 0), 1)::float8
                    AS success_percent
             FROM build_daily d WHERE $10 AND d.service_id = s.ci_service_id AND d.day >= current_date - 30) ci ON true
         WHERE s.rn <= $8
         ORDER BY f.name, f.id, s.rn
         LIMIT {MAX_ROWS}",
        fresh = health::FRESH_SQL,
    )
}

/// Health is counted in the page's query only when it is asked for ($10)
/// and the kept one is stale.
const LIVE: &str = "$10 AND NOT fr.fresh AND";

fn seg(s: &str) -> String {
    app::api::catalog::encode_segment(s)
}

fn view(r: Row) -> Sponsorship {
    let (target, label, href) = match r.target_kind.as_str() {
        "project" => {
            let key = r.project_key.clone().unwrap_or_default();
            let name = r.project_name.clone().unwrap_or_else(|| key.clone());
            (format!("project:{key}"), name, Some(format!("/search?q={}", seg(&key))))
        }
        "package" => {
            let (e, c, n) = (
                r.ecosystem.clone().unwrap_or_default(),
                r.channel.clone().unwrap_or_default(),
                r.package.clone().unwrap_or_default(),
            );
            let href = app::api::catalog::package_href(&e, &c, &n);
            (format!("package:{e}/{c}/{n}"), format!("{n} ({c}, {e})"), Some(href))
        }
        "maintainer" => {
            let (f, h) = (r.forge.clone().unwrap_or_default(), r.handle.clone().unwrap_or_default());
            let label = match r.maintainer_name.as_deref().filter(|n| !n.trim().is_empty()) {
                Some(n) => format!("{n} ({h})"),
                None => h.clone(),
            };
            (format!("maintainer:{f}:{h}"), label, Some(app::api::maintainers::maintainer_href(&f, &h)))
        }
        _ => {
            let kind = r.infrastructure_kind.clone().unwrap_or_else(|| "other".into());
            let name = r.infrastructure_name.clone().unwrap_or_default();
            match kind.as_str() {
                "software-heritage" => {
                    ("infrastructure:software-heritage".into(), "Software Heritage".into(), Some("/archival".into()))
                }
                "ci-service" => {
                    (format!("infrastructure:ci-service:{name}"), name.clone(), Some(format!("/ci/{}", seg(&name))))
                }
                _ => (format!("infrastructure:{kind}:{name}"), name, None),
            }
        }
    };
    let infra = r.target_kind == "infrastructure";
    Sponsorship {
        id: r.id,
        funder_slug: r.funder_slug,
        funder_name: r.funder_name,
        target,
        target_kind: r.target_kind,
        target_label: label,
        target_href: href,
        amount: r.amount,
        currency: r.currency,
        in_kind: r.in_kind,
        starts_on: r.starts_on,
        ends_on: r.ends_on,
        active: r.active,
        note: r.note,
        source_url: r.source_url,
        demo: r.demo,
        revisions: r.revisions,
        health: Health {
            packages: r.packages,
            built: r.built,
            failing: r.failing,
            archival: (!infra).then(|| {
                crate::archival::badge::verdict_of_counts(r.sources, r.archived, r.missing).as_str().to_string()
            }),
            sources: r.sources,
            archived: r.archived,
            maintainers: r.maintainers,
            ci_success_percent: r.success_percent,
        },
    }
}

/// The sponsorships `select` names, active first within each funder.
pub async fn sponsorships(pool: &PgPool, select: &Select) -> sqlx::Result<Vec<Sponsorship>> {
    let mut rows = sponsorship_rows(pool, select, false).await?;
    // Stale kept health (or gone stale since): counted here instead.
    if !select.without_health && rows.iter().any(|r| !r.health_fresh) {
        rows = sponsorship_rows(pool, select, true).await?;
        health::refresh_soon(pool);
    }
    Ok(rows.into_iter().map(view).collect())
}

async fn sponsorship_rows(pool: &PgPool, select: &Select, live: bool) -> sqlx::Result<Vec<Row>> {
    bind_where(sqlx::query_as(&sponsorships_sql(live)), select, select.per_funder.unwrap_or(MAX_ROWS))
        .bind(!select.without_health)
        .fetch_all(pool)
        .await
}

/// Whether a filter's values are ones this site knows (else: a 400 for the API, ignored by the page).
pub fn check_filter(f: &FundingFilter) -> Result<(), String> {
    if f.kind.as_deref().is_some_and(|k| !app::api::funding::FUNDER_KINDS.contains(&k)) {
        return Err("kind must be foundation, consortium, agency, company or individual".into());
    }
    if f.currency.as_deref().is_some_and(|c| super::model::check_currency(c).is_err()) {
        return Err("currency must be an ISO 4217 code this site knows (EUR, USD…)".into());
    }
    if f.status.as_deref().is_some_and(|s| s != "active" && s != "ended") {
        return Err("status must be active or ended".into());
    }
    Ok(())
}

/// `/funding`: totals, the chart's years, funders and up to
/// `PER_FUNDER_ON_OVERVIEW` sponsorships of each. Funders without a
/// sponsorship matching the currency or status filter are left out when
/// one is set.
/// `with_yearly`: also the totals per funder, year and currency (the JSON
/// API has them; the page does not show them).
pub async fn overview(
    pool: &PgPool,
    filter: FundingFilter,
    page: i64,
    with_yearly: bool,
) -> sqlx::Result<FundingOverview> {
    let select = Select { filter: filter.clone(), ..Default::default() };
    let ((totals, years), yearly, funders, currencies) = tokio::try_join!(
        summary(pool, &select),
        async {
            match with_yearly {
                true => yearly(pool, &select).await,
                false => Ok(Vec::new()),
            }
        },
        funders(pool, filter.kind.as_deref()),
        sqlx::query_scalar::<_, String>(
            "SELECT DISTINCT currency FROM sponsorships WHERE currency IS NOT NULL ORDER BY currency"
        )
        .fetch_all(pool),
    )?;
    // With a currency or status filter, only funders with a matching sponsorship.
    let narrowed = filter.currency.is_some() || filter.status.is_some();
    let with_match: HashSet<&str> = totals.iter().map(|t| t.funder_slug.as_str()).collect();
    let funders: Vec<Funder> =
        funders.into_iter().filter(|f| !narrowed || with_match.contains(f.slug.as_str())).collect();
    let pages = ((funders.len() as i64 + FUNDERS_PER_PAGE - 1) / FUNDERS_PER_PAGE).max(1);
    let page = page.clamp(1, pages);
    let shown: Vec<Funder> =
        funders.into_iter().skip(((page - 1) * FUNDERS_PER_PAGE) as usize).take(FUNDERS_PER_PAGE as usize).collect();
    let page_select = Select {
        per_funder: Some(PER_FUNDER_ON_OVERVIEW),
        funders_in: Some(shown.iter().map(|f| f.slug.clone()).collect()),
        ..select
    };
    let sponsorships = sponsorships(pool, &page_select).await?;
    let blocks = shown
        .into_iter()
        .map(|funder| {
            let mine: Vec<Sponsorship> =
                sponsorships.iter().filter(|s| s.funder_slug == funder.slug).cloned().collect();
            FunderBlock { funder, sponsorships: mine }
        })
        .collect();
    Ok(FundingOverview { page, pages, totals, years, yearly, currencies, funders: blocks, filter })
}

/// `/funders/{slug}`.
pub async fn funder(pool: &PgPool, slug: &str) -> sqlx::Result<Option<FunderDetail>> {
    let Some(funder) = funder_by_slug(pool, slug).await? else { return Ok(None) };
    let select = Select { funder: Some(slug.to_string()), ..Default::default() };
    let (yearly, sponsorships) = tokio::try_join!(yearly(pool, &select), sponsorships(pool, &select))?;
    Ok(Some(FunderDetail { funder, totals: per_funder(&yearly), yearly, sponsorships }))
}

#[derive(sqlx::FromRow)]
struct RevisionRow {
    revised_at: String,
    operation: String,
    amount: Option<String>,
    currency: Option<String>,
    in_kind: Option<bool>,
    starts_on: Option<String>,
    ends_on: Option<String>,
    note: Option<String>,
}

/// A sponsorship and its earlier versions, newest first.
pub async fn history(pool: &PgPool, id: i64) -> sqlx::Result<Option<SponsorshipHistory>> {
    let select = Select { id: Some(id), ..Default::default() };
    let Some(sponsorship) = sponsorships(pool, &select).await?.into_iter().next() else { return Ok(None) };
    let rows: Vec<RevisionRow> = sqlx::query_as(
        "SELECT to_char(revised_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') AS revised_at, operation,
                previous->>'amount' AS amount, previous->>'currency' AS currency,
                (previous->>'in_kind')::boolean AS in_kind, previous->>'starts_on' AS starts_on,
                previous->>'ends_on' AS ends_on, previous->>'note' AS note
         FROM sponsorship_revisions WHERE sponsorship_id = $1 ORDER BY revised_at DESC, id DESC LIMIT 500",
    )
    .bind(id)
    .fetch_all(pool)
    .await?;
    let revisions = rows
        .into_iter()
        .map(|r| Revision {
            revised_at: r.revised_at,
            operation: r.operation,
            amount: r.amount.map(|a| format_cents(cents(Some(&a)))),
            currency: r.currency,
            in_kind: r.in_kind.unwrap_or(false),
            starts_on: r.starts_on.unwrap_or_default(),
            ends_on: r.ends_on,
            note: r.note,
        })
        .collect();
    Ok(Some(SponsorshipHistory { sponsorship, revisions }))
}

/// What funds a package (it, or its project), active first.
pub async fn of_package(pool: &PgPool, ecosystem: &str, channel: &str, name: &str) -> sqlx::Result<Vec<Sponsorship>> {
    let id: Option<i64> = sqlx::query_scalar(
        "SELECT p.id FROM packages p JOIN channels c ON c.id = p.channel_id
         WHERE c.ecosystem = $1 AND c.name = $2 AND p.name = $3",
    )
    .bind(ecosystem)
    .bind(channel)
    .bind(name)
    .fetch_optional(pool)
    .await?;
    let Some(id) = id else { return Ok(Vec::new()) };
    let mut out = sponsorships(pool, &Select { package_id: Some(id), ..Default::default() }).await?;
    out.sort_by_key(|s| !s.active);
    Ok(out)
}

/// What funds a maintainer, active first.
pub async fn of_maintainer(pool: &PgPool, forge: &str, handle: &str) -> sqlx::Result<Vec<Sponsorship>> {
    let id: Option<i64> =
        sqlx::query_scalar("SELECT id FROM maintainers WHERE forge = $1 AND lower(handle) = lower($2)")
            .bind(forge)
            .bind(handle)
            .fetch_optional(pool)
            .await?;
    let Some(id) = id else { return Ok(Vec::new()) };
    let mut out = sponsorships(pool, &Select { maintainer_id: Some(id), ..Default::default() }).await?;
    out.sort_by_key(|s| !s.active);
    Ok(out)
}

/// The admin page's data.
pub async fn admin(
    pool: &PgPool,
    viewer: Viewer,
    edit_funder: Option<String>,
    edit_sponsorship: Option<i64>,
) -> sqlx::Result<FundingAdmin> {
    let funders = funders(pool, None).await?;
    let sponsorships = sponsorships(pool, &Select { per_funder: Some(200), ..Default::default() }).await?;
    let edit_funder = match edit_funder {
        Some(slug) => funder_by_slug(pool, &slug).await?,
        None => None,
    };
    let edit_sponsorship = match edit_sponsorship {
        Some(id) => sponsorships.iter().find(|s| s.id == id).cloned(),
        None => None,
    };
    Ok(FundingAdmin { viewer, funders, sponsorships, edit_funder, edit_sponsorship })
}
