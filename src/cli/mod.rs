//! The command line: parses arguments, runs one command, and decides the exit code.
//!
//! Only this module prints, reads the environment or touches clap and indicatif.

mod args;
mod commands;
mod output;
mod printer;
mod progress;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Parser;

pub use args::Cli;
use args::{Command, InputArgs};
use printer::Printer;

use crate::load::{self, Diagnostics, Loaded};
use crate::model::words::plural_of;

/// How a command ended, mapped to the exit codes of SPEC 7.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// 0: all good.
    Success,
    /// 1: invalid input, or a plan that breaks rules.
    Invalid,
    /// 3: a plan was written but some services are unscheduled.
    Incomplete,
}

impl From<Outcome> for ExitCode {
    fn from(o: Outcome) -> Self {
        ExitCode::from(match o {
            Outcome::Success => 0,
            Outcome::Invalid => 1,
            Outcome::Incomplete => 3,
        })
    }
}

/// Runs the command line and returns the process exit code.
#[must_use]
pub fn main() -> ExitCode {
    // A panic is a bug: say so in two lines instead of a backtrace wall (exit code stays 101).
    #[expect(
        clippy::print_stderr,
        reason = "the panic hook cannot go through the printer"
    )]
    std::panic::set_hook(Box::new(|info| {
        let place = info
            .location()
            .map(|l| format!(" at {}:{}", l.file(), l.line()))
            .unwrap_or_default();
        eprintln!(
            "waveplan hit an internal bug{place}: {}\nthis is a bug, not a problem with your files; please report it with the command line and the input files",
            info.payload_as_str().unwrap_or("panic")
        );
    }));
    let cli = Cli::parse();
    if let Err(e) = cli.check() {
        // Prints the usage error and exits 2, as clap does for the errors it finds itself.
        e.exit();
    }
    let consequence = match &cli.command {
        Command::Validate(_) => "the inputs are not valid",
        Command::Plan(_) => "nothing was planned",
        Command::Verify(_) => "the plan was not checked",
        Command::Graph(_) => "no graph was drawn",
        Command::Report(_) => "no report was written",
        Command::Whatif(_) => "no variant was planned",
        Command::Diff(_) => "nothing was compared",
        Command::Explain(_) => "nothing was explained",
        Command::Import(_) => "nothing was written",
        Command::Risk(_) => "nothing was simulated",
        Command::Schema(_) => "no schema was written",
        Command::Init(_) => "nothing was written",
        Command::Completions(_) => "no script was printed",
        Command::Man(_) => "no page was written",
    };
    let printer = Printer::new(cli.color.forced(), cli.quiet).for_command(consequence);
    // Planners read warnings in full where they check inputs; elsewhere they are counted.
    let printer = match &cli.command {
        Command::Validate(_) | Command::Graph(_) | Command::Import(_) => printer.warnings_in_full(),
        _ => printer,
    };
    run(cli, &printer).into()
}

/// Runs one parsed command.
pub fn run(cli: Cli, printer: &Printer) -> Outcome {
    match cli.command {
        Command::Validate(a) => commands::validate::run(&a, printer),
        Command::Plan(a) => commands::plan::run(&a, printer),
        Command::Verify(a) => commands::verify::run(&a, printer),
        Command::Graph(a) => commands::graph::run(&a, printer),
        Command::Report(a) => commands::report::run(&a, printer),
        Command::Whatif(a) => commands::whatif::run(&a, printer),
        Command::Diff(a) => commands::diff::run(&a, printer),
        Command::Explain(a) => commands::explain::run(&a, printer),
        Command::Import(a) => commands::import::run(&a, printer),
        Command::Risk(a) => commands::risk::run(&a, printer),
        Command::Schema(a) => commands::schema::run(&a, printer),
        Command::Init(a) => commands::init::run(&a, printer),
        Command::Completions(a) => commands::completions::run(&a, printer),
        Command::Man(a) => commands::man::run(&a, printer),
    }
}

/// The scenario to use: `-s`, else `plans/baseline.yaml`, else (when `optional`) none.
fn scenario_path(input: &InputArgs, optional: bool) -> Option<PathBuf> {
    match &input.scenario {
        Some(p) => Some(p.clone()),
        None => {
            let default = Path::new("plans/baseline.yaml");
            if optional && !default.exists() {
                None
            } else {
                Some(default.to_path_buf())
            }
        }
    }
}

/// Loads the inputs, printing warnings; on errors prints them all and returns `None`.
fn load_inputs(input: &InputArgs, printer: &Printer, scenario_optional: bool) -> Option<Loaded> {
    load_inputs_with(
        input,
        &load::Overrides::default(),
        printer,
        scenario_optional,
    )
}

/// [`load_inputs`] with `--set` overrides applied.
fn load_inputs_with(
    input: &InputArgs,
    overrides: &load::Overrides,
    printer: &Printer,
    scenario_optional: bool,
) -> Option<Loaded> {
    load_inputs_on(input, None, overrides, printer, scenario_optional)
}

/// [`load_inputs_with`] from an inventory parsed once for the run (`whatif`), when given,
/// instead of reading the inventory directory.
fn load_inputs_on(
    input: &InputArgs,
    shared: Option<&load::SharedInventory>,
    overrides: &load::Overrides,
    printer: &Printer,
    scenario_optional: bool,
) -> Option<Loaded> {
    let given = !overrides.is_empty();
    load_inputs_as(input, shared, overrides, given, printer, scenario_optional)
}

/// [`load_inputs_with`] for overrides the command derived (`plan --resume`): the warning
/// count sends the user to `validate` "with the same --set" only when `given` (they gave
/// --set themselves), since the derived ones are not theirs to repeat.
fn load_inputs_derived(
    input: &InputArgs,
    overrides: &load::Overrides,
    given: bool,
    printer: &Printer,
) -> Option<Loaded> {
    load_inputs_as(input, None, overrides, given, printer, false)
}

/// [`load_inputs_on`], saying "with the same --set" in the warning count when `given`.
fn load_inputs_as(
    input: &InputArgs,
    shared: Option<&load::SharedInventory>,
    overrides: &load::Overrides,
    given: bool,
    printer: &Printer,
    scenario_optional: bool,
) -> Option<Loaded> {
    let scenario = scenario_path(input, scenario_optional);
    if input.scenario.is_none()
        && let Some(default) = scenario.as_deref()
        && !default.exists()
    {
        let hint = if input.inventory.is_dir() {
            "pass your scenario with -s FILE, or run from the directory that holds plans/ (`waveplan init` writes a baseline to start from)"
        } else {
            "no planning project here: `waveplan init DIR` makes one to start from (then `waveplan import` your exports into its inventories/), or run from the directory that holds plans/"
        };
        printer.fatal(
            &load::Diagnostic::error(
                "no-scenario",
                format!("no scenario: `{}` does not exist here", default.display()),
            )
            .hint(hint),
        );
        return None;
    }
    let loaded = match shared {
        Some(shared) => load::load_variant(shared, scenario.as_deref(), overrides),
        None => load::load_with(&input.inventory, scenario.as_deref(), overrides),
    };
    match loaded {
        Ok(loaded) => {
            let n = loaded.warnings.0.len();
            if printer.lists_warnings() || n == 0 {
                // validate and graph are where planners read the warnings in full.
                for w in &loaded.warnings.0 {
                    printer.diagnostic(w);
                }
            } else {
                let same = if !given { "" } else { " with the same --set" };
                printer.note(&format!(
                    "{} about the inputs; `waveplan validate`{same} lists them",
                    plural_of(n, "warning")
                ));
            }
            Some(loaded)
        }
        Err(diags) => {
            report_invalid(printer, &diags);
            None
        }
    }
}

/// Loads the inputs a plan was made with: the overrides recorded in the plan (SPEC 6), then
/// `extra` (a command's own `--set`), saying in one line which recorded ones were applied.
fn load_for_plan(
    input: &InputArgs,
    plan: &crate::model::Plan,
    plan_path: &Path,
    extra: &[load::Override],
    printer: &Printer,
) -> Option<Loaded> {
    let overrides = match plan_overrides(plan, plan_path, extra) {
        Ok(o) => o,
        Err(d) => {
            printer.fatal(&d);
            return None;
        }
    };
    if !plan.overrides.is_empty() {
        printer.note(&format!(
            "note: applying the override(s) {} was made with:{}",
            plan_path.display(),
            set_flags(&plan.overrides)
        ));
    }
    load_inputs_with(input, &overrides, printer, false)
}

/// Reads the plan at `path` and loads the inputs it was made with ([`load_for_plan`]);
/// `None`, with every problem printed, when either fails.
fn plan_and_inputs(
    input: &InputArgs,
    path: &Path,
    extra: &[load::Override],
    printer: &Printer,
) -> Option<(crate::model::Plan, Loaded)> {
    let plan = load::plan_file::read(path)
        .inspect_err(|d| printer.fatal(d))
        .ok()?;
    let loaded = load_for_plan(input, &plan, path, extra, printer)?;
    Some((plan, loaded))
}

/// Whether `plan` keeps every rule for the inputs it was loaded with; when it does not, the
/// error names the first breach and how many there are, and `why` says why the command
/// needs a valid plan. Recorded figures that no longer match (a hand-edited plan's loads
/// and summary) are not breaches here: the command recomputes what it shows.
fn keeps_the_rules(
    path: &Path,
    plan: &crate::model::Plan,
    loaded: &Loaded,
    why: &str,
    printer: &Printer,
) -> bool {
    let breaches: Vec<_> = crate::verify::verify(&loaded.inventory, &loaded.scenario, plan)
        .into_iter()
        .filter(|b| !b.is_recorded_figure())
        .collect();
    let Some(first) = breaches.first() else {
        return true;
    };
    printer.fatal(
        &load::Diagnostic::error(
            "bad-plan",
            format!(
                "the plan breaks the rules for these inputs ({}), first {first}",
                plural_of(breaches.len(), "breach"),
            ),
        )
        .in_file(path)
        .hint(format!(
            "{why}: `waveplan verify {}` lists every breach; re-plan with `waveplan plan`",
            path.display()
        )),
    );
    false
}

/// ` --set a --set b` for a few overrides; a count when they would not fit on a line (a
/// resumed plan records hundreds), since the plan file lists them all.
fn set_flags(overrides: &[String]) -> String {
    let all = format!(" --set {}", overrides.join(" --set "));
    if overrides.len() <= 4 && all.len() <= 160 {
        all
    } else {
        format!(
            " {} (listed in the plan file)",
            plural_of(overrides.len(), "override")
        )
    }
}

/// The plan's recorded overrides followed by those of `extra` it does not already record
/// (repeating the plan's own `--set` on the command line changes nothing and says nothing twice).
fn plan_overrides(
    plan: &crate::model::Plan,
    plan_path: &Path,
    extra: &[load::Override],
) -> Result<load::Overrides, load::Diagnostic> {
    let mut all = load::Overrides::parse(&plan.overrides).map_err(|e| {
        load::Diagnostic::error("bad-plan", format!("invalid `overrides` entry: {e}"))
            .in_file(plan_path)
            .hint("each entry is a `KEY=VALUE` string as given to `--set`; remove or fix it")
    })?;
    all.0.extend(not_recorded(&plan.overrides, extra).cloned());
    Ok(all)
}

/// The overrides of `extra` that `recorded` (a plan's `overrides`) does not already hold.
pub(crate) fn not_recorded<'a>(
    recorded: &'a [String],
    extra: &'a [load::Override],
) -> impl Iterator<Item = &'a load::Override> {
    extra.iter().filter(|o| !recorded.contains(&o.to_string()))
}

fn report_invalid(printer: &Printer, diags: &Diagnostics) {
    printer.diagnostics(diags);
}
