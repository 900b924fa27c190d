//! What reaches the terminal (issue 15): errors end the output, `--quiet` keeps errors and
//! data only, `--color` overrides the terminal test and `NO_COLOR`.

use crate::{Ran, root, run, scratch, waveplan};

#[test]
fn a_failed_plan_ends_with_its_error_and_counts_the_warnings() {
    let Ran { code, err, .. } = run(scratch().path(), &["plan", "--set", "capacity.cutovers=-1"]);
    assert_eq!(code, Some(1));
    assert!(!err.contains("warning:"), "{err}");
    let last = err.trim_end().lines().last().unwrap();
    assert_eq!(
        last,
        "1 error (11 warnings not shown: `waveplan validate` lists them): nothing was planned"
    );
    assert!(
        err.starts_with("--set capacity.cutovers:1:1: error:"),
        "{err}"
    );
}

#[test]
fn validate_lists_warnings_first_and_errors_last() {
    let Ran { code, err, .. } = run(
        scratch().path(),
        &["validate", "--set", "capacity.cutovers=-1"],
    );
    assert_eq!(code, Some(1));
    let error_at = err.find(": error:").unwrap();
    let last_warning = err.rfind(": warning:").unwrap();
    assert!(last_warning < error_at, "{err}");
    assert!(
        err.trim_end()
            .ends_with("1 error, 11 warnings: the inputs are not valid"),
        "{err}"
    );
}

#[test]
fn quiet_keeps_errors_and_data_only() {
    let Ran { code, out, err, .. } = run(scratch().path(), &["plan", "-q"]);
    assert_eq!(code, Some(0), "{err}");
    assert_eq!((out.as_str(), err.as_str()), ("", ""));
    let Ran { code, out, err, .. } = run(scratch().path(), &["validate", "--quiet"]);
    assert_eq!((code, out.as_str(), err.as_str()), (Some(0), "", ""));
    // A command's product still reaches stdout.
    let Ran { code, out, .. } = run(scratch().path(), &["graph", "-q", "--format", "json"]);
    assert_eq!(code, Some(0));
    assert!(out.starts_with('{'), "{out}");
    // Errors are never quiet.
    let Ran { code, err, .. } = run(
        scratch().path(),
        &["validate", "-q", "--set", "capacity.cutovers=-1"],
    );
    assert_eq!(code, Some(1));
    assert!(!err.contains("warning:"), "{err}");
    assert!(
        err.contains("error: cutovers must not be negative"),
        "{err}"
    );
    assert!(
        err.trim_end()
            .ends_with("1 error (11 warnings not shown): the inputs are not valid"),
        "{err}"
    );
}

#[test]
fn color_always_never_and_no_color() {
    let bad = ["validate", "--set", "capacity.cutovers=-1"];
    let with = |flag: &[&str], env: &[(&str, &str)]| {
        let args: Vec<&str> = bad.iter().chain(flag).copied().collect();
        let dir = scratch();
        let ran = Ran::of(waveplan(dir.path()).envs(env.iter().copied()).args(&args));
        ran.err.contains("\x1b[1;31merror:\x1b[0m")
    };
    // Not a terminal: no colour unless asked for, whatever NO_COLOR says then.
    assert!(!with(&[], &[]));
    assert!(with(&["--color", "always"], &[]));
    assert!(with(&["--color=always"], &[("NO_COLOR", "1")]));
    assert!(!with(&["--color", "never"], &[]));
    let Ran { code, err, .. } = run(scratch().path(), &["validate", "--color", "sometimes"]);
    assert_eq!(code, Some(2), "{err}");
    assert!(root().join("Cargo.toml").exists());
}
