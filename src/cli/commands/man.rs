//! `waveplan man`: manual pages in roff, generated from the clap definitions with
//! clap_mangen, plus the EXIT STATUS section it has no place for.

use std::path::{Path, PathBuf};

use clap::CommandFactory;
use clap_mangen::Man;
use clap_mangen::roff::{Roff, bold, roman};

use crate::cli::args::{ManArgs, exit_codes};
use crate::cli::output::write_all_atomic;
use crate::cli::printer::Printer;
use crate::cli::{Cli, Outcome};
use crate::load::Diagnostic;

/// Runs `man`.
pub fn run(args: &ManArgs, printer: &Printer) -> Outcome {
    let done = pages().and_then(|pages| match &args.dir {
        Some(dir) => write_dir(dir, pages),
        None => {
            // The top page comes first; without --dir it is the one asked for.
            if let Some((_, page)) = pages.first() {
                printer.data(page);
            }
            Ok(())
        }
    });
    match done {
        Ok(()) => Outcome::Success,
        Err(d) => {
            printer.fatal(&d);
            Outcome::Invalid
        }
    }
}

/// Every page as (file name, roff): `waveplan.1` first, then one per command, depth first.
fn pages() -> Result<Vec<(String, String)>, Diagnostic> {
    // `help` is not a command to document: every page already says how to get help.
    let mut root = Cli::command().disable_help_subcommand(true);
    // Building gives each subcommand its page name (`waveplan-plan`) and full usage
    // (`waveplan plan`), which a subcommand taken alone would not know.
    root.build();
    let mut pages = Vec::new();
    add_pages(root, &mut pages)?;
    Ok(pages)
}

fn add_pages(cmd: clap::Command, pages: &mut Vec<(String, String)>) -> Result<(), Diagnostic> {
    let subs: Vec<clap::Command> = cmd
        .get_subcommands()
        .filter(|s| !s.is_hide_set())
        .cloned()
        .collect();
    pages.push(page(cmd)?);
    for sub in subs {
        add_pages(sub, pages)?;
    }
    Ok(())
}

/// One command's page and its file name.
fn page(cmd: clap::Command) -> Result<(String, String), Diagnostic> {
    let top = cmd.get_bin_name().is_none_or(|b| !b.contains(' '));
    // The exit codes are `after_help`, which clap_mangen would fill into one paragraph under
    // EXTRA; EXIT STATUS lists them one per code instead.
    let man = Man::new(cmd.after_help(None::<&str>))
        // No date, so the same binary writes the same bytes; clap_mangen writes an empty
        // argument as nothing, which would make the source the date, so write it quoted.
        .date("\"\"")
        .source(format!("waveplan {}", env!("CARGO_PKG_VERSION")))
        .manual("User Commands");
    let mut bytes = Vec::new();
    man.render(&mut bytes)
        .map_err(|e| Diagnostic::error("internal", format!("cannot render a man page: {e}")))?;
    let text = String::from_utf8_lossy(&bytes);
    let mut extra = Roff::default();
    extra.control("SH", ["EXIT STATUS"]);
    for (code, meaning) in exit_codes() {
        extra
            .control("TP", [])
            .text([bold(code)])
            .text([roman(meaning)]);
    }
    if !top {
        extra
            .control("SH", ["SEE ALSO"])
            .text([bold("waveplan"), roman("(1)")]);
    }
    let extra = extra.to_roff();
    // Before VERSION, where man-pages(7) puts EXIT STATUS; at the end on pages without one.
    let page = match text.find("\n.SH VERSION\n") {
        Some(at) => format!("{}\n{extra}{}", &text[..at], &text[at + 1..]),
        None => format!("{text}{extra}"),
    };
    Ok((man.get_filename(), page))
}

/// Writes every page into `dir`, all of them or none.
fn write_dir(dir: &Path, pages: Vec<(String, String)>) -> Result<(), Diagnostic> {
    std::fs::create_dir_all(dir).map_err(|e| {
        Diagnostic::error(
            "output",
            format!("cannot create the directory `{}`: {e}", dir.display()),
        )
    })?;
    let files: Vec<(PathBuf, Vec<u8>)> = pages
        .into_iter()
        .map(|(name, page)| (dir.join(name), page.into_bytes()))
        .collect();
    write_all_atomic(&files)
}
