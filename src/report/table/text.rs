//! Tables as aligned plain text for terminals: numbers right-aligned, optional columns left
//! out when empty.

use super::{Align, Table};

/// Renders `table`, one line per row after the heading line, trailing spaces trimmed.
#[must_use]
pub fn render(table: &Table) -> String {
    let body: Vec<Vec<String>> = table
        .rows
        .iter()
        .map(|r| r.cells.iter().map(super::Cell::plain).collect())
        .collect();
    let cols: Vec<usize> = (0..table.columns.len())
        .filter(|&i| {
            !table.columns[i].optional
                || body.iter().any(|r| r.get(i).is_some_and(|c| !c.is_empty()))
        })
        .collect();
    let mut width: Vec<usize> = table
        .columns
        .iter()
        .map(|c| c.name.chars().count())
        .collect();
    for r in &body {
        for (w, c) in width.iter_mut().zip(r) {
            *w = (*w).max(c.chars().count());
        }
    }
    let line = |r: &[String]| {
        let mut out = String::new();
        for (k, &i) in cols.iter().enumerate() {
            let c = r.get(i).map_or("", String::as_str);
            let pad = " ".repeat(width[i].saturating_sub(c.chars().count()));
            if k > 0 {
                out.push_str("  ");
            }
            match table.columns[i].align {
                Align::Left => {
                    out.push_str(c);
                    // The last column is not padded, so long text does not widen every line.
                    if k + 1 < cols.len() {
                        out.push_str(&pad);
                    }
                }
                Align::Right => {
                    out.push_str(&pad);
                    out.push_str(c);
                }
            }
        }
        out.trim_end().to_owned() + "\n"
    };
    let headings: Vec<String> = table.columns.iter().map(|c| c.name.clone()).collect();
    let mut out = line(&headings);
    for r in &body {
        out.push_str(&line(r));
    }
    out
}
