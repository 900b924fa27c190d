//! Nothing silently ignored (issue 10, point 4): names and dates that are valid but can never
//! matter are warnings, located at what to fix; `validate` lists them, `plan` still runs.

use crate::{Ran, fixture, run, waveplan};

#[test]
fn validate_set_of_a_misspelt_team_warns_at_the_override_and_suggests_the_team() {
    let Ran { code, out, err, .. } = Ran::of(
        waveplan(&fixture("valid/impossible-team"))
            .args(["validate", "-i", "inventories", "-s", "scenario.yaml"])
            .args(["--set", "capacity.teams.DBA=1"]),
    );
    assert_eq!(code, Some(0), "{err}");
    assert!(
        err.contains(
            "--set capacity.teams.DBA:1:1: warning: no migrating service has effort for team `DBA`, so this capacity limits nothing"
        ),
        "{err}"
    );
    assert!(err.contains("hint: did you mean `dba`?"), "{err}");
    assert!(out.contains("; 1 warning\n"), "{out}");
}

#[test]
fn validate_set_takes_several_overrides_and_refuses_a_bad_one() {
    let dir = fixture("valid/impossible-team");
    let Ran { code, err, .. } = Ran::of(
        waveplan(&dir)
            .args(["validate", "-i", "inventories", "-s", "scenario.yaml"])
            .args([
                "--set",
                "capacity.teams.dba=40",
                "--set",
                "capacity.cutovers=2",
            ]),
    );
    assert_eq!(code, Some(0));
    assert!(err.is_empty(), "{err}");
    let Ran { code, err, .. } = Ran::of(
        waveplan(&dir)
            .args(["validate", "-i", "inventories", "-s", "scenario.yaml"])
            .args(["--set", "departments.dsf.max_cutovers_per_wave=1"]),
    );
    assert_eq!(code, Some(1));
    assert!(
        err.contains("there is no department with code `dsf`")
            && err.contains("did you mean `DSF`?"),
        "{err}"
    );
}

#[test]
fn validate_lists_each_warning_written_in_the_files() {
    let Ran { code, err, .. } = run(
        &fixture("valid/warnings"),
        &["validate", "-i", "inventories", "-s", "scenario.yaml"],
    );
    assert_eq!(code, Some(0), "{err}");
    for want in [
        "inventories/dsf.yaml:7:14: warning: blackout `tax season 2021` of department `DSF` (2021-03-01 to 2021-05-31) starts after the planning horizon ends (2020-01-05, the end of wave 26), so it can never apply",
        "inventories/dsf.yaml:11:86: warning: move group `taxes` has only one member, `dsf-payroll`",
        "hint: did you mean `tax` (a group of 2)?",
        "scenario.yaml:8:57: warning: freeze `Lunar New Year 2018` (2018-02-15 to 2018-02-21) ends before wave 1 starts (2019-01-07), so it can never apply",
        "scenario.yaml:10:20: warning: no migrating service has effort for team `DBA`, so this capacity limits nothing",
        "hint: did you mean `dba`?",
    ] {
        assert!(err.contains(want), "lacks `{want}`:\n{err}");
    }
    assert_eq!(err.matches(": warning: ").count(), 4, "{err}");
    assert!(!err.contains(": error: "), "{err}");
}

#[test]
fn plan_runs_despite_the_warnings_and_points_to_validate() {
    let dir = tempfile::tempdir().expect("tmp");
    let Ran { code, err, .. } = Ran::of(
        waveplan(&fixture("valid/warnings"))
            .args([
                "plan",
                "-i",
                "inventories",
                "-s",
                "scenario.yaml",
                "--effort",
                "10",
            ])
            .args(["--set", "capacity.cutovers=3", "-o"])
            .arg(dir.path().join("w.plan.yaml")),
    );
    assert_eq!(code, Some(0), "{err}");
    assert!(
        err.contains(
            "4 warnings about the inputs; `waveplan validate` with the same --set lists them"
        ),
        "{err}"
    );
    assert!(dir.path().join("w.plan.yaml").exists());
}
