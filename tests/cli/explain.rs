//! `explain` on the plans it is given (issue 11): inputs changed since planning are named
//! in a warning, and a plan at the wave cap is explained in full.

use std::fs;
use std::path::Path;

use crate::{Ran, run, scratch};

fn append(path: &Path, text: &str) {
    let mut old = fs::read_to_string(path).unwrap();
    old.push_str(text);
    fs::write(path, old).unwrap();
}

#[test]
fn explain_names_the_input_changed_after_planning() {
    let dir = scratch();
    let Ran { code, out, err, .. } = run(dir.path(), &["explain", "dsi-identity"]);
    assert_eq!(code, Some(0), "{err}");
    assert!(out.starts_with("`dsi-identity` cuts over in wave"), "{out}");
    assert!(
        !err.contains("sha256"),
        "the shipped default is current: {err}"
    );

    append(
        &dir.path().join("inventories/dsi.yaml"),
        "# edited after planning\n",
    );
    let Ran { code, out, err, .. } = run(dir.path(), &["explain", "dsi-identity"]);
    assert_eq!(code, Some(0), "{err}");
    assert!(out.starts_with("`dsi-identity` cuts over in wave"), "{out}");
    assert!(
        err.contains(
            "warning: the plan was made from a different inventory (inventory_sha256 differs)"
        ),
        "{err}"
    );
    assert!(!err.contains("scenario_sha256"), "{err}");

    append(
        &dir.path().join("plans/baseline.yaml"),
        "# edited after planning\n",
    );
    let Ran { code, err, .. } = run(dir.path(), &["explain", "dsi-identity"]);
    assert_eq!(code, Some(0), "{err}");
    assert!(err.contains("inventory_sha256 differs"), "{err}");
    assert!(
        err.contains(
            "warning: the plan was made from a different scenario (scenario_sha256 differs)"
        ),
        "{err}"
    );
}

/// The shipped plan with `id` moved to start and cut over in `wave`.
fn moved(text: &str, id: &str, wave: u32) -> String {
    let head = format!("- id: {id}\n");
    let at = text.find(&head).unwrap() + head.len();
    let end = text[at..].find("- id: ").map_or(text.len(), |e| at + e);
    let entry: String = text[at..end]
        .lines()
        .map(|l| match l.split_once(": ") {
            Some((k, _)) if k.trim() == "start_wave" || k.trim() == "cutover_wave" => {
                format!("{k}: {wave}\n")
            }
            _ => format!("{l}\n"),
        })
        .collect();
    assert!(entry.contains(&format!("cutover_wave: {wave}")), "{entry}");
    format!("{}{entry}{}", &text[..at], &text[end..])
}

#[test]
fn explain_reads_a_plan_at_the_wave_cap() {
    let dir = scratch();
    let text = fs::read_to_string(dir.path().join("plans/baseline.plan.yaml")).unwrap();
    fs::write(
        dir.path().join("cap.plan.yaml"),
        moved(&text, "aacm-drones", 10_000),
    )
    .unwrap();
    let args = [
        "explain",
        "aacm-drones",
        "cap.plan.yaml",
        "--set",
        "calendar.max_waves=10000",
    ];
    let Ran { code, out, err, .. } = run(dir.path(), &args);
    assert_eq!(code, Some(0), "{err}");
    assert!(
        out.starts_with("`aacm-drones` cuts over in wave 10000 (starts in wave 10000)\n"),
        "{}",
        &out[..out.len().min(500)]
    );
    // Nothing else moved, so it could go back to (at least) its wave in the shipped plan.
    assert!(
        out.lines()
            .nth(1)
            .is_some_and(|l| l.starts_with("nothing binds it: it could cut over as early as wave ")),
        "{}",
        &out[..out.len().min(500)]
    );
    assert!(out.contains("\n  wave 9999: "));

    let mut json_args = args.to_vec();
    json_args.extend(["--format", "json"]);
    let Ran { code, out, err, .. } = run(dir.path(), &json_args);
    assert_eq!(code, Some(0), "{err}");
    let x: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(x["cutover_wave"], 10_000);
    assert_eq!(x["verdict"], "slack");
    let checks = x["checks"].as_array().unwrap();
    assert_eq!(checks.len(), 9_999);
    assert_eq!(checks[0]["wave"], 9_999);
    assert_eq!(checks[9_998]["wave"], 1);
    let earliest = x["wave"].as_u64().unwrap();
    assert!((1..10_000).contains(&earliest), "{earliest}");
}
