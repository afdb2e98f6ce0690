//! The result of deduplicating one document: the kept text and what was removed.

use std::borrow::Cow;

use super::verdict::{Status, Verdict};
use crate::fingerprint::Fingerprint;
use crate::near::Containment;
use crate::seen::Origin;
use crate::span::Span;
use crate::stats::Stats;

/// One removed paragraph: where it was, and where its first occurrence is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Removed {
    index: u64,
    span: Span,
    extent: Span,
    fingerprint: Fingerprint,
    first: Option<Origin>,
    containment: Option<Containment>,
    boilerplate: bool,
}

impl Removed {
    /// The removal a verdict calls for, if it is a duplicate.
    pub(crate) fn from_verdict(verdict: &Verdict<'_>) -> Option<Removed> {
        let (fingerprint, first, containment, boilerplate) = match verdict.status() {
            Status::Duplicate { fingerprint, first } => (fingerprint, first, None, false),
            Status::NearDuplicate {
                fingerprint,
                first,
                containment,
            } => (fingerprint, Some(first), Some(containment), false),
            Status::Boilerplate { fingerprint, .. } => (fingerprint, None, None, true),
            Status::Kept { .. } | Status::Exempt => return None,
        };
        Some(Removed {
            index: verdict.index(),
            span: verdict.paragraph().span(),
            extent: verdict.paragraph().extent(),
            fingerprint,
            first,
            containment,
            boilerplate,
        })
    }

    /// The paragraph's number in its document, from 0.
    pub fn index(&self) -> u64 {
        self.index
    }

    /// The paragraph's text in the input, without surrounding whitespace.
    pub fn span(&self) -> Span {
        self.span
    }

    /// Every byte removed with the paragraph (its line break and following blank lines too).
    pub fn extent(&self) -> Span {
        self.extent
    }

    /// The paragraph's fingerprint.
    pub fn fingerprint(&self) -> Fingerprint {
        self.fingerprint
    }

    /// True when it was removed as boilerplate rather than as a repeat.
    pub fn is_boilerplate(&self) -> bool {
        self.boilerplate
    }

    /// How much of it the earlier paragraph contains, when it was removed as a near-duplicate
    /// (`None` for an exact repeat or boilerplate).
    pub fn containment(&self) -> Option<Containment> {
        self.containment
    }

    /// True when it was removed as a near-duplicate rather than an exact repeat.
    pub fn is_near_duplicate(&self) -> bool {
        self.containment.is_some()
    }

    /// Where the paragraph it repeats is, when the seen-set keeps origins (the default one
    /// does; a near-duplicate always has it).
    pub fn first(&self) -> Option<Origin> {
        self.first
    }
}

/// The outcome of [`Deduper::dedup`](crate::Deduper::dedup) on one document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Deduplicated<'t> {
    text: Cow<'t, str>,
    removed: Vec<Removed>,
    stats: Stats,
}

impl<'t> Deduplicated<'t> {
    /// The outcome for `document` with `removed` (in order) taken out.
    pub(crate) fn new(document: &'t str, removed: Vec<Removed>, stats: Stats) -> Deduplicated<'t> {
        let text = if removed.is_empty() {
            Cow::Borrowed(document)
        } else {
            let mut kept = String::with_capacity(document.len());
            push_kept(document, removed.iter().map(|r| r.extent), &mut kept);
            Cow::Owned(kept)
        };
        Deduplicated {
            text,
            removed,
            stats,
        }
    }

    /// The kept text.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The kept text, the removed paragraphs and the counts, owned: to keep a result past
    /// the input's lifetime, or compare results.
    ///
    /// ```
    /// let (text, removed, stats) = paradedup::Deduper::new().dedup("a\na").into_owned_parts();
    /// assert_eq!((text.as_str(), removed.len(), stats.duplicates), ("a\n", 1, 1));
    /// ```
    pub fn into_owned_parts(self) -> (String, Vec<Removed>, Stats) {
        (self.text.into_owned(), self.removed, self.stats)
    }

    /// The kept text, owned or borrowed (borrowed when nothing was removed).
    pub fn into_text(self) -> Cow<'t, str> {
        self.text
    }

    /// The removed paragraphs, in document order.
    pub fn removed(&self) -> &[Removed] {
        &self.removed
    }

    /// This document's counts.
    pub fn stats(&self) -> Stats {
        self.stats
    }
}

/// Appends `document` minus the `removed` extents (in increasing order) to `out`.
pub(super) fn push_kept(document: &str, removed: impl Iterator<Item = Span>, out: &mut String) {
    let mut from = 0;
    for extent in removed {
        out.push_str(&document[from..extent.start]);
        from = extent.end;
    }
    out.push_str(&document[from..]);
}
