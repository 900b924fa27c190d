//! The plan example in docs/plan-format.md is the shipped plan (issue 15): every YAML line of
//! its first example, comments and `…` aside, is a line of `plans/baseline.plan.yaml`, so the
//! page cannot drift from what `waveplan plan` writes.

use crate::root;

#[test]
fn the_plan_format_example_is_an_excerpt_of_the_shipped_plan() {
    let doc = std::fs::read_to_string(root().join("docs/plan-format.md")).unwrap();
    let plan = std::fs::read_to_string(root().join("plans/baseline.plan.yaml")).unwrap();
    let lines: std::collections::HashSet<&str> = plan.lines().map(str::trim_end).collect();
    let block = doc
        .split_once("```yaml")
        .and_then(|(_, rest)| rest.split_once("```"))
        .map(|(b, _)| b)
        .unwrap();
    let mut folded: Option<String> = None;
    let mut missing = Vec::new();
    for l in block.lines() {
        // A trailing comment starts at `  #` (values hold no `#`).
        let core = l.split_once("  #").map_or(l, |(c, _)| c).trim_end();
        let t = core.trim_start();
        if t.is_empty() || t.starts_with('#') || t == "…" {
            continue;
        }
        // `key: >-` then its text on the next line: the plan writes them on one line.
        if let Some(key) = folded.take() {
            let one = format!("{key} {t}");
            if !lines.contains(one.as_str()) {
                missing.push(one);
            }
            continue;
        }
        if let Some(key) = core.strip_suffix(" >-") {
            folded = Some(key.to_owned());
            continue;
        }
        if !lines.contains(core) {
            missing.push(core.to_owned());
        }
    }
    assert!(
        missing.is_empty(),
        "docs/plan-format.md shows lines the shipped plan does not have (copy them from plans/baseline.plan.yaml):\n{}",
        missing.join("\n")
    );
}

/// The shipped plan's summary, as `waveplan whatif` and `waveplan diff` print it: waves,
/// lower bound, finish, split cost and transition cost (read from the plan's own lines).
struct Shipped {
    waves: String,
    lower_bound: String,
    finish: String,
    split_cost: f64,
    transition_cost: f64,
}

fn shipped_summary() -> Shipped {
    let plan = std::fs::read_to_string(root().join("plans/baseline.plan.yaml")).unwrap();
    let summary: Vec<&str> = plan
        .lines()
        .skip_while(|l| *l != "summary:")
        .skip(1)
        .take_while(|l| l.starts_with(' '))
        .collect();
    let field = |key: &str| -> String {
        let prefix = format!("  {key}: ");
        summary
            .iter()
            .find_map(|l| l.strip_prefix(prefix.as_str()))
            .unwrap_or_else(|| panic!("no summary.{key} in the shipped plan"))
            .trim_matches('"')
            .to_owned()
    };
    let total = summary
        .iter()
        .skip_while(|l| **l != "  transition_cost:")
        .find_map(|l| l.strip_prefix("    total: "))
        .expect("summary.transition_cost.total in the shipped plan");
    Shipped {
        waves: field("waves"),
        lower_bound: field("lower_bound_waves"),
        finish: field("finish"),
        split_cost: field("split_cost").parse().unwrap(),
        transition_cost: total.parse().unwrap(),
    }
}

/// docs/whatif.md's baseline rows and `diff plans/baseline.plan.yaml -> …` summaries are the
/// shipped plan's numbers (it went stale once: 36 waves, 2020-05-24, 5424 after the plan
/// gave 34, 2020-04-26, 4594). A `whatif` table's `baseline` row is checked column by column
/// against the header above it, unless the row adopted another row's plan (`plan found for
/// row`, which the page explains); a diff's left-hand side is the shipped plan; and point 3's
/// sentence naming the baseline's waves, finish and split cost says the shipped plan's.
#[test]
fn the_whatif_page_quotes_the_shipped_plan_for_the_baseline() {
    let doc = std::fs::read_to_string(root().join("docs/whatif.md")).unwrap();
    let s = shipped_summary();
    let num = |t: &str| t.replace(',', "").parse::<f64>().ok();
    let mut wrong = Vec::new();
    let mut checked = 0;
    let mut header: Option<Vec<&str>> = None;
    let mut in_diff = false;
    for line in doc.lines() {
        let t = line.trim();
        if t.starts_with("variant ") {
            header = Some(
                t.split("  ")
                    .map(str::trim)
                    .filter(|c| !c.is_empty())
                    .collect(),
            );
            continue;
        }
        if !line.starts_with("    ") || t.starts_with('$') {
            header = None;
        }
        if t.starts_with("diff ") {
            in_diff = t.starts_with("diff plans/baseline.plan.yaml -> ");
            continue;
        }
        if in_diff {
            let want = |k: &str| -> Option<String> {
                let rest = t.strip_prefix(k)?;
                let (a, _) = rest.split_once(" -> ")?;
                Some(a.trim().to_owned())
            };
            for (k, v) in [
                ("finish ", s.finish.clone()),
                ("waves ", s.waves.clone()),
                ("lower bound ", s.lower_bound.clone()),
                ("split cost ", s.split_cost.to_string()),
            ] {
                if let Some(a) = want(k) {
                    checked += 1;
                    if a != v {
                        wrong.push(format!(
                            "diff `{}`: `{a}`, the shipped plan has `{v}`",
                            k.trim()
                        ));
                    }
                }
            }
            if !line.starts_with("    ") || t.starts_with('$') {
                in_diff = false;
            }
            continue;
        }
        let Some(cols) = header.as_ref() else {
            continue;
        };
        let cells: Vec<&str> = t.split_whitespace().collect();
        if cells.first() != Some(&"baseline") || t.contains("plan found for row") {
            continue;
        }
        for (name, cell) in cols.iter().zip(&cells) {
            let ok = match *name {
                "waves" => Some(*cell == s.waves),
                "lower bound" => Some(*cell == s.lower_bound),
                "finish" => Some(*cell == s.finish),
                "split cost" => Some(num(cell) == Some(s.split_cost)),
                "transition cost" => Some(num(cell) == Some(s.transition_cost)),
                _ => None,
            };
            if let Some(ok) = ok {
                checked += 1;
                if !ok {
                    wrong.push(format!("baseline row `{name}`: `{cell}` in `{t}`"));
                }
            }
        }
    }
    // The prose that names the baseline's numbers (point 3).
    let prose = format!(
        "The baseline's own search gives {} waves, finish {}, split cost {}, as in",
        s.waves, s.finish, s.split_cost
    );
    if !doc
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .contains(&prose)
    {
        wrong.push(format!(
            "point 3 should say: {prose} `plans/baseline.plan.yaml`"
        ));
    }
    assert!(
        checked >= 10,
        "found only {checked} baseline numbers in docs/whatif.md: has the page's layout changed?"
    );
    assert!(
        wrong.is_empty(),
        "docs/whatif.md quotes baseline numbers the shipped plan does not have (waves {}, lower bound {}, finish {}, split cost {}, transition cost {}); re-run the commands and copy their output:\n{}",
        s.waves,
        s.lower_bound,
        s.finish,
        s.split_cost,
        s.transition_cost,
        wrong.join("\n")
    );
}
