//! The calendar report (`report --format ics`): an iCalendar file (RFC 5545) with one
//! all-day event per department and wave in which that department has cutovers, one per
//! calendar freeze and, when narrowed to a department, one per blackout of that department.
//!
//! Made for importing again after every re-plan, so an event's identity never depends on its
//! content: its `UID` names what the event is about (a department's cutover wave, a freeze by
//! name and first day), and `DTSTAMP` and `SEQUENCE` come from the scenario's calendar, not
//! the clock, so the same plan gives the same bytes. docs/calendar.md says what an import of
//! a re-plan does. Renders [`ReportData`] only, like every report; content lines are in
//! [`line`].

mod line;

use std::collections::{BTreeMap, BTreeSet};

use jiff::civil::Date;

use super::ReportData;
use super::facts::{DepartmentRow, ServiceRow};
use super::fmt::{plural_of, wave_span};
use super::settings::{Period, UNNAMED_FREEZE};
use crate::model::Calendar;
use line::{Lines, basic_date};

/// Longest slug of a freeze's name or a blackout's reason in a `UID`, in characters: enough
/// to tell two periods starting on one day apart, short enough to keep the `UID` readable.
const MAX_SLUG: usize = 40;

/// One all-day event.
struct Event {
    /// What the event is about, without the `@…` domain; made unique by [`Uids`].
    key: String,
    summary: String,
    description: String,
    /// First day.
    first: Date,
    /// Last day (inclusive; the file's `DTEND` is the day after).
    last: Date,
}

/// Renders the calendar of `data`; with `department` (a code) only that department's
/// cutovers and blackouts, and the freezes, which hold for everyone.
#[must_use]
pub fn render(data: &ReportData, department: Option<&str>) -> String {
    let s = &data.settings;
    let cal = Calendar {
        start: s.start,
        wave_length_days: s.wave_length_days,
        max_waves: s.max_waves,
        today: s.today,
        freezes: Vec::new(),
    };
    let departments: BTreeMap<&str, &DepartmentRow> = data
        .departments
        .iter()
        .map(|d| (d.code.as_str(), d))
        .collect();
    let mut events = cutovers(data, &cal, &departments, department);
    events.extend(freezes(data, &cal));
    if let Some(code) = department {
        events.extend(blackouts(data, &cal, &departments, code));
    }

    let scenario = &data.summary.scenario;
    let mut out = Lines::default();
    out.raw("BEGIN", "VCALENDAR");
    out.raw("VERSION", "2.0");
    out.text(
        "PRODID",
        &format!("-//waveplan//waveplan {}//EN", env!("CARGO_PKG_VERSION")),
    );
    out.raw("CALSCALE", "GREGORIAN");
    out.raw("METHOD", "PUBLISH");
    let name = match department {
        Some(code) => format!("waveplan: {scenario}, {code}"),
        None => format!("waveplan: {scenario}"),
    };
    out.text("X-WR-CALNAME", &name);
    let (stamp, sequence) = stamp(&cal);
    let mut uids = Uids::default();
    for e in events {
        out.raw("BEGIN", "VEVENT");
        out.text(
            "UID",
            &format!("{}@{scenario}.waveplan", uids.unique(e.key)),
        );
        out.raw("DTSTAMP", &format!("{}T000000Z", basic_date(stamp)));
        out.raw("SEQUENCE", &sequence.to_string());
        out.date("DTSTART", e.first);
        match e.last.tomorrow() {
            Ok(end) => out.date("DTEND", end),
            // The last day jiff knows: the length says the same without naming the day after.
            Err(_) => out.raw(
                "DURATION",
                &format!("P{}D", cal.day_of(e.last) - cal.day_of(e.first) + 1),
            ),
        }
        out.text("SUMMARY", &e.summary);
        out.text("DESCRIPTION", &e.description);
        // Information about the plan, not an appointment: it must not show anyone as busy.
        out.raw("TRANSP", "TRANSPARENT");
        out.raw("END", "VEVENT");
    }
    out.raw("END", "VCALENDAR");
    out.into_string()
}

/// `DTSTAMP` and `SEQUENCE` of every event: the scenario's `today` and its distance in days
/// from the calendar start, or the start and 0 when there is no `today`. A re-plan made
/// later in the migration (`plan --resume` moves `today` on) therefore outranks the one
/// before it in a client that compares them, and the same plan always gives the same bytes.
fn stamp(cal: &Calendar) -> (Date, i64) {
    match cal.today {
        Some(today) => (today, cal.day_of(today).max(0)),
        None => (cal.start, 0),
    }
}

/// One event per department and wave with cutovers, by wave, then department code.
fn cutovers(
    data: &ReportData,
    cal: &Calendar,
    departments: &BTreeMap<&str, &DepartmentRow>,
    only: Option<&str>,
) -> Vec<Event> {
    let mut groups: BTreeMap<(u32, &str), Vec<&ServiceRow>> = BTreeMap::new();
    for s in &data.services {
        let Some(wave) = s.cutover_wave else {
            continue;
        };
        if only.is_some_and(|code| code != s.department) {
            continue;
        }
        groups
            .entry((wave, s.department.as_str()))
            .or_default()
            .push(s);
    }
    groups
        .into_iter()
        .map(|((wave, code), mut services)| {
            services.sort_by(|a, b| a.id.cmp(&b.id));
            let range = cal.wave_range(wave);
            let dept = departments.get(code).copied();
            let summary = match dept {
                Some(d) => format!("waveplan: {code} cutover, wave {wave} – {}", d.name),
                None => format!("waveplan: {code} cutover, wave {wave}"),
            };
            let mut description = String::new();
            if let Some(d) = dept {
                description.push_str(&department_title(d));
                description.push('\n');
            }
            let verb = if services.len() == 1 { "cuts" } else { "cut" };
            description.push_str(&format!(
                "Wave {wave}: {} to {}\n{} {verb} over:\n",
                range.from,
                range.to,
                plural_of(services.len(), "service"),
            ));
            for s in &services {
                description.push_str(&format!("- {}: {}", s.id, s.name));
                // A migration of several waves cuts over in its last one; the event is that
                // wave, so say where the work began.
                if let Some(start) = s.start_wave.filter(|&w| w < wave) {
                    description.push_str(&format!(" (migration started in wave {start})"));
                }
                description.push('\n');
            }
            description.push_str(&format!("Scenario: {}", data.summary.scenario));
            Event {
                key: format!("dept-{code}-wave-{wave}"),
                summary,
                description,
                first: range.from,
                last: range.to,
            }
        })
        .collect()
}

/// One event per calendar freeze, in the scenario's order.
fn freezes(data: &ReportData, cal: &Calendar) -> Vec<Event> {
    data.settings
        .freezes
        .iter()
        .map(|f| {
            let named = (f.name != UNNAMED_FREEZE).then_some(f.name.as_str());
            let summary = match named {
                Some(n) => format!("waveplan: freeze – {n}"),
                None => "waveplan: calendar freeze".to_owned(),
            };
            let mut description = format!(
                "Calendar freeze, {} to {}: no migration may occupy a wave that overlaps it",
                f.from, f.to
            );
            if let Some(waves) = waves_touched(cal, f) {
                description.push_str(&format!(" ({waves})"));
            }
            description.push_str(&format!(".\nScenario: {}", data.summary.scenario));
            Event {
                key: period_key("freeze", named, f.from),
                summary,
                description,
                first: f.from,
                last: f.to,
            }
        })
        .collect()
}

/// One event per blackout of department `code`, by first day.
fn blackouts(
    data: &ReportData,
    cal: &Calendar,
    departments: &BTreeMap<&str, &DepartmentRow>,
    code: &str,
) -> Vec<Event> {
    let title = departments
        .get(code)
        .map_or_else(|| code.to_owned(), |d| department_title(d));
    data.settings
        .blackouts
        .iter()
        .filter(|b| b.name == code)
        .map(|b| {
            let reason = b.reason.as_deref();
            let summary = match reason {
                Some(r) => format!("waveplan: {code} blackout – {r}"),
                None => format!("waveplan: {code} blackout"),
            };
            let mut description = format!(
                "{title}\nBlackout, {} to {}: none of its services may occupy a wave that overlaps it",
                b.from, b.to
            );
            if let Some(waves) = waves_touched(cal, b) {
                description.push_str(&format!(" ({waves})"));
            }
            description.push_str(&format!(".\nScenario: {}", data.summary.scenario));
            Event {
                key: period_key(&format!("blackout-{code}"), reason, b.from),
                summary,
                description,
                first: b.from,
                last: b.to,
            }
        })
        .collect()
}

/// `Identification Services Bureau (身份證明局)`, or the English name alone.
fn department_title(d: &DepartmentRow) -> String {
    match &d.local_name {
        Some(local) => format!("{} ({local})", d.name),
        None => d.name.clone(),
    }
}

/// The waves a period touches, as `wave 3` or `waves 3–4`; `None` when it ends before wave 1.
fn waves_touched(cal: &Calendar, p: &Period) -> Option<String> {
    let len = i64::from(cal.wave_length_days.max(1));
    let last = cal.day_of(p.to);
    if last < 0 {
        return None;
    }
    let wave = |day: i64| u32::try_from(day / len + 1).unwrap_or(u32::MAX);
    Some(wave_span(wave(cal.day_of(p.from).max(0)), wave(last)))
}

/// `freeze-lunar-new-year-2019-20190204`: the kind, the name's slug when it has one, the
/// first day.
fn period_key(kind: &str, name: Option<&str>, from: Date) -> String {
    let slug = name.map(slug).unwrap_or_default();
    if slug.is_empty() {
        format!("{kind}-{}", basic_date(from))
    } else {
        format!("{kind}-{slug}-{}", basic_date(from))
    }
}

/// Lower-case ASCII letters and digits of `name`, runs of anything else as one `-`, at most
/// [`MAX_SLUG`] characters: `Lunar New Year 2019` → `lunar-new-year-2019`. A name in another
/// script has an empty slug; the first day and [`Uids`] still tell its events apart.
fn slug(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            if out.len() == MAX_SLUG {
                break;
            }
            out.push(c.to_ascii_lowercase());
        } else if !out.is_empty() && !out.ends_with('-') && out.len() < MAX_SLUG {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_owned()
}

/// The keys handed out so far: a second event with the same key (two freezes of one name
/// starting on one day) gets `-2`, a third `-3`, in the order they are written.
#[derive(Default)]
struct Uids(BTreeSet<String>);

impl Uids {
    fn unique(&mut self, key: String) -> String {
        let mut candidate = key.clone();
        let mut n = 1u32;
        while self.0.contains(&candidate) {
            n += 1;
            candidate = format!("{key}-{n}");
        }
        self.0.insert(candidate.clone());
        candidate
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn slugs_keep_ascii_words_and_drop_the_rest() {
        assert_eq!(slug("Lunar New Year 2019"), "lunar-new-year-2019");
        assert_eq!(
            slug("  SAR 20th anniversary, and year-end!"),
            "sar-20th-anniversary-and-year-end"
        );
        assert_eq!(slug("春節"), "");
        assert_eq!(slug("春節 2019"), "2019");
        assert!(slug(&"word ".repeat(30)).len() <= MAX_SLUG);
        assert!(!slug(&"word ".repeat(30)).ends_with('-'));
    }

    #[test]
    fn period_keys_name_the_kind_the_name_and_the_first_day() {
        let d = date(2019, 2, 4);
        assert_eq!(
            period_key("freeze", Some("Lunar New Year"), d),
            "freeze-lunar-new-year-20190204"
        );
        assert_eq!(period_key("freeze", None, d), "freeze-20190204");
        assert_eq!(period_key("freeze", Some("春節"), d), "freeze-20190204");
        assert_eq!(
            period_key("blackout-DSI", Some("peak"), d),
            "blackout-DSI-peak-20190204"
        );
    }

    #[test]
    fn repeated_keys_get_a_counter() {
        let mut u = Uids::default();
        assert_eq!(u.unique("freeze-20190204".to_owned()), "freeze-20190204");
        assert_eq!(u.unique("freeze-20190204".to_owned()), "freeze-20190204-2");
        assert_eq!(u.unique("freeze-20190204".to_owned()), "freeze-20190204-3");
        assert_eq!(u.unique("freeze-20190205".to_owned()), "freeze-20190205");
    }

    fn calendar(today: Option<Date>) -> Calendar {
        Calendar {
            start: date(2019, 1, 7),
            wave_length_days: 14,
            max_waves: 10,
            today,
            freezes: Vec::new(),
        }
    }

    #[test]
    fn the_stamp_is_today_and_its_day_number_else_the_start() {
        assert_eq!(stamp(&calendar(None)), (date(2019, 1, 7), 0));
        assert_eq!(
            stamp(&calendar(Some(date(2019, 3, 4)))),
            (date(2019, 3, 4), 56)
        );
        assert_eq!(
            stamp(&calendar(Some(date(2018, 12, 31)))),
            (date(2018, 12, 31), 0)
        );
    }

    #[test]
    fn periods_name_the_waves_they_touch() {
        let cal = calendar(None);
        let p = |from, to| Period {
            name: String::new(),
            reason: None,
            from,
            to,
        };
        assert_eq!(
            waves_touched(&cal, &p(date(2019, 2, 4), date(2019, 2, 10))).as_deref(),
            Some("wave 3")
        );
        assert_eq!(
            waves_touched(&cal, &p(date(2019, 1, 1), date(2019, 1, 21))).as_deref(),
            Some("waves 1–2")
        );
        assert_eq!(
            waves_touched(&cal, &p(date(2018, 1, 1), date(2018, 1, 2))),
            None
        );
    }
}
