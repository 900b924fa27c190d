//! `waveplan graph`: the dependency graph as DOT, Mermaid or JSON, or a summary as text.

use crate::cli::args::{GraphArgs, GraphFormat};
use crate::cli::output::{Inputs, write_atomic};
use crate::cli::printer::Printer;
use crate::cli::{Outcome, load_inputs};
use crate::graph::{DependencyGraph, export};

/// Runs `graph`.
pub fn run(args: &GraphArgs, printer: &Printer) -> Outcome {
    let Some(loaded) = load_inputs(&args.input, printer, true) else {
        return Outcome::Invalid;
    };
    if let Some(path) = &args.output {
        let mut inputs = Inputs::default();
        inputs.add_loaded(&loaded);
        if let Err(d) = inputs.check(&[(path, "the graph", "-o")]) {
            printer.fatal(&d);
            return Outcome::Invalid;
        }
    }
    let g = DependencyGraph::build(&loaded.inventory, &loaded.scenario);
    let inv = &loaded.inventory;
    let text = match args.format {
        GraphFormat::Dot => export::to_dot(&g, inv),
        GraphFormat::Mermaid => export::to_mermaid(&g, inv),
        GraphFormat::Text => export::to_text(&g, inv),
        GraphFormat::Json => {
            let mut buf = Vec::new();
            if let Err(e) = export::write_json(&g, inv, &mut buf) {
                printer.error(&format!("cannot render the graph as JSON: {e}"));
                return Outcome::Invalid;
            }
            buf.push(b'\n');
            String::from_utf8_lossy(&buf).into_owned()
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
