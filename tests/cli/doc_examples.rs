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
