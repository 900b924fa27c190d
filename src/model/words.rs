//! How counts, wave ranges and percentages read, for every layer that writes sentences:
//! reports, command summaries, the reasons a plan file gives, `waveplan graph --format text`,
//! `waveplan risk`. One spelling everywhere, so no output says "1 services", "waves 24–24"
//! or "100%" for a share that is not full.
//!
//! Plain words only: callers escape them for their format.

/// `n` and a noun, plural unless `n` is 1: `1 wave`, `3 waves`, `2 dependencies`.
///
/// The plural adds `s` (`es` after s, x, ch, sh), or turns a final consonant + `y` into `ies`; in a phrase only the
/// last word changes (`2 open waves`).
#[must_use]
pub fn plural(n: impl Into<u64>, noun: &str) -> String {
    let n = n.into();
    if n == 1 {
        return format!("1 {noun}");
    }
    let mut chars = noun.chars().rev();
    match (chars.next(), chars.next()) {
        (Some('y'), Some(c)) if !"aeiou".contains(c) => {
            format!("{n} {}ies", &noun[..noun.len() - 1])
        }
        _ if ["s", "x", "ch", "sh"].iter().any(|end| noun.ends_with(end)) => {
            format!("{n} {noun}es")
        }
        _ => format!("{n} {noun}s"),
    }
}

/// [`plural`] for a length or a count held in a `usize`.
#[must_use]
pub fn plural_of(n: usize, noun: &str) -> String {
    plural(u64::try_from(n).unwrap_or(u64::MAX), noun)
}

/// A range of waves: `wave 24` when it is one wave, `waves 3–5` otherwise (in the order
/// given, so a caller's mistake shows rather than hides).
#[must_use]
pub fn wave_span(first: u32, last: u32) -> String {
    if first == last {
        format!("wave {first}")
    } else {
        format!("waves {first}–{last}")
    }
}

/// How full a load is against its capacity. SPEC 4 counts a load within 1e-6 of the
/// capacity as within it, so that, not rounding, decides what reads as full.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fill {
    /// Below the capacity.
    Under,
    /// At the capacity, within the tolerance.
    Full,
    /// Over the capacity.
    Over,
}

/// Percentage points within which a share counts as exactly 100% (SPEC 4's 1e-6, in percent).
const FULL_WITHIN: f64 = 1e-4;

impl Fill {
    /// The fill of a share given in percent.
    #[must_use]
    pub fn of(percent: f64) -> Self {
        if percent > 100.0 + FULL_WITHIN {
            Self::Over
        } else if percent >= 100.0 - FULL_WITHIN {
            Self::Full
        } else {
            Self::Under
        }
    }
}

/// `p` percent with `decimals` decimals, never reading 100 unless [`Fill::Full`] (99.96 reads `99.9%` with no decimals, 100.02 `100.1%`).
#[must_use]
pub fn percent(p: f64, decimals: usize) -> String {
    let text = format!("{p:.decimals$}");
    let reads_full = text.parse::<f64>().is_ok_and(|v| v == 100.0);
    let finer = decimals + 1;
    let scale = 10f64.powi(i32::try_from(finer).unwrap_or(i32::MAX));
    match Fill::of(p) {
        Fill::Full => format!("{:.decimals$}%", 100.0),
        Fill::Under if reads_full => format!("{:.finer$}%", (p * scale).floor() / scale),
        Fill::Over if reads_full => format!("{:.finer$}%", (p * scale).ceil() / scale),
        _ => format!("{text}%"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_agree_with_their_noun() {
        assert_eq!(plural(1u32, "service"), "1 service");
        assert_eq!(plural(0u32, "service"), "0 services");
        assert_eq!(plural(2u32, "service"), "2 services");
        assert_eq!(plural(1u32, "dependency"), "1 dependency");
        assert_eq!(plural(3u32, "dependency"), "3 dependencies");
        assert_eq!(plural(2u32, "day"), "2 days");
        assert_eq!(plural(2u32, "open wave"), "2 open waves");
        assert_eq!(plural_of(1, "cycle"), "1 cycle");
        assert_eq!(plural_of(2, "breach"), "2 breaches");
        assert_eq!(plural_of(1, "breach"), "1 breach");
        assert_eq!(plural_of(3, "box"), "3 boxes");
        assert!(plural_of(usize::MAX, "run").ends_with(" runs"));
    }

    #[test]
    fn a_one_wave_range_is_one_wave() {
        assert_eq!(wave_span(24, 24), "wave 24");
        assert_eq!(wave_span(3, 5), "waves 3–5");
    }
}
