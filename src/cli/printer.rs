//! The one place that writes to the terminal: data to stdout, messages to stderr, colour
//! by `--color` (on a terminal without `NO_COLOR` by default), progress bars only on a
//! terminal, and nothing but errors and data under `--quiet`.

use std::io::{IsTerminal, Write};

use crate::load::{Diagnostic, Diagnostics, Severity};
use crate::model::words::plural_of;

/// Output policy for one run.
pub struct Printer {
    color: bool,
    progress: bool,
    quiet: bool,
    /// Whether a failed run lists its warnings (validate, graph, import) or only counts them.
    warnings_in_full: bool,
    /// What invalid inputs mean for this command, after the error count.
    consequence: &'static str,
}

impl Printer {
    /// Decides colour and progress from the environment: `color` forces colour on or off
    /// (`None`: on a terminal unless `NO_COLOR` is set); `quiet` keeps errors and data only.
    #[must_use]
    pub fn new(color: Option<bool>, quiet: bool) -> Self {
        let term = std::io::stderr().is_terminal();
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        Self {
            color: color.unwrap_or(term && !no_color),
            progress: term && !quiet,
            quiet,
            warnings_in_full: false,
            consequence: "nothing was done",
        }
    }

    /// Decides colour and progress from the environment alone.
    #[must_use]
    pub fn from_env() -> Self {
        Self::new(None, false)
    }

    /// This printer for a command whose invalid inputs mean `consequence` (e.g. "nothing
    /// was planned"), said after the error count.
    #[must_use]
    pub fn for_command(self, consequence: &'static str) -> Self {
        Self {
            consequence,
            ..self
        }
    }

    /// This printer for a command where planners read warnings in full, even when there are
    /// errors too (the warnings come first, so the errors end the output).
    #[must_use]
    pub fn warnings_in_full(self) -> Self {
        Self {
            warnings_in_full: true,
            ..self
        }
    }

    /// Whether this command lists warnings in full rather than counting them.
    #[must_use]
    pub fn lists_warnings(&self) -> bool {
        self.warnings_in_full
    }

    /// Whether progress bars should be drawn.
    #[must_use]
    pub fn progress(&self) -> bool {
        self.progress
    }

    /// Writes data (a command's product) to standard output, even under `--quiet`.
    pub fn data(&self, text: &str) {
        let mut out = std::io::stdout().lock();
        // A closed pipe (`| head`) is not an error worth reporting.
        let _ = out.write_all(text.as_bytes());
        let _ = out.flush();
    }

    /// Writes a summary for people to standard output, unless `--quiet`.
    pub fn info(&self, text: &str) {
        if !self.quiet {
            self.data(text);
        }
    }

    /// Writes a line to standard error, unless `--quiet`.
    pub fn note(&self, text: &str) {
        if !self.quiet {
            self.line(text);
        }
    }

    /// Writes `warning: text` to standard error, unless `--quiet`.
    pub fn warning(&self, text: &str) {
        if !self.quiet {
            self.line(&self.paint("warning:", text));
        }
    }

    /// Writes `error: text` to standard error, whatever `--quiet` says.
    pub fn error(&self, text: &str) {
        self.line(&self.paint("error:", text));
    }

    fn line(&self, text: &str) {
        let _ = writeln!(std::io::stderr().lock(), "{text}");
    }

    /// `word text`, the word coloured when colour is on.
    fn paint(&self, word: &str, text: &str) -> String {
        format!("{} {text}", self.colored(word))
    }

    /// `error:` in red, anything else (`warning:`) in yellow, when colour is on.
    fn colored(&self, word: &str) -> String {
        if !self.color {
            return word.to_owned();
        }
        let code = if word == "error:" {
            "\x1b[1;31m"
        } else {
            "\x1b[1;33m"
        };
        format!("{code}{word}\x1b[0m")
    }

    /// Writes one diagnostic to standard error (a warning not under `--quiet`).
    pub fn diagnostic(&self, d: &Diagnostic) {
        if self.quiet && d.severity == Severity::Warning {
            return;
        }
        let word = match d.severity {
            Severity::Error => "error:",
            Severity::Warning => "warning:",
        };
        self.line(&d.to_string().replacen(word, &self.colored(word), 1));
    }

    /// Writes one error that stopped the command, then the count line every failure ends with.
    pub fn fatal(&self, d: &Diagnostic) {
        self.diagnostics(&Diagnostics(vec![d.clone()]));
    }

    /// Writes every diagnostic, then a count line saying what the errors mean for the command.
    pub fn diagnostics(&self, ds: &Diagnostics) {
        self.diagnostics_then(ds, self.consequence);
    }

    /// Writes the diagnostics so that errors come last, then a count line ending in
    /// `consequence`. With errors, a command that does not list warnings in full only
    /// counts them: the errors are what stopped it, and `validate` lists the rest.
    pub fn diagnostics_then(&self, ds: &Diagnostics, consequence: &str) {
        let errors = ds.error_count();
        let warnings = ds.0.len() - errors;
        let list_warnings = errors == 0 || self.warnings_in_full;
        for d in ds.0.iter().filter(|d| d.severity == Severity::Warning) {
            if list_warnings {
                self.diagnostic(d);
            }
        }
        for d in ds.0.iter().filter(|d| d.severity == Severity::Error) {
            self.diagnostic(d);
        }
        if errors > 0 {
            let warned = match warnings {
                0 => String::new(),
                _ if list_warnings && !self.quiet => {
                    format!(", {}", plural_of(warnings, "warning"))
                }
                _ if self.quiet => format!(" ({} not shown)", plural_of(warnings, "warning")),
                _ => format!(
                    " ({} not shown: `waveplan validate` lists them)",
                    plural_of(warnings, "warning")
                ),
            };
            self.line(&format!(
                "{}{warned}: {consequence}",
                plural_of(errors, "error")
            ));
        }
    }
}
