//! `waveplan whatif`: scenario variants planned side by side.

use std::path::PathBuf;

use crate::cli::args::{CompareFormat, WhatifArgs};
use crate::cli::output::{Inputs, Output, write_atomic};
use crate::cli::printer::Printer;
use crate::cli::progress::Bar;
use crate::cli::{Outcome, load_inputs_on, scenario_path};
use crate::load::{self, Overrides};
use crate::scenario::{Variant, compare, page, render, variant};
use crate::schedule;

/// Runs `whatif`.
pub fn run(args: &WhatifArgs, printer: &Printer) -> Outcome {
    let base_overrides = Overrides(args.base_set.clone());
    // The inventory is read and parsed once for the run; the baseline and every variant
    // convert its trees (issue 12).
    let shared = load::parse_inventory(&args.input.inventory);
    // The baseline must load: a broken base input is exit 1, not a row.
    let Some(loaded) = load_inputs_on(&args.input, Some(&shared), &base_overrides, printer, false)
    else {
        return Outcome::Invalid;
    };
    let mut inputs = Inputs::default();
    inputs.add_loaded(&loaded);
    for file in &args.variants {
        inputs.add(file, "scenario file");
    }
    let mut outputs: Vec<Output<'_>> = Vec::new();
    if let Some(p) = &args.output {
        outputs.push((p, "the comparison", "-o"));
    }
    if let Some(p) = &args.report {
        outputs.push((p, "the report", "--report"));
    }
    // Refused before any variant is planned, so a wrong path costs nothing and writes nothing.
    if let Err(d) = inputs.check(&outputs) {
        printer.fatal(&d);
        return Outcome::Invalid;
    }
    let base: PathBuf = scenario_path(&args.input, false).unwrap_or_default();
    let with_base = |more: &[crate::load::Override]| {
        let mut o = base_overrides.clone();
        o.0.extend(more.iter().cloned());
        o
    };
    let mut variants = vec![Variant {
        name: None,
        scenario: base.clone(),
        overrides: base_overrides.clone(),
    }];
    for file in &args.variants {
        variants.push(Variant {
            name: None,
            scenario: file.clone(),
            overrides: base_overrides.clone(),
        });
    }
    // Labels pair with `--set` rows by position (`Cli::check` refuses extra labels).
    for (i, set) in args.sets.iter().enumerate() {
        let label = args
            .labels
            .get(i)
            .cloned()
            .unwrap_or_else(|| variant::short_label("set", i + 1, &set.0));
        variants.push(Variant {
            name: Some(label),
            scenario: base.clone(),
            overrides: with_base(&set.0),
        });
    }
    let grid = match variant::grid(&args.sweeps) {
        Ok(g) => g,
        Err(e) => {
            printer.error(&e.to_string());
            return Outcome::Invalid;
        }
    };
    for (i, point) in grid.iter().enumerate() {
        variants.push(Variant {
            name: Some(variant::short_label("sweep", i + 1, point)),
            scenario: base.clone(),
            overrides: with_base(point),
        });
    }
    let opts = schedule::Options {
        seed: args.seed,
        effort: args.effort,
        time_limit: args.time_limit.map(std::time::Duration::from_secs_f64),
    };
    let bar = Bar::new("what-if", printer.progress());
    let (rows, plans) = compare::run_with_plans(&shared, &variants, &opts, &bar);
    if let Some(dir) = &args.plans
        && let Err(d) = write_plans(dir, &rows, &plans, &inputs, &outputs)
    {
        printer.fatal(&d);
        return Outcome::Invalid;
    }

    let text = match args.format {
        CompareFormat::Text => render::table(&rows),
        CompareFormat::Md => render::markdown(&rows),
        CompareFormat::Csv => match render::csv(&rows) {
            Ok(t) => t,
            Err(e) => {
                printer.error(&format!("cannot render CSV: {e}"));
                return Outcome::Invalid;
            }
        },
        CompareFormat::Json => match render::json(&rows) {
            Ok(t) => t,
            Err(e) => {
                printer.error(&format!("cannot render JSON: {e}"));
                return Outcome::Invalid;
            }
        },
    };
    if let Some(path) = &args.report {
        let line = args.sweeps.len() == 1 && args.variants.is_empty() && args.sets.is_empty();
        let html = page::page("waveplan what-if", &rows, line);
        if let Err(d) = write_atomic(path, html.as_bytes()) {
            printer.fatal(&d);
            return Outcome::Invalid;
        }
    }
    match &args.output {
        Some(path) => {
            if let Err(d) = write_atomic(path, text.as_bytes()) {
                printer.fatal(&d);
                return Outcome::Invalid;
            }
        }
        None => printer.data(&text),
    }
    let failed = rows.iter().filter(|r| r.error.is_some()).count();
    if failed > 0 {
        printer.error(&format!(
            "{failed} variant(s) could not be planned; their rows give the error"
        ));
    }
    let incomplete = rows.iter().filter(|r| r.complete == Some(false)).count();
    if incomplete > 0 {
        printer.note(&format!(
            "{incomplete} row(s) leave services unscheduled: their finish and deltas do not compare with complete rows"
        ));
    }
    // SPEC 7: every row is still written, but a script must see that some failed.
    if failed > 0 {
        Outcome::Incomplete
    } else {
        Outcome::Success
    }
}

/// Writes each computed row's plan as `DIR/NN-<row name>.plan.yaml`, all or none.
fn write_plans(
    dir: &std::path::Path,
    rows: &[compare::Row],
    plans: &[Option<crate::model::Plan>],
    inputs: &Inputs,
    others: &[Output<'_>],
) -> Result<(), crate::load::Diagnostic> {
    std::fs::create_dir_all(dir).map_err(|e| {
        crate::load::Diagnostic::error(
            "output",
            format!("cannot create the directory `{}`: {e}", dir.display()),
        )
    })?;
    let mut files = Vec::new();
    for (i, (row, plan)) in rows.iter().zip(plans).enumerate() {
        let Some(plan) = plan else { continue };
        let slug: String = row
            .name
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '-' || c == '.' {
                    c.to_ascii_lowercase()
                } else {
                    '-'
                }
            })
            .take(60)
            .collect();
        let text = crate::load::plan_file::to_yaml(plan)?;
        files.push((
            dir.join(format!("{i:02}-{slug}.plan.yaml")),
            text.into_bytes(),
        ));
    }
    let mut outputs = others.to_vec();
    outputs.extend(
        files
            .iter()
            .map(|(p, _)| (p.as_path(), "a variant's plan", "--plans")),
    );
    inputs.check(&outputs)?;
    crate::cli::output::write_all_atomic(&files)
}
