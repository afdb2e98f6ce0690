//! The Rust side of `python/bench/bindings.py`: deduplicates the documents of a file (separated
//! by NUL bytes) one by one with `Deduper::dedup`, as the Python binding does, and prints the
//! best time of a few runs as JSON.
//!
//! ```text
//! cargo run --release -p paradedup-measure --bin bindings_baseline -- docs.bin 5
//! ```

use std::hint::black_box;
use std::time::Instant;

use paradedup::Deduper;

fn main() {
    let mut args = std::env::args().skip(1);
    let path = args
        .next()
        .expect("usage: bindings_baseline FILE [REPEATS]");
    let repeats: usize = args
        .next()
        .map_or(5, |r| r.parse().expect("REPEATS: a number"));
    let data = std::fs::read_to_string(&path).expect("a readable UTF-8 file");
    let docs: Vec<&str> = data.split('\0').collect();
    let bytes: usize = docs.iter().map(|d| d.len()).sum();
    let mut best = f64::MAX;
    for _ in 0..repeats {
        let mut deduper = Deduper::new();
        let started = Instant::now();
        let mut kept = 0;
        for doc in &docs {
            kept += deduper.dedup(doc).text().len();
        }
        black_box(kept);
        best = best.min(started.elapsed().as_secs_f64());
    }
    println!(
        "{{\"documents\": {}, \"bytes\": {bytes}, \"seconds\": {best}}}",
        docs.len()
    );
}
