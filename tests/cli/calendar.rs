//! `waveplan report --format ics` (issue 15, item 4): the calendar is read back with the
//! `icalendar` crate's parser, not with our writer, and checked against the plan file: one
//! event per department and wave with cutovers, the freezes, stable unique UIDs, the same
//! bytes on every run, `--department` and its refusals.

use std::collections::{BTreeMap, BTreeSet};

use icalendar::{Calendar, CalendarComponent, Component, DatePerhapsTime};
use jiff::civil::Date;

use crate::{Ran, fixture, root, waveplan};

/// One event as the independent parser reads it.
#[derive(Debug)]
struct Read {
    uid: String,
    summary: String,
    description: String,
    start: Date,
    end: Date,
    sequence: Option<u32>,
}

/// Runs `report --format ics` on the shipped plan with `extra` flags; returns the bytes.
fn shipped_calendar(extra: &[&str]) -> Vec<u8> {
    let r = Ran::of(
        waveplan(&root())
            .args(["report", "plans/baseline.plan.yaml", "-i", "inventories"])
            .args(["-s", "plans/baseline.yaml", "--format", "ics"])
            .args(extra),
    );
    assert_eq!(r.code, Some(0), "{}", r.err);
    r.out_bytes
}

fn day(d: &DatePerhapsTime) -> Date {
    match d {
        DatePerhapsTime::Date(n) => {
            let text = n.format("%Y-%m-%d").to_string();
            text.parse().expect("a date jiff reads")
        }
        DatePerhapsTime::DateTime(t) => panic!("an all-day event has DATE values, got {t:?}"),
    }
}

/// Checks the RFC 5545 framing our writer promises, on the raw bytes, then parses.
fn parse(bytes: &[u8]) -> (Calendar, Vec<Read>) {
    let text = std::str::from_utf8(bytes).expect("UTF-8 (a fold inside a character is not)");
    assert!(text.ends_with("\r\n"), "the last line ends with CRLF");
    for line in text.split("\r\n") {
        assert!(!line.contains('\n'), "a bare LF: {line:?}");
        assert!(line.len() <= 75, "{} octets: {line:?}", line.len());
    }
    let cal: Calendar = text.parse().expect("icalendar parses the file");
    let events = cal
        .components
        .iter()
        .filter_map(|c| match c {
            CalendarComponent::Event(e) => Some(e),
            _ => None,
        })
        .map(|e| {
            assert!(
                e.get_timestamp().is_some(),
                "every event has a DTSTAMP in UTC"
            );
            Read {
                uid: e.get_uid().expect("UID").to_owned(),
                summary: e.get_summary().expect("SUMMARY").to_owned(),
                description: e.get_description().expect("DESCRIPTION").to_owned(),
                start: day(&e.get_start().expect("DTSTART")),
                end: day(&e.get_end().expect("DTEND")),
                sequence: e.get_sequence(),
            }
        })
        .collect();
    (cal, events)
}

/// (department, cutover wave) → the ids cutting over then.
type Groups = BTreeMap<(String, u32), Vec<String>>;
/// Wave → its first and last day.
type WaveDays = BTreeMap<u32, (Date, Date)>;

/// What the plan file says: the groups of cutovers and each wave's days.
fn expected_cutovers(department: Option<&str>) -> (Groups, WaveDays) {
    let plan = waveplan::load::plan_file::read(&root().join("plans/baseline.plan.yaml"))
        .expect("shipped plan reads");
    let mut groups: BTreeMap<(String, u32), Vec<String>> = BTreeMap::new();
    for s in &plan.services {
        if department.is_none_or(|d| d == s.department) {
            groups
                .entry((s.department.clone(), s.cutover_wave))
                .or_default()
                .push(s.id.as_str().to_owned());
        }
    }
    let waves = plan
        .waves
        .iter()
        .map(|w| (w.wave, (w.start, w.end)))
        .collect();
    (groups, waves)
}

fn check_cutovers(events: &[Read], department: Option<&str>) {
    let (groups, waves) = expected_cutovers(department);
    let cutovers: Vec<&Read> = events
        .iter()
        .filter(|e| e.uid.starts_with("dept-"))
        .collect();
    let got: BTreeSet<String> = cutovers.iter().map(|e| e.uid.clone()).collect();
    let want: BTreeSet<String> = groups
        .keys()
        .map(|(d, w)| format!("dept-{d}-wave-{w}@baseline.waveplan"))
        .collect();
    assert_eq!(got, want, "one event per department and wave with cutovers");
    assert_eq!(cutovers.len(), groups.len(), "no department-wave twice");
    for ((dept, wave), ids) in &groups {
        let uid = format!("dept-{dept}-wave-{wave}@baseline.waveplan");
        let e = cutovers.iter().find(|e| e.uid == uid).expect("event");
        let (first, last) = waves[wave];
        assert_eq!(e.start, first, "{uid}: the wave's first day");
        assert_eq!(
            e.end,
            last.tomorrow().expect("a day after"),
            "{uid}: DTEND is the day after the wave's last (exclusive)"
        );
        assert!(
            e.summary
                .starts_with(&format!("waveplan: {dept} cutover, wave {wave}")),
            "{}",
            e.summary
        );
        for id in ids {
            assert!(e.description.contains(id), "{uid} lists {id}");
        }
    }
}

#[test]
fn the_shipped_calendar_has_one_event_per_department_wave_and_the_freezes() {
    let bytes = shipped_calendar(&[]);
    let (cal, events) = parse(&bytes);
    assert_eq!(cal.get_name(), Some("waveplan: baseline"));
    assert_eq!(cal.property_value("VERSION"), Some("2.0"));
    assert_eq!(cal.property_value("CALSCALE"), Some("GREGORIAN"));
    assert_eq!(cal.property_value("METHOD"), Some("PUBLISH"));
    assert!(cal.property_value("PRODID").is_some());
    check_cutovers(&events, None);

    let loaded = waveplan::load::load(
        &root().join("inventories"),
        Some(&root().join("plans/baseline.yaml")),
    )
    .expect("default loads");
    let freezes = &loaded.scenario.calendar.freezes;
    let frozen: Vec<&Read> = events
        .iter()
        .filter(|e| e.uid.starts_with("freeze-"))
        .collect();
    assert_eq!(frozen.len(), freezes.len(), "one event per freeze");
    for f in freezes {
        let name = f.name.as_deref().expect("the baseline names its freezes");
        let e = frozen
            .iter()
            .find(|e| e.summary.contains(name))
            .unwrap_or_else(|| panic!("no event for freeze `{name}`"));
        assert_eq!(e.start, f.range.from);
        assert_eq!(e.end, f.range.to.tomorrow().expect("a day after"));
    }
    assert!(
        !events.iter().any(|e| e.uid.starts_with("blackout-")),
        "blackouts only when narrowed to a department"
    );
    assert_eq!(
        events.len(),
        events.iter().map(|e| &e.uid).collect::<BTreeSet<_>>().len(),
        "UIDs are unique"
    );
    assert!(
        events.iter().all(|e| e.sequence == Some(0)),
        "no `today` in the baseline: sequence 0"
    );
}

#[test]
fn the_calendar_is_the_same_bytes_and_uids_on_every_run() {
    let a = shipped_calendar(&[]);
    let b = shipped_calendar(&[]);
    assert!(a == b, "two runs give byte-identical calendars");
    let uids =
        |bytes: &[u8]| -> Vec<String> { parse(bytes).1.into_iter().map(|e| e.uid).collect() };
    assert_eq!(uids(&a), uids(&b));
}

#[test]
fn department_narrows_the_calendar_to_its_cutovers_and_blackouts() {
    let (cal, events) = parse(&shipped_calendar(&["--department", "DSI"]));
    assert_eq!(cal.get_name(), Some("waveplan: baseline, DSI"));
    check_cutovers(&events, Some("DSI"));
    assert!(
        events
            .iter()
            .all(|e| e.uid.starts_with("dept-DSI-") || e.uid.starts_with("freeze-")),
        "only DSI's cutovers and the freezes"
    );
    // DSF has blackouts (its tax seasons): they are its events, and nobody else's.
    let (_, dsf) = parse(&shipped_calendar(&["--department", "DSF"]));
    let blackouts: Vec<&Read> = dsf
        .iter()
        .filter(|e| e.uid.starts_with("blackout-"))
        .collect();
    assert_eq!(blackouts.len(), 2, "{blackouts:?}");
    for b in &blackouts {
        assert!(b.uid.starts_with("blackout-DSF-tax-season-"), "{}", b.uid);
        assert!(b.summary.contains("tax season"), "{}", b.summary);
    }
}

#[test]
fn an_unknown_department_is_invalid_input_with_a_suggestion() {
    let Ran { code, out, err, .. } = Ran::of(
        waveplan(&root())
            .args(["report", "plans/baseline.plan.yaml", "--format", "ics"])
            .args(["--department", "dsi"]),
    );
    assert_eq!(code, Some(1));
    assert!(out.is_empty(), "no calendar is printed");
    assert!(
        err.contains("there is no department `dsi` in the inventory; did you mean `DSI`?"),
        "{err}"
    );
}

#[test]
fn department_is_refused_for_the_other_formats() {
    for args in [&["--format", "md"][..], &["-o", "r.html"][..], &[][..]] {
        let r = Ran::of(
            waveplan(&root())
                .args(["report", "plans/baseline.plan.yaml", "--department", "DSI"])
                .args(args),
        );
        assert_eq!(r.code, Some(2), "{args:?}");
        assert!(
            r.err.contains("--department narrows the calendar only"),
            "{args:?}"
        );
    }
}

#[test]
fn the_calendar_format_follows_a_dot_ics_output_and_plan_report() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = fixture("report");
    let path = tmp.path().join("waves.ics");
    waveplan(&dir)
        .args(["report", "plans/small.plan.yaml", "-i", "inventories"])
        .args(["-s", "plans/small.yaml", "--department", "GCS", "-o"])
        .arg(&path)
        .assert()
        .success()
        .stdout("");
    let (_, events) = parse(&std::fs::read(&path).expect("written"));
    assert!(
        events
            .iter()
            .any(|e| e.uid == "blackout-GCS-budget-address-20190304@small.waveplan")
    );
    let report = tmp.path().join("p.ics");
    let r = Ran::of(
        waveplan(&dir)
            .args(["plan", "-i", "inventories", "-s", "plans/small.yaml"])
            .args(["--effort", "200", "-o"])
            .arg(tmp.path().join("p.yaml"))
            .arg("--report")
            .arg(&report),
    );
    assert_eq!(r.code, Some(3), "one service cannot be placed");
    let (_, events) = parse(&std::fs::read(&report).expect("report written"));
    assert!(events.iter().any(|e| e.uid.starts_with("dept-DSI-wave-")));
}

#[test]
fn the_small_calendar_snapshot() {
    let r = Ran::of(
        waveplan(&fixture("report"))
            .args(["report", "plans/small.plan.yaml", "-i", "inventories"])
            .args([
                "-s",
                "plans/small.yaml",
                "--format",
                "ics",
                "--department",
                "DSI",
            ]),
    );
    assert_eq!(r.code, Some(0));
    let text = String::from_utf8(r.out_bytes)
        .expect("utf-8")
        .replace(
            &format!("waveplan {}", env!("CARGO_PKG_VERSION")),
            "waveplan [version]",
        )
        // CRLF is checked above; the snapshot file is easier to review with plain LF.
        .replace("\r\n", "\n");
    let mut s = insta::Settings::clone_current();
    s.set_snapshot_path("snapshots");
    s.set_prepend_module_to_snapshot(false);
    s.bind(|| insta::assert_snapshot!("report_small_ics_dsi", text));
}

#[test]
fn a_resumed_plan_stamps_its_events_with_today() {
    // `today` is what a re-plan mid-migration moves on; DTSTAMP and SEQUENCE follow it so a
    // later calendar outranks an earlier one.
    // A real re-plan: the plan as made keeps a service in a wave before the new `today`,
    // which no report accepts; the resumed one records what has happened by then.
    let dir = tempfile::tempdir().unwrap();
    let resumed = dir.path().join("resumed.plan.yaml");
    let r = Ran::of(
        waveplan(&fixture("report"))
            .args(["plan", "-i", "inventories", "-s", "plans/small.yaml"])
            .args(["--resume", "plans/small.plan.yaml"])
            .args(["--set", "calendar.today=2019-01-21", "-o"])
            .arg(&resumed),
    );
    assert_eq!(r.code, Some(3), "{}", r.err);
    let r = Ran::of(
        waveplan(&fixture("report"))
            .arg("report")
            .arg(&resumed)
            .args([
                "-i",
                "inventories",
                "-s",
                "plans/small.yaml",
                "--format",
                "ics",
            ]),
    );
    assert_eq!(r.code, Some(0), "{}", r.err);
    let text = String::from_utf8(r.out_bytes).expect("utf-8");
    assert!(text.contains("DTSTAMP:20190121T000000Z\r\n"));
    let (_, events) = parse(text.as_bytes());
    assert!(events.iter().all(|e| e.sequence == Some(14)), "{events:?}");
}
