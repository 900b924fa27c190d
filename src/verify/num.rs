//! Number helpers shared by the checks: capacity tolerance, report tolerance, display.

/// Relative tolerance of capacity comparisons (SPEC 4).
pub(super) const CAP_TOL: f64 = 1e-6;
/// Absolute tolerance of numbers written in the plan (SPEC 6 allows rounding to 3 places).
pub(super) const REPORT_TOL: f64 = 1e-3;

/// Whether `used` is within capacity `cap` (SPEC 4: within 1e-6 × max(1, cap) counts).
pub(super) fn within(used: f64, cap: f64) -> bool {
    used <= cap + CAP_TOL * cap.abs().max(1.0)
}

/// The largest use `cap` admits, tolerance included.
pub(super) fn headroom(cap: f64) -> f64 {
    cap + CAP_TOL * cap.abs().max(1.0)
}

/// Whether a reported number matches the recomputed one (rounding to 3 places allowed, plus a
/// hair of relative slack for float summation order).
pub(super) fn close(reported: f64, exact: f64) -> bool {
    (reported - exact).abs() <= REPORT_TOL + 1e-9 * exact.abs().max(1.0)
}

/// A number for messages: at most 3 decimals, no trailing zeros (`32.5`, `20`).
pub(super) fn show(x: f64) -> String {
    let s = format!("{x:.3}");
    let s = if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.')
    } else {
        &s
    };
    if s == "-0" {
        "0".to_owned()
    } else {
        s.to_owned()
    }
}

/// Sum with Neumaier compensation, so long sums of mixed magnitudes stay exact enough to
/// compare with a rounded report.
#[derive(Debug, Default, Clone, Copy)]
pub(super) struct Sum {
    total: f64,
    carry: f64,
}

impl Sum {
    /// Adds `x`.
    pub(super) fn add(&mut self, x: f64) {
        let t = self.total + x;
        if self.total.abs() >= x.abs() {
            self.carry += (self.total - t) + x;
        } else {
            self.carry += (x - t) + self.total;
        }
        self.total = t;
    }

    /// The sum so far.
    pub(super) fn value(self) -> f64 {
        self.total + self.carry
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn show_trims_and_rounds() {
        assert_eq!(show(20.0), "20");
        assert_eq!(show(32.5), "32.5");
        assert_eq!(show(0.1 + 0.2), "0.3");
        assert_eq!(show(-0.0001), "0");
    }

    #[test]
    fn tolerances() {
        assert!(within(20.000_01, 20.0));
        assert!(!within(20.001, 20.0));
        assert!(within(1e-7, 0.0));
        assert!(close(1.0004, 1.0));
        assert!(!close(1.002, 1.0));
        let mut s = Sum::default();
        for _ in 0..10 {
            s.add(0.1);
        }
        assert!((s.value() - 1.0).abs() < 1e-15);
    }
}
