//! scratch probe
#[path = "../benches/support/corpus.rs"]
mod corpus;
use paradedup::{Deduper, NearDup, Scope, SeenSet};
fn main() {
    let scope = if std::env::args().nth(1).as_deref() == Some("corpus") {
        Scope::Corpus
    } else {
        Scope::Document
    };
    let docs: Vec<String> = corpus::generate_bytes(&corpus::CorpusSpec::web(), 8 << 20)
        .into_iter()
        .map(|d| d.text)
        .collect();
    let bytes: usize = docs.iter().map(String::len).sum();
    let mut out = String::new();
    let reps = 5;
    let t = std::time::Instant::now();
    for _ in 0..reps {
        let mut d = Deduper::builder()
            .scope(scope)
            .seen_set(SeenSet::exact())
            .near_duplicates(NearDup::new())
            .build();
        for doc in &docs {
            d.dedup_into(doc, &mut out);
            std::hint::black_box(&out);
        }
    }
    let s = t.elapsed().as_secs_f64();
    println!("near: {:.0} MB/s", reps as f64 * bytes as f64 / s / 1e6);
}
