//! Domain types: the validated inventory, the scenario, the calendar and the plan.
//!
//! Owns the meaning of the data (which services migrate, an edge's effective order, the
//! dates of a wave). Must not do I/O or know any file format: `load` builds these types,
//! everything else reads them.

mod calendar;
mod costs;
mod ids;
mod import;
mod index;
mod inventory;
mod plan;
mod risk;
mod rule;
mod scenario;
pub mod words;

pub use calendar::{Calendar, DateRange, Freeze, MAX_WAVES};
pub use costs::{CostBreakdown, Costs, SitePrice, TransitionCost};
pub use ids::ServiceId;
pub use import::{
    Attribute, ColumnSpec, Defaults, DepartmentName, DepartmentRule, DraftDepartment, DraftEdge,
    DraftResources, DraftService, Field, FlowRules, Grouping, IMPORTED_META_KEYS, ImportMap,
    MetaValue,
};
pub use index::{DeptIx, ServiceIx};
pub use inventory::{
    Blackout, Criticality, Department, Edge, Effort, EffortIter, Inventory, Order, Resources,
    Service, Site, Status, Strategy,
};
pub use plan::{
    Binding, BoundPart, BoundReason, PLAN_FORMAT, Plan, PlanGenerator, PlanService, PlanSummary,
    PlanWave, PlanWaveLoad, TargetUsed, Unscheduled,
};
pub use risk::{ByCriticality, ByStrategy, Overrun, RiskModel, Season};
pub use rule::{Resource, Rule};
pub use scenario::{
    Capacity, CutoverCap, Limit, Rules, Scenario, SiteRules, TargetInForce, TargetStep,
};
