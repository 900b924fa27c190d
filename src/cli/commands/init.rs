//! `waveplan init`: a new planning project that validates and plans at once — one example
//! department, a commented baseline scenario, and the schemas its files point editors at.

use std::path::{Path, PathBuf};

use jiff::ToSpan;
use jiff::civil::Date;

use crate::cli::Outcome;
use crate::cli::args::InitArgs;
use crate::cli::output::write_all_atomic;
use crate::cli::printer::Printer;
use crate::load::schema::{Format, SCHEMA_DIR};
use crate::load::{Diagnostic, Diagnostics};

/// The example department (dates are placeholders filled from the start date).
const LIBRARY: &str = include_str!("../init/library.yaml");
/// The baseline scenario (likewise).
const BASELINE: &str = include_str!("../init/baseline.yaml");

/// Runs `init`.
pub fn run(args: &InitArgs, printer: &Printer) -> Outcome {
    let start = args.start.unwrap_or_else(first_monday_after_today);
    match write(&args.dir, start) {
        Ok(files) => {
            let dir = args.dir.display();
            let listed: Vec<String> = files
                .iter()
                .map(|p| format!("  {}\n", p.display()))
                .collect();
            let cd = if args.dir == Path::new(".") {
                String::new()
            } else {
                format!("cd {dir} && ")
            };
            printer.info(&format!(
                "a planning project, first wave {start}:\n{}next: {cd}waveplan plan   (then: waveplan report plans/baseline.plan.yaml -o report.html)\n",
                listed.concat()
            ));
            Outcome::Success
        }
        Err(d) => {
            printer.diagnostics(&Diagnostics(vec![d]));
            Outcome::Invalid
        }
    }
}

/// Writes the project's files under `dir`, all or none, and returns their paths.
///
/// # Errors
/// A file that already exists, an inventory directory that already holds departments, or
/// a directory that cannot be written.
pub fn write(dir: &Path, start: Date) -> Result<Vec<PathBuf>, Diagnostic> {
    // `inventories/…` rather than `./inventories/…` in messages.
    let dir = if dir == Path::new(".") {
        Path::new("")
    } else {
        dir
    };
    let inventories = dir.join("inventories");
    if let Some(existing) = department_files(&inventories) {
        return Err(Diagnostic::error(
            "exists",
            format!(
                "`{}` already holds departments (`{existing}`): this is a planning project already",
                inventories.display()
            ),
        )
        .hint("run `waveplan init NEW-DIR` for a new project, or `waveplan validate` here"));
    }
    let mut files: Vec<(PathBuf, Vec<u8>)> = vec![
        (
            inventories.join("library.yaml"),
            fill(LIBRARY, start).into_bytes(),
        ),
        (
            dir.join("plans").join("baseline.yaml"),
            fill(BASELINE, start).into_bytes(),
        ),
    ];
    for f in Format::ALL {
        files.push((
            dir.join(SCHEMA_DIR).join(f.file_name()),
            f.to_json()?.into_bytes(),
        ));
    }
    let taken: Vec<String> = files
        .iter()
        .filter(|(p, _)| p.symlink_metadata().is_ok())
        .map(|(p, _)| format!("`{}`", p.display()))
        .collect();
    if !taken.is_empty() {
        return Err(Diagnostic::error(
            "exists",
            format!(
                "{} already {}: init never overwrites",
                taken.join(", "),
                if taken.len() == 1 { "exists" } else { "exist" }
            ),
        )
        .hint("move them away, or run `waveplan init` in a new directory"));
    }
    for sub in ["inventories", "plans", SCHEMA_DIR] {
        let d = dir.join(sub);
        std::fs::create_dir_all(&d).map_err(|e| {
            Diagnostic::error(
                "output",
                format!("cannot create the directory `{}`: {e}", d.display()),
            )
        })?;
    }
    write_all_atomic(&files)?;
    Ok(files.into_iter().map(|(p, _)| p).collect())
}

/// The first `*.yaml`/`*.yml` file in `dir`, if any.
fn department_files(dir: &Path) -> Option<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .ok()?
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".yaml") || n.ends_with(".yml"))
        .collect();
    names.sort();
    names.into_iter().next()
}

/// A template with its date placeholders filled from the first wave's `start`, each line's
/// trailing comment kept in the column the template put it in (a date is longer or shorter
/// than its placeholder, and the templates align their comments).
fn fill(template: &str, start: Date) -> String {
    let mut out = String::with_capacity(template.len() + 256);
    for line in template.split_inclusive('\n') {
        let filled = fill_line(line, start);
        if let (Some(t), Some(f)) = (comment_column(line), comment_column(&filled)) {
            let want = line[..t].chars().count();
            let (code, comment) = filled.split_at(f);
            let code = code.trim_end();
            let pad = want.saturating_sub(code.chars().count()).max(1);
            out.push_str(code);
            out.push_str(&" ".repeat(pad));
            out.push_str(comment);
        } else {
            out.push_str(&filled);
        }
    }
    out
}

/// The byte where a line's trailing comment starts: the first ` #` after some code (the
/// templates hold no `#` inside values).
fn comment_column(line: &str) -> Option<usize> {
    let at = line.find(" #")? + 1;
    (!line[..at].trim().is_empty()).then_some(at)
}

/// One template line with its date placeholders filled.
fn fill_line(template: &str, start: Date) -> String {
    let plus = |days: i64| start.checked_add(days.days()).unwrap_or(start);
    let year_end_from = Date::new(start.year(), 12, 24).unwrap_or(start);
    let year_end_from = if year_end_from < start {
        year_end_from.checked_add(1.year()).unwrap_or(start)
    } else {
        year_end_from
    };
    let year_end_to = Date::new(year_end_from.year() + 1, 1, 1).unwrap_or(year_end_from);
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    // `START_PLUS_<days>` first, then the whole-word placeholders.
    while let Some(i) = rest.find("START_PLUS_") {
        out.push_str(&rest[..i]);
        let tail = &rest[i + "START_PLUS_".len()..];
        let digits = tail.chars().take_while(char::is_ascii_digit).count();
        let days: i64 = tail[..digits].parse().unwrap_or(0);
        out.push_str(&plus(days).to_string());
        rest = &tail[digits..];
    }
    out.push_str(rest);
    out.replace("YEAR_END_FROM", &year_end_from.to_string())
        .replace("YEAR_END_TO", &year_end_to.to_string())
        .replace(
            "DECOMMISSION",
            &start.checked_add(2.years()).unwrap_or(start).to_string(),
        )
        .replace("START", &start.to_string())
}

/// The first Monday after today (UTC): a new project plans from next week.
fn first_monday_after_today() -> Date {
    let epoch = jiff::civil::date(1970, 1, 1);
    let days = jiff::Timestamp::now().as_second().div_euclid(86_400);
    let today = epoch.checked_add(days.days()).unwrap_or(epoch);
    next_monday(today)
}

/// The first Monday strictly after `day`.
fn next_monday(day: Date) -> Date {
    let ahead = 7 - i64::from(day.weekday().to_monday_zero_offset());
    day.checked_add(ahead.days()).unwrap_or(day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_filled_from_the_start() {
        let start = jiff::civil::date(2027, 1, 4);
        let text = fill(
            "a START b START_PLUS_35 c YEAR_END_FROM d YEAR_END_TO e DECOMMISSION",
            start,
        );
        assert_eq!(
            text,
            "a 2027-01-04 b 2027-02-08 c 2027-12-24 d 2028-01-01 e 2029-01-04"
        );
        assert!(!fill(LIBRARY, start).contains("START"));
        assert!(!fill(BASELINE, start).contains("START"));
        assert!(!fill(BASELINE, start).contains("YEAR_END"));
    }

    #[test]
    fn comments_keep_their_column_when_a_date_is_filled_in() {
        let start = jiff::civil::date(2027, 1, 6);
        for template in [LIBRARY, BASELINE] {
            for (t, f) in template.lines().zip(fill(template, start).lines()) {
                assert_eq!(comment_column(t), comment_column(f), "{t}\n{f}");
            }
        }
        assert_eq!(
            fill("  start: START       # the day\nx: 1\n", start),
            "  start: 2027-01-06  # the day\nx: 1\n"
        );
    }

    #[test]
    fn the_next_monday_is_strictly_after() {
        let d = jiff::civil::date;
        assert_eq!(next_monday(d(2026, 11, 30)), d(2026, 12, 7)); // a Monday
        assert_eq!(next_monday(d(2026, 12, 1)), d(2026, 12, 7));
        assert_eq!(next_monday(d(2026, 12, 6)), d(2026, 12, 7)); // a Sunday
    }
}
