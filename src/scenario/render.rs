//! Text renderings of a what-if comparison: an aligned table, Markdown, CSV and JSON.
//! Pure functions from rows to a string; the CLI decides where it goes.

use super::compare::Row;

const HEADERS: [&str; 10] = [
    "variant",
    "waves",
    "lower bound",
    "finish",
    "split cost",
    "unscheduled",
    "peak target %",
    "Δ waves",
    "Δ split cost",
    "error",
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

fn cells(r: &Row) -> [String; 10] {
    [
        r.name.clone(),
        r.waves.map_or_else(|| "-".to_owned(), |w| w.to_string()),
        r.lower_bound_waves
            .map_or_else(|| "-".to_owned(), |w| w.to_string()),
        r.finish.clone().unwrap_or_else(|| "-".to_owned()),
        num(r.split_cost),
        r.unscheduled
            .map_or_else(|| "-".to_owned(), |u| u.to_string()),
        num(r.peak_target_pct),
        signed_i(r.delta_waves),
        signed_f(r.delta_split_cost),
        r.error.clone().unwrap_or_default(),
    ]
}

/// An aligned plain-text table (numbers right-aligned).
#[must_use]
pub fn table(rows: &[Row]) -> String {
    let body: Vec<[String; 10]> = rows.iter().map(cells).collect();
    let mut width = HEADERS.map(|h| h.chars().count());
    for r in &body {
        for (w, c) in width.iter_mut().zip(r) {
            *w = (*w).max(c.chars().count());
        }
    }
    // The error column is last and unpadded, so long messages do not widen every line.
    let has_error = rows.iter().any(|r| r.error.is_some());
    let cols = if has_error { 10 } else { 9 };
    let line = |r: &[String]| {
        let mut out = String::new();
        for (i, c) in r.iter().take(cols).enumerate() {
            let pad = width[i].saturating_sub(c.chars().count());
            if i > 0 {
                out.push_str("  ");
            }
            if i == 0 || i == 3 {
                out.push_str(c);
                if i + 1 < cols {
                    out.push_str(&" ".repeat(pad));
                }
            } else if i == 9 {
                out.push_str(c);
            } else {
                out.push_str(&" ".repeat(pad));
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

/// A Markdown table.
#[must_use]
pub fn markdown(rows: &[Row]) -> String {
    let esc = |s: &str| s.replace('|', "\\|");
    let mut out = format!("| {} |\n", HEADERS.join(" | "));
    out.push_str("|---|");
    out.push_str(&"---:|".repeat(8));
    out.push_str("---|\n");
    for r in rows {
        let c = cells(r);
        let c: Vec<String> = c.iter().map(|x| esc(x)).collect();
        out.push_str(&format!("| {} |\n", c.join(" | ")));
    }
    out
}

/// CSV with the JSON keys as header; overrides joined by `; `; empty cells for nulls.
#[must_use]
pub fn csv(rows: &[Row]) -> String {
    fn field(s: &str) -> String {
        if s.contains([',', '"', '\n', '\r']) {
            format!("\"{}\"", s.replace('"', "\"\""))
        } else {
            s.to_owned()
        }
    }
    let opt = |x: Option<String>| x.unwrap_or_default();
    let mut out = String::from(
        "name,overrides,waves,lower_bound_waves,finish,split_cost,unscheduled,peak_target_pct,delta_waves,delta_split_cost,error\n",
    );
    for r in rows {
        let f = [
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
        ];
        let f: Vec<String> = f.iter().map(|x| field(x)).collect();
        out.push_str(&f.join(","));
        out.push('\n');
    }
    out
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
mod tests {
    use super::*;

    fn row(name: &str, waves: Option<u32>, error: Option<&str>) -> Row {
        Row {
            name: name.to_owned(),
            overrides: vec!["capacity.cutovers=5".to_owned()],
            waves,
            lower_bound_waves: waves,
            finish: waves.map(|_| "2019-06-30".to_owned()),
            split_cost: waves.map(|_| 12.5),
            unscheduled: waves.map(|_| 0),
            peak_target_pct: None,
            delta_waves: waves.map(|_| 1),
            delta_split_cost: waves.map(|_| -2.0),
            error: error.map(str::to_owned),
            plan_from: None,
        }
    }

    #[test]
    fn json_has_exactly_the_contract_keys() {
        let text = json(&[row("a", Some(3), None)]).unwrap();
        let v: serde_json::Value = serde_json::from_str(&text).unwrap();
        let keys: Vec<&String> = v[0].as_object().unwrap().keys().collect();
        assert_eq!(
            keys,
            [
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
                "plan_from"
            ]
        );
        assert!(v[0]["peak_target_pct"].is_null());
    }

    #[test]
    fn text_formats_show_every_row() {
        let rows = [
            row("base", Some(3), None),
            row("bad", None, Some("x, \"y\"")),
        ];
        let t = table(&rows);
        assert_eq!(t.lines().count(), 3);
        assert!(t.contains("+1"));
        assert!(markdown(&rows).lines().nth(1).unwrap().starts_with("|---|"));
        let c = csv(&rows);
        assert!(
            c.lines().nth(2).unwrap().ends_with("\"x, \"\"y\"\"\""),
            "{c}"
        );
    }
}
