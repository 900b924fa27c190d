//! `waveplan validate`: load everything, list every problem.

use crate::cli::args::ValidateArgs;
use crate::cli::printer::{Printer, count};
use crate::cli::{Outcome, load_inputs_with};
use crate::load::Overrides;

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
        "ok: {}, {} ({} migrating), {}; scenario `{}`; {}\ninventory_sha256: {}\n",
        count(inv.departments.len(), "department"),
        count(inv.services.len(), "service"),
        migrating,
        match edges {
            1 => "1 dependency".to_owned(),
            n => format!("{n} dependencies"),
        },
        loaded.scenario.name,
        count(loaded.warnings.0.len(), "warning"),
        inv.sha256
    ));
    Outcome::Success
}
