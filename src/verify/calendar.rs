//! SPEC 4.5, 4.6 and 4.8: frozen waves, department blackouts, `today`, `max_waves`, the
//! not_before / deadline / decommission_by windows, the critical rule and pins; plus the
//! per-wave calendar table those checks and the 4.9 trials share.

use super::Breach;
use super::facts::Facts;
use crate::model::ServiceIx;
use crate::model::{Calendar, Criticality, DateRange, DeptIx, Rule};

/// Which waves `first..=horizon` of the facts no service (or no service of a department)
/// may occupy; read through the accessors, which take wave numbers.
pub(super) struct WaveTable {
    /// The first wave tabulated: row `i` is wave `first + i`.
    first: u32,
    /// The wave overlaps a calendar freeze (this is also the plan's `frozen` flag).
    frozen: Vec<bool>,
    /// The wave starts before `calendar.today`.
    before_today: Vec<bool>,
    /// Per department with blackouts: the wave overlaps one.
    blackout: Vec<Option<Vec<bool>>>,
}

impl WaveTable {
    /// Tabulates the calendar over the facts' waves.
    pub(super) fn new(f: &Facts<'_>) -> Self {
        let cal = &f.sc.calendar;
        let first = f.first.min(f.horizon);
        let waves = first..=f.horizon;
        let frozen = overlap_table(cal, waves.clone(), cal.freezes.iter().map(|z| z.range));
        let before_today = waves
            .clone()
            .map(|k| {
                k >= 1
                    && cal
                        .today
                        .is_some_and(|t| cal.wave_days(k).0 < cal.day_of(t))
            })
            .collect();
        // A focused check tabulates only the departments of the services it looks at.
        let mut wanted = vec![f.focus.is_none(); f.inv.departments.len()];
        for (ix, s) in f.inv.indexed() {
            if f.focus.is_some()
                && f.wanted(ix)
                && f.slots[ix].is_some()
                && let Some(w) = wanted.get_mut(s.department.pos())
            {
                *w = true;
            }
        }
        let blackout = f
            .inv
            .departments
            .iter()
            .zip(&wanted)
            .map(|(d, &wanted)| {
                (wanted && !d.blackouts.is_empty())
                    .then(|| overlap_table(cal, waves.clone(), d.blackouts.iter().map(|b| b.range)))
            })
            .collect();
        Self {
            first,
            frozen,
            before_today,
            blackout,
        }
    }

    /// The row of wave `k`; every caller asks about a tabulated wave.
    fn row(&self, k: u32) -> usize {
        k.saturating_sub(self.first) as usize
    }

    /// Whether wave `k` overlaps a calendar freeze.
    pub(super) fn frozen(&self, k: u32) -> bool {
        self.frozen[self.row(k)]
    }

    /// Whether wave `k` starts before `calendar.today`.
    pub(super) fn before_today(&self, k: u32) -> bool {
        self.before_today[self.row(k)]
    }

    /// Whether department `d`'s services may not occupy wave `k`.
    pub(super) fn blocked(&self, d: DeptIx, k: u32) -> bool {
        self.frozen(k) || self.before_today(k) || self.in_blackout(d, k)
    }

    fn in_blackout(&self, d: DeptIx, k: u32) -> bool {
        let row = self.row(k);
        self.blackout
            .get(d.pos())
            .and_then(Option::as_ref)
            .is_some_and(|t| t[row])
    }
}

/// Per wave of `waves`: does it overlap any of `ranges` (wave 0 never does).
fn overlap_table(
    cal: &Calendar,
    waves: std::ops::RangeInclusive<u32>,
    ranges: impl Iterator<Item = DateRange>,
) -> Vec<bool> {
    let days: Vec<(i64, i64)> = ranges
        .map(|r| (cal.day_of(r.from), cal.day_of(r.to)))
        .collect();
    waves
        .map(|k| {
            let (a, b) = cal.wave_days(k);
            k >= 1 && days.iter().any(|&(from, to)| a <= to && from <= b)
        })
        .collect()
}

/// Checks every scheduled service's waves against the calendar, its windows and its pin.
pub(super) fn check(f: &Facts<'_>, table: &WaveTable, out: &mut Vec<Breach>) {
    let cal = &f.sc.calendar;
    for (ix, slot) in f.slots.iter().enumerate() {
        let Some(slot) = *slot else { continue };
        if !f.wanted(ServiceIx::new(ix)) {
            continue;
        }
        let s = &f.inv.services[ix];
        let id = Some(&s.id);
        let (st, co) = (slot.start, slot.cutover);
        if co > cal.max_waves {
            out.push(Breach::new(
                Rule::MaxWaves,
                id,
                Some(co),
                format!(
                    "{} cuts over in wave {co}, beyond max_waves {}",
                    s.id, cal.max_waves
                ),
            ));
        }
        for k in st.max(1)..=co.min(f.horizon) {
            // The table answers for most waves; dates are worked out only for a breach.
            if !(table.frozen(k) || table.before_today(k) || table.in_blackout(s.department, k)) {
                continue;
            }
            let w = cal.wave_range(k);
            if table.frozen(k) {
                let z = cal.freezes.iter().find(|z| z.range.overlaps(&w));
                let what = z.map_or(String::new(), |z| {
                    format!(
                        " {}{}..{}",
                        z.name.as_ref().map_or(String::new(), |n| format!("{n} ")),
                        z.range.from,
                        z.range.to
                    )
                });
                out.push(Breach::new(
                    Rule::Freeze,
                    id,
                    Some(k),
                    format!(
                        "{} occupies wave {k} ({}..{}) which overlaps freeze{what}",
                        s.id, w.from, w.to
                    ),
                ));
            }
            if table.in_blackout(s.department, k) {
                let dept = &f.inv.departments[s.department];
                let b = dept.blackouts.iter().find(|b| b.range.overlaps(&w));
                let what = b.map_or(String::new(), |b| {
                    format!(" {}..{}", b.range.from, b.range.to)
                });
                out.push(Breach::new(
                    Rule::Blackout,
                    id,
                    Some(k),
                    format!(
                        "{} occupies wave {k} ({}..{}) which overlaps {} blackout{what}",
                        s.id, w.from, w.to, dept.code
                    ),
                ));
            }
            if table.before_today(k) {
                out.push(Breach::new(
                    Rule::Today,
                    id,
                    Some(k),
                    format!(
                        "{} occupies wave {k} starting {} before today {}",
                        s.id,
                        w.from,
                        cal.today.map_or(String::new(), |t| t.to_string())
                    ),
                ));
            }
        }
        if st >= 1 {
            let first = cal.wave_start(st);
            if let Some(nb) = s.not_before.filter(|&nb| first < nb) {
                out.push(Breach::new(
                    Rule::NotBefore,
                    id,
                    Some(st),
                    format!(
                        "{} starts in wave {st} on {first}, before not_before {nb}",
                        s.id
                    ),
                ));
            }
            let last = cal.wave_end(co);
            if let Some(dl) = s.deadline.filter(|&dl| last > dl) {
                out.push(Breach::new(
                    Rule::Deadline,
                    id,
                    Some(co),
                    format!(
                        "{} cuts over in wave {co} ending {last}, after deadline {dl}",
                        s.id
                    ),
                ));
            }
            if let Some(dec) = f.sc.decommission_by(s.site).filter(|&dec| last > dec) {
                out.push(Breach::new(
                    Rule::DecommissionBy,
                    id,
                    Some(co),
                    format!("{} on {} cuts over in wave {co} ending {last}, after decommission_by {dec}", s.id, s.site.as_str()),
                ));
            }
        }
        let cnb = f.sc.rules.critical_not_before_wave;
        if s.criticality == Criticality::Critical && co < cnb {
            out.push(Breach::new(
                Rule::CriticalNotBeforeWave,
                id,
                Some(co),
                format!(
                    "{} is critical and cuts over in wave {co}, before wave {cnb}",
                    s.id
                ),
            ));
        }
        if let Some(&pin) = f.sc.pins.get(&s.id).filter(|&&p| p != co) {
            out.push(Breach::new(
                Rule::Pin,
                id,
                Some(co),
                format!(
                    "{} cuts over in wave {co} but is pinned to wave {pin}",
                    s.id
                ),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testkit::{Fx, want};
    use crate::model::DeptIx;
    use crate::model::{Blackout, Criticality, DateRange, Freeze};
    use jiff::civil::date;

    fn one() -> Fx {
        let mut fx = Fx::new();
        fx.svc("a");
        fx
    }

    #[test]
    fn frozen_waves() {
        let mut fx = one();
        let range = DateRange {
            from: date(2019, 1, 10),
            to: date(2019, 1, 12),
        };
        fx.sc.calendar.freezes.push(Freeze {
            name: Some("cny".to_owned()),
            range,
        });
        assert_eq!(
            fx.breaches(&fx.plan(&[("a", 1)])),
            want(&[("calendar.freeze", Some("a"))])
        );
        assert_eq!(fx.breaches(&fx.plan(&[("a", 2)])), want(&[]));
    }

    #[test]
    fn department_blackouts_apply_to_occupied_waves() {
        let mut fx = one();
        fx.get("a").duration_waves = 2;
        let range = DateRange {
            from: date(2019, 1, 21),
            to: date(2019, 1, 21),
        };
        fx.inv.departments[0].blackouts.push(Blackout {
            range,
            reason: None,
        });
        assert_eq!(
            fx.breaches(&fx.plan(&[("a", 1)])),
            want(&[("calendar.blackout", Some("a"))])
        );
        assert_eq!(fx.breaches(&fx.plan(&[("a", 3)])), want(&[]));
        fx.get("a").department = DeptIx::new(1);
        assert_eq!(fx.breaches(&fx.plan(&[("a", 1)])), want(&[]));
    }

    #[test]
    fn waves_starting_before_today() {
        let mut fx = one();
        fx.sc.calendar.today = Some(date(2019, 1, 8));
        assert_eq!(
            fx.breaches(&fx.plan(&[("a", 1)])),
            want(&[("calendar.today", Some("a"))])
        );
        assert_eq!(fx.breaches(&fx.plan(&[("a", 2)])), want(&[]));
    }

    #[test]
    fn beyond_max_waves() {
        let mut fx = one();
        fx.sc.calendar.max_waves = 2;
        assert_eq!(
            fx.breaches(&fx.plan(&[("a", 3)])),
            want(&[("calendar.max_waves", Some("a"))])
        );
    }

    #[test]
    fn not_before_deadline_and_decommission() {
        let mut fx = one();
        fx.get("a").not_before = Some(date(2019, 1, 8));
        assert_eq!(
            fx.breaches(&fx.plan(&[("a", 1)])),
            want(&[("window.not_before", Some("a"))])
        );
        fx.get("a").not_before = None;
        fx.get("a").deadline = Some(date(2019, 1, 20));
        assert_eq!(fx.breaches(&fx.plan(&[("a", 1)])), want(&[]));
        assert_eq!(
            fx.breaches(&fx.plan(&[("a", 2)])),
            want(&[("window.deadline", Some("a"))])
        );
        fx.get("a").deadline = None;
        fx.sc.sites.datacenter_decommission_by = Some(date(2019, 1, 20));
        assert_eq!(
            fx.breaches(&fx.plan(&[("a", 2)])),
            want(&[("window.decommission_by", Some("a"))])
        );
        fx.get("a").site = crate::model::Site::PilotCloud;
        assert_eq!(fx.breaches(&fx.plan(&[("a", 2)])), want(&[]));
    }

    #[test]
    fn critical_not_before_wave() {
        let mut fx = one();
        fx.get("a").criticality = Criticality::Critical;
        fx.sc.rules.critical_not_before_wave = 3;
        assert_eq!(
            fx.breaches(&fx.plan(&[("a", 2)])),
            want(&[("rules.critical_not_before_wave", Some("a"))])
        );
        assert_eq!(fx.breaches(&fx.plan(&[("a", 3)])), want(&[]));
    }

    #[test]
    fn pins_hold() {
        let mut fx = one();
        fx.sc.pins.insert(crate::model::ServiceId::new("a"), 3);
        assert_eq!(
            fx.breaches(&fx.plan(&[("a", 2)])),
            want(&[("pin", Some("a"))])
        );
        assert_eq!(fx.breaches(&fx.plan(&[("a", 3)])), want(&[]));
    }
}
