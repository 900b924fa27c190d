//! `waveplan explain`: why a service is in its wave.

use crate::cli::Outcome;
use crate::cli::args::ExplainArgs;
use crate::cli::printer::Printer;

/// Runs `explain`.
pub fn run(_args: &ExplainArgs, printer: &Printer) -> Outcome {
    printer.note("error: explain is not built yet");
    Outcome::Invalid
}
