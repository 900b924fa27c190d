//! The scenario's settings as the report shows them: every limit spelled out, `unlimited`
//! where there is none, plus the departments' own overrides and blackouts.

use std::collections::BTreeMap;

use jiff::civil::Date;
use serde::Serialize;

use crate::model::{Inventory, Scenario};

/// The name shown for a freeze the scenario leaves unnamed.
pub(super) const UNNAMED_FREEZE: &str = "freeze";

/// The scenario's settings, flattened for display.
#[derive(Debug, Clone, Serialize)]
pub struct Settings {
    /// Scenario name.
    pub name: String,
    /// Free text.
    pub description: Option<String>,
    /// First day of wave 1.
    pub start: Date,
    /// Days per wave.
    pub wave_length_days: u32,
    /// Horizon.
    pub max_waves: u32,
    /// No planned service occupies a wave starting before this day.
    pub today: Option<Date>,
    /// Calendar freezes.
    pub freezes: Vec<Period>,
    /// Cutovers per wave: one number or a ramp; `None` entries are unlimited; empty is unlimited.
    pub cutovers: Vec<Option<u32>>,
    /// Max cutovers of one department per wave.
    pub per_department: Option<u32>,
    /// Max data copied per wave, GiB.
    pub transfer_gib: Option<f64>,
    /// Person-days per wave per named team.
    pub teams: BTreeMap<String, Option<f64>>,
    /// Production-cloud capacity steps; `None` is unlimited.
    pub target: Option<Vec<TargetStepRow>>,
    /// Pilot-cloud decommission date.
    pub pilot_cloud_decommission_by: Option<Date>,
    /// Data-centre decommission date.
    pub datacenter_decommission_by: Option<Date>,
    /// Default edge order.
    pub dependency_order: &'static str,
    /// Critical services cut over no earlier than this wave.
    pub critical_not_before_wave: u32,
    /// Pinned cutover waves.
    pub pins: BTreeMap<String, u32>,
    /// Departments' own per-wave cutover limits (`None`: lifted).
    pub department_limits: BTreeMap<String, Option<u32>>,
    /// Departments' blackouts.
    pub blackouts: Vec<Period>,
}

/// A named period: a freeze, or a department's blackout.
#[derive(Debug, Clone, Serialize)]
pub struct Period {
    /// The freeze's name ([`UNNAMED_FREEZE`] when it has none), or the department code for
    /// a blackout.
    pub name: String,
    /// Why (blackouts only: a freeze's name is all the scenario says of it).
    pub reason: Option<String>,
    /// First day.
    pub from: Date,
    /// Last day.
    pub to: Date,
}

/// One production-cloud capacity step.
#[derive(Debug, Clone, Serialize)]
pub struct TargetStepRow {
    /// In force from this day.
    pub from: Date,
    /// vCPU (`None`: unlimited).
    pub vcpu: Option<f64>,
    /// Memory GiB.
    pub memory_gib: Option<f64>,
    /// Storage GiB.
    pub storage_gib: Option<f64>,
}

impl Settings {
    /// Collects the settings of `sc` and the departments' overrides in `inv`.
    #[must_use]
    pub fn build(inv: &Inventory, sc: &Scenario) -> Self {
        let cal = &sc.calendar;
        let cap = &sc.capacity;
        let mut blackouts: Vec<Period> = inv
            .departments
            .iter()
            .flat_map(|d| {
                d.blackouts.iter().map(|b| Period {
                    name: d.code.clone(),
                    reason: b.reason.clone(),
                    from: b.range.from,
                    to: b.range.to,
                })
            })
            .collect();
        blackouts.sort_by(|a, b| (a.from, &a.name).cmp(&(b.from, &b.name)));
        Self {
            name: sc.name.clone(),
            description: sc.description.clone(),
            start: cal.start,
            wave_length_days: cal.wave_length_days,
            max_waves: cal.max_waves,
            today: cal.today,
            freezes: cal
                .freezes
                .iter()
                .map(|f| Period {
                    name: f.name.clone().unwrap_or_else(|| UNNAMED_FREEZE.to_owned()),
                    reason: None,
                    from: f.range.from,
                    to: f.range.to,
                })
                .collect(),
            cutovers: cap.cutovers.ramp.clone(),
            per_department: cap.per_department,
            transfer_gib: cap.transfer_gib,
            teams: cap.teams.clone(),
            target: cap.target.as_ref().map(|steps| {
                steps
                    .iter()
                    .map(|s| TargetStepRow {
                        from: s.from,
                        vcpu: s.vcpu,
                        memory_gib: s.memory_gib,
                        storage_gib: s.storage_gib,
                    })
                    .collect()
            }),
            pilot_cloud_decommission_by: sc.sites.pilot_cloud_decommission_by,
            datacenter_decommission_by: sc.sites.datacenter_decommission_by,
            dependency_order: sc.rules.dependency_order.as_str(),
            critical_not_before_wave: sc.rules.critical_not_before_wave,
            pins: sc
                .pins
                .iter()
                .map(|(k, v)| (k.as_str().to_owned(), *v))
                .collect(),
            department_limits: inv
                .departments
                .iter()
                .filter_map(|d| Some((d.code.clone(), d.max_cutovers_per_wave?.value())))
                .collect(),
            blackouts,
        }
    }
}
