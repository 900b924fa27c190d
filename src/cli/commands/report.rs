//! `waveplan report`: render a plan with its inventory and scenario; also the `--report` of
//! `plan`.

use std::path::Path;

use crate::cli::args::{ReportArgs, ReportFormat};
use crate::cli::output::{Inputs, write_atomic};
use crate::cli::printer::Printer;
use crate::cli::{Outcome, plan_and_inputs};
use crate::model::{Inventory, Plan, Scenario};
use crate::report::{self, Format};

/// Runs `report`.
pub fn run(args: &ReportArgs, printer: &Printer) -> Outcome {
    let format = match (args.format, &args.output) {
        (Some(f), _) => from_arg(f),
        (None, Some(path)) => Format::from_path(path).unwrap_or(Format::Markdown),
        (None, None) => Format::Markdown,
    };
    let Some((plan, loaded)) = plan_and_inputs(&args.input, &args.plan, &args.set, printer) else {
        return Outcome::Invalid;
    };
    if let Some(path) = &args.output {
        let mut inputs = Inputs::default();
        inputs.add(&args.plan, "the plan being reported");
        inputs.add_loaded(&loaded);
        if let Err(d) = inputs.check(&[(path, "the report", "-o")]) {
            printer.diagnostic(&d);
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
        printer,
    ) {
        Some(t) => t,
        None => return Outcome::Invalid,
    };
    match &args.output {
        Some(path) => {
            if let Err(d) = write_atomic(path, text.as_bytes()) {
                printer.diagnostic(&d);
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
        printer.error(&format!(
            "cannot tell the report format of `{}`: name it .md, .html, .csv or .json",
            path.display()
        ));
        return None;
    };
    render(plan, inv, sc, None, format, printer)
}

fn render(
    plan: &Plan,
    inv: &Inventory,
    sc: &Scenario,
    risk: Option<crate::risk::RiskReport>,
    format: Format,
    printer: &Printer,
) -> Option<String> {
    let mut data = report::ReportData::build(plan, inv, sc);
    data.risk = risk;
    for c in &data.checks {
        printer.warning(&c.to_string());
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
    }
}
