//! The one place that writes to the terminal: data to stdout, messages to stderr, colour
//! only on a terminal without `NO_COLOR`, progress bars only on a terminal.

use std::io::{IsTerminal, Write};

use crate::load::{Diagnostic, Diagnostics, Severity};

/// Output policy for one run.
pub struct Printer {
    color: bool,
    progress: bool,
    /// What invalid inputs mean for this command, after the error count.
    consequence: &'static str,
}

impl Printer {
    /// Decides colour and progress from the environment.
    #[must_use]
    pub fn from_env() -> Self {
        let term = std::io::stderr().is_terminal();
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        Self {
            color: term && !no_color,
            progress: term,
            consequence: "nothing was done",
        }
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

    /// Whether progress bars should be drawn.
    #[must_use]
    pub fn progress(&self) -> bool {
        self.progress
    }

    /// Writes data to standard output.
    pub fn data(&self, text: &str) {
        let mut out = std::io::stdout().lock();
        // A closed pipe (`| head`) is not an error worth reporting.
        let _ = out.write_all(text.as_bytes());
        let _ = out.flush();
    }

    /// Writes a line to standard error.
    pub fn note(&self, text: &str) {
        let _ = writeln!(std::io::stderr().lock(), "{text}");
    }

    /// Writes one diagnostic to standard error.
    pub fn diagnostic(&self, d: &Diagnostic) {
        let text = d.to_string();
        let text = if self.color {
            let (word, code) = match d.severity {
                Severity::Error => ("error:", "\x1b[1;31m"),
                Severity::Warning => ("warning:", "\x1b[1;33m"),
            };
            text.replacen(word, &format!("{code}{word}\x1b[0m"), 1)
        } else {
            text
        };
        self.note(&text);
    }

    /// Writes every diagnostic, then a count line saying what the errors mean for the command.
    pub fn diagnostics(&self, ds: &Diagnostics) {
        self.diagnostics_then(ds, self.consequence);
    }

    /// Writes every diagnostic, then a count line ending in `consequence`.
    pub fn diagnostics_then(&self, ds: &Diagnostics, consequence: &str) {
        for d in &ds.0 {
            self.diagnostic(d);
        }
        let errors = ds.error_count();
        let warnings = ds.0.len() - errors;
        if errors > 0 {
            self.note(&format!(
                "{errors} error(s), {warnings} warning(s): {consequence}"
            ));
        }
    }
}
