//! The result of deduplicating one document: the kept text and what was removed.
//!
//! There is one result type, [`Deduplicated`], whatever path a document took: one call to
//! [`Deduper::dedup`](crate::Deduper::dedup), a stream, or a batch on all cores. It borrows the
//! input's text when nothing was removed, and [`Deduplicated::into_owned`] detaches it from the
//! input when it must outlive it.

use std::borrow::Cow;

use super::verdict::{Status, Verdict};
use crate::fingerprint::Fingerprint;
use crate::near::Containment;
use crate::seen::Origin;
use crate::span::Span;
use crate::stats::Stats;

/// One removed paragraph: where it was, and where its first occurrence is.
///
/// Its spans are byte offsets into the input document (not into the kept text).
///
/// ```
/// use paradedup::{Deduper, Origin};
///
/// let doc = "Lire aussi\nThe story.\nLIRE AUSSI\n";
/// let out = Deduper::builder().short_paragraphs(paradedup::ShortParagraphs::RemoveEveryRepeat).build().dedup(doc);
/// let removed = out.removed()[0];
/// assert_eq!(&doc[removed.span()], "LIRE AUSSI");
/// assert_eq!(&doc[removed.extent()], "LIRE AUSSI\n");
/// assert_eq!(removed.first(), Some(Origin { document: 0, paragraph: 0 }));
/// ```
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
    ///
    /// ```
    /// let out = paradedup::Deduper::builder().short_paragraphs(paradedup::ShortParagraphs::RemoveEveryRepeat).build().dedup("a\nb\na");
    /// assert_eq!(out.removed()[0].index(), 2);
    /// ```
    pub fn index(&self) -> u64 {
        self.index
    }

    /// The paragraph's text in the input, without surrounding whitespace.
    ///
    /// ```
    /// let doc = "a\n  a  \n";
    /// let out = paradedup::Deduper::builder().short_paragraphs(paradedup::ShortParagraphs::RemoveEveryRepeat).build().dedup(doc);
    /// assert_eq!(&doc[out.removed()[0].span()], "a");
    /// ```
    pub fn span(&self) -> Span {
        self.span
    }

    /// Every byte removed with the paragraph (its line break and following blank lines too).
    ///
    /// ```
    /// let doc = "a\n\na\n\nb";
    /// let out = paradedup::Deduper::builder().short_paragraphs(paradedup::ShortParagraphs::RemoveEveryRepeat).build().dedup(doc);
    /// assert_eq!(&doc[out.removed()[0].extent()], "a\n\n");
    /// ```
    pub fn extent(&self) -> Span {
        self.extent
    }

    /// The paragraph's fingerprint.
    ///
    /// ```
    /// use paradedup::{Deduper, Fingerprint};
    ///
    /// let out = Deduper::builder().short_paragraphs(paradedup::ShortParagraphs::RemoveEveryRepeat).build().dedup("Hi!\nhi");
    /// assert_eq!(out.removed()[0].fingerprint(), Fingerprint::of("hi"));
    /// ```
    pub fn fingerprint(&self) -> Fingerprint {
        self.fingerprint
    }

    /// True when it was removed as boilerplate rather than as a repeat.
    ///
    /// ```
    /// use std::sync::Arc;
    /// use paradedup::{BoilerplatePolicy, Deduper, DocumentFrequency, Settings};
    ///
    /// let mut counts = DocumentFrequency::new(Settings::default());
    /// counts.count("S'abonner\nOne.");
    /// counts.count("S'abonner\nTwo.");
    /// let mut d = Deduper::builder()
    ///     .boilerplate(Arc::new(counts), 2, BoilerplatePolicy::DropAll)
    ///     .build();
    /// let out = d.dedup("S'abonner\nThree.");
    /// assert!(out.removed()[0].is_boilerplate());
    /// ```
    pub fn is_boilerplate(&self) -> bool {
        self.boilerplate
    }

    /// How much of it the earlier paragraph contains, when it was removed as a near-duplicate
    /// (`None` for an exact repeat or boilerplate).
    ///
    /// ```
    /// use paradedup::{Deduper, NearDup};
    ///
    /// let mut d = Deduper::builder().near_duplicates(NearDup::new().meaning_guard(false)).build();
    /// let out = d.dedup("one two three four five six\none two three four five seven\n");
    /// let containment = out.removed()[0].containment().unwrap();
    /// assert_eq!((containment.shared, containment.total), (3, 4));
    /// ```
    pub fn containment(&self) -> Option<Containment> {
        self.containment
    }

    /// True when it was removed as a near-duplicate rather than an exact repeat.
    ///
    /// ```
    /// let out = paradedup::Deduper::builder().short_paragraphs(paradedup::ShortParagraphs::RemoveEveryRepeat).build().dedup("a\na");
    /// assert!(!out.removed()[0].is_near_duplicate());
    /// ```
    pub fn is_near_duplicate(&self) -> bool {
        self.containment.is_some()
    }

    /// Where the paragraph it repeats is, when the seen-set keeps origins (the default one
    /// does; a near-duplicate always has it).
    ///
    /// ```
    /// use paradedup::{Deduper, Origin, SeenSet};
    ///
    /// let out = Deduper::builder().short_paragraphs(paradedup::ShortParagraphs::RemoveEveryRepeat).build().dedup("a\nb\na");
    /// assert_eq!(out.removed()[0].first(), Some(Origin { document: 0, paragraph: 0 }));
    /// // A compact set keeps no origins.
    /// let mut compact = Deduper::builder().short_paragraphs(paradedup::ShortParagraphs::RemoveEveryRepeat).seen_set(SeenSet::exact()).build();
    /// assert_eq!(compact.dedup("a\na").removed()[0].first(), None);
    /// ```
    pub fn first(&self) -> Option<Origin> {
        self.first
    }
}

/// What became of one document: its kept text, the paragraphs removed and its counts.
///
/// This is the one result type: [`Deduper::dedup`](crate::Deduper::dedup) returns it,
/// [`Deduper::dedup_iter`](crate::Deduper::dedup_iter) yields it for each document of a
/// stream, and [`Deduper::dedup_batch`](crate::Deduper#method.dedup_batch) (feature `rayon`)
/// returns one per document of a batch.
///
/// The kept text is borrowed from the input when nothing was removed, so a result borrows the
/// input for `'t`; [`into_owned`](Deduplicated::into_owned) makes a `Deduplicated<'static>`
/// that outlives it (copying the text only when it is still borrowed).
///
/// ```
/// use paradedup::{Deduper, Deduplicated};
///
/// let mut d = Deduper::builder().short_paragraphs(paradedup::ShortParagraphs::RemoveEveryRepeat).build();
/// let kept: Deduplicated<'static> = {
///     let doc = String::from("Menu\nThe story.\nMenu\n");
///     d.dedup(&doc).into_owned()
/// };
/// assert_eq!(kept.text(), "Menu\nThe story.\n");
/// assert_eq!(kept.removed().len(), 1);
/// assert_eq!(kept.stats().duplicates, 1);
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Deduplicated<'t> {
    text: Cow<'t, str>,
    removed: Vec<Removed>,
    stats: Stats,
}

impl<'t> Deduplicated<'t> {
    /// The result for `document` with `removed` (in order) taken out.
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
    ///
    /// ```
    /// let out = paradedup::Deduper::builder().short_paragraphs(paradedup::ShortParagraphs::RemoveEveryRepeat).build().dedup("a\nb\na\n");
    /// assert_eq!(out.text(), "a\nb\n");
    /// ```
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The same result, owning its text: to keep it past the input's lifetime, send it
    /// elsewhere, or compare results of different inputs. The text is copied only when it was
    /// borrowed (nothing removed).
    ///
    /// ```
    /// use std::borrow::Cow;
    /// use paradedup::{Deduper, Deduplicated};
    ///
    /// let docs = vec![String::from("a\na"), String::from("b")];
    /// let mut d = Deduper::builder().short_paragraphs(paradedup::ShortParagraphs::RemoveEveryRepeat).build();
    /// let results: Vec<Deduplicated<'static>> =
    ///     docs.iter().map(|doc| d.dedup(doc).into_owned()).collect();
    /// drop(docs);
    /// assert_eq!(results[0].text(), "a\n");
    /// assert!(matches!(results[1].clone().into_text(), Cow::Owned(_)));
    /// ```
    pub fn into_owned(self) -> Deduplicated<'static> {
        Deduplicated {
            text: Cow::Owned(self.text.into_owned()),
            removed: self.removed,
            stats: self.stats,
        }
    }

    /// The kept text, owned or borrowed (borrowed when nothing was removed).
    ///
    /// ```
    /// use std::borrow::Cow;
    ///
    /// let mut d = paradedup::Deduper::builder().short_paragraphs(paradedup::ShortParagraphs::RemoveEveryRepeat).build();
    /// assert!(matches!(d.dedup("a\nb").into_text(), Cow::Borrowed("a\nb")));
    /// assert_eq!(d.dedup("a\na").into_text(), "a\n");
    /// ```
    pub fn into_text(self) -> Cow<'t, str> {
        self.text
    }

    /// The removed paragraphs, in document order; their spans are offsets into the input.
    ///
    /// ```
    /// let out = paradedup::Deduper::new().dedup("a\nb\na\nb");
    /// let indices: Vec<u64> = out.removed().iter().map(|r| r.index()).collect();
    /// assert_eq!(indices, [2, 3]);
    /// ```
    pub fn removed(&self) -> &[Removed] {
        &self.removed
    }

    /// This document's counts.
    ///
    /// ```
    /// let out = paradedup::Deduper::builder().short_paragraphs(paradedup::ShortParagraphs::RemoveEveryRepeat).build().dedup("a\nb\na\n***");
    /// let stats = out.stats();
    /// assert_eq!((stats.paragraphs, stats.duplicates, stats.exempt), (4, 1, 1));
    /// ```
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
