//! `waveplan report`: render a plan with its inventory and scenario; also the `--report` of
//! `plan`.

use std::path::Path;

use crate::cli::args::{ReportArgs, ReportFormat};
use crate::cli::output::{Inputs, write_atomic};
use crate::cli::printer::Printer;
use crate::cli::{Outcome, keeps_the_rules, plan_and_inputs};
use crate::model::{Inventory, Plan, Scenario};
use crate::report::{self, Format};

/// The format `report` writes: `--format`, else the extension of `-o`, else Markdown.
#[must_use]
pub fn format(args: &ReportArgs) -> Format {
    match (args.format, &args.output) {
        (Some(f), _) => from_arg(f),
        (None, Some(path)) => Format::from_path(path).unwrap_or(Format::Markdown),
        (None, None) => Format::Markdown,
    }
}

/// Runs `report`.
pub fn run(args: &ReportArgs, printer: &Printer) -> Outcome {
    let format = format(args);
    let Some((plan, loaded)) = plan_and_inputs(&args.input, &args.plan, &args.set, printer) else {
        return Outcome::Invalid;
    };
    if !keeps_the_rules(
        &args.plan,
        &plan,
        &loaded,
        "a report of a plan that breaks a rule would promise what cannot happen",
        printer,
    ) {
        return Outcome::Invalid;
    }
    if let Some(code) = &args.department
        && let Err(e) = known_department(&loaded.inventory, code)
    {
        printer.error(&e);
        return Outcome::Invalid;
    }
    if let Some(path) = &args.output {
        let mut inputs = Inputs::default();
        inputs.add(&args.plan, "the plan being reported");
        inputs.add_loaded(&loaded);
        if let Err(d) = inputs.check(&[(path, "the report", "-o")]) {
            printer.fatal(&d);
            return Outcome::Invalid;
        }
    }
    let risk = if args.risk {
        let opts = crate::risk::Options {
            runs: args.risk_runs,
            seed: args.risk_seed,
            replan: false,
            criticality_runs: None,
        };
        match super::risk::simulate(&args.plan, &plan, &loaded, opts, printer) {
            Some(o) => Some(o.report),
            None => return Outcome::Invalid,
        }
    } else {
        None
    };
    let text = match render(
        &plan,
        &loaded.inventory,
        &loaded.scenario,
        risk,
        format,
        args.department.as_deref(),
        printer,
    ) {
        Some(t) => t,
        None => return Outcome::Invalid,
    };
    match &args.output {
        Some(path) => {
            if let Err(d) = write_atomic(path, text.as_bytes()) {
                printer.fatal(&d);
                return Outcome::Invalid;
            }
        }
        None => printer.data(&text),
    }
    Outcome::Success
}

/// Renders the report `plan --report FILE` asks for, to be written with the plan (all or
/// nothing); `None`, with the error printed, when it cannot be rendered.
pub fn render_for_plan(
    path: &Path,
    plan: &Plan,
    inv: &Inventory,
    sc: &Scenario,
    printer: &Printer,
) -> Option<String> {
    let Some(format) = Format::from_path(path) else {
        printer.error(&unknown_format(path));
        return None;
    };
    render(plan, inv, sc, None, format, None, printer)
}

/// The error for a report file whose extension names no format.
#[must_use]
pub fn unknown_format(path: &Path) -> String {
    format!(
        "cannot tell the report format of `{}`: name it .md, .html, .csv, .json or .ics",
        path.display()
    )
}

/// Checks that `--department` names a department of the inventory.
///
/// # Errors
/// A message with the closest code, when one is close (`dsi` → `DSI`).
fn known_department(inv: &Inventory, code: &str) -> Result<(), String> {
    if inv.departments.iter().any(|d| d.code == code) {
        return Ok(());
    }
    let codes: Vec<&str> = inv.departments.iter().map(|d| d.code.as_str()).collect();
    let hint = crate::load::closest(code, &codes)
        .map(|c| format!("; did you mean `{c}`?"))
        .unwrap_or_default();
    Err(format!(
        "there is no department `{code}` in the inventory{hint}"
    ))
}

/// Renders the report in `format`; the calendar narrowed to a department when one is given.
fn render(
    plan: &Plan,
    inv: &Inventory,
    sc: &Scenario,
    risk: Option<crate::risk::RiskReport>,
    format: Format,
    department: Option<&str>,
    printer: &Printer,
) -> Option<String> {
    let mut data = report::ReportData::build(plan, inv, sc);
    data.risk = risk;
    for c in &data.checks {
        printer.warning(&c.to_string());
    }
    if format == Format::Ics {
        return Some(report::render_calendar(&data, department));
    }
    match report::render_data(&data, format) {
        Ok(t) => Some(t),
        Err(e) => {
            printer.error(&e.to_string());
            None
        }
    }
}

fn from_arg(f: ReportFormat) -> Format {
    match f {
        ReportFormat::Md => Format::Markdown,
        ReportFormat::Html => Format::Html,
        ReportFormat::Csv => Format::Csv,
        ReportFormat::Json => Format::Json,
        ReportFormat::Ics => Format::Ics,
    }
}
