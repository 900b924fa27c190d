//! What-if analysis: `--set`, `whatif`, `diff`, `explain` (issue 5).

use crate::{Ran, root, run, waveplan};

fn json(out: &[u8]) -> serde_json::Value {
    serde_json::from_slice(out).expect("valid JSON")
}

#[test]
fn a_bad_set_path_names_the_path_and_what_is_there() {
    let dir = tempfile::tempdir().unwrap();
    let Ran { code, err, .. } = Ran::of(
        waveplan(&root())
            .args([
                "plan",
                "--effort",
                "50",
                "--set",
                "capacity.cutover=5",
                "-o",
            ])
            .arg(dir.path().join("p.plan.yaml")),
    );
    assert_eq!(code, Some(1));
    assert!(err.contains("`capacity` has no field `cutover`"), "{err}");
    assert!(err.contains("cutovers, per_department"), "{err}");
    // A value of the wrong type is located in the override itself.
    let Ran { code, err, .. } = Ran::of(
        waveplan(&root())
            .args([
                "plan",
                "--effort",
                "50",
                "--set",
                "capacity.teams.dba=lots",
                "-o",
            ])
            .arg(dir.path().join("p.plan.yaml")),
    );
    assert_eq!(code, Some(1));
    assert!(
        err.contains("--set capacity.teams.dba:1:1: error:"),
        "{err}"
    );
}

#[test]
fn an_invalid_variant_is_an_error_row_not_a_crash() {
    let r = Ran::of(
        waveplan(&root())
            .args(["whatif", "--effort", "50", "--format", "json"])
            .args([
                "--set",
                "capacity.teams.dba=lots",
                "--set",
                "services.nope.duration_waves=2",
            ]),
    );
    assert_eq!(r.code, Some(3), "{}", r.err);
    let v = json(&r.out_bytes);
    let rows = v.as_array().unwrap();
    assert_eq!(rows.len(), 3);
    assert!(rows[0]["error"].is_null());
    assert!(
        rows[1]["error"]
            .as_str()
            .unwrap()
            .contains("capacity.teams.dba")
    );
    assert!(
        rows[2]["error"]
            .as_str()
            .unwrap()
            .contains("no service with id `nope`")
    );
    assert!(rows[1]["waves"].is_null());
}

#[test]
fn sweep_rows_are_their_written_plans_and_looser_rows_are_never_worse() {
    let dir = tempfile::tempdir().unwrap();
    let r = Ran::of(
        waveplan(&root())
            .args(["whatif", "--effort", "300", "--format", "json", "--plans"])
            .arg(dir.path())
            .args(["--sweep", "capacity.cutovers=5..25:5"]),
    );
    assert_eq!(r.code, Some(0));
    let v = json(&r.out_bytes);
    let rows = v.as_array().unwrap();
    assert_eq!(rows.len(), 6);
    let keys: Vec<&String> = rows[0].as_object().unwrap().keys().collect();
    assert_eq!(
        keys,
        [
            "name",
            "overrides",
            "waves",
            "lower_bound_waves",
            "finish",
            "split_cost",
            "unscheduled",
            "peak_target_pct",
            "delta_waves",
            "delta_split_cost",
            "error",
            "complete",
            "delta_finish_days",
            "plan_from",
            "bound_rule",
            "most_binding",
            "warnings",
            "transition_cost",
            "delta_transition_cost",
        ]
    );
    let mut files: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    assert_eq!(files.len(), rows.len());
    for (row, file) in rows.iter().zip(&files) {
        let plan = waveplan::load::plan_file::read(file).unwrap();
        assert_eq!(row["waves"], plan.summary.waves, "{}", file.display());
        assert_eq!(row["split_cost"].as_f64(), Some(plan.summary.split_cost));
        let cost = plan.summary.transition_cost.as_ref().map(|t| t.total);
        assert_eq!(row["transition_cost"].as_f64(), cost);
        assert_eq!(row["unscheduled"], plan.unscheduled.len());
        let sets: Vec<&str> = row["overrides"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s.as_str().unwrap())
            .collect();
        assert_eq!(plan.overrides, sets);
        // The recorded overrides make the row's plan verifiable on its own.
        let verify = Ran::of(waveplan(&root()).arg("verify").arg(file));
        assert_eq!(verify.code, Some(0), "{}", verify.out);
    }
    // Each step of the sweep allows more cutovers: never more waves, never more split cost
    // at the same number of waves.
    for pair in rows[1..].windows(2) {
        let fit = |r: &serde_json::Value| {
            (
                r["unscheduled"].as_u64().unwrap(),
                r["waves"].as_u64().unwrap(),
                r["split_cost"].as_f64().unwrap(),
            )
        };
        let (a, b) = (fit(&pair[0]), fit(&pair[1]));
        assert!(
            b.0 < a.0 || (b.0 == a.0 && (b.1 < a.1 || (b.1 == a.1 && b.2 <= a.2))),
            "{} {a:?} then {} {b:?}",
            pair[0]["name"],
            pair[1]["name"]
        );
    }
    assert_eq!(rows[0]["delta_waves"], 0);
}

#[test]
fn a_sweep_gives_the_same_bytes_at_one_and_two_threads() {
    let at = |threads: &str| {
        Ran::of(
            waveplan(&root())
                .env("RAYON_NUM_THREADS", threads)
                .args(["whatif", "--effort", "200", "--format", "csv"])
                .args([
                    "--sweep",
                    "capacity.teams.dba=30..50:10",
                    "--sweep",
                    "capacity.cutovers=12..16:4",
                ]),
        )
    };
    let (a, b) = (at("1"), at("2"));
    assert_eq!(a.code, Some(0));
    assert_eq!(a.out.lines().count(), 1 + 1 + 6);
    assert_eq!(a.out_bytes, b.out_bytes);
}

#[test]
fn whatif_writes_files_and_a_report_page() {
    let dir = tempfile::tempdir().unwrap();
    let r = Ran::of(
        waveplan(&root())
            .args([
                "whatif",
                "--effort",
                "50",
                "--format",
                "md",
                "--sweep",
                "capacity.cutovers=10..12:2",
                "-o",
            ])
            .arg(dir.path().join("cmp.md"))
            .arg("--report")
            .arg(dir.path().join("cmp.html")),
    );
    assert_eq!(r.code, Some(0));
    assert!(r.out.is_empty());
    let md = std::fs::read_to_string(dir.path().join("cmp.md")).unwrap();
    assert_eq!(md.lines().count(), 2 + 3);
    let html = std::fs::read_to_string(dir.path().join("cmp.html")).unwrap();
    assert!(html.contains("<svg") && html.contains("<polyline"));
}

#[test]
fn diff_lists_moves_and_summary_deltas() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a.plan.yaml");
    let b = dir.path().join("b.plan.yaml");
    for (file, sets) in [(&a, vec![]), (&b, vec!["--set", "capacity.cutovers=8"])] {
        let made = Ran::of(
            waveplan(&root())
                .args(["plan", "--effort", "100", "-o"])
                .arg(file)
                .args(sets),
        );
        assert!(matches!(made.code, Some(0 | 3)));
    }
    let r = Ran::of(
        waveplan(&root())
            .args(["diff", "--format", "json"])
            .arg(&a)
            .arg(&b),
    );
    assert_eq!(r.code, Some(0));
    let v = json(&r.out_bytes);
    assert!(!v["moved"].as_array().unwrap().is_empty());
    assert!(v["summary"]["waves"]["b"].as_u64() > v["summary"]["waves"]["a"].as_u64());
    let text = Ran::of(waveplan(&root()).arg("diff").arg(&a).arg(&b)).out;
    assert!(text.contains(" moved, "));
    let same = Ran::of(waveplan(&root()).arg("diff").arg(&a).arg(&a)).out;
    assert!(same.contains("0 moved, 0 added, 0 removed"));
}

/// Runs `whatif` on the baseline and a row that cannot be complete (four DSAJ services must
/// share a cutover wave; two per department are allowed), in `format`.
fn whatif_with_an_incomplete_row(format: &str, extra: &[&str]) -> Ran {
    let r = Ran::of(
        waveplan(&root())
            .args(["whatif", "--effort", "50", "--format", format])
            .args([
                "--set",
                "capacity.per_department=2",
                "--label",
                "two per dept",
            ])
            .args(extra),
    );
    assert_eq!(r.code, Some(0), "{}", r.err);
    r
}

/// Issue 10, point 2: a row that leaves services unscheduled is marked incomplete in every
/// format, and none of its deltas compares it with the baseline.
#[test]
fn an_incomplete_row_is_marked_in_every_format_and_has_null_deltas() {
    let v = json(&whatif_with_an_incomplete_row("json", &[]).out_bytes);
    let rows = v.as_array().unwrap();
    assert_eq!(rows[0]["complete"], true);
    assert_eq!(rows[0]["delta_finish_days"], 0);
    let r = &rows[1];
    assert_eq!(r["name"], "two per dept");
    assert_eq!(r["complete"], false);
    let missing = r["unscheduled"].as_u64().unwrap();
    assert!(missing > 0);
    assert!(r["finish"].is_string(), "the finish is kept: {r}");
    for k in ["delta_waves", "delta_split_cost", "delta_finish_days"] {
        assert!(r[k].is_null(), "{k}: {r}");
    }
    let marker = format!("(incomplete: {missing} unscheduled)");
    for format in ["text", "md"] {
        let text = whatif_with_an_incomplete_row(format, &[]).out;
        let line = text.lines().find(|l| l.contains("two per dept")).unwrap();
        assert!(line.contains(&marker), "{format}: {text}");
    }
    let dir = tempfile::tempdir().unwrap();
    let html = dir.path().join("cmp.html");
    let table = whatif_with_an_incomplete_row("csv", &["--report", html.to_str().unwrap()]);
    let mut reader = csv::Reader::from_reader(table.out_bytes.as_slice());
    let header = reader.headers().unwrap().clone();
    let records: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let cell = |row: usize, key: &str| {
        let col = header.iter().position(|h| h == key).unwrap();
        records[row][col].to_owned()
    };
    assert_eq!(cell(1, "complete"), "false");
    assert_eq!(cell(0, "complete"), "true");
    for k in ["delta_waves", "delta_split_cost", "delta_finish_days"] {
        assert_eq!(cell(1, k), "", "{k}");
    }
    let page = std::fs::read_to_string(&html).unwrap();
    assert!(page.contains("class=\"mark incomplete\""), "{page}");
    assert!(page.contains("two per dept (incomplete)"));
    assert!(page.contains(&marker));
}

/// Issue 10, point 2: `--label` names the `--set` row in the same position, a variant file's
/// `name` names its row, and an unnamed row with long overrides gets a short label.
#[test]
fn labels_name_rows_and_long_overrides_get_a_short_label() {
    let blackout =
        "departments.DSF.blackouts=[{from: 2019-01-01, to: 2019-05-31, reason: tax season}]";
    let r = Ran::of(
        waveplan(&root())
            .args(["whatif", "--effort", "50", "--format", "json"])
            .args(["--variant", "plans/whatif/dba-halved.yaml"])
            .args(["--set", "capacity.cutovers=10", "--label", "ten cutovers"])
            .args(["--set", blackout]),
    );
    assert_eq!(r.code, Some(0));
    let v = json(&r.out_bytes);
    let names: Vec<&str> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "baseline",
            "dba-halved",
            "ten cutovers",
            "set 2: departments.DSF.blackouts=[{from…"
        ]
    );
    assert_eq!(v[3]["overrides"][0], blackout);
    assert_eq!(v[2]["overrides"][0], "capacity.cutovers=10");
    let text = Ran::of(
        waveplan(&root())
            .args(["whatif", "--effort", "50"])
            .args(["--set", "capacity.cutovers=10", "--label", "ten cutovers"])
            .args(["--set", blackout]),
    )
    .out;
    let header = text.lines().next().unwrap();
    assert!(header.ends_with("details"), "{text}");
    let row = text
        .lines()
        .find(|l| l.starts_with("ten cutovers"))
        .unwrap();
    assert!(row.ends_with("capacity.cutovers=10"), "{text}");
    // More labels than `--set` rows is a usage error.
    let r = run(&root(), &["whatif", "--label", "orphan"]);
    assert_eq!(r.code, Some(2));
    assert!(r.err.contains("1 --label flag(s) but 0 --set row(s)"));
}

/// Issue 10, point 2: plans with two-week and one-week waves compare by date, in days.
#[test]
fn diff_of_a_two_week_and_a_one_week_plan_reports_days() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a.plan.yaml");
    let b = dir.path().join("b.plan.yaml");
    for (file, scenario) in [
        (&a, "plans/baseline.yaml"),
        (&b, "plans/whatif/weekly-waves.yaml"),
    ] {
        let made = Ran::of(
            waveplan(&root())
                .args(["plan", "--effort", "50", "-s", scenario, "-o"])
                .arg(file),
        );
        assert!(matches!(made.code, Some(0 | 3)));
    }
    let r = Ran::of(
        waveplan(&root())
            .args(["diff", "--format", "json"])
            .arg(&a)
            .arg(&b),
    );
    assert_eq!(r.code, Some(0));
    let v = json(&r.out_bytes);
    assert_eq!(v["compare_by"], "date");
    assert_eq!(v["summary"]["wave_length_days"]["a"], 14);
    assert_eq!(v["summary"]["wave_length_days"]["b"], 7);
    let moved = v["moved"].as_array().unwrap();
    assert!(!moved.is_empty());
    for m in moved {
        let day = |k: &str| m[k].as_str().unwrap().parse::<jiff::civil::Date>().unwrap();
        let days = i64::from(day("from_date").until(day("to_date")).unwrap().get_days());
        assert_eq!(m["delta_days"], days, "{m}");
        assert_ne!(days, 0, "same date is not a move: {m}");
    }
    let text = Ran::of(waveplan(&root()).arg("diff").arg(&a).arg(&b)).out;
    assert!(
        text.contains("compared by date: wave lengths differ (14 vs 7 days)"),
        "{text}"
    );
    let first = text.lines().skip_while(|l| *l != "moved:").nth(1).unwrap();
    assert!(
        first.ends_with(" days") && !first.contains("waves"),
        "{first}"
    );
}

/// Issue 5, done-when: for every scheduled service of the default plan, `explain` names a
/// binding rule (or says nothing binds), and relaxing that rule really lets it move earlier:
/// the independent verifier accepts the moved plan under the relaxed inputs.
#[test]
fn explain_binding_rules_really_bind_for_every_service() {
    use waveplan::scenario::explain::{Verdict, explain, relax, unit_of};
    let loaded = waveplan::load::load(
        &root().join("inventories"),
        Some(&root().join("plans/baseline.yaml")),
    )
    .unwrap();
    let (inv, sc) = (&loaded.inventory, &loaded.scenario);
    let opts = waveplan::schedule::Options {
        seed: 1,
        effort: Some(300),
        time_limit: None,
    };
    let plan = waveplan::schedule::plan(inv, sc, &opts, &waveplan::schedule::NoProgress).plan;
    let mut bound = 0;
    for ps in &plan.services {
        let x = explain(inv, sc, &plan, ps.id.as_str()).unwrap();
        let Verdict::Bound {
            rules, earliest, ..
        } = &x.verdict
        else {
            continue;
        };
        bound += 1;
        assert!(*earliest < ps.cutover_wave, "{}", ps.id);
        let ix = inv.find(ps.id.as_str()).unwrap();
        let unit = unit_of(inv, sc, ix);
        let (rinv, rsc) = relax(inv, sc, &unit, rules);
        let mut moved = plan.clone();
        for s in &mut moved.services {
            if let Some(m) = unit.iter().find(|&&m| inv.services[m].id == s.id) {
                s.cutover_wave = *earliest;
                s.start_wave = earliest + 1 - inv.services[*m].duration_waves;
            }
        }
        let hard: Vec<_> = waveplan::verify::verify(&rinv, &rsc, &moved)
            .into_iter()
            .filter(|b| {
                !["format.", "summary.", "digest."]
                    .iter()
                    .any(|p| b.rule.starts_with(p))
            })
            .collect();
        assert!(
            hard.is_empty(),
            "{} to wave {earliest} with {rules:?} relaxed: {hard:?}",
            ps.id
        );
        // And with the rule in force the move breaks something.
        let strict: Vec<_> = waveplan::verify::verify(inv, sc, &moved)
            .into_iter()
            .filter(|b| {
                !["format.", "summary.", "digest."]
                    .iter()
                    .any(|p| b.rule.starts_with(p))
            })
            .collect();
        assert!(
            !strict.is_empty(),
            "{} could move to {earliest} anyway",
            ps.id
        );
    }
    assert!(bound > plan.services.len() / 2, "{bound}");
}

#[test]
fn explain_prints_the_binding_rule() {
    let dir = tempfile::tempdir().unwrap();
    let plan = dir.path().join("b.plan.yaml");
    let made = Ran::of(
        waveplan(&root())
            .args(["plan", "--effort", "100", "-o"])
            .arg(&plan),
    );
    assert_eq!(made.code, Some(0));
    let Ran { code, out, err, .. } = Ran::of(
        waveplan(&root())
            .args(["explain", "dsf-tax-core"])
            .arg(&plan),
    );
    assert_eq!(code, Some(0), "{err}");
    assert!(out.starts_with("`dsf-tax-core` cuts over in wave"), "{out}");
    assert!(
        out.contains("binding rule") || out.contains("nothing binds"),
        "{out}"
    );
    let r = Ran::of(waveplan(&root()).args(["explain", "no-such"]).arg(&plan));
    assert_eq!(r.code, Some(1));
}

#[test]
fn whatif_takes_a_time_limit_per_row() {
    let dir = crate::scratch();
    let r = Ran::of(
        waveplan(dir.path())
            .args(["whatif", "--time-limit", "0.3", "--format", "json"])
            .args(["--set", "capacity.cutovers=12"]),
    );
    assert_eq!(r.code, Some(0), "{}", r.err);
    let rows: serde_json::Value = serde_json::from_slice(&r.out_bytes).expect("JSON");
    assert_eq!(rows.as_array().map(Vec::len), Some(2));
    let bad = run(dir.path(), &["whatif", "--time-limit", "-1"]);
    assert_eq!(bad.code, Some(2));
}
