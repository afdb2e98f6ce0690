//! Labelled evaluation of near-duplicate detection on the generator's corpus
//! (`CorpusSpec::near_duplicates`): recall per kind of edit, false positives
//! per kind of line that must stay. Shared by `tests/near_dup.rs` and
//! the `near_dup_eval` measurement program.

use paradedup::{Deduper, NearDup, Scope, Status};

use crate::{Document, Label, NearKind};

/// What one run found, line by line against the labels.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Tally {
    /// Per [`NearKind::ALL`] entry: (removed, total) near-duplicates.
    pub kinds: [(usize, usize); 8],
    /// Near-duplicates removed with the right source paragraph named as first.
    pub right_source: usize,
    /// (removed as near-duplicates, total) of `Original` lines.
    pub originals: (usize, usize),
    /// (removed as near-duplicates, total) of `HardNegative` lines.
    pub hard_negatives: (usize, usize),
    /// (removed as near-duplicates, total) of other lines: boilerplate, repeats, variants,
    /// wire copies. Exact dedup removes most of them anyway; listed apart.
    pub others: (usize, usize),
}

impl Tally {
    /// Near-duplicates found over all kinds.
    pub fn recall(&self) -> f64 {
        let (found, total) = self
            .kinds
            .iter()
            .fold((0, 0), |(f, t), &(a, b)| (f + a, t + b));
        ratio(found, total)
    }

    /// Recall of one kind.
    pub fn kind_recall(&self, kind: NearKind) -> f64 {
        let (found, total) = self.kinds[kind_index(kind)];
        ratio(found, total)
    }

    /// True near-duplicate removals over all near-duplicate removals of lines that are
    /// either near-duplicates or must stay (`Original`, `HardNegative`).
    pub fn precision(&self) -> f64 {
        let found: usize = self.kinds.iter().map(|k| k.0).sum();
        ratio(found, found + self.originals.0 + self.hard_negatives.0)
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        1.0
    } else {
        a as f64 / b as f64
    }
}

fn kind_index(kind: NearKind) -> usize {
    NearKind::ALL.iter().position(|k| *k == kind).unwrap_or(0)
}

/// Runs a deduper with `near` (and the default normalization) over `docs` in `scope` and
/// checks every verdict against the labels.
pub fn evaluate(docs: &[Document], near: NearDup, scope: Scope) -> Tally {
    let mut deduper = Deduper::builder()
        .scope(scope)
        .near_duplicates(near)
        .build();
    let mut tally = Tally::default();
    for doc in docs {
        let verdicts: Vec<Status> = deduper.verdicts(&doc.text).map(|v| v.status()).collect();
        assert_eq!(
            verdicts.len(),
            doc.labels.len(),
            "{}: paragraphs vs labels",
            doc.id
        );
        for (status, label) in verdicts.iter().zip(&doc.labels) {
            let near_removed = matches!(status, Status::NearDuplicate { .. });
            match *label {
                Label::NearDuplicate { source, kind } => {
                    let slot = &mut tally.kinds[kind_index(kind)];
                    slot.1 += 1;
                    if status.is_removed() {
                        slot.0 += 1;
                    }
                    if let Status::NearDuplicate { first, .. } = status {
                        let same_document = scope == Scope::Document
                            || first.document == deduper.stats().documents - 1;
                        if same_document && first.paragraph == source as u64 {
                            tally.right_source += 1;
                        }
                    }
                }
                Label::Original => count(&mut tally.originals, near_removed),
                Label::HardNegative => count(&mut tally.hard_negatives, near_removed),
                _ => count(&mut tally.others, near_removed),
            }
        }
    }
    tally
}

fn count(slot: &mut (usize, usize), removed: bool) {
    slot.1 += 1;
    slot.0 += usize::from(removed);
}

/// One row of the evaluation table in Markdown: the setting's name, then precision, recall,
/// false positives and recall per kind.
pub fn markdown_row(name: &str, scope: Scope, tally: &Tally) -> String {
    let mut row = format!(
        "| {name} | {scope:?} | {:.4} | {:.4} | {}/{} | {}/{} |",
        tally.precision(),
        tally.recall(),
        tally.hard_negatives.0,
        tally.hard_negatives.1,
        tally.originals.0,
        tally.originals.1,
    );
    for kind in NearKind::ALL {
        row.push_str(&format!(" {:.2} |", tally.kind_recall(kind)));
    }
    row
}

/// The header matching [`markdown_row`].
pub fn markdown_header() -> String {
    let mut header = String::from(
        "| setting | scope | precision | recall | hard negatives removed | originals removed |",
    );
    let mut rule = String::from("|---|---|---|---|---|---|");
    for kind in NearKind::ALL {
        header.push_str(&format!(" {kind:?} |"));
        rule.push_str("---|");
    }
    format!("{header}\n{rule}")
}
