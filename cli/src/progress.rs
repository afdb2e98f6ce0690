//! The progress bar: on stderr when it is a terminal, silent otherwise.

use std::io::{IsTerminal, Write as _};
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// Progress through the inputs' bytes, with the documents done so far.
///
/// Drawn only on a terminal and never with `--quiet`: redirected stderr gets nothing but the
/// final summary. Updating a hidden bar costs next to nothing, so callers need not check.
pub struct Progress {
    bar: ProgressBar,
}

impl Progress {
    /// A bar for `total` input bytes (on disk), or a spinner when the total is unknown (stdin).
    pub fn new(total: Option<u64>, quiet: bool) -> Progress {
        if quiet || !std::io::stderr().is_terminal() {
            return Progress {
                bar: ProgressBar::hidden(),
            };
        }
        let bar = match total {
            Some(total) => ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr())
                .with_style(
                    ProgressStyle::with_template(
                        "{elapsed_precise} [{wide_bar}] {decimal_bytes}/{decimal_total_bytes} {decimal_bytes_per_sec} ETA {eta} {msg}",
                    )
                    .expect("a valid template")
                    .progress_chars("=> "),
                ),
            None => ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr()).with_style(
                ProgressStyle::with_template(
                    "{spinner} {elapsed_precise} {decimal_bytes} {decimal_bytes_per_sec} {msg}",
                )
                .expect("a valid template"),
            ),
        };
        bar.enable_steady_tick(Duration::from_millis(200));
        Progress { bar }
    }

    /// Records `bytes` of input read (on disk, so compressed inputs match the total) and
    /// `documents` done.
    pub fn update(&self, bytes: u64, documents: u64) {
        self.bar.set_position(bytes);
        self.bar.set_message(format!("{documents} docs"));
    }

    /// Prints a line on stderr above the bar (or alone, when there is no bar).
    pub fn println(&self, line: impl AsRef<str>) {
        if self.bar.is_hidden() {
            let _ = writeln!(std::io::stderr(), "{}", line.as_ref());
        } else {
            self.bar.println(line);
        }
    }

    /// Removes the bar, leaving the terminal clean for the summary.
    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }
}
