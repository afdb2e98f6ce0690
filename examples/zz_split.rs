//! scratch probe
#[path = "../benches/support/corpus.rs"]
mod corpus;
use paradedup::paragraphs;
fn main() {
    let docs: Vec<String> = corpus::generate_bytes(&corpus::CorpusSpec::web(), 8 << 20)
        .into_iter()
        .map(|d| d.text)
        .collect();
    let bytes: usize = docs.iter().map(String::len).sum();
    let reps = 200;
    let t = std::time::Instant::now();
    let mut k = 0;
    for _ in 0..reps {
        for doc in &docs {
            k += paragraphs(doc).count();
        }
    }
    let s = t.elapsed().as_secs_f64();
    println!(
        "split: {:.0} MB/s {k}",
        reps as f64 * bytes as f64 / s / 1e6
    );
}
