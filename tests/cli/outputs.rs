//! Writers never destroy inputs (issue 11, point 3): an output that is one of the run's
//! inputs or another output of the run is refused before anything is written; devices,
//! FIFOs and directories are refused, `/dev/null` discards, a symlink is written through.

use std::fs;
use std::path::Path;

use crate::{Ran, run, scratch};

/// Every file under `dir` (one level of subdirectories), sorted, with its bytes.
fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut all = Vec::new();
    for sub in ["", "inventories", "plans"] {
        for e in fs::read_dir(dir.join(sub)).unwrap() {
            let p = e.unwrap().path();
            if p.is_file() {
                all.push((p.display().to_string(), fs::read(&p).unwrap()));
            }
        }
    }
    all.sort();
    all
}

/// Runs a command that must be refused: exit 1, the message, and no file changed, created
/// or left behind (temporary files included).
fn refused(dir: &Path, args: &[&str], message: &str) {
    let before = snapshot(dir);
    let Ran { code, err, .. } = run(dir, args);
    assert_eq!(code, Some(1), "{args:?}: {err}");
    assert!(err.contains(message), "{args:?}: {err}");
    assert!(before == snapshot(dir), "{args:?} changed a file");
}

#[test]
fn plan_refuses_to_write_over_an_inventory_file() {
    let dir = scratch();
    refused(
        dir.path(),
        &["plan", "--effort", "10", "-o", "inventories/dsf.yaml"],
        "error: refusing to write the plan to `inventories/dsf.yaml`: it is one of this command's inputs (inventory file); give another -o",
    );
    // The same file by another spelling is the same file.
    refused(
        dir.path(),
        &[
            "plan",
            "--effort",
            "10",
            "-o",
            "plans/../inventories/./dsf.yaml",
        ],
        "(inventory file)",
    );
}

#[test]
fn plan_refuses_to_write_over_its_scenario_or_the_plan_it_reads() {
    let dir = scratch();
    refused(
        dir.path(),
        &["plan", "--effort", "10", "-o", "plans/baseline.yaml"],
        "error: refusing to write the plan to `plans/baseline.yaml`: it is one of this command's inputs (scenario file); give another -o",
    );
    refused(
        dir.path(),
        &[
            "plan",
            "--effort",
            "10",
            "--stable-against",
            "plans/baseline.plan.yaml",
            "-o",
            "plans/baseline.plan.yaml",
        ],
        "(a plan being read)",
    );
}

#[test]
fn a_parent_scenario_is_an_input_too() {
    let dir = scratch();
    fs::write(
        dir.path().join("plans/child.yaml"),
        "name: child\nextends: baseline.yaml\n",
    )
    .unwrap();
    refused(
        dir.path(),
        &[
            "plan",
            "--effort",
            "10",
            "-s",
            "plans/child.yaml",
            "-o",
            "plans/baseline.yaml",
        ],
        "(scenario file)",
    );
}

#[test]
fn one_path_for_two_outputs_is_refused_before_anything_is_written() {
    let dir = scratch();
    refused(
        dir.path(),
        &[
            "plan", "--effort", "10", "-o", "x.json", "--report", "x.json",
        ],
        "error: refusing to write the report to `x.json`: the plan is written there too; give another --report",
    );
    refused(
        dir.path(),
        &["whatif", "--effort", "10", "-o", "w.md", "--report", "w.md"],
        "error: refusing to write the report to `w.md`: the comparison is written there too; give another --report",
    );
}

#[test]
fn a_report_that_cannot_be_written_leaves_no_plan_either() {
    let dir = scratch();
    refused(
        dir.path(),
        &[
            "plan",
            "--effort",
            "10",
            "-o",
            "new.plan.yaml",
            "--report",
            "nowhere/r.md",
        ],
        "cannot write `nowhere/r.md`",
    );
    assert!(!dir.path().join("new.plan.yaml").exists());
}

#[test]
fn report_refuses_to_write_over_the_plan_it_reads() {
    let dir = scratch();
    refused(
        dir.path(),
        &[
            "report",
            "plans/baseline.plan.yaml",
            "-o",
            "plans/baseline.plan.yaml",
        ],
        "error: refusing to write the report to `plans/baseline.plan.yaml`: it is one of this command's inputs (the plan being reported); give another -o",
    );
    refused(
        dir.path(),
        &[
            "diff",
            "plans/baseline.plan.yaml",
            "plans/baseline.plan.yaml",
            "-o",
            "plans/baseline.plan.yaml",
        ],
        "(a plan being compared)",
    );
}

#[test]
fn a_directory_or_a_fifo_is_refused_as_an_output() {
    let dir = scratch();
    refused(
        dir.path(),
        &["plan", "--effort", "10", "-o", "plans"],
        "error: refusing to write `plans`: it is a directory",
    );
    let made = std::process::Command::new("mkfifo")
        .arg(dir.path().join("fifo"))
        .status()
        .is_ok_and(|s| s.success());
    if made {
        refused(
            dir.path(),
            &["plan", "--effort", "10", "-o", "fifo"],
            "error: refusing to write `fifo`: it is not a regular file (a device, FIFO or socket)",
        );
    }
}

#[cfg(unix)]
#[test]
fn dev_null_discards_the_output_and_stays_a_device() {
    use std::os::unix::fs::FileTypeExt;
    let dir = scratch();
    let before = snapshot(dir.path());
    let Ran { code, err, .. } = run(dir.path(), &["plan", "--effort", "10", "-o", "/dev/null"]);
    assert_eq!(code, Some(0), "{err}");
    assert!(before == snapshot(dir.path()));
    assert!(
        fs::metadata("/dev/null")
            .unwrap()
            .file_type()
            .is_char_device()
    );
}

#[cfg(unix)]
#[test]
fn a_symlink_is_written_through_and_kept() {
    let dir = scratch();
    fs::create_dir_all(dir.path().join("shared")).unwrap();
    fs::write(dir.path().join("shared/current.plan.yaml"), "old\n").unwrap();
    std::os::unix::fs::symlink(
        "shared/current.plan.yaml",
        dir.path().join("link.plan.yaml"),
    )
    .unwrap();
    let Ran { code, err, .. } = run(
        dir.path(),
        &["plan", "--effort", "10", "-o", "link.plan.yaml"],
    );
    assert_eq!(code, Some(0), "{err}");
    let link = fs::symlink_metadata(dir.path().join("link.plan.yaml")).unwrap();
    assert!(link.file_type().is_symlink());
    let text = fs::read_to_string(dir.path().join("shared/current.plan.yaml")).unwrap();
    assert!(text.starts_with("format: waveplan-plan/"), "{text}");
    // No temporary file is left next to the target or the link.
    for d in [dir.path().to_path_buf(), dir.path().join("shared")] {
        for e in fs::read_dir(d).unwrap() {
            let name = e.unwrap().file_name().to_string_lossy().into_owned();
            assert!(!name.ends_with(".tmp"), "{name}");
        }
    }
    // A link to nowhere is refused: there is no file to write through to.
    std::os::unix::fs::symlink("nowhere.yaml", dir.path().join("dangling.yaml")).unwrap();
    refused(
        dir.path(),
        &["plan", "--effort", "10", "-o", "dangling.yaml"],
        "error: refusing to write `dangling.yaml`: it is a symlink to a file that does not exist",
    );
}
