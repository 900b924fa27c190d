//! Text renderings of a what-if comparison: an aligned table, Markdown, CSV and JSON.
//! Pure functions from rows to a string; the CLI decides where it goes.

use super::compare::Row;
use crate::report::table::{self, Align, Cell, Table, n, t, text};

/// Column headers of the table, Markdown and the HTML page, in order.
pub const HEADERS: [&str; 16] = [
    "variant",
    "waves",
    "lower bound",
    "finish",
    "split cost",
    "unscheduled",
    "peak target %",
    "Δ finish (days)",
    "Δ waves",
    "Δ split cost",
    "transition cost",
    "Δ transition cost",
    "bound set by",
    "full most often",
    "error",
    "details",
];

/// Columns holding numbers (right-aligned); the others are text.
const NUMBER_COLUMNS: [usize; 10] = [1, 2, 4, 5, 6, 7, 8, 9, 10, 11];

/// The keys of the JSON objects, in order, which are also the CSV header. New keys go at the
/// end so that CSV read by column position keeps working.
pub const KEYS: [&str; 19] = [
    "name",
    "overrides",
    "waves",
    "lower_bound_waves",
    "finish",
    "split_cost",
    "unscheduled",
    "peak_target_pct",
    "delta_waves",
    "delta_split_cost",
    "error",
    "complete",
    "delta_finish_days",
    "plan_from",
    "bound_rule",
    "most_binding",
    "warnings",
    "transition_cost",
    "delta_transition_cost",
];

/// A number cell, `-` when absent.
fn num(x: Option<f64>, show: fn(f64) -> String) -> Cell {
    x.map_or_else(|| n(f64::NAN, "-"), |v| n(v, show(v)))
}

/// A cost cell: empty (not `-`) when absent, so the text table drops the cost columns of a
/// comparison without `costs:`.
fn cost(x: Option<f64>, show: fn(f64) -> String) -> Cell {
    x.map_or_else(|| t(""), |v| n(v, show(v)))
}

/// A number with its sign, so a delta reads as a change.
fn signed_f(v: f64) -> String {
    if v > 0.0 {
        format!("+{v}")
    } else {
        format!("{v}")
    }
}

/// A whole-number cell, `-` when absent; `signed` shows a `+` on gains, for deltas.
fn int(x: Option<i64>, signed: bool) -> Cell {
    x.map_or_else(
        || n(f64::NAN, "-"),
        |v| {
            let text = if signed && v > 0 {
                format!("+{v}")
            } else {
                v.to_string()
            };
            // The value only orders rows: counts and day deltas fit an i32 by far.
            n(i32::try_from(v).map_or(f64::NAN, f64::from), text)
        },
    )
}

/// The finish as shown to people: an incomplete row's finish says it leaves services out,
/// since it is earlier only because less work was planned.
#[must_use]
pub fn finish_cell(r: &Row) -> String {
    let finish = r.finish.clone().unwrap_or_else(|| "-".to_owned());
    match (r.complete, r.unscheduled) {
        (Some(false), Some(n)) => format!("{finish} (incomplete: {n} unscheduled)"),
        _ => finish,
    }
}

/// The row's full overrides (unless its label already shows them all), where its plan came
/// from when another row's search found it, and the warnings its overrides raised.
#[must_use]
pub fn details_cell(r: &Row) -> String {
    let all = r.overrides.join("; ");
    let mut parts = Vec::new();
    if all != r.name && !all.is_empty() {
        parts.push(all);
    }
    if let Some(from) = &r.plan_from {
        parts.push(format!("plan found for row `{from}`"));
    }
    for w in &r.warnings {
        parts.push(format!("warning: {w}"));
    }
    parts.join("; ")
}

/// One row's cells, in the order of [`HEADERS`].
fn cells(r: &Row) -> Vec<Cell> {
    let or_dash = |x: &Option<String>| t(x.clone().unwrap_or_else(|| "-".to_owned()));
    let plain = |v: f64| format!("{v}");
    vec![
        t(&r.name),
        int(r.waves.map(i64::from), false),
        int(r.lower_bound_waves.map(i64::from), false),
        t(finish_cell(r)),
        num(r.split_cost, plain),
        int(r.unscheduled.and_then(|u| i64::try_from(u).ok()), false),
        num(r.peak_target_pct, plain),
        int(r.delta_finish_days, true),
        int(r.delta_waves, true),
        num(r.delta_split_cost, signed_f),
        cost(r.transition_cost, plain),
        cost(r.delta_transition_cost, signed_f),
        or_dash(&r.bound_rule),
        or_dash(&r.most_binding),
        t(r.error.clone().unwrap_or_default()),
        t(details_cell(r)),
    ]
}

/// The comparison as a format-neutral table: the baseline row and incomplete rows marked,
/// the error and details columns optional.
#[must_use]
pub fn comparison(rows: &[Row]) -> Table {
    let mut table = Table::new("compare", &HEADERS, rows.iter().map(cells));
    for (i, (row, r)) in table.rows.iter_mut().zip(rows).enumerate() {
        row.style = if r.complete == Some(false) {
            "incomplete"
        } else if i == 0 {
            "base"
        } else {
            ""
        };
    }
    for (i, c) in table.columns.iter_mut().enumerate() {
        if NUMBER_COLUMNS.contains(&i) {
            c.align = Align::Right;
        }
        match c.name.as_str() {
            "error" => (c.style, c.optional) = ("err", true),
            "details" => (c.style, c.optional) = ("details", true),
            // Only scenarios with `costs:` have them.
            "transition cost" | "Δ transition cost" => c.optional = true,
            _ => {}
        }
    }
    table
}

/// An aligned plain-text table (numbers right-aligned). The error and details columns are
/// left out when every row has them empty.
#[must_use]
pub fn table(rows: &[Row]) -> String {
    text::render(&comparison(rows))
}

/// A Markdown table, every column present.
#[must_use]
pub fn markdown(rows: &[Row]) -> String {
    table::markdown::render(&comparison(rows))
}

/// CSV with the JSON keys as header ([`KEYS`]); overrides joined by `; `; empty cells for
/// nulls.
///
/// # Errors
/// Only if the in-memory writer fails (a bug).
pub fn csv(rows: &[Row]) -> Result<String, csv::Error> {
    let opt = |x: Option<String>| x.unwrap_or_default();
    let records = rows.iter().map(|r| {
        vec![
            r.name.clone(),
            r.overrides.join("; "),
            opt(r.waves.map(|v| v.to_string())),
            opt(r.lower_bound_waves.map(|v| v.to_string())),
            opt(r.finish.clone()),
            opt(r.split_cost.map(|v| v.to_string())),
            opt(r.unscheduled.map(|v| v.to_string())),
            opt(r.peak_target_pct.map(|v| v.to_string())),
            opt(r.delta_waves.map(|v| v.to_string())),
            opt(r.delta_split_cost.map(|v| v.to_string())),
            opt(r.error.clone()),
            opt(r.complete.map(|v| v.to_string())),
            opt(r.delta_finish_days.map(|v| v.to_string())),
            opt(r.plan_from.clone()),
            opt(r.bound_rule.clone()),
            opt(r.most_binding.clone()),
            r.warnings.join("; "),
            opt(r.transition_cost.map(|v| v.to_string())),
            opt(r.delta_transition_cost.map(|v| v.to_string())),
        ]
    });
    crate::report::csv::write(&KEYS, records)
}

/// A pretty JSON array of row objects with a final newline.
///
/// # Errors
/// Only if serialisation fails (an internal bug).
pub fn json(rows: &[Row]) -> Result<String, serde_json::Error> {
    serde_json::to_string_pretty(rows).map(|mut s| {
        s.push('\n');
        s
    })
}

#[cfg(test)]
#[expect(
    clippy::unwrap_used,
    reason = "test inputs are fixed; a panic is the failure"
)]
pub(crate) mod tests {
    use super::*;
    use crate::scenario::compare::fill_deltas;

    /// A computed row (`unscheduled` services left out) or, with `error`, a failed one.
    pub(crate) fn row(name: &str, finish: &str, unscheduled: u64, error: Option<&str>) -> Row {
        let ok = error.is_none();
        Row {
            name: name.to_owned(),
            overrides: vec!["capacity.cutovers=5".to_owned()],
            waves: ok.then_some(3),
            lower_bound_waves: ok.then_some(3),
            finish: ok.then(|| finish.to_owned()),
            split_cost: ok.then_some(12.5),
            unscheduled: ok.then_some(unscheduled),
            peak_target_pct: None,
            delta_waves: ok.then_some(0),
            delta_split_cost: ok.then_some(0.0),
            error: error.map(str::to_owned),
            complete: ok.then_some(unscheduled == 0),
            delta_finish_days: ok.then_some(0),
            plan_from: None,
            bound_rule: None,
            most_binding: None,
            warnings: Vec::new(),
            transition_cost: None,
            delta_transition_cost: None,
        }
    }

    /// The baseline, a later complete row, an incomplete row and a failed one.
    pub(crate) fn mixed() -> Vec<Row> {
        let mut rows = vec![
            row("baseline", "2020-05-24", 0, None),
            row("later", "2020-06-07", 0, None),
            row("weekly", "2020-03-15", 62, None),
            row("bad", "", 0, Some("x, \"y\"")),
        ];
        rows[1].waves = Some(5);
        fill_deltas(&mut rows);
        rows
    }

    #[test]
    fn json_has_the_contract_keys_in_order() {
        let text = json(&mixed()).unwrap();
        let v: serde_json::Value = serde_json::from_str(&text).unwrap();
        let keys: Vec<&String> = v[0].as_object().unwrap().keys().collect();
        assert_eq!(keys, KEYS);
        assert!(v[0]["peak_target_pct"].is_null());
        assert_eq!(v[0]["complete"], true);
        assert_eq!(v[1]["delta_finish_days"], 14);
        assert_eq!(v[1]["delta_waves"], 2);
    }

    #[test]
    fn cost_columns_appear_only_when_some_row_has_costs() {
        let mut rows = mixed();
        assert!(!table(&rows).contains("transition cost"));
        assert!(markdown(&rows).contains("transition cost"));
        rows[0].transition_cost = Some(1000.0);
        rows[1].transition_cost = Some(1250.5);
        super::super::compare::fill_deltas(&mut rows);
        assert_eq!(rows[1].delta_transition_cost, Some(250.5));
        let text = table(&rows);
        assert!(text.contains("Δ transition cost"), "{text}");
        assert!(text.contains("+250.5"), "{text}");
        let v: serde_json::Value = serde_json::from_str(&json(&rows).unwrap()).unwrap();
        assert_eq!(v[1]["transition_cost"], 1250.5);
        assert_eq!(v[1]["delta_transition_cost"], 250.5);
    }

    #[test]
    fn an_incomplete_row_has_null_deltas_in_json_and_csv() {
        let rows = mixed();
        let v: serde_json::Value = serde_json::from_str(&json(&rows).unwrap()).unwrap();
        let weekly = &v[2];
        assert_eq!(weekly["complete"], false);
        assert_eq!(weekly["finish"], "2020-03-15");
        assert_eq!(weekly["unscheduled"], 62);
        for k in ["delta_waves", "delta_split_cost", "delta_finish_days"] {
            assert!(weekly[k].is_null(), "{k}");
        }
        assert!(v[3]["complete"].is_null());
        let text = csv(&rows).unwrap();
        let mut r = ::csv::Reader::from_reader(text.as_bytes());
        assert_eq!(r.headers().unwrap().iter().collect::<Vec<_>>(), KEYS);
        let recs: Vec<::csv::StringRecord> = r.records().map(Result::unwrap).collect();
        let col = |k: &str| KEYS.iter().position(|x| *x == k).unwrap();
        assert_eq!(&recs[2][col("complete")], "false");
        assert_eq!(&recs[2][col("finish")], "2020-03-15");
        for k in ["delta_waves", "delta_split_cost", "delta_finish_days"] {
            assert_eq!(&recs[2][col(k)], "", "{k}");
        }
        assert_eq!(&recs[1][col("delta_finish_days")], "14");
        assert_eq!(&recs[0][col("complete")], "true");
        assert_eq!(&recs[3][col("error")], "x, \"y\"");
    }

    #[test]
    fn an_incomplete_row_says_so_in_the_table_and_markdown() {
        let rows = mixed();
        let t = table(&rows);
        let weekly = t.lines().find(|l| l.starts_with("weekly")).unwrap();
        assert!(
            weekly.contains("2020-03-15 (incomplete: 62 unscheduled)"),
            "{t}"
        );
        assert!(!weekly.contains('+'), "{t}");
        let later = t.lines().find(|l| l.starts_with("later")).unwrap();
        assert!(later.contains("+14") && later.contains("+2"), "{t}");
        let md = markdown(&rows);
        assert!(md.contains("| weekly | 3 | 3 | 2020-03-15 (incomplete: 62 unscheduled) |"));
        let weekly = md.lines().find(|l| l.starts_with("| weekly")).unwrap();
        assert!(weekly.contains("| 62 | - | - | - | - |"), "{md}");
    }

    #[test]
    fn text_formats_show_every_row() {
        let rows = mixed();
        let t = table(&rows);
        assert_eq!(t.lines().count(), 5);
        let header = t.lines().next().unwrap();
        assert!(
            header.contains("  error  ") && header.ends_with("details"),
            "{t}"
        );
        let md = markdown(&rows);
        assert_eq!(md.lines().count(), 6);
        assert!(md.lines().nth(1).unwrap().starts_with("| --- | ---: |"));
        // Labels that show every override leave the details empty.
        let mut plain = rows.clone();
        for r in &mut plain {
            r.name = r.overrides.join("; ");
            r.error = None;
        }
        assert!(
            table(&plain)
                .lines()
                .next()
                .unwrap()
                .ends_with("full most often")
        );
    }
}
