//! The CSV report: one row per migrating service, the sheet departments open. Lists inside
//! a cell (dependencies) are separated by `; ` so the sheet stays one row per service.

use super::ReportData;
use super::fmt::plural;

/// Column headers, in order.
pub const HEADERS: [&str; 16] = [
    "id",
    "name",
    "department",
    "department_name",
    "site",
    "strategy",
    "criticality",
    "duration_waves",
    "start_wave",
    "cutover_wave",
    "start_date",
    "cutover_date",
    "depends_on",
    "split_dependencies",
    "split_waves",
    "unscheduled_rule",
];

/// Renders the report as CSV.
///
/// # Errors
/// Only if the in-memory writer fails (a bug).
pub fn render(data: &ReportData) -> Result<String, csv::Error> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(HEADERS)?;
    for d in &data.departments {
        for s in &data.services[d.rows.clone()] {
            let split: Vec<String> = s
                .split_dependencies
                .iter()
                .map(|x| format!("{} ({})", x.id, plural(x.waves, "wave")))
                .collect();
            let split_waves: u32 = s.split_dependencies.iter().map(|x| x.waves).sum();
            let blank = |v: Option<String>| v.unwrap_or_default();
            w.write_record([
                s.id.as_str(),
                s.name.as_str(),
                s.department.as_str(),
                d.name.as_str(),
                s.site,
                s.strategy,
                s.criticality,
                &s.duration_waves.to_string(),
                &blank(s.start_wave.map(|v| v.to_string())),
                &blank(s.cutover_wave.map(|v| v.to_string())),
                &blank(s.start_date.map(|v| v.to_string())),
                &blank(s.cutover_date.map(|v| v.to_string())),
                &s.depends_on.join("; "),
                &split.join("; "),
                &split_waves.to_string(),
                s.unscheduled_rule.as_deref().unwrap_or_default(),
            ])?;
        }
    }
    let bytes = w
        .into_inner()
        .map_err(|e| csv::Error::from(e.into_error()))?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}
