//! `waveplan explain`: why a scheduled service is in its wave.
//!
//! Holds no rule evaluation of its own (it never calls the scheduler either): the service
//! moves, with the services that must share its cutover (move group, latency-sensitive
//! links, cycles: the graph's units), to each earlier cutover wave while every other
//! placement stays as the plan has it, and `verify` says which hard rules of SPEC 4 the
//! moved placements break. The binding rule is the one whose relaxation (ignoring its
//! breaches) frees the earliest wave.

use std::collections::{BTreeSet, HashMap};

use serde::Serialize;

use crate::graph::DependencyGraph;
use crate::model::{
    CutoverCap, Inventory, Order, Plan, Resource, Rule, Scenario, ServiceId, ServiceIx,
};
use crate::verify::{self, Slot};

/// One rule a move would break.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    /// The SPEC 4 rule (written `capacity.teams.dba`, `edge.together-or-before`, ...).
    pub rule: Rule,
    /// What would break, with the numbers.
    pub detail: String,
}

/// The rules a move to one earlier cutover wave would break.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WaveCheck {
    /// The cutover wave tried.
    pub wave: u32,
    /// What would break there (empty: the move is allowed).
    pub findings: Vec<Finding>,
}

/// The outcome of an explanation.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "verdict", rename_all = "snake_case")]
pub enum Verdict {
    /// No earlier cutover wave exists: the duration already reaches back to wave 1.
    Earliest,
    /// An earlier wave breaks no rule: nothing binds it there.
    Slack {
        /// The earliest such wave.
        wave: u32,
    },
    /// Rules bind it: with `rules` relaxed it could cut over in `earliest`.
    Bound {
        /// The binding rule (one, or the smallest set when no single rule frees a wave).
        rules: Vec<Rule>,
        /// The earliest cutover wave with those rules relaxed.
        earliest: u32,
        /// Other single rules whose relaxation also frees a wave, with that wave.
        alternatives: Vec<(Rule, u32)>,
    },
}

/// Why a service is in its wave.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Explanation {
    /// The service.
    pub service: ServiceId,
    /// The services that move with it (itself included), sorted.
    pub unit: Vec<ServiceId>,
    /// Its start wave.
    pub start_wave: u32,
    /// Its cutover wave.
    pub cutover_wave: u32,
    /// The verdict.
    #[serde(flatten)]
    pub verdict: Verdict,
    /// Every earlier cutover wave tried, latest first.
    pub checks: Vec<WaveCheck>,
}

/// The plan's placements, ready for trial moves of one unit.
pub struct Trial<'a> {
    inv: &'a Inventory,
    sc: &'a Scenario,
    /// Start and cutover per service, as the plan has them.
    slots: Vec<Option<Slot>>,
    unit: Vec<ServiceIx>,
}

impl<'a> Trial<'a> {
    /// The plan's placements, with `unit` to be moved.
    #[must_use]
    pub fn new(inv: &'a Inventory, sc: &'a Scenario, plan: &Plan, unit: Vec<ServiceIx>) -> Self {
        let ids: HashMap<&str, ServiceIx> =
            inv.indexed().map(|(i, s)| (s.id.as_str(), i)).collect();
        let mut slots = vec![None; inv.services.len()];
        for ps in &plan.services {
            if let Some(&ix) = ids.get(ps.id.as_str()) {
                slots[ix] = Some(Slot {
                    start: ps.start_wave,
                    cutover: ps.cutover_wave,
                });
            }
        }
        Self {
            inv,
            sc,
            slots,
            unit,
        }
    }

    /// The earliest cutover wave the unit's durations allow.
    #[must_use]
    pub fn first_wave(&self) -> u32 {
        self.unit
            .iter()
            .map(|&m| self.inv.services[m].duration_waves.max(1))
            .max()
            .unwrap_or(1)
    }

    /// Every rule broken if the unit cut over in wave `c` (each member starting
    /// `duration_waves - 1` waves earlier), all other placements unchanged: `verify`'s
    /// answer for the moved placements, limited to the breaches the unit takes part in.
    #[must_use]
    pub fn evaluate(&self, c: u32) -> Vec<Finding> {
        let mut slots = self.slots.clone();
        for &m in &self.unit {
            let dur = self.inv.services[m].duration_waves.max(1);
            slots[m] = Some(Slot {
                start: (c + 1).saturating_sub(dur),
                cutover: c,
            });
        }
        verify::check_placements(self.inv, self.sc, slots, Some(&self.unit))
            .into_iter()
            .filter_map(|b| {
                let rule = b.hard_rule()?;
                // A dependency left unscheduled by the plan is broken wherever the unit
                // goes: it does not bind the unit to its wave.
                (rule != Rule::DependencyUnscheduled).then_some(Finding {
                    rule,
                    detail: b.message,
                })
            })
            .collect()
    }
}

/// The unit of `s`: the graph's cutover unit, or the service alone.
#[must_use]
pub fn unit_of(inv: &Inventory, sc: &Scenario, s: ServiceIx) -> Vec<ServiceIx> {
    let g = DependencyGraph::build(inv, sc);
    g.unit_of(s)
        .and_then(|u| g.units().get(u).cloned())
        .unwrap_or_else(|| vec![s])
}

/// Explains why service `id` is in its wave of `plan`.
///
/// # Errors
/// A message when the service is unknown, not migrating, or not scheduled by the plan.
pub fn explain(
    inv: &Inventory,
    sc: &Scenario,
    plan: &Plan,
    id: &str,
) -> Result<Explanation, String> {
    let ix = inv.find(id).ok_or_else(|| {
        let ids: Vec<&str> = inv.services.iter().map(|s| s.id.as_str()).collect();
        let hint = crate::load::closest(id, &ids)
            .map(|c| format!("; did you mean `{c}`?"))
            .unwrap_or_default();
        format!("there is no service `{id}` in the inventory{hint}")
    })?;
    if !inv.services[ix].is_migrating() {
        return Err(format!("`{id}` does not migrate, so it has no wave"));
    }
    let Some(ps) = plan.services.iter().find(|p| p.id.as_str() == id) else {
        let why = plan
            .unscheduled
            .iter()
            .find(|u| u.id.as_str() == id)
            .map_or_else(String::new, |u| format!(": [{}] {}", u.rule, u.reason));
        return Err(format!("`{id}` is not scheduled by this plan{why}"));
    };
    let unit = unit_of(inv, sc, ix);
    let trial = Trial::new(inv, sc, plan, unit.clone());
    let cut = ps.cutover_wave;
    let checks: Vec<WaveCheck> = (trial.first_wave()..cut)
        .rev()
        .map(|c| WaveCheck {
            wave: c,
            findings: trial.evaluate(c),
        })
        .collect();
    let verdict = verdict(&checks);
    let mut unit_ids: Vec<ServiceId> = unit.iter().map(|&m| inv.services[m].id.clone()).collect();
    unit_ids.sort();
    Ok(Explanation {
        service: inv.services[ix].id.clone(),
        unit: unit_ids,
        start_wave: ps.start_wave,
        cutover_wave: cut,
        verdict,
        checks,
    })
}

/// The earliest wave whose findings all belong to `relaxed`: relaxing a rule is ignoring
/// its breaches.
fn earliest_with(checks: &[WaveCheck], relaxed: &BTreeSet<&Rule>) -> Option<u32> {
    checks
        .iter()
        .filter(|c| c.findings.iter().all(|f| relaxed.contains(&f.rule)))
        .map(|c| c.wave)
        .min()
}

fn verdict(checks: &[WaveCheck]) -> Verdict {
    if checks.is_empty() {
        return Verdict::Earliest;
    }
    if let Some(w) = earliest_with(checks, &BTreeSet::new()) {
        return Verdict::Slack { wave: w };
    }
    let all: BTreeSet<&Rule> = checks
        .iter()
        .flat_map(|c| c.findings.iter().map(|f| &f.rule))
        .collect();
    let mut singles: Vec<(u32, &Rule)> = all
        .iter()
        .filter_map(|r| earliest_with(checks, &BTreeSet::from([*r])).map(|w| (w, *r)))
        .collect();
    singles.sort_unstable();
    if let Some(&(w, r)) = singles.first() {
        return Verdict::Bound {
            rules: vec![r.clone()],
            earliest: w,
            alternatives: singles[1..]
                .iter()
                .map(|(w, r)| ((*r).clone(), *w))
                .collect(),
        };
    }
    // No single rule frees a wave: the smallest set of rules broken at one wave (the latest
    // such wave on ties), and the earliest wave that set frees.
    let best = checks
        .iter()
        .map(|c| {
            let set: BTreeSet<&Rule> = c.findings.iter().map(|f| &f.rule).collect();
            (set.len(), std::cmp::Reverse(c.wave), set)
        })
        .min()
        .map(|x| x.2)
        .unwrap_or_default();
    let earliest = earliest_with(checks, &best).unwrap_or(0);
    Verdict::Bound {
        rules: best.iter().map(|r| (*r).clone()).collect(),
        earliest,
        alternatives: Vec::new(),
    }
}

/// A copy of the inputs with `rules` relaxed for `unit` (edges touching it, its departments'
/// blackouts, its windows and pins; capacities and the calendar everywhere): what "if that
/// rule were relaxed" means in the inputs, so a test can have `verify` confirm the move.
#[must_use]
pub fn relax(
    inv: &Inventory,
    sc: &Scenario,
    unit: &[ServiceIx],
    rules: &[Rule],
) -> (Inventory, Scenario) {
    let (mut inv, mut sc) = (inv.clone(), sc.clone());
    let default = sc.rules.dependency_order;
    for rule in rules {
        match rule {
            Rule::TogetherOrBefore | Rule::StrictlyBefore | Rule::LatencySensitive => {
                let want = match rule {
                    Rule::TogetherOrBefore => Some(Order::TogetherOrBefore),
                    Rule::StrictlyBefore => Some(Order::StrictlyBefore),
                    _ => None,
                };
                for a in ServiceIx::all(inv.services.len()) {
                    let a_in = unit.contains(&a);
                    for e in &mut inv.services[a].depends_on {
                        if !(a_in || unit.contains(&e.target)) {
                            continue;
                        }
                        match want {
                            Some(o) if e.effective_order(default) == o => {
                                e.order = Some(Order::Any);
                            }
                            None => e.latency_sensitive = false,
                            _ => {}
                        }
                    }
                }
            }
            // The unit moves whole, and what it depends on stays where it is: neither rule
            // can bind it, so there is nothing to relax.
            Rule::MoveGroup | Rule::DependencyUnscheduled => {}
            Rule::Cutovers => sc.capacity.cutovers = CutoverCap::default(),
            Rule::PerDepartment => {
                sc.capacity.per_department = None;
                for d in &mut inv.departments {
                    d.max_cutovers_per_wave = Some(crate::model::Limit::Unlimited);
                }
            }
            Rule::Transfer => sc.capacity.transfer_gib = None,
            Rule::Team(team) => {
                sc.capacity.teams.insert(team.clone(), None);
            }
            Rule::Target(r) => {
                for s in sc.capacity.target.iter_mut().flatten() {
                    match r {
                        Resource::Vcpu => s.vcpu = None,
                        Resource::MemoryGib => s.memory_gib = None,
                        Resource::StorageGib => s.storage_gib = None,
                    }
                }
            }
            Rule::Freeze => sc.calendar.freezes.clear(),
            Rule::Today => sc.calendar.today = None,
            Rule::MaxWaves => sc.calendar.max_waves = crate::model::MAX_WAVES,
            Rule::Blackout => {
                for &m in unit {
                    let d = inv.services[m].department;
                    inv.departments[d].blackouts.clear();
                }
            }
            Rule::NotBefore => {
                for &m in unit {
                    inv.services[m].not_before = None;
                }
            }
            Rule::Deadline => {
                for &m in unit {
                    inv.services[m].deadline = None;
                }
            }
            Rule::DecommissionBy => sc.sites = crate::model::SiteRules::default(),
            Rule::CriticalNotBeforeWave => sc.rules.critical_not_before_wave = 1,
            Rule::Pin => {
                for &m in unit {
                    sc.pins.remove(&inv.services[m].id);
                }
            }
        }
    }
    (inv, sc)
}

/// Plain-text rendering.
#[must_use]
pub fn to_text(x: &Explanation) -> String {
    use std::fmt::Write;
    let mut out = String::new();
    let with: Vec<&str> = x
        .unit
        .iter()
        .filter(|u| **u != x.service)
        .map(ServiceId::as_str)
        .collect();
    let _ = write!(
        out,
        "`{}` cuts over in wave {} (starts in wave {})",
        x.service, x.cutover_wave, x.start_wave
    );
    if !with.is_empty() {
        let _ = write!(out, ", together with {}", with.join(", "));
    }
    out.push('\n');
    match &x.verdict {
        Verdict::Earliest => {
            out.push_str("nothing binds it: its duration reaches back to wave 1, so no earlier cutover wave exists\n");
        }
        Verdict::Slack { wave } => {
            let _ = writeln!(
                out,
                "nothing binds it: it could cut over as early as wave {wave} without breaking any rule, every other placement unchanged"
            );
        }
        Verdict::Bound {
            rules,
            earliest,
            alternatives,
        } => {
            let _ = writeln!(
                out,
                "binding rule: {} — relaxed, it could cut over in wave {earliest} (every other placement unchanged)",
                rules.iter().map(Rule::name).collect::<Vec<_>>().join(" + ")
            );
            for (r, w) in alternatives {
                let _ = writeln!(out, "  also binding: {r} — relaxed alone, wave {w}");
            }
        }
    }
    for c in &x.checks {
        if c.findings.is_empty() {
            let _ = writeln!(out, "  wave {:>3}: allowed", c.wave);
            continue;
        }
        for (i, line) in finding_lines(c, &x.unit).iter().enumerate() {
            let head = if i == 0 {
                format!("wave {:>3}", c.wave)
            } else {
                " ".repeat(8)
            };
            let _ = writeln!(out, "  {head}: {line}");
        }
    }
    out
}

/// One line per distinct finding of a wave tried: the same rule broken the same way by
/// several members of the unit is one line that names them all, and `wave N: ` is left out
/// where N is the row's own wave.
fn finding_lines(c: &WaveCheck, unit: &[ServiceId]) -> Vec<String> {
    let own = format!("wave {}: ", c.wave);
    // (rule, text after the member's id) → members, in order of first appearance.
    let mut groups: Vec<(&Rule, &str, Vec<&str>)> = Vec::new();
    for f in &c.findings {
        let detail = f.detail.strip_prefix(own.as_str()).unwrap_or(&f.detail);
        let member = unit
            .iter()
            .map(ServiceId::as_str)
            .find(|m| detail.strip_prefix(m).is_some_and(|r| r.starts_with(' ')));
        let (who, rest) = match member {
            Some(m) => (Some(m), &detail[m.len()..]),
            None => (None, detail),
        };
        match groups
            .iter_mut()
            .find(|(r, t, _)| **r == f.rule && *t == rest && who.is_some())
        {
            Some(g) => g.2.extend(who),
            None => groups.push((&f.rule, rest, who.into_iter().collect())),
        }
    }
    groups
        .into_iter()
        .map(|(rule, rest, who)| match who.split_first() {
            None => format!("[{rule}] {rest}"),
            Some((first, [])) => format!("[{rule}] {first}{rest}"),
            Some((first, others)) => {
                format!("[{rule}] {first}{rest}; so do {}", others.join(", "))
            }
        })
        .collect()
}

#[cfg(test)]
#[expect(
    clippy::unwrap_used,
    reason = "test inputs are fixed; a panic is the failure"
)]
mod tests {
    use super::*;

    /// The shipped plan with `unit` moved to cut over in wave `c`.
    fn moved(inv: &Inventory, plan: &Plan, unit: &[ServiceIx], c: u32) -> Plan {
        let mut plan = plan.clone();
        for ps in &mut plan.services {
            if let Some(&m) = unit.iter().find(|&&m| inv.services[m].id == ps.id) {
                ps.cutover_wave = c;
                ps.start_wave = c + 1 - inv.services[m].duration_waves;
            }
        }
        plan
    }

    /// On every service of the shipped plan, each rule `explain` finds at a trial wave is one
    /// the whole `verify` reports for the plan with the unit moved there (and the binding
    /// rule in particular), and a wave `explain` calls free is one `verify` accepts.
    #[test]
    fn findings_shared_by_members_are_one_line_and_the_own_wave_is_not_repeated() {
        let unit = vec![ServiceId::new("a-db"), ServiceId::new("a-web")];
        let f = |rule: Rule, detail: &str| Finding {
            rule,
            detail: detail.to_owned(),
        };
        let c = WaveCheck {
            wave: 5,
            findings: vec![
                f(Rule::Freeze, "a-db occupies wave 5 which overlaps freeze X"),
                f(Rule::Cutovers, "wave 5: 9 cutovers exceed capacity 8"),
                f(
                    Rule::Freeze,
                    "a-web occupies wave 5 which overlaps freeze X",
                ),
                f(Rule::Cutovers, "wave 6: 9 cutovers exceed capacity 8"),
                f(
                    Rule::CriticalNotBeforeWave,
                    "a-web is critical and cuts over in wave 5, before wave 6",
                ),
            ],
        };
        assert_eq!(
            finding_lines(&c, &unit),
            [
                "[calendar.freeze] a-db occupies wave 5 which overlaps freeze X; so do a-web",
                "[capacity.cutovers] 9 cutovers exceed capacity 8",
                "[capacity.cutovers] wave 6: 9 cutovers exceed capacity 8",
                "[rules.critical_not_before_wave] a-web is critical and cuts over in wave 5, before wave 6",
            ]
        );
    }

    #[test]
    fn explain_reports_what_verify_reports_for_every_service_of_the_default_plan() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let loaded = crate::load::load(
            &root.join("inventories"),
            Some(&root.join("plans/baseline.yaml")),
        )
        .unwrap();
        let plan = crate::load::plan_file::read(&root.join("plans/baseline.plan.yaml")).unwrap();
        let (inv, sc) = (&loaded.inventory, &loaded.scenario);
        assert!(verify::verify(inv, sc, &plan).is_empty());
        let mut bound = 0;
        for ps in &plan.services {
            let x = explain(inv, sc, &plan, ps.id.as_str()).unwrap();
            let unit = unit_of(inv, sc, inv.find(ps.id.as_str()).unwrap());
            for check in &x.checks {
                let said: BTreeSet<Rule> =
                    verify::verify(inv, sc, &moved(inv, &plan, &unit, check.wave))
                        .iter()
                        .filter_map(verify::Breach::hard_rule)
                        .collect();
                let found: BTreeSet<Rule> = check.findings.iter().map(|f| f.rule.clone()).collect();
                assert_eq!(found, said, "{} at wave {}", ps.id, check.wave);
            }
            // The binding rule is one `verify` reports at the wave it frees: there, `verify`
            // reports some of the binding rules and nothing else.
            if let Verdict::Bound {
                rules, earliest, ..
            } = &x.verdict
            {
                bound += 1;
                let said: BTreeSet<Rule> =
                    verify::verify(inv, sc, &moved(inv, &plan, &unit, *earliest))
                        .iter()
                        .filter_map(verify::Breach::hard_rule)
                        .collect();
                assert!(
                    !said.is_empty() && said.iter().all(|r| rules.contains(r)),
                    "{} at wave {earliest}: verify {said:?}, binding {rules:?}",
                    ps.id
                );
            }
        }
        assert!(bound * 2 > plan.services.len(), "{bound} bound verdicts");
    }
}
