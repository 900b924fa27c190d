//! `waveplan validate`: load everything, list every problem.

use crate::cli::args::ValidateArgs;
use crate::cli::printer::Printer;
use crate::cli::{Outcome, load_inputs_with};
use crate::load::Overrides;
use crate::model::words::plural_of;

/// Runs `validate`.
pub fn run(args: &ValidateArgs, printer: &Printer) -> Outcome {
    let overrides = Overrides(args.set.clone());
    let Some(loaded) = load_inputs_with(&args.input, &overrides, printer, true) else {
        return Outcome::Invalid;
    };
    let inv = &loaded.inventory;
    let migrating = inv.migrating().count();
    let edges: usize = inv.services.iter().map(|s| s.depends_on.len()).sum();
    printer.info(&format!(
        "ok: {}, {} ({migrating} migrating), {}; scenario `{}`; {}\ninventory_sha256: {}\n",
        plural_of(inv.departments.len(), "department"),
        plural_of(inv.services.len(), "service"),
        plural_of(edges, "dependency"),
        loaded.scenario.name,
        plural_of(loaded.warnings.0.len(), "warning"),
        inv.sha256
    ));
    Outcome::Success
}
