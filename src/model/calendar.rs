//! Wave arithmetic: which dates a wave spans and which waves a date range touches.

use jiff::civil::Date;

/// An inclusive range of days.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateRange {
    /// First day.
    pub from: Date,
    /// Last day (inclusive).
    pub to: Date,
}

/// A named calendar freeze: no service may occupy a wave overlapping it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Freeze {
    /// Optional label, e.g. `Chinese New Year`.
    pub name: Option<String>,
    /// The frozen days.
    pub range: DateRange,
}

/// The most waves any wave number may reach: `max_waves`, `duration_waves`, pins and the wave
/// numbers of a plan file are all refused above it where they enter. 10,000 two-week waves
/// are about 380 years, so no real plan comes near it, and every per-wave table stays small.
pub const MAX_WAVES: u32 = 10_000;

/// The wave calendar of a scenario (SPEC 3 `calendar`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Calendar {
    /// First day of wave 1.
    pub start: Date,
    /// Days per wave (>= 1).
    pub wave_length_days: u32,
    /// Horizon: the last wave any service may occupy.
    pub max_waves: u32,
    /// No planned service may occupy a wave that starts before this day.
    pub today: Option<Date>,
    /// Calendar-wide freezes.
    pub freezes: Vec<Freeze>,
}

impl DateRange {
    /// Whether the two inclusive ranges share at least one day.
    #[must_use]
    pub fn overlaps(&self, other: &DateRange) -> bool {
        self.from <= other.to && other.from <= self.to
    }
}

impl Calendar {
    /// The first wave whose first day is on or after `date` (wave 1 for a date before the
    /// start): the first wave a service that may not start before `date` can occupy.
    #[must_use]
    pub fn first_wave_starting_on_or_after(&self, date: Date) -> u32 {
        let day = self.day_of(date);
        let len = i64::from(self.wave_length_days.max(1));
        if day <= 0 {
            return 1;
        }
        u32::try_from((day + len - 1) / len + 1).unwrap_or(u32::MAX)
    }

    /// The last wave whose last day is on or before `date` (0 when none): the last wave a
    /// service with that deadline can cut over in.
    #[must_use]
    pub fn last_wave_ending_on_or_before(&self, date: Date) -> u32 {
        let day = self.day_of(date);
        let len = i64::from(self.wave_length_days.max(1));
        u32::try_from((day + 1).div_euclid(len).max(0)).unwrap_or(u32::MAX)
    }

    /// The earliest cutover wave of a service taking `duration` waves that may not start
    /// before `not_before` (SPEC 4.5).
    #[must_use]
    pub fn earliest_cutover(&self, not_before: Date, duration: u32) -> u32 {
        self.first_wave_starting_on_or_after(not_before)
            .saturating_add(duration.saturating_sub(1))
    }

    /// Day number (days since the calendar start) of `date`; negative before the start.
    #[must_use]
    pub fn day_of(&self, date: Date) -> i64 {
        // Dates are validated to lie in jiff's range, so the span always fits in days.
        date.since(self.start)
            .map_or(0, |span| i64::from(span.get_days()))
    }

    /// The first day of wave `k` (1-based).
    #[must_use]
    pub fn wave_start(&self, k: u32) -> Date {
        self.date_at(i64::from(k.saturating_sub(1)) * i64::from(self.wave_length_days))
    }

    /// The last day of wave `k` (1-based, inclusive).
    #[must_use]
    pub fn wave_end(&self, k: u32) -> Date {
        self.date_at(i64::from(k) * i64::from(self.wave_length_days) - 1)
    }

    /// The days wave `k` spans.
    #[must_use]
    pub fn wave_range(&self, k: u32) -> DateRange {
        DateRange {
            from: self.wave_start(k),
            to: self.wave_end(k),
        }
    }

    /// Whether wave `k` overlaps any calendar freeze.
    #[must_use]
    pub fn is_frozen(&self, k: u32) -> bool {
        let range = self.wave_range(k);
        self.freezes.iter().any(|f| f.range.overlaps(&range))
    }

    /// The date `days` after the start, saturating at jiff's date limits.
    #[must_use]
    pub fn date_at(&self, days: i64) -> Date {
        let span = jiff::Span::new().try_days(days).unwrap_or_default();
        self.start
            .checked_add(span)
            .unwrap_or(if days < 0 { Date::MIN } else { Date::MAX })
    }

    /// Day numbers `[first, last]` of wave `k`, relative to the start.
    #[must_use]
    pub fn wave_days(&self, k: u32) -> (i64, i64) {
        let len = i64::from(self.wave_length_days);
        let first = i64::from(k.saturating_sub(1)) * len;
        (first, first + len - 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn cal() -> Calendar {
        Calendar {
            start: date(2019, 1, 7),
            wave_length_days: 14,
            max_waves: 10,
            today: None,
            freezes: vec![Freeze {
                name: None,
                range: DateRange {
                    from: date(2019, 2, 4),
                    to: date(2019, 2, 10),
                },
            }],
        }
    }

    #[test]
    fn wave_dates_follow_the_spec_formula() {
        let c = cal();
        assert_eq!(c.wave_start(1), date(2019, 1, 7));
        assert_eq!(c.wave_end(1), date(2019, 1, 20));
        assert_eq!(c.wave_start(3), date(2019, 2, 4));
        assert_eq!(c.day_of(date(2019, 2, 4)), 28);
        assert_eq!(c.wave_days(3), (28, 41));
    }

    #[test]
    fn frozen_waves_are_those_overlapping_a_freeze() {
        let c = cal();
        assert!(!c.is_frozen(2));
        assert!(c.is_frozen(3));
        assert!(!c.is_frozen(4));
    }
}
