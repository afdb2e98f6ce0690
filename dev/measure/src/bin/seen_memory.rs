//! Measures the seen-set backends at scale: bytes per distinct paragraph, insert rate, and the
//! Bloom filter's false-positive rate at its design load.
//!
//! ```text
//! cargo run --release -p paradedup-measure --bin seen_memory            # 1 and 10 million fingerprints
//! cargo run --release -p paradedup-measure --bin seen_memory -- 1000000  # only one size
//! ```

use std::time::Instant;

use paradedup::{Fingerprint, Origin, SeenSet};

fn fingerprint(i: u64) -> Fingerprint {
    Fingerprint::of_bytes(&i.to_le_bytes())
}

fn main() {
    let sizes: Vec<u64> = match std::env::args().nth(1) {
        Some(n) => vec![n.parse().expect("a count")],
        None => vec![1_000_000, 10_000_000],
    };
    println!("| backend | entries | bytes/entry | inserts/s (M) | false positives |");
    println!("|---|---|---|---|---|");
    for &n in &sizes {
        let fps: Vec<Fingerprint> = (0..n).map(fingerprint).collect();
        let backends: Vec<(&str, SeenSet)> = vec![
            ("origins", SeenSet::new()),
            ("exact", SeenSet::exact()),
            ("bloom 1e-3", SeenSet::bloom(n, 1e-3).expect("valid")),
            ("bloom 1e-6", SeenSet::bloom(n, 1e-6).expect("valid")),
        ];
        for (name, mut seen) in backends {
            let start = Instant::now();
            for &fp in &fps {
                seen.insert(fp, Origin::default());
            }
            let rate = n as f64 / start.elapsed().as_secs_f64() / 1e6;
            let probes = 1_000_000u64;
            let fp_count = (n..n + probes)
                .filter(|&i| seen.contains(fingerprint(i)))
                .count();
            println!(
                "| {name} | {n} | {:.1} | {rate:.1} | {:.2e} |",
                seen.memory_usage() as f64 / n as f64,
                fp_count as f64 / probes as f64
            );
        }
    }
}
