//! Near-duplicate detection (`NearDup`): the seeds, the labelled evaluation at the defaults,
//! the fast path for exact repeats and the memory an indexed paragraph costs (determinism
//! across threads is in `tests/parallel.rs`).

use paradedup_corpus as corpus;
// These tests pin the exact-repeat semantics, so they ask for every repeat to be removed
// (the default keeps short repeats that look like structure: see tests/structure.rs).
use paradedup::ShortParagraphs;
use paradedup_corpus::near_eval;

use corpus::{CorpusSpec, NearKind};
use paradedup::{paragraphs, Deduper, NearDup, Normalizer, Scope, Shingles, Status};
use proptest::prelude::*;

const SEED_000: &str = include_str!("data/000_34751d3a37f48367.txt");
const SEED_001: &str = include_str!("data/001_4cd9e05293a17eb6.txt");

fn near(scope: Scope) -> Deduper {
    Deduper::builder()
        .short_paragraphs(ShortParagraphs::RemoveEveryRepeat)
        .scope(scope)
        .near_duplicates(NearDup::new())
        .build()
}

/// The removed paragraphs of `text`: (index, text, near-duplicate?).
fn removed(deduper: &mut Deduper, text: &str) -> Vec<(u64, String, bool)> {
    deduper
        .dedup(text)
        .removed()
        .iter()
        .map(|r| {
            let span = r.span();
            (
                r.index(),
                text[span.start..span.end].to_owned(),
                r.is_near_duplicate(),
            )
        })
        .collect()
}

#[test]
fn seed_001_loses_exactly_the_sputnik_caption() {
    for scope in [Scope::Document, Scope::Corpus] {
        let mut d = near(scope);
        let out = d.dedup(SEED_001);
        assert_eq!(out.removed().len(), 1, "{scope:?}");
        let r = out.removed()[0];
        assert_eq!(
            &SEED_001[r.span().start..r.span().end],
            "SE Alexandre Orlov, Ambassadeur de la Fédération de Russie en France - Sputnik Afrique"
        );
        // It repeats the glued caption just before it: "© Flickr / UMP PhotosSE Alexandre…".
        let first = r.first().unwrap();
        let caption = paragraphs(SEED_001).nth(first.paragraph as usize).unwrap();
        assert!(caption
            .as_str()
            .starts_with("© Flickr / UMP PhotosSE Alexandre Orlov"));
        let containment = r.containment().unwrap();
        assert_eq!((containment.shared, containment.total), (8, 11));
        assert_eq!(out.stats().near_duplicates, 1);
        assert_eq!(out.stats().duplicates, 0);
        // Every other byte is kept.
        assert_eq!(
            out.text().len() + r.extent().len(),
            SEED_001.len(),
            "{scope:?}"
        );
    }
}

#[test]
fn seed_000_loses_exactly_its_five_exact_repeats() {
    for scope in [Scope::Document, Scope::Corpus] {
        let mut d = near(scope);
        let gone = removed(&mut d, SEED_000);
        let indices: Vec<u64> = gone.iter().map(|r| r.0).collect();
        assert_eq!(indices, [3, 4, 9, 10, 11], "{scope:?}");
        assert!(
            gone.iter().all(|r| !r.2),
            "exact repeats stay exact: {gone:?}"
        );
    }
}

#[test]
fn both_seeds_in_one_corpus() {
    let mut d = near(Scope::Corpus);
    assert_eq!(removed(&mut d, SEED_000).len(), 5);
    let second = removed(&mut d, SEED_001);
    assert_eq!(second.len(), 1);
    assert!(second[0].2 && second[0].1.ends_with("- Sputnik Afrique"));
}

#[test]
fn the_meaning_guard_on_the_labelled_evaluation() {
    let docs = corpus::generate(&CorpusSpec::near_duplicates().with_documents(400));
    for scope in [Scope::Document, Scope::Corpus] {
        let tally = near_eval::evaluate(&docs, NearDup::new(), scope);
        println!("{scope:?}: {tally:?}");
        // Nothing that must stay is removed.
        assert!(tally.precision() >= 0.98, "{scope:?}: {tally:?}");
        assert!(
            tally.originals.0 * 1000 <= tally.originals.1,
            "{scope:?}: {tally:?}"
        );
        // Edits that add or remove words without changing one: found as before.
        for kind in [NearKind::Suffix, NearKind::Prefix, NearKind::GluedCredit] {
            assert!(
                tally.kind_recall(kind) >= 0.9,
                "{scope:?} {kind:?}: {tally:?}"
            );
        }
        // A number replaced by another is a different statement now ("page 4" / "page 1").
        assert!(
            tally.kind_recall(NearKind::NumberChanged) < 0.5,
            "{scope:?}: {tally:?}"
        );
    }
}

#[test]
fn the_labelled_evaluation_at_the_defaults() {
    let docs = corpus::generate(&CorpusSpec::near_duplicates().with_documents(400));
    // The labels are of edits that keep the meaning by construction, containment's business:
    // judged with the meaning guard off; `the_meaning_guard_on_the_labelled_evaluation` is
    // the default.
    for scope in [Scope::Document, Scope::Corpus] {
        let tally = near_eval::evaluate(&docs, NearDup::new().meaning_guard(false), scope);
        let found: usize = tally.kinds.iter().map(|k| k.0).sum();
        assert!(
            found > 300,
            "{scope:?}: too few near-duplicates to judge: {tally:?}"
        );
        assert!(tally.precision() >= 0.98, "{scope:?}: {tally:?}");
        assert!(tally.recall() >= 0.98, "{scope:?}: {tally:?}");
        for kind in NearKind::ALL {
            assert!(
                tally.kinds[kind as usize].1 > 10,
                "{kind:?} is rare: {tally:?}"
            );
            assert!(
                tally.kind_recall(kind) >= 0.9,
                "{scope:?} {kind:?}: {tally:?}"
            );
        }
        assert!(tally.hard_negatives.1 > 300);
        assert!(
            tally.originals.0 * 1000 <= tally.originals.1,
            "{scope:?}: {tally:?}"
        );
        if scope == Scope::Document {
            // The paragraph named as the source is the one the edit was made from.
            assert!(
                tally.right_source as f64 >= 0.99 * found as f64,
                "{tally:?}"
            );
        }
    }
}

#[test]
fn near_detection_off_changes_nothing() {
    let docs = corpus::generate(&CorpusSpec::near_duplicates().with_documents(100));
    let mut plain = Deduper::builder()
        .short_paragraphs(ShortParagraphs::RemoveEveryRepeat)
        .build();
    let mut with = near(Scope::Document);
    for doc in &docs {
        let a = plain.dedup(&doc.text);
        let b = with.dedup(&doc.text);
        // Near-duplicate detection only ever removes more.
        assert!(b.text().len() <= a.text().len());
        let exact: Vec<u64> = a.removed().iter().map(|r| r.index()).collect();
        let exact_with: Vec<u64> = b
            .removed()
            .iter()
            .filter(|r| !r.is_near_duplicate())
            .map(|r| r.index())
            .collect();
        assert_eq!(exact, exact_with, "{}", doc.id);
    }
}

#[test]
fn exact_repeats_stay_on_the_fast_path() {
    // Seven words: the meaning guard would keep the last line, and this is about exact ones.
    let mut d = Deduper::builder()
        .short_paragraphs(ShortParagraphs::RemoveEveryRepeat)
        .near_duplicates(NearDup::new().meaning_guard(false))
        .build();
    let text = "one two three four five six seven\nONE two three, four five six seven!\n\
                one two three four five six eight\n";
    let statuses: Vec<Status> = d.verdicts(text).map(|v| v.status()).collect();
    assert!(matches!(statuses[1], Status::Duplicate { .. }));
    assert!(matches!(statuses[2], Status::NearDuplicate { .. }));
}

#[test]
fn short_paragraphs_are_left_to_exact_dedup() {
    // Four words: two 3-word shingles, below the minimum of three.
    let mut d = near(Scope::Document);
    let text = "Avion abattu par Ankara\nAvion abattu par Moscou\n";
    assert_eq!(d.dedup(text).text(), text);
    let mut loose = Deduper::builder()
        .short_paragraphs(ShortParagraphs::RemoveEveryRepeat)
        .near_duplicates(
            NearDup::new()
                .min_shingles(1)
                .threshold(0.5)
                .meaning_guard(false),
        )
        .build();
    assert_eq!(loose.dedup(text).text(), "Avion abattu par Ankara\n");
}

#[test]
fn character_shingles_catch_edits_inside_words() {
    let text =
        "莫斯科呼吁建立统一的反恐联盟以打击极端组织\n莫斯科呼吁建立统一的反恐联盟以打击恐怖组织\n";
    let mut d = Deduper::builder()
        .short_paragraphs(ShortParagraphs::RemoveEveryRepeat)
        .near_duplicates(NearDup::new().shingles(Shingles::Chars(3)))
        .build();
    assert_eq!(d.dedup(text).removed().len(), 1);
}

#[test]
fn every_normalizer_and_unit_works_with_near_detection() {
    let docs = corpus::generate(&CorpusSpec::near_duplicates().with_documents(60));
    for normalizer in [
        Normalizer::exact(),
        Normalizer::standard(),
        Normalizer::ccnet(),
    ] {
        for unit in [paradedup::Unit::Lines, paradedup::Unit::BlankLines] {
            let mut d = Deduper::builder()
                .short_paragraphs(ShortParagraphs::RemoveEveryRepeat)
                .normalizer(normalizer)
                .unit(unit)
                .near_duplicates(NearDup::new())
                .build();
            for doc in &docs {
                let out = d.dedup(&doc.text);
                let cut: usize = out.removed().iter().map(|r| r.extent().len()).sum();
                assert_eq!(out.text().len() + cut, doc.text.len());
                for r in out.removed().iter().filter(|r| r.is_near_duplicate()) {
                    let c = r.containment().unwrap();
                    assert!(c.score() >= 0.6 && c.shared <= c.total, "{c:?}");
                    assert!(r.first().unwrap().paragraph < r.index());
                }
            }
        }
    }
}

#[test]
fn memory_per_indexed_paragraph_is_as_documented() {
    // 20,000 distinct 30-word paragraphs, one per document, in corpus scope.
    let paragraphs: Vec<String> = (0..20_000u32)
        .map(|i| {
            (0..30)
                .map(|w| {
                    let mut z = (u64::from(i) << 8 | w).wrapping_mul(0x9E37_79B9_7F4A_7C15);
                    z ^= z >> 29;
                    format!("w{}", z % 1_000_003)
                })
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect();
    for (scope, bound) in [(Scope::Corpus, 1_300.0), (Scope::Document, 2_200.0)] {
        let mut d = Deduper::builder()
            .short_paragraphs(ShortParagraphs::RemoveEveryRepeat)
            .scope(scope)
            .near_duplicates(NearDup::new())
            .build();
        let mut out = String::new();
        if scope == Scope::Corpus {
            for p in &paragraphs {
                d.dedup_into(p, &mut out);
            }
        } else {
            d.dedup_into(&paragraphs.join("\n"), &mut out);
        }
        assert_eq!(d.stats().near_duplicates, 0);
        let per_paragraph = d.near_memory_usage() as f64 / paragraphs.len() as f64;
        println!("{scope:?}: {per_paragraph:.0} bytes per indexed 30-word paragraph");
        assert!(
            per_paragraph > 28.0 * 8.0,
            "{scope:?}: {per_paragraph}: shingles not stored?"
        );
        assert!(
            per_paragraph < bound,
            "{scope:?}: {per_paragraph} bytes per paragraph"
        );
    }
    assert_eq!(
        Deduper::builder()
            .short_paragraphs(ShortParagraphs::RemoveEveryRepeat)
            .build()
            .near_memory_usage(),
        0
    );
}

fn lines() -> impl Strategy<Value = String> {
    let word = prop_oneof![
        Just("le"),
        Just("porte-parole"),
        Just("du"),
        Just("Kremlin"),
        Just("a"),
        Just("déclaré"),
        Just("l'armée"),
        Just("莫斯科"),
        Just("2015"),
        Just("!"),
    ];
    prop::collection::vec(prop::collection::vec(word, 0..12), 0..16).prop_map(|lines| {
        lines
            .into_iter()
            .map(|words| words.join(" "))
            .collect::<Vec<_>>()
            .join("\n")
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Kept text plus removed extents is the input; a near-duplicate names an earlier kept
    /// paragraph that contains at least the threshold of it; a second pass removes nothing
    /// new (small documents, where the index's bounds never bind).
    #[test]
    fn near_dedup_keeps_the_invariants(doc in lines(), threshold in 0.3f64..1.0) {
        let settings = NearDup::new().threshold(threshold).min_shingles(1);
        let mut d = Deduper::builder().short_paragraphs(ShortParagraphs::RemoveEveryRepeat).near_duplicates(settings).build();
        let out = d.dedup(&doc);
        let cut: usize = out.removed().iter().map(|r| r.extent().len()).sum();
        prop_assert_eq!(out.text().len() + cut, doc.len());
        let removed: Vec<u64> = out.removed().iter().map(|r| r.index()).collect();
        for r in out.removed().iter().filter(|r| r.is_near_duplicate()) {
            let first = r.first().unwrap().paragraph;
            prop_assert!(first < r.index() && !removed.contains(&first));
            let c = r.containment().unwrap();
            prop_assert!(c.score() + 1e-9 >= threshold.max(0.01));
        }
        let kept = out.text().to_owned();
        let again = Deduper::builder().short_paragraphs(ShortParagraphs::RemoveEveryRepeat).near_duplicates(settings).build().dedup(&kept).text().to_owned();
        prop_assert_eq!(again, kept);
    }
}
