//! `Deduper::dedup_batch` (feature `rayon`) gives the serial answer for any thread count and
//! batch size.
#![cfg(feature = "rayon")]

mod strategies;

use std::sync::Arc;

use paradedup::{
    BoilerplatePolicy, Deduper, Deduplicated, DocumentFrequency, NearDup, Normalizer, Scope,
    SeenSet, Unit,
};
use proptest::prelude::*;

fn corpus() -> impl Strategy<Value = Vec<String>> {
    prop::collection::vec(strategies::document(), 0..24)
}

fn builder(scope: Scope, unit: Unit, normalizer: Normalizer, exact: bool) -> Deduper {
    let mut b = Deduper::builder();
    b.scope(scope).unit(unit).normalizer(normalizer);
    if exact {
        b.seen_set(SeenSet::exact());
    }
    b.build()
}

/// Each document's result through `dedup_batch`, in batches of `batch` documents, on a pool of
/// `threads` threads.
fn in_batches<S: AsRef<str> + Sync>(
    deduper: &mut Deduper,
    docs: &[S],
    batch: usize,
    threads: usize,
) -> Vec<Deduplicated<'static>> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .unwrap();
    pool.install(|| {
        docs.chunks(batch)
            .flat_map(|chunk| {
                deduper
                    .dedup_batch(chunk)
                    .into_iter()
                    .map(|d| d.into_owned())
                    .collect::<Vec<_>>()
            })
            .collect()
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn parallel_equals_serial(
        docs in corpus(),
        threads in 1usize..5,
        batch in 1usize..8,
        corpus_scope in any::<bool>(),
        blank_lines in any::<bool>(),
        exact_set in any::<bool>(),
        normalizer in prop_oneof![Just(Normalizer::standard()), Just(Normalizer::exact()), Just(Normalizer::ccnet())],
    ) {
        let scope = if corpus_scope { Scope::Corpus } else { Scope::Document };
        let unit = if blank_lines { Unit::BlankLines } else { Unit::Lines };
        let mut serial = builder(scope, unit, normalizer, exact_set);
        let expected: Vec<_> = docs.iter().map(|d| serial.dedup(d).into_owned()).collect();

        let mut parallel = builder(scope, unit, normalizer, exact_set);
        let got = in_batches(&mut parallel, &docs, batch, threads);
        prop_assert_eq!(got, expected);
        prop_assert_eq!(parallel.stats(), serial.stats());
        prop_assert_eq!(parallel.seen().len(), serial.seen().len());
    }
}

use paradedup_corpus as corpus;

/// Batches large enough to be fingerprinted in several overlapping slices.
#[test]
fn large_batches_equal_serial() {
    let docs: Vec<String> = corpus::generate(&corpus::CorpusSpec::web().with_documents(3000))
        .into_iter()
        .map(|d| d.text)
        .collect();
    for scope in [Scope::Document, Scope::Corpus] {
        let mut serial = builder(scope, Unit::Lines, Normalizer::standard(), true);
        let expected: Vec<_> = docs.iter().map(|d| serial.dedup(d).into_owned()).collect();
        for (threads, batch) in [(2, 1000), (3, 3000), (1, 700)] {
            let mut parallel = builder(scope, Unit::Lines, Normalizer::standard(), true);
            let got = in_batches(&mut parallel, &docs, batch, threads);
            assert!(
                got == expected,
                "{scope:?}, {threads} threads, batches of {batch}"
            );
            assert_eq!(parallel.stats(), serial.stats());
        }
    }
}

/// Near-duplicate verdicts do not depend on the thread count either: the index is consulted in
/// input order, on the deciding thread.
#[test]
fn near_duplicates_equal_serial() {
    let docs: Vec<String> =
        corpus::generate(&corpus::CorpusSpec::near_duplicates().with_documents(300))
            .into_iter()
            .map(|d| d.text)
            .collect();
    for scope in [Scope::Document, Scope::Corpus] {
        let near = || {
            Deduper::builder()
                .scope(scope)
                .near_duplicates(NearDup::new())
                .build()
        };
        let mut serial = near();
        let expected: Vec<_> = docs.iter().map(|d| serial.dedup(d).into_owned()).collect();
        assert!(serial.stats().near_duplicates > 50);
        for threads in [1, 2, 4] {
            let got = in_batches(&mut near(), &docs, 37, threads);
            assert!(got == expected, "{scope:?}, {threads} threads");
        }
    }
}

/// Document scope decides documents apart on every core (nothing carries over from one to the
/// next) unless boilerplate is kept once in the whole corpus: both ways give the serial answer,
/// first occurrences named by their document's number in the corpus.
#[test]
fn document_scope_with_boilerplate_equals_serial() {
    let docs: Vec<String> = corpus::generate(&corpus::CorpusSpec::web().with_documents(400))
        .into_iter()
        .map(|d| d.text)
        .collect();
    let mut counts = DocumentFrequency::new(Deduper::new().settings());
    for doc in &docs {
        counts.count(doc);
    }
    let counts = Arc::new(counts);
    for policy in [BoilerplatePolicy::DropAll, BoilerplatePolicy::KeepFirst] {
        let build = || {
            Deduper::builder()
                .scope(Scope::Document)
                .boilerplate(Arc::clone(&counts), 20, policy)
                .build()
        };
        let mut serial = build();
        let expected: Vec<_> = docs.iter().map(|d| serial.dedup(d).into_owned()).collect();
        assert!(serial.stats().boilerplate > 100, "{policy:?}");
        assert!(serial.stats().duplicates > 100, "{policy:?}");
        assert!(
            expected
                .iter()
                .flat_map(|out| out.removed())
                .any(|r| r.first().is_some_and(|first| first.document > 0)),
            "first occurrences name documents past the first"
        );
        for threads in [1, 2, 3] {
            let mut parallel = build();
            let got = in_batches(&mut parallel, &docs, 150, threads);
            assert!(got == expected, "{policy:?}, {threads} threads");
            assert_eq!(parallel.stats(), serial.stats());
            assert_eq!(parallel.seen().len(), serial.seen().len());
        }
    }
}
