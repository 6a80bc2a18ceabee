//! Moving between the matrix' cells with the keyboard (the ARIA grid
//! pattern): one cell is in the tab order; the arrow keys move focus to the
//! neighbouring cell, Home and End to the first and last cell of the row,
//! Ctrl+Home and Ctrl+End to the first and last cell of the table, Page Up
//! and Page Down ten rows. The cell taking focus becomes the one in the tab
//! order. Cells are `td`s of the body (`body::rows_html`); the row headers'
//! links stay in the tab order as links. Without JavaScript the cells are
//! read with the screen reader's table commands and the region scrolls.

/// Where a key moves focus from the cell at `row`, `col` in a table of
/// `rows` × `cols` cells; `None` when the key does not move (or would leave
/// the table).
pub fn step(key: &str, ctrl: bool, row: usize, col: usize, rows: usize, cols: usize) -> Option<(usize, usize)> {
    if rows == 0 || cols == 0 {
        return None;
    }
    let to = match (key, ctrl) {
        ("ArrowRight", _) => (row, (col + 1).min(cols - 1)),
        ("ArrowLeft", _) => (row, col.saturating_sub(1)),
        ("ArrowDown", _) => ((row + 1).min(rows - 1), col),
        ("ArrowUp", _) => (row.saturating_sub(1), col),
        ("PageDown", _) => ((row + 10).min(rows - 1), col),
        ("PageUp", _) => (row.saturating_sub(10), col),
        ("Home", false) => (row, 0),
        ("End", false) => (row, cols - 1),
        ("Home", true) => (0, 0),
        ("End", true) => (rows - 1, cols - 1),
        _ => return None,
    };
    (to != (row, col)).then_some(to)
}

/// The table's `keydown` handler (delegated from the `<table>`).
#[cfg(feature = "hydrate")]
pub fn on_keydown(ev: leptos::ev::KeyboardEvent) {
    use leptos::wasm_bindgen::JsCast;
    use leptos::web_sys::{Element, HtmlElement};

    let Some(cell) = ev.target().and_then(|t| t.dyn_into::<Element>().ok()) else { return };
    if cell.tag_name() != "TD" || !cell.class_list().contains("cell") {
        return;
    }
    let Some(tr) = cell.parent_element() else { return };
    let Some(tbody) = tr.parent_element() else { return };
    // Positions: cells after the row header; rows of the body.
    let index = |el: &Element| {
        let mut n: usize = 0;
        let mut at = el.previous_element_sibling();
        while let Some(e) = at {
            n += 1;
            at = e.previous_element_sibling();
        }
        n
    };
    let rows = tbody.child_element_count() as usize;
    let cols = (tr.child_element_count() as usize).saturating_sub(1);
    let (row, col) = (index(&tr), index(&cell).saturating_sub(1));
    let Some((to_row, to_col)) = step(&ev.key(), ev.ctrl_key() || ev.meta_key(), row, col, rows, cols) else {
        return;
    };
    let nth = |parent: &Element, n: usize| {
        let mut at = parent.first_element_child();
        for _ in 0..n {
            at = at.and_then(|e| e.next_element_sibling());
        }
        at
    };
    let Some(target) = nth(&tbody, to_row).and_then(|r| nth(&r, to_col + 1)) else { return };
    ev.prevent_default();
    let _ = cell.set_attribute("tabindex", "-1");
    let _ = target.set_attribute("tabindex", "0");
    if let Ok(target) = target.dyn_into::<HtmlElement>() {
        let _ = target.focus();
    }
}

#[cfg(test)]
mod tests {
    use super::step;

    #[test]
    fn arrows_move_one_cell_and_stop_at_the_edges() {
        assert_eq!(step("ArrowRight", false, 0, 0, 3, 4), Some((0, 1)));
        assert_eq!(step("ArrowRight", false, 0, 3, 3, 4), None);
        assert_eq!(step("ArrowLeft", false, 1, 0, 3, 4), None);
        assert_eq!(step("ArrowDown", false, 1, 2, 3, 4), Some((2, 2)));
        assert_eq!(step("ArrowDown", false, 2, 2, 3, 4), None);
        assert_eq!(step("ArrowUp", false, 2, 2, 3, 4), Some((1, 2)));
    }

    #[test]
    fn home_end_and_pages() {
        assert_eq!(step("Home", false, 2, 3, 3, 4), Some((2, 0)));
        assert_eq!(step("End", false, 2, 0, 3, 4), Some((2, 3)));
        assert_eq!(step("Home", true, 2, 3, 3, 4), Some((0, 0)));
        assert_eq!(step("End", true, 0, 0, 3, 4), Some((2, 3)));
        assert_eq!(step("PageDown", false, 0, 1, 25, 4), Some((10, 1)));
        assert_eq!(step("PageDown", false, 20, 1, 25, 4), Some((24, 1)));
        assert_eq!(step("PageUp", false, 5, 1, 25, 4), Some((0, 1)));
    }

    #[test]
    fn other_keys_and_empty_tables_do_nothing() {
        assert_eq!(step("a", false, 0, 0, 3, 4), None);
        assert_eq!(step("Tab", false, 0, 0, 3, 4), None);
        assert_eq!(step("ArrowRight", false, 0, 0, 0, 0), None);
    }
}
