//! Tables as GitHub/GitLab-flavoured Markdown, every cell escaped so it stays one cell of
//! plain text.

use std::fmt::Write;

use super::{Align, Table};
use crate::report::fmt::md;

/// Renders `table`: the heading row, the alignment row, then one line per row.
#[must_use]
pub fn render(table: &Table) -> String {
    let mut out = String::new();
    let names: Vec<String> = table.columns.iter().map(|c| md(&c.name)).collect();
    let _ = writeln!(out, "| {} |", names.join(" | "));
    let sep: Vec<&str> = table
        .columns
        .iter()
        .map(|c| match c.align {
            Align::Left => "---",
            Align::Right => "---:",
        })
        .collect();
    let _ = writeln!(out, "| {} |", sep.join(" | "));
    for row in &table.rows {
        let cells: Vec<String> = row.cells.iter().map(|c| md(&c.plain())).collect();
        let _ = writeln!(out, "| {} |", cells.join(" | "));
    }
    out
}
