//! Plans remember their overrides (issue 10, point 1): `plan --set` records them, never
//! replaces the scenario's own plan, and `verify`, `report`, `explain` apply them.

use std::fs;

use crate::{Ran, root, run, scratch};

#[test]
fn plan_with_set_writes_a_whatif_file_and_records_the_overrides() {
    let dir = scratch();
    let own = dir.path().join("plans/baseline.plan.yaml");
    let before = fs::read(&own).unwrap();
    let Ran { code, out, err, .. } = run(
        dir.path(),
        &["plan", "--effort", "50", "--set", "capacity.teams.dba=25"],
    );
    assert_eq!(code, Some(0), "{err}");
    assert!(out.contains("plans/baseline.whatif.plan.yaml"), "{out}");
    assert!(out.contains("with --set capacity.teams.dba=25"), "{out}");
    assert_eq!(
        fs::read(&own).unwrap(),
        before,
        "the scenario's plan was replaced"
    );
    let text = fs::read_to_string(dir.path().join("plans/baseline.whatif.plan.yaml")).unwrap();
    assert!(
        text.contains("overrides:\n- capacity.teams.dba=25\n"),
        "{text}"
    );
    // Without overrides the plan file stays as SPEC 6 shows it: no `overrides` key.
    let Ran { code, err, .. } = run(
        dir.path(),
        &["plan", "--effort", "50", "-o", "plain.plan.yaml"],
    );
    assert_eq!(code, Some(0), "{err}");
    let plain = fs::read_to_string(dir.path().join("plain.plan.yaml")).unwrap();
    assert!(!plain.contains("overrides"), "{plain}");
}

#[test]
fn verify_report_and_explain_apply_the_recorded_overrides() {
    let dir = scratch();
    let Ran { code, err, .. } = run(
        dir.path(),
        &[
            "plan",
            "--effort",
            "50",
            "--set",
            "capacity.transfer_gib=unlimited",
            "-o",
            "x.plan.yaml",
        ],
    );
    assert_eq!(code, Some(0), "{err}");
    let Ran { code, out, err, .. } = run(dir.path(), &["verify", "x.plan.yaml"]);
    assert_eq!(code, Some(0), "{out}{err}");
    assert!(
        out.contains("with --set capacity.transfer_gib=unlimited"),
        "{out}"
    );
    assert!(err.contains("applying the override(s)"), "{err}");

    // Repeating the plan's own override on the command line names it once.
    let again = ["--set", "capacity.transfer_gib=unlimited"];
    let Ran { code, out, err, .. } = run(
        dir.path(),
        &[&["verify", "x.plan.yaml"][..], &again].concat(),
    );
    assert_eq!(code, Some(0), "{out}{err}");
    assert_eq!(out.matches("capacity.transfer_gib").count(), 1, "{out}");

    // Every load the report shows is within its capacity, because the override applies.
    let Ran { code, out, err, .. } =
        run(dir.path(), &["report", "x.plan.yaml", "--format", "json"]);
    assert_eq!(code, Some(0), "{err}");
    let report: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(report["checks"], serde_json::json!([]));
    assert_eq!(
        report["summary"]["overrides"],
        serde_json::json!(["capacity.transfer_gib=unlimited"])
    );
    let mut loads = 0;
    for w in report["waves"].as_array().unwrap() {
        for l in w["loads"].as_array().unwrap() {
            loads += 1;
            if let Some(p) = l["percent"].as_f64() {
                assert!(p <= 100.0 + 1e-6, "wave {} {}: {p}%", w["wave"], l["key"]);
            }
        }
    }
    assert!(loads > 0);
    let md = run(dir.path(), &["report", "x.plan.yaml"]).out;
    assert!(
        md.contains("**What-if:** made with `capacity.transfer_gib=unlimited`"),
        "{md}"
    );

    // The same plan read without its overrides breaks the transfer limit: the record matters.
    let mut plan = fs::read_to_string(dir.path().join("x.plan.yaml")).unwrap();
    plan = plan.replace("overrides:\n- capacity.transfer_gib=unlimited\n", "");
    fs::write(dir.path().join("bare.plan.yaml"), plan).unwrap();
    let Ran { code, out, .. } = run(dir.path(), &["verify", "bare.plan.yaml"]);
    assert_eq!(code, Some(1), "{out}");
    assert!(out.contains("capacity.transfer_gib"), "{out}");

    // explain reads the same inputs: with the override the transfer limit binds nothing.
    let Ran { code, out, err, .. } = run(dir.path(), &["explain", "dsi-identity", "x.plan.yaml"]);
    assert_eq!(code, Some(0), "{err}");
    assert!(!out.contains("capacity.transfer_gib"), "{out}");
}

#[test]
fn a_malformed_recorded_override_is_an_error_naming_the_plan() {
    let dir = scratch();
    let mut plan = fs::read_to_string(dir.path().join("plans/baseline.plan.yaml")).unwrap();
    plan = plan.replace("summary:\n", "overrides:\n- no-equals-sign\nsummary:\n");
    fs::write(dir.path().join("bad.plan.yaml"), plan).unwrap();
    let Ran { code, err, .. } = run(dir.path(), &["verify", "bad.plan.yaml"]);
    assert_eq!(code, Some(1), "{err}");
    assert!(err.contains("bad.plan.yaml"), "{err}");
    assert!(err.contains("overrides"), "{err}");
}

#[test]
fn resuming_the_untouched_baseline_midway_keeps_nearly_every_service() {
    let dir = scratch();
    fs::create_dir_all(dir.path().join("plans/whatif")).unwrap();
    fs::copy(
        root().join("plans/whatif/midway.yaml"),
        dir.path().join("plans/whatif/midway.yaml"),
    )
    .unwrap();
    let Ran { code, out, err, .. } = run(
        dir.path(),
        &[
            "plan",
            "--effort",
            "300",
            "-s",
            "plans/whatif/midway.yaml",
            "--resume",
            "plans/baseline.plan.yaml",
            "-o",
            "m.plan.yaml",
        ],
    );
    assert_eq!(code, Some(0), "{out}{err}");
    let line = out.lines().find(|l| l.contains("stability")).unwrap();
    let num = |word: &str| -> usize {
        let before = line.split(&format!(" {word}")).next().unwrap();
        before.rsplit(' ').next().unwrap().parse().unwrap()
    };
    let (kept, moved) = (num("kept"), num("moved"));
    assert!(kept > 100, "{line}");
    assert!(kept * 100 >= 95 * (kept + moved), "{line}");
    // The derived overrides travel with the plan: verify needs nothing but the scenario.
    let Ran { code, out, err, .. } = run(
        dir.path(),
        &["verify", "-s", "plans/whatif/midway.yaml", "m.plan.yaml"],
    );
    assert_eq!(code, Some(0), "{out}{err}");
    // Without `today` there is no "now" to resume at.
    let Ran { code, err, .. } = run(
        dir.path(),
        &[
            "plan",
            "--effort",
            "50",
            "--resume",
            "plans/baseline.plan.yaml",
            "-o",
            "n.plan.yaml",
        ],
    );
    assert_eq!(code, Some(1));
    assert!(err.contains("calendar.today"), "{err}");
}

#[test]
fn set_changes_a_price_and_the_transition_cost_follows() {
    let dir = scratch();
    let Ran { code, out, err, .. } = run(
        dir.path(),
        &["plan", "--effort", "50", "--set", "costs.per_cutover=0"],
    );
    assert_eq!(code, Some(0), "{err}");
    assert!(out.contains(", cutovers 0\n"), "{out}");
    let text = fs::read_to_string(dir.path().join("plans/baseline.whatif.plan.yaml")).unwrap();
    assert!(text.contains("    cutovers: 0.0\n"), "{text}");
    // A misspelt price is refused with the fields that exist.
    let Ran { code, err, .. } = run(
        dir.path(),
        &[
            "plan",
            "--effort",
            "50",
            "--set",
            "costs.production.per_cpu=1",
        ],
    );
    assert_eq!(code, Some(1));
    assert!(err.contains("per_vcpu"), "{err}");
}
