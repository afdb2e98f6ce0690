//! `Stats::removed_paragraph_bytes`: the removed paragraphs' own bytes (their spans), the same
//! on every path (one document at a time, into a buffer, verdict by verdict, as an iterator,
//! in batches on any number of threads), and equal to a naive count.

#![cfg(feature = "rayon")]

mod strategies;

use std::collections::HashSet;

use paradedup::{paragraphs_of, Deduper, Normalizer, Scope, ShortParagraphs, Stats, Unit};
use proptest::prelude::*;

fn corpus() -> impl Strategy<Value = Vec<String>> {
    prop::collection::vec(strategies::document(), 0..12)
}

fn units() -> impl Strategy<Value = Unit> {
    prop_oneof![Just(Unit::Lines), Just(Unit::BlankLines)]
}

fn rules() -> impl Strategy<Value = ShortParagraphs> {
    prop_oneof![
        Just(ShortParagraphs::RemoveEveryRepeat),
        Just(ShortParagraphs::default()),
        // Small thresholds, so that the arbitrary lines of the strategy meet every evidence.
        Just(
            "in-boilerplate-blocks:words=3,edge=1,block=2,documents=2"
                .parse()
                .unwrap()
        ),
    ]
}

fn deduper(scope: Scope, unit: Unit, rule: ShortParagraphs) -> Deduper {
    Deduper::builder()
        .scope(scope)
        .unit(unit)
        .normalizer(Normalizer::standard())
        .short_paragraphs(rule)
        .build()
}

/// The removed paragraphs' bytes, counted the obvious way for the rule that removes every
/// repeat: each paragraph whose normalized form was met before adds its text's length.
fn naive_removed_bytes(docs: &[String], scope: Scope, unit: Unit) -> u64 {
    let normalizer = Normalizer::standard();
    let mut seen = HashSet::new();
    let mut bytes = 0;
    for doc in docs {
        if scope == Scope::Document {
            seen.clear();
        }
        for paragraph in paragraphs_of(doc, unit) {
            let key = normalizer.normalize(paragraph.as_str()).into_owned();
            if !key.is_empty() && !seen.insert(key) {
                bytes += paragraph.as_str().len() as u64;
            }
        }
    }
    bytes
}

/// The stats of each path over `docs`, the serial `dedup` first.
fn every_path(docs: &[String], make: impl Fn() -> Deduper) -> Vec<(&'static str, Stats, u64)> {
    let mut paths = Vec::new();

    // One document at a time; the reported removals' spans, summed, beside the counts.
    let mut d = make();
    let mut spans = 0;
    for doc in docs {
        let out = d.dedup(doc);
        spans += out
            .removed()
            .iter()
            .map(|r| r.span().len() as u64)
            .sum::<u64>();
    }
    paths.push(("dedup", d.stats(), spans));

    let mut d = make();
    let mut kept = String::new();
    for doc in docs {
        d.dedup_into(doc, &mut kept);
    }
    paths.push(("dedup_into", d.stats(), spans));

    let mut d = make();
    let mut removed = 0;
    for doc in docs {
        removed += d
            .verdicts(doc)
            .filter(|v| v.status().is_removed())
            .map(|v| v.paragraph().span().len() as u64)
            .sum::<u64>();
    }
    paths.push(("verdicts", d.stats(), removed));

    let mut d = make();
    d.dedup_iter(docs.iter().map(|doc| ((), doc)))
        .for_each(drop);
    paths.push(("dedup_iter", d.stats(), spans));

    for threads in [1, 3] {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        for batch in [1, 4] {
            let mut d = make();
            let mut spans = 0;
            pool.install(|| {
                for chunk in docs.chunks(batch) {
                    for out in d.dedup_batch(chunk) {
                        spans += out
                            .removed()
                            .iter()
                            .map(|r| r.span().len() as u64)
                            .sum::<u64>();
                    }
                }
            });
            paths.push(("dedup_batch", d.stats(), spans));
        }
        let mut d = make();
        pool.install(|| {
            d.par_dedup_iter(docs.iter().map(|doc| ((), doc.as_str())), 3)
                .for_each(drop)
        });
        paths.push(("par_dedup_iter", d.stats(), spans));
    }
    paths
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn every_path_counts_the_removed_spans(
        docs in corpus(),
        corpus_scope in any::<bool>(),
        unit in units(),
        rule in rules(),
    ) {
        let scope = if corpus_scope { Scope::Corpus } else { Scope::Document };
        let paths = every_path(&docs, || deduper(scope, unit, rule));
        let serial = paths[0].1;
        for (path, stats, spans) in &paths {
            prop_assert_eq!(stats.removed_paragraph_bytes, *spans, "{}", path);
            prop_assert_eq!(*stats, serial, "{}", path);
            // A paragraph's span lies inside its extent.
            prop_assert!(stats.removed_paragraph_bytes <= stats.bytes_removed(), "{}", path);
        }
        if rule == ShortParagraphs::RemoveEveryRepeat {
            prop_assert_eq!(serial.removed_paragraph_bytes, naive_removed_bytes(&docs, scope, unit));
        }
    }

    #[test]
    fn counts_since_a_snapshot_and_summed_agree(docs in corpus(), rule in rules()) {
        let mut d = deduper(Scope::Corpus, Unit::Lines, rule);
        let mut summed = Stats::default();
        for doc in &docs {
            summed += d.dedup(doc).stats();
        }
        prop_assert_eq!(summed.removed_paragraph_bytes, d.stats().removed_paragraph_bytes);
    }
}

/// A document longer than the verdicts' settling window, so that short repeats are settled in
/// several windows, on the verdict-by-verdict path as on the others.
#[test]
fn a_document_longer_than_the_settling_window() {
    let doc: String = (0..300_000)
        .map(|i| match i % 5 {
            0 => "Home\n".to_owned(),
            1 => "Contact\n".to_owned(),
            2 => format!(
                "a sentence with enough words in it to count as a long paragraph, number {}\n",
                i % 1000
            ),
            _ => format!("line {i}\n"),
        })
        .collect();
    let docs = [doc];
    let paths = every_path(&docs, || {
        deduper(Scope::Corpus, Unit::Lines, ShortParagraphs::default())
    });
    for (path, stats, spans) in &paths {
        assert_eq!(stats.removed_paragraph_bytes, *spans, "{path}");
        assert_eq!(*stats, paths[0].1, "{path}");
    }
    assert!(paths[0].1.removed_paragraph_bytes > 0);
}
