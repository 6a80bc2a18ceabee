//! Relevance benchmark: runs bench/relevance-queries.tsv against each engine
//! over the catalog in DATABASE_URL and prints MRR, success@1 and
//! success@10 per kind of query. Embedded always; Meilisearch when MEILI_URL
//! is set. Also prints in-process latency (p50/p99) and index build time.
//!
//! cargo run --release -p pacatlas --example relevance -- QUERIES.tsv [--latency-only]
//!     [--index DIR] [--explain]
//!
//! `--index DIR` keeps the embedded index in DIR (brought up to date with
//! the catalog, rebuilt only when empty) instead of a fresh temporary one;
//! `--explain` prints, for each query whose first result is not expected,
//! the first candidates with their tier, scores and dependents
//! (`RELEVANCE_EXPLAIN_N` of them, 8 by default); `--explain-topics` prints
//! them for every topic query. With `RELEVANCE_DUMP=FILE`, each explained
//! query's ranked candidates are appended to FILE as a JSON line (to try
//! other weights offline). With `RELEVANCE_ANSWERS=FILE`, every query's
//! first page, totals and facet counts are written to FILE (to check that
//! two builds answer alike).
use std::{collections::BTreeMap, sync::Arc, time::Instant};

use app::api::search::SearchParams;
use pacatlas::search::{
    embedded::EmbeddedIndex, meili::MeiliIndex, service::SearchService, Filters, Retrieval, SearchIndex,
};

struct Query {
    kind: String,
    text: String,
    expected: Vec<String>,
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    // RUST_LOG=pacatlas::search=trace prints what each query's parts cost.
    if std::env::var_os("RUST_LOG").is_some() {
        tracing_subscriber::fmt().with_env_filter(tracing_subscriber::EnvFilter::from_default_env()).init();
    }
    let path = args.get(1).expect("usage: relevance QUERIES.tsv [--latency-only]");
    let latency_only = args.iter().any(|a| a == "--latency-only");
    let queries: Vec<Query> = std::fs::read_to_string(path)?
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| {
            let mut f = l.split('\t');
            Query {
                kind: f.next().unwrap().to_string(),
                text: f.next().unwrap().to_string(),
                expected: f.next().unwrap().split('|').map(str::to_string).collect(),
            }
        })
        .collect();
    let pool = sqlx::PgPool::connect(&std::env::var("DATABASE_URL")?).await?;
    let docs: i64 = sqlx::query_scalar("SELECT count(*) FROM packages WHERE NOT removed").fetch_one(&pool).await?;

    let explain = args.iter().any(|a| a == "--explain");
    let explain_all = args.iter().any(|a| a == "--explain-topics");
    let kept = args.iter().position(|a| a == "--index").and_then(|i| args.get(i + 1));
    let dir = tempfile::tempdir()?;
    let index_dir = kept.map_or(dir.path().to_path_buf(), std::path::PathBuf::from);
    let mut engines: Vec<Arc<dyn SearchIndex>> = vec![Arc::new(EmbeddedIndex::open(&index_dir)?)];
    match std::env::var("MEILI_URL") {
        Ok(url) => engines.push(Arc::new(MeiliIndex::new(
            &url,
            std::env::var("MEILI_MASTER_KEY").ok().as_deref(),
            "relevance_",
        )?)),
        Err(_) => println!("Meilisearch: not measured (MEILI_URL is not set)"),
    }
    for index in engines {
        let service = SearchService::new(index.clone(), pool.clone());
        let started = Instant::now();
        if kept.is_some() && index.engine() == "embedded" {
            let report = service.sync().await?;
            println!(
                "\n## {} engine: kept index, {} documents ({} upserted, rebuilt: {}) in {:.2} s",
                index.engine(),
                index.count().await?,
                report.upserted,
                report.rebuilt,
                started.elapsed().as_secs_f64()
            );
        } else {
            let n = service.reindex(&pacatlas::ingest::progress::Silent).await?;
            println!(
                "\n## {} engine: {n} documents indexed in {:.2} s",
                index.engine(),
                started.elapsed().as_secs_f64()
            );
        }

        if !latency_only {
            let mut per_kind: BTreeMap<String, (usize, f64, usize, usize)> = BTreeMap::new();
            let mut misses = Vec::new();
            for q in &queries {
                let r = service.search(SearchParams { q: q.text.clone(), page: 1, ..Default::default() }).await?;
                let rank = r.hits.iter().position(|h| q.expected.contains(&h.name)).map(|i| i + 1);
                let e = per_kind.entry(q.kind.clone()).or_default();
                e.0 += 1;
                if let Some(rank) = rank {
                    e.1 += 1.0 / rank as f64;
                    e.2 += usize::from(rank == 1);
                    e.3 += usize::from(rank <= 10);
                }
                if rank != Some(1) || (explain_all && q.kind == "topic") {
                    let got: Vec<String> = r.hits.iter().take(5).map(|h| h.name.clone()).collect();
                    misses.push(format!("{} {:?}: rank {:?}, top {:?}", q.kind, q.text, rank, got));
                    if explain || explain_all {
                        misses.push(explained(index.as_ref(), q).await?);
                    }
                }
            }
            println!("\n| kind | queries | MRR | success@1 | success@10 |\n| --- | --- | --- | --- | --- |");
            let (mut n, mut mrr, mut s1, mut s10) = (0, 0.0, 0, 0);
            for (kind, (c, m, a, b)) in &per_kind {
                println!(
                    "| {kind} | {c} | {:.3} | {:.3} | {:.3} |",
                    m / *c as f64,
                    *a as f64 / *c as f64,
                    *b as f64 / *c as f64
                );
                n += c;
                mrr += m;
                s1 += a;
                s10 += b;
            }
            println!(
                "| **all** | {n} | **{:.3}** | {:.3} | {:.3} |",
                mrr / n as f64,
                s1 as f64 / n as f64,
                s10 as f64 / n as f64
            );
            for m in misses {
                println!("- not first: {m}");
            }
        }

        // Every query's first page, total and facet counts, to compare two
        // builds' answers (RELEVANCE_ANSWERS=FILE).
        if let Ok(path) = std::env::var("RELEVANCE_ANSWERS") {
            let mut out = String::new();
            for q in &queries {
                let r = service.search(SearchParams { q: q.text.clone(), page: 1, ..Default::default() }).await?;
                let hits: Vec<String> = r.hits.iter().map(|h| format!("{}/{}", h.channel, h.name)).collect();
                let facets = serde_json::to_string(&r.facets)?;
                out.push_str(&format!("{:?} total {} matches {} {hits:?} {facets}\n", q.text, r.total, r.matches));
            }
            std::fs::write(path, out)?;
        }

        // Latency: every query 10 times, in process (understand, retrieve, rank, page).
        let mut times = Vec::new();
        for _ in 0..10 {
            for q in &queries {
                let t = Instant::now();
                service.search(SearchParams { q: q.text.clone(), page: 1, ..Default::default() }).await?;
                times.push(t.elapsed().as_secs_f64() * 1000.0);
            }
        }
        times.sort_by(|a, b| a.partial_cmp(b).unwrap());
        // The engine's part alone: retrieving 400 candidates (no ranking, no page).
        let mut retrieving = Vec::new();
        for _ in 0..10 {
            for q in &queries {
                let retrieval = Retrieval {
                    query: pacatlas::search::query::understand(&q.text)?,
                    filters: Filters::default(),
                    limit: 400,
                };
                let t = Instant::now();
                index.retrieve(&retrieval).await?;
                retrieving.push(t.elapsed().as_secs_f64() * 1000.0);
            }
        }
        // The slowest queries (median of their runs), for where the time goes.
        let mut per_query: Vec<(f64, &str)> = queries
            .iter()
            .enumerate()
            .map(|(i, q)| {
                let mut runs: Vec<f64> = retrieving.iter().skip(i).step_by(queries.len()).copied().collect();
                runs.sort_by(|a, b| a.partial_cmp(b).unwrap());
                (runs[runs.len() / 2], q.text.as_str())
            })
            .collect();
        per_query.sort_by(|a, b| b.0.partial_cmp(&a.0).unwrap());
        let slowest: Vec<String> = per_query.iter().take(6).map(|(t, q)| format!("{q:?} {t:.2} ms")).collect();
        println!("slowest retrievals: {}", slowest.join(", "));
        retrieving.sort_by(|a, b| a.partial_cmp(b).unwrap());
        println!(
            "retrieval alone: p50 {:.2} ms, p99 {:.2} ms",
            percentile(&retrieving, 0.5),
            percentile(&retrieving, 0.99)
        );
        println!(
            "\nlatency over {} searches ({docs} packages): p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
            times.len(),
            percentile(&times, 0.5),
            percentile(&times, 0.99),
            times.last().unwrap()
        );
    }
    Ok(())
}

/// The candidates of a query as the ranker orders them, with why: the first
/// eight and the first expected one.
async fn explained(index: &dyn SearchIndex, q: &Query) -> anyhow::Result<String> {
    let understood = pacatlas::search::query::understand(&q.text)?;
    let retrieval = Retrieval { query: understood.clone(), filters: Filters::default(), limit: 400 };
    let candidates = index.retrieve(&retrieval).await?.candidates;
    let n = candidates.len();
    let ranked = pacatlas::search::rank::explain(&understood, candidates);
    let shown: usize = std::env::var("RELEVANCE_EXPLAIN_N").ok().and_then(|v| v.parse().ok()).unwrap_or(8);
    if let Ok(path) = std::env::var("RELEVANCE_DUMP") {
        use std::io::Write;
        let mut f = std::fs::OpenOptions::new().create(true).append(true).open(path)?;
        let cands: Vec<serde_json::Value> = ranked
            .iter()
            .map(|e| {
                serde_json::json!({"id": &*e.record.id, "name": &*e.record.name, "eco": &*e.record.ecosystem,
                    "tier": format!("{:?}", e.tier), "score": e.score, "dep": e.record.dependents,
                    "base": &*e.record.folded_base, "fname": &*e.record.folded_name, "nover": e.record.versions.is_empty()})
            })
            .collect();
        writeln!(f, "{}", serde_json::json!({"q": q.text, "expected": q.expected, "c": cands}))?;
    }
    let mut out = format!("  {n} candidates");
    for (i, e) in ranked.iter().enumerate() {
        let expected = q.expected.iter().any(|x| **x == *e.record.name);
        if i < shown || (expected && !ranked[..i].iter().any(|p| q.expected.iter().any(|x| **x == *p.record.name))) {
            out.push_str(&format!(
                "\n  {:>3}. {}{} ({}/{}) {:?} score {} group {} dependents {}",
                i + 1,
                if expected { "*" } else { "" },
                e.record.name,
                e.record.ecosystem,
                e.record.channel,
                e.tier,
                e.score,
                e.group,
                e.record.dependents
            ));
        }
    }
    Ok(out)
}
