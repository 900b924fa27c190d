//! Plan files (SPEC 6): written as YAML or JSON, read back for `verify`, `report` and `diff`.

use std::path::Path;

use super::diag::Diagnostic;
use super::inventory::read_text;
use super::yaml::Sources;
use crate::model::Plan;

/// Serialises a plan as YAML.
///
/// # Errors
/// Only if serialisation itself fails (an internal bug).
pub fn to_yaml(plan: &Plan) -> Result<String, Diagnostic> {
    serde_saphyr::to_string(plan)
        .map_err(|e| Diagnostic::error("internal", format!("cannot write the plan as YAML: {e}")))
}

/// Serialises a plan as pretty JSON with a final newline.
///
/// # Errors
/// Only if serialisation itself fails (an internal bug).
pub fn to_json(plan: &Plan) -> Result<String, Diagnostic> {
    serde_json::to_string_pretty(plan)
        .map(|mut s| {
            s.push('\n');
            s
        })
        .map_err(|e| Diagnostic::error("internal", format!("cannot write the plan as JSON: {e}")))
}

/// Reads a plan file (JSON when it starts with `{`, YAML otherwise).
///
/// # Errors
/// A diagnostic with the file, line and column of the first problem.
pub fn read(path: &Path) -> Result<Plan, Diagnostic> {
    let (_, text) = read_text(path)?;
    let hint = "give a plan written by `waveplan plan` (SPEC 6); see docs/plan-format.md";
    if text.trim_start().starts_with('{') {
        return serde_json::from_str(&text).map_err(|e| {
            let mut d = Diagnostic::error("bad-plan", format!("invalid plan: {e}"))
                .in_file(path)
                .hint(hint);
            d.line = u32::try_from(e.line()).unwrap_or(0);
            d.column = u32::try_from(e.column()).unwrap_or(0);
            d.source_line = text
                .lines()
                .nth(e.line().saturating_sub(1))
                .map(str::to_owned);
            d
        });
    }
    let mut sources = Sources::default();
    let src = sources.add(path, text);
    // One parse, with the same budget as inventories (a plan lists every service).
    serde_saphyr::from_str_with_options::<Plan>(&sources.0[src].text, super::yaml::options())
        .map_err(|e| {
            let (line, column, message) = super::yaml::parser_error(&e);
            sources
                .at_pos(
                    src,
                    line,
                    column,
                    "bad-plan",
                    format!("invalid plan: {message}"),
                )
                .hint(hint)
        })
}
