//! Why a unit is unscheduled: the SPEC 4 rule that made placement impossible, with numbers.
//!
//! Owns the wording of `unscheduled[].reason`. Must not change the plan: it only looks at
//! the final placements.

use std::collections::BTreeMap;

use crate::model::words::{plural, plural_of, wave_span};
use crate::model::{Criticality, Inventory, Order, Resource, Rule, Scenario, ServiceIx};

use super::problem::{NONE, Problem, Renewable, Unit};
use super::profile::{Breach, Profile};

/// A rule and its reason.
pub(crate) type Why = (Rule, String);

/// Formats a number with at most three decimals.
pub(crate) fn num(x: f64) -> String {
    let r = (x * 1000.0).round() / 1000.0;
    let s = format!("{r:.3}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" {
        "0".to_owned()
    } else {
        s.to_owned()
    }
}

/// Explains every unscheduled service: (service, rule, reason).
pub(crate) fn explain(
    pb: &Problem,
    inv: &Inventory,
    sc: &Scenario,
    cut: &[u32],
    prof: &mut Profile,
) -> Vec<(ServiceIx, Rule, String)> {
    let makespan = cut.iter().copied().max().unwrap_or(0);
    let mut out = Vec::new();
    for (u, unit) in pb.units.iter().enumerate() {
        if cut[u] != 0 {
            continue;
        }
        let dep = pb.preds(u).iter().any(|&(p, _)| cut[p as usize] == 0);
        let shared = if dep {
            dependency(pb, inv, sc, unit, cut)
        } else {
            placement(pb, inv, sc, u, cut, prof, makespan)
        };
        for m in &unit.members {
            let svc = &inv.services[m.svc];
            let (mut rule, mut reason) = match &shared {
                Shared::Each(map) => map.get(&m.svc).cloned().unwrap_or_else(|| {
                    map.values()
                        .next()
                        .cloned()
                        .unwrap_or((Rule::DependencyUnscheduled, String::new()))
                }),
                Shared::All(w) => w.clone(),
            };
            if unit.pin.is_some() {
                let pinned = sc.pins.get(&svc.id);
                reason = match pinned {
                    Some(p) => format!("pinned to wave {p}, which cannot hold: {reason}"),
                    None => {
                        let (who, p) = unit
                            .members
                            .iter()
                            .find_map(|x| {
                                sc.pins
                                    .get(&inv.services[x.svc].id)
                                    .map(|p| (&inv.services[x.svc].id, p))
                            })
                            .map_or((String::new(), 0), |(i, p)| (i.to_string(), *p));
                        format!(
                            "must cut over with `{who}`, pinned to wave {p}, which cannot hold: {reason}"
                        )
                    }
                };
                rule = Rule::Pin;
            } else if unit.members.len() > 1 && matches!(shared, Shared::All(_)) {
                reason = format!(
                    "{reason} (together with the {} it must share a cutover wave with)",
                    plural_of(unit.members.len() - 1, "service")
                );
            }
            out.push((m.svc, rule, reason));
        }
    }
    out
}

enum Shared {
    /// One reason per member.
    Each(BTreeMap<ServiceIx, Why>),
    /// The same reason for every member.
    All(Why),
}

fn dependency(pb: &Problem, inv: &Inventory, sc: &Scenario, unit: &Unit, cut: &[u32]) -> Shared {
    let order = sc.rules.dependency_order;
    let own = pb.unit_of[unit.members[0].svc];
    let mut map = BTreeMap::new();
    let mut first: Option<String> = None;
    for m in &unit.members {
        let svc = &inv.services[m.svc];
        let blocker = svc.depends_on.iter().find(|e| {
            let ub = pb.unit_of.get(e.target.pos()).copied().unwrap_or(NONE);
            ub != NONE
                && ub != own
                && cut[ub as usize] == 0
                && (e.effective_order(order) != Order::Any || e.latency_sensitive)
        });
        if let Some(e) = blocker {
            let id = inv.services[e.target].id.to_string();
            first.get_or_insert_with(|| {
                format!("`{}`, which depends on unscheduled `{id}`", svc.id)
            });
            map.insert(
                m.svc,
                (
                    Rule::DependencyUnscheduled,
                    format!("depends on unscheduled `{id}`"),
                ),
            );
        }
    }
    let other = first.unwrap_or_default();
    for m in &unit.members {
        map.entry(m.svc).or_insert_with(|| {
            (
                Rule::DependencyUnscheduled,
                format!("must cut over with {other}"),
            )
        });
    }
    Shared::Each(map)
}

fn placement(
    pb: &Problem,
    inv: &Inventory,
    sc: &Scenario,
    u: usize,
    cut: &[u32],
    prof: &mut Profile,
    makespan: u32,
) -> Shared {
    let unit = &pb.units[u];
    if unit.self_strict {
        return Shared::All((
            Rule::StrictlyBefore,
            "a strictly-before edge joins services that must share a cutover wave".to_owned(),
        ));
    }
    if let Some(w) = static_capacity(pb, inv, unit) {
        return Shared::All(w);
    }
    let (lo, hi) = (unit.lo.max(unit.dur), unit.hi);
    if lo > hi {
        return Shared::All(empty_window(pb, inv, sc, unit));
    }
    // Earliest cutover the scheduled dependencies allow.
    let mut est = lo;
    let mut binding: Option<(u32, u32)> = None;
    for &(p, lag) in pb.preds(u) {
        let e = cut[p as usize] + lag;
        if e > est {
            est = e;
            binding = Some((p, lag));
        }
    }
    if est > hi {
        let (p, lag) = binding.unwrap_or((0, 0));
        let order = sc.rules.dependency_order;
        let (id, ord) = unit
            .members
            .iter()
            .flat_map(|m| inv.services[m.svc].depends_on.iter())
            .find(|e| pb.unit_of.get(e.target.pos()).copied() == Some(p))
            .map_or(
                (
                    String::new(),
                    if lag > 0 {
                        Order::StrictlyBefore
                    } else {
                        Order::TogetherOrBefore
                    },
                ),
                |e| {
                    (
                        inv.services[e.target].id.to_string(),
                        e.effective_order(order),
                    )
                },
            );
        let rule = match ord {
            Order::StrictlyBefore => Rule::StrictlyBefore,
            Order::TogetherOrBefore => Rule::TogetherOrBefore,
            // An unordered edge constrains only when it is latency-sensitive.
            Order::Any => Rule::LatencySensitive,
        };
        return Shared::All((
            rule,
            format!(
                "depends on `{id}` (cutover wave {}), so cannot cut over before wave {est}; the latest wave allowed is {hi}",
                cut[p as usize]
            ),
        ));
    }
    // Try every wave and tally what stops each.
    let mut tally: BTreeMap<Rule, (u32, String)> = BTreeMap::new();
    for c in est..=hi {
        let why = if pb.calendar_ok(unit, c) {
            match prof.breach_exact(pb, unit, c, makespan) {
                Some(b) => breach_reason(pb, inv, b),
                None => continue,
            }
        } else {
            calendar_reason(pb, inv, sc, unit, c)
        };
        let e = tally.entry(why.0).or_insert((0, why.1));
        e.0 += 1;
    }
    let best = tally
        .into_iter()
        .max_by(|a, b| a.1.0.cmp(&b.1.0).then(b.0.name().cmp(&a.0.name())));
    match best {
        Some((rule, (count, reason))) => {
            let tried = wave_span(est, hi);
            let fail = match (count, est == hi) {
                (1, true) => format!("{tried} fails this way"),
                (1, false) => format!("1 of {tried} fails this way"),
                _ => format!("{count} of {tried} fail this way"),
            };
            // The horizon stops where every later wave is alike (`needed_horizon`), so what
            // fails up to it fails up to `max_waves` too.
            let beyond = if hi == pb.h && pb.h < pb.max_waves {
                format!(
                    "; no later wave up to max_waves {} fits either",
                    pb.max_waves
                )
            } else {
                String::new()
            };
            Shared::All((
                rule,
                format!("no cutover wave fits ({fail}{beyond}); e.g. {reason}"),
            ))
        }
        None => Shared::All((
            Rule::MaxWaves,
            format!("no cutover wave in {} fits", wave_span(est, hi)),
        )),
    }
}

fn static_capacity(pb: &Problem, inv: &Inventory, unit: &Unit) -> Option<Why> {
    for &(_, r, a) in &unit.ren {
        let cap = pb.ren_cap[r as usize];
        if a > cap {
            let shown = raw_cap(cap);
            return Some(match &pb.ren_kind[r as usize] {
                Renewable::Transfer => (
                    Rule::Transfer,
                    format!("copies {} GiB per wave; capacity is {}", num(a), num(shown)),
                ),
                Renewable::Team(t) => (
                    Rule::Team(t.clone()),
                    format!(
                        "needs {} {t} person-days per wave; capacity is {}",
                        num(a),
                        num(shown)
                    ),
                ),
            });
        }
    }
    for &(d, n) in &unit.depts {
        let cap = pb.dept_cap[d as usize];
        if n > cap {
            let code = &inv.departments[pb.dept_of_cap[d as usize]].code;
            return Some((
                Rule::PerDepartment,
                format!(
                    "{} of {code} must cut over in one wave; capacity is {cap} per wave",
                    plural(n, "service")
                ),
            ));
        }
    }
    if (unit.lo.max(unit.dur)..=unit.hi)
        .all(|w| pb.cut_cap[w as usize] != NONE && unit.cuts > pb.cut_cap[w as usize])
        && unit.lo.max(unit.dur) <= unit.hi
    {
        let cap = pb.cut_cap[unit.hi as usize];
        return Some((
            Rule::Cutovers,
            format!(
                "{} must cut over in one wave; capacity is {cap} per wave",
                plural(unit.cuts, "service")
            ),
        ));
    }
    if let Some(caps) = &pb.tgt_cap {
        let total = unit.tgt.iter().fold([0.0; 3], |mut acc, (_, r)| {
            for j in 0..3 {
                acc[j] += r[j];
            }
            acc
        });
        for j in 0..3 {
            let most = (1..=pb.h as usize)
                .map(|w| caps[w][j])
                .fold(f64::NEG_INFINITY, f64::max);
            if total[j] > most {
                return Some((
                    Rule::Target(Resource::ALL[j]),
                    format!(
                        "needs {} {} on the target; at most {} is ever available",
                        num(total[j]),
                        Resource::ALL[j].name(),
                        num(raw_cap(most))
                    ),
                ));
            }
        }
    }
    None
}

/// The capacity as written, from one with the tolerance added.
fn raw_cap(with_tol: f64) -> f64 {
    if with_tol <= 1.0 + 1e-6 {
        (with_tol - 1e-6).max(0.0)
    } else {
        with_tol / (1.0 + 1e-6)
    }
}

fn breach_reason(pb: &Problem, inv: &Inventory, b: Breach) -> Why {
    match b {
        Breach::Cutovers { w, used, add, cap } => (
            Rule::Cutovers,
            format!(
                "wave {w} already has {}, {add} more would exceed its capacity of {cap}",
                plural(used, "cutover")
            ),
        ),
        Breach::Department {
            d,
            w,
            used,
            add,
            cap,
        } => (
            Rule::PerDepartment,
            format!(
                "{} already has {} in wave {w}, {add} more would exceed its capacity of {cap}",
                inv.departments[pb.dept_of_cap[d as usize]].code,
                plural(used, "cutover")
            ),
        ),
        Breach::Renewable { r, w, used, add } => {
            let cap = num(raw_cap(pb.ren_cap[r as usize]));
            match &pb.ren_kind[r as usize] {
                Renewable::Transfer => (
                    Rule::Transfer,
                    format!(
                        "wave {w} already copies {} GiB, {} more would exceed its capacity of {cap}",
                        num(used),
                        num(add)
                    ),
                ),
                Renewable::Team(t) => (
                    Rule::Team(t.clone()),
                    format!(
                        "wave {w} already uses {} {t} person-days, {} more would exceed its capacity of {cap}",
                        num(used),
                        num(add)
                    ),
                ),
            }
        }
        // Below zero the services already placed overrun a production cloud that shrinks
        // before the wave this one would make the plan run to: nothing this service needs
        // could fit there.
        Breach::Target { j, w, free, .. } if free < 0.0 => (
            Rule::Target(Resource::ALL[j]),
            format!(
                "the plan cannot run to wave {w}: from then on the target is {} {} short of what the services already in the plan use",
                num(-free),
                Resource::ALL[j].name()
            ),
        ),
        Breach::Target { j, w, free, add } => (
            Rule::Target(Resource::ALL[j]),
            format!(
                "from wave {w} on, as little as {} {} is free on the target and this needs {}",
                num(free),
                Resource::ALL[j].name(),
                num(add)
            ),
        ),
    }
}

fn calendar_reason(pb: &Problem, inv: &Inventory, sc: &Scenario, unit: &Unit, c: u32) -> Why {
    let cal = &sc.calendar;
    for m in &unit.members {
        let svc = &inv.services[m.svc];
        if c < m.d {
            return (
                Rule::MaxWaves,
                format!("cutting over in wave {c} would start before wave 1"),
            );
        }
        for w in (c + 1 - m.d)..=c {
            if w < pb.today_first {
                return (
                    Rule::Today,
                    format!(
                        "`{}` would occupy wave {w}, which starts {} before today",
                        svc.id,
                        cal.wave_start(w)
                    ),
                );
            }
            if cal.is_frozen(w) {
                return (
                    Rule::Freeze,
                    format!(
                        "`{}` would occupy wave {w}, which overlaps a freeze",
                        svc.id
                    ),
                );
            }
            let range = cal.wave_range(w);
            let dept = &inv.departments[svc.department];
            if dept.blackouts.iter().any(|b| b.range.overlaps(&range)) {
                return (
                    Rule::Blackout,
                    format!(
                        "`{}` would occupy wave {w}, which overlaps a blackout of {}",
                        svc.id, dept.code
                    ),
                );
            }
        }
    }
    (
        Rule::Freeze,
        format!("wave {c} is not open to these services"),
    )
}

fn empty_window(pb: &Problem, inv: &Inventory, sc: &Scenario, unit: &Unit) -> Why {
    let cal = &sc.calendar;
    // The binding earliest and latest limits, with their rules and explanations.
    let mut lo: (u32, Rule, String) = (1, Rule::MaxWaves, "wave 1".to_owned());
    let mut hi: (u32, Rule, String) = (
        pb.max_waves,
        Rule::MaxWaves,
        format!("max_waves {}", pb.max_waves),
    );
    for m in &unit.members {
        let svc = &inv.services[m.svc];
        if m.d > lo.0 {
            lo = (
                m.d,
                Rule::MaxWaves,
                format!("`{}` takes {}", svc.id, plural(m.d, "wave")),
            );
        }
        if let Some(nb) = svc.not_before {
            let w = cal.earliest_cutover(nb, m.d);
            if w > lo.0 {
                lo = (
                    w,
                    Rule::NotBefore,
                    format!("`{}` may not start before {nb}", svc.id),
                );
            }
        }
        if svc.criticality == Criticality::Critical && sc.rules.critical_not_before_wave > lo.0 {
            lo = (
                sc.rules.critical_not_before_wave,
                Rule::CriticalNotBeforeWave,
                format!(
                    "`{}` is critical (critical_not_before_wave {})",
                    svc.id, sc.rules.critical_not_before_wave
                ),
            );
        }
        if let Some(dl) = svc.deadline {
            let w = cal.last_wave_ending_on_or_before(dl);
            if w < hi.0 {
                hi = (w, Rule::Deadline, format!("`{}` has deadline {dl}", svc.id));
            }
        }
        if let Some(dc) = sc.decommission_by(svc.site) {
            let w = cal.last_wave_ending_on_or_before(dc);
            if w < hi.0 {
                hi = (
                    w,
                    Rule::DecommissionBy,
                    format!("{} is decommissioned by {dc}", svc.site.as_str()),
                );
            }
        }
    }
    if let Some(p) = unit.pin {
        if p < lo.0 {
            hi = (p, Rule::Pin, format!("pinned to wave {p}"));
        } else {
            lo = (p, Rule::Pin, format!("pinned to wave {p}"));
        }
    }
    let rule = if hi.1 == Rule::Pin || lo.1 == Rule::Pin {
        Rule::Pin
    } else if hi.1 == Rule::MaxWaves {
        lo.1
    } else {
        hi.1
    };
    (
        rule,
        format!(
            "earliest cutover is wave {} ({}) but the latest is wave {} ({})",
            lo.0, lo.2, hi.0, hi.2
        ),
    )
}

/// Why unit `u` cannot cut over in wave `c` with the placements in `prof` (the plan's
/// makespan is `m`), or `None` when it can as far as calendar, window and capacity go.
pub(crate) fn why_not_at(
    pb: &Problem,
    inv: &Inventory,
    sc: &Scenario,
    u: usize,
    c: u32,
    prof: &mut Profile,
    m: u32,
) -> Option<Why> {
    let unit = &pb.units[u];
    let lo = unit.lo.max(unit.dur);
    if c < lo {
        return Some((
            Rule::NotBefore,
            format!("its windows now allow no cutover before wave {lo}"),
        ));
    }
    if c > unit.hi {
        return Some((
            Rule::Deadline,
            format!("its windows now allow no cutover after wave {}", unit.hi),
        ));
    }
    if !pb.calendar_ok(unit, c) {
        return Some(calendar_reason(pb, inv, sc, unit, c));
    }
    prof.breach_exact(pb, unit, c, m)
        .map(|b| breach_reason(pb, inv, b))
}
