//! The bottleneck, named: the wording of the summary's `lower_bound_reason` and the counts of
//! its `binding` list.
//!
//! Owns turning `bound`'s proof into one sentence with its numbers, and deciding in which
//! waves of a finished plan a capacity is *full*. Must not change a placement or a bound.
//!
//! A wave `w` (1..=makespan) is **full** for a capacity when no scheduled service's share of
//! it could be added there, SPEC 4's tolerance of 1e-6 × max(1, capacity) included:
//! - `capacity.transfer_gib` and `capacity.teams.<team>`: the wave's load plus the smallest
//!   per-wave piece (total ÷ `duration_waves`) that any scheduled service places on that
//!   capacity exceeds it;
//! - `capacity.target.<resource>`: the resource held in wave `w` plus the smallest positive
//!   amount of it any scheduled service holds exceeds the step in force on `w` (zero before
//!   the first step);
//! - `capacity.cutovers`: the wave's cutovers have reached its limit (the ramp's entry);
//! - `capacity.per_department`: some department with a scheduled service has reached its
//!   limit in the wave (its `max_cutovers_per_wave`, else the scenario's).
//!
//! Unlimited capacities, and capacities no scheduled service uses, are never full.

use std::collections::BTreeMap;

use crate::model::words::{plural, wave_span};
use crate::model::{
    Binding, BoundPart, BoundReason, Criticality, Inventory, Resource, Rule, Scenario,
};

use super::bound::{Bound, Energy, Source};
use super::diagnose::num;
use super::problem::{Problem, Renewable};

/// Rule name of a precedence chain of two or more units.
pub(crate) const CHAIN_RULE: &str = "dependency chain";
/// Rule name when a unit's own duration is all that keeps it from an earlier wave.
pub(crate) const DURATION_RULE: &str = "duration_waves";
/// Units of a chain listed in full; longer chains show their ends.
const CHAIN_SHOWN: usize = 10;

/// A lower bound as the plan reports it.
pub(crate) struct Proof {
    /// The bound, in waves.
    pub waves: u32,
    /// The rule and sentence behind it (`None` when nothing is scheduled).
    pub reason: Option<BoundReason>,
    /// Every rule's own bound, largest first.
    pub parts: Vec<BoundPart>,
}

/// `bound` worded: the rule and sentence behind it, and every rule's own bound.
pub(crate) fn proof(pb: &Problem, inv: &Inventory, sc: &Scenario, bound: &Bound) -> Proof {
    let mut best: BTreeMap<String, u32> = BTreeMap::new();
    for (waves, source) in &bound.parts {
        let rule = worded(pb, inv, sc, source).0;
        let w = best.entry(rule).or_insert(0);
        *w = (*w).max(*waves);
    }
    let mut parts: Vec<BoundPart> = best
        .into_iter()
        .map(|(rule, waves)| BoundPart { rule, waves })
        .collect();
    parts.sort_by(|a, b| b.waves.cmp(&a.waves).then_with(|| a.rule.cmp(&b.rule)));
    Proof {
        waves: bound.waves,
        reason: bound.source.as_ref().map(|s| {
            let (rule, detail) = worded(pb, inv, sc, s);
            BoundReason { rule, detail }
        }),
        parts,
    }
}

/// The rule and sentence behind one bound.
fn worded(pb: &Problem, inv: &Inventory, sc: &Scenario, source: &Source) -> (String, String) {
    match source {
        Source::Chain { chain } => chain_reason(pb, inv, sc, chain),
        Source::Energy {
            energy,
            from,
            demand,
            wave,
        } => energy_reason(pb, inv, sc, *energy, *from, *demand, *wave),
        Source::Target {
            resource,
            total,
            wave,
        } => {
            let res = Resource::at(*resource).unwrap_or(Resource::Vcpu);
            let what = match res {
                Resource::Vcpu => "vCPU",
                Resource::MemoryGib => "GiB of memory",
                Resource::StorageGib => "GiB of storage",
            };
            let step = match sc.capacity.target_step(sc.calendar.wave_start(*wave)) {
                Some(crate::model::TargetInForce::Step(s)) => {
                    format!(" (its step from {})", s.from)
                }
                _ => String::new(),
            };
            (
                Rule::Target(res).name(),
                format!(
                    "the scheduled services hold {} {what} in all, which the target first provides in wave {wave}{step}",
                    amount(*total)
                ),
            )
        }
    }
}

/// A quantity with thousands separators and at most three decimals: `1,310`, `12.5`.
fn amount(x: f64) -> String {
    let s = num(x);
    let (sign, s) = s.strip_prefix('-').map_or(("", s.as_str()), |r| ("-", r));
    let (int, frac) = s.split_once('.').map_or((s, None), |(i, f)| (i, Some(f)));
    let mut out = String::from(sign);
    for (k, c) in int.chars().enumerate() {
        if k > 0 && (int.len() - k).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    if let Some(f) = frac {
        out.push('.');
        out.push_str(f);
    }
    out
}

/// A unit by its first member's id, with how many share its wave.
fn unit_name(pb: &Problem, inv: &Inventory, u: u32) -> String {
    let members = &pb.units[u as usize].members;
    let id = members
        .first()
        .map_or_else(String::new, |m| inv.services[m.svc].id.to_string());
    match members.len() {
        0 | 1 => id,
        n => format!("{id} (and {} more)", n - 1),
    }
}

fn chain_reason(
    pb: &Problem,
    inv: &Inventory,
    sc: &Scenario,
    chain: &[(u32, u32)],
) -> (String, String) {
    let (Some(&(first, first_wave)), Some(&(_, last_wave))) = (chain.first(), chain.last()) else {
        return (CHAIN_RULE.to_owned(), String::new());
    };
    let (rule, why) = start_cause(pb, inv, sc, first, first_wave);
    let why = if why.is_empty() {
        String::new()
    } else {
        format!(" ({why})")
    };
    if chain.len() == 1 {
        return (
            rule,
            format!(
                "{} cuts over no earlier than wave {first_wave}{why}",
                unit_name(pb, inv, first)
            ),
        );
    }
    let names: Vec<String> = if chain.len() > CHAIN_SHOWN {
        let half = CHAIN_SHOWN / 2;
        let mut v: Vec<String> = chain[..half]
            .iter()
            .map(|&(u, _)| unit_name(pb, inv, u))
            .collect();
        v.push(format!("… {} more …", chain.len() - 2 * half));
        v.extend(
            chain[chain.len() - half..]
                .iter()
                .map(|&(u, _)| unit_name(pb, inv, u)),
        );
        v
    } else {
        chain.iter().map(|&(u, _)| unit_name(pb, inv, u)).collect()
    };
    (
        CHAIN_RULE.to_owned(),
        format!(
            "{} cut over in this order, the first no earlier than wave {first_wave}{why}, the last no earlier than wave {last_wave}",
            names.join(" → ")
        ),
    )
}

/// The rule that keeps unit `u` from cutting over before `wave`, and a few words on it
/// (empty when nothing does: wave 1).
fn start_cause(
    pb: &Problem,
    inv: &Inventory,
    sc: &Scenario,
    u: u32,
    wave: u32,
) -> (String, String) {
    let unit = &pb.units[u as usize];
    let own = unit.lo.max(unit.dur);
    if wave > own {
        return calendar_cause(pb, inv, sc, u, own, wave);
    }
    if unit.pin == Some(wave) {
        return (Rule::Pin.name(), format!("pinned to wave {wave}"));
    }
    let cal = &sc.calendar;
    for (i, m) in unit.members.iter().enumerate() {
        let svc = &inv.services[m.svc];
        if let Some(nb) = svc.not_before
            && cal.earliest_cutover(nb, m.d) == wave
        {
            // The unit goes by its first member's id; another member's date says whose.
            let whose = if i == 0 {
                String::new()
            } else {
                format!(" of {}", svc.id)
            };
            return (Rule::NotBefore.name(), format!("not_before {nb}{whose}"));
        }
    }
    if sc.rules.critical_not_before_wave == wave
        && unit
            .members
            .iter()
            .any(|m| inv.services[m.svc].criticality == Criticality::Critical)
    {
        return (
            Rule::CriticalNotBeforeWave.name(),
            format!("critical services wait until wave {wave}"),
        );
    }
    let why = if wave > 1 {
        format!("its migration lasts {}", plural(wave, "wave"))
    } else {
        String::new()
    };
    (DURATION_RULE.to_owned(), why)
}

/// Which calendar rule closes unit `u`'s cutover waves `own..wave`: the first closed wave a
/// member would occupy when cutting over in `own`.
fn calendar_cause(
    pb: &Problem,
    inv: &Inventory,
    sc: &Scenario,
    u: u32,
    own: u32,
    wave: u32,
) -> (String, String) {
    let cal = &sc.calendar;
    let span = format!("cutover {}", wave_span(own, wave - 1));
    let said =
        |rule: &Rule, why: String| (rule.name(), format!("the calendar rules out {span}: {why}"));
    for m in &pb.units[u as usize].members {
        let svc = &inv.services[m.svc];
        for w in (own + 1).saturating_sub(m.d).max(1)..=own {
            if w < pb.today_first {
                let today = cal.today.map_or_else(String::new, |t| t.to_string());
                return said(&Rule::Today, format!("today is {today}"));
            }
            let range = cal.wave_range(w);
            if let Some(f) = cal.freezes.iter().find(|f| f.range.overlaps(&range)) {
                let name = f.name.as_deref().unwrap_or("a freeze");
                return said(&Rule::Freeze, name.to_owned());
            }
            let dept = &inv.departments[svc.department];
            if dept.blackouts.iter().any(|b| b.range.overlaps(&range)) {
                return said(&Rule::Blackout, format!("blackouts of {}", dept.code));
            }
        }
    }
    said(&Rule::Freeze, "freezes".to_owned())
}

/// One sentence for an energy bound: the demand from wave `from` on, the capacity per wave,
/// the open waves it needs and the wave that makes.
fn energy_reason(
    pb: &Problem,
    inv: &Inventory,
    sc: &Scenario,
    energy: Energy,
    from: u32,
    demand: f64,
    wave: u32,
) -> (String, String) {
    let cal_row = match energy {
        Energy::Department(d) => pb.dept_row.get(d).copied().unwrap_or(0) as usize,
        _ => 0,
    };
    let stride = pb.h as usize + 1;
    let closed_in = |w: u32| {
        let i = cal_row * stride + w as usize;
        pb.cal_pre[i] != pb.cal_pre[i - 1]
    };
    let (rule, what, cap) = match energy {
        Energy::Renewable(r) => match pb.ren_kind.get(r) {
            Some(Renewable::Team(t)) => (
                Rule::Team(t.clone()).name(),
                format!("{t} person-days"),
                sc.capacity
                    .teams
                    .get(t)
                    .copied()
                    .flatten()
                    .map_or_else(String::new, amount),
            ),
            _ => (
                Rule::Transfer.name(),
                "GiB of data".to_owned(),
                sc.capacity.transfer_gib.map_or_else(String::new, amount),
            ),
        },
        Energy::Cutovers => {
            // A ramp may give the open waves different limits.
            let limits: Vec<u32> = (from..=wave)
                .filter(|&w| !closed_in(w))
                .filter_map(|w| sc.capacity.cutovers.limit(w))
                .collect();
            let lo = limits.iter().min().copied().unwrap_or(0);
            let hi = limits.iter().max().copied().unwrap_or(0);
            let cap = if lo == hi {
                lo.to_string()
            } else {
                format!("{lo} to {hi}")
            };
            (Rule::Cutovers.name(), "cutovers".to_owned(), cap)
        }
        Energy::Department(d) => {
            let code = pb
                .dept_of_cap
                .get(d)
                .and_then(|&i| inv.departments.get(i))
                .map_or("?", |x| x.code.as_str());
            (
                Rule::PerDepartment.name(),
                format!("cutovers of {code}"),
                pb.dept_cap.get(d).map_or_else(String::new, u32::to_string),
            )
        }
    };
    let closed = (from..=wave).filter(|&w| closed_in(w)).count() as u32;
    let open = wave + 1 - from - closed;
    let start = if from == 1 {
        "from wave 1".to_owned()
    } else {
        format!("that cannot come before wave {from}")
    };
    let mut detail = format!(
        "{} {what} {start} at {cap} a wave need {}",
        amount(demand),
        plural(open, if closed > 0 { "open wave" } else { "wave" })
    );
    if closed > 0 {
        let kind = if cal_row == 0 && sc.calendar.today.is_none() {
            "frozen"
        } else {
            "closed by the calendar"
        };
        let which = if from == wave {
            kind.to_owned()
        } else {
            format!("{closed} of them {kind}")
        };
        detail.push_str(&format!(" ({}, {which})", wave_span(from, wave)));
    } else if from > 1 {
        detail.push_str(&format!(" ({})", wave_span(from, wave)));
    }
    (rule, detail)
}

/// The capacity rules full in at least one wave of the plan (see the module docs), with the
/// number of such waves, most first, then by rule name. `cutover[s]` is the cutover wave of
/// each scheduled service.
pub(crate) fn binding(inv: &Inventory, sc: &Scenario, cutover: &[Option<u32>]) -> Vec<Binding> {
    let makespan = cutover.iter().flatten().copied().max().unwrap_or(0);
    let m = makespan as usize;
    if m == 0 {
        return Vec::new();
    }
    let cap = &sc.capacity;
    let teams: Vec<(&str, f64)> = cap
        .teams
        .iter()
        .filter_map(|(t, c)| c.map(|c| (t.as_str(), c)))
        .collect();
    let mut cuts = vec![0u32; m + 1];
    let mut dept_cuts = vec![vec![0u32; m + 1]; inv.departments.len()];
    let mut dept_used = vec![false; inv.departments.len()];
    let mut transfer = vec![0.0f64; m + 1];
    let mut team_load = vec![vec![0.0f64; m + 1]; teams.len()];
    let mut started = vec![[0.0f64; 3]; m + 1];
    // The smallest positive piece of each capacity a scheduled service places in a wave.
    let mut transfer_piece = f64::INFINITY;
    let mut team_piece = vec![f64::INFINITY; teams.len()];
    let mut target_piece = [f64::INFINITY; 3];
    for (s, c) in cutover.iter().enumerate() {
        let Some(c) = *c else { continue };
        let svc = &inv.services[s];
        let d = svc.duration_waves.max(1);
        let df = f64::from(d);
        let start = c + 1 - d;
        cuts[c as usize] += 1;
        dept_cuts[svc.department][c as usize] += 1;
        dept_used[svc.department] = true;
        let data = svc.data_gib / df;
        if data > 0.0 {
            transfer_piece = transfer_piece.min(data);
        }
        let efforts: Vec<f64> = teams
            .iter()
            .map(|(t, _)| svc.effort.get(t).copied().unwrap_or(0.0) / df)
            .collect();
        for (i, &e) in efforts.iter().enumerate() {
            if e > 0.0 {
                team_piece[i] = team_piece[i].min(e);
            }
        }
        for w in start as usize..=c as usize {
            transfer[w] += data;
            for (i, &e) in efforts.iter().enumerate() {
                team_load[i][w] += e;
            }
        }
        let r = svc.resources;
        for (j, x) in [r.vcpu, r.memory_gib, r.storage_gib]
            .into_iter()
            .enumerate()
        {
            started[start as usize][j] += x;
            if x > 0.0 {
                target_piece[j] = target_piece[j].min(x);
            }
        }
    }
    // SPEC 4: within 1e-6 × max(1, capacity) of a capacity counts as within it.
    let full = |load: f64, piece: f64, cap: f64| {
        piece.is_finite() && load + piece > cap + 1e-6 * cap.abs().max(1.0)
    };
    let dept_limit: Vec<Option<u32>> = inv
        .departments
        .iter()
        .map(|d| d.cutover_limit(cap))
        .collect();
    let mut counts: BTreeMap<String, u32> = BTreeMap::new();
    let mut add = |rule: String| *counts.entry(rule).or_default() += 1;
    let mut held = [0.0f64; 3];
    for w in 1..=m {
        let k = w as u32;
        for j in 0..3 {
            held[j] += started[w][j];
        }
        if cap.cutovers.limit(k).is_some_and(|l| cuts[w] >= l) {
            add(Rule::Cutovers.name());
        }
        if (0..inv.departments.len())
            .any(|d| dept_used[d] && dept_limit[d].is_some_and(|l| dept_cuts[d][w] >= l))
        {
            add(Rule::PerDepartment.name());
        }
        if let Some(c) = cap.transfer_gib
            && full(transfer[w], transfer_piece, c)
        {
            add(Rule::Transfer.name());
        }
        for (i, &(t, c)) in teams.iter().enumerate() {
            if full(team_load[i][w], team_piece[i], c) {
                add(Rule::Team(t.to_string()).name());
            }
        }
        if let Some(step) = cap.target_step(sc.calendar.wave_start(k)) {
            let limits = step.caps();
            for (j, limit) in limits.into_iter().enumerate() {
                if let Some(l) = limit
                    && full(held[j], target_piece[j], l)
                {
                    add(Rule::Target(Resource::ALL[j]).name());
                }
            }
        }
    }
    let mut list: Vec<Binding> = counts
        .into_iter()
        .map(|(rule, waves)| Binding { rule, waves })
        .collect();
    // Stable sort: equal counts keep the BTreeMap's rule-name order.
    list.sort_by_key(|b| std::cmp::Reverse(b.waves));
    list
}
