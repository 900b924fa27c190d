//! [`ReportData`]: every fact a report shows, computed once from the plan, the inventory and
//! the scenario. Renderers only format it; the JSON report is this structure serialised.
//!
//! Loads, percentages and the split cost are recomputed from the inventory and scenario;
//! the plan file's own numbers are compared with them and any difference becomes a `check`.

use std::collections::{BTreeMap, HashMap};
use std::ops::Range;

use jiff::civil::Date;
use serde::Serialize;

use super::settings::Settings;
use crate::model::{
    Binding, BoundReason, Criticality, DeptIx, Inventory, Plan, Scenario, Service, ServiceIx, Site,
    Status, Strategy, TransitionCost,
};

/// The most waves a report lays out: the one cap of `model`, which the plan reader enforces.
const MAX_WAVES: u32 = crate::model::MAX_WAVES;
/// Consistency findings listed one by one before they are summarised in a count.
const MAX_CHECKS: usize = 20;

/// Everything a report says, in display order.
#[derive(Debug, Clone, Serialize)]
pub struct ReportData {
    /// Always `waveplan-report/1`.
    pub format: &'static str,
    /// Headline numbers.
    pub summary: Summary,
    /// Differences between the plan file's numbers and the recomputed ones (empty when the
    /// plan matches its inventory and scenario).
    pub checks: Vec<String>,
    /// The capacities each wave is measured against, in column order.
    pub capacities: Vec<CapacityInfo>,
    /// Waves 1..makespan.
    pub waves: Vec<WaveRow>,
    /// Departments with migrating services, by code.
    pub departments: Vec<DepartmentRow>,
    /// Every migrating service, by department, then cutover wave (unscheduled last), then id.
    pub services: Vec<ServiceRow>,
    /// Dependency edges split across sites for at least one wave, costliest first.
    pub exposure: Vec<SplitEdge>,
    /// Links to retained services that stay cross-site for good, heaviest traffic first.
    pub retained_links: Vec<RetainedLink>,
    /// Decommission readiness of the pilot cloud and the data centre.
    pub sites: Vec<SiteReadiness>,
    /// Migrating services the plan could not place.
    pub unscheduled: Vec<UnscheduledRow>,
    /// The scenario's settings.
    pub settings: Settings,
    /// The transition cost, when the scenario has `costs:` (docs/costs.md).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub costs: Option<CostReport>,
    /// The schedule risk, when the report was asked for it (`report --risk`, docs/risk.md).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub risk: Option<crate::risk::RiskReport>,
}

/// What the plan costs while both sites run, recomputed from the inputs.
#[derive(Debug, Clone, Serialize)]
pub struct CostReport {
    /// The parts and their total.
    pub parts: TransitionCost,
    /// Waves 1..makespan: what each costs and the running total.
    pub by_wave: Vec<WaveCost>,
    /// Departments with a cost, costliest first (the pilot cloud belongs to none).
    pub by_department: Vec<DepartmentCost>,
}

/// One wave's cost.
#[derive(Debug, Clone, Serialize)]
pub struct WaveCost {
    /// Wave number.
    pub wave: u32,
    /// Incurred in this wave.
    pub cost: f64,
    /// Incurred in waves 1..=this one.
    pub cumulative: f64,
}

/// One department's share of the cost.
#[derive(Debug, Clone, Serialize)]
pub struct DepartmentCost {
    /// Department code.
    pub code: String,
    /// Department name.
    pub name: String,
    /// Its services' running and cutover costs and the traffic of the dependencies they
    /// declare.
    pub cost: f64,
    /// Share of the total, in percent.
    pub percent: f64,
}

/// The transition cost of the plan laid out in `slots`, when the scenario has `costs:`.
fn costs(
    inv: &Inventory,
    sc: &Scenario,
    slots: &[Option<Slot>],
    horizon: u32,
) -> Option<CostReport> {
    let model = sc.costs.as_ref()?;
    let got = model.measure(inv, horizon, |s| slots[s.pos()].as_ref().map(|x| x.cutover));
    let total = got.parts.total;
    let mut cumulative = 0.0;
    let by_wave = (1..=horizon)
        .zip(&got.by_wave)
        .map(|(wave, &cost)| {
            cumulative += cost;
            WaveCost {
                wave,
                cost,
                cumulative,
            }
        })
        .collect();
    let mut by_department: Vec<DepartmentCost> = inv
        .departments
        .iter()
        .zip(&got.by_department)
        .filter(|(_, c)| **c > 0.0)
        .map(|(d, &cost)| DepartmentCost {
            code: d.code.clone(),
            name: d.name.clone(),
            cost,
            percent: if total > 0.0 {
                100.0 * cost / total
            } else {
                0.0
            },
        })
        .collect();
    by_department.sort_by(|a, b| b.cost.total_cmp(&a.cost).then_with(|| a.code.cmp(&b.code)));
    Some(CostReport {
        parts: got.parts,
        by_wave,
        by_department,
    })
}

/// Headline numbers.
#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    /// Scenario name.
    pub scenario: String,
    /// `waveplan <version>` from the plan, if it says.
    pub generator: Option<String>,
    /// The `--set` overrides the plan was made with (applied to the inputs of this report).
    pub overrides: Vec<String>,
    /// Services in the inventory.
    pub services_total: usize,
    /// Services that migrate.
    pub services_migrating: usize,
    /// Migrating services with waves.
    pub services_scheduled: usize,
    /// Migrating services without.
    pub services_unscheduled: usize,
    /// Makespan.
    pub waves: u32,
    /// The plan's proven lower bound on the makespan.
    pub lower_bound_waves: u32,
    /// `waves - lower_bound_waves`.
    pub gap_waves: u32,
    /// The gap in percent of the lower bound (`None` when the bound is 0).
    pub gap_percent: Option<f64>,
    /// Split cost recomputed from the inventory (SPEC 5).
    pub split_cost: f64,
    /// One sentence naming the bottleneck: the capacity full in most waves and what gives the
    /// lower bound, as the plan file states them (`None` when it states neither).
    pub bottleneck: Option<String>,
    /// What gives the lower bound its value, as the plan file states it.
    pub lower_bound_reason: Option<BoundReason>,
    /// Capacity rules full in some wave, and in how many, as the plan file states them.
    pub binding: Vec<Binding>,
    /// First day of wave 1.
    pub start: Date,
    /// Last day of the makespan wave.
    pub finish: Option<Date>,
    /// Frozen waves within the makespan.
    pub frozen_waves: usize,
    /// Counts by current site.
    pub by_site: Vec<CountRow>,
    /// Counts by strategy.
    pub by_strategy: Vec<CountRow>,
    /// Counts by criticality.
    pub by_criticality: Vec<CountRow>,
}

/// Services of one kind: in the inventory, migrating, scheduled.
#[derive(Debug, Clone, Serialize)]
pub struct CountRow {
    /// The site, strategy or criticality.
    pub key: &'static str,
    /// Services in the inventory.
    pub services: usize,
    /// Of which migrating.
    pub migrating: usize,
    /// Of which scheduled.
    pub scheduled: usize,
}

/// A capacity every wave is measured against.
#[derive(Debug, Clone, Serialize)]
pub struct CapacityInfo {
    /// Stable key: `cutovers`, `per_department`, `transfer_gib`, `teams.<team>`,
    /// `target.vcpu`, `target.memory_gib`, `target.storage_gib`.
    pub key: String,
    /// Human label.
    pub label: String,
    /// Unit of the numbers.
    pub unit: &'static str,
}

/// One wave.
#[derive(Debug, Clone, Serialize)]
pub struct WaveRow {
    /// 1-based number.
    pub wave: u32,
    /// First day.
    pub start: Date,
    /// Last day.
    pub end: Date,
    /// Overlaps a calendar freeze.
    pub frozen: bool,
    /// Names of the freezes it overlaps.
    pub freezes: Vec<String>,
    /// Departments with a blackout overlapping it.
    pub blackouts: Vec<String>,
    /// Services starting their migration.
    pub started: usize,
    /// Services occupying the wave.
    pub active: usize,
    /// Services cutting over, sorted.
    pub cutovers: Vec<String>,
    /// Cutovers per department code.
    pub cutovers_by_department: BTreeMap<String, u32>,
    /// Critical services cutting over.
    pub critical: Vec<String>,
    /// Load against each capacity, in [`ReportData::capacities`] order.
    pub loads: Vec<Load>,
}

/// A load against a capacity in one wave.
#[derive(Debug, Clone, Serialize)]
pub struct Load {
    /// The capacity's key.
    pub key: String,
    /// Amount used.
    pub used: f64,
    /// The capacity (`None`: unlimited).
    pub capacity: Option<f64>,
    /// `used / capacity` in percent (`None` when unlimited or zero).
    pub percent: Option<f64>,
    /// The department this is about (`per_department` only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub department: Option<String>,
}

/// A department's part of the plan.
#[derive(Debug, Clone, Serialize)]
pub struct DepartmentRow {
    /// Code.
    pub code: String,
    /// English name.
    pub name: String,
    /// Local name.
    pub local_name: Option<String>,
    /// Services in the inventory.
    pub services: usize,
    /// Migrating.
    pub migrating: usize,
    /// Scheduled.
    pub scheduled: usize,
    /// First wave any of its services occupies.
    pub first_wave: Option<u32>,
    /// Last cutover wave.
    pub last_wave: Option<u32>,
    /// Its per-wave cutover limit (`None`: unlimited).
    pub cutover_limit: Option<u32>,
    /// Its blackouts, as `from..to (reason)`.
    pub blackouts: Vec<String>,
    /// Its rows in [`ReportData::services`].
    #[serde(skip)]
    pub rows: Range<usize>,
}

/// A migrating service and its waves.
#[derive(Debug, Clone, Serialize)]
pub struct ServiceRow {
    /// Id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Department code.
    pub department: String,
    /// Current site.
    pub site: &'static str,
    /// Strategy.
    pub strategy: &'static str,
    /// Criticality.
    pub criticality: &'static str,
    /// Waves the migration occupies.
    pub duration_waves: u32,
    /// First wave (`None`: unscheduled).
    pub start_wave: Option<u32>,
    /// Cutover wave.
    pub cutover_wave: Option<u32>,
    /// First day of the start wave.
    pub start_date: Option<Date>,
    /// Last day of the cutover wave.
    pub cutover_date: Option<Date>,
    /// Every service it depends on.
    pub depends_on: Vec<String>,
    /// Its dependencies that cut over in another wave (or are already in production), with
    /// how many waves the link stays split.
    pub split_dependencies: Vec<SplitDependency>,
    /// The rule that left it unscheduled.
    pub unscheduled_rule: Option<String>,
}

/// A dependency split from its dependant.
#[derive(Debug, Clone, Serialize)]
pub struct SplitDependency {
    /// The dependency's id.
    pub id: String,
    /// Waves split.
    pub waves: u32,
}

/// A dependency edge whose ends sit on different sites for some waves.
#[derive(Debug, Clone, Serialize)]
pub struct SplitEdge {
    /// The dependant.
    pub from: String,
    /// Its department.
    pub from_department: String,
    /// Its cutover wave (0: already in production).
    pub from_cutover: u32,
    /// The dependency.
    pub to: String,
    /// Its department.
    pub to_department: String,
    /// Its cutover wave (0: already in production).
    pub to_cutover: u32,
    /// Waves the link is split.
    pub waves: u32,
    /// Traffic weight.
    pub traffic: f64,
    /// `traffic × waves`.
    pub cost: f64,
}

/// A permanent cross-site link between a retained service and one that ends in production.
#[derive(Debug, Clone, Serialize)]
pub struct RetainedLink {
    /// The retained service.
    pub retained: String,
    /// Its department.
    pub retained_department: String,
    /// Where it stays.
    pub retained_site: &'static str,
    /// The other end.
    pub other: String,
    /// Its department.
    pub other_department: String,
    /// `depends_on` when the other end depends on the retained one, `depended_on` otherwise.
    pub direction: &'static str,
    /// The wave from which the link is cross-site (0: already).
    pub from_wave: u32,
    /// Traffic weight.
    pub traffic: f64,
    /// The edge is latency-sensitive.
    pub latency_sensitive: bool,
}

/// Whether a site can be switched off by its date.
#[derive(Debug, Clone, Serialize)]
pub struct SiteReadiness {
    /// `pilot-cloud` or `datacenter`.
    pub site: &'static str,
    /// Its decommission date.
    pub decommission_by: Option<Date>,
    /// Services there now (any strategy, not yet migrated).
    pub services: usize,
    /// Of which migrating.
    pub migrating: usize,
    /// Of which scheduled.
    pub scheduled: usize,
    /// Retired there (switched off, nothing to move).
    pub retired: usize,
    /// Last cutover wave of its services.
    pub last_cutover_wave: Option<u32>,
    /// Last day of that wave.
    pub last_cutover_date: Option<Date>,
    /// Services that keep it running: retained or unscheduled.
    pub blocking: Vec<String>,
    /// Every migrating service there is scheduled, none is retained, and the last cutover
    /// ends by the decommission date.
    pub ready: bool,
    /// One sentence saying so.
    pub verdict: String,
}

/// A migrating service the plan could not place.
#[derive(Debug, Clone, Serialize)]
pub struct UnscheduledRow {
    /// Id.
    pub id: String,
    /// Name (empty when the inventory does not know the id).
    pub name: String,
    /// Department code.
    pub department: String,
    /// The SPEC 4 rule.
    pub rule: String,
    /// The numbers.
    pub reason: String,
}

/// Start and cutover wave of a scheduled service.
#[derive(Debug, Clone, Copy)]
struct Slot {
    start: u32,
    cutover: u32,
}

impl ReportData {
    /// Computes the report's facts.
    #[must_use]
    pub fn build(plan: &Plan, inv: &Inventory, sc: &Scenario) -> Self {
        let checks = consistency(plan, inv, sc);
        let index: HashMap<&str, ServiceIx> =
            inv.indexed().map(|(i, s)| (s.id.as_str(), i)).collect();
        let slots = slots(plan, inv, &index);
        let horizon = slots
            .iter()
            .flatten()
            .map(|s| s.cutover)
            .max()
            .unwrap_or(0)
            .min(MAX_WAVES);
        let capacities = capacities(inv, sc);
        let waves = waves(inv, sc, &slots, horizon, &capacities);
        let exposure = exposure(inv, &slots);
        let split_cost: f64 = exposure.iter().map(|e| e.cost).sum();
        let rules: HashMap<&str, &str> = plan
            .unscheduled
            .iter()
            .map(|u| (u.id.as_str(), u.rule.as_str()))
            .collect();
        let (services, departments) = services_and_departments(inv, sc, &slots, &exposure, &rules);
        let finish = (horizon > 0).then(|| sc.calendar.wave_end(horizon));
        let scheduled = slots.iter().filter(|s| s.is_some()).count();
        let migrating = inv.migrating().count();
        let lb = plan.summary.lower_bound_waves;
        let summary = Summary {
            scenario: plan.scenario.clone(),
            generator: plan.generator.as_ref().map(|g| g.name.clone()),
            overrides: plan.overrides.clone(),
            services_total: inv.services.len(),
            services_migrating: migrating,
            services_scheduled: scheduled,
            services_unscheduled: migrating.saturating_sub(scheduled),
            waves: horizon,
            lower_bound_waves: lb,
            gap_waves: horizon.saturating_sub(lb),
            gap_percent: (lb > 0)
                .then(|| 100.0 * f64::from(horizon.saturating_sub(lb)) / f64::from(lb)),
            split_cost,
            bottleneck: bottleneck(
                plan.summary.lower_bound_reason.as_ref(),
                &plan.summary.binding,
                horizon,
                lb,
            ),
            lower_bound_reason: plan.summary.lower_bound_reason.clone(),
            binding: plan.summary.binding.clone(),
            start: sc.calendar.start,
            finish,
            frozen_waves: waves.iter().filter(|w| w.frozen).count(),
            by_site: counts(inv, &slots, |s| (s.site as u8, s.site.as_str())),
            by_strategy: counts(inv, &slots, |s| (s.strategy as u8, s.strategy.as_str())),
            by_criticality: counts(inv, &slots, |s| {
                (s.criticality as u8, s.criticality.as_str())
            }),
        };
        Self {
            format: "waveplan-report/1",
            costs: costs(inv, sc, &slots, horizon),
            risk: None,
            summary,
            checks,
            capacities,
            retained_links: retained_links(inv, &slots),
            sites: vec![
                readiness(inv, sc, &slots, Site::PilotCloud),
                readiness(inv, sc, &slots, Site::Datacenter),
            ],
            unscheduled: plan
                .unscheduled
                .iter()
                .map(|u| {
                    let s = index.get(u.id.as_str()).map(|&i| &inv.services[i]);
                    UnscheduledRow {
                        id: u.id.as_str().to_owned(),
                        name: s.map(|s| s.name.clone()).unwrap_or_default(),
                        department: s
                            .map(|s| inv.departments[s.department].code.clone())
                            .unwrap_or_default(),
                        rule: u.rule.clone(),
                        reason: u.reason.clone(),
                    }
                })
                .collect(),
            settings: Settings::build(inv, sc),
            waves,
            departments,
            services,
            exposure,
        }
    }
}

/// A capacity rule (or the precedence bound's rule) as a noun phrase: `the dba team`.
fn rule_phrase(rule: &str) -> String {
    if let Some(team) = rule.strip_prefix("capacity.teams.") {
        return format!("the {team} team");
    }
    let fixed = match rule {
        "capacity.cutovers" => "the cutover limit",
        "capacity.per_department" => "the per-department cutover limit",
        "capacity.transfer_gib" => "the data-transfer limit",
        "capacity.target.vcpu" => "the target's vCPU",
        "capacity.target.memory_gib" => "the target's memory",
        "capacity.target.storage_gib" => "the target's storage",
        "dependency chain" => "a dependency chain",
        "duration_waves" => "a migration's duration",
        "window.not_before" => "a not_before date",
        "rules.critical_not_before_wave" => "the wait for critical services",
        "pin" => "a pin",
        "calendar.freeze" => "the calendar's freezes",
        "calendar.today" => "today's date",
        "calendar.blackout" => "a department blackout",
        other => other,
    };
    fixed.to_owned()
}

/// The report's opening sentence: which capacity is full most often, and what the lower
/// bound comes from (`None` for an empty plan, or a plan file that states neither).
fn bottleneck(
    reason: Option<&BoundReason>,
    binding: &[Binding],
    waves: u32,
    lower_bound: u32,
) -> Option<String> {
    if waves == 0 || (reason.is_none() && binding.is_empty()) {
        return None;
    }
    let mut text = match binding.first() {
        Some(b) => {
            let mut who = rule_phrase(&b.rule);
            if let Some(first) = who.get(..1) {
                who.replace_range(..1, &first.to_uppercase());
            }
            format!(
                "{who} is full in {} of {}",
                b.waves,
                super::fmt::plural(waves, "wave")
            )
        }
        None => "No capacity is full in any wave".to_owned(),
    };
    if let Some(r) = reason {
        text.push_str(&format!(
            "; the lower bound of {} comes from {}: {}",
            super::fmt::plural(lower_bound, "wave"),
            rule_phrase(&r.rule),
            r.detail
        ));
    }
    text.push('.');
    Some(text)
}

/// Collects consistency findings, keeping the first few in full.
#[derive(Default)]
struct Checks {
    list: Vec<String>,
    more: usize,
}

impl Checks {
    fn push(&mut self, s: String) {
        if self.list.len() < MAX_CHECKS {
            self.list.push(s);
        } else {
            self.more += 1;
        }
    }

    fn finish(mut self) -> Vec<String> {
        if self.more > 0 {
            self.list
                .push(format!("… and {} more differences", self.more));
        }
        self.list
    }
}

/// Where the plan's own numbers and lists disagree with these inputs, as `verify` finds
/// them (its `format.*` and `summary.*` breaches): the report draws what it recomputes, so
/// a plan that disagrees is flagged rather than trusted. The stale-input warnings come
/// first, in the planner's words. Broken hard rules are `waveplan verify`'s to list: the
/// report shows the loads as they are, over capacity or not.
fn consistency(plan: &Plan, inv: &Inventory, sc: &Scenario) -> Vec<String> {
    let mut checks = Checks::default();
    for c in stale_inputs(plan, inv, sc) {
        checks.push(c);
    }
    for b in crate::verify::verify(inv, sc, plan) {
        if b.rule.starts_with("format.") || b.rule.starts_with("summary.") {
            checks.push(format!("[{}] {}", b.rule, b.message));
        }
    }
    checks.finish()
}

/// The plan's waves per inventory service (`None`: not scheduled, or an entry the report
/// cannot draw, which `verify` reports).
fn slots(plan: &Plan, inv: &Inventory, index: &HashMap<&str, ServiceIx>) -> Vec<Option<Slot>> {
    let mut slots = vec![None; inv.services.len()];
    for p in &plan.services {
        let Some(&ix) = index.get(p.id.as_str()) else {
            continue;
        };
        let drawable =
            p.start_wave >= 1 && p.cutover_wave <= MAX_WAVES && p.start_wave <= p.cutover_wave;
        // The first listing wins, as in `verify`.
        if inv.services[ix].is_migrating() && drawable && slots[ix].is_none() {
            slots[ix] = Some(Slot {
                start: p.start_wave,
                cutover: p.cutover_wave,
            });
        }
    }
    slots
}

/// Why the plan may not have been made from these inputs (its digests or scenario name
/// differ), worded for a warning; shared with `explain`, which reads a plan the same way.
#[must_use]
pub fn stale_inputs(plan: &Plan, inv: &Inventory, sc: &Scenario) -> Vec<String> {
    let mut out = Vec::new();
    if !inv.sha256.is_empty() && plan.inventory_sha256 != inv.sha256 {
        out.push(
            "the plan was made from a different inventory (inventory_sha256 differs)".to_owned(),
        );
    }
    if !sc.sha256.is_empty() && plan.scenario_sha256 != sc.sha256 {
        out.push(
            "the plan was made from a different scenario (scenario_sha256 differs)".to_owned(),
        );
    }
    if plan.scenario != sc.name {
        out.push(format!(
            "the plan is for scenario `{}`, the scenario given is `{}`",
            plan.scenario, sc.name
        ));
    }
    out
}

/// Every team named in the scenario or in any service's effort, sorted.
fn team_names(inv: &Inventory, sc: &Scenario) -> Vec<String> {
    let mut names: Vec<String> = sc
        .capacity
        .teams
        .keys()
        .cloned()
        .chain(inv.services.iter().flat_map(|s| s.effort.keys().cloned()))
        .collect();
    names.sort();
    names.dedup();
    names
}

fn capacities(inv: &Inventory, sc: &Scenario) -> Vec<CapacityInfo> {
    let cap = |key: &str, label: &str, unit| CapacityInfo {
        key: key.to_owned(),
        label: label.to_owned(),
        unit,
    };
    let mut list = vec![
        cap("cutovers", "Cutovers", "services"),
        cap("per_department", "Cutovers, busiest department", "services"),
        cap("transfer_gib", "Data transfer", "GiB"),
    ];
    for t in team_names(inv, sc) {
        list.push(cap(
            &format!("teams.{t}"),
            &format!("Team {t}"),
            "person-days",
        ));
    }
    list.push(cap("target.vcpu", "Target vCPU", "vCPU"));
    list.push(cap("target.memory_gib", "Target memory", "GiB"));
    list.push(cap("target.storage_gib", "Target storage", "GiB"));
    list
}

fn load(key: &str, used: f64, capacity: Option<f64>) -> Load {
    Load {
        key: key.to_owned(),
        used,
        capacity,
        percent: capacity.filter(|&c| c > 0.0).map(|c| 100.0 * used / c),
        department: None,
    }
}

/// A service's per-wave share of its totals (duration is at least 1 in a valid inventory).
fn per_wave(s: &Service) -> f64 {
    f64::from(s.duration_waves.max(1))
}

fn waves(
    inv: &Inventory,
    sc: &Scenario,
    slots: &[Option<Slot>],
    horizon: u32,
    capacities: &[CapacityInfo],
) -> Vec<WaveRow> {
    let n = horizon as usize + 1;
    let teams: Vec<&str> = capacities
        .iter()
        .filter_map(|c| c.key.strip_prefix("teams."))
        .collect();
    let team_ix: HashMap<&str, usize> = teams.iter().enumerate().map(|(i, t)| (*t, i)).collect();
    let mut cutovers: Vec<Vec<ServiceIx>> = vec![Vec::new(); n];
    let mut started = vec![0usize; n];
    let mut active = vec![0usize; n];
    let mut transfer = vec![0.0; n];
    let mut team_load = vec![vec![0.0; teams.len()]; n];
    let mut res_added = vec![[0.0f64; 3]; n];
    for (ix, slot) in slots.iter().enumerate() {
        let Some(slot) = slot else { continue };
        let s = &inv.services[ix];
        cutovers[slot.cutover as usize].push(ServiceIx::new(ix));
        started[slot.start as usize] += 1;
        let r = s.resources;
        for (acc, v) in
            res_added[slot.start as usize]
                .iter_mut()
                .zip([r.vcpu, r.memory_gib, r.storage_gib])
        {
            *acc += v;
        }
        let per = per_wave(s);
        for k in slot.start..=slot.cutover {
            let k = k as usize;
            active[k] += 1;
            transfer[k] += s.data_gib / per;
            for (t, v) in &s.effort {
                if let Some(&i) = team_ix.get(t.as_str()) {
                    team_load[k][i] += v / per;
                }
            }
        }
    }
    let cal = &sc.calendar;
    let mut held = [0.0f64; 3];
    let mut rows = Vec::with_capacity(horizon as usize);
    for w in 1..=horizon {
        let k = w as usize;
        for (h, a) in held.iter_mut().zip(res_added[k]) {
            *h += a;
        }
        let range = cal.wave_range(w);
        let mut ids: Vec<&Service> = cutovers[k].iter().map(|&i| &inv.services[i]).collect();
        ids.sort_by(|a, b| a.id.cmp(&b.id));
        let mut by_dept: BTreeMap<String, u32> = BTreeMap::new();
        let mut dept_ix: BTreeMap<DeptIx, u32> = BTreeMap::new();
        for s in &ids {
            *by_dept
                .entry(inv.departments[s.department].code.clone())
                .or_default() += 1;
            *dept_ix.entry(s.department).or_default() += 1;
        }
        let mut loads = vec![load(
            "cutovers",
            ids.len() as f64,
            sc.capacity.cutovers.limit(w).map(f64::from),
        )];
        loads.push(busiest_department(inv, sc, &dept_ix));
        loads.push(load("transfer_gib", transfer[k], sc.capacity.transfer_gib));
        for (i, t) in teams.iter().enumerate() {
            let cap = sc.capacity.teams.get(*t).copied().flatten();
            loads.push(load(&format!("teams.{t}"), team_load[k][i], cap));
        }
        let caps = sc
            .capacity
            .target_step(range.from)
            .map_or([None; 3], crate::model::TargetInForce::caps);
        for (r, cap) in crate::model::Resource::ALL.into_iter().zip(caps) {
            let used = held[r as usize];
            loads.push(load(&format!("target.{}", r.name()), used, cap));
        }
        rows.push(WaveRow {
            wave: w,
            start: range.from,
            end: range.to,
            frozen: cal.is_frozen(w),
            freezes: cal
                .freezes
                .iter()
                .filter(|f| f.range.overlaps(&range))
                .map(|f| f.name.clone().unwrap_or_else(|| "freeze".to_owned()))
                .collect(),
            blackouts: inv
                .departments
                .iter()
                .filter(|d| d.blackouts.iter().any(|b| b.range.overlaps(&range)))
                .map(|d| d.code.clone())
                .collect(),
            started: started[k],
            active: active[k],
            critical: ids
                .iter()
                .filter(|s| s.criticality == Criticality::Critical)
                .map(|s| s.id.as_str().to_owned())
                .collect(),
            cutovers: ids.iter().map(|s| s.id.as_str().to_owned()).collect(),
            cutovers_by_department: by_dept,
            loads,
        });
    }
    rows
}

/// The department closest to its per-wave cutover limit (or, when none is limited, the one
/// with the most cutovers).
fn busiest_department(inv: &Inventory, sc: &Scenario, counts: &BTreeMap<DeptIx, u32>) -> Load {
    let mut best: Option<(f64, Load)> = None;
    for (&d, &n) in counts {
        let dept = &inv.departments[d];
        let cap = dept_limit(dept, sc).map(f64::from);
        let mut l = load("per_department", f64::from(n), cap);
        l.department = Some(dept.code.clone());
        // Rank by share of the limit; unlimited departments rank by count below any limited one.
        let rank = l.percent.unwrap_or(f64::from(n) * 1e-9);
        if best.as_ref().is_none_or(|(r, _)| rank > *r) {
            best = Some((rank, l));
        }
    }
    best.map_or_else(
        || {
            load(
                "per_department",
                0.0,
                sc.capacity.per_department.map(f64::from),
            )
        },
        |(_, l)| l,
    )
}

fn dept_limit(dept: &crate::model::Department, sc: &Scenario) -> Option<u32> {
    dept.cutover_limit(&sc.capacity)
}

fn exposure(inv: &Inventory, slots: &[Option<Slot>]) -> Vec<SplitEdge> {
    let mut edges = Vec::new();
    for (a, sa) in inv.services.iter().enumerate() {
        let Some(ca) = sa.split_end(slots[a].map(|s| s.cutover)) else {
            continue;
        };
        for e in &sa.depends_on {
            let sb = &inv.services[e.target];
            let Some(cb) = sb.split_end(slots[e.target].map(|s| s.cutover)) else {
                continue;
            };
            let waves = ca.abs_diff(cb);
            let cost = e.split_cost(ca, cb);
            // Same wave, or both already in production: nothing is split.
            if waves == 0 {
                continue;
            }
            edges.push(SplitEdge {
                from: sa.id.as_str().to_owned(),
                from_department: inv.departments[sa.department].code.clone(),
                from_cutover: ca,
                to: sb.id.as_str().to_owned(),
                to_department: inv.departments[sb.department].code.clone(),
                to_cutover: cb,
                waves,
                traffic: e.traffic,
                cost,
            });
        }
    }
    edges.sort_by(|x, y| {
        y.cost
            .total_cmp(&x.cost)
            .then(y.waves.cmp(&x.waves))
            .then_with(|| x.from.cmp(&y.from))
            .then_with(|| x.to.cmp(&y.to))
    });
    edges
}

fn retained_links(inv: &Inventory, slots: &[Option<Slot>]) -> Vec<RetainedLink> {
    // The wave from which a non-retained service runs in production, if it ever does.
    let in_cloud = |ix: ServiceIx| -> Option<u32> {
        let s = &inv.services[ix];
        if s.strategy == Strategy::Retire {
            return None;
        }
        slots[ix]
            .map(|sl| sl.cutover)
            .or(s.in_production().then_some(0))
    };
    let mut links = Vec::new();
    for (a, sa) in inv.indexed() {
        for e in &sa.depends_on {
            let sb = &inv.services[e.target];
            let (retained, other, direction) = match (sa.strategy, sb.strategy) {
                (Strategy::Retain, Strategy::Retain) => continue,
                (_, Strategy::Retain) => (e.target, a, "depends_on"),
                (Strategy::Retain, _) => (a, e.target, "depended_on"),
                _ => continue,
            };
            let r = &inv.services[retained];
            if r.in_production() {
                continue;
            }
            let Some(from_wave) = in_cloud(other) else {
                continue;
            };
            let o = &inv.services[other];
            links.push(RetainedLink {
                retained: r.id.as_str().to_owned(),
                retained_department: inv.departments[r.department].code.clone(),
                retained_site: r.site.as_str(),
                other: o.id.as_str().to_owned(),
                other_department: inv.departments[o.department].code.clone(),
                direction,
                from_wave,
                traffic: e.traffic,
                latency_sensitive: e.latency_sensitive,
            });
        }
    }
    links.sort_by(|x, y| {
        y.traffic
            .total_cmp(&x.traffic)
            .then_with(|| x.retained.cmp(&y.retained))
            .then_with(|| x.other.cmp(&y.other))
    });
    links
}

fn readiness(inv: &Inventory, sc: &Scenario, slots: &[Option<Slot>], site: Site) -> SiteReadiness {
    let mut r = SiteReadiness {
        site: site.as_str(),
        decommission_by: sc.decommission_by(site),
        services: 0,
        migrating: 0,
        scheduled: 0,
        retired: 0,
        last_cutover_wave: None,
        last_cutover_date: None,
        blocking: Vec::new(),
        ready: false,
        verdict: String::new(),
    };
    for (ix, s) in inv.services.iter().enumerate() {
        if s.site != site || s.status == Status::Migrated {
            continue;
        }
        r.services += 1;
        match s.strategy {
            Strategy::Retire => r.retired += 1,
            Strategy::Retain => r.blocking.push(format!("{} (retained)", s.id)),
            _ => {}
        }
        if s.is_migrating() {
            r.migrating += 1;
            match slots[ix] {
                Some(sl) => {
                    r.scheduled += 1;
                    r.last_cutover_wave = r.last_cutover_wave.max(Some(sl.cutover));
                }
                None => r.blocking.push(format!("{} (unscheduled)", s.id)),
            }
        }
    }
    r.blocking.sort();
    r.last_cutover_date = r.last_cutover_wave.map(|w| sc.calendar.wave_end(w));
    let on_time = match (r.last_cutover_date, r.decommission_by) {
        (Some(last), Some(by)) => last <= by,
        _ => true,
    };
    r.ready = r.blocking.is_empty() && on_time;
    let when = match (r.last_cutover_wave, r.last_cutover_date) {
        (Some(w), Some(d)) => format!("its last service cuts over in wave {w} (ends {d})"),
        _ => "nothing there is scheduled to move".to_owned(),
    };
    let by = r.decommission_by.map_or_else(
        || "no decommission date is set".to_owned(),
        |d| format!("due by {d}"),
    );
    r.verdict = if r.services == 0 {
        format!("no services run on the {} now", r.site)
    } else if r.ready {
        format!("ready: {when}; {by}")
    } else if !r.blocking.is_empty() {
        format!(
            "not ready: {} keep it running; {when}; {by}",
            super::fmt::plural_of(r.blocking.len(), "service")
        )
    } else {
        format!("late: {when}; {by}")
    };
    r
}

/// Services counted by a key, in the key's own order (critical first, not alphabetical):
/// `key` gives its rank and its name.
fn counts(
    inv: &Inventory,
    slots: &[Option<Slot>],
    key: impl Fn(&Service) -> (u8, &'static str),
) -> Vec<CountRow> {
    let mut map: BTreeMap<(u8, &'static str), CountRow> = BTreeMap::new();
    for (ix, s) in inv.services.iter().enumerate() {
        let (rank, k) = key(s);
        let row = map.entry((rank, k)).or_insert(CountRow {
            key: k,
            services: 0,
            migrating: 0,
            scheduled: 0,
        });
        row.services += 1;
        row.migrating += usize::from(s.is_migrating());
        row.scheduled += usize::from(slots[ix].is_some());
    }
    map.into_values().collect()
}

fn services_and_departments(
    inv: &Inventory,
    sc: &Scenario,
    slots: &[Option<Slot>],
    exposure: &[SplitEdge],
    rules: &HashMap<&str, &str>,
) -> (Vec<ServiceRow>, Vec<DepartmentRow>) {
    let mut split: HashMap<&str, Vec<SplitDependency>> = HashMap::new();
    for e in exposure {
        split
            .entry(e.from.as_str())
            .or_default()
            .push(SplitDependency {
                id: e.to.clone(),
                waves: e.waves,
            });
    }
    for v in split.values_mut() {
        v.sort_by(|a, b| a.id.cmp(&b.id));
    }
    let mut order: Vec<ServiceIx> = inv.migrating().collect();
    order.sort_by(|&a, &b| {
        let key = |i: ServiceIx| {
            let s = &inv.services[i];
            (
                inv.departments[s.department].code.as_str(),
                slots[i].map_or(u32::MAX, |sl| sl.cutover),
                slots[i].map_or(u32::MAX, |sl| sl.start),
                s.id.as_str(),
            )
        };
        key(a).cmp(&key(b))
    });
    let cal = &sc.calendar;
    let services: Vec<ServiceRow> = order
        .iter()
        .map(|&ix| {
            let s = &inv.services[ix];
            let slot = slots[ix];
            let mut deps: Vec<String> = s
                .depends_on
                .iter()
                .map(|e| inv.services[e.target].id.as_str().to_owned())
                .collect();
            deps.sort();
            ServiceRow {
                id: s.id.as_str().to_owned(),
                name: s.name.clone(),
                department: inv.departments[s.department].code.clone(),
                site: s.site.as_str(),
                strategy: s.strategy.as_str(),
                criticality: s.criticality.as_str(),
                duration_waves: s.duration_waves,
                start_wave: slot.map(|sl| sl.start),
                cutover_wave: slot.map(|sl| sl.cutover),
                start_date: slot.map(|sl| cal.wave_start(sl.start)),
                cutover_date: slot.map(|sl| cal.wave_end(sl.cutover)),
                depends_on: deps,
                split_dependencies: split.remove(s.id.as_str()).unwrap_or_default(),
                unscheduled_rule: rules.get(s.id.as_str()).map(|r| (*r).to_owned()),
            }
        })
        .collect();

    let mut depts: Vec<usize> = (0..inv.departments.len()).collect();
    depts.sort_by(|&a, &b| inv.departments[a].code.cmp(&inv.departments[b].code));
    let mut totals = vec![0usize; inv.departments.len()];
    for s in &inv.services {
        totals[s.department] += 1;
    }
    let mut rows = Vec::new();
    let mut at = 0;
    for d in depts {
        let dept = &inv.departments[d];
        let begin = at;
        while at < services.len() && services[at].department == dept.code {
            at += 1;
        }
        let mine = &services[begin..at];
        if mine.is_empty() {
            continue;
        }
        rows.push(DepartmentRow {
            code: dept.code.clone(),
            name: dept.name.clone(),
            local_name: dept.local_name.clone(),
            services: totals[d],
            migrating: mine.len(),
            scheduled: mine.iter().filter(|s| s.cutover_wave.is_some()).count(),
            first_wave: mine.iter().filter_map(|s| s.start_wave).min(),
            last_wave: mine.iter().filter_map(|s| s.cutover_wave).max(),
            cutover_limit: dept_limit(dept, sc),
            blackouts: dept
                .blackouts
                .iter()
                .map(|b| match &b.reason {
                    Some(r) => format!("{} to {} ({r})", b.range.from, b.range.to),
                    None => format!("{} to {}", b.range.from, b.range.to),
                })
                .collect(),
            rows: begin..at,
        });
    }
    (services, rows)
}
