//! Reports: renders a plan, with the inventory and scenario it was made from, as Markdown,
//! one self-contained HTML page (inline SVG charts), CSV (one row per migrating service),
//! JSON, or an iCalendar file of the departments' cutover waves and the freezes.
//!
//! Owns the report's content ([`ReportData`], computed once by [`ReportData::build`]) and its
//! five renderings. Must not schedule, print, or read files: loads and percentages are
//! recomputed from the inventory and scenario, and the plan file's own numbers are only
//! compared with them (mismatches are listed under `checks`).

mod content;
pub mod csv;
mod facts;
pub mod fmt;
mod html;
mod ics;
mod json;
mod markdown;
mod mermaid;
mod settings;
mod svg;
pub mod table;

#[cfg(test)]
mod tests;

use std::path::Path;

pub use facts::{
    CapacityInfo, CostReport, CountRow, DepartmentCost, DepartmentRow, Load, ReportData,
    RetainedLink, ServiceRow, SiteReadiness, SplitEdge, Summary, UnscheduledRow, WaveCost, WaveRow,
    stale_inputs,
};
pub use markdown::risk_page;
pub use settings::Settings;

use crate::model::{Inventory, Plan, Scenario};

/// The five report formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Format {
    /// Markdown with a Mermaid Gantt block.
    Markdown,
    /// One self-contained HTML page with inline SVG charts.
    Html,
    /// One row per migrating service.
    Csv,
    /// The same facts as the other formats, for scripts.
    Json,
    /// An iCalendar file (RFC 5545): each department's cutover waves and the freezes as
    /// all-day events.
    Ics,
}

impl Format {
    /// The format a file name asks for, from its extension (`.md`, `.html`/`.htm`, `.csv`,
    /// `.json`, `.ics`); `None` for anything else.
    #[must_use]
    pub fn from_path(path: &Path) -> Option<Self> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "md" | "markdown" => Some(Self::Markdown),
            "html" | "htm" => Some(Self::Html),
            "csv" => Some(Self::Csv),
            "json" => Some(Self::Json),
            "ics" => Some(Self::Ics),
            _ => None,
        }
    }
}

/// Why a report could not be rendered.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    /// The CSV writer failed (an internal bug: it writes to memory).
    #[error("cannot write the CSV report: {0}")]
    Csv(#[from] ::csv::Error),
    /// The JSON serialiser failed (an internal bug).
    #[error("cannot write the JSON report: {0}")]
    Json(#[from] serde_json::Error),
}

/// Renders the report of `plan` in `format`.
///
/// # Errors
/// Only when a serialiser fails, which would be a bug.
pub fn render(
    plan: &Plan,
    inventory: &Inventory,
    scenario: &Scenario,
    format: Format,
) -> Result<String, ReportError> {
    let data = ReportData::build(plan, inventory, scenario);
    render_data(&data, format)
}

/// Renders already computed report data in `format`.
///
/// # Errors
/// Only when a serialiser fails, which would be a bug.
pub fn render_data(data: &ReportData, format: Format) -> Result<String, ReportError> {
    Ok(match format {
        Format::Markdown => markdown::render(data),
        Format::Html => html::render(data),
        Format::Csv => csv::render(data)?,
        Format::Json => json::render(data)?,
        Format::Ics => ics::render(data, None),
    })
}

/// Renders the calendar (the [`Format::Ics`] report) of `data`, narrowed to the department
/// with code `department` when given: its cutovers and blackouts, and the freezes.
#[must_use]
pub fn render_calendar(data: &ReportData, department: Option<&str>) -> String {
    ics::render(data, department)
}
