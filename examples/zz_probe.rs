//! scratch probe
#[path = "../benches/support/corpus.rs"]
mod corpus;
use paradedup::{Deduper, Normalizer};
fn main() {
    let spec = match std::env::args().nth(2).as_deref() {
        Some("non-latin") => corpus::CorpusSpec::non_latin(),
        _ => corpus::CorpusSpec::web(),
    };
    let normalizer = match std::env::args().nth(1).as_deref() {
        Some("exact") => Normalizer::exact(),
        _ => Normalizer::standard(),
    };
    let docs: Vec<String> = corpus::generate_bytes(&spec, 8 << 20)
        .into_iter()
        .map(|d| d.text)
        .collect();
    let bytes: usize = docs.iter().map(String::len).sum();
    let mut d = Deduper::builder().normalizer(normalizer).build();
    let mut out = String::new();
    let reps = 20;
    let t = std::time::Instant::now();
    for _ in 0..reps {
        for doc in &docs {
            d.dedup_into(doc, &mut out);
            std::hint::black_box(&out);
        }
    }
    let s = t.elapsed().as_secs_f64();
    println!("dedup: {:.0} MB/s", reps as f64 * bytes as f64 / s / 1e6);
}
#[allow(dead_code)]
fn show() {}
