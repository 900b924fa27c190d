//! `waveplan verify`'s engine: an independent re-check of a plan against every hard rule of
//! SPEC section 4 (4.9 included) and the format and consistency rules of SPEC section 6.
//!
//! Owns the checking only; must not call any scheduler code (it is the scheduler's referee)
//! and must not print. It reads `model` types and returns [`Breach`]es; the CLI renders them.
//! Semantics follow the Python reference `tools/verify.py`: capacities allow
//! 1e-6 × max(1, capacity), numbers the plan reports are compared within 1e-3.
//!
//! Rule names: SPEC 4 vocabulary for hard rules (`dependency.unscheduled` for 4.7 edges,
//! `move_group` for split or partial groups, `unscheduled.placeable` for 4.9);
//! `format.*` for section 6 structure (`format.coverage.missing`, `format.waves.load.teams`,
//! ...), `summary.*` for summary numbers (`summary.binding` for the added `binding` list),
//! `digest.inventory` / `digest.scenario`.
//! Per-wave tables stop at 200,000 waves so absurd wave numbers cannot exhaust memory.

mod binding;
mod calendar;
mod capacity;
mod coverage;
mod edges;
mod facts;
mod loads;
mod num;
mod placeable;
mod summary;
mod waves;

#[cfg(test)]
mod testkit;
#[cfg(test)]
mod units_agree;
#[cfg(test)]
mod xcheck;

pub use facts::Slot;

use crate::model::{Inventory, Plan, Rule, Scenario, ServiceId, ServiceIx};

/// One broken rule of a plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Breach {
    /// SPEC 4 vocabulary (`edge.strictly-before`, `capacity.teams.dba`, `unscheduled.placeable`,
    /// ...) or `format.*` / `summary.*` / `digest.*` for section 6.
    pub rule: String,
    /// The service at fault, when one is.
    pub service: Option<ServiceId>,
    /// The wave at fault, when one is.
    pub wave: Option<u32>,
    /// What is wrong, with the numbers.
    pub message: String,
}

impl Breach {
    /// A breach of `rule` (a [`Rule`], or a `format.*` / `summary.*` / `digest.*` name) with
    /// its details.
    pub(crate) fn new(
        rule: impl std::fmt::Display,
        service: Option<&ServiceId>,
        wave: Option<u32>,
        message: impl Into<String>,
    ) -> Self {
        Self {
            rule: rule.to_string(),
            service: service.cloned(),
            wave,
            message: message.into(),
        }
    }

    /// The SPEC 4 rule broken; `None` for a `format.*`, `summary.*` or `digest.*` breach and
    /// for `unscheduled.placeable` (4.9, which is about the plan's choices, not a placement).
    #[must_use]
    pub fn hard_rule(&self) -> Option<Rule> {
        Rule::parse(&self.rule)
    }

    /// Whether this is a figure the plan records about itself (a wave's loads, the summary,
    /// an input digest) that its assignments no longer give: a hand-edited plan has many,
    /// and its assignments may still keep every rule. The other breaches are in the plan's
    /// assignments and structure.
    #[must_use]
    pub fn is_recorded_figure(&self) -> bool {
        ["format.waves", "summary.", "digest."]
            .iter()
            .any(|p| self.rule.starts_with(p))
    }
}

/// `[rule] `service`: message`, as `verify` prints a breach after the plan's path.
impl std::fmt::Display for Breach {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "[{}]", self.rule)?;
        if let Some(s) = &self.service {
            write!(f, " `{s}`")?;
        }
        write!(f, ": {}", self.message)
    }
}

/// Checks `plan` against `inv` and `sc`; returns every breach, sorted (empty means the plan
/// is valid).
#[must_use]
pub fn verify(inv: &Inventory, sc: &Scenario, plan: &Plan) -> Vec<Breach> {
    let mut out = Vec::new();
    summary::check_header(inv, sc, plan, &mut out);
    let facts = facts::Facts::new(inv, sc, plan, &mut out);
    let loads = loads::Loads::new(&facts);
    let table = calendar::WaveTable::new(&facts);
    rules(&facts, &loads, &table, &mut out);
    placeable::check(&facts, &loads, &table, &mut out);
    waves::check(&facts, plan, &loads, &table, &mut out);
    summary::check(&facts, plan, &mut out);
    binding::check(&facts, plan, &loads, &mut out);
    sort(&mut out);
    out
}

/// The hard rules of SPEC 4.1–4.8 over bare placements (`slots[i]`: where service `i`
/// starts and cuts over, `None` = not scheduled), with no plan file, summary or 4.9 trial:
/// the question "which rules does this placement break?" that `explain` asks of a plan
/// with one unit moved. With `focus`, only the breaches those services take part in: their
/// edges, their calendar and windows, and the capacities of the waves they add load to.
/// Returns the breaches sorted as [`verify`] sorts them.
#[must_use]
pub fn check_placements(
    inv: &Inventory,
    sc: &Scenario,
    slots: Vec<Option<Slot>>,
    focus: Option<&[ServiceIx]>,
) -> Vec<Breach> {
    let mut out = Vec::new();
    let facts = facts::Facts::of_slots(inv, sc, slots, focus);
    let loads = loads::Loads::new(&facts);
    let table = calendar::WaveTable::new(&facts);
    rules(&facts, &loads, &table, &mut out);
    sort(&mut out);
    out
}

/// SPEC 4.1–4.8: the one evaluation of the placement rules, shared by [`verify`] and
/// [`check_placements`] so the two can never disagree.
fn rules(
    facts: &facts::Facts<'_>,
    loads: &loads::Loads,
    table: &calendar::WaveTable,
    out: &mut Vec<Breach>,
) {
    edges::check(facts, out);
    capacity::check(facts, loads, out);
    calendar::check(facts, table, out);
}

/// Sorted by service (plan-wide breaches first), then wave, so a reader sees each service's
/// problems together; rule and message make the order total.
fn sort(out: &mut [Breach]) {
    out.sort_by(|a, b| {
        (&a.service, a.wave, &a.rule, &a.message).cmp(&(&b.service, b.wave, &b.rule, &b.message))
    });
}

#[cfg(test)]
mod tests {
    use super::testkit::{Fx, pair, want};
    use super::*;

    #[test]
    fn a_correct_plan_has_no_breaches() {
        let mut fx = pair();
        fx.svc("c").duration_waves = 2;
        fx.get("c").data_gib = 10.0;
        fx.get("c").effort.insert("dba".to_owned(), 4.0);
        fx.sc.capacity.teams.insert("dba".to_owned(), Some(2.0));
        fx.sc.capacity.transfer_gib = Some(5.0);
        let plan = fx.plan(&[("a", 2), ("b", 1), ("c", 1)]);
        assert_eq!(verify(&fx.inv, &fx.sc, &plan), Vec::new());
    }

    #[test]
    fn an_empty_inventory_with_an_empty_plan_is_valid() {
        let fx = Fx::new();
        let plan = fx.plan(&[]);
        assert_eq!(fx.breaches(&plan), want(&[]));
    }

    #[test]
    fn breaches_are_sorted_by_service_then_wave() {
        let mut fx = pair();
        fx.sc.calendar.today = Some(jiff::civil::date(2019, 3, 1));
        let plan = fx.plan(&[("a", 1), ("b", 1)]);
        let b = verify(&fx.inv, &fx.sc, &plan);
        let keys: Vec<_> = b.iter().map(|b| (b.service.clone(), b.wave)).collect();
        let mut sorted = keys.clone();
        sorted.sort();
        assert_eq!(keys, sorted);
        assert_eq!(b.len(), 2);
    }
}

#[cfg(test)]
mod perf {
    use super::testkit::Fx;
    use super::*;
    use crate::model::{Department, DeptIx, Edge, PlanService, ServiceId, TargetStep, Unscheduled};
    use jiff::civil::date;

    /// 100,000 services, 3 edges each, 300 unscheduled that fit nowhere (the target is full),
    /// so every 4.9 trial runs to the target check. Run with `--ignored --nocapture`.
    #[test]
    #[ignore = "performance measurement"]
    #[expect(
        clippy::print_stderr,
        reason = "a measurement harness reports to the terminal"
    )]
    fn hundred_thousand_services() {
        const N: usize = 100_000;
        const UNPLACED: usize = 300;
        let mut fx = Fx::new();
        for d in 2..40 {
            let mut dept = fx.inv.departments[0].clone();
            dept.code = format!("D{d}");
            fx.inv.departments.push(dept);
        }
        let _: &Department = &fx.inv.departments[0];
        fx.sc.calendar.max_waves = 520;
        for t in ["app", "dba", "net"] {
            fx.sc.capacity.teams.insert(t.to_owned(), Some(1e9));
        }
        fx.sc.capacity.transfer_gib = Some(1e12);
        for i in 0..N {
            let s = fx.svc(&format!("s{i:06}"));
            s.department = DeptIx::new(i % 40);
            s.resources.vcpu = 1.0;
            s.data_gib = 10.0;
            s.effort
                .insert(["app", "dba", "net"][i % 3].to_owned(), 2.0);
            for k in 1..=3 {
                if i >= k * 7 && i < N - UNPLACED {
                    s.depends_on.push(Edge {
                        target: ServiceIx::new(i - k * 7),
                        order: None,
                        traffic: 1.0,
                        latency_sensitive: false,
                    });
                }
            }
        }
        let placed = N - UNPLACED;
        fx.sc.capacity.target = Some(vec![TargetStep {
            from: date(2019, 1, 1),
            vcpu: Some(placed as f64),
            memory_gib: None,
            storage_gib: None,
        }]);
        let mut plan = fx.plan(&[]);
        plan.unscheduled.clear();
        for (i, s) in fx.inv.services.iter().enumerate() {
            let co = 1 + (i / 250) as u32;
            if i < placed {
                let code = fx.inv.departments[s.department].code.clone();
                plan.services.push(PlanService {
                    id: s.id.clone(),
                    department: code,
                    start_wave: co,
                    cutover_wave: co,
                });
            } else {
                plan.unscheduled.push(Unscheduled {
                    id: ServiceId::new(s.id.as_str()),
                    rule: "capacity.target.vcpu".to_owned(),
                    reason: "full".to_owned(),
                });
            }
        }
        let t = std::time::Instant::now();
        let b = verify(&fx.inv, &fx.sc, &plan);
        let secs = t.elapsed().as_secs_f64();
        let placeable = b
            .iter()
            .filter(|b| b.rule == "unscheduled.placeable")
            .count();
        eprintln!(
            "verify: {N} services, {} breaches ({placeable} placeable) in {secs:.3}s",
            b.len()
        );
        assert_eq!(placeable, 0);
        assert!(
            b.iter()
                .all(|b| b.rule.starts_with("format.waves") || b.rule.starts_with("summary.")),
            "{:?}",
            &b[..3]
        );
    }
}
