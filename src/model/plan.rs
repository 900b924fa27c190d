//! The plan file (SPEC 6): what `plan` writes and `verify`, `report` and `diff` read.

use std::collections::BTreeMap;

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use super::ServiceId;

/// The value of a plan's `format` field.
pub const PLAN_FORMAT: &str = "waveplan-plan/1";

/// A wave plan. Field order is the order written to files.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Plan {
    /// Always [`PLAN_FORMAT`].
    pub format: String,
    /// The scenario's name.
    pub scenario: String,
    /// Digest of the inventory files.
    pub inventory_sha256: String,
    /// Digest of the scenario file and its `extends` chain.
    pub scenario_sha256: String,
    /// Who made the plan and with which search budget.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub generator: Option<PlanGenerator>,
    /// The `--set` overrides the plan was made with, in the order applied (SPEC 6); the plan
    /// is valid against the scenario with these applied.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub overrides: Vec<String>,
    /// Headline numbers.
    pub summary: PlanSummary,
    /// Waves 1..makespan, every one listed.
    pub waves: Vec<PlanWave>,
    /// Every scheduled service, sorted by id.
    pub services: Vec<PlanService>,
    /// Every migrating service that could not be placed, sorted by id.
    pub unscheduled: Vec<Unscheduled>,
}

/// The `generator` block: reproducibility information.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlanGenerator {
    /// `waveplan <version>`.
    pub name: String,
    /// Seed of the randomised search.
    pub seed: u64,
    /// Deterministic search budget.
    pub effort: u64,
}

/// The plan's headline numbers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlanSummary {
    /// Services in the inventory.
    pub services_total: u64,
    /// Services that migrate.
    pub services_migrating: u64,
    /// Migrating services that got waves.
    pub services_scheduled: u64,
    /// Makespan: the largest cutover wave.
    pub waves: u32,
    /// A proven lower bound on the makespan of any plan scheduling the same services.
    pub lower_bound_waves: u32,
    /// Which bound gives `lower_bound_waves` its value; `None` when nothing is scheduled (and
    /// in plan files written before it existed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lower_bound_reason: Option<BoundReason>,
    /// What the bound is made of: each bound the scheduler proved, by rule, largest first
    /// (`lower_bound_waves` is the first); empty when nothing is scheduled (and in plan
    /// files written before it existed).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub lower_bound_parts: Vec<BoundPart>,
    /// Capacity rules full in at least one wave, most waves first, then by rule name.
    #[serde(default)]
    pub binding: Vec<Binding>,
    /// Cross-site traffic × waves split (SPEC 5).
    pub split_cost: f64,
    /// What running both sites costs over the plan's waves, by part, when the scenario has
    /// `costs:` (docs/costs.md); not part of the objective.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transition_cost: Option<super::TransitionCost>,
    /// First day of wave 1.
    pub start: Date,
    /// Last day of the makespan wave; `None` when nothing is scheduled.
    pub finish: Option<Date>,
}

/// The bound behind `lower_bound_waves`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BoundReason {
    /// A SPEC 4 rule name (`capacity.teams.dba`, `window.not_before`, ...), `dependency chain`
    /// or `duration_waves`.
    pub rule: String,
    /// One sentence with the numbers.
    pub detail: String,
}

/// One bound the scheduler proved: no plan scheduling the same services ends before `waves`
/// by `rule` alone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BoundPart {
    /// A rule name as in [`BoundReason::rule`].
    pub rule: String,
    /// The bound by that rule, in waves.
    pub waves: u32,
}

/// A capacity rule and the number of the plan's waves in which it is full.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Binding {
    /// The SPEC 4 rule name (`capacity.cutovers`, `capacity.teams.dba`, ...).
    pub rule: String,
    /// Waves 1..makespan in which no further service's share of it would fit.
    pub waves: u32,
}

/// One wave of the plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlanWave {
    /// 1-based wave number.
    pub wave: u32,
    /// First day.
    pub start: Date,
    /// Last day.
    pub end: Date,
    /// Overlaps a calendar freeze.
    pub frozen: bool,
    /// Ids cutting over in this wave, sorted.
    pub cutovers: Vec<ServiceId>,
    /// Load against the per-wave capacities.
    pub load: PlanWaveLoad,
    /// Target resources held by services started by this wave.
    pub target_used: TargetUsed,
}

/// Per-wave load.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlanWaveLoad {
    /// Services cutting over.
    pub cutovers: u32,
    /// Data copied, GiB.
    pub transfer_gib: f64,
    /// Person-days per team, every team named anywhere, sorted.
    pub teams: BTreeMap<String, f64>,
}

/// Target resources in use.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct TargetUsed {
    /// vCPUs.
    pub vcpu: f64,
    /// Memory, GiB.
    pub memory_gib: f64,
    /// Storage, GiB.
    pub storage_gib: f64,
}

/// A scheduled service.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanService {
    /// Service id.
    pub id: ServiceId,
    /// Department code.
    pub department: String,
    /// First wave it occupies.
    pub start_wave: u32,
    /// Wave it cuts over in.
    pub cutover_wave: u32,
}

/// A migrating service that could not be placed, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Unscheduled {
    /// Service id.
    pub id: ServiceId,
    /// The SPEC 4 rule that made placement impossible.
    pub rule: String,
    /// The numbers behind it.
    pub reason: String,
}
