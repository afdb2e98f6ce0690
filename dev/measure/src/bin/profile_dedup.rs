//! A fixed workload for instruction-count profiling of the hot path: generates the 8 MB
//! web-like corpus the benches use, then deduplicates it once in document scope.
//!
//! ```sh
//! cargo build --release -p paradedup-measure --bin profile_dedup
//! valgrind --tool=callgrind --toggle-collect='*dedup_all*' target/release/profile_dedup
//! valgrind --tool=callgrind --toggle-collect='*dedup_all*' target/release/profile_dedup exact
//! valgrind --tool=callgrind --toggle-collect='*dedup_all*' target/release/profile_dedup standard web corpus
//! ```
//!
//! Counting only inside `dedup_all` leaves the corpus generation out, so the instruction count
//! per byte is the dedup path's own, the same on every run and machine load.

use paradedup_corpus as corpus;

use paradedup::{Deduper, Normalizer, Scope, SeenSet};

#[inline(never)]
fn dedup_all(deduper: &mut Deduper, docs: &[String]) -> u64 {
    let mut out = String::new();
    let mut kept = 0;
    for doc in docs {
        deduper.dedup_into(doc, &mut out);
        kept += out.len() as u64;
    }
    kept
}

fn main() {
    let spec = match std::env::args().nth(2).as_deref() {
        Some("non-latin") => corpus::CorpusSpec::non_latin(),
        _ => corpus::CorpusSpec::web(),
    };
    let normalizer = match std::env::args().nth(1).as_deref() {
        Some("exact") => Normalizer::exact(),
        Some("ccnet") => Normalizer::ccnet(),
        _ => Normalizer::standard(),
    };
    let docs: Vec<String> = corpus::generate_bytes(&spec, 8 << 20)
        .into_iter()
        .map(|d| d.text)
        .collect();
    let bytes: usize = docs.iter().map(String::len).sum();
    let mut builder = Deduper::builder();
    builder.normalizer(normalizer);
    if std::env::args().nth(3).as_deref() == Some("corpus") {
        builder.scope(Scope::Corpus).seen_set(SeenSet::exact());
    }
    let mut deduper = builder.build();
    let kept = dedup_all(&mut deduper, &docs);
    println!("{bytes} bytes in, {kept} kept");
}
