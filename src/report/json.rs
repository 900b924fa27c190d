//! The JSON report: [`ReportData`] serialised, pretty-printed, with a final newline.

use super::ReportData;

/// Renders the report as JSON.
///
/// # Errors
/// Only if serialisation fails (a bug).
pub fn render(data: &ReportData) -> Result<String, serde_json::Error> {
    let mut s = serde_json::to_string_pretty(data)?;
    s.push('\n');
    Ok(s)
}
