//! Issue 11, "files are trusted": inputs are read only when they are regular files, and never
//! past the size limit, so a device, a FIFO, a directory or a dangling symlink is an error
//! naming it instead of a hang, a runaway read or a silently dropped department.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const SCENARIO: &str = "name: t\ncalendar: {start: 2019-01-07, wave_length_days: 14}\n";
const INVENTORY: &str = "department: {code: DSI, name: Identification}\nservices:\n  - {id: dsi-a, name: A, site: datacenter}\n";

/// A directory with `inv/dsi.yaml` and `s.yaml`.
fn case() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tmp");
    std::fs::create_dir(dir.path().join("inv")).expect("mkdir");
    std::fs::write(dir.path().join("inv/dsi.yaml"), INVENTORY).expect("write");
    std::fs::write(dir.path().join("s.yaml"), SCENARIO).expect("write");
    dir
}

/// Runs waveplan in `dir` with a deadline: a run still going after it is killed and the
/// test fails, so a blocking read shows as a failure rather than a hung test suite.
fn run_within(dir: &Path, args: &[&str], deadline: Duration) -> (i32, String) {
    let mut child = Command::new(assert_cmd::cargo::cargo_bin("waveplan"))
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let start = Instant::now();
    loop {
        if let Some(status) = child.try_wait().expect("wait") {
            let mut err = String::new();
            if let Some(mut pipe) = child.stderr.take() {
                std::io::Read::read_to_string(&mut pipe, &mut err).expect("stderr");
            }
            return (status.code().unwrap_or(-1), err);
        }
        if start.elapsed() > deadline {
            child.kill().ok();
            child.wait().ok();
            panic!("waveplan {args:?} still running after {deadline:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

const DEADLINE: Duration = Duration::from_secs(20);

/// Runs waveplan in `dir` within the deadline and asserts it exits 1 saying `says`; returns
/// stderr for further checks.
fn refused(dir: &Path, args: &[&str], says: &str) -> String {
    let (code, err) = run_within(dir, args, DEADLINE);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains(says), "{err}");
    err
}

#[cfg(unix)]
fn mkfifo(path: &Path) {
    let status = Command::new("mkfifo").arg(path).status().expect("mkfifo");
    assert!(status.success(), "mkfifo failed");
}

#[cfg(unix)]
#[test]
fn extends_dev_zero_is_refused_quickly() {
    let dir = case();
    std::fs::write(dir.path().join("z.yaml"), "name: z\nextends: /dev/zero\n").expect("write");
    refused(
        dir.path(),
        &["validate", "-i", "inv", "-s", "z.yaml"],
        "`/dev/zero` is a character device, not a regular file",
    );
}

#[cfg(unix)]
#[test]
fn a_fifo_as_scenario_is_refused_without_blocking() {
    let dir = case();
    mkfifo(&dir.path().join("f.yaml"));
    refused(
        dir.path(),
        &["validate", "-i", "inv", "-s", "f.yaml"],
        "`f.yaml` is a FIFO, not a regular file: give a YAML file",
    );
}

#[cfg(unix)]
#[test]
fn a_fifo_as_extends_is_refused_without_blocking() {
    let dir = case();
    mkfifo(&dir.path().join("f.yaml"));
    std::fs::write(dir.path().join("e.yaml"), "name: e\nextends: f.yaml\n").expect("write");
    let err = refused(
        dir.path(),
        &["validate", "-i", "inv", "-s", "e.yaml"],
        "e.yaml:2:10: error: `extends` names `f.yaml`",
    );
    assert!(err.contains("is a FIFO, not a regular file"), "{err}");
}

#[cfg(unix)]
#[test]
fn a_fifo_as_the_plan_to_verify_is_refused_without_blocking() {
    let dir = case();
    mkfifo(&dir.path().join("p.plan.yaml"));
    refused(
        dir.path(),
        &["verify", "p.plan.yaml", "-i", "inv", "-s", "s.yaml"],
        "`p.plan.yaml` is a FIFO, not a regular file",
    );
}

#[cfg(unix)]
#[test]
fn a_dangling_symlink_in_the_inventory_is_an_error_naming_it() {
    let dir = case();
    std::os::unix::fs::symlink("nowhere.yaml", dir.path().join("inv/x.yaml")).expect("symlink");
    let (code, err) = run_within(
        dir.path(),
        &["validate", "-i", "inv", "-s", "s.yaml"],
        DEADLINE,
    );
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("inv/x.yaml`: it is a symbolic link"), "{err}");
    assert!(
        err.contains("`nowhere.yaml`, which does not exist"),
        "{err}"
    );
}

#[test]
fn a_directory_named_like_an_inventory_file_is_an_error() {
    let dir = case();
    std::fs::create_dir(dir.path().join("inv/x.yaml")).expect("mkdir");
    refused(
        dir.path(),
        &["validate", "-i", "inv", "-s", "s.yaml"],
        "x.yaml` is a directory, not a regular file",
    );
}

#[test]
fn a_parent_that_is_not_a_scenario_is_not_echoed() {
    let dir = case();
    std::fs::write(dir.path().join("secret.txt"), "hunter2 is the password\n").expect("write");
    std::fs::write(dir.path().join("e.yaml"), "name: e\nextends: secret.txt\n").expect("write");
    let err = refused(
        dir.path(),
        &["validate", "-i", "inv", "-s", "e.yaml"],
        "`extends` names `secret.txt`, which is not a scenario",
    );
    assert!(!err.contains("hunter2"), "{err}");
}

#[test]
fn a_parent_with_broken_yaml_is_located_but_not_echoed() {
    let dir = case();
    std::fs::write(dir.path().join("key.pem"), "hunter2: [unclosed\n").expect("write");
    std::fs::write(dir.path().join("e.yaml"), "name: e\nextends: key.pem\n").expect("write");
    let (code, err) = run_within(
        dir.path(),
        &["validate", "-i", "inv", "-s", "e.yaml"],
        DEADLINE,
    );
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("key.pem"), "{err}");
    assert!(!err.contains("hunter2"), "{err}");
}
