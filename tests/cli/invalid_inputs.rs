//! Every directory under `tests/fixtures/invalid/` is a broken input: its `expected` file
//! lists each error as `kind file line`, and loading must report exactly those.

use std::collections::BTreeSet;
use std::path::Path;

use crate::{Ran, fixture, waveplan};

fn scenario_of(dir: &Path) -> Option<std::path::PathBuf> {
    let s = dir.join("scenario.yaml");
    s.exists().then_some(s)
}

fn expected(dir: &Path) -> BTreeSet<String> {
    std::fs::read_to_string(dir.join("expected"))
        .expect("fixture has an expected file")
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(str::to_owned)
        .collect()
}

fn cases() -> Vec<std::path::PathBuf> {
    let mut dirs: Vec<_> = std::fs::read_dir(fixture("invalid"))
        .expect("fixtures exist")
        .map(|e| e.expect("readable").path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    dirs
}

#[test]
fn there_are_at_least_25_invalid_fixtures() {
    assert!(cases().len() >= 25, "only {} fixtures", cases().len());
}

#[test]
fn each_invalid_fixture_reports_exactly_its_errors_and_lines() {
    let mut failures = Vec::new();
    for dir in cases() {
        let scenario = scenario_of(&dir);
        let got = match waveplan::load::load(&dir.join("inventories"), scenario.as_deref()) {
            Ok(_) => BTreeSet::from(["<loaded without error>".to_owned()]),
            Err(diags) => diags
                .0
                .iter()
                .filter(|d| d.is_error())
                .map(|d| {
                    let file = d
                        .file
                        .as_ref()
                        .and_then(|f| f.file_name())
                        .map(|n| n.to_string_lossy().into_owned());
                    format!("{} {} {}", d.kind, file.unwrap_or_default(), d.line)
                })
                .collect(),
        };
        let want = expected(&dir);
        if got != want {
            failures.push(format!("{}: expected {want:?}, got {got:?}", dir.display()));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn validate_exits_1_and_names_file_line_and_column_for_every_fixture() {
    for dir in cases() {
        let mut cmd = waveplan(&dir);
        cmd.arg("validate").arg("-i").arg("inventories");
        if scenario_of(&dir).is_some() {
            cmd.arg("-s").arg("scenario.yaml");
        }
        let Ran { code, out, err, .. } = Ran::of(&mut cmd);
        assert_eq!(code, Some(1), "{}", dir.display());
        assert!(out.is_empty(), "{}: nothing on stdout", dir.display());
        for line in expected(&dir) {
            let mut parts = line.split(' ');
            let (_, file, lineno) = (
                parts.next(),
                parts.next().unwrap_or(""),
                parts.next().unwrap_or(""),
            );
            let needle = format!("{file}:{lineno}:");
            assert!(
                err.contains(&needle),
                "{}: stderr lacks `{needle}`:\n{err}",
                dir.display()
            );
        }
        assert!(
            err.contains("hint:"),
            "{}: every error here has a hint:\n{err}",
            dir.display()
        );
        assert!(!err.contains("panicked"), "{}", dir.display());
    }
}

#[test]
fn plan_refuses_every_invalid_fixture_and_writes_nothing() {
    for dir in cases() {
        let tmp = tempfile::tempdir().expect("tmp");
        let out = tmp.path().join("out.plan.yaml");
        let mut cmd = waveplan(&dir);
        cmd.args(["plan", "-i", "inventories", "--effort", "10", "-o"])
            .arg(&out);
        // Fixtures without a scenario of their own are planned against the shipped baseline.
        cmd.arg("-s")
            .arg(scenario_of(&dir).unwrap_or_else(|| crate::root().join("plans/baseline.yaml")));
        let result = Ran::of(&mut cmd);
        assert_eq!(result.code, Some(1), "{}", dir.display());
        assert!(
            !out.exists(),
            "{}: an output file was written",
            dir.display()
        );
        assert_eq!(
            std::fs::read_dir(tmp.path()).expect("readable").count(),
            0,
            "{}: leftovers",
            dir.display()
        );
    }
}
