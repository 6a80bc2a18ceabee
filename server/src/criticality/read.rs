//! Reading the critical-but-unfunded list: projects without an active
//! sponsorship and with at most one maintainer, score above 0, filtered by
//! ecosystem and tag, in one of three orders, read to `MAX_ROWS`. The
//! statement names only the filters given, so the planner may walk the
//! list's partial index or the GIN indexes, whichever is cheaper.
use app::api::criticality::{CriticalFilters, CriticalList, CriticalProject, PackageRef, MAX_ROWS, PER_PAGE};
use chrono::{DateTime, Utc};
use std::{collections::HashMap, sync::Mutex};

use sqlx::PgPool;

#[derive(sqlx::FromRow)]
struct Row {
    overall_rank: i32,
    project: String,
    name: String,
    package_ecosystem: Option<String>,
    package_channel: Option<String>,
    package_name: Option<String>,
    ecosystems: Vec<String>,
    tags: Vec<String>,
    direct_dependents: i64,
    transitive_dependents: i64,
    packages: i32,
    maintainers: i32,
    ci_packages: i32,
    ci_failing: i32,
    sources_checked: i32,
    sources_archived: i32,
    score: f64,
}

/// The list's condition (the partial indexes' predicate).
pub const LISTED: &str = "NOT k.funded AND k.maintainers <= 1 AND k.score > 0";

fn order_by(sort: &str) -> &'static str {
    match sort {
        // Each order walks an index: the list's two partial indexes, or projects' key.
        "dependents" => "k.transitive_dependents DESC, k.score DESC, k.project_id",
        "name" => "j.key",
        _ => "k.score DESC, k.project_id",
    }
}

/// The list's condition with the filters given (named and bound after $1, $2).
fn conditions(filters: &CriticalFilters) -> (String, Vec<String>) {
    // Only the filters given are named (and bound), numbered after $1, $2.
    let mut conditions = vec![LISTED.to_string()];
    let mut binds = Vec::new();
    if let Some(e) = &filters.ecosystem {
        binds.push(e.clone());
        conditions.push(format!("k.ecosystems @> ARRAY[${}::text]", binds.len() + 2));
    }
    if let Some(t) = &filters.tag {
        binds.push(t.clone());
        conditions.push(format!("k.tags @> ARRAY[${}::text]", binds.len() + 2));
    }
    (conditions.join(" AND "), binds)
}

/// Rows `offset..offset + limit` of the list, `filters` already checked: an
/// index walk of offset + limit entries.
async fn rows(pool: &PgPool, filters: &CriticalFilters, offset: i64, limit: i64) -> sqlx::Result<Vec<Row>> {
    let (conditions, binds) = conditions(filters);
    let order = order_by(&filters.sort);
    let sql = format!(
        "SELECT k.rank AS overall_rank, k.key AS project, k.name, c.ecosystem AS package_ecosystem,
                c.name AS package_channel, p.name AS package_name, k.ecosystems, k.tags,
                k.direct_dependents, k.transitive_dependents, k.packages, k.maintainers,
                k.ci_packages, k.ci_failing, k.sources_checked, k.sources_archived, k.score
         FROM (SELECT k.*, j.key, j.name FROM project_criticality k JOIN projects j ON j.id = k.project_id
               WHERE {conditions} ORDER BY {order} OFFSET $1 LIMIT $2) k
         LEFT JOIN packages p ON p.id = k.primary_package_id
         LEFT JOIN channels c ON c.id = p.channel_id
         ORDER BY {}",
        order.replace("j.key", "k.key"),
    );
    let mut query = sqlx::query_as::<_, Row>(&sql).bind(offset).bind(limit);
    for b in binds {
        query = query.bind(b);
    }
    query.fetch_all(pool).await
}

fn project(rank: i64, r: Row) -> CriticalProject {
    let package = match (r.package_ecosystem, r.package_channel, r.package_name) {
        (Some(ecosystem), Some(channel), Some(name)) => Some(PackageRef { ecosystem, channel, name }),
        _ => None,
    };
    CriticalProject {
        rank,
        overall_rank: r.overall_rank.into(),
        project: r.project,
        name: r.name,
        package,
        ecosystems: r.ecosystems,
        tags: r.tags,
        direct_dependents: r.direct_dependents,
        transitive_dependents: r.transitive_dependents,
        packages: r.packages.into(),
        maintainers: r.maintainers.into(),
        ci_packages: r.ci_packages.into(),
        ci_failing: r.ci_failing.into(),
        sources_checked: r.sources_checked.into(),
        sources_archived: r.sources_archived.into(),
        score: r.score,
    }
}

/// How many projects match each filter, to `MAX_ROWS`, per stored
/// computation (database, generation, time): counting walks up to 10,000
/// entries and only changes with a new computation, so it is kept here.
type Counts = HashMap<(Option<String>, Option<String>), i64>;
static COUNTS: Mutex<Option<(String, Counts)>> = Mutex::new(None);
/// Filter combinations kept at most.
const COUNTS_KEPT: usize = 1024;

async fn total(pool: &PgPool, computation: &str, filters: &CriticalFilters) -> sqlx::Result<i64> {
    let key = (filters.ecosystem.clone(), filters.tag.clone());
    if let Ok(guard) = COUNTS.lock() {
        if let Some((c, counts)) = guard.as_ref() {
            if c == computation {
                if let Some(n) = counts.get(&key) {
                    return Ok(*n);
                }
            }
        }
    }
    let (conditions, binds) = conditions(filters);
    // $1 and $2 are unused here: shift the filters' numbers down.
    let conditions = conditions.replace("$3", "$1").replace("$4", "$2");
    let sql =
        format!("SELECT count(*) FROM (SELECT 1 FROM project_criticality k WHERE {conditions} LIMIT {MAX_ROWS}) n");
    let mut query = sqlx::query_scalar::<_, i64>(&sql);
    for b in binds {
        query = query.bind(b);
    }
    let n = query.fetch_one(pool).await?;
    if let Ok(mut guard) = COUNTS.lock() {
        match guard.as_mut() {
            Some((c, counts)) if c == computation && counts.len() < COUNTS_KEPT => {
                counts.insert(key, n);
            }
            _ => *guard = Some((computation.to_string(), HashMap::from([(key, n)]))),
        }
    }
    Ok(n)
}

/// One page of the list.
pub async fn critical(pool: &PgPool, filters: &CriticalFilters) -> sqlx::Result<CriticalList> {
    let state: Option<(String, i64, DateTime<Utc>, Vec<String>)> =
        sqlx::query_as("SELECT current_database()::text, generation, computed_at, tags FROM criticality_state")
            .fetch_optional(pool)
            .await?;
    let Some((database, generation, at, tags)) = state else {
        return Ok(CriticalList {
            ecosystem: filters.ecosystem.clone(),
            tag: filters.tag.clone(),
            sort: filters.sort.clone(),
            page: filters.page,
            pages: 1,
            total: 0,
            computed_at: None,
            tags: Vec::new(),
            projects: Vec::new(),
        });
    };
    let offset = (filters.page - 1) * PER_PAGE;
    let rows = rows(pool, filters, offset, PER_PAGE).await?;
    let total = total(pool, &format!("{database}:{generation}:{}", at.timestamp_micros()), filters).await?;
    Ok(CriticalList {
        ecosystem: filters.ecosystem.clone(),
        tag: filters.tag.clone(),
        sort: filters.sort.clone(),
        page: filters.page,
        pages: ((total + PER_PAGE - 1) / PER_PAGE).max(1),
        total,
        computed_at: Some(at.to_rfc3339()),
        tags,
        projects: rows.into_iter().enumerate().map(|(i, r)| project(offset + i as i64 + 1, r)).collect(),
    })
}

/// Every row of the list (to `MAX_ROWS`), or one page of it, as CSV: the
/// JSON's fields, lists joined by spaces.
pub async fn csv(pool: &PgPool, filters: &CriticalFilters, whole: bool) -> sqlx::Result<Vec<u8>> {
    let (offset, limit) = if whole { (0, MAX_ROWS) } else { ((filters.page - 1) * PER_PAGE, PER_PAGE) };
    let rows = rows(pool, filters, offset, limit).await?;
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record([
        "rank",
        "overall_rank",
        "project",
        "name",
        "ecosystem",
        "channel",
        "package",
        "ecosystems",
        "tags",
        "direct_dependents",
        "transitive_dependents",
        "packages",
        "maintainers",
        "ci_packages",
        "ci_failing",
        "sources_checked",
        "sources_archived",
        "score",
    ]);
    for (i, r) in rows.into_iter().enumerate() {
        let p = project(offset + i as i64 + 1, r);
        let (e, c, n) = p.package.map(|p| (p.ecosystem, p.channel, p.name)).unwrap_or_default();
        let _ = w.write_record([
            p.rank.to_string(),
            p.overall_rank.to_string(),
            csv_safe(&p.project),
            csv_safe(&p.name),
            e,
            csv_safe(&c),
            csv_safe(&n),
            p.ecosystems.join(" "),
            csv_safe(&p.tags.join(" ")),
            p.direct_dependents.to_string(),
            p.transitive_dependents.to_string(),
            p.packages.to_string(),
            p.maintainers.to_string(),
            p.ci_packages.to_string(),
            p.ci_failing.to_string(),
            p.sources_checked.to_string(),
            p.sources_archived.to_string(),
            p.score.to_string(),
        ]);
    }
    Ok(w.into_inner().unwrap_or_default())
}

/// Text from channels that a spreadsheet would read as a formula is
/// prefixed with a quote.
fn csv_safe(s: &str) -> String {
    if s.starts_with(['=', '+', '-', '@']) {
        format!("'{s}")
    } else {
        s.to_string()
    }
}
