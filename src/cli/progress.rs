//! The indicatif progress bars behind the core's progress callback and the import; drawn on a
//! terminal only.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::schedule::Progress;

/// A progress bar for the search, hidden when stderr is not a terminal.
pub struct Bar(ProgressBar);

impl Bar {
    /// A bar labelled `what`; hidden unless `visible`.
    #[must_use]
    pub fn new(what: &str, visible: bool) -> Self {
        Self::styled(what, visible, "{msg} [{bar:30}] {pos}/{len} {elapsed}")
    }

    /// A counter of `things` done, labelled `what`, for work whose total is not known ahead;
    /// hidden unless `visible`.
    #[must_use]
    pub fn counter(what: &str, things: &str, visible: bool) -> Self {
        Self::styled(
            what,
            visible,
            &format!("{{msg}}: {things} {{pos}}, {{elapsed}}"),
        )
    }

    fn styled(what: &str, visible: bool, template: &str) -> Self {
        let bar = ProgressBar::with_draw_target(
            Some(0),
            if visible {
                ProgressDrawTarget::stderr()
            } else {
                ProgressDrawTarget::hidden()
            },
        );
        if let Ok(style) = ProgressStyle::with_template(template) {
            bar.set_style(style.progress_chars("=> "));
        }
        bar.set_message(what.to_owned());
        Self(bar)
    }

    /// Runs `f` (which prints) with the bar cleared, then draws it again.
    pub fn suspend<R>(&self, f: impl FnOnce() -> R) -> R {
        self.0.suspend(f)
    }
}

impl Progress for Bar {
    fn start(&self, total: u64) {
        self.0.set_length(total);
    }
    fn advance(&self, n: u64) {
        self.0.inc(n);
    }
    fn finish(&self) {
        self.0.finish_and_clear();
    }
}
