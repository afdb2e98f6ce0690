//! Nothing is lost: over generated corpora, for both units, every normalization and both
//! scopes, every input byte is either in the output or in a removed paragraph that was
//! reported, with its first occurrence. (The command's report is reconciled with its input in
//! `cli/tests/nothing_lost.rs`.)

mod strategies;

use std::collections::HashMap;

use paradedup::{paragraphs_of, Deduper, Normalizer, Origin, Scope, SeenSet, Status, Unit};
use proptest::prelude::*;

fn normalizers() -> impl Strategy<Value = Normalizer> {
    prop_oneof![
        Just(Normalizer::exact()),
        Just(Normalizer::standard()),
        Just(Normalizer::ccnet()),
        Just(Normalizer::standard().fold_digits(true).strip_accents(true)),
        Just(Normalizer::standard().drop_symbols(true).fold_digits(true)),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(500))]

    #[test]
    fn every_byte_is_kept_or_reported_removed_with_its_first_occurrence(
        corpus in prop::collection::vec(strategies::document(), 1..6),
        unit in prop_oneof![Just(Unit::Lines), Just(Unit::BlankLines)],
        normalizer in normalizers(),
        corpus_scope: bool,
        min_chars in 0usize..4,
    ) {
        let scope = if corpus_scope { Scope::Corpus } else { Scope::Document };
        let mut deduper = Deduper::builder()
            .unit(unit)
            .normalizer(normalizer)
            .min_chars(min_chars)
            .scope(scope)
            .seen_set(SeenSet::new())
            .build();
        // Every kept (recorded) paragraph, by where it is: its normalized text.
        let mut kept_at: HashMap<Origin, String> = HashMap::new();
        for (d, doc) in corpus.iter().enumerate() {
            let out = deduper.dedup(doc);
            let removed = out.removed();
            // Interleave kept text and removed extents: they rebuild the input exactly.
            let (mut rebuilt, mut kept_pos, mut from) = (String::new(), 0, 0);
            for r in removed {
                let gap = r.extent().start - from;
                rebuilt.push_str(&out.text()[kept_pos..kept_pos + gap]);
                kept_pos += gap;
                rebuilt.push_str(&doc.as_str()[r.extent()]);
                from = r.extent().end;
            }
            rebuilt.push_str(&out.text()[kept_pos..]);
            prop_assert_eq!(&rebuilt, doc, "the output and the removed extents are not the input");
            prop_assert_eq!(
                out.text().len() + removed.iter().map(|r| r.extent().len()).sum::<usize>(),
                doc.len()
            );
            // Record this document's kept, fingerprinted paragraphs (a repeat may be of one of
            // them).
            let mut judge = Deduper::builder()
                .unit(unit)
                .normalizer(normalizer)
                .min_chars(min_chars)
                .build();
            for v in judge.verdicts(doc) {
                if let Status::Kept { .. } = v.status() {
                    if !removed.iter().any(|r| r.index() == v.index()) {
                        kept_at.insert(
                            Origin { document: d as u64, paragraph: v.index() },
                            normalizer.normalize(v.paragraph().as_str()).into_owned(),
                        );
                    }
                }
            }
            // Each removal names its first occurrence: an earlier kept paragraph, same identity.
            let paragraphs: Vec<_> = paragraphs_of(doc, unit).collect();
            for r in removed {
                let first = r.first().expect("the default seen-set keeps origins");
                let here = Origin { document: d as u64, paragraph: r.index() };
                prop_assert!(first < here);
                if scope == Scope::Document {
                    prop_assert_eq!(first.document, d as u64);
                }
                let identity = normalizer.normalize(paragraphs[r.index() as usize].as_str());
                prop_assert_eq!(kept_at.get(&first).map(String::as_str), Some(&*identity));
            }
            // The kept text's paragraphs are the input's minus the removed ones. (One quirk:
            // a U+FEFF paragraph that the removals bring to the very start of the kept text is
            // then read as a byte-order mark, which belongs to no paragraph; its bytes are kept,
            // so it is counted here as the content it was.)
            let kept = if doc.starts_with('\u{FEFF}') {
                out.text().to_owned()
            } else {
                format!("\n{}", out.text())
            };
            prop_assert_eq!(
                paragraphs_of(&kept, unit).count(),
                paragraphs.len() - removed.len()
            );
        }
    }
}
