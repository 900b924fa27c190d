//! `waveplan explain`: why a service is in its wave.

use std::path::PathBuf;

use crate::cli::args::{ExplainArgs, ExplainFormat};
use crate::cli::printer::Printer;
use crate::cli::{Outcome, load_for_plan, load_inputs_with};
use crate::load::{Overrides, plan_file};
use crate::scenario::explain;

/// Runs `explain`.
pub fn run(args: &ExplainArgs, printer: &Printer) -> Outcome {
    // The default plan is named after the scenario, so the scenario is read first; those
    // inputs serve again when the plan records no overrides of its own.
    let mut first = None;
    let path = match &args.plan {
        Some(p) => p.clone(),
        None => {
            let overrides = Overrides(args.set.clone());
            let Some(loaded) = load_inputs_with(&args.input, &overrides, printer, false) else {
                return Outcome::Invalid;
            };
            let path = PathBuf::from("plans").join(format!("{}.plan.yaml", loaded.scenario.name));
            first = Some(loaded);
            path
        }
    };
    let plan = match plan_file::read(&path) {
        Ok(p) => p,
        Err(d) => {
            printer.fatal(&d.hint(
                "make the plan with `waveplan plan`, or name it: waveplan explain SERVICE PLAN",
            ));
            return Outcome::Invalid;
        }
    };
    let loaded = match first {
        Some(loaded) if plan.overrides.is_empty() => loaded,
        _ => {
            let Some(loaded) = load_for_plan(&args.input, &plan, &path, &args.set, printer) else {
                return Outcome::Invalid;
            };
            loaded
        }
    };
    // The explanation still runs on changed inputs (the question may be about the change),
    // but the reader is told that it no longer describes how the plan was made.
    for c in crate::report::stale_inputs(&plan, &loaded.inventory, &loaded.scenario) {
        printer.warning(&c.to_string());
    }
    match explain::explain(&loaded.inventory, &loaded.scenario, &plan, &args.service) {
        Ok(x) => {
            let text = match args.format {
                ExplainFormat::Text => explain::to_text(&x),
                ExplainFormat::Json => match serde_json::to_string_pretty(&x) {
                    Ok(mut t) => {
                        t.push('\n');
                        t
                    }
                    Err(e) => {
                        printer.error(&format!("cannot render JSON: {e}"));
                        return Outcome::Invalid;
                    }
                },
            };
            printer.data(&text);
            Outcome::Success
        }
        Err(e) => {
            printer.error(&e.to_string());
            Outcome::Invalid
        }
    }
}
