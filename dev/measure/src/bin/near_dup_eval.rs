//! The labelled evaluation behind `NearDup`'s defaults: precision and recall per kind of edit
//! on the generated corpus with near-duplicates and hard negatives, for several settings.
//!
//! ```sh
//! cargo run --release -p paradedup-measure --bin near_dup_eval            # 2,000 documents
//! cargo run --release -p paradedup-measure --bin near_dup_eval -- 10000   # more
//! ```

use paradedup_corpus as corpus;
use paradedup_corpus::near_eval;

use paradedup::{NearDup, Scope, Shingles};

fn main() {
    let documents = std::env::args()
        .nth(1)
        .and_then(|n| n.parse().ok())
        .unwrap_or(2_000);
    let docs = corpus::generate(&corpus::CorpusSpec::near_duplicates().with_documents(documents));
    // Containment alone (the meaning guard off) for the shingle and threshold rows: the
    // labelled edits keep the meaning by construction; the last row is the library default.
    let settings: Vec<(String, NearDup)> = vec![
        ("words 3, 0.6".into(), NearDup::new()),
        (
            "words 2, 0.6".into(),
            NearDup::new().shingles(Shingles::Words(2)),
        ),
        (
            "words 4, 0.6".into(),
            NearDup::new().shingles(Shingles::Words(4)),
        ),
        (
            "words 5, 0.6".into(),
            NearDup::new().shingles(Shingles::Words(5)),
        ),
        ("words 3, 0.5".into(), NearDup::new().threshold(0.5)),
        ("words 3, 0.7".into(), NearDup::new().threshold(0.7)),
        ("words 3, 0.8".into(), NearDup::new().threshold(0.8)),
        (
            "chars 5, 0.6".into(),
            NearDup::new().shingles(Shingles::Chars(5)),
        ),
        (
            "chars 8, 0.7".into(),
            NearDup::new().shingles(Shingles::Chars(8)).threshold(0.7),
        ),
    ]
    .into_iter()
    .map(|(name, near)| (name, near.meaning_guard(false)))
    .chain([(
        "words 3, 0.6, meaning guard (default)".to_owned(),
        NearDup::new(),
    )])
    .collect();
    println!(
        "{} documents, {} bytes\n",
        docs.len(),
        corpus::total_bytes(&docs)
    );
    println!("{}", near_eval::markdown_header());
    for scope in [Scope::Document, Scope::Corpus] {
        for (name, near) in &settings {
            let tally = near_eval::evaluate(&docs, *near, scope);
            println!("{}", near_eval::markdown_row(name, scope, &tally));
        }
    }
}
