//! `waveplan plan`.

use crate::cli::Outcome;
use crate::cli::printer::Printer;

/// Runs `plan`.
pub fn run<A>(_args: &A, printer: &Printer) -> Outcome {
    printer.note("not yet available");
    Outcome::Invalid
}
