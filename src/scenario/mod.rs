//! What-if analysis: scenario variants (a scenario file plus `--set` overrides, sweeps
//! expanded into a grid) planned side by side in parallel, plan diffs, "why is this service
//! in this wave" explanations, and re-planning that keeps a previous plan stable.
//!
//! Owns variants, comparison rows and their renderings (table, Markdown, CSV, JSON, an HTML
//! page), plan diffs, the explanation's independent rule evaluator, and the stable re-plan.
//! Uses `load` (overrides are applied to the trees before conversion) and `schedule`; must
//! not print or read the environment: the CLI does that. The explanation never calls the
//! scheduler: it re-evaluates SPEC 4's rules on model types itself.

pub mod compare;
pub mod diff;
pub mod explain;
pub mod page;
pub mod render;
pub mod resume;
pub mod stable;
pub mod variant;

pub use compare::Row;
pub use diff::{PlanDiff, diff};
pub use variant::{Sweep, Variant};
