//! Writes a generated web-like JSONL corpus (the shared generator of the tests and benches) to
//! standard output, for whole-process benchmarks of the command.
//!
//! ```text
//! cargo run --release -p paradedup-measure --bin make_corpus -- 300 | gzip -1 > /tmp/corpus.jsonl.gz
//! ```

use paradedup_corpus as corpus;

use std::io::Write;

fn main() {
    let megabytes: usize = std::env::args()
        .nth(1)
        .map_or(300, |s| s.parse().expect("a size in MB"));
    let mut spec = corpus::CorpusSpec::web();
    let mut stdout = std::io::stdout().lock();
    let mut written = 0;
    // In slices, so a large corpus never sits whole in memory.
    while written < megabytes * 1_000_000 {
        let docs = corpus::generate_bytes(&spec, 16_000_000);
        let jsonl = corpus::to_jsonl(&docs);
        written += jsonl.len();
        if stdout.write_all(jsonl.as_bytes()).is_err() {
            return;
        }
        spec = spec.with_seed(spec.seed.wrapping_add(1));
    }
}
