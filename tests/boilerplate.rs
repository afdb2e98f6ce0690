//! Boilerplate removal on the generated corpus: site lines ("S'abonner", "0 Commentaires",
//! cookie banners) go, article text stays.

use paradedup_corpus as corpus;

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use corpus::CorpusSpec;
use paradedup::{BoilerplatePolicy, Deduper, DocumentFrequency, Normalizer, Status};

fn run(policy: BoilerplatePolicy) -> (Vec<corpus::Document>, Vec<Vec<Status>>) {
    let docs = corpus::generate(&CorpusSpec::web().with_documents(1500));
    let normalizer = Normalizer::standard().fold_digits(true);
    let builder = || {
        let mut b = Deduper::builder();
        b.normalizer(normalizer);
        b
    };
    let mut counts = DocumentFrequency::new(builder().build().settings());
    for doc in &docs {
        counts.count(&doc.text);
    }
    assert_eq!(counts.documents(), 1500);
    let mut deduper = builder().boilerplate(Arc::new(counts), 20, policy).build();
    let statuses = docs
        .iter()
        .map(|doc| deduper.verdicts(&doc.text).map(|v| v.status()).collect())
        .collect();
    (docs, statuses)
}

#[test]
fn site_boilerplate_is_removed_and_article_text_is_not() {
    let (docs, statuses) = run(BoilerplatePolicy::DropAll);
    let mut removed_lines = HashSet::new();
    let (mut boilerplate_lines, mut boilerplate_removed) = (0, 0);
    for (doc, statuses) in docs.iter().zip(&statuses) {
        let lines = doc.lines();
        assert_eq!(lines.len(), statuses.len(), "{}", doc.id);
        for ((line, label), status) in lines.iter().zip(&doc.labels).zip(statuses) {
            let removed = matches!(status, Status::Boilerplate { .. });
            if label.is_boilerplate() {
                boilerplate_lines += 1;
                boilerplate_removed += usize::from(removed);
            } else {
                // Article text (original, repeated, variant or wire copy) is never boilerplate.
                assert!(
                    !removed,
                    "{}: article line removed: {line:?} ({label:?})",
                    doc.id
                );
            }
            if removed {
                removed_lines.insert(line.trim().to_owned());
            }
        }
    }
    for line in [
        "S'abonner",
        "0 Commentaires",
        "Participer à la Discussion",
        "Nous utilisons des cookies pour améliorer votre expérience. En continuant, vous acceptez leur utilisation.",
    ] {
        assert!(removed_lines.contains(line), "{line:?} was not removed");
    }
    // Per-site lines on fewer than 20 documents may stay; nearly all boilerplate goes.
    let share = boilerplate_removed as f64 / boilerplate_lines as f64;
    assert!(
        share > 0.9,
        "only {boilerplate_removed} of {boilerplate_lines} boilerplate lines removed"
    );
}

#[test]
fn keep_first_keeps_exactly_one_copy_of_each_boilerplate_paragraph() {
    // The paragraphs past the threshold: those DropAll removes.
    let (_, dropped) = run(BoilerplatePolicy::DropAll);
    let boilerplate: HashSet<_> = dropped
        .iter()
        .flatten()
        .filter_map(|s| match s {
            Status::Boilerplate { fingerprint, .. } => Some(*fingerprint),
            _ => None,
        })
        .collect();
    assert!(boilerplate.len() > 10);
    let (_, statuses) = run(BoilerplatePolicy::KeepFirst);
    let mut kept: HashMap<_, usize> = HashMap::new();
    for status in statuses.iter().flatten() {
        match status {
            Status::Kept { fingerprint } if boilerplate.contains(fingerprint) => {
                *kept.entry(*fingerprint).or_default() += 1;
            }
            Status::Boilerplate { fingerprint, .. } => assert!(boilerplate.contains(fingerprint)),
            _ => {}
        }
    }
    assert_eq!(kept.len(), boilerplate.len());
    assert!(
        kept.values().all(|&n| n == 1),
        "a boilerplate paragraph kept twice"
    );
}
