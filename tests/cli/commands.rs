//! The commands as a user runs them: exit codes, streams and outputs.

use crate::{Ran, fixture, root, run, waveplan};

#[test]
fn graph_json_of_the_default_parses_and_counts_match() {
    let r = run(&root(), &["graph", "--format", "json"]);
    assert_eq!(r.code, Some(0));
    let v: serde_json::Value = serde_json::from_slice(&r.out_bytes).expect("graph JSON parses");
    assert_eq!(v["nodes"].as_array().map(Vec::len), Some(359));
    assert!(
        v["summary"]["components"].as_u64().unwrap_or(0) >= 1,
        "the default has cycles"
    );
    assert!(!v["layers"].as_array().expect("layers").is_empty());
}

#[test]
fn graph_dot_groups_by_department_and_mermaid_is_a_flowchart() {
    let dot = run(&root(), &["graph", "--format", "dot"]).out;
    assert!(dot.contains("\ndigraph waveplan {"));
    assert!(
        dot.contains("subgraph \"cluster_SAFP\""),
        "{}",
        &dot[..200.min(dot.len())]
    );
    let mm = run(&root(), &["graph", "--format", "mermaid"]).out;
    assert!(mm.contains("\nflowchart RL\n"));
}

#[test]
fn usage_errors_exit_2() {
    waveplan(&root()).arg("no-such-command").assert().code(2);
    waveplan(&root())
        .args(["plan", "--format", "xml"])
        .assert()
        .code(2);
}

#[test]
fn a_bad_time_limit_is_a_usage_error_that_names_the_limit() {
    // docs/plan-format.md: `--time-limit` outside (0, 1e9) seconds is a usage error (exit 2).
    waveplan(&root())
        .args(["plan", "--time-limit", "0"])
        .assert()
        .code(2);
    let Ran { code, err, .. } = run(&root(), &["plan", "--time-limit", "1e308"]);
    assert_eq!(code, Some(2));
    assert!(
        err.contains("too large") && err.contains("1000000000"),
        "{err}"
    );
    assert!(!err.contains("not a positive"), "{err}");
}

#[test]
fn help_lists_commands_and_exit_codes() {
    let text = run(&root(), &["--help"]).out;
    for word in ["validate", "plan", "verify", "graph", "Exit codes", "101"] {
        assert!(text.contains(word), "--help lacks {word}:\n{text}");
    }
}

#[test]
fn diagnostics_have_no_colour_when_not_on_a_terminal() {
    let dir = fixture("invalid/dangling-dependency");
    let err = run(&dir, &["validate", "-i", "inventories"]).err;
    assert!(!err.contains('\x1b'));
}

#[test]
fn missing_inventory_directory_is_a_clear_error() {
    let tmp = tempfile::tempdir().expect("tmp");
    let r = run(tmp.path(), &["validate", "-i", "nowhere"]);
    assert_eq!(r.code, Some(1));
    assert!(r.err.contains("cannot read inventory directory `nowhere`"));
}

#[test]
fn plan_of_the_default_is_complete_and_verifies() {
    let tmp = tempfile::tempdir().expect("tmp");
    let plan = tmp.path().join("p.plan.yaml");
    let r = Ran::of(
        waveplan(&root())
            .args(["plan", "--effort", "2000", "-o"])
            .arg(&plan),
    );
    assert_eq!(r.code, Some(0), "{}", r.err);
    assert!(r.out.contains("323 of 323"));
    waveplan(&root()).arg("verify").arg(&plan).assert().code(0);
}

/// Issue 10, point 5: with the DBA team halved, `plan` says the DBA team's person-days give
/// the lower bound and that team is full most often; `verify` accepts the plan, and a plan
/// file written before the two summary fields existed still verifies and reports.
#[test]
fn plan_names_the_bottleneck_and_older_plans_still_read() {
    let tmp = tempfile::tempdir().expect("tmp");
    let plan = tmp.path().join("p.plan.yaml");
    let halved = ["--set", "capacity.teams.dba=25"];
    let Ran { code, out, err, .. } = Ran::of(
        waveplan(&root())
            .args(["plan", "--effort", "200"])
            .args(halved)
            .arg("-o")
            .arg(&plan),
    );
    assert_eq!(code, Some(0), "{err}");
    assert!(
        out.contains("\n  bound        capacity.teams.dba: "),
        "{out}"
    );
    assert!(
        out.contains("\n  binding      capacity.teams.dba in "),
        "{out}"
    );
    let verify = |path: &std::path::Path| {
        waveplan(&root())
            .arg("verify")
            .args(halved)
            .arg(path)
            .assert()
            .code(0);
    };
    verify(&plan);
    let text = std::fs::read_to_string(&plan).expect("plan written");
    assert!(text.contains("  lower_bound_reason:\n    rule: capacity.teams.dba\n"));
    // The same plan as an older release wrote it: no `lower_bound_reason`, no `binding`.
    let mut skipping = false;
    let old: String = text
        .lines()
        .filter(|l| {
            if l.starts_with("  lower_bound_reason:") {
                skipping = true;
            } else if l.starts_with("  split_cost:") {
                skipping = false;
            }
            !skipping
        })
        .map(|l| format!("{l}\n"))
        .collect();
    assert!(!old.contains("binding") && old.contains("  split_cost:"));
    let old_plan = tmp.path().join("old.plan.yaml");
    std::fs::write(&old_plan, old).expect("write");
    verify(&old_plan);
    let Ran { code, out: md, .. } = Ran::of(
        waveplan(&root())
            .arg("report")
            .arg(&old_plan)
            .args(["--format", "md"]),
    );
    assert_eq!(code, Some(0));
    assert!(md.starts_with("# Migration plan: baseline\n"), "{md}");
    assert!(!md.contains("is full in"), "no sentence without the fields");
}

#[test]
fn plan_is_byte_identical_across_thread_counts() {
    let tmp = tempfile::tempdir().expect("tmp");
    let mut outputs = Vec::new();
    for threads in ["1", "2"] {
        let plan = tmp.path().join(format!("p{threads}.plan.json"));
        waveplan(&root())
            .env("RAYON_NUM_THREADS", threads)
            .args([
                "plan", "--effort", "1500", "--seed", "3", "--format", "json", "-o",
            ])
            .arg(&plan)
            .assert()
            .code(0);
        outputs.push(std::fs::read(&plan).expect("written"));
    }
    assert_eq!(outputs[0], outputs[1]);
}

#[test]
fn a_plan_with_an_impossible_service_exits_3_and_still_verifies() {
    let dir = fixture("valid/impossible-team");
    let tmp = tempfile::tempdir().expect("tmp");
    let plan = tmp.path().join("p.plan.yaml");
    let Ran { code, out, err, .. } = Ran::of(
        waveplan(&dir)
            .args([
                "plan",
                "-i",
                "inventories",
                "-s",
                "scenario.yaml",
                "--effort",
                "200",
                "-o",
            ])
            .arg(&plan),
    );
    assert_eq!(code, Some(3), "{err}");
    assert!(out.contains("capacity.teams.dba"), "{out}");
    assert!(out.contains("dependency.unscheduled"), "{out}");
    waveplan(&dir)
        .args(["verify", "-i", "inventories", "-s", "scenario.yaml"])
        .arg(&plan)
        .assert()
        .code(0);
}

#[test]
fn verify_lists_breaches_of_a_hand_edited_plan() {
    let tmp = tempfile::tempdir().expect("tmp");
    let plan = tmp.path().join("p.plan.yaml");
    waveplan(&root())
        .args(["plan", "--effort", "500", "-o"])
        .arg(&plan)
        .assert()
        .code(0);
    // Move the identity register to wave 1: before critical_not_before_wave and its dependencies.
    let text = std::fs::read_to_string(&plan).expect("read");
    let edited = text.replacen("cutover_wave:", "cutover_wave: 999 #", 1);
    std::fs::write(&plan, edited).expect("write");
    let Ran { code, out, .. } = Ran::of(waveplan(&root()).arg("verify").arg(&plan));
    assert_eq!(code, Some(1));
    assert!(out.contains("breach"), "{out}");
}

#[test]
fn plan_output_is_not_written_when_the_input_is_invalid() {
    let dir = fixture("invalid/duplicate-id");
    let tmp = tempfile::tempdir().expect("tmp");
    let plan = tmp.path().join("p.plan.yaml");
    std::fs::write(&plan, "previous plan").expect("write");
    let r = Ran::of(
        waveplan(&dir)
            .args(["plan", "-i", "inventories", "-s"])
            .arg(crate::root().join("plans/baseline.yaml"))
            .arg("-o")
            .arg(&plan),
    );
    assert_eq!(r.code, Some(1));
    assert_eq!(
        std::fs::read_to_string(&plan).expect("read"),
        "previous plan"
    );
}

#[test]
fn errors_end_with_what_they_mean_for_the_command_and_suggest_names() {
    let dir = fixture("invalid/bad-code");
    let refused = |args: &[&str]| {
        let r = run(&dir, args);
        assert_eq!(r.code, Some(1), "{args:?}");
        r.err
    };
    let validate = refused(&["validate", "-i", "inventories"]);
    assert!(
        validate.contains("hint: codes are upper case: did you mean `DSI`?"),
        "{validate}"
    );
    assert!(
        validate.trim_end().ends_with("the inputs are not valid"),
        "{validate}"
    );
    let plan = refused(&[
        "plan",
        "-i",
        "inventories",
        "-s",
        "../bad-pin/scenario.yaml",
    ]);
    assert!(plan.trim_end().ends_with("nothing was planned"), "{plan}");
    let Ran { code, err, .. } = run(&root(), &["explain", "dsi-identty"]);
    assert_eq!(code, Some(1));
    assert!(err.contains("did you mean `dsi-identity`?"), "{err}");
}
