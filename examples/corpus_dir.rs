//! Deduplicate a directory of text files (one document per file) as one corpus, save what was
//! seen, and run again next month against it.
//!
//! ```text
//! # First run: every file of tests/data, in name order; kept text to /tmp/clean, the seen-set
//! # to /tmp/seen.pds.
//! cargo run --release --example corpus_dir -- tests/data /tmp/clean --save /tmp/seen.pds
//! # Second run against the saved set: everything already seen is dropped.
//! cargo run --release --example corpus_dir -- tests/data /tmp/clean2 --load /tmp/seen.pds
//! ```

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use paradedup::{Deduper, Scope, SeenSet};

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("corpus_dir: {message}");
            ExitCode::from(2)
        }
    }
}

fn run() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let usage = "usage: corpus_dir INPUT_DIR OUTPUT_DIR [--save SEEN] [--load SEEN]";
    if std::env::args().skip(1).any(|a| a == "--help" || a == "-h") {
        println!(
            "{usage}\nDeduplicates every .txt file of INPUT_DIR as one corpus into OUTPUT_DIR."
        );
        return Ok(());
    }
    let input = PathBuf::from(args.next().ok_or(usage)?);
    let output = PathBuf::from(args.next().ok_or(usage)?);
    let (mut save, mut load) = (None, None);
    while let Some(flag) = args.next() {
        let value = args.next().ok_or(usage)?;
        match flag.as_str() {
            "--save" => save = Some(value),
            "--load" => load = Some(value),
            _ => return Err(usage.into()),
        }
    }

    let mut builder = Deduper::builder();
    builder.scope(Scope::Corpus);
    // The compact exact set: 18-24 bytes per distinct paragraph, no false positives.
    let seen = match &load {
        Some(path) => SeenSet::load(path, builder.settings())?,
        None => SeenSet::exact(),
    };
    let mut deduper = builder.seen_set(seen).build();

    std::fs::create_dir_all(&output)?;
    for path in text_files(&input)? {
        let text =
            std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        let out = deduper.dedup(&text);
        let name = path.file_name().expect("a file");
        std::fs::write(output.join(name), out.text())?;
        let s = out.stats();
        println!(
            "{}: {} of {} paragraphs removed",
            path.display(),
            s.duplicates,
            s.paragraphs
        );
    }
    let s = deduper.stats();
    println!(
        "{} documents, {} paragraphs, {} removed, {} distinct paragraphs in the seen-set ({} bytes)",
        s.documents,
        s.paragraphs,
        s.duplicates,
        deduper.seen().len(),
        deduper.seen().memory_usage()
    );
    if let Some(path) = save {
        deduper.seen().save(&path, deduper.settings())?;
        println!("seen-set saved to {path}");
    }
    Ok(())
}

/// The `.txt` files of `dir`, sorted by name so the order (and so the first occurrence) is
/// the same on every run.
fn text_files(dir: &Path) -> Result<Vec<PathBuf>, Box<dyn std::error::Error>> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    files.sort();
    Ok(files)
}
