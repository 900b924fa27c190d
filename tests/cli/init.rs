//! `waveplan init` (issue 15): a new project validates and plans at once, passes its
//! schemas, and init never overwrites anything.

use std::fs;
use std::path::Path;

use waveplan::load::schema::Format;

use crate::schemas::assert_passes;
use crate::{Ran, run};

/// Every file under `dir`, sorted, with its bytes.
fn files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let rel = p.strip_prefix(dir).unwrap().display().to_string();
                out.push((rel, fs::read(&p).unwrap()));
            }
        }
    }
    out.sort();
    out
}

#[test]
fn a_new_project_validates_plans_verifies_and_reports_with_no_other_step() {
    let tmp = tempfile::tempdir().unwrap();
    let Ran { code, out, err, .. } = run(tmp.path(), &["init", "new-project"]);
    assert_eq!(code, Some(0), "{err}");
    assert!(
        out.contains("next: cd new-project && waveplan plan"),
        "{out}"
    );
    let project = tmp.path().join("new-project");
    let in_project = |args: &[&str]| {
        let r = run(&project, args);
        (r.code, r.out + &r.err)
    };
    let (code, text) = in_project(&["validate"]);
    assert_eq!(code, Some(0), "{text}");
    assert!(
        text.contains("; 0 warnings"),
        "every example field matters: {text}"
    );
    let (code, text) = in_project(&["plan"]);
    assert_eq!(code, Some(0), "{text}");
    assert!(
        text.contains("scheduled    4 of 4 migrating services"),
        "{text}"
    );
    let (code, text) = in_project(&["verify", "plans/baseline.plan.yaml"]);
    assert_eq!(code, Some(0), "{text}");
    let (code, text) = in_project(&["report", "plans/baseline.plan.yaml", "-o", "report.html"]);
    assert_eq!(code, Some(0), "{text}");
    assert!(project.join("report.html").is_file());
}

#[test]
fn the_project_files_pass_their_schemas_and_name_them() {
    let tmp = tempfile::tempdir().unwrap();
    let Ran { code, err, .. } = run(tmp.path(), &["init", "p", "--start", "2027-01-04"]);
    assert_eq!(code, Some(0), "{err}");
    let p = tmp.path().join("p");
    for (file, format) in [
        ("inventories/library.yaml", Format::Inventory),
        ("plans/baseline.yaml", Format::Scenario),
    ] {
        assert_passes(format, &p.join(file));
        let text = fs::read_to_string(p.join(file)).unwrap();
        assert!(text.starts_with(&format.modeline(1)), "{file}");
    }
    for f in Format::ALL {
        let on_disk = fs::read_to_string(p.join("schemas").join(f.file_name())).unwrap();
        assert_eq!(on_disk, f.to_json().unwrap());
    }
    let scenario = fs::read_to_string(p.join("plans/baseline.yaml")).unwrap();
    assert!(scenario.contains("start: 2027-01-04"), "{scenario}");
}

#[test]
fn same_start_same_bytes_and_the_default_start_is_a_monday() {
    let tmp = tempfile::tempdir().unwrap();
    for d in ["a", "b"] {
        assert_eq!(
            run(tmp.path(), &["init", d, "--start", "2027-01-04"]).code,
            Some(0)
        );
    }
    assert!(files(&tmp.path().join("a")) == files(&tmp.path().join("b")));
    assert_eq!(run(tmp.path(), &["init", "c"]).code, Some(0));
    let scenario = fs::read_to_string(tmp.path().join("c/plans/baseline.yaml")).unwrap();
    let start = scenario
        .lines()
        .find_map(|l| l.trim().strip_prefix("start: "))
        .and_then(|l| l.split_whitespace().next())
        .unwrap();
    let day: jiff::civil::Date = start.parse().unwrap();
    assert_eq!(day.weekday(), jiff::civil::Weekday::Monday);
}

#[test]
fn init_never_overwrites_and_writes_nothing_when_it_refuses() {
    let tmp = tempfile::tempdir().unwrap();
    assert_eq!(
        run(tmp.path(), &["init", ".", "--start", "2027-01-04"]).code,
        Some(0)
    );
    let before = files(tmp.path());
    let Ran { code, err, .. } = run(tmp.path(), &["init"]);
    assert_eq!(code, Some(1));
    assert!(
        err.contains("`inventories` already holds departments (`library.yaml`)"),
        "{err}"
    );
    assert!(before == files(tmp.path()));

    // One file in the way: refused before anything is created.
    let other = tmp.path().join("other");
    fs::create_dir_all(other.join("plans")).unwrap();
    fs::write(other.join("plans/baseline.yaml"), "mine").unwrap();
    let Ran { code, err, .. } = run(tmp.path(), &["init", "other"]);
    assert_eq!(code, Some(1));
    assert!(
        err.contains("other/plans/baseline.yaml` already exists: init never overwrites"),
        "{err}"
    );
    assert_eq!(
        fs::read_to_string(other.join("plans/baseline.yaml")).unwrap(),
        "mine"
    );
    assert!(!other.join("inventories").exists());

    let Ran { code, err, .. } = run(tmp.path(), &["init", "x", "--start", "2027-02-30"]);
    assert_eq!(code, Some(2), "{err}");
}
