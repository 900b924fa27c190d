//! `waveplan plan`: schedule, write the plan file, print a summary.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use crate::cli::args::{PlanArgs, PlanFormat};
use crate::cli::output::{Inputs, write_all_atomic};
use crate::cli::printer::Printer;
use crate::cli::progress::Bar;
use crate::cli::{Outcome, load_inputs_derived, load_inputs_with};
use crate::load::Overrides;
use crate::load::plan_file;
use crate::model::words::plural;
use crate::schedule;

/// Runs `plan`.
pub fn run(args: &PlanArgs, printer: &Printer) -> Outcome {
    let started = Instant::now();
    if let Some(path) = &args.report
        && crate::report::Format::from_path(path).is_none()
    {
        printer.error(&super::report::unknown_format(path));
        return Outcome::Invalid;
    }
    let mut overrides = Overrides(args.set.clone());
    let Some(mut loaded) = load_inputs_with(&args.input, &overrides, printer, false) else {
        return Outcome::Invalid;
    };
    if let Some(path) = &args.resume {
        // The state at `today` under the earlier plan is a list of overrides: recorded in the
        // new plan like any --set, so verify and report see the same inventory.
        let previous = match plan_file::read(path) {
            Ok(p) => p,
            Err(d) => {
                printer.fatal(&d);
                return Outcome::Invalid;
            }
        };
        match crate::scenario::resume::overrides(&loaded.inventory, &loaded.scenario, &previous) {
            Ok(extra) => {
                printer.note(&format!(
                    "note: resuming {} at `today`: {} override(s) for services done or under way",
                    path.display(),
                    extra.len()
                ));
                overrides.0.extend(extra);
            }
            Err(e) => {
                printer.error(&e.to_string());
                return Outcome::Invalid;
            }
        }
        let given = !args.set.is_empty();
        let Some(again) = load_inputs_derived(&args.input, &overrides, given, printer) else {
            return Outcome::Invalid;
        };
        loaded = again;
    }
    let output = args.output.clone().unwrap_or_else(|| {
        default_output(&loaded.scenario.name, args.format, !overrides.is_empty())
    });
    // Refused before planning, so a wrong path costs no search and writes nothing.
    let mut inputs = Inputs::default();
    inputs.add_loaded(&loaded);
    for p in [&args.resume, &args.stable_against, &args.start_from]
        .into_iter()
        .flatten()
    {
        inputs.add(p, "a plan being read");
    }
    let mut outputs = vec![(output.as_path(), "the plan", "-o")];
    if let Some(r) = &args.report {
        outputs.push((r.as_path(), "the report", "--report"));
    }
    if let Err(d) = inputs.check(&outputs) {
        printer.fatal(&d);
        return Outcome::Invalid;
    }
    let (inv, sc) = (&loaded.inventory, &loaded.scenario);
    let opts = schedule::Options {
        seed: args.seed,
        effort: args.effort,
        time_limit: args.time_limit.map(Duration::from_secs_f64),
    };
    let bar = Bar::new("planning", printer.progress());
    let mut stable_note = String::new();
    let start = match args.start_from.as_deref().map(plan_file::read).transpose() {
        Ok(p) => p,
        Err(d) => {
            printer.fatal(&d);
            return Outcome::Invalid;
        }
    };
    let outcome = match args.stable_against.as_ref().or(args.resume.as_ref()) {
        None => schedule::plan_from(inv, sc, &opts, start.as_ref(), &bar),
        Some(prev_path) => {
            let previous = match plan_file::read(prev_path) {
                Ok(p) => p,
                Err(d) => {
                    printer.fatal(&d);
                    return Outcome::Invalid;
                }
            };
            let mut stability = schedule::Stability::default_for(inv.migrating().count());
            if let Some(w) = args.wave_worth {
                stability.wave_worth = w;
            }
            stability.max_moves = args.max_moves;
            let st = crate::scenario::stable::replan(inv, sc, &previous, &opts, stability, &bar);
            stable_note = stable_report(prev_path, &st);
            st.outcome
        }
    };
    let mut outcome = outcome;
    outcome.plan.overrides = overrides.0.iter().map(ToString::to_string).collect();
    let plan = &outcome.plan;

    let text = match args.format {
        PlanFormat::Yaml => plan_file::to_yaml(plan),
        PlanFormat::Json => plan_file::to_json(plan),
    };
    let text = match text {
        Ok(t) => t,
        Err(d) => {
            printer.fatal(&d);
            return Outcome::Invalid;
        }
    };
    let mut files = vec![(output.clone(), text.into_bytes())];
    if let Some(path) = &args.report {
        let Some(report) = super::report::render_for_plan(path, plan, inv, sc, printer) else {
            printer.error("nothing was written: neither the plan nor the report");
            return Outcome::Invalid;
        };
        files.push((path.clone(), report.into_bytes()));
    }
    // Plan and report are staged together and renamed only when both rendered, so a failing
    // report never leaves a plan behind under an exit code that says nothing was written.
    if let Err(d) = write_all_atomic(&files) {
        printer.fatal(&d);
        return Outcome::Invalid;
    }

    for id in &outcome.pin_failures {
        let pin = sc.pins.get(id).copied().unwrap_or_default();
        printer.warning(&format!(
            "pin `{id}` to wave {pin} cannot hold; the service is left unscheduled"
        ));
    }
    let s = &plan.summary;
    let gap = if s.lower_bound_waves > 0 {
        format!(
            "{:.1}% above the lower bound of {}",
            100.0 * f64::from(s.waves.saturating_sub(s.lower_bound_waves))
                / f64::from(s.lower_bound_waves),
            s.lower_bound_waves
        )
    } else {
        "lower bound 0".to_owned()
    };
    let finish = s.finish.map_or_else(|| "-".to_owned(), |d| d.to_string());
    let with = if plan.overrides.is_empty() {
        String::new()
    } else {
        format!(" (with{})", crate::cli::set_flags(&plan.overrides))
    };
    let mut out = format!(
        "plan `{}`{with} written to {}\n  waves        {} ({gap})\n  finish       {finish} (start {})\n  scheduled    {} of {}\n  split cost   {}\n  search       {} schedules in {:.2}s (seed {}, effort {})\n",
        sc.name,
        output.display(),
        s.waves,
        s.start,
        s.services_scheduled,
        plural(s.services_migrating, "migrating service"),
        s.split_cost,
        outcome.stats.schedules,
        started.elapsed().as_secs_f64(),
        opts.seed,
        outcome.stats.budget,
    );
    if let Some(t) = &s.transition_cost {
        let cur = t
            .currency
            .as_deref()
            .map_or(String::new(), |c| format!("{c} "));
        // Costs are estimates: whole amounts read better.
        let money = |x: f64| crate::report::fmt::num(x.round());
        out.push_str(&format!(
            "  cost         {cur}{} over {}: data centre {}, production {}, pilot cloud {}, split traffic {}, cutovers {}\n",
            money(t.total),
            plural(s.waves, "wave"),
            money(t.datacenter),
            money(t.production),
            money(t.pilot_cloud),
            money(t.split_traffic),
            money(t.cutovers),
        ));
    }
    out.push_str(&bottleneck_lines(s));
    if !plan.unscheduled.is_empty() {
        out.push_str(&format!(
            "  unscheduled  {} (listed with their rule in the plan):\n",
            plan.unscheduled.len()
        ));
        for u in plan.unscheduled.iter().take(10) {
            out.push_str(&format!("    {} [{}] {}\n", u.id, u.rule, u.reason));
        }
        if plan.unscheduled.len() > 10 {
            out.push_str(&format!("    … and {} more\n", plan.unscheduled.len() - 10));
        }
    }
    out.push_str(&stable_note);
    printer.info(&out);
    if let Some(path) = &args.report {
        printer.info(&format!("report written to {}\n", path.display()));
    }
    if plan.unscheduled.is_empty() {
        Outcome::Success
    } else {
        Outcome::Incomplete
    }
}

/// `plans/<name>.plan.<ext>`, or `plans/<name>.whatif.plan.<ext>` for a plan made with
/// overrides: a what-if must not silently replace the plan of the scenario as written.
fn default_output(name: &str, format: PlanFormat, overridden: bool) -> PathBuf {
    let ext = if format == PlanFormat::Json {
        "json"
    } else {
        "yaml"
    };
    let what = if overridden { ".whatif" } else { "" };
    PathBuf::from("plans").join(format!("{name}{what}.plan.{ext}"))
}

/// Binding rules named in the summary; the plan file lists them all.
const TOP_BINDING: usize = 3;

/// The `bound` and `binding` lines of the summary: what gives the lower bound, and the
/// capacities full in most waves (nothing when the plan is empty).
fn bottleneck_lines(s: &crate::model::PlanSummary) -> String {
    let mut out = String::new();
    if let Some(r) = &s.lower_bound_reason {
        out.push_str(&format!("  bound        {}: {}\n", r.rule, r.detail));
    }
    // What each other rule forces alone: how far the rest of the plan is from binding.
    let others: Vec<String> = s
        .lower_bound_parts
        .iter()
        .filter(|p| {
            s.lower_bound_reason
                .as_ref()
                .is_none_or(|r| r.rule != p.rule)
        })
        .take(TOP_BINDING)
        .map(|p| format!("{} {}", p.rule, p.waves))
        .collect();
    if !others.is_empty() {
        let more = s.lower_bound_parts.len().saturating_sub(others.len() + 1);
        let more = if more > 0 {
            format!(" (+{more} more in the plan)")
        } else {
            String::new()
        };
        out.push_str(&format!("  alone        {}{more}\n", others.join(", ")));
    }
    if s.waves > 0 {
        let top: Vec<String> = s
            .binding
            .iter()
            .take(TOP_BINDING)
            .map(|b| {
                let waves = if b.waves == 1 { "wave" } else { "waves" };
                format!("{} in {} {waves}", b.rule, b.waves)
            })
            .collect();
        let more = s.binding.len().saturating_sub(TOP_BINDING);
        let line = match (top.is_empty(), more) {
            (true, _) => "no capacity is full in any wave".to_owned(),
            (false, 0) => top.join(", "),
            (false, n) => format!("{} (+{n} more in the plan)", top.join(", ")),
        };
        out.push_str(&format!("  binding      {line}\n"));
    }
    out
}

/// The `--stable-against` lines of the summary: how many moved and why.
fn stable_report(prev: &std::path::Path, st: &crate::scenario::stable::Stable) -> String {
    let mut out = format!(
        "  stability    against {}: {} kept, {} moved, {} new ({}, {} candidate plans)\n",
        prev.display(),
        st.kept,
        st.moved.len(),
        st.new,
        st.chosen,
        st.plans_made
    );
    for m in st.moved.iter().take(20) {
        let to =
            m.to.map_or_else(|| "unscheduled".to_owned(), |w| format!("wave {w}"));
        out.push_str(&format!(
            "    {} wave {} -> {to}: {}\n",
            m.id, m.from, m.why
        ));
    }
    if st.moved.len() > 20 {
        out.push_str(&format!("    … and {} more\n", st.moved.len() - 20));
    }
    out
}
