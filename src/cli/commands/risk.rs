//! `waveplan risk`: simulate executing a plan (docs/risk.md).

use std::path::{Path, PathBuf};

use crate::cli::args::{RiskArgs, RiskFormat};
use crate::cli::output::{Inputs, write_all_atomic};
use crate::cli::printer::Printer;
use crate::cli::progress::Bar;
use crate::cli::{Outcome, keeps_the_rules, plan_and_inputs};
use crate::load::{Diagnostic, plan_file};
use crate::model::Plan;
use crate::risk;

/// Runs `risk`.
pub fn run(args: &RiskArgs, printer: &Printer) -> Outcome {
    let Some((plan, loaded)) = plan_and_inputs(&args.input, &args.plan, &args.set, printer) else {
        return Outcome::Invalid;
    };
    for c in crate::report::stale_inputs(&plan, &loaded.inventory, &loaded.scenario) {
        printer.warning(&c.to_string());
    }
    let opts = risk::Options {
        runs: args.runs,
        seed: args.seed,
        replan: args.replan,
        criticality_runs: args.criticality_runs,
    };
    let Some(outcome) = simulate(&args.plan, &plan, &loaded, opts, printer) else {
        return Outcome::Invalid;
    };
    let (inv, sc) = (&loaded.inventory, &loaded.scenario);
    let r = &outcome.report;
    let text = match args.format {
        RiskFormat::Text => risk::to_text(r),
        RiskFormat::Md => crate::report::risk_page(r),
        RiskFormat::Csv => risk::to_csv(r),
        RiskFormat::Json => match serde_json::to_string_pretty(r) {
            Ok(mut t) => {
                t.push('\n');
                t
            }
            Err(e) => {
                printer.error(&format!("cannot render JSON: {e}"));
                return Outcome::Invalid;
            }
        },
    };
    let mut files: Vec<(PathBuf, Vec<u8>)> = Vec::new();
    if let Some(dir) = &args.sample_plans {
        match samples(dir, &outcome, &plan, inv, sc, opts) {
            Ok(f) => files.extend(f),
            Err(d) => {
                printer.fatal(&d);
                return Outcome::Invalid;
            }
        }
    }
    if let Some(path) = &args.output {
        files.push((path.clone(), text.clone().into_bytes()));
    }
    if let Some(dir) = &args.sample_plans
        && let Err(d) = sample_dir(dir, &args.input.inventory)
    {
        printer.fatal(&d);
        return Outcome::Invalid;
    }
    if !files.is_empty() {
        let mut inputs = Inputs::default();
        inputs.add(&args.plan, "the plan being simulated");
        inputs.add_loaded(&loaded);
        let outputs: Vec<_> = files
            .iter()
            .map(|(p, _)| (p.as_path(), "a risk output", "-o or --sample-plans"))
            .collect();
        let made = |dir: &PathBuf| {
            std::fs::create_dir_all(dir).map_err(|e| {
                Diagnostic::error(
                    "output",
                    format!("cannot create the directory `{}`: {e}", dir.display()),
                )
            })
        };
        if let Err(d) = inputs
            .check(&outputs)
            .and_then(|()| args.sample_plans.as_ref().map_or(Ok(()), made))
            .and_then(|()| write_all_atomic(&files))
        {
            printer.fatal(&d);
            return Outcome::Invalid;
        }
    }
    if args.output.is_none() {
        printer.data(&text);
    }
    Outcome::Success
}

/// Simulates `plan` (read from `path`) with a progress bar on a terminal; `None`, with the
/// error printed, when the plan breaks a rule for these inputs or does not fit them.
pub(crate) fn simulate(
    path: &Path,
    plan: &Plan,
    loaded: &crate::load::Loaded,
    opts: risk::Options,
    printer: &Printer,
) -> Option<risk::Outcome> {
    let (inv, sc) = (&loaded.inventory, &loaded.scenario);
    // Executing a plan that already breaks a rule would measure the breach, not the risk.
    // The digests only say the files changed (a new `risk:` section changes the scenario's):
    // `stale_inputs` warns about that, and the rules decide.
    if !keeps_the_rules(path, plan, loaded, "risk simulates a valid plan", printer) {
        return None;
    }
    let bar = Bar::new("simulating", printer.progress());
    risk::simulate(inv, sc, plan, opts, &bar)
        .inspect_err(|e| {
            printer.fatal(
                &Diagnostic::error("bad-plan", e.clone())
                    .in_file(path)
                    .hint("check the plan with `waveplan verify`"),
            );
        })
        .ok()
}

/// Refuses to write sample plans into the inventory directory: every `*.yaml` there is read
/// as a department, so the next command would fail on them.
fn sample_dir(dir: &Path, inventory: &Path) -> Result<(), Diagnostic> {
    let same = match (dir.canonicalize(), inventory.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    };
    if same {
        return Err(Diagnostic::error(
            "output",
            format!(
                "--sample-plans `{}` is the inventory directory",
                dir.display()
            ),
        )
        .hint("every .yaml file there is read as a department; write the sample plans elsewhere, e.g. --sample-plans runs"));
    }
    Ok(())
}

/// The executed plans of the first runs at P50, P80 and P95 and of the latest finish.
fn samples(
    dir: &Path,
    outcome: &risk::Outcome,
    plan: &Plan,
    inv: &crate::model::Inventory,
    sc: &crate::model::Scenario,
    opts: risk::Options,
) -> Result<Vec<(PathBuf, Vec<u8>)>, Diagnostic> {
    let r = &outcome.report;
    // An unfinished run sorts after every finished one.
    let key = |f: Option<u32>| f.map_or(u64::MAX, u64::from);
    let latest = outcome.finishes.iter().copied().max_by_key(|&f| key(f));
    let mut out = Vec::new();
    for (name, finish) in [
        ("p50", r.finish_wave_p50),
        ("p80", r.finish_wave_p80),
        ("p95", r.finish_wave_p95),
        ("latest", latest.flatten()),
    ] {
        let want = if name == "latest" {
            latest.map(key)
        } else {
            Some(key(finish))
        };
        let Some(k) = outcome.finishes.iter().position(|&f| Some(key(f)) == want) else {
            continue;
        };
        let run = risk::executed(inv, sc, plan, opts, k as u64)
            .map_err(|e| Diagnostic::error("bad-plan", e))?;
        out.push((
            dir.join(format!("{name}.plan.yaml")),
            plan_file::to_yaml(&run)?.into_bytes(),
        ));
    }
    Ok(out)
}
