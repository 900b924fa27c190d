//! Command-line syntax (clap). Parsing only: what the flags mean is decided in the commands.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

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
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check the inventory (and scenario) and list every problem with file:line:column.
    Validate(InputArgs),
    /// Schedule every migrating service into waves and write the plan file.
    Plan(PlanArgs),
    /// Re-check a plan file against every hard rule and the plan format.
    Verify(VerifyArgs),
    /// Show the dependency graph: shared platforms, cycles, layers.
    Graph(GraphArgs),
    /// Render a plan as a report: Markdown, self-contained HTML with charts, CSV or JSON.
    Report(ReportArgs),
}

/// Where the inputs are.
#[derive(Debug, Clone, Args)]
pub struct InputArgs {
    /// Inventory directory: every *.yaml / *.yml file directly in it is one department.
    #[arg(
        short = 'i',
        long = "inventory",
        value_name = "DIR",
        default_value = "inventories"
    )]
    pub inventory: PathBuf,
    /// Scenario file [default: plans/baseline.yaml; validate and graph use built-in defaults
    /// when that file does not exist].
    #[arg(short = 's', long = "scenario", value_name = "FILE")]
    pub scenario: Option<PathBuf>,
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
pub struct PlanArgs {
    /// Inputs.
    #[command(flatten)]
    pub input: InputArgs,
    /// Output file [default: plans/<scenario name>.plan.yaml, or .plan.json with --format json].
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Plan file format.
    #[arg(long, value_enum, default_value_t = PlanFormat::Yaml)]
    pub format: PlanFormat,
    /// Seed of the randomised search (same inputs, seed and effort give the same plan).
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Search budget: number of schedules generated (deterministic, whatever the thread count).
    #[arg(long)]
    pub effort: Option<u64>,
    /// Wall-clock cap on the search in seconds; the plan is still complete and valid, but a
    /// search cut short may differ from run to run.
    #[arg(long, value_name = "SECS", value_parser = positive_seconds)]
    pub time_limit: Option<f64>,
    /// Also write a report of the plan to FILE (format from its extension: .md, .html, .csv,
    /// .json).
    #[arg(long, value_name = "FILE")]
    pub report: Option<PathBuf>,
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
}

/// Output format of the graph.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum GraphFormat {
    /// Graphviz DOT, services grouped by department.
    Dot,
    /// Mermaid flowchart (renders on common forges).
    Mermaid,
    /// JSON: nodes, edges, components, layers, hubs, summary.
    Json,
}

/// `waveplan graph`.
#[derive(Debug, Clone, Args)]
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

/// `--time-limit` must be a positive, finite number of seconds.
fn positive_seconds(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(v) if v.is_finite() && v > 0.0 && v < 1e9 => Ok(v),
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
}
