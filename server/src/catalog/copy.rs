//! Bulk rows through `COPY … FROM STDIN` in PostgreSQL's text format: the
//! fastest way to write the tens of thousands of child rows (versions,
//! sources, dependencies…) of a channel revision. Values are escaped here;
//! nothing is interpolated into SQL but the fixed table and column names.
use sqlx::PgConnection;

/// One value of a COPY row.
pub enum Cell<'a> {
    Null,
    Int(i64),
    Bool(bool),
    Text(&'a str),
    TextArray(&'a [String]),
    /// `bytea`, written as `\x<hex>`.
    Bytea(&'a [u8]),
    /// `json`/`jsonb`.
    Json(&'a serde_json::Map<String, serde_json::Value>),
}

impl<'a> From<Option<&'a str>> for Cell<'a> {
    fn from(v: Option<&'a str>) -> Self {
        v.map_or(Cell::Null, Cell::Text)
    }
}

impl<'a> From<&'a str> for Cell<'a> {
    fn from(v: &'a str) -> Self {
        Cell::Text(v)
    }
}

impl From<Option<i64>> for Cell<'_> {
    fn from(v: Option<i64>) -> Self {
        v.map_or(Cell::Null, Cell::Int)
    }
}

/// Rows for one `COPY table (columns) FROM STDIN`.
#[derive(Default)]
pub struct CopyRows {
    buf: String,
    rows: usize,
}

impl CopyRows {
    pub fn row(&mut self, cells: &[Cell]) {
        for (i, cell) in cells.iter().enumerate() {
            if i > 0 {
                self.buf.push('\t');
            }
            match cell {
                Cell::Null => self.buf.push_str("\\N"),
                Cell::Int(n) => self.buf.push_str(&n.to_string()),
                Cell::Bool(b) => self.buf.push(if *b { 't' } else { 'f' }),
                Cell::Text(s) => escape_into(&mut self.buf, s),
                Cell::TextArray(items) => escape_into(&mut self.buf, &array_literal(items)),
                Cell::Bytea(bytes) => {
                    self.buf.push_str("\\\\x");
                    self.buf.push_str(&hex::encode(bytes));
                }
                Cell::Json(map) => escape_into(&mut self.buf, &serde_json::to_string(map).expect("JSON serialises")),
            }
        }
        self.buf.push('\n');
        self.rows += 1;
    }

    pub fn len(&self) -> usize {
        self.rows
    }

    pub fn is_empty(&self) -> bool {
        self.rows == 0
    }

    /// Writes the rows into `target`, e.g. `variants (package_id, position, name)`.
    pub async fn copy_into(self, conn: &mut PgConnection, target: &str) -> Result<u64, sqlx::Error> {
        if self.rows == 0 {
            return Ok(0);
        }
        let mut copy = conn.copy_in_raw(&format!("COPY {target} FROM STDIN")).await?;
        if let Err(e) = copy.send(self.buf.into_bytes()).await {
            let _ = copy.abort("send failed").await;
            return Err(e);
        }
        copy.finish().await
    }
}

/// COPY text format: backslash, tab, newline and carriage return are escaped.
fn escape_into(out: &mut String, s: &str) {
    for ch in s.chars() {
        match ch {
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c => out.push(c),
        }
    }
}

/// A `text[]` literal with every element quoted: `{"a","b \"c\""}`.
fn array_literal(items: &[String]) -> String {
    let mut out = String::from("{");
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push('"');
        for ch in item.chars() {
            if ch == '"' || ch == '\\' {
                out.push('\\');
            }
            out.push(ch);
        }
        out.push('"');
    }
    out.push('}');
    out
}

/// `n` fresh ids from the sequence of `table`'s `id` column, so rows can be
/// copied with their ids known (COPY has no RETURNING).
pub async fn reserve_ids(conn: &mut PgConnection, table: &str, n: usize) -> Result<Vec<i64>, sqlx::Error> {
    if n == 0 {
        return Ok(Vec::new());
    }
    sqlx::query_scalar("SELECT nextval(pg_get_serial_sequence($1, 'id')) FROM generate_series(1, $2)")
        .bind(table)
        .bind(n as i64)
        .fetch_all(conn)
        .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_text_and_arrays() {
        let mut rows = CopyRows::default();
        let kinds = vec!["build".to_string(), "we\"ird\\".to_string(), "tab\there".to_string()];
        rows.row(&[Cell::Int(7), Cell::Text("a\\b\tc\nd\re"), Cell::Null, Cell::Bool(true), Cell::TextArray(&kinds)]);
        assert_eq!(rows.buf, "7\ta\\\\b\\tc\\nd\\re\t\\N\tt\t{\"build\",\"we\\\\\"ird\\\\\\\\\",\"tab\\there\"}\n");
        assert_eq!(rows.len(), 1);
    }

    #[test]
    fn bytea_and_json() {
        let mut rows = CopyRows::default();
        let mut map = serde_json::Map::new();
        map.insert("k".into(), serde_json::Value::String("a\\b\tc".into()));
        rows.row(&[Cell::Bytea(&[0xab, 0x01]), Cell::Json(&map)]);
        // bytea text input `\xab01` with its backslash escaped for COPY; JSON
        // `{"k":"a\\b\tc"}` likewise.
        assert_eq!(rows.buf, "\\\\xab01\t{\"k\":\"a\\\\\\\\b\\\\tc\"}\n");
    }

    #[test]
    fn empty_array_is_braces() {
        let mut rows = CopyRows::default();
        rows.row(&[Cell::TextArray(&[])]);
        assert_eq!(rows.buf, "{}\n");
    }
}
