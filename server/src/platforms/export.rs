//! CSV export of the matrix: a header (package fields, then one column per
//! platform key), then one line per package with each cell's `kind:status`,
//! the same words as the JSON and the page. Written chunk by chunk, so
//! exporting every row keeps memory flat.
use app::api::matrix::{MatrixColumn, MatrixFilters, MatrixRow};
use futures_util::{Stream, StreamExt};
use sqlx::PgPool;

use super::{
    columns::Platform,
    matrix::{rows, Start},
};

/// Rows read per chunk of a whole export.
pub const CHUNK: i64 = 500;

fn csv_lines(write_header: Option<&[MatrixColumn]>, rows: &[MatrixRow]) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    if let Some(columns) = write_header {
        let mut header = vec!["ecosystem", "channel", "package", "version"];
        header.extend(columns.iter().map(|c| c.key.as_str()));
        let _ = w.write_record(&header);
    }
    for r in rows {
        let mut record =
            vec![r.ecosystem.clone(), r.channel.clone(), r.name.clone(), r.version.clone().unwrap_or_default()];
        record.extend(r.cells.iter().map(|c| c.code()));
        let _ = w.write_record(&record);
    }
    w.into_inner().unwrap_or_default()
}

/// The CSV of `rows` under `columns`, whole.
pub fn csv_page(columns: &[MatrixColumn], rows: &[MatrixRow]) -> Vec<u8> {
    csv_lines(Some(columns), rows)
}

struct State {
    pool: PgPool,
    filters: MatrixFilters,
    columns: Option<Vec<MatrixColumn>>,
    platforms: Vec<Platform>,
    after: Option<(String, String, String)>,
    done: bool,
}

/// Every row matching `filters` as CSV, read `CHUNK` rows at a time.
pub fn csv_stream(
    pool: PgPool,
    filters: MatrixFilters,
    columns: Vec<MatrixColumn>,
    platforms: Vec<Platform>,
) -> impl Stream<Item = Result<Vec<u8>, sqlx::Error>> + Send {
    let state = State { pool, filters, columns: Some(columns), platforms, after: None, done: false };
    // Fused: a body may be polled again after its end (the compression layer does).
    futures_util::stream::unfold(state, |mut s| async move {
        if s.done {
            return None;
        }
        let start = match &s.after {
            Some(k) => Start::After(k),
            None => Start::Offset(0),
        };
        let (chunk, _) = match rows(&s.pool, &s.filters, &s.platforms, start, CHUNK).await {
            Ok(r) => r,
            Err(e) => {
                s.done = true;
                return Some((Err(e), s));
            }
        };
        s.done = (chunk.len() as i64) < CHUNK;
        s.after = chunk.last().map(|r| (r.name.clone(), r.ecosystem.clone(), r.channel.clone()));
        let header = s.columns.take();
        let bytes = csv_lines(header.as_deref(), &chunk);
        Some((Ok(bytes), s))
    })
    .fuse()
}
