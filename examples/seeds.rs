//! The example to run first: deduplicate the two bundled seed articles, real scraped news pages
//! with repeated paragraph blocks and site boilerplate.
//!
//! ```text
//! cargo run --release --example seeds
//! ```
//!
//! Each article is deduplicated on its own (document scope), then the pair as one corpus
//! (corpus scope), and the kept text and a summary of what went and why are printed.

use paradedup::{Deduper, Scope};

const ARTICLES: [(&str, &str); 2] = [
    (
        "000_34751d3a37f48367.txt",
        include_str!("../tests/data/000_34751d3a37f48367.txt"),
    ),
    (
        "001_4cd9e05293a17eb6.txt",
        include_str!("../tests/data/001_4cd9e05293a17eb6.txt"),
    ),
];

fn main() {
    if std::env::args().len() > 1 {
        // The example takes no arguments; `--help` (or anything) gets its usage.
        println!(
            "usage: seeds\nDeduplicates the two bundled seed articles, each on its own and then \
             as one corpus, and prints what was kept, what was removed and why."
        );
        return;
    }
    let mut deduper = Deduper::new();
    for (name, text) in ARTICLES {
        let out = deduper.dedup(text);
        println!("==== {name}: kept text ====");
        println!("{}", out.text());
        println!("==== {name}: removed ====");
        if out.removed().is_empty() {
            println!("(nothing: no paragraph repeats an earlier one)");
        }
        for removed in out.removed() {
            // The default seen-set keeps where each paragraph was first met.
            let first = removed.first().unwrap_or_default();
            println!(
                "paragraph {:>2}, a repeat of paragraph {:>2}: {}",
                removed.index(),
                first.paragraph,
                preview(&text[removed.span()]),
            );
        }
        let s = out.stats();
        println!(
            "{} paragraphs, {} removed, {} of {} bytes kept\n",
            s.paragraphs, s.duplicates, s.bytes_out, s.bytes_in
        );
    }

    println!("==== both articles as one corpus (Scope::Corpus) ====");
    let mut corpus = Deduper::builder().scope(Scope::Corpus).build();
    for (name, text) in ARTICLES {
        let out = corpus.dedup(text);
        for removed in out.removed() {
            let first = removed.first().unwrap_or_default();
            println!(
                "{name}: paragraph {} repeats document {} paragraph {}: {}",
                removed.index(),
                first.document,
                first.paragraph,
                preview(&text[removed.span()]),
            );
        }
    }
    let s = corpus.stats();
    println!(
        "{} documents, {} paragraphs, {} removed ({} bytes), {} distinct paragraphs remembered",
        s.documents,
        s.paragraphs,
        s.duplicates,
        s.bytes_removed(),
        corpus.seen().len()
    );
}

/// The first 60 characters of a paragraph, for a one-line summary.
fn preview(text: &str) -> String {
    let mut chars = text.chars();
    let head: String = chars.by_ref().take(60).collect();
    if chars.next().is_some() {
        format!("{head}…")
    } else {
        head
    }
}
