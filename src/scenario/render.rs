//! Text renderings of a what-if comparison: an aligned table, Markdown, CSV and JSON.
//! Pure functions from rows to a string; the CLI decides where it goes.

use super::compare::Row;

/// Column headers of the table, Markdown and the HTML page, in order.
pub const HEADERS: [&str; 14] = [
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
    "bound set by",
    "full most often",
    "error",
    "details",
];

/// Columns holding text (left-aligned); the others are numbers.
const TEXT_COLUMNS: [usize; 6] = [0, 3, 10, 11, 12, 13];
const ERROR: usize = 12;
const DETAILS: usize = 13;

/// The keys of the JSON objects, in order, which are also the CSV header. New keys go at the
/// end so that CSV read by column position keeps working.
pub const KEYS: [&str; 17] = [
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
];

fn num(x: Option<f64>) -> String {
    x.map_or_else(|| "-".to_owned(), |v| format!("{v}"))
}

fn signed_i(x: Option<i64>) -> String {
    x.map_or_else(
        || "-".to_owned(),
        |v| {
            if v > 0 {
                format!("+{v}")
            } else {
                v.to_string()
            }
        },
    )
}

fn signed_f(x: Option<f64>) -> String {
    x.map_or_else(
        || "-".to_owned(),
        |v| {
            if v > 0.0 {
                format!("+{v}")
            } else {
                format!("{v}")
            }
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
#[must_use]
pub fn cells(r: &Row) -> [String; 14] {
    [
        r.name.clone(),
        r.waves.map_or_else(|| "-".to_owned(), |w| w.to_string()),
        r.lower_bound_waves
            .map_or_else(|| "-".to_owned(), |w| w.to_string()),
        finish_cell(r),
        num(r.split_cost),
        r.unscheduled
            .map_or_else(|| "-".to_owned(), |u| u.to_string()),
        num(r.peak_target_pct),
        signed_i(r.delta_finish_days),
        signed_i(r.delta_waves),
        signed_f(r.delta_split_cost),
        r.bound_rule.clone().unwrap_or_else(|| "-".to_owned()),
        r.most_binding.clone().unwrap_or_else(|| "-".to_owned()),
        r.error.clone().unwrap_or_default(),
        details_cell(r),
    ]
}

/// An aligned plain-text table (numbers right-aligned). The error and details columns are
/// left out when every row has them empty.
#[must_use]
pub fn table(rows: &[Row]) -> String {
    let body: Vec<[String; 14]> = rows.iter().map(cells).collect();
    let cols: Vec<usize> = (0..HEADERS.len())
        .filter(|&i| !matches!(i, ERROR | DETAILS) || body.iter().any(|r| !r[i].is_empty()))
        .collect();
    let mut width = HEADERS.map(|h| h.chars().count());
    for r in &body {
        for (w, c) in width.iter_mut().zip(r) {
            *w = (*w).max(c.chars().count());
        }
    }
    let line = |r: &[String]| {
        let mut out = String::new();
        for (k, &i) in cols.iter().enumerate() {
            let c = &r[i];
            let pad = " ".repeat(width[i].saturating_sub(c.chars().count()));
            if k > 0 {
                out.push_str("  ");
            }
            if TEXT_COLUMNS.contains(&i) {
                out.push_str(c);
                // The last column is not padded, so long text does not widen every line.
                if k + 1 < cols.len() {
                    out.push_str(&pad);
                }
            } else {
                out.push_str(&pad);
                out.push_str(c);
            }
        }
        out.trim_end().to_owned() + "\n"
    };
    let mut out = line(&HEADERS.map(str::to_owned));
    for r in &body {
        out.push_str(&line(r));
    }
    out
}

/// A Markdown table, every column present.
#[must_use]
pub fn markdown(rows: &[Row]) -> String {
    let esc = |s: &str| s.replace('|', "\\|");
    let mut out = format!("| {} |\n|", HEADERS.join(" | "));
    for i in 0..HEADERS.len() {
        out.push_str(if TEXT_COLUMNS.contains(&i) {
            "---|"
        } else {
            "---:|"
        });
    }
    out.push('\n');
    for r in rows {
        let c: Vec<String> = cells(r).iter().map(|x| esc(x)).collect();
        out.push_str(&format!("| {} |\n", c.join(" | ")));
    }
    out
}

/// CSV with the JSON keys as header ([`KEYS`]); overrides joined by `; `; empty cells for
/// nulls.
///
/// # Errors
/// Only if the in-memory writer fails (a bug).
pub fn csv(rows: &[Row]) -> Result<String, csv::Error> {
    let opt = |x: Option<String>| x.unwrap_or_default();
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(KEYS)?;
    for r in rows {
        w.write_record([
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
        ])?;
    }
    let bytes = w
        .into_inner()
        .map_err(|e| csv::Error::from(e.into_error()))?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
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
        assert!(md.lines().nth(1).unwrap().starts_with("|---|---:|"));
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
