//! The uncertainty model of `waveplan risk` (scenario `risk:`, SPEC 3 leaves its fields to the
//! project; docs/risk.md). Like costs, it never changes which plans are valid.

use std::collections::BTreeMap;

use super::{Criticality, DateRange, Inventory, ServiceId, ServiceIx, Strategy};

/// A first-attempt failure probability for each strategy that migrates.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ByStrategy {
    /// Lift and shift.
    pub rehost: f64,
    /// Light changes.
    pub replatform: f64,
    /// Rebuilt for the cloud.
    pub refactor: f64,
    /// Replaced by a bought product.
    pub repurchase: f64,
}

/// A multiplier for each criticality.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ByCriticality {
    /// Critical services.
    pub critical: f64,
    /// High.
    pub high: f64,
    /// Medium.
    pub medium: f64,
    /// Low.
    pub low: f64,
}

/// A log-normal overrun factor given by its median and 90th percentile.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Overrun {
    /// Half the services take at most this multiple of their estimate.
    pub median: f64,
    /// Nine in ten take at most this multiple.
    pub p90: f64,
}

/// A stretch of days in which cutovers fail more (or less) often, e.g. typhoon season.
#[derive(Debug, Clone, PartialEq)]
pub struct Season {
    /// Optional label.
    pub name: Option<String>,
    /// The days; a wave overlapping them takes the multiplier.
    pub range: DateRange,
    /// Failure multiplier for cutovers in those waves.
    pub multiplier: f64,
}

/// The 90th percentile of the standard normal distribution.
const Z90: f64 = 1.281_551_565_544_600_5;

impl Overrun {
    /// No overrun: every draw is exactly 1.
    pub const NONE: Self = Self {
        median: 1.0,
        p90: 1.0,
    };

    /// `(mu, sigma)` of the normal distribution whose exponential this is.
    #[must_use]
    pub fn log_params(self) -> (f64, f64) {
        let mu = self.median.ln();
        (mu, ((self.p90.ln() - mu) / Z90).max(0.0))
    }
}

/// The scenario's `risk:` section; every field has a documented default.
#[derive(Debug, Clone, PartialEq)]
pub struct RiskModel {
    /// First-attempt failure probability by strategy.
    pub failure: ByStrategy,
    /// Failure multiplier by criticality.
    pub criticality: ByCriticality,
    /// Failure multiplier by department code (1 for a department not listed).
    pub departments: BTreeMap<String, f64>,
    /// A service's own first-attempt probability, replacing the one computed from the above.
    pub services: BTreeMap<ServiceId, f64>,
    /// Multiplier on the probability for each retry of a failed cutover.
    pub retry: f64,
    /// Seasons that change the failure probability of cutovers in the waves they overlap.
    pub seasons: Vec<Season>,
    /// Team effort overrun (each service's effort is multiplied by one draw).
    pub effort_overrun: Overrun,
    /// Data transfer overrun (each service's data is multiplied by one draw).
    pub data_overrun: Overrun,
}

impl Default for RiskModel {
    fn default() -> Self {
        Self {
            failure: ByStrategy {
                rehost: 0.03,
                replatform: 0.05,
                refactor: 0.08,
                repurchase: 0.06,
            },
            criticality: ByCriticality {
                critical: 1.5,
                high: 1.2,
                medium: 1.0,
                low: 0.8,
            },
            departments: BTreeMap::new(),
            services: BTreeMap::new(),
            retry: 0.5,
            seasons: Vec::new(),
            effort_overrun: Overrun {
                median: 1.0,
                p90: 1.5,
            },
            data_overrun: Overrun {
                median: 1.0,
                p90: 1.25,
            },
        }
    }
}

impl RiskModel {
    /// The probability that service `s`'s first cutover attempt fails, at most 1.
    #[must_use]
    pub fn first_attempt(&self, inv: &Inventory, s: ServiceIx) -> f64 {
        let svc = &inv.services[s];
        if let Some(&p) = self.services.get(&svc.id) {
            return p;
        }
        let base = match svc.strategy {
            Strategy::Rehost => self.failure.rehost,
            Strategy::Replatform => self.failure.replatform,
            Strategy::Refactor => self.failure.refactor,
            Strategy::Repurchase => self.failure.repurchase,
            Strategy::Retire | Strategy::Retain => 0.0,
        };
        let crit = match svc.criticality {
            Criticality::Critical => self.criticality.critical,
            Criticality::High => self.criticality.high,
            Criticality::Medium => self.criticality.medium,
            Criticality::Low => self.criticality.low,
        };
        let dept = self
            .departments
            .get(&inv.departments[svc.department].code)
            .copied()
            .unwrap_or(1.0);
        (base * crit * dept).min(1.0)
    }

    /// The probability that attempt `n` (0 = the first) fails, given the first attempt's `p`
    /// and the season multiplier `season` of its wave.
    #[must_use]
    pub fn attempt(&self, p: f64, n: u32, season: f64) -> f64 {
        (p * self.retry.powi(i32::try_from(n).unwrap_or(i32::MAX)) * season).min(1.0)
    }

    /// The season multiplier of each wave 0..=`h` of `cal` (index 0 unused): the product of
    /// the seasons the wave overlaps, 1 when none.
    #[must_use]
    pub fn season_multipliers(&self, cal: &super::Calendar, h: u32) -> Vec<f64> {
        (0..=h)
            .map(|w| {
                if w == 0 {
                    return 1.0;
                }
                let days = cal.wave_range(w);
                self.seasons
                    .iter()
                    .filter(|s| s.range.overlaps(&days))
                    .map(|s| s.multiplier)
                    .product()
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn log_params_give_back_the_median_and_p90() {
        let o = Overrun {
            median: 1.1,
            p90: 1.6,
        };
        let (mu, sigma) = o.log_params();
        assert!((mu.exp() - 1.1).abs() < 1e-12);
        assert!(((mu + Z90 * sigma).exp() - 1.6).abs() < 1e-12);
        assert_eq!(Overrun::NONE.log_params(), (0.0, 0.0));
    }

    #[test]
    fn retries_scale_by_the_retry_multiplier_and_stay_probabilities() {
        let m = RiskModel {
            retry: 0.5,
            ..RiskModel::default()
        };
        assert!((m.attempt(0.08, 0, 1.0) - 0.08).abs() < 1e-15);
        assert!((m.attempt(0.08, 2, 1.0) - 0.02).abs() < 1e-15);
        assert!((m.attempt(0.08, 1, 1.5) - 0.06).abs() < 1e-15);
        let m = RiskModel {
            retry: 3.0,
            ..RiskModel::default()
        };
        assert!((m.attempt(0.5, 1, 1.0) - 1.0).abs() < 1e-15);
    }
}
