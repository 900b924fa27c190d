//! A format-neutral table: columns and typed cells, built once from the report's facts (or
//! a what-if comparison) and shown by every back end with its own escaping, so the formats
//! cannot drift apart in content.

pub mod html;
pub mod markdown;
pub mod text;

use std::fmt::Display;

/// How a column's cells line up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    /// Text.
    Left,
    /// Numbers, so their digits line up.
    Right,
}

/// One column.
#[derive(Debug, Clone)]
pub struct Column {
    /// The heading.
    pub name: String,
    /// Where its cells line up.
    pub align: Align,
    /// A style hint (an HTML class) for its text cells; empty for none.
    pub style: &'static str,
    /// Left out of the plain-text table when no row fills it.
    pub optional: bool,
}

impl Column {
    /// A column from a heading; a leading `#` marks it numeric (right-aligned).
    #[must_use]
    pub fn parse(heading: &str) -> Self {
        let (align, name) = heading
            .strip_prefix('#')
            .map_or((Align::Left, heading), |n| (Align::Right, n));
        Self {
            name: name.to_owned(),
            align,
            style: "",
            optional: false,
        }
    }
}

/// One cell; its kind decides how each format shows, aligns and sorts it.
#[derive(Debug, Clone)]
pub enum Cell {
    /// Free text.
    Text(String),
    /// An identifier (a service or department code).
    Id(String),
    /// A number shown as `text`, ordered by `value` (NaN: no order).
    Number {
        /// The value it sorts by.
        value: f64,
        /// The value as shown.
        text: String,
    },
    /// A calendar date, which must not wrap.
    Date(String),
    /// A range of dates, such as a wave's first and last day.
    Period {
        /// The first day.
        from: String,
        /// The last day.
        to: String,
    },
    /// A load against a capacity: the share (`label`), then what it is a share of.
    Bar {
        /// The share in percent, when the capacity is limited.
        percent: Option<f64>,
        /// The value it sorts by.
        value: f64,
        /// The share as shown.
        label: String,
        /// Used / capacity, as shown.
        detail: String,
    },
    /// A name with its optional local-language form.
    Name {
        /// The name.
        name: String,
        /// The local form, shown beside it.
        local: Option<String>,
    },
    /// Text pointing to a part of the same document.
    Link {
        /// The text.
        text: String,
        /// The anchor it points to.
        anchor: String,
    },
}

impl Cell {
    /// The cell as plain text, for formats without markup.
    #[must_use]
    pub fn plain(&self) -> String {
        match self {
            Self::Text(s) | Self::Id(s) | Self::Date(s) => s.clone(),
            Self::Number { text, .. } => text.clone(),
            Self::Period { from, to } => format!("{from} – {to}"),
            Self::Bar { label, detail, .. } => format!("{label} ({detail})"),
            Self::Name { name, local } => match local {
                Some(l) => format!("{name} ({l})"),
                None => name.clone(),
            },
            Self::Link { text, .. } => text.clone(),
        }
    }
}

/// Text cell.
pub fn t(s: impl Into<String>) -> Cell {
    Cell::Text(s.into())
}

/// Identifier cell.
pub fn id(s: impl Into<String>) -> Cell {
    Cell::Id(s.into())
}

/// Numeric cell.
pub fn n(value: f64, text: impl Into<String>) -> Cell {
    Cell::Number {
        value,
        text: text.into(),
    }
}

/// A count.
#[expect(clippy::cast_precision_loss, reason = "counts are far below 2^52")]
pub fn count(v: usize) -> Cell {
    n(v as f64, v.to_string())
}

/// An optional date, `-` when absent.
pub fn date(d: Option<impl Display>) -> Cell {
    d.map_or_else(|| t("-"), |d| Cell::Date(d.to_string()))
}

/// One row.
#[derive(Debug, Clone)]
pub struct Row {
    /// The cells, one per column.
    pub cells: Vec<Cell>,
    /// A style hint (an HTML class) for the whole row; empty for none.
    pub style: &'static str,
}

/// A table: a heading row and rows of typed cells.
#[derive(Debug, Clone)]
pub struct Table {
    /// A style hint (an HTML class) for the table; empty for none.
    pub style: &'static str,
    /// The columns.
    pub columns: Vec<Column>,
    /// The rows.
    pub rows: Vec<Row>,
}

impl Table {
    /// A table with `headings` (see [`Column::parse`]) and rows of cells.
    pub fn new<H: AsRef<str>>(
        style: &'static str,
        headings: &[H],
        rows: impl IntoIterator<Item = Vec<Cell>>,
    ) -> Self {
        Self {
            style,
            columns: headings.iter().map(|h| Column::parse(h.as_ref())).collect(),
            rows: rows
                .into_iter()
                .map(|cells| Row { cells, style: "" })
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One row of every kind of cell, with markup in the text.
    fn sample() -> Table {
        let mut table = Table::new(
            "sortable",
            &["Service", "#Wave", "Dates", "#Load", "Note", "Department"],
            [vec![
                id("a_b"),
                n(3.0, "3"),
                Cell::Period {
                    from: "2019-01-07".into(),
                    to: "2019-01-20".into(),
                },
                Cell::Bar {
                    percent: Some(150.0),
                    value: 150.0,
                    label: "150%".into(),
                    detail: "3 / 2".into(),
                },
                t("<b>|'x'"),
                Cell::Name {
                    name: "Finance & Tax".into(),
                    local: Some("財政局".into()),
                },
            ]],
        );
        table.columns[4].optional = true;
        table
    }

    #[test]
    fn markdown_escapes_every_cell_and_aligns_numbers() {
        let md = markdown::render(&sample());
        let lines: Vec<&str> = md.lines().collect();
        assert_eq!(
            lines,
            [
                "| Service | Wave | Dates | Load | Note | Department |",
                "| --- | ---: | --- | ---: | --- | --- |",
                "| a\\_b | 3 | 2019-01-07 – 2019-01-20 | 150% (3 / 2) | &lt;b&gt;\\|'x' | Finance & Tax (財政局) |",
            ]
        );
    }

    #[test]
    fn html_escapes_every_cell_and_marks_kinds() {
        let html = html::render(&sample());
        assert!(html.starts_with(
            r#"<table class="sortable"><thead><tr><th>Service</th><th class="n">Wave</th>"#
        ));
        for want in [
            "<td>a_b</td>",
            r#"<td class="n" data-v="3">3</td>"#,
            r#"<td class="date" data-v="2019-01-07">2019-01-07<br>2019-01-20</td>"#,
            r#"<td class="over" data-v="150">150%<br><small>3 / 2</small></td>"#,
            "<td>&lt;b&gt;|&#39;x&#39;</td>",
            r#"Finance &amp; Tax <span class="local" lang="zh-Hant">財政局</span>"#,
        ] {
            assert!(html.contains(want), "{want} in {html}");
        }
    }

    #[test]
    fn text_aligns_numbers_and_drops_empty_optional_columns() {
        let mut table = sample();
        let text = text::render(&table);
        assert!(
            text.lines()
                .all(|l| l.contains("Note") || l.contains("<b>"))
        );
        table.rows[0].cells[4] = t("");
        let text = text::render(&table);
        let lines: Vec<&str> = text.lines().collect();
        assert!(!lines[0].contains("Note"), "{text}");
        // The number ends where its heading ends.
        assert_eq!(
            lines[0].find("Wave").map(|i| i + 4),
            lines[1].find('3').map(|i| i + 1)
        );
    }
}
