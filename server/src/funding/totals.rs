//! Funding totals: per funder, year and currency, summed by PostgreSQL
//! (exact numeric) or here on cents; never across currencies. A
//! sponsorship's amount counts whole in the year it starts.
use std::collections::{BTreeMap, HashMap};

use app::api::funding::{Total, YearTotal};
use sqlx::PgPool;

use super::money::format_cents;
use super::read::{bind_where, Select, WHERE};

#[derive(sqlx::FromRow)]
struct TotalRow {
    funder_slug: String,
    funder_name: String,
    year: i32,
    currency: Option<String>,
    amount: Option<String>,
    sponsorships: i64,
}

/// Totals per funder, year and currency (money) and in-kind counts, from SQL;
/// the sums across years and funders are taken here, on cents.
pub async fn yearly(pool: &PgPool, select: &Select) -> sqlx::Result<Vec<Total>> {
    let sql = format!(
        "SELECT f.slug AS funder_slug, f.name AS funder_name, extract(year FROM s.starts_on)::int AS year,
                s.currency, sum(s.amount)::text AS amount, count(*) AS sponsorships
         FROM sponsorships s JOIN funders f ON f.id = s.funder_id
         WHERE {WHERE} AND $8::bigint IS NOT NULL
         GROUP BY f.id, f.slug, f.name, year, s.currency
         ORDER BY f.name, f.id, year, s.currency NULLS LAST"
    );
    let rows: Vec<TotalRow> = bind_where(sqlx::query_as(&sql), select, 0).fetch_all(pool).await?;
    Ok(rows
        .into_iter()
        .map(|r| Total {
            funder_slug: r.funder_slug,
            funder_name: r.funder_name,
            year: Some(r.year),
            currency: r.currency,
            amount: r.amount,
            sponsorships: r.sponsorships,
        })
        .collect())
}

#[derive(sqlx::FromRow)]
struct SummaryRow {
    funder_slug: Option<String>,
    funder_name: Option<String>,
    year: Option<i32>,
    currency: Option<String>,
    amount: Option<String>,
    sponsorships: i64,
    per_funder: bool,
}

/// What the overview shows of the totals, summed by PostgreSQL in one pass
/// (exact numeric, per currency, never across currencies): per funder and
/// currency over all years (`per_funder` gives the same from `yearly`), and
/// per year and currency over all funders, money only (`per_year`).
pub async fn summary(pool: &PgPool, select: &Select) -> sqlx::Result<(Vec<Total>, Vec<YearTotal>)> {
    let sql = format!(
        "SELECT f.slug AS funder_slug, f.name AS funder_name, extract(year FROM s.starts_on)::int AS year,
                s.currency, sum(s.amount)::text AS amount, count(*) AS sponsorships, grouping(f.id) = 0 AS per_funder
         FROM sponsorships s JOIN funders f ON f.id = s.funder_id
         WHERE {WHERE} AND $8::bigint IS NOT NULL
         GROUP BY GROUPING SETS ((f.id, f.slug, f.name, s.currency), (extract(year FROM s.starts_on), s.currency))
         ORDER BY per_funder DESC, f.name, f.id, year, s.currency NULLS LAST"
    );
    let rows: Vec<SummaryRow> = bind_where(sqlx::query_as(&sql), select, 0).fetch_all(pool).await?;
    let (mut totals, mut years) = (Vec::new(), Vec::new());
    for r in rows {
        if r.per_funder {
            totals.push(Total {
                funder_slug: r.funder_slug.unwrap_or_default(),
                funder_name: r.funder_name.unwrap_or_default(),
                year: None,
                currency: r.currency,
                amount: r.amount,
                sponsorships: r.sponsorships,
            });
        } else if let (Some(year), Some(currency), Some(amount)) = (r.year, r.currency, r.amount) {
            years.push(YearTotal { year, currency, amount, sponsorships: r.sponsorships });
        }
    }
    Ok((totals, years))
}

pub(super) fn cents(amount: Option<&str>) -> i128 {
    // Sums of numeric(16, 2) keep two decimals; more digits than one amount may hold.
    let Some(a) = amount else { return 0 };
    let (w, f) = a.split_once('.').unwrap_or((a, "0"));
    let f = format!("{f:0<2}");
    w.parse::<i128>().unwrap_or(0) * 100 + f[..2].parse::<i128>().unwrap_or(0)
}

/// Per funder and currency, all years: money per currency, in kind apart.
pub fn per_funder(yearly: &[Total]) -> Vec<Total> {
    // In the order of first appearance (yearly is ordered by funder), found by key.
    let mut out: Vec<(Total, i128)> = Vec::new();
    let mut at: HashMap<(&str, Option<&str>), usize> = HashMap::new();
    for t in yearly {
        match at.get(&(t.funder_slug.as_str(), t.currency.as_deref())) {
            Some(&i) => {
                let (o, sum) = &mut out[i];
                o.sponsorships += t.sponsorships;
                *sum += cents(t.amount.as_deref());
            }
            None => {
                at.insert((t.funder_slug.as_str(), t.currency.as_deref()), out.len());
                out.push((Total { year: None, ..t.clone() }, cents(t.amount.as_deref())));
            }
        }
    }
    out.into_iter()
        .map(|(mut t, sum)| {
            t.amount = t.currency.as_ref().map(|_| format_cents(sum));
            t
        })
        .collect()
}

/// All funders per year and currency (money only): the chart's bars.
pub fn per_year(yearly: &[Total]) -> Vec<YearTotal> {
    let mut map: BTreeMap<(i32, String), (i128, i64)> = BTreeMap::new();
    for t in yearly {
        if let (Some(year), Some(currency)) = (t.year, t.currency.clone()) {
            let e = map.entry((year, currency)).or_default();
            e.0 += cents(t.amount.as_deref());
            e.1 += t.sponsorships;
        }
    }
    map.into_iter()
        .map(|((year, currency), (sum, n))| YearTotal { year, currency, amount: format_cents(sum), sponsorships: n })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(funder: &str, year: i32, currency: Option<&str>, amount: Option<&str>) -> Total {
        Total {
            funder_slug: funder.into(),
            funder_name: funder.into(),
            year: Some(year),
            currency: currency.map(str::to_string),
            amount: amount.map(str::to_string),
            sponsorships: 1,
        }
    }

    #[test]
    fn totals_never_mix_currencies() {
        let rows = vec![
            t("a", 2024, Some("EUR"), Some("100.10")),
            t("a", 2025, Some("EUR"), Some("0.20")),
            t("a", 2025, Some("USD"), Some("5.00")),
            t("a", 2025, None, None),
            t("b", 2025, Some("EUR"), Some("1.00")),
        ];
        let funders = per_funder(&rows);
        let a_eur = funders.iter().find(|x| x.funder_slug == "a" && x.currency.as_deref() == Some("EUR")).unwrap();
        assert_eq!(a_eur.amount.as_deref(), Some("100.30"));
        assert_eq!(a_eur.sponsorships, 2);
        let kind = funders.iter().find(|x| x.currency.is_none()).unwrap();
        assert_eq!((kind.amount.clone(), kind.sponsorships), (None, 1));
        let years = per_year(&rows);
        assert_eq!(
            years.iter().map(|y| (y.year, y.currency.as_str(), y.amount.as_str())).collect::<Vec<_>>(),
            vec![(2024, "EUR", "100.10"), (2025, "EUR", "1.20"), (2025, "USD", "5.00")]
        );
    }
}
