//! `waveplan verify`: re-check a plan file with the independent checker.

use crate::cli::args::VerifyArgs;
use crate::cli::printer::Printer;
use crate::cli::{Outcome, plan_and_inputs};
use crate::model::words::{plural, plural_of};

/// Runs `verify`.
pub fn run(args: &VerifyArgs, printer: &Printer) -> Outcome {
    let Some((plan, loaded)) = plan_and_inputs(&args.input, &args.plan, &args.set, printer) else {
        return Outcome::Invalid;
    };
    let breaches = crate::verify::verify(&loaded.inventory, &loaded.scenario, &plan);
    let path = args.plan.display();
    let applied = applied_overrides(&plan.overrides, &args.set);
    if breaches.is_empty() {
        printer.info(&format!(
            "ok: {path} keeps every rule{applied}: {} (lower bound {}), {} of {} scheduled, split cost {}\n",
            plural(plan.summary.waves, "wave"),
            plan.summary.lower_bound_waves,
            plan.summary.services_scheduled,
            plural(plan.summary.services_migrating, "migrating service"),
            plan.summary.split_cost
        ));
        return Outcome::Success;
    }
    // What is wrong with the assignments first: after a hand edit the recorded loads and
    // summary that no longer match them are many and would bury it.
    let (figures, assignments): (Vec<_>, Vec<_>) =
        breaches.iter().partition(|b| b.is_recorded_figure());
    let mut out = String::new();
    for b in assignments.iter().chain(&figures) {
        out.push_str(&format!("{path}: breach {b}\n"));
    }
    let n = match (assignments.len(), figures.len()) {
        (_, 0) => plural_of(breaches.len(), "breach"),
        (0, f) => format!(
            "{} (the assignments keep every rule; {} no longer {} them)",
            plural_of(breaches.len(), "breach"),
            plural_of(f, "recorded figure"),
            if f == 1 { "matches" } else { "match" }
        ),
        (a, f) => format!(
            "{} ({} in the assignments, {} that no longer {} them)",
            plural_of(breaches.len(), "breach"),
            a,
            plural_of(f, "recorded figure"),
            if f == 1 { "matches" } else { "match" }
        ),
    };
    out.push_str(&format!(
        "{n}: the plan is not valid for these inputs{applied}\n"
    ));
    printer.data(&out);
    Outcome::Invalid
}

/// " (with --set a=b --set c=d)" naming every override in force, or nothing.
fn applied_overrides(recorded: &[String], extra: &[crate::load::Override]) -> String {
    let all: Vec<String> = recorded
        .iter()
        .cloned()
        .chain(crate::cli::not_recorded(recorded, extra).map(ToString::to_string))
        .collect();
    if all.is_empty() {
        String::new()
    } else {
        format!(" (with{})", crate::cli::set_flags(&all))
    }
}
