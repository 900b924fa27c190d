//! `waveplan risk` on the shipped default: the JSON keys, a calm model giving back the plan,
//! byte-identical output at any thread count, sample plans that `waveplan verify` accepts,
//! and a plan that breaks a rule refused.

use crate::{Ran, run, scratch, waveplan};

/// Every failure probability and overrun set to zero.
const CALM: [&str; 3] = [
    "risk.failure={rehost: 0, replatform: 0, refactor: 0, repurchase: 0}",
    "risk.effort_overrun={median: 1, p90: 1}",
    "risk.data_overrun={median: 1, p90: 1}",
];

fn json(dir: &std::path::Path, extra: &[&str]) -> serde_json::Value {
    let mut cmd = waveplan(dir);
    cmd.args([
        "risk",
        "plans/baseline.plan.yaml",
        "--format",
        "json",
        "--runs",
        "400",
    ]);
    for s in extra {
        cmd.args(["--set", s]);
    }
    let r = Ran::of(&mut cmd);
    assert_eq!(r.code, Some(0), "{}", r.err);
    serde_json::from_slice(&r.out_bytes).expect("JSON")
}

#[test]
fn json_has_the_keys_the_issue_names_and_adds_up() {
    let dir = scratch();
    let v = json(dir.path(), &[]);
    for key in [
        "runs",
        "seed",
        "finish_wave_p50",
        "finish_wave_p80",
        "finish_wave_p95",
        "finish_date_p50",
        "finish_date_p80",
        "finish_date_p95",
        "deadline_probabilities",
        "criticality_index",
        "histogram",
    ] {
        assert!(v.get(key).is_some(), "missing {key}");
    }
    assert_eq!(v["runs"], 400);
    let p = |k: &str| v[k].as_u64().expect("a finish within the horizon");
    let plan = v["plan_finish_wave"].as_u64().expect("plan finish");
    assert!(plan <= p("finish_wave_p50"));
    assert!(p("finish_wave_p50") <= p("finish_wave_p80"));
    assert!(p("finish_wave_p80") <= p("finish_wave_p95"));
    let counted: u64 = v["histogram"]
        .as_object()
        .expect("map")
        .values()
        .map(|n| n.as_u64().expect("count"))
        .sum();
    assert_eq!(counted + v["unfinished_runs"].as_u64().expect("n"), 400);
    let sites = v["deadline_probabilities"]["sites"]
        .as_object()
        .expect("map");
    assert!(sites.contains_key("pilot-cloud") && sites.contains_key("datacenter"));
    for site in sites.values() {
        let p = site["probability"].as_f64().expect("probability");
        assert!((0.0..=1.0).contains(&p));
    }
    assert!(
        !v["deadline_probabilities"]["services"]
            .as_object()
            .expect("map")
            .is_empty()
    );
}

#[test]
fn a_calm_model_gives_back_the_plan_in_every_run() {
    let dir = scratch();
    let v = json(dir.path(), &CALM);
    let plan = &v["plan_finish_wave"];
    assert_eq!(&v["finish_wave_p50"], plan);
    assert_eq!(&v["finish_wave_p95"], plan);
    assert_eq!(v["on_time_probability"], 1.0);
    assert_eq!(v["histogram"][plan.to_string()], 400);
    assert!(v["criticality_index"].as_object().expect("map").is_empty());
}

#[test]
fn the_same_seed_gives_the_same_bytes_on_one_thread_and_on_four() {
    let dir = scratch();
    let at = |threads: &str| {
        let r = Ran::of(
            waveplan(dir.path())
                .env("RAYON_NUM_THREADS", threads)
                .args([
                    "risk",
                    "plans/baseline.plan.yaml",
                    "--format",
                    "json",
                    "--runs",
                    "1500",
                ]),
        );
        assert_eq!(r.code, Some(0));
        r.out_bytes
    };
    assert_eq!(at("1"), at("4"));
}

#[test]
fn sample_plans_pass_waveplan_verify() {
    let dir = scratch();
    let r = run(
        dir.path(),
        &[
            "risk",
            "plans/baseline.plan.yaml",
            "--runs",
            "300",
            "--sample-plans",
            "runs",
            "-o",
            "risk.md",
            "--format",
            "md",
        ],
    );
    assert_eq!(r.code, Some(0), "{}", r.err);
    let md = std::fs::read_to_string(dir.path().join("risk.md")).expect("written");
    assert!(md.starts_with("# Schedule risk"), "{md}");
    for name in ["p50", "p80", "p95", "latest"] {
        let plan = format!("runs/{name}.plan.yaml");
        let Ran { code, out, .. } = run(dir.path(), &["verify", &plan]);
        // A run may miss a date (what risk measures), and a service that never cut over
        // might fit, by hindsight, where a failed attempt was; every other rule holds.
        for line in out.lines().filter(|l| l.contains("breach [")) {
            assert!(
                [
                    "window.deadline",
                    "window.decommission_by",
                    "calendar.max_waves",
                    "unscheduled.placeable"
                ]
                .iter()
                .any(|r| line.contains(&format!("[{r}]"))),
                "{name}: {line}"
            );
        }
        if code == Some(0) {
            assert!(out.starts_with("ok: "), "{out}");
        }
    }
}

/// `waveplan risk` on the shipped plan with one `--set`, expected to fail: its stderr.
fn refused(set: &str) -> String {
    let dir = scratch();
    let r = run(
        dir.path(),
        &["risk", "plans/baseline.plan.yaml", "--set", set],
    );
    assert_eq!(r.code, Some(1), "{set}");
    assert!(r.out.is_empty(), "{set}");
    r.err
}

#[test]
fn a_plan_that_breaks_a_rule_is_refused() {
    let err = refused("capacity.cutovers=2");
    assert!(err.contains("error: the plan breaks"), "{err}");
    assert!(err.contains("waveplan verify"), "{err}");
}

#[test]
fn a_bad_risk_override_names_the_value() {
    let err = refused("risk.failure.rehost=1.5");
    assert!(
        err.contains("risk.failure.rehost is a probability, at most 1"),
        "{err}"
    );
}

#[test]
fn the_table_shows_percentiles_and_decommission_dates() {
    let dir = scratch();
    let Ran { code, out, .. } = run(
        dir.path(),
        &["risk", "plans/baseline.plan.yaml", "--runs", "200"],
    );
    assert_eq!(code, Some(0));
    assert!(out.contains("P50 wave"), "{out}");
    assert!(out.contains("P95 wave"), "{out}");
    assert!(out.contains("pilot-cloud  by 2020-06-30"), "{out}");
    assert!(out.contains("datacenter   by 2021-12-31"), "{out}");
}

#[test]
fn editing_the_risk_section_keeps_the_plan_usable() {
    // A new `risk:` changes the scenario's digest, never which plans are valid.
    let dir = scratch();
    let path = dir.path().join("plans/baseline.yaml");
    let text = std::fs::read_to_string(&path).expect("scenario");
    assert!(text.contains("  retry: 0.5"));
    std::fs::write(&path, text.replace("  retry: 0.5", "  retry: 0.4")).expect("write");
    for args in [
        vec!["risk", "plans/baseline.plan.yaml", "--runs", "50"],
        vec![
            "report",
            "plans/baseline.plan.yaml",
            "--risk",
            "--risk-runs",
            "50",
        ],
    ] {
        let Ran { code, err, .. } = run(dir.path(), &args);
        assert_eq!(code, Some(0), "{args:?}: {err}");
        assert!(
            err.contains("warning: "),
            "{args:?}: the change is noted: {err}"
        );
    }
}

#[test]
fn sample_plans_are_not_written_into_the_inventory() {
    let dir = scratch();
    let Ran { code, err, .. } = Ran::of(
        waveplan(dir.path())
            .args(["risk", "plans/baseline.plan.yaml", "--runs", "20"])
            .args(["--sample-plans", "inventories"]),
    );
    assert_eq!(code, Some(1));
    assert!(err.contains("is the inventory directory"), "{err}");
    assert!(!dir.path().join("inventories/p50.plan.yaml").exists());
    // A refused run leaves no directory behind either.
    let r = Ran::of(
        waveplan(dir.path())
            .args(["risk", "plans/baseline.plan.yaml", "--runs", "20"])
            .args(["--sample-plans", "runs", "-o", "plans/baseline.plan.yaml"]),
    );
    assert_eq!(r.code, Some(1));
    assert!(!dir.path().join("runs").exists());
}
