//! Command-line syntax (clap). Parsing only: what the flags mean is decided in the commands.

use std::path::PathBuf;

use clap::error::ErrorKind;
use clap::{Args, CommandFactory, Parser, Subcommand, ValueEnum};

use crate::load::Override;
use crate::scenario::Sweep;

const EXIT_CODES: &str = "\
Exit codes:
  0    success (plan: every migrating service scheduled)
  1    invalid input, or a plan that breaks a rule (verify)
  2    usage error
  3    plan written, but some services could not be scheduled
  101  internal bug (please report it)";

/// Plans the migration of a data centre's services to the cloud in waves.
#[derive(Debug, Parser)]
#[command(name = "waveplan", version, about, long_about = None, after_help = EXIT_CODES)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
    /// Print errors and the command's data only: no warnings, summaries, notes or progress.
    #[arg(short, long, global = true)]
    pub quiet: bool,
    /// When to colour `error:` and `warning:` [auto: on a terminal, unless NO_COLOR is set].
    #[arg(long, global = true, value_enum, value_name = "WHEN", default_value_t = ColorWhen::Auto)]
    pub color: ColorWhen,
}

/// `--color`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorWhen {
    /// On a terminal, unless the NO_COLOR environment variable is set.
    Auto,
    /// Always, even into a pipe or file.
    Always,
    /// Never.
    Never,
}

impl ColorWhen {
    /// Forced on or off, or `None` for the terminal's default.
    #[must_use]
    pub fn forced(self) -> Option<bool> {
        match self {
            Self::Auto => None,
            Self::Always => Some(true),
            Self::Never => Some(false),
        }
    }
}

impl Cli {
    /// Checks what clap cannot express between flags; the error exits 2 like any usage error.
    ///
    /// # Errors
    /// `whatif` with more `--label` than `--set` flags (labels pair with sets by position);
    /// `report --department` for a report that is not the calendar.
    pub fn check(&self) -> Result<(), clap::Error> {
        match &self.command {
            Command::Whatif(w) if w.labels.len() > w.sets.len() => Err(conflict(
                "whatif",
                format!(
                    "{} --label flag(s) but {} --set row(s): each --label names the --set in the same position",
                    w.labels.len(),
                    w.sets.len()
                ),
            )),
            // Every other report is the whole plan; narrowing one of them silently to a
            // department it does not filter would mislead.
            Command::Report(r)
                if r.department.is_some()
                    && super::commands::report::format(r) != crate::report::Format::Ics =>
            {
                Err(conflict(
                    "report",
                    "--department narrows the calendar only: add --format ics (or write to a .ics file with -o)".to_owned(),
                ))
            }
            _ => Ok(()),
        }
    }
}

/// A usage error of subcommand `sub`, as clap words its own conflicts.
fn conflict(sub: &str, msg: String) -> clap::Error {
    let mut cmd = Cli::command();
    // Building names the subcommand (`waveplan whatif`) in the usage line.
    cmd.build();
    match cmd.find_subcommand_mut(sub) {
        Some(s) => s.error(ErrorKind::ArgumentConflict, msg),
        None => cmd.error(ErrorKind::ArgumentConflict, msg),
    }
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check the inventory (and scenario) and list every problem with file:line:column.
    Validate(ValidateArgs),
    /// Schedule every migrating service into waves and write the plan file.
    Plan(PlanArgs),
    /// Re-check a plan file against every hard rule and the plan format.
    Verify(VerifyArgs),
    /// Show the dependency graph: shared platforms, cycles, layers.
    Graph(GraphArgs),
    /// Render a plan as a report: Markdown, self-contained HTML with charts, CSV, JSON, or an
    /// iCalendar file of the cutover waves.
    Report(ReportArgs),
    /// Plan scenario variants side by side: variant files, --set overrides, --sweep ranges.
    Whatif(WhatifArgs),
    /// Compare two plan files: services moved, added, removed; waves; summary deltas.
    Diff(DiffArgs),
    /// Explain why a service is in its wave: the rule that binds it, and what relaxing it gives.
    Explain(ExplainArgs),
    /// Make inventory files from RVTools, dependency-flow, CMDB and spreadsheet exports.
    Import(ImportArgs),
    /// Simulate executing a plan: failed cutovers and overruns, P50/P80/P95 finish, deadlines.
    Risk(RiskArgs),
    /// Print the JSON Schema of the inventory, scenario or plan files, for editors.
    Schema(SchemaArgs),
    /// Start a new planning project: an example department, a commented baseline scenario
    /// and the schemas, ready for `waveplan plan`.
    Init(InitArgs),
    /// Print the shell completion script for bash, zsh, fish, PowerShell or elvish.
    Completions(CompletionsArgs),
    /// Print the waveplan(1) man page, or write a page per command into a directory.
    Man(ManArgs),
}

/// The exit codes of `--help` as (code, meaning), for the man pages' EXIT STATUS: one text
/// for both, so they cannot disagree.
pub(crate) fn exit_codes() -> Vec<(&'static str, &'static str)> {
    EXIT_CODES
        .lines()
        .skip(1)
        .filter_map(|l| l.trim().split_once(' '))
        .map(|(code, meaning)| (code, meaning.trim_start()))
        .collect()
}

/// Parses one `KEY=VALUE` override (clap value parser).
fn parse_override(s: &str) -> Result<Override, String> {
    Override::parse(s)
}

/// Overrides that make one what-if row, separated by `;`.
#[derive(Debug, Clone)]
pub struct OverrideSet(pub Vec<Override>);

fn parse_override_set(s: &str) -> Result<OverrideSet, String> {
    split_outside_quotes(s)
        .into_iter()
        .filter(|p| !p.trim().is_empty())
        .map(|p| Override::parse(p.trim()))
        .collect::<Result<Vec<_>, _>>()
        .and_then(|v| {
            if v.is_empty() {
                Err("give at least one KEY=VALUE".to_owned())
            } else {
                Ok(OverrideSet(v))
            }
        })
}

/// `s` split at each `;` that is not inside a YAML quoted string or flow collection, so
/// that a value means what it means to `plan --set`.
fn split_outside_quotes(s: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let (mut start, mut depth) = (0, 0usize);
    let mut quote: Option<char> = None;
    let mut escaped = false;
    // A quote opens a string only where a YAML scalar can start (`it's` is plain text), or
    // right after a single-quoted string closed (`'it''s'`: the doubled quote is a quote).
    let mut may_open = false;
    for (i, ch) in s.char_indices() {
        let opens = may_open;
        may_open = match quote {
            None if ch == ' ' => may_open,
            None => matches!(ch, '=' | '[' | '{' | ',' | ':'),
            Some('\'') => ch == '\'',
            Some(_) => false,
        };
        match quote {
            Some('"') if escaped => escaped = false,
            Some('"') if ch == '\\' => escaped = true,
            Some(q) if ch == q => quote = None,
            Some(_) => {}
            None => match ch {
                '"' | '\'' if opens => quote = Some(ch),
                '[' | '{' => depth += 1,
                ']' | '}' => depth = depth.saturating_sub(1),
                ';' if depth == 0 => {
                    parts.push(&s[start..i]);
                    start = i + 1;
                }
                _ => {}
            },
        }
    }
    parts.push(&s[start..]);
    parts
}

fn parse_label(s: &str) -> Result<String, String> {
    let s = s.trim();
    if s.is_empty() {
        Err("a label cannot be empty".to_owned())
    } else {
        Ok(s.to_owned())
    }
}

fn parse_sweep(s: &str) -> Result<Sweep, String> {
    Sweep::parse(s)
}

/// Where the inputs are.
#[derive(Debug, Clone, Args)]
pub struct InputArgs {
    /// Inventory directory: every *.yaml / *.yml file directly in it is one department.
    #[arg(
        short = 'i',
        long = "inventory",
        value_name = "DIR",
        value_hint = clap::ValueHint::DirPath,
        default_value = "inventories"
    )]
    pub inventory: PathBuf,
    /// Scenario file [default: plans/baseline.yaml].
    #[arg(short = 's', long = "scenario", value_name = "FILE")]
    pub scenario: Option<PathBuf>,
}

/// `-s` of the commands that can run without a scenario file (`scenario_optional`).
const OPTIONAL_SCENARIO_HELP: &str = "Scenario file [default: plans/baseline.yaml; if that does not exist, the built-in default scenario (docs/inventory-format.md)]";

/// `waveplan validate`.
#[derive(Debug, Clone, Args)]
// The help of the shared `-s` says what every command does; this one can also run without.
#[command(mut_arg("scenario", |a| a.help(OPTIONAL_SCENARIO_HELP)))]
pub struct ValidateArgs {
    /// Inputs.
    #[command(flatten)]
    pub input: InputArgs,
    /// Check the inputs as `plan --set` would see them (docs/whatif.md), e.g.
    /// `capacity.teams.dba=15`; repeatable.
    #[arg(long = "set", value_name = "KEY=VALUE", value_parser = parse_override)]
    pub set: Vec<Override>,
}

/// Output format of a plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PlanFormat {
    /// YAML (`.plan.yaml`).
    Yaml,
    /// JSON (`.plan.json`).
    Json,
}

/// `waveplan plan`.
#[derive(Debug, Clone, Args)]
#[command(group(clap::ArgGroup::new("previous").args(["stable_against", "resume"])))]
pub struct PlanArgs {
    /// Inputs.
    #[command(flatten)]
    pub input: InputArgs,
    /// Output file [default: plans/<scenario name>.plan.yaml, or .plan.json with --format
    /// json; with --set, plans/<scenario name>.whatif.plan.yaml so the scenario's own plan is
    /// never replaced by a what-if].
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Plan file format.
    #[arg(long, value_enum, default_value_t = PlanFormat::Yaml)]
    pub format: PlanFormat,
    /// Seed of the randomised search (same inputs, seed and effort give the same plan).
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Search budget: schedules generated, all of them (deterministic, whatever the thread
    /// count; more never gives a worse search result). Default 40000, fewer for large
    /// inputs; the plan records the number used.
    #[arg(long)]
    pub effort: Option<u64>,
    /// Wall-clock cap on the search in seconds; the plan is still complete and valid, but a
    /// search cut short may differ from run to run.
    #[arg(long, value_name = "SECS", value_parser = positive_seconds)]
    pub time_limit: Option<f64>,
    /// Also write a report of the plan to FILE (format from its extension: .md, .html, .csv,
    /// .json, .ics).
    #[arg(long, value_name = "FILE")]
    pub report: Option<PathBuf>,
    /// Override a scenario or inventory value (docs/whatif.md), e.g. `capacity.teams.dba=15`,
    /// `services.ID.duration_waves=3`; repeatable.
    #[arg(long = "set", value_name = "KEY=VALUE", value_parser = parse_override)]
    pub set: Vec<Override>,
    /// Keep services in their waves of this earlier plan where the rules allow, and say how
    /// many moved and why.
    #[arg(long, value_name = "PLAN")]
    pub stable_against: Option<PathBuf>,
    /// Start the search from this plan: its placements are kept where they still hold and
    /// the rest re-placed, so the result is never worse than that (what `whatif` does with
    /// the baseline plan for every variant).
    #[arg(long, value_name = "PLAN", conflicts_with = "stable_against")]
    pub start_from: Option<PathBuf>,
    /// Re-plan mid-migration from this plan at the scenario's `calendar.today`: services
    /// cut over before it become migrated, services under way keep their remaining waves,
    /// effort and data, and the rest stay in their waves where the rules allow (as
    /// --stable-against). The derived overrides are recorded in the new plan.
    #[arg(long, value_name = "PLAN", conflicts_with_all = ["stable_against", "start_from"])]
    pub resume: Option<PathBuf>,
    /// With --stable-against or --resume: how many moved services one wave is worth (a plan
    /// one wave shorter is chosen when it moves at most this many more services).
    /// Default: a tenth of the migrating services; 0 keeps as many services in their waves as it can.
    #[arg(long, value_name = "N", requires = "previous")]
    pub wave_worth: Option<usize>,
    /// With --stable-against or --resume: move at most N services when some plan can; plans
    /// that move more rank after every plan that does not.
    #[arg(long, value_name = "N", requires = "previous")]
    pub max_moves: Option<usize>,
}

/// `waveplan verify`.
#[derive(Debug, Clone, Args)]
pub struct VerifyArgs {
    /// Inputs the plan was made from.
    #[command(flatten)]
    pub input: InputArgs,
    /// The plan file to check (YAML or JSON).
    #[arg(value_name = "PLAN")]
    pub plan: PathBuf,
    /// Overrides applied after those the plan records (`overrides:` in the plan file).
    #[arg(long = "set", value_name = "KEY=VALUE", value_parser = parse_override)]
    pub set: Vec<Override>,
}

/// Output format of the graph.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum GraphFormat {
    /// Graphviz DOT, services grouped by department.
    Dot,
    /// Mermaid flowchart (renders on common forges).
    Mermaid,
    /// JSON: nodes, edges, components, layers, hubs, summary (docs/graph.md).
    Json,
    /// Plain text for people: counts, cycles, cut-over units, layers, the most depended-on
    /// services, the critical chain.
    Text,
}

/// `waveplan graph`.
#[derive(Debug, Clone, Args)]
#[command(mut_arg("scenario", |a| a.help(OPTIONAL_SCENARIO_HELP)))]
pub struct GraphArgs {
    /// Inputs.
    #[command(flatten)]
    pub input: InputArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = GraphFormat::Dot)]
    pub format: GraphFormat,
    /// Write to this file instead of standard output.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// Longest `--time-limit` accepted, in seconds (about 31 years): longer would overflow a
/// `Duration` deadline and means "no limit", which is simply leaving the flag out.
const MAX_TIME_LIMIT_SECONDS: f64 = 1e9;

/// `--time-limit` must be a positive, finite number of seconds below the limit.
fn positive_seconds(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(v) if v.is_finite() && v > 0.0 && v < MAX_TIME_LIMIT_SECONDS => Ok(v),
        // A positive number that is merely too large deserves to hear the limit, not that it
        // is not positive.
        Ok(v) if v >= MAX_TIME_LIMIT_SECONDS => Err(format!(
            "`{s}` seconds is too large; the limit is less than {MAX_TIME_LIMIT_SECONDS:.0} seconds (leave out --time-limit for no limit)"
        )),
        _ => Err(format!("`{s}` is not a positive number of seconds")),
    }
}

/// Output format of a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    /// Markdown with a Mermaid Gantt chart (renders on common forges).
    Md,
    /// One self-contained HTML page with inline SVG charts.
    Html,
    /// One row per migrating service.
    Csv,
    /// Every fact of the report, for scripts.
    Json,
    /// iCalendar (RFC 5545) for Outlook or Google Calendar: each department's cutover waves
    /// and the freezes as all-day events (docs/calendar.md).
    Ics,
}

/// `waveplan report`.
#[derive(Debug, Clone, Args)]
pub struct ReportArgs {
    /// Inputs the plan was made from.
    #[command(flatten)]
    pub input: InputArgs,
    /// The plan file to render (YAML or JSON).
    #[arg(value_name = "PLAN")]
    pub plan: PathBuf,
    /// Report format [default: from the extension of -o, else md].
    #[arg(long, value_enum)]
    pub format: Option<ReportFormat>,
    /// Write to this file instead of standard output.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Narrow the calendar (ics only) to one department: its cutovers and blackouts, and
    /// the freezes.
    #[arg(long, value_name = "CODE")]
    pub department: Option<String>,
    /// Overrides applied after those the plan records.
    #[arg(long = "set", value_name = "KEY=VALUE", value_parser = parse_override)]
    pub set: Vec<Override>,
    /// Add the schedule risk: simulate the plan's execution as `waveplan risk` does
    /// (finish histogram, decommission-date probabilities, criticality index).
    #[arg(long)]
    pub risk: bool,
    /// Runs of the risk simulation (with --risk).
    #[arg(long, value_name = "N", default_value_t = crate::risk::DEFAULT_RUNS, value_parser = clap::value_parser!(u64).range(1..=10_000_000), requires = "risk")]
    pub risk_runs: u64,
    /// Seed of the risk simulation (with --risk).
    #[arg(long, value_name = "S", default_value_t = 1, requires = "risk")]
    pub risk_seed: u64,
}

/// Output format of a risk simulation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RiskFormat {
    /// Plain text.
    // Formerly `table`: the old name still parses, so scripts written before keep working.
    #[value(alias = "table")]
    Text,
    /// Markdown.
    Md,
    /// JSON (keys in docs/risk.md).
    Json,
    /// CSV, one row per scheduled service.
    Csv,
}

/// `waveplan risk`.
#[derive(Debug, Clone, Args)]
pub struct RiskArgs {
    /// Inputs the plan was made from; the model is the scenario's `risk:` (docs/risk.md).
    #[command(flatten)]
    pub input: InputArgs,
    /// The plan file to simulate (YAML or JSON).
    #[arg(value_name = "PLAN")]
    pub plan: PathBuf,
    /// Runs to simulate.
    #[arg(long, default_value_t = crate::risk::DEFAULT_RUNS, value_parser = clap::value_parser!(u64).range(1..=10_000_000))]
    pub runs: u64,
    /// Seed: the same seed gives the same numbers whatever the thread count.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Re-plan as the run goes: once something goes wrong, later work may also move
    /// earlier into room left after that wave (by default work only moves later).
    #[arg(long)]
    pub replan: bool,
    /// Runs the criticality index is measured on (each repeated once per failure in it)
    /// [default: up to 1,000, fewer on large inventories].
    #[arg(long, value_name = "N")]
    pub criticality_runs: Option<u64>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = RiskFormat::Text)]
    pub format: RiskFormat,
    /// Write to this file instead of standard output.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Overrides applied after those the plan records, e.g. `risk.failure.rehost=0.1`.
    #[arg(long = "set", value_name = "KEY=VALUE", value_parser = parse_override)]
    pub set: Vec<Override>,
    /// Also write the executed plans of the runs at P50, P80 and P95 and of the latest
    /// finish into this directory (`p50.plan.yaml` …), to verify, report or diff.
    #[arg(long, value_name = "DIR", value_hint = clap::ValueHint::DirPath)]
    pub sample_plans: Option<PathBuf>,
}

/// Output format of a what-if comparison.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CompareFormat {
    /// Plain text: an aligned table.
    // Formerly `table`: the old name still parses, so scripts written before keep working.
    #[value(alias = "table")]
    Text,
    /// Markdown table.
    Md,
    /// CSV with the JSON keys as header.
    Csv,
    /// JSON array of row objects.
    Json,
}

/// `waveplan whatif`.
#[derive(Debug, Clone, Args)]
pub struct WhatifArgs {
    /// Inputs of the baseline (the first row).
    #[command(flatten)]
    pub input: InputArgs,
    /// A variant scenario file (usually `extends:` the baseline); one row each, repeatable.
    #[arg(long = "variant", value_name = "FILE")]
    pub variants: Vec<PathBuf>,
    /// One row: the baseline with these overrides (several joined by `;`); repeatable.
    #[arg(long = "set", value_name = "KEY=VALUE[;KEY=VALUE]", value_parser = parse_override_set)]
    pub sets: Vec<OverrideSet>,
    /// Label of a `--set` row, paired by order: the first `--label` names the first `--set`
    /// row, and so on; repeatable. Rows without one get a short label made from their
    /// overrides (the full list is in the details column).
    #[arg(long = "label", value_name = "TEXT", value_parser = parse_label)]
    pub labels: Vec<String>,
    /// Rows for an inclusive range: numbers `5..25:5` or dates `2019-01-07..2019-03-04:7d`;
    /// several sweeps make a grid.
    #[arg(long = "sweep", value_name = "KEY=FROM..TO[:STEP]", value_parser = parse_sweep)]
    pub sweeps: Vec<Sweep>,
    /// An override applied to every row, the baseline included; repeatable.
    #[arg(long = "base-set", value_name = "KEY=VALUE", value_parser = parse_override)]
    pub base_set: Vec<Override>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = CompareFormat::Text)]
    pub format: CompareFormat,
    /// Write to this file instead of standard output.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Also write the comparison as an HTML page with a chart.
    #[arg(long, value_name = "FILE.html")]
    pub report: Option<PathBuf>,
    /// Also write each row's plan into this directory (`NN-<row>.plan.yaml`, overrides
    /// recorded), to verify, report or explain a row like any plan.
    #[arg(long, value_name = "DIR", value_hint = clap::ValueHint::DirPath)]
    pub plans: Option<PathBuf>,
    /// Seed of every variant's search.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Search budget of every variant (deterministic, whatever the thread count). Default
    /// 40000, fewer for large inputs, as for `plan`.
    #[arg(long)]
    pub effort: Option<u64>,
    /// Wall-clock cap on each variant's search in seconds; rows are still complete and
    /// valid, but a search cut short may differ from run to run.
    #[arg(long, value_name = "SECS", value_parser = positive_seconds)]
    pub time_limit: Option<f64>,
}

/// Output format of a diff.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DiffFormat {
    /// Plain text.
    // Formerly `table`: the old name still parses, so scripts written before keep working.
    #[value(alias = "table")]
    Text,
    /// Markdown.
    Md,
    /// JSON.
    Json,
}

/// `waveplan diff`.
#[derive(Debug, Clone, Args)]
pub struct DiffArgs {
    /// The earlier plan.
    #[arg(value_name = "PLAN_A")]
    pub a: PathBuf,
    /// The later plan.
    #[arg(value_name = "PLAN_B")]
    pub b: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value_t = DiffFormat::Text)]
    pub format: DiffFormat,
    /// Write to this file instead of standard output.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// Output format of an explanation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExplainFormat {
    /// Plain text.
    // `table` is accepted too, as every command with a plain-text format accepts it.
    #[value(alias = "table")]
    Text,
    /// JSON.
    Json,
}

/// `waveplan explain`.
#[derive(Debug, Clone, Args)]
pub struct ExplainArgs {
    /// Inputs the plan was made from.
    #[command(flatten)]
    pub input: InputArgs,
    /// The service to explain.
    #[arg(value_name = "SERVICE")]
    pub service: String,
    /// The plan [default: plans/<scenario name>.plan.yaml].
    #[arg(value_name = "PLAN")]
    pub plan: Option<PathBuf>,
    /// Overrides applied after those the plan records (`overrides:` in the plan file).
    #[arg(long = "set", value_name = "KEY=VALUE", value_parser = parse_override)]
    pub set: Vec<Override>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ExplainFormat::Text)]
    pub format: ExplainFormat,
}

fn parse_code(s: &str) -> Result<String, String> {
    if crate::import::estate::is_code(s) {
        Ok(s.to_owned())
    } else {
        Err(
            "a department code is 2-16 characters: an uppercase letter, then A-Z, 0-9 or `-`"
                .to_owned(),
        )
    }
}

/// `waveplan import`.
#[derive(Debug, Clone, Args)]
pub struct ImportArgs {
    /// Export files: RVTools vInfo (.xlsx or .csv), Azure Migrate dependencies, CMDB items
    /// and relationships, or any server list (CSV, TSV, XLSX); the kind is read from the header.
    #[arg(value_name = "SOURCE", required = true)]
    pub sources: Vec<PathBuf>,
    /// Map file: departments, service grouping, column names, flow filters, defaults
    /// (docs/import.md).
    #[arg(long, value_name = "FILE")]
    pub map: Option<PathBuf>,
    /// Department code for servers no map rule places.
    #[arg(long, value_name = "CODE", value_parser = parse_code)]
    pub department: Option<String>,
    /// Inventory directory to write or merge into.
    #[arg(
        short = 'o',
        long = "output",
        value_name = "DIR",
        value_hint = clap::ValueHint::DirPath,
        default_value = "inventories"
    )]
    pub output: PathBuf,
    /// Write the review here: Markdown (.md) or JSON (.json), by extension.
    #[arg(long, value_name = "FILE")]
    pub report: Option<PathBuf>,
    /// Treat a ragged row or an unreadable number as an error instead of skipping it.
    #[arg(long)]
    pub strict: bool,
    /// Import flow endpoints found in no inventory source as placeholder services.
    #[arg(long)]
    pub keep_unknown: bool,
    /// Show what would be written without writing anything.
    #[arg(long)]
    pub dry_run: bool,
}

/// A file format with a JSON Schema.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SchemaKind {
    /// A department file (inventories/*.yaml).
    Inventory,
    /// A scenario file (plans/*.yaml).
    Scenario,
    /// A plan file (plans/*.plan.yaml or .plan.json).
    Plan,
}

/// `waveplan init`.
#[derive(Debug, Clone, Args)]
pub struct InitArgs {
    /// The project directory (created if missing; files already there are never overwritten).
    #[arg(value_name = "DIR", value_hint = clap::ValueHint::DirPath, default_value = ".")]
    pub dir: PathBuf,
    /// The day the first wave starts [default: the first Monday after today].
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_day)]
    pub start: Option<jiff::civil::Date>,
}

/// A day written as YYYY-MM-DD; anything else is a usage error that says how to write it
/// (the parser's own words name its internals, not the user's mistake).
fn parse_day(s: &str) -> Result<jiff::civil::Date, String> {
    s.parse::<jiff::civil::Date>().map_err(|_| {
        format!("`{s}` is not a date: write it as YYYY-MM-DD (year, month, day), e.g. 2027-01-04")
    })
}

/// `waveplan schema`.
#[derive(Debug, Clone, Args)]
pub struct SchemaArgs {
    /// The file format whose schema to print (docs/editors.md).
    #[arg(value_enum, required_unless_present = "write_dir")]
    pub kind: Option<SchemaKind>,
    /// Write to this file instead of standard output.
    #[arg(short = 'o', long = "output", value_name = "FILE", requires = "kind")]
    pub output: Option<PathBuf>,
    /// Write all three schemas into this directory (created if missing) as
    /// inventory.schema.json, scenario.schema.json and plan.schema.json.
    #[arg(
        long,
        value_name = "DIR",
        value_hint = clap::ValueHint::DirPath,
        conflicts_with_all = ["kind", "output"]
    )]
    pub write_dir: Option<PathBuf>,
}

/// `waveplan completions`.
#[derive(Debug, Clone, Args)]
pub struct CompletionsArgs {
    /// The shell to print the script for (README: where each shell looks for it).
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

/// `waveplan man`.
#[derive(Debug, Clone, Args)]
pub struct ManArgs {
    /// Write waveplan.1 and one page per command (waveplan-plan.1 …) into this directory,
    /// created if missing, instead of printing waveplan(1).
    #[arg(long, value_name = "DIR", value_hint = clap::ValueHint::DirPath)]
    pub dir: Option<PathBuf>,
}

#[cfg(test)]
#[expect(
    clippy::unwrap_used,
    reason = "test inputs are fixed; a panic is the failure"
)]
mod tests {
    use super::*;

    fn values(s: &str) -> Vec<String> {
        parse_override_set(s)
            .unwrap()
            .0
            .into_iter()
            .map(|o| o.value)
            .collect()
    }

    fn parse(args: &[&str]) -> Command {
        Cli::try_parse_from(std::iter::once("waveplan").chain(args.iter().copied()))
            .unwrap()
            .command
    }

    /// Issue 15 item 8: one name, `text`, for every plain-text format; `table`, the old name
    /// of three of them, still parses everywhere.
    #[test]
    fn plain_text_is_text_everywhere_and_table_still_parses() {
        for spelling in ["text", "table"] {
            let Command::Diff(d) = parse(&["diff", "a", "b", "--format", spelling]) else {
                panic!("diff")
            };
            assert_eq!(d.format, DiffFormat::Text);
            let Command::Risk(r) = parse(&["risk", "p", "--format", spelling]) else {
                panic!("risk")
            };
            assert_eq!(r.format, RiskFormat::Text);
            let Command::Whatif(w) = parse(&["whatif", "--format", spelling]) else {
                panic!("whatif")
            };
            assert_eq!(w.format, CompareFormat::Text);
            let Command::Explain(x) = parse(&["explain", "s", "--format", spelling]) else {
                panic!("explain")
            };
            assert_eq!(x.format, ExplainFormat::Text);
        }
        for sub in ["diff", "risk", "whatif", "explain"] {
            let help = Cli::command()
                .find_subcommand_mut(sub)
                .unwrap()
                .render_long_help()
                .to_string();
            assert!(help.contains("- text:"), "{sub}: {help}");
            assert!(
                !help.contains("table:"),
                "{sub} lists the hidden alias: {help}"
            );
        }
    }

    /// Issue 15 item 8: the shared `-s` help says what is true of the command it is shown for.
    #[test]
    fn scenario_help_mentions_the_built_in_default_only_where_it_applies() {
        let mut cli = Cli::command();
        cli.build();
        for sub in cli.get_subcommands() {
            let Some(s) = sub.get_arguments().find(|a| a.get_id() == "scenario") else {
                continue;
            };
            let help = s.get_help().map(ToString::to_string).unwrap_or_default();
            let optional = matches!(sub.get_name(), "validate" | "graph");
            assert_eq!(
                help.contains("built-in"),
                optional,
                "{}: {help}",
                sub.get_name()
            );
            assert!(!help.contains("validate and graph"), "{help}");
            assert!(help.contains("plans/baseline.yaml"), "{help}");
        }
    }

    #[test]
    fn every_exit_code_of_the_help_reaches_the_man_pages() {
        let codes: Vec<&str> = exit_codes().into_iter().map(|(c, _)| c).collect();
        assert_eq!(codes, ["0", "1", "2", "3", "101"]);
        assert!(exit_codes().iter().all(|(_, m)| !m.is_empty()));
    }

    #[test]
    fn a_row_splits_at_semicolons_outside_quotes_and_brackets() {
        assert_eq!(values("a=1; b=2"), ["1", "2"]);
        assert_eq!(values("a.name='x;y';b=2"), ["'x;y'", "2"]);
        assert_eq!(values(r#"a.name="say \";\"";b=2"#), [r#""say \";\"""#, "2"]);
        assert_eq!(
            values("a=[1, 'p;q'];b={k: v;w}"),
            ["[1, 'p;q']", "{k: v;w}"]
        );
        assert_eq!(values("a.name=it's;b=2"), ["it's", "2"]);
        assert_eq!(values("a.name='it''s;x';b=2"), ["'it''s;x'", "2"]);
    }
}
