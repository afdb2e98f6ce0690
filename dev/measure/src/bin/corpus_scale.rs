//! The corpus-scale benchmark: corpus-scope dedup of a generated web-like corpus (default
//! 256 MB, generated here, never committed), one configuration per run so that the peak memory
//! it reports (the process's high-water mark) belongs to that configuration alone.
//!
//! ```text
//! cargo run --release -p paradedup-measure --bin corpus_scale -- exact serial
//! cargo run --release -p paradedup-measure --bin corpus_scale -- bloom parallel 256
//! bash dev/measure/corpus_scale.sh     # every configuration, as a table
//! ```

use paradedup_corpus as corpus;

use std::time::Instant;

use paradedup::{Deduper, Scope, SeenSet};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let backend = args.first().map_or("exact", String::as_str);
    let mode = args.get(1).map_or("serial", String::as_str);
    let megabytes: usize = args
        .get(2)
        .map_or(256, |s| s.parse().expect("a size in MB"));

    let docs: Vec<String> =
        corpus::generate_bytes(&corpus::CorpusSpec::web(), megabytes * 1_000_000)
            .into_iter()
            .map(|d| d.text)
            .collect();
    let bytes: usize = docs.iter().map(String::len).sum();
    let paragraphs_estimate = bytes / 120;
    let seen = match backend {
        "exact" => SeenSet::exact(),
        "origins" => SeenSet::new(),
        "bloom" => SeenSet::bloom(paragraphs_estimate as u64, 1e-6).expect("valid"),
        other => panic!("unknown backend {other}: exact, origins or bloom"),
    };
    let mut deduper = Deduper::builder()
        .scope(Scope::Corpus)
        .seen_set(seen)
        .build();

    let start = Instant::now();
    match mode {
        "serial" => {
            let mut out = String::new();
            for doc in &docs {
                deduper.dedup_into(doc, &mut out);
            }
        }
        "parallel" => {
            for batch in docs.chunks(2048) {
                std::hint::black_box(deduper.dedup_batch(batch));
            }
        }
        other => panic!("unknown mode {other}: serial or parallel"),
    }
    let seconds = start.elapsed().as_secs_f64();
    let stats = deduper.stats();
    let seen = deduper.seen();
    println!(
        "| {backend} | {mode} | {:.0} | {:.0} | {} | {:.1} | {} | {} |",
        bytes as f64 / 1e6,
        bytes as f64 / 1e6 / seconds,
        seen.len(),
        seen.memory_usage() as f64 / seen.len().max(1) as f64,
        peak_memory_mb().map_or("?".to_owned(), |m| format!("{m}")),
        stats.duplicates,
    );
}

/// The process's peak resident memory in MB, from `/proc/self/status` (Linux).
fn peak_memory_mb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1000)
}
