//! `waveplan verify`.

use crate::cli::Outcome;
use crate::cli::printer::Printer;

/// Runs `verify`.
pub fn run<A>(_args: &A, printer: &Printer) -> Outcome {
    printer.note("not yet available");
    Outcome::Invalid
}
