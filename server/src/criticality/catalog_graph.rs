//! The package graph as the catalog holds it: present packages and their
//! resolved dependencies read by COPY (in the computation's snapshot), and
//! counted into dependents per project (`graph`).
use futures_util::StreamExt;
use sqlx::PgConnection;

use super::graph::{self, Graph, NO_PROJECT};

/// Present packages (id, project id or 0), by id.
pub(super) const NODES: &str =
    "COPY (SELECT id, COALESCE(project_id, 0) FROM packages WHERE NOT removed ORDER BY id) TO STDOUT";
/// Dependencies resolved to the present package of the same channel with that name.
pub(super) const EDGES: &str = "COPY (SELECT d.package_id, t.id FROM dependencies d
    JOIN packages q ON q.id = d.package_id AND NOT q.removed
    JOIN packages t ON t.channel_id = q.channel_id AND t.name = d.name AND NOT t.removed
    WHERE t.id <> d.package_id) TO STDOUT";

/// Reads a COPY … TO STDOUT of two integer columns.
pub(super) async fn copy_pairs(conn: &mut PgConnection, statement: &str) -> Result<Vec<(i64, i64)>, sqlx::Error> {
    let mut out = Vec::new();
    let mut stream = conn.copy_out_raw(statement).await?;
    let mut rest: Vec<u8> = Vec::new();
    while let Some(chunk) = stream.next().await {
        let chunk = chunk?;
        let data: &[u8] = if rest.is_empty() {
            &chunk
        } else {
            rest.extend_from_slice(&chunk);
            &rest
        };
        let mut start = 0;
        for (i, &b) in data.iter().enumerate() {
            if b == b'\n' {
                out.push(parse_pair(&data[start..i])?);
                start = i + 1;
            }
        }
        let tail = data[start..].to_vec();
        rest = tail;
    }
    Ok(out)
}

fn parse_pair(line: &[u8]) -> Result<(i64, i64), sqlx::Error> {
    let bad = || sqlx::Error::Protocol(format!("unexpected COPY row {:?}", String::from_utf8_lossy(line)));
    let tab = line.iter().position(|&b| b == b'\t').ok_or_else(bad)?;
    let num = |s: &[u8]| std::str::from_utf8(s).ok().and_then(|s| s.parse::<i64>().ok());
    Ok((num(&line[..tab]).ok_or_else(bad)?, num(&line[tab + 1..]).ok_or_else(bad)?))
}

/// What the graph held: packages, edges, cycles.
pub(super) struct GraphCounts {
    pub(super) packages: u64,
    pub(super) edges: u64,
    pub(super) cycles: u64,
    pub(super) largest_cycle: u64,
}

/// The graph's counts: dependents per project id (sorted).
pub(super) struct Counted {
    pub(super) counts: GraphCounts,
    pub(super) project_ids: Vec<i64>,
    pub(super) direct: Vec<u64>,
    pub(super) transitive: Vec<u64>,
}

pub(super) fn count(nodes: Vec<(i64, i64)>, edges: Vec<(i64, i64)>) -> Counted {
    // Dense indices: packages by id (nodes come sorted), projects by id.
    let mut project_ids: Vec<i64> = nodes.iter().map(|n| n.1).filter(|&p| p != 0).collect();
    project_ids.sort_unstable();
    project_ids.dedup();
    let project: Vec<u32> =
        nodes.iter().map(|&(_, p)| project_ids.binary_search(&p).map_or(NO_PROJECT, |i| i as u32)).collect();
    let node_index = |id: i64| nodes.binary_search_by_key(&id, |n| n.0).ok().map(|i| i as u32);
    let edges: Vec<(u32, u32)> =
        edges.into_iter().filter_map(|(a, b)| Some((node_index(a)?, node_index(b)?))).collect();
    let g = Graph::new(project, edges);
    let d = graph::dependents(&g, project_ids.len());
    Counted {
        counts: GraphCounts {
            packages: g.nodes() as u64,
            edges: g.edges() as u64,
            cycles: d.cycles,
            largest_cycle: d.largest_cycle,
        },
        project_ids,
        direct: d.direct,
        transitive: d.transitive,
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn copy_rows_are_parsed() {
        assert_eq!(super::parse_pair(b"12\t34").unwrap(), (12, 34));
        assert!(super::parse_pair(b"12").is_err());
        assert!(super::parse_pair(b"a\t1").is_err());
    }
}
