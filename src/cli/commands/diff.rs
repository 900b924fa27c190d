//! `waveplan diff`: compare two plan files.

use crate::cli::Outcome;
use crate::cli::args::{DiffArgs, DiffFormat};
use crate::cli::output::{Inputs, write_atomic};
use crate::cli::printer::Printer;
use crate::load::plan_file;
use crate::scenario::diff::{self, DiffFormat as Format};

/// Runs `diff`.
pub fn run(args: &DiffArgs, printer: &Printer) -> Outcome {
    // Both plans are read before either error is printed, so one count line ends them.
    let (a, b) = match (plan_file::read(&args.a), plan_file::read(&args.b)) {
        (Ok(a), Ok(b)) => (a, b),
        (a, b) => {
            let errors = [a.err(), b.err()].into_iter().flatten().collect();
            printer.diagnostics(&crate::load::Diagnostics(errors));
            return Outcome::Invalid;
        }
    };
    if let Some(path) = &args.output {
        let mut inputs = Inputs::default();
        inputs.add(&args.a, "a plan being compared");
        inputs.add(&args.b, "a plan being compared");
        if let Err(d) = inputs.check(&[(path, "the diff", "-o")]) {
            printer.fatal(&d);
            return Outcome::Invalid;
        }
    }
    // diff compares the plans' own numbers and loads no inputs, so the overrides need no
    // applying; the reader is still told that the two plans answer different questions.
    for (path, plan) in [(&args.a, &a), (&args.b, &b)] {
        if !plan.overrides.is_empty() {
            printer.note(&format!(
                "note: {} was made with{}",
                path.display(),
                crate::cli::set_flags(&plan.overrides)
            ));
        }
    }
    let d = diff::diff(
        &args.a.display().to_string(),
        &a,
        &args.b.display().to_string(),
        &b,
    );
    let format = match args.format {
        DiffFormat::Text => Format::Table,
        DiffFormat::Md => Format::Markdown,
        DiffFormat::Json => Format::Json,
    };
    let text = match diff::render(&d, format) {
        Ok(t) => t,
        Err(e) => {
            printer.error(&format!("cannot render the diff: {e}"));
            return Outcome::Invalid;
        }
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
