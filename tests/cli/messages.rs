//! Messages a new user meets first: a file of the wrong kind, a missing project, a path
//! that cannot be written, a misspelt --set field. Each says what is wrong and what to do.

use std::fs;

use crate::{Ran, root, run, scratch};

#[test]
fn an_inventory_or_scenario_given_as_the_plan_is_named_as_such() {
    let dir = scratch();
    for cmd in ["report", "verify", "risk"] {
        let Ran { code, err, .. } = run(dir.path(), &[cmd, "inventories/aacm.yaml"]);
        assert_eq!(code, Some(1), "{err}");
        assert!(
            err.contains("`inventories/aacm.yaml` is an inventory file, not a plan"),
            "{cmd}: {err}"
        );
        assert!(err.contains("plans/baseline.plan.yaml"), "{err}");
        assert!(!err.contains("missing field"), "{err}");
    }
    let Ran { code, err, .. } = run(dir.path(), &["report", "plans/baseline.yaml"]);
    assert_eq!(code, Some(1), "{err}");
    assert!(
        err.contains("`plans/baseline.yaml` is a scenario file, not a plan"),
        "{err}"
    );
    assert!(err.contains("e.g. `plans/baseline.plan.yaml`"), "{err}");
    assert!(err.ends_with("1 error: no report was written\n"), "{err}");
    let Ran { code, err, .. } = run(
        dir.path(),
        &["diff", "plans/baseline.plan.yaml", "plans/baseline.yaml"],
    );
    assert_eq!(code, Some(1), "{err}");
    assert!(err.contains("is a scenario file, not a plan"), "{err}");
    let Ran { code, err, .. } = run(
        dir.path(),
        &[
            "plan",
            "--effort",
            "10",
            "--start-from",
            "plans/baseline.yaml",
        ],
    );
    assert_eq!(code, Some(1), "{err}");
    assert!(err.contains("is a scenario file, not a plan"), "{err}");
}

#[test]
fn a_directory_of_scenarios_given_as_the_inventory_gets_one_error_a_file() {
    let dir = scratch();
    let Ran { code, err, .. } = run(dir.path(), &["validate", "-i", "plans"]);
    assert_eq!(code, Some(1), "{err}");
    assert!(
        err.contains("`plans/baseline.yaml` is a scenario file, not an inventory file"),
        "{err}"
    );
    assert!(
        err.contains("`plans/baseline.plan.yaml` is a plan file, not an inventory file"),
        "{err}"
    );
    assert!(err.contains("-i inventories"), "{err}");
    assert!(!err.contains("unknown field"), "{err}");
    assert!(err.contains("2 errors"), "{err}");
}

#[test]
fn no_user_visible_text_sends_the_user_to_the_spec() {
    // SPEC.md and CONTEXT.md are the team's, not in this repository: a message, hint or
    // schema description naming them points at a file the user does not have.
    let mut offenders = Vec::new();
    let mut dirs = vec![root().join("src")];
    while let Some(d) = dirs.pop() {
        for e in fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                dirs.push(p);
                continue;
            }
            if p.extension().is_none_or(|x| x != "rs") {
                continue;
            }
            let text = fs::read_to_string(&p).unwrap();
            for (i, line) in text.lines().enumerate() {
                let code = line.trim_start();
                if code.starts_with("//") {
                    continue;
                }
                let code = code.split(" // ").next().unwrap_or(code);
                let quoted = code.split('"').skip(1).step_by(2);
                if quoted
                    .into_iter()
                    .any(|s| s.contains("SPEC") || s.contains("CONTEXT.md"))
                {
                    offenders.push(format!("{}:{}: {line}", p.display(), i + 1));
                }
            }
        }
    }
    assert!(offenders.is_empty(), "{}", offenders.join("\n"));
    for f in ["inventory", "scenario", "plan"] {
        let text = fs::read_to_string(root().join(format!("schemas/{f}.schema.json"))).unwrap();
        assert!(!text.contains("SPEC"), "schemas/{f}.schema.json");
    }
}

#[test]
fn init_comments_stay_true_and_aligned_for_any_start() {
    let dir = tempfile::tempdir().unwrap();
    let Ran { code, err, .. } = run(dir.path(), &["init", "p", "--start", "2027-01-06"]);
    assert_eq!(code, Some(0), "{err}");
    let text = fs::read_to_string(dir.path().join("p/plans/baseline.yaml")).unwrap();
    let start = text
        .lines()
        .find(|l| l.contains("start: 2027-01-06"))
        .unwrap();
    assert!(!start.contains("Monday"), "{start}");
    let next = text
        .lines()
        .find(|l| l.contains("wave_length_days"))
        .unwrap();
    assert_eq!(start.find('#'), next.find('#'), "{start}\n{next}");
    let lib = fs::read_to_string(dir.path().join("p/inventories/library.yaml")).unwrap();
    let line = lib.lines().find(|l| l.contains("not_before:")).unwrap();
    let above = lib
        .lines()
        .find(|l| l.contains("strategy: repurchase"))
        .unwrap();
    assert_eq!(line.find('#'), above.find('#'), "{line}\n{above}");
}

#[test]
fn init_with_a_date_not_written_yyyy_mm_dd_is_a_clean_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    let Ran { code, err, .. } = run(dir.path(), &["init", "p", "--start", "07/01/2027"]);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("write it as YYYY-MM-DD"), "{err}");
    assert!(!err.contains("parse"), "{err}");
    assert!(!dir.path().join("p").exists());
}

#[test]
fn a_file_that_cannot_be_written_is_named_as_given_with_what_to_do() {
    let dir = scratch();
    let Ran { code, err, .. } = run(
        dir.path(),
        &["schema", "plan", "-o", "no/such/dir/plan.schema.json"],
    );
    assert_eq!(code, Some(1), "{err}");
    assert!(
        err.contains("cannot write `no/such/dir/plan.schema.json`: the directory `no/such/dir` does not exist"),
        "{err}"
    );
    assert!(err.contains("create it, or choose another path"), "{err}");
    assert!(!err.contains(".tmp"), "{err}");
    assert!(err.ends_with("1 error: no schema was written\n"), "{err}");
}

#[test]
fn early_failures_end_with_the_count_line() {
    let dir = scratch();
    let Ran { code, err, .. } = run(dir.path(), &["verify", "missing.plan.yaml"]);
    assert_eq!(code, Some(1), "{err}");
    assert!(
        err.ends_with("1 error: the plan was not checked\n"),
        "{err}"
    );
    let Ran { code, err, .. } = run(dir.path(), &["report", "missing.plan.yaml"]);
    assert_eq!(code, Some(1), "{err}");
    assert!(err.ends_with("1 error: no report was written\n"), "{err}");
}

#[test]
fn plan_outside_a_project_suggests_init() {
    let dir = tempfile::tempdir().unwrap();
    let Ran { code, err, .. } = run(dir.path(), &["plan"]);
    assert_eq!(code, Some(1), "{err}");
    assert!(err.contains("waveplan init"), "{err}");
    assert!(!err.contains("docs/import.md shows"), "{err}");
    assert!(err.ends_with("1 error: nothing was planned\n"), "{err}");
}

#[test]
fn diff_counts_a_one_wave_move_in_the_singular() {
    let dir = scratch();
    let text = fs::read_to_string(dir.path().join("plans/baseline.plan.yaml")).unwrap();
    let moved = text.replacen(
        "- id: aacm-db\n  department: AACM\n  start_wave: 1\n  cutover_wave: 1\n",
        "- id: aacm-db\n  department: AACM\n  start_wave: 2\n  cutover_wave: 2\n",
        1,
    );
    assert_ne!(
        moved, text,
        "the shipped plan changed: pick another service"
    );
    fs::write(dir.path().join("b.plan.yaml"), moved).unwrap();
    let Ran { code, out, err, .. } = run(
        dir.path(),
        &["diff", "plans/baseline.plan.yaml", "b.plan.yaml"],
    );
    assert_eq!(code, Some(0), "{err}");
    assert!(out.contains("+1 wave,"), "{out}");
    assert!(!out.contains("+1 waves"), "{out}");
}

#[test]
fn a_resumed_plan_without_set_does_not_ask_for_the_same_set() {
    let dir = scratch();
    fs::create_dir_all(dir.path().join("plans/whatif")).unwrap();
    fs::copy(
        root().join("plans/whatif/midway.yaml"),
        dir.path().join("plans/whatif/midway.yaml"),
    )
    .unwrap();
    let Ran { code, err, .. } = run(
        dir.path(),
        &[
            "plan",
            "--effort",
            "50",
            "-s",
            "plans/whatif/midway.yaml",
            "--resume",
            "plans/baseline.plan.yaml",
            "-o",
            "m.plan.yaml",
        ],
    );
    assert!(matches!(code, Some(0 | 3)), "{err}");
    assert!(err.contains("`waveplan validate` lists them"), "{err}");
    assert!(!err.contains("with the same --set"), "{err}");
}

#[test]
fn a_misspelt_set_field_gets_a_did_you_mean() {
    let dir = scratch();
    let Ran { code, err, .. } = run(dir.path(), &["validate", "--set", "capacity.cutover=5"]);
    assert_eq!(code, Some(1), "{err}");
    assert!(err.contains("did you mean `cutovers`?"), "{err}");
}

#[test]
fn an_empty_set_value_warns_that_it_removes_the_limit() {
    let dir = scratch();
    let Ran { code, err, .. } = run(dir.path(), &["validate", "--set", "capacity.teams.dba="]);
    assert_eq!(code, Some(0), "{err}");
    assert!(
        err.contains(
            "`--set capacity.teams.dba=` has an empty value: it removes `capacity.teams.dba`"
        ),
        "{err}"
    );
    assert!(err.contains("`capacity.teams.dba=unlimited`"), "{err}");
    // Removing on purpose says so and is not warned about.
    let Ran { code, err, .. } = run(
        dir.path(),
        &["validate", "--set", "capacity.teams.dba=null"],
    );
    assert_eq!(code, Some(0), "{err}");
    assert!(!err.contains("empty value"), "{err}");
}

#[test]
fn an_inventory_given_as_the_scenario_is_named_as_such() {
    let dir = scratch();
    let Ran { code, err, .. } = run(dir.path(), &["validate", "-s", "inventories/aacm.yaml"]);
    assert_eq!(code, Some(1), "{err}");
    assert!(
        err.contains("`inventories/aacm.yaml` is an inventory file, not a scenario"),
        "{err}"
    );
    assert!(!err.contains("unknown field"), "{err}");
}
