//! `waveplan schema`: the JSON Schemas of the file formats, for editors (docs/editors.md).

use std::path::PathBuf;

use crate::cli::Outcome;
use crate::cli::args::{SchemaArgs, SchemaKind};
use crate::cli::output::{write_all_atomic, write_atomic};
use crate::cli::printer::Printer;
use crate::load::Diagnostic;
use crate::load::schema::Format;

/// Runs `schema`.
pub fn run(args: &SchemaArgs, printer: &Printer) -> Outcome {
    let done = match (&args.write_dir, args.kind) {
        (Some(dir), _) => write_dir(dir),
        (None, Some(kind)) => {
            let format = match kind {
                SchemaKind::Inventory => Format::Inventory,
                SchemaKind::Scenario => Format::Scenario,
                SchemaKind::Plan => Format::Plan,
            };
            format.to_json().and_then(|text| match &args.output {
                Some(path) => write_atomic(path, text.as_bytes()),
                None => {
                    printer.data(&text);
                    Ok(())
                }
            })
        }
        // clap requires one of the two; say so rather than print nothing.
        (None, None) => Err(Diagnostic::error(
            "usage",
            "give a format (inventory, scenario or plan) or --write-dir DIR",
        )),
    };
    match done {
        Ok(()) => Outcome::Success,
        Err(d) => {
            printer.fatal(&d);
            Outcome::Invalid
        }
    }
}

/// Writes every schema into `dir`, all of them or none.
fn write_dir(dir: &std::path::Path) -> Result<(), Diagnostic> {
    let files = Format::ALL
        .iter()
        .map(|f| {
            f.to_json()
                .map(|t| (dir.join(f.file_name()), t.into_bytes()))
        })
        .collect::<Result<Vec<(PathBuf, Vec<u8>)>, _>>()?;
    std::fs::create_dir_all(dir).map_err(|e| {
        Diagnostic::error(
            "output",
            format!("cannot create the directory `{}`: {e}", dir.display()),
        )
    })?;
    write_all_atomic(&files)
}
