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

/// CSV text: a header line, then one line per record, quoted where needed (RFC 4180).
///
/// # Errors
/// Only if the in-memory writer fails (a bug).
pub fn write<R, F>(header: &[&str], records: R) -> Result<String, csv::Error>
where
    R: IntoIterator<Item = Vec<F>>,
    F: AsRef<[u8]>,
{
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(header)?;
    for r in records {
        w.write_record(r)?;
    }
    let bytes = w
        .into_inner()
        .map_err(|e| csv::Error::from(e.into_error()))?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

/// Renders the report as CSV.
///
/// # Errors
/// Only if the in-memory writer fails (a bug).
pub fn render(data: &ReportData) -> Result<String, csv::Error> {
    let mut records = Vec::with_capacity(data.services.len());
    for d in &data.departments {
        for s in &data.services[d.rows.clone()] {
            let split: Vec<String> = s
                .split_dependencies
                .iter()
                .map(|x| format!("{} ({})", x.id, plural(x.waves, "wave")))
                .collect();
            let split_waves: u32 = s.split_dependencies.iter().map(|x| x.waves).sum();
            let blank = |v: Option<String>| v.unwrap_or_default();
            records.push(vec![
                s.id.clone(),
                s.name.clone(),
                s.department.clone(),
                d.name.clone(),
                s.site.to_owned(),
                s.strategy.to_owned(),
                s.criticality.to_owned(),
                s.duration_waves.to_string(),
                blank(s.start_wave.map(|v| v.to_string())),
                blank(s.cutover_wave.map(|v| v.to_string())),
                blank(s.start_date.map(|v| v.to_string())),
                blank(s.cutover_date.map(|v| v.to_string())),
                s.depends_on.join("; "),
                split.join("; "),
                split_waves.to_string(),
                s.unscheduled_rule.clone().unwrap_or_default(),
            ]);
        }
    }
    write(&HEADERS, records)
}
