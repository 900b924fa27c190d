//! `waveplan report` and `plan --report` (issue 4): snapshots of every format on a small
//! fixture, the CSV's rows, the shipped default's numbers, and the HTML in a real browser.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::{Ran, fixture, root, run, waveplan};

const FORMATS: [&str; 4] = ["md", "html", "csv", "json"];

/// Runs `report` on the small fixture and returns stdout.
fn small_report(format: &str) -> String {
    let dir = fixture("report");
    let r = Ran::of(
        waveplan(&dir)
            .args(["report", "plans/small.plan.yaml", "-i", "inventories"])
            .args(["-s", "plans/small.yaml", "--format", format]),
    );
    assert_eq!(r.code, Some(0), "{}", r.err);
    String::from_utf8(r.out_bytes).expect("utf-8")
}

fn snapshot_settings() -> insta::Settings {
    let mut s = insta::Settings::clone_current();
    s.set_snapshot_path("snapshots");
    s.set_prepend_module_to_snapshot(false);
    s
}

#[test]
fn report_snapshots_of_every_format() {
    let settings = snapshot_settings();
    for format in FORMATS {
        // The version in the plan's generator block changes with every release.
        let text = small_report(format).replace(
            &format!("waveplan {}", env!("CARGO_PKG_VERSION")),
            "waveplan [version]",
        );
        settings.bind(|| insta::assert_snapshot!(format!("report_small_{format}"), text));
    }
}

#[test]
fn csv_parses_and_has_one_row_per_migrating_service() {
    let text = small_report("csv");
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let headers = reader.headers().expect("headers").clone();
    assert_eq!(&headers[0], "id");
    assert!(headers.iter().any(|h| h == "cutover_date"));
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("row")).collect();
    let loaded = waveplan::load::load(
        &fixture("report/inventories"),
        Some(&fixture("report/plans/small.yaml")),
    )
    .expect("fixture loads");
    assert_eq!(rows.len(), loaded.inventory.migrating().count());
    let mut ids: Vec<&str> = rows.iter().map(|r| &r[0]).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), rows.len(), "one row per service");
}

#[test]
fn the_shipped_default_report_matches_its_plan() {
    let r = run(
        &root(),
        &["report", "plans/baseline.plan.yaml", "--format", "json"],
    );
    assert_eq!(r.code, Some(0));
    let report: serde_json::Value = serde_json::from_slice(&r.out_bytes).expect("json");
    let plan = waveplan::load::plan_file::read(&root().join("plans/baseline.plan.yaml"))
        .expect("plan reads");
    assert_eq!(
        report["checks"],
        serde_json::json!([]),
        "recomputed numbers differ"
    );
    assert_eq!(report["summary"]["waves"], plan.summary.waves);
    assert_eq!(report["summary"]["split_cost"], plan.summary.split_cost);
    assert_eq!(
        report["summary"]["services_scheduled"],
        plan.summary.services_scheduled
    );
    assert_eq!(
        report["waves"].as_array().map(Vec::len),
        Some(plan.waves.len())
    );
}

#[test]
fn plan_writes_a_report_in_the_same_run_by_extension() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = fixture("report");
    for ext in FORMATS {
        let report = tmp.path().join(format!("r.{ext}"));
        let r = Ran::of(
            waveplan(&dir)
                .args(["plan", "-i", "inventories", "-s", "plans/small.yaml"])
                .args(["--effort", "200", "-o"])
                .arg(tmp.path().join("p.yaml"))
                .arg("--report")
                .arg(&report),
        );
        assert_eq!(r.code, Some(3), "one service cannot be placed");
        let text = std::fs::read_to_string(&report).expect("report written");
        match ext {
            "html" => assert!(text.starts_with("<!DOCTYPE html>")),
            "md" => assert!(text.contains("```mermaid")),
            "csv" => assert!(text.starts_with("id,name,")),
            _ => assert!(text.starts_with('{')),
        }
    }
    let r = Ran::of(
        waveplan(&dir)
            .args(["plan", "-i", "inventories", "-s", "plans/small.yaml", "-o"])
            .arg(tmp.path().join("p.yaml"))
            .arg("--report")
            .arg(tmp.path().join("r.txt")),
    );
    assert_eq!(r.code, Some(1));
    assert!(r.err.contains(".md, .html, .csv, .json or .ics"));
}

#[test]
fn report_format_follows_the_output_extension_and_writes_atomically() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let path = tmp.path().join("out.html");
    let dir = fixture("report");
    waveplan(&dir)
        .args(["report", "plans/small.plan.yaml", "-i", "inventories"])
        .args(["-s", "plans/small.yaml", "-o"])
        .arg(&path)
        .assert()
        .success();
    let text = std::fs::read_to_string(&path).expect("written");
    assert!(text.contains(r#"<svg id="utilisation""#));
}

#[test]
fn a_missing_plan_is_invalid_input() {
    waveplan(&fixture("report"))
        .args([
            "report",
            "nope.plan.yaml",
            "-i",
            "inventories",
            "-s",
            "plans/small.yaml",
        ])
        .assert()
        .code(1);
}

/// A Chromium (or Chrome) binary on this machine, if any.
fn chromium() -> Option<PathBuf> {
    let names = [
        "chromium",
        "chromium-browser",
        "google-chrome",
        "google-chrome-stable",
    ];
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .flat_map(|dir| names.iter().map(move |n| dir.join(n)))
        .find(|p| p.is_file())
}

/// Runs headless Chromium on `page` with `extra` flags; returns (stdout, stderr).
fn headless(browser: &Path, page: &Path, extra: &[&str]) -> (String, String) {
    let profile = tempfile::tempdir().expect("profile dir");
    let mut child = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--no-first-run",
            "--disable-component-update",
            "--disable-sync",
            "--enable-logging=stderr",
            "--v=0",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args(extra)
        .arg(format!("file://{}", page.display()))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("chromium starts");
    let (out_pipe, err_pipe) = (child.stdout.take(), child.stderr.take());
    let read = |p: Option<Box<dyn std::io::Read + Send>>| {
        std::thread::spawn(move || {
            let mut s = String::new();
            if let Some(mut p) = p {
                let _ = p.read_to_string(&mut s);
            }
            s
        })
    };
    let out = read(out_pipe.map(|p| Box::new(p) as Box<dyn std::io::Read + Send>));
    let err = read(err_pipe.map(|p| Box::new(p) as Box<dyn std::io::Read + Send>));
    let started = Instant::now();
    while child.try_wait().expect("wait").is_none() {
        if started.elapsed() > Duration::from_secs(90) {
            let _ = child.kill();
            panic!("chromium did not finish within 90 s");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    (out.join().expect("stdout"), err.join().expect("stderr"))
}

/// The browser for test `name`, or `None` after saying on stderr that the test was skipped:
/// `SKIPPED: no browser (chromium) found`, which `cargo test` still counts as passed. Set
/// `WAVEPLAN_REQUIRE_BROWSER=1` to make a missing browser fail the test instead (opt-in,
/// since CI machines have no browser).
fn browser_for(name: &str) -> Option<PathBuf> {
    let browser = chromium();
    if browser.is_none() {
        assert!(
            std::env::var_os("WAVEPLAN_REQUIRE_BROWSER").is_none_or(|v| v != "1"),
            "WAVEPLAN_REQUIRE_BROWSER=1 but no browser (chromium) found on PATH (apt-get install chromium fonts-noto-cjk)"
        );
        #[expect(
            clippy::print_stderr,
            reason = "a skipped test must say so, not pass silently"
        )]
        {
            eprintln!(
                "SKIPPED: no browser (chromium) found: {name} did not run (apt-get install chromium fonts-noto-cjk; WAVEPLAN_REQUIRE_BROWSER=1 makes this a failure)"
            );
        }
    }
    browser
}

/// Renders two reports in headless Chromium and fails on any console message (skipped
/// without a browser, see [`browser_for`]).
#[test]
fn html_report_renders_in_headless_chromium_without_console_errors() {
    let Some(browser) =
        browser_for("html_report_renders_in_headless_chromium_without_console_errors")
    else {
        return;
    };
    let tmp = tempfile::tempdir().expect("tempdir");
    for (name, dir, args) in [
        (
            "small.html",
            fixture("report"),
            vec![
                "plans/small.plan.yaml",
                "-i",
                "inventories",
                "-s",
                "plans/small.yaml",
            ],
        ),
        ("baseline.html", root(), vec!["plans/baseline.plan.yaml"]),
        (
            "baseline-risk.html",
            root(),
            vec!["plans/baseline.plan.yaml", "--risk", "--risk-runs", "500"],
        ),
    ] {
        let page = tmp.path().join(name);
        waveplan(&dir)
            .arg("report")
            .args(&args)
            .arg("-o")
            .arg(&page)
            .assert()
            .success();
        let (dom, log) = headless(&browser, &page, &["--dump-dom"]);
        let console: Vec<&str> = log.lines().filter(|l| l.contains(":CONSOLE")).collect();
        assert!(
            console.is_empty(),
            "{name}: console messages:\n{}",
            console.join("\n")
        );
        assert!(
            dom.contains(r#"data-script-ok="1""#),
            "{name}: the inline script did not run to its end"
        );
        let risk: &[&str] = if name.contains("risk") {
            &["risk-histogram", "risk-criticality"]
        } else {
            &[]
        };
        for id in ["gantt", "utilisation"].iter().chain(risk) {
            assert!(
                dom.contains(&format!(r#"<svg id="{id}""#)),
                "{name}: no <svg id=\"{id}\"> in the rendered DOM"
            );
        }
    }
}

/// The shipped default's inputs, its plan and their report data.
fn shipped_report() -> (
    waveplan::load::Loaded,
    waveplan::model::Plan,
    waveplan::report::ReportData,
) {
    let loaded = waveplan::load::load(
        &root().join("inventories"),
        Some(&root().join("plans/baseline.yaml")),
    )
    .expect("default loads");
    let plan = waveplan::load::plan_file::read(&root().join("plans/baseline.plan.yaml"))
        .expect("shipped plan reads");
    let d = waveplan::report::ReportData::build(&plan, &loaded.inventory, &loaded.scenario);
    (loaded, plan, d)
}

#[test]
fn shipped_report_has_a_transition_cost_section_that_adds_up() {
    let (loaded, plan, d) = shipped_report();
    let c = d.costs.as_ref().expect("the baseline scenario has costs");
    let total = c.parts.total;
    assert_eq!(c.by_wave.len() as u32, plan.summary.waves);
    let last = c.by_wave.last().expect("waves").cumulative;
    assert!((last - total).abs() < 0.01, "{last} vs {total}");
    // Departments share everything but the pilot cloud.
    let depts: f64 = c.by_department.iter().map(|x| x.cost).sum();
    assert!((depts + c.parts.pilot_cloud - total).abs() < 0.01);
    assert!(c.by_department.windows(2).all(|w| w[0].cost >= w[1].cost));
    // The plan file's own figure is what the report recomputes.
    let stated = plan.summary.transition_cost.as_ref().expect("stated").total;
    assert!((stated - total).abs() < 0.01);
    let html = waveplan::report::render_data(&d, waveplan::report::Format::Html).expect("renders");
    assert!(html.contains(r#"<svg id="cost-curve""#));
    let md =
        waveplan::report::render_data(&d, waveplan::report::Format::Markdown).expect("renders");
    assert!(md.contains("## Transition cost"));
    // Without `costs:` there is no section.
    let mut sc = loaded.scenario.clone();
    sc.costs = None;
    let bare = waveplan::report::ReportData::build(&plan, &loaded.inventory, &sc);
    assert!(bare.costs.is_none());
    let bare_html =
        waveplan::report::render_data(&bare, waveplan::report::Format::Html).expect("renders");
    assert!(!bare_html.contains("cost-curve"));
}

#[test]
fn report_risk_adds_the_histogram_decommission_dates_and_criticality() {
    let dir = crate::scratch();
    let report = |format: &str, extra: &[&str]| {
        let r = Ran::of(
            waveplan(dir.path())
                .args(["report", "plans/baseline.plan.yaml", "--format", format])
                .args(extra),
        );
        assert_eq!(r.code, Some(0), "{}", r.err);
        String::from_utf8(r.out_bytes).expect("utf-8")
    };
    let risk = ["--risk", "--risk-runs", "300", "--risk-seed", "4"];
    let json: serde_json::Value = serde_json::from_str(&report("json", &risk)).expect("JSON");
    assert_eq!(json["risk"]["runs"], 300);
    assert_eq!(json["risk"]["seed"], 4);
    assert!(json["risk"]["deadline_probabilities"]["sites"]["pilot-cloud"].is_object());
    // The report's numbers are `waveplan risk`'s for the same runs and seed.
    let alone = Ran::of(
        waveplan(dir.path())
            .args(["risk", "plans/baseline.plan.yaml", "--format", "json"])
            .args(["--runs", "300", "--seed", "4"]),
    );
    let alone: serde_json::Value = serde_json::from_slice(&alone.out_bytes).expect("JSON");
    assert_eq!(json["risk"], alone);
    let md = report("md", &risk);
    for heading in [
        "## Schedule risk",
        "### Decommission dates",
        "### Finish histogram",
    ] {
        assert!(md.contains(heading), "{heading}");
    }
    let html = report("html", &risk);
    assert!(html.contains(r#"<section id="schedule-risk">"#));
    assert!(html.contains(r#"<svg id="risk-histogram""#));
    // Without --risk there is no risk section, and --risk-runs alone is a usage error.
    assert!(!report("md", &[]).contains("## Schedule risk"));
    assert!(report("json", &[]).find("\"risk\"").is_none());
    let usage = run(
        dir.path(),
        &["report", "plans/baseline.plan.yaml", "--risk-runs", "5"],
    );
    assert_eq!(usage.code, Some(2));
}

#[test]
fn counts_by_criticality_read_from_critical_to_low() {
    let (_, _, d) = shipped_report();
    let keys: Vec<&str> = d.summary.by_criticality.iter().map(|r| r.key).collect();
    assert_eq!(keys, ["critical", "high", "medium", "low"]);
    let strategies: Vec<&str> = d.summary.by_strategy.iter().map(|r| r.key).collect();
    assert_eq!(strategies.first(), Some(&"rehost"));
}

/// The shipped default's report in `format`, from standard output.
fn shipped(format: &str) -> String {
    let r = run(
        &root(),
        &["report", "plans/baseline.plan.yaml", "--format", format],
    );
    assert_eq!(r.code, Some(0));
    String::from_utf8(r.out_bytes).expect("utf-8")
}

/// A number as the report writes it (`11,991.83`), or NaN.
fn number(s: &str) -> f64 {
    s.trim().replace(',', "").parse().unwrap_or(f64::NAN)
}

/// Issue 15, item 8: on the shipped default a wave at 11,991.83 of 12,000 GiB read "100%",
/// without the highlight full cells get. A cell reads 100% exactly when it is highlighted as
/// full, and then its load is the capacity.
#[test]
fn only_full_loads_read_100_percent_and_every_one_is_highlighted() {
    let html = shipped("html");
    let mut bars = 0;
    for piece in html.split(r#"<td class=""#).skip(1) {
        let Some((class, rest)) = piece.split_once('"') else {
            continue;
        };
        let Some((head, detail)) = rest.split_once("<br><small>") else {
            continue;
        };
        if head.contains("<td") {
            continue;
        }
        bars += 1;
        let label = head.rsplit('>').next().unwrap_or("");
        let detail = detail.split('<').next().unwrap_or("");
        assert_eq!(
            class == "full",
            label == "100%",
            "class {class:?} with {label} ({detail})"
        );
        if let Some((used, cap)) = detail.split_once(" / ") {
            let cap = cap.split(' ').next().unwrap_or("");
            if class == "full" {
                assert!((number(used) - number(cap)).abs() < 1e-3, "{detail}");
            }
        }
    }
    assert!(bars > 100, "{bars} load cells found");
    let md = shipped("md");
    let full: Vec<&str> = md.split("| 100% (").skip(1).collect();
    assert!(!full.is_empty());
    for cell in full {
        let detail = cell.split(')').next().unwrap_or("");
        let (used, cap) = detail.split_once(" / ").expect("used / capacity");
        let cap = cap.split(' ').next().unwrap_or("");
        assert!((number(used) - number(cap)).abs() < 1e-3, "100% ({detail})");
    }
}

/// Issue 15, item 8: no text of the shipped default's report writes one wave as a range
/// (`waves 24–24`) or a count of one with a plural noun (`1 services`).
#[test]
fn the_shipped_report_reads_in_the_singular_where_it_should() {
    for format in ["md", "html"] {
        let text = shipped(format);
        let words: Vec<&str> = text
            .split(|c: char| c.is_whitespace() || "()<>,;:\"|".contains(c))
            .filter(|w| !w.is_empty())
            .collect();
        for pair in words.windows(2) {
            let range = pair[1].split_once('–');
            assert!(
                !(pair[0] == "waves" && range.is_some_and(|(a, b)| a == b)),
                "{format}: {}",
                pair.join(" ")
            );
            assert!(
                !(pair[0] == "1"
                    && [
                        "services",
                        "waves",
                        "cutovers",
                        "departments",
                        "days",
                        "runs"
                    ]
                    .contains(&pair[1])),
                "{format}: {}",
                pair.join(" ")
            );
        }
    }
}

/// Measures the waves table in the page it is appended to: `data-waves-fit` on `<html>` is
/// `ok`, or what would hide a column from a reader.
const WAVES_FIT_PROBE: &str = r"<script>
(function () {
  var box = document.querySelector('#waves .scroll');
  var table = box && box.querySelector('table');
  var problems = [];
  if (!table) {
    problems.push('no waves table in a scroll box');
  } else {
    var page = document.documentElement.scrollWidth;
    if (page > window.innerWidth) {
      problems.push('the page is ' + page + ' px wide in a ' + window.innerWidth + ' px window');
    }
    var x = getComputedStyle(box).overflowX;
    if (x !== 'auto' && x !== 'scroll') {
      problems.push('the table box does not scroll sideways');
    }
    var h = box.getBoundingClientRect().height;
    if (h > window.innerHeight) {
      problems.push('the table box is ' + Math.round(h) + ' px tall in a ' + window.innerHeight +
        ' px window, so its scroll bar is off screen while its columns are cut off');
    }
    box.scrollLeft = box.scrollWidth;
    var heads = table.tHead.rows[0].cells;
    var last = heads[heads.length - 1].getBoundingClientRect();
    if (last.right > box.getBoundingClientRect().right + 1) {
      problems.push('the last column cannot be scrolled into view');
    }
  }
  document.documentElement.setAttribute('data-waves-fit', problems.length ? problems.join('; ') : 'ok');
})();
</script></body>";

/// Issue 15, item 8: at 1400 px the shipped default's waves table was cut off after the
/// eighth column, its horizontal scroll bar some 2,000 px further down, below its last row.
/// In a 1400 x 900 window the page must not be wider than the window and the table's own
/// scroll box must fit on screen and reach its last column (skipped without a browser).
#[test]
fn the_waves_table_keeps_every_column_within_reach_in_a_1400_px_window() {
    let Some(browser) =
        browser_for("the_waves_table_keeps_every_column_within_reach_in_a_1400_px_window")
    else {
        return;
    };
    let tmp = tempfile::tempdir().expect("tempdir");
    let page = tmp.path().join("baseline.html");
    let html = shipped("html");
    assert_eq!(html.matches("</body>").count(), 1);
    std::fs::write(&page, html.replace("</body>", WAVES_FIT_PROBE)).expect("writes");
    let (dom, _) = headless(&browser, &page, &["--window-size=1400,900", "--dump-dom"]);
    let fit = dom
        .split(r#"data-waves-fit=""#)
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap_or("the probe did not run");
    assert_eq!(fit, "ok");
}

/// The shipped plan with `safp-exchange-bus` moved one wave earlier by hand, written into
/// a scratch project as `t.plan.yaml`.
fn hand_moved(dir: &Path) {
    let plan = std::fs::read_to_string(dir.join("plans/baseline.plan.yaml")).unwrap();
    let at = plan.find("- id: safp-exchange-bus\n").unwrap();
    let (head, tail) = plan.split_at(at);
    let (entry, rest) = tail.split_at(tail.find("cutover_wave:").unwrap());
    let line_end = rest.find('\n').unwrap();
    let cut: u32 = rest["cutover_wave: ".len()..line_end]
        .trim()
        .parse()
        .unwrap();
    let start_at = entry.find("start_wave: ").unwrap();
    let start: u32 = entry[start_at + "start_wave: ".len()..]
        .trim()
        .parse()
        .unwrap();
    let moved = format!(
        "{head}{}start_wave: {}\n  cutover_wave: {}{}",
        &entry[..start_at],
        start - 1,
        cut - 1,
        &rest[line_end..]
    );
    std::fs::write(dir.join("t.plan.yaml"), moved).unwrap();
}

#[test]
fn a_plan_that_breaks_a_rule_gets_no_report_and_verify_names_the_rule_first() {
    let dir = crate::scratch();
    hand_moved(dir.path());
    let r = run(dir.path(), &["report", "t.plan.yaml", "-o", "r.html"]);
    assert_eq!(r.code, Some(1), "{r:?}");
    assert!(
        r.err
            .contains("error: the plan breaks the rules for these inputs"),
        "{r:?}"
    );
    assert!(r.err.contains("`safp-exchange-bus`"), "{r:?}");
    assert!(r.err.contains("waveplan verify t.plan.yaml"), "{r:?}");
    assert!(!dir.path().join("r.html").exists(), "nothing written");

    // verify lists the broken rules before the figures the hand edit left stale.
    let r = run(dir.path(), &["verify", "t.plan.yaml"]);
    assert_eq!(r.code, Some(1), "{r:?}");
    let lines: Vec<&str> = r.out.lines().collect();
    let figure = |l: &str| {
        ["[format.waves", "[summary.", "[digest."]
            .iter()
            .any(|p| l.contains(p))
    };
    let first_figure = lines.iter().position(|l| figure(l)).unwrap();
    assert!(first_figure > 0, "{}", r.out);
    assert!(
        lines[first_figure..lines.len() - 1]
            .iter()
            .all(|l| figure(l)),
        "{}",
        r.out
    );
    assert!(
        lines[lines.len() - 1].contains(&format!(
            "({first_figure} in the assignments, {} recorded figures that no longer match them)",
            lines.len() - 1 - first_figure
        )),
        "{}",
        r.out
    );
}

#[test]
fn a_plan_with_only_a_stale_figure_is_reported_with_a_warning() {
    let dir = crate::scratch();
    let path = dir.path().join("plans/baseline.plan.yaml");
    let plan = std::fs::read_to_string(&path).unwrap();
    let at = plan.find("  split_cost: ").unwrap();
    let end = at + plan[at..].find('\n').unwrap();
    let stale = format!("{}  split_cost: 1{}", &plan[..at], &plan[end..]);
    std::fs::write(dir.path().join("s.plan.yaml"), stale).unwrap();
    let r = run(dir.path(), &["report", "s.plan.yaml", "-o", "r.md"]);
    assert_eq!(r.code, Some(0), "{r:?}");
    assert!(r.err.contains("split_cost"), "{r:?}");
    assert!(dir.path().join("r.md").exists());
    let r = run(dir.path(), &["verify", "s.plan.yaml"]);
    assert_eq!(r.code, Some(1), "{r:?}");
    assert!(
        r.out.contains(
            "(the assignments keep every rule; 1 recorded figure no longer matches them)"
        ),
        "{r:?}"
    );
}
