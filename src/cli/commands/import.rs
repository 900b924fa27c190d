//! `waveplan import`: exports in, inventory files (new or merged) and a review out.

use std::path::{Path, PathBuf};

use crate::cli::Outcome;
use crate::cli::args::ImportArgs;
use crate::cli::output::{Inputs, Output, write_all_atomic};
use crate::cli::printer::Printer;
use crate::cli::progress::Bar;
use crate::import::estate::Settings;
use crate::import::review::Review;
use crate::import::{self, Request};
use crate::load::{self, Diagnostic, Existing};
use crate::model::ImportMap;
use crate::model::words::plural_of;
use crate::schedule::Progress;

/// Runs `import`.
pub fn run(args: &ImportArgs, printer: &Printer) -> Outcome {
    let report_json = match args.report.as_deref().map(report_kind) {
        Some(Err(d)) => {
            printer.fatal(&d);
            return Outcome::Invalid;
        }
        Some(Ok(json)) => json,
        None => false,
    };
    let map = match &args.map {
        Some(path) => match load::read_import_map(path) {
            Ok(m) => m,
            Err(d) => {
                printer.diagnostics_then(&d, "nothing was written");
                return Outcome::Invalid;
            }
        },
        None => ImportMap::default(),
    };
    let existing = match Existing::read(&args.output) {
        Ok(e) => e,
        Err(d) => {
            printer.diagnostics_then(&d, "nothing was written");
            printer.error(&format!(
                "the inventory in `{}` has errors: fix them before importing into it, or import into another directory with -o",
                args.output.display()
            ));
            return Outcome::Invalid;
        }
    };
    let req = Request {
        sources: args.sources.clone(),
        map,
        settings: Settings {
            department: args.department.clone(),
            keep_unknown: args.keep_unknown,
        },
        strict: args.strict,
    };
    // Reading and recognising each export is the long part on a big estate.
    let bar = Bar::counter("importing", "tables read", printer.progress());
    let mut on_source = |s: &import::review::SourceReview| {
        bar.suspend(|| printer.note(&Review::source_line(s)));
        bar.advance(1);
    };
    let imported = import::import(&req, &existing, &mut on_source);
    bar.finish();
    let imported = match imported {
        Ok(i) => i,
        Err(d) => {
            printer.diagnostics_then(&d, "nothing was written");
            return Outcome::Invalid;
        }
    };
    let mut review = imported.review;
    let rendered = load::render_inventory(&args.output, &existing, &imported.drafts);
    review.merge_notes.extend(rendered.notes);
    if let Err(d) = check_result(&args.output, &rendered.files) {
        printer.diagnostics_then(&d, "nothing was written");
        printer.error("waveplan import produced an invalid inventory: this is a bug, not a problem with your files; nothing was written. Please report it with the command line.");
        return Outcome::Invalid;
    }
    review.written = rendered
        .files
        .keys()
        .map(|p| p.display().to_string())
        .collect();
    let mut files: Vec<(PathBuf, Vec<u8>)> = rendered
        .files
        .into_iter()
        .map(|(p, t)| (p, t.into_bytes()))
        .collect();
    if let Some(path) = &args.report {
        let text = if report_json {
            review.to_json()
        } else {
            review.to_markdown()
        };
        files.push((path.clone(), text.into_bytes()));
    }
    // The inventory in -o is merged into on purpose; the exports and the map are not ours.
    let mut inputs = Inputs::default();
    for src in &args.sources {
        inputs.add(src, "import source");
    }
    if let Some(m) = &args.map {
        inputs.add(m, "import map");
    }
    // The review, when asked for, is the last file.
    let n_inventory = files.len() - usize::from(args.report.is_some());
    let outputs: Vec<Output<'_>> = files
        .iter()
        .enumerate()
        .map(|(i, (p, _))| {
            if i < n_inventory {
                (p.as_path(), "an inventory file", "-o")
            } else {
                (p.as_path(), "the review", "--report")
            }
        })
        .collect();
    if let Err(d) = inputs.check(&outputs) {
        printer.diagnostics_then(&load::Diagnostics(vec![d]), "nothing was written");
        return Outcome::Invalid;
    }
    let listed = args.report.as_ref().map_or_else(
        || "--report FILE lists them".to_owned(),
        |r| format!("listed in {}", r.display()),
    );
    printer.note(review.summary(&listed).trim_end());
    if args.dry_run {
        for (p, _) in &files {
            printer.note(&format!("would write {}", p.display()));
        }
        return Outcome::Success;
    }
    if let Err(e) = std::fs::create_dir_all(&args.output) {
        printer.fatal(
            &Diagnostic::error(
                "io",
                format!("cannot create `{}`: {e}", args.output.display()),
            )
            .hint("choose a directory you can write with -o"),
        );
        return Outcome::Invalid;
    }
    if let Err(d) = write_all_atomic(&files) {
        printer.fatal(&d);
        return Outcome::Invalid;
    }
    let n = review.written.len();
    // Outside a project's own `inventories/`, plain `validate` would check the estate against
    // whatever `plans/baseline.yaml` is here (the shipped Macao one, in this repository).
    let scenario = if args.output == Path::new("inventories") {
        String::new()
    } else {
        " -s YOUR-SCENARIO.yaml (plans/imported-estate.yaml is one to start from; docs/import.md)"
            .to_owned()
    };
    printer.note(&format!(
        "{} in `{}`{}; next: waveplan validate -i {}{scenario}",
        if n == 0 {
            "nothing changed".to_owned()
        } else {
            format!("wrote {}", plural_of(n, "file"))
        },
        args.output.display(),
        args.report
            .as_ref()
            .map_or_else(String::new, |r| format!(", review in `{}`", r.display())),
        args.output.display()
    ));
    Outcome::Success
}

/// Whether the review is JSON (else Markdown), from its extension.
fn report_kind(path: &Path) -> Result<bool, Diagnostic> {
    match path.extension().and_then(|e| e.to_str()) {
        Some("json") => Ok(true),
        Some("md" | "markdown") => Ok(false),
        _ => Err(Diagnostic::error(
            "bad-report-path",
            format!(
                "`{}`: the review is Markdown (.md) or JSON (.json)",
                path.display()
            ),
        )
        .hint("name the review file with a .md or .json extension")),
    }
}

/// Loads the inventory as it will be after the import, in a scratch copy: an import that
/// would write an invalid inventory must write nothing.
fn check_result(
    dir: &Path,
    files: &std::collections::BTreeMap<PathBuf, String>,
) -> Result<(), load::Diagnostics> {
    let io = |e: std::io::Error| {
        load::Diagnostics(vec![Diagnostic::error(
            "io",
            format!("cannot check the result in a scratch directory: {e}"),
        )])
    };
    let scratch = tempfile::tempdir().map_err(io)?;
    if dir.is_dir() {
        for entry in std::fs::read_dir(dir).map_err(io)?.filter_map(Result::ok) {
            let p = entry.path();
            let is_yaml = p.extension().is_some_and(|e| e == "yaml" || e == "yml");
            if is_yaml
                && p.is_file()
                && !files.contains_key(&p)
                && let Some(name) = p.file_name()
            {
                std::fs::copy(&p, scratch.path().join(name)).map_err(io)?;
            }
        }
    }
    for (p, text) in files {
        if let Some(name) = p.file_name() {
            std::fs::write(scratch.path().join(name), text).map_err(io)?;
        }
    }
    let has_yaml = std::fs::read_dir(scratch.path())
        .map_err(io)?
        .filter_map(Result::ok)
        .next()
        .is_some();
    if !has_yaml {
        return Ok(());
    }
    load::load(scratch.path(), None).map(|_| ())
}
