//! Property tests: the invariants the docs promise, on arbitrary text.

mod naive;
mod strategies;

use std::collections::HashSet;

use paradedup::{paragraphs_of, Deduper, Normalizer, Scope, Status, Unit};
// These tests pin the exact-repeat semantics, so they ask for every repeat to be removed
// (the default keeps short repeats that look like structure: see tests/structure.rs).
use paradedup::ShortParagraphs;
use proptest::prelude::*;

/// The paragraphs of `text`, as strings.
fn texts(text: &str, unit: Unit) -> Vec<&str> {
    paragraphs_of(text, unit).map(|p| p.as_str()).collect()
}

fn units() -> impl Strategy<Value = Unit> {
    prop_oneof![Just(Unit::Lines), Just(Unit::BlankLines)]
}

fn normalizers() -> impl Strategy<Value = Normalizer> {
    prop_oneof![
        Just(Normalizer::exact()),
        Just(Normalizer::standard()),
        Just(Normalizer::ccnet()),
        Just(Normalizer::standard().fold_digits(true).strip_accents(true)),
        Just(Normalizer::standard().drop_symbols(true)),
    ]
}

fn deduper(unit: Unit, normalizer: Normalizer, min_chars: usize) -> Deduper {
    Deduper::builder()
        .short_paragraphs(ShortParagraphs::RemoveEveryRepeat)
        .unit(unit)
        .normalizer(normalizer)
        .min_chars(min_chars)
        .build()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    #[test]
    fn equals_the_naive_reference(
        doc in strategies::document(),
        unit in units(),
        normalizer in normalizers(),
        min_chars in prop_oneof![Just(0usize), 0..8usize],
    ) {
        let ours = deduper(unit, normalizer, min_chars).dedup(&doc).text().to_owned();
        let reference = naive::dedup(&doc, unit == Unit::BlankLines, normalizer, min_chars);
        prop_assert_eq!(ours, reference);
    }

    #[test]
    fn spans_are_ordered_disjoint_in_bounds_and_extents_partition(
        doc in strategies::document(),
        unit in units(),
    ) {
        let ps: Vec<_> = paragraphs_of(&doc, unit).collect();
        let mut covered = ps.first().map_or(doc.len(), |p| p.extent().start);
        for p in &ps {
            prop_assert_eq!(&doc[p.span().range()], p.as_str());
            prop_assert!(p.extent().contains(p.span()));
            prop_assert!(!p.as_str().is_empty());
            prop_assert_eq!(p.as_str().trim(), p.as_str());
            prop_assert_eq!(p.extent().start, covered);
            covered = p.extent().end;
        }
        prop_assert_eq!(covered, doc.len());
        // Nothing before the first paragraph but whitespace and a byte-order mark.
        let head = &doc[..ps.first().map_or(doc.len(), |p| p.span().start)];
        let head = head.strip_prefix('\u{FEFF}').unwrap_or(head);
        prop_assert!(head.trim().is_empty());
    }

    #[test]
    fn kept_paragraphs_are_the_input_minus_the_removed_ones(
        doc in strategies::document(),
        unit in units(),
        normalizer in normalizers(),
    ) {
        let mut d = deduper(unit, normalizer, 0);
        let verdicts: Vec<_> = d.verdicts(&doc).collect();
        let out = deduper(unit, normalizer, 0).dedup(&doc);
        // The same decisions both ways.
        let removed: Vec<u64> = out.removed().iter().map(|r| r.index()).collect();
        let dup: Vec<u64> = verdicts.iter().filter(|v| v.is_removed()).map(|v| v.index()).collect();
        prop_assert_eq!(&removed, &dup);
        // Kept + removed bytes account for every input byte.
        let removed_bytes: usize = out.removed().iter().map(|r| r.extent().len()).sum();
        prop_assert_eq!(out.text().len() + removed_bytes, doc.len());
        // Re-splitting the kept text gives the kept paragraphs, byte for byte, in order.
        let kept: Vec<&str> = verdicts.iter().filter(|v| !v.is_removed()).map(|v| v.paragraph().as_str()).collect();
        let resplit: Vec<&str> = paragraphs_of(out.text(), unit).map(|p| p.as_str()).collect();
        prop_assert_eq!(resplit, kept);
        // No two kept paragraphs share a fingerprint; every duplicate's first occurrence is an
        // earlier kept paragraph with the same fingerprint.
        let mut fingerprints = HashSet::new();
        for v in &verdicts {
            match v.status() {
                Status::Kept { fingerprint } => prop_assert!(fingerprints.insert(fingerprint)),
                Status::Duplicate { fingerprint, first } => {
                    let first = first.expect("the default seen-set keeps origins");
                    prop_assert!(first.paragraph < v.index());
                    prop_assert_eq!(verdicts[first.paragraph as usize].status(), Status::Kept { fingerprint });
                }
                _ => {}
            }
        }
    }

    #[test]
    fn dedup_is_idempotent(doc in strategies::document(), unit in units(), normalizer in normalizers()) {
        let once = deduper(unit, normalizer, 0).dedup(&doc).text().to_owned();
        let twice = deduper(unit, normalizer, 0).dedup(&once);
        prop_assert!(twice.removed().is_empty());
        prop_assert_eq!(twice.text(), once.as_str());
    }

    #[test]
    fn a_doubled_document_keeps_what_the_document_keeps(
        doc in strategies::document(),
        unit in units(),
        normalizer in normalizers(),
    ) {
        // End the document with a blank line, so its copy starts a new paragraph in both units,
        // and leave out a leading byte-order mark, which is only one at the start of a text.
        let doc = format!("{}\n\n", doc.trim_start_matches('\u{FEFF}'));
        let single = deduper(unit, normalizer, 0).dedup(&doc).text().to_owned();
        let doubled = format!("{doc}{doc}");
        let out = deduper(unit, normalizer, 0).dedup(&doubled).text().to_owned();
        // Exempt paragraphs (`***`) are never duplicates, so the copy keeps its own.
        let counted = |text: &str| -> Vec<String> {
            texts(text, unit)
                .into_iter()
                .filter(|p| !normalizer.normalize(p).is_empty())
                .map(str::to_owned)
                .collect()
        };
        prop_assert_eq!(counted(&out), counted(&single));
        // Byte for byte too, when the document starts with its first paragraph (otherwise the
        // copy's leading blank lines are kept as the gap they are) and has no exempt one.
        if doc.starts_with(|c: char| !c.is_whitespace()) && counted(&doc).len() == texts(&doc, unit).len() {
            prop_assert_eq!(out, single);
        }
    }

    #[test]
    fn corpus_scope_equals_one_document_scope_pass_over_the_concatenation(
        docs in prop::collection::vec(strategies::document(), 0..5),
        normalizer in normalizers(),
    ) {
        // Each document ends with a blank line, so paragraphs never span two documents.
        let docs: Vec<String> = docs.iter().map(|d| format!("{}\n\n", d.trim_start_matches('\u{FEFF}'))).collect();
        let mut corpus = Deduper::builder().short_paragraphs(ShortParagraphs::RemoveEveryRepeat).scope(Scope::Corpus).normalizer(normalizer).build();
        let kept: String = docs.iter().map(|d| corpus.dedup(d).text().to_owned()).collect();
        let whole = deduper(Unit::Lines, normalizer, 0).dedup(&docs.concat()).text().to_owned();
        // The same paragraphs are kept; the blank lines between documents may differ, since in
        // one text they belong to the paragraph before them.
        prop_assert_eq!(texts(&kept, Unit::Lines), texts(&whole, Unit::Lines));
    }

    #[test]
    fn no_input_panics(bytes in prop::collection::vec(any::<u8>(), 0..200), unit in units()) {
        let text = String::from_utf8_lossy(&bytes);
        for normalizer in [Normalizer::exact(), Normalizer::standard(), Normalizer::ccnet()] {
            let mut d = deduper(unit, normalizer, 0);
            let out = d.dedup(&text);
            prop_assert!(out.text().len() <= text.len());
        }
    }
}
