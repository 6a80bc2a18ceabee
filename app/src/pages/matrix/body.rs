//! The matrix' table body as one pre-escaped HTML string (set with
//! `inner_html`): 500 rows × 30 columns are 15,000 cells, and a Leptos view
//! per cell cost more than the rest of the page. Every data value goes
//! through `escape`. Cells say their status and provenance in words for
//! screen readers, without repeating the package and the platform: the row
//! and column headers (`<th scope>`) give those.
use crate::api::catalog::package_href;
use crate::api::matrix::{MatrixCell, MatrixRow};
use crate::i18n::Lang;

use super::{cell_text, kind_label, symbol};

/// Appends `s` to `out`, escaped for HTML text and quoted attribute values.
pub fn escape_into(out: &mut String, s: &str) {
    let mut last = 0;
    for (i, b) in s.bytes().enumerate() {
        let replacement = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            _ => continue,
        };
        out.push_str(&s[last..i]);
        out.push_str(replacement);
        last = i + 1;
    }
    out.push_str(&s[last..]);
}

/// `s` escaped for HTML.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    escape_into(&mut out, s);
    out
}

fn cell_html(out: &mut String, lang: Lang, cell: &MatrixCell, kinds: &Kinds, demo_mark: &str, first: bool) {
    // One cell in the tab order (the first); the arrow keys move focus from
    // cell to cell (`keys`), as in the ARIA grid pattern.
    out.push_str(if first { "<td tabindex=\"0\" class=\"cell k-" } else { "<td tabindex=\"-1\" class=\"cell k-" });
    escape_into(out, &cell.kind);
    out.push_str(" s-");
    escape_into(out, &cell.status);
    out.push_str("\" data-cell=\"");
    escape_into(out, &cell.kind);
    out.push(':');
    escape_into(out, &cell.status);
    if cell.kind == "unknown" && !cell.demo {
        // Nothing known: the symbol, and the word for screen readers.
        out.push_str("\"><span class=\"sym\" aria-hidden=\"true\">");
        out.push_str(symbol(cell));
        out.push_str("</span><span class=\"visually-hidden\">");
        out.push_str(&kinds.unknown_text);
        out.push_str("</span></td>");
        return;
    }
    let text = escape(&cell_text(lang, cell));
    out.push_str("\" title=\"");
    out.push_str(&text);
    out.push_str("\"><span class=\"sym\" aria-hidden=\"true\">");
    out.push_str(symbol(cell));
    out.push_str("</span> <span class=\"word\" aria-hidden=\"true\">");
    if cell.kind != "unknown" {
        out.push_str(kinds.label(&cell.kind));
    }
    out.push_str("</span>");
    if cell.demo {
        out.push_str(" <span class=\"demo-mark\" aria-hidden=\"true\">");
        out.push_str(demo_mark);
        out.push_str("</span>");
    }
    out.push_str("<span class=\"visually-hidden\">");
    out.push_str(&text);
    out.push_str("</span></td>");
}

/// The kinds' words, looked up once a page (escaped).
struct Kinds {
    labels: Vec<(&'static str, String)>,
    unknown_text: String,
}

impl Kinds {
    fn new(lang: Lang) -> Self {
        let labels = ["attested", "built", "declared", "inferred", "unknown"]
            .into_iter()
            .map(|k| (k, escape(&kind_label(lang, k))))
            .collect();
        Kinds { labels, unknown_text: escape(&cell_text(lang, &MatrixCell::unknown())) }
    }

    fn label(&self, kind: &str) -> &str {
        self.labels.iter().find(|(k, _)| *k == kind).map_or(self.labels[4].1.as_str(), |(_, l)| l.as_str())
    }
}

/// The `<tr>`s of the matrix' body.
pub fn rows_html(lang: Lang, rows: &[MatrixRow]) -> String {
    let cells: usize = rows.iter().map(|r| r.cells.len()).sum();
    let mut out = String::with_capacity(cells * 120 + rows.len() * 200);
    let kinds = Kinds::new(lang);
    let demo_mark = escape(&lang.t("matrix-demo-mark"));
    for (i, r) in rows.iter().enumerate() {
        out.push_str("<tr><th scope=\"row\"><a href=\"");
        escape_into(&mut out, &package_href(&r.ecosystem, &r.channel, &r.name));
        out.push_str("\">");
        escape_into(&mut out, &r.name);
        out.push_str("</a> <span class=\"muted\">");
        escape_into(&mut out, &r.ecosystem);
        out.push('/');
        escape_into(&mut out, &r.channel);
        out.push_str("</span></th>");
        for (j, cell) in r.cells.iter().enumerate() {
            cell_html(&mut out, lang, cell, &kinds, &demo_mark, i == 0 && j == 0);
        }
        out.push_str("</tr>");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_special_character_is_escaped() {
        assert_eq!(
            escape("<script>alert('x')</script> & \"q\""),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;"
        );
        assert_eq!(escape("é ✓ plain"), "é ✓ plain");
        assert_eq!(escape(""), "");
        assert_eq!(escape("&amp;"), "&amp;amp;");
    }

    #[test]
    fn only_the_first_cell_is_in_the_tab_order() {
        let row = |name: &str| MatrixRow {
            ecosystem: "spack".into(),
            channel: "builtin".into(),
            name: name.into(),
            version: None,
            cells: vec![MatrixCell::unknown(), MatrixCell::unknown(), MatrixCell::unknown()],
        };
        let html = rows_html(Lang::En, &[row("a"), row("b")]);
        assert_eq!(html.matches("tabindex=\"0\"").count(), 1);
        assert_eq!(html.matches("tabindex=\"-1\"").count(), 5);
        let first_cell = html.find("<td").unwrap();
        assert_eq!(html.find("tabindex=\"0\""), Some(first_cell + 4));
        assert_eq!(rows_html(Lang::En, &[]), "");
    }
}
