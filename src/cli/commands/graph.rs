//! `waveplan graph`.

use crate::cli::Outcome;
use crate::cli::printer::Printer;

/// Runs `graph`.
pub fn run<A>(_args: &A, printer: &Printer) -> Outcome {
    printer.note("not yet available");
    Outcome::Invalid
}
