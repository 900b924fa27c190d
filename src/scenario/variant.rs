//! What-if variants: a scenario file plus overrides, and `--sweep` ranges expanded into them.

use std::path::PathBuf;

use jiff::civil::Date;

use crate::load::{Override, Overrides};

/// Sweeps may not expand into more variants than this (a typo in a step would otherwise
/// queue millions of plans).
pub const MAX_VARIANTS: usize = 10_000;

/// One row of a what-if comparison: which scenario file, with which overrides.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Variant {
    /// The row's name; `None` takes the scenario's name.
    pub name: Option<String>,
    /// The scenario file.
    pub scenario: PathBuf,
    /// Overrides applied to it (the base overrides first).
    pub overrides: Overrides,
}

/// Longest automatic row label, in characters. Longer override lists are shortened (the
/// row's details keep them whole), so a table stays readable next to 180-character overrides.
pub const MAX_LABEL_CHARS: usize = 40;

/// The label of a row that has no name (a `--set` without `--label`, a sweep point):
///
/// 1. its overrides joined by `; ` when that fits in [`MAX_LABEL_CHARS`];
/// 2. else the same with each key cut to its last segment (`capacity.teams.dba=30` reads
///    `dba=30`), when that fits and the row's last segments are distinct;
/// 3. else `KIND N: ` and as much of (1) as fits, ending in `…` — the number keeps rows whose
///    overrides share a long prefix apart.
#[must_use]
pub fn short_label(kind: &str, number: usize, overrides: &[Override]) -> String {
    let full = overrides
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("; ");
    if full.chars().count() <= MAX_LABEL_CHARS {
        return full;
    }
    let lasts: Vec<&str> = overrides
        .iter()
        .map(|o| o.path.last().map_or(o.key.as_str(), String::as_str))
        .collect();
    let distinct = lasts
        .iter()
        .enumerate()
        .all(|(i, l)| !lasts[..i].contains(l));
    if distinct {
        let short = lasts
            .iter()
            .zip(overrides)
            .map(|(l, o)| format!("{l}={}", o.value))
            .collect::<Vec<_>>()
            .join("; ");
        if short.chars().count() <= MAX_LABEL_CHARS {
            return short;
        }
    }
    let prefix = format!("{kind} {number}: ");
    let room = MAX_LABEL_CHARS.saturating_sub(prefix.chars().count() + 1);
    let cut: String = full.chars().take(room).collect();
    format!("{prefix}{}…", cut.trim_end())
}

/// A parsed `--sweep KEY=FROM..TO[:STEP]`: the override key and the values it takes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sweep {
    /// The key, as an override with an empty value.
    pub key: Override,
    /// The values, in order, as they will be written into the override.
    pub values: Vec<String>,
}

impl Sweep {
    /// Parses `KEY=FROM..TO[:STEP]`: numbers (step default 1) or ISO dates (step in days,
    /// `7d` or `7`, default 1 day). The range is inclusive.
    ///
    /// # Errors
    /// A message saying what is malformed.
    pub fn parse(text: &str) -> Result<Self, String> {
        let key = Override::parse(text)?;
        let spec = key.value.trim();
        let (range, step) = match spec.rsplit_once(':') {
            Some((r, s)) => (r, Some(s.trim())),
            None => (spec, None),
        };
        let Some((from, to)) = range.split_once("..") else {
            return Err(format!(
                "`{text}`: the range must be FROM..TO[:STEP], e.g. `capacity.cutovers=5..25:5`"
            ));
        };
        let (from, to) = (from.trim(), to.trim());
        let values = if let (Ok(a), Ok(b)) = (from.parse::<Date>(), to.parse::<Date>()) {
            date_values(a, b, step, text)?
        } else {
            number_values(from, to, step, text)?
        };
        Ok(Self {
            key: key.with_value(String::new()),
            values,
        })
    }
}

fn date_values(a: Date, b: Date, step: Option<&str>, text: &str) -> Result<Vec<String>, String> {
    let days: i64 = match step {
        None => 1,
        Some(s) => s
            .strip_suffix('d')
            .unwrap_or(s)
            .parse()
            .map_err(|_| format!("`{text}`: a date step is a number of days, e.g. `7d`"))?,
    };
    if days < 1 {
        return Err(format!("`{text}`: the step must be at least 1 day"));
    }
    if b < a {
        return Err(format!("`{text}`: the range ends before it starts"));
    }
    let mut out = Vec::new();
    let mut d = a;
    while d <= b {
        if out.len() >= MAX_VARIANTS {
            return Err(format!(
                "`{text}` expands to more than {MAX_VARIANTS} values"
            ));
        }
        out.push(d.to_string());
        let Ok(next) = d.checked_add(jiff::Span::new().days(days)) else {
            break;
        };
        d = next;
    }
    Ok(out)
}

fn number_values(
    from: &str,
    to: &str,
    step: Option<&str>,
    text: &str,
) -> Result<Vec<String>, String> {
    let num = |s: &str| -> Result<f64, String> {
        s.parse::<f64>()
            .ok()
            .filter(|v| v.is_finite())
            .ok_or_else(|| format!("`{text}`: `{s}` is neither a number nor a YYYY-MM-DD date"))
    };
    let (a, b) = (num(from)?, num(to)?);
    let step_text = step.unwrap_or("1");
    let s = num(step_text)?;
    if s <= 0.0 {
        return Err(format!("`{text}`: the step must be positive"));
    }
    if b < a {
        return Err(format!("`{text}`: the range ends before it starts"));
    }
    // Print as many decimals as the inputs use, so 0.1 steps do not show float noise.
    let places = [from, to, step_text]
        .iter()
        .map(|t| t.split_once('.').map_or(0, |(_, f)| f.len()))
        .max()
        .unwrap_or(0);
    let count = ((b - a) / s + 1e-9).floor();
    if count >= MAX_VARIANTS as f64 {
        return Err(format!(
            "`{text}` expands to more than {MAX_VARIANTS} values"
        ));
    }
    #[expect(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        reason = "count is a small non-negative whole number, checked above"
    )]
    let n = count as usize + 1;
    Ok((0..n)
        .map(|i| {
            #[expect(clippy::cast_precision_loss, reason = "i < MAX_VARIANTS")]
            let v = a + s * i as f64;
            format!("{v:.places$}")
        })
        .collect())
}

/// Every combination of the sweeps' values (the first sweep varies slowest), each as a list
/// of overrides.
///
/// # Errors
/// When the grid has more than [`MAX_VARIANTS`] points.
pub fn grid(sweeps: &[Sweep]) -> Result<Vec<Vec<Override>>, String> {
    if sweeps.is_empty() {
        return Ok(Vec::new());
    }
    let total = sweeps
        .iter()
        .try_fold(1usize, |acc, s| acc.checked_mul(s.values.len()));
    if total.is_none_or(|t| t > MAX_VARIANTS) {
        let sizes: Vec<String> = sweeps.iter().map(|s| s.values.len().to_string()).collect();
        // A product that overflows is not a number worth printing.
        let count = total.map_or_else(|| "too many to count".to_owned(), |t| t.to_string());
        return Err(format!(
            "the sweeps make {} = {count} variants; the limit is {MAX_VARIANTS}",
            sizes.join(" × ")
        ));
    }
    let mut out: Vec<Vec<Override>> = vec![Vec::new()];
    for s in sweeps {
        out = out
            .into_iter()
            .flat_map(|prefix| {
                s.values.iter().map(move |v| {
                    let mut p = prefix.clone();
                    p.push(s.key.with_value(v.clone()));
                    p
                })
            })
            .collect();
    }
    Ok(out)
}

#[cfg(test)]
#[expect(
    clippy::unwrap_used,
    reason = "test inputs are fixed; a panic is the failure"
)]
mod tests {
    use super::*;

    fn vals(s: &str) -> Vec<String> {
        Sweep::parse(s).unwrap().values
    }

    #[test]
    fn numeric_ranges_are_inclusive() {
        assert_eq!(
            vals("capacity.cutovers=5..25:5"),
            ["5", "10", "15", "20", "25"]
        );
        assert_eq!(vals("capacity.teams.dba=1..3"), ["1", "2", "3"]);
        assert_eq!(vals("x.y=0.1..0.3:0.1"), ["0.1", "0.2", "0.3"]);
        assert_eq!(vals("x.y=1..4:2"), ["1", "3"]);
        assert!(Sweep::parse("x.y=5..1").is_err());
        assert!(Sweep::parse("x.y=1..5:0").is_err());
        assert!(Sweep::parse("x.y=a..b").is_err());
        assert!(Sweep::parse("x.y=1..100000").is_err());
    }

    #[test]
    fn date_ranges_step_in_days() {
        assert_eq!(
            vals("calendar.start=2019-01-07..2019-01-21:7d"),
            ["2019-01-07", "2019-01-14", "2019-01-21"]
        );
        assert_eq!(vals("calendar.today=2019-01-01..2019-01-02").len(), 2);
    }

    fn label(sets: &[&str]) -> String {
        let o: Vec<Override> = sets.iter().map(|s| Override::parse(s).unwrap()).collect();
        short_label("set", 2, &o)
    }

    #[test]
    fn long_overrides_get_a_short_label() {
        assert_eq!(label(&["capacity.cutovers=10"]), "capacity.cutovers=10");
        assert_eq!(
            label(&["capacity.teams.dba=30", "capacity.cutovers=12"]),
            "dba=30; cutovers=12"
        );
        let long = label(&[
            "departments.DSF.blackouts=[{from: 2019-01-01, to: 2019-05-31, reason: tax season}]",
        ]);
        assert_eq!(long, "set 2: departments.DSF.blackouts=[{from…");
        assert_eq!(long.chars().count(), MAX_LABEL_CHARS);
        // Same last segment twice: cutting keys would hide which service is which.
        let two = label(&[
            "services.dsf-db-tax.duration_waves=3",
            "services.dsf-tax-core.duration_waves=3",
        ]);
        assert!(two.starts_with("set 2: services.dsf-db-tax."), "{two}");
    }

    #[test]
    fn several_sweeps_make_a_grid() {
        let a = Sweep::parse("capacity.cutovers=1..2").unwrap();
        let b = Sweep::parse("capacity.teams.dba=10..30:10").unwrap();
        let g = grid(&[a, b]).unwrap();
        assert_eq!(g.len(), 6);
        let names: Vec<String> = g[1].iter().map(ToString::to_string).collect();
        assert_eq!(names, ["capacity.cutovers=1", "capacity.teams.dba=20"]);
    }

    #[test]
    fn a_grid_too_large_says_how_it_is_made() {
        let big = Sweep::parse("capacity.teams.dba=1..10000").unwrap();
        let err = grid(&[big.clone(), big.clone()]).unwrap_err();
        assert_eq!(
            err,
            "the sweeps make 10000 × 10000 = 100000000 variants; the limit is 10000"
        );
        // Seven sweeps of 10,000 overflow a 64-bit count: no wrapped number is printed.
        let err = grid(&vec![big; 7]).unwrap_err();
        assert!(err.contains("too many to count"), "{err}");
        assert!(!err.contains("18446744073709551615"), "{err}");
    }
}
