//! One set of wave limits, enforced where data enters (issue 11): absurd numbers in a
//! scenario, an inventory, an override or a plan file are refused with a located error
//! instead of sizing tables by them.

use std::fs;

use crate::{Ran, root, run};

#[test]
fn absurd_wave_counts_and_calendars_are_refused_at_the_boundary() {
    for (set, says) in [
        ("calendar.max_waves=4294967295", "at most 10000 waves"),
        ("calendar.max_waves=10001", "at most 10000 waves"),
        (
            "services.dsi-identity.duration_waves=4000000000",
            "at most 10000 waves",
        ),
        ("pins.dsi-identity=20000", "at most 10000 waves"),
        ("calendar.wave_length_days=100000", "runs past 9999-12-31"),
        ("calendar.start=9999-12-01", "runs past 9999-12-31"),
    ] {
        let never = std::env::temp_dir().join("waveplan-limits-never.plan.yaml");
        let never = never.to_str().unwrap();
        for args in [
            vec!["validate", "--set", set],
            vec!["plan", "--set", set, "-o", never],
        ] {
            let Ran { code, err, .. } = run(&root(), &args);
            assert_eq!(code, Some(1), "{args:?}: {err}");
            assert!(err.contains(says), "{args:?}: {err}");
        }
        assert!(!std::path::Path::new(never).exists());
    }
    // The cap itself is a valid horizon.
    let Ran { code, err, .. } = run(&root(), &["validate", "--set", "calendar.max_waves=10000"]);
    assert_eq!(code, Some(0), "{err}");
}

#[test]
fn plan_files_with_absurd_wave_numbers_are_refused_by_every_reader() {
    let dir = tempfile::tempdir().unwrap();
    let text = fs::read_to_string(root().join("plans/baseline.plan.yaml")).unwrap();
    let big = dir.path().join("big.plan.yaml");
    let bad = text.replacen("cutover_wave: ", "cutover_wave: 4294967295 #", 1);
    assert_ne!(bad, text);
    fs::write(&big, bad).unwrap();
    let big = big.to_str().unwrap();
    let base = root().join("plans/baseline.plan.yaml");
    let base = base.to_str().unwrap();
    for args in [
        vec!["verify", big],
        vec!["report", big],
        vec!["explain", "dsi-identity", big],
        vec!["diff", base, big],
    ] {
        let started = std::time::Instant::now();
        let Ran { code, err, .. } = run(&root(), &args);
        assert_eq!(code, Some(1), "{args:?}: {err}");
        assert!(
            err.contains("plans have at most 10000 waves"),
            "{args:?}: {err}"
        );
        assert!(
            started.elapsed().as_secs() < 20,
            "{args:?} took {:?}",
            started.elapsed()
        );
    }
}

#[test]
fn a_plan_claiming_absurd_summary_waves_is_refused_by_diff() {
    let dir = tempfile::tempdir().unwrap();
    let text = fs::read_to_string(root().join("plans/baseline.plan.yaml")).unwrap();
    let big = dir.path().join("big.plan.yaml");
    let bad = text.replacen("\n  waves: ", "\n  waves: 4294967295 #", 1);
    assert_ne!(bad, text);
    fs::write(&big, bad).unwrap();
    let base = root().join("plans/baseline.plan.yaml");
    let Ran { code, err, .. } = run(
        &root(),
        &["diff", base.to_str().unwrap(), big.to_str().unwrap()],
    );
    assert_eq!(code, Some(1), "{err}");
    assert!(err.contains("at most 10000 waves"), "{err}");
}

/// `max_waves` at the cap means "no limit" to a planner: it plans every service the default
/// plans, within the default's horizon (per-wave arrays are sized by the waves the search
/// can need, so this takes no longer than the default).
#[test]
fn the_wave_cap_as_max_waves_plans_like_the_default() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("far.plan.yaml");
    let Ran { code, err, .. } = run(
        &root(),
        &[
            "plan",
            "--set",
            "calendar.max_waves=10000",
            "-o",
            out.to_str().unwrap(),
        ],
    );
    assert_eq!(code, Some(0), "{err}");
    let Ran { code, err, .. } = run(&root(), &["verify", out.to_str().unwrap()]);
    assert_eq!(code, Some(0), "{err}");
    let waves = |t: &str| -> Vec<u32> {
        t.lines()
            .filter_map(|l| l.trim_start().strip_prefix("cutover_wave: "))
            .map(|w| w.parse().unwrap())
            .collect()
    };
    let far = waves(&fs::read_to_string(&out).unwrap());
    let base = waves(&fs::read_to_string(root().join("plans/baseline.plan.yaml")).unwrap());
    assert_eq!(far.len(), base.len());
    assert!(far.iter().all(|&w| w <= 78), "{far:?}");
}
