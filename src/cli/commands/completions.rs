//! `waveplan completions`: the shell completion script, generated from the clap definitions
//! so it always knows every command and flag of this binary.

use clap::CommandFactory;

use crate::cli::args::CompletionsArgs;
use crate::cli::printer::Printer;
use crate::cli::{Cli, Outcome};

/// Runs `completions`.
pub fn run(args: &CompletionsArgs, printer: &Printer) -> Outcome {
    let mut cmd = Cli::command();
    // The script registers itself for the name users type, whatever the binary file is called.
    let name = cmd.get_name().to_owned();
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut cmd, name, &mut script);
    printer.data(&String::from_utf8_lossy(&script));
    Outcome::Success
}
