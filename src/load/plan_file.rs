//! Plan files (SPEC 6): written as YAML or JSON, read back for `verify`, `report` and `diff`.

use std::path::Path;

use super::diag::Diagnostic;
use super::file_kind::{FileKind, likely_plan};
use super::inventory::{decode, read_bytes};
use super::yaml::Sources;
use crate::model::{MAX_WAVES, Plan};

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
    from_bytes(path, read_bytes(path)?)
}

/// Reads a plan file's bytes held in memory (JSON when it starts with `{`, YAML otherwise),
/// exactly as [`read`] reads the file; `path` only names it in diagnostics.
///
/// # Errors
/// A diagnostic with the file, line and column of the first problem.
pub fn from_bytes(path: &Path, bytes: Vec<u8>) -> Result<Plan, Diagnostic> {
    let (text, _) = decode(path, bytes)?;
    let plan = parse(path, text)?;
    within_bounds(&plan, path)?;
    Ok(plan)
}

/// What a plan's reader says when it fails: docs/plan-format.md describes the format.
const HINT: &str =
    "give a plan written by `waveplan plan`; docs/plan-format.md describes the format";

/// One error naming the kind of a file that is clearly not a plan (an inventory or a
/// scenario), with the plan the user likely meant: the parser's first missing field would
/// point at an unrelated line.
fn wrong_kind(path: &Path, text: &str) -> Option<Diagnostic> {
    let kind = FileKind::of_text(text).filter(|k| *k != FileKind::Plan)?;
    let hint = match likely_plan(path, kind) {
        Some(p) => format!(
            "give the plan file `waveplan plan` wrote, e.g. `{}`; docs/plan-format.md describes plans",
            p.display()
        ),
        None => "give the plan file `waveplan plan` wrote (plans/*.plan.yaml); docs/plan-format.md describes plans".to_owned(),
    };
    Some(
        Diagnostic::error(
            "bad-plan",
            format!("`{}` is {}, not a plan", path.display(), kind.name()),
        )
        .in_file(path)
        .hint(hint),
    )
}

/// Parses a plan's text, JSON or YAML, without the bounds check; a file of another kind
/// gets [`wrong_kind`]'s error rather than the parser's.
fn parse(path: &Path, text: String) -> Result<Plan, Diagnostic> {
    let hint = HINT;
    if text.trim_start().starts_with('{') {
        let plan: Plan = serde_json::from_str(&text).map_err(|e| {
            let mut d = Diagnostic::error("bad-plan", format!("invalid plan: {e}"))
                .in_file(path)
                .hint(hint);
            d.line = u32::try_from(e.line()).unwrap_or(0);
            d.column = u32::try_from(e.column()).unwrap_or(0);
            d.source_line = text
                .lines()
                .nth(e.line().saturating_sub(1))
                .map(str::to_owned);
            wrong_kind(path, &text).unwrap_or(d)
        })?;
        return Ok(plan);
    }
    let mut sources = Sources::default();
    let src = sources.add(path, text);
    // One parse, with the same budget as inventories (a plan lists every service).
    let plan =
        serde_saphyr::from_str_with_options::<Plan>(&sources.0[src].text, super::yaml::options())
            .map_err(|e| {
            let (line, column, message) = super::yaml::parser_error(&e);
            let d = sources
                .at_pos(
                    src,
                    line,
                    column,
                    "bad-plan",
                    format!("invalid plan: {message}"),
                )
                .hint(hint);
            wrong_kind(path, &sources.0[src].text).unwrap_or(d)
        })?;
    Ok(plan)
}

/// Refuses wave numbers above [`MAX_WAVES`]: every reader of plans (verify, report, diff,
/// explain) sizes tables by them, so an absurd number must stop here, not there.
fn within_bounds(plan: &Plan, path: &Path) -> Result<(), Diagnostic> {
    let too_big = |what: String, v: u32| {
        Diagnostic::error(
            "bad-plan",
            format!("invalid plan: {what} is {v}; plans have at most {MAX_WAVES} waves"),
        )
        .in_file(path)
        .hint(HINT)
    };
    let s = &plan.summary;
    for (what, v) in [
        ("summary.waves", s.waves),
        ("summary.lower_bound_waves", s.lower_bound_waves),
    ] {
        if v > MAX_WAVES {
            return Err(too_big(what.to_owned(), v));
        }
    }
    if plan.waves.len() > MAX_WAVES as usize {
        return Err(too_big(
            "the number of `waves` entries".to_owned(),
            u32::try_from(plan.waves.len()).unwrap_or(u32::MAX),
        ));
    }
    if let Some(w) = plan.waves.iter().find(|w| w.wave > MAX_WAVES) {
        return Err(too_big("a `waves` entry's `wave`".to_owned(), w.wave));
    }
    for p in &plan.services {
        for (field, v) in [
            ("start_wave", p.start_wave),
            ("cutover_wave", p.cutover_wave),
        ] {
            if v > MAX_WAVES {
                return Err(too_big(format!("`{}`'s {field}", p.id), v));
            }
        }
    }
    Ok(())
}
