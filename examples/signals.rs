//! Per-document signals: how much dedup removed from each document, and the repetition
//! measures that Gopher's and FineWeb's quality filters use, to keep or drop a document.
//!
//! ```text
//! cargo run --release --example signals -- tests/data/*.txt
//! ```
//!
//! Prints a line per file, and says which documents a `--max-removed-fraction 0.2` run of the
//! command would drop.

use std::process::ExitCode;

use paradedup::{Deduper, Signals};

const USAGE: &str = "usage: signals FILE...";

fn main() -> ExitCode {
    let paths: Vec<String> = std::env::args().skip(1).collect();
    if paths.iter().any(|a| a == "--help" || a == "-h") {
        println!("{USAGE}\nPrints what dedup removes from each file and its repetition measures.");
        return ExitCode::SUCCESS;
    }
    if paths.is_empty() {
        eprintln!("signals: {USAGE}");
        return ExitCode::from(2);
    }
    let mut deduper = Deduper::new();
    for path in &paths {
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(err) => {
                eprintln!("signals: {path}: {err}");
                return ExitCode::from(1);
            }
        };
        let result = deduper.dedup(&text);
        let signals = Signals::new(&text, &result, deduper.unit());
        let removed = signals.removed_char_fraction();
        println!(
            "{path}: removed {:.1}% of paragraphs, {:.1}% of characters; Gopher dup_line_frac \
             {:.3}, dup_para_frac {:.3}; FineWeb char_dup_ratio {:.3}{}",
            100.0 * signals.removed_paragraph_fraction(),
            100.0 * removed,
            signals.dup_line_frac(),
            signals.dup_para_frac(),
            signals.char_dup_ratio(),
            if removed > 0.2 {
                " (over 0.2: --max-removed-fraction 0.2 drops it)"
            } else {
                ""
            }
        );
    }
    ExitCode::SUCCESS
}
