//! scratch probe
#[path = "../benches/support/corpus.rs"]
mod corpus;
use paradedup::{Deduper, Scope};
use std::time::Instant;
fn main() {
    let docs: Vec<String> = corpus::generate_bytes(&corpus::CorpusSpec::web(), 8 << 20)
        .into_iter()
        .map(|d| d.text)
        .collect();
    let bytes: usize = docs.iter().map(String::len).sum();
    let pools: Vec<_> = [1, 2]
        .iter()
        .map(|&n| {
            rayon::ThreadPoolBuilder::new()
                .num_threads(n)
                .build()
                .unwrap()
        })
        .collect();
    for scope in [Scope::Document, Scope::Corpus] {
        let mut best = [f64::MAX; 2];
        for _ in 0..12 {
            for (k, pool) in pools.iter().enumerate() {
                let mut d = Deduper::builder().scope(scope).build();
                let t = Instant::now();
                let n = pool.install(|| d.removals_batch(&docs).len());
                best[k] = best[k].min(t.elapsed().as_secs_f64());
                assert_eq!(n, docs.len());
            }
        }
        println!(
            "{scope:?}: 1t {:.0} MB/s 2t {:.0} MB/s ratio {:.2}",
            bytes as f64 / best[0] / 1e6,
            bytes as f64 / best[1] / 1e6,
            best[0] / best[1]
        );
    }
}
