//! The validated scenario: calendar, capacities, site rules, edge defaults and pins.

use std::collections::BTreeMap;
use std::path::PathBuf;

use jiff::civil::Date;

use super::{Calendar, Order, ServiceId};

/// The cutover limit per wave: one number, or a ramp whose last entry repeats.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CutoverCap {
    /// Entry k limits wave k+1; `None` entries are unlimited. Empty means unlimited.
    pub ramp: Vec<Option<u32>>,
}

impl CutoverCap {
    /// The limit for wave `w` (1-based), `None` when unlimited.
    #[must_use]
    pub fn limit(&self, w: u32) -> Option<u32> {
        let last = self.ramp.len().checked_sub(1)?;
        let k = usize::try_from(w.saturating_sub(1)).map_or(last, |k| k.min(last));
        self.ramp[k]
    }
}

/// One step of the production-cloud capacity ramp.
#[derive(Debug, Clone, PartialEq)]
pub struct TargetStep {
    /// In force from this day on (until the next step).
    pub from: Date,
    /// vCPU available; `None` is unlimited.
    pub vcpu: Option<f64>,
    /// Memory available in GiB; `None` is unlimited.
    pub memory_gib: Option<f64>,
    /// Storage available in GiB; `None` is unlimited.
    pub storage_gib: Option<f64>,
}

/// A capacity as written: a number, or `unlimited`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Limit<T> {
    /// `unlimited`.
    Unlimited,
    /// At most this much.
    At(T),
}

impl<T: Copy> Limit<T> {
    /// The limit, `None` when unlimited (the convention of [`Capacity`]'s fields).
    #[must_use]
    pub const fn value(self) -> Option<T> {
        match self {
            Self::Unlimited => None,
            Self::At(v) => Some(v),
        }
    }
}

/// The production-cloud capacity in force on a day, when the scenario sets a target.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum TargetInForce<'a> {
    /// Before the first step: nothing is available yet.
    BeforeFirstStep,
    /// This step is in force.
    Step(&'a TargetStep),
}

impl TargetInForce<'_> {
    /// vCPU, memory and storage available (`None`: that resource is unlimited).
    #[must_use]
    pub fn caps(self) -> [Option<f64>; 3] {
        match self {
            Self::BeforeFirstStep => [Some(0.0); 3],
            Self::Step(s) => [s.vcpu, s.memory_gib, s.storage_gib],
        }
    }
}

/// Per-wave capacities (SPEC 3 `capacity`); `None` always means unlimited.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Capacity {
    /// Max cutovers per wave.
    pub cutovers: CutoverCap,
    /// Max cutovers of one department per wave.
    pub per_department: Option<u32>,
    /// Max data copied per wave, GiB.
    pub transfer_gib: Option<f64>,
    /// Person-days per wave per named team (`None`: named but unlimited).
    pub teams: BTreeMap<String, Option<f64>>,
    /// Production-cloud capacity over time; `None` is unlimited.
    pub target: Option<Vec<TargetStep>>,
}

impl Capacity {
    /// The target in force on `day`; `None` when the scenario sets no target (unlimited).
    #[must_use]
    pub fn target_step(&self, day: Date) -> Option<TargetInForce<'_>> {
        let steps = self.target.as_ref()?;
        Some(
            steps
                .iter()
                .rev()
                .find(|s| s.from <= day)
                .map_or(TargetInForce::BeforeFirstStep, TargetInForce::Step),
        )
    }
}

/// Decommission dates of the current sites.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SiteRules {
    /// Every pilot-cloud service must have cut over by this day.
    pub pilot_cloud_decommission_by: Option<Date>,
    /// Every data-centre service must have cut over by this day.
    pub datacenter_decommission_by: Option<Date>,
}

/// Scenario-wide rule defaults.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rules {
    /// The order of edges that do not name one.
    pub dependency_order: Order,
    /// Critical services may not cut over before this wave (>= 1).
    pub critical_not_before_wave: u32,
}

impl Default for Rules {
    fn default() -> Self {
        Self {
            dependency_order: Order::TogetherOrBefore,
            critical_not_before_wave: 1,
        }
    }
}

/// A validated scenario with its `extends` chain already merged.
#[derive(Debug, Clone, PartialEq)]
pub struct Scenario {
    /// Name; plan files are named after it.
    pub name: String,
    /// Free text.
    pub description: Option<String>,
    /// The wave calendar.
    pub calendar: Calendar,
    /// Capacities.
    pub capacity: Capacity,
    /// Site decommission dates.
    pub sites: SiteRules,
    /// Rule defaults.
    pub rules: Rules,
    /// Fixed cutover waves.
    pub pins: BTreeMap<ServiceId, u32>,
    /// The transition-cost model, when the scenario has `costs:`.
    pub costs: Option<super::Costs>,
    /// The uncertainty model of `waveplan risk`, when the scenario has `risk:`.
    pub risk: Option<super::RiskModel>,
    /// The scenario file followed by each file up its `extends` chain.
    pub files: Vec<PathBuf>,
    /// SHA-256 (lowercase hex) of those files' bytes, in that order.
    pub sha256: String,
}

impl Scenario {
    /// The scenario used when no file is given: defaults only, starting on `start`.
    #[must_use]
    pub fn defaults(start: Date) -> Self {
        Self {
            name: "default".to_owned(),
            description: None,
            calendar: Calendar {
                start,
                wave_length_days: 14,
                max_waves: 520,
                today: None,
                freezes: Vec::new(),
            },
            capacity: Capacity::default(),
            sites: SiteRules::default(),
            rules: Rules::default(),
            pins: BTreeMap::new(),
            costs: None,
            risk: None,
            files: Vec::new(),
            sha256: String::new(),
        }
    }

    /// The decommission date of a site, if any.
    #[must_use]
    pub fn decommission_by(&self, site: super::Site) -> Option<Date> {
        match site {
            super::Site::PilotCloud => self.sites.pilot_cloud_decommission_by,
            super::Site::Datacenter => self.sites.datacenter_decommission_by,
            super::Site::ProductionCloud => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ramp_repeats_its_last_entry() {
        let cap = CutoverCap {
            ramp: vec![Some(3), Some(5), None, Some(8)],
        };
        assert_eq!(cap.limit(1), Some(3));
        assert_eq!(cap.limit(2), Some(5));
        assert_eq!(cap.limit(3), None);
        assert_eq!(cap.limit(4), Some(8));
        assert_eq!(cap.limit(40), Some(8));
        assert_eq!(CutoverCap::default().limit(1), None);
    }
}
