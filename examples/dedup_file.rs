//! Deduplicate one text file, or standard input, and print the kept text.
//!
//! ```text
//! cargo run --release --example dedup_file -- tests/data/000_34751d3a37f48367.txt
//! printf 'A paragraph of more than twelve words,\nheld on two lines, stands twice.\n\nA second one.\n\nA paragraph of more than twelve words,\nheld on two lines, stands twice.\n' \
//!     | cargo run --release --example dedup_file -- - --blank-lines --exact
//! ```
//!
//! The kept text goes to standard output, a summary of what was removed to standard error.
//! Options: `--blank-lines` (paragraphs are blocks separated by blank lines), `--exact` or
//! `--ccnet` (normalization presets), `--fold-digits`, `--strip-accents`, `--drop-symbols`.

use std::io::{self, Read, Write};
use std::process::ExitCode;

use paradedup::{Deduper, Normalizer, Unit};

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("dedup_file: {message}");
            ExitCode::from(2)
        }
    }
}

fn run() -> Result<(), String> {
    let mut path = None;
    let mut unit = Unit::Lines;
    let mut normalizer = Normalizer::standard();
    for arg in std::env::args().skip(1) {
        match arg.as_str() {
            "--blank-lines" => unit = Unit::BlankLines,
            "--exact" => normalizer = Normalizer::exact(),
            "--ccnet" => normalizer = Normalizer::ccnet(),
            "--fold-digits" => normalizer = normalizer.fold_digits(true),
            "--strip-accents" => normalizer = normalizer.strip_accents(true),
            "--drop-symbols" => normalizer = normalizer.drop_symbols(true),
            "-h" | "--help" => {
                println!("usage: dedup_file [FILE|-] [--blank-lines] [--exact|--ccnet] [--fold-digits] [--strip-accents] [--drop-symbols]");
                return Ok(());
            }
            flag if flag.starts_with("--") => return Err(format!("unknown option {flag}")),
            file if path.is_none() => path = Some(file.to_owned()),
            extra => return Err(format!("one input only, got a second: {extra}")),
        }
    }
    let path = path.unwrap_or_else(|| "-".to_owned());
    let mut bytes = Vec::new();
    if path == "-" {
        io::stdin()
            .read_to_end(&mut bytes)
            .map_err(|e| format!("reading standard input: {e}"))?;
    } else {
        bytes = std::fs::read(&path).map_err(|e| format!("{path}: {e}"))?;
    }
    let text = String::from_utf8(bytes)
        .map_err(|e| format!("{path}: not UTF-8 at byte {}", e.utf8_error().valid_up_to()))?;

    let mut deduper = Deduper::builder().unit(unit).normalizer(normalizer).build();
    let out = deduper.dedup(&text);
    let mut stdout = io::stdout().lock();
    if let Err(e) = stdout
        .write_all(out.text().as_bytes())
        .and_then(|()| stdout.flush())
    {
        if e.kind() != io::ErrorKind::BrokenPipe {
            return Err(format!("writing standard output: {e}"));
        }
    }
    let stats = out.stats();
    eprintln!(
        "{path}: {} paragraphs, {} removed, {} of {} bytes kept",
        stats.paragraphs, stats.duplicates, stats.bytes_out, stats.bytes_in
    );
    Ok(())
}
