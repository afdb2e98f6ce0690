//! Verdicts: what became of each paragraph, as the decide path says it.

use super::engine::{Deduper, Lookahead};
use crate::fingerprint::Fingerprint;
use crate::near::Containment;
use crate::seen::Origin;
use crate::split::Paragraph;

/// What became of one paragraph.
///
/// ```
/// use paradedup::{Deduper, Origin, Status};
///
/// let mut d = Deduper::builder().short_paragraphs(paradedup::ShortParagraphs::RemoveEveryRepeat).build();
/// let statuses: Vec<Status> = d.verdicts("Hello\n***\nhello!").map(|v| v.status()).collect();
/// assert!(matches!(statuses[0], Status::Kept { .. }));
/// assert_eq!(statuses[1], Status::Exempt);
/// let Status::Duplicate { first, .. } = statuses[2] else { panic!() };
/// assert_eq!(first, Some(Origin { document: 0, paragraph: 0 }));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Status {
    /// First occurrence: kept and recorded.
    Kept {
        /// The paragraph's fingerprint.
        fingerprint: Fingerprint,
    },
    /// A repeat of an earlier paragraph: removed.
    Duplicate {
        /// The paragraph's fingerprint.
        fingerprint: Fingerprint,
        /// Where the first occurrence is; `None` when the seen-set does not keep origins (a
        /// compact or Bloom set, or one loaded from a file).
        first: Option<Origin>,
    },
    /// A near-duplicate: most of its shingles are in one earlier paragraph (see
    /// [`NearDup`](crate::NearDup)). Removed.
    NearDuplicate {
        /// The paragraph's fingerprint.
        fingerprint: Fingerprint,
        /// Where the earlier paragraph that contains it is.
        first: Origin,
        /// How much of this paragraph the earlier one contains.
        containment: Containment,
    },
    /// Boilerplate: found in at least the threshold number of documents of the counting pass,
    /// and removed by the [`BoilerplatePolicy`](crate::BoilerplatePolicy).
    Boilerplate {
        /// The paragraph's fingerprint.
        fingerprint: Fingerprint,
        /// How many documents contain it.
        documents: u32,
    },
    /// Never a duplicate: its normalized form is empty (a line of `***`) or shorter than
    /// `min_chars`. Kept and not recorded.
    Exempt,
}

impl Status {
    /// True when the paragraph is removed: a duplicate, a near-duplicate or boilerplate.
    ///
    /// ```
    /// let removed: Vec<bool> = paradedup::Deduper::builder().short_paragraphs(paradedup::ShortParagraphs::RemoveEveryRepeat).build()
    ///     .verdicts("a\n***\na")
    ///     .map(|v| v.status().is_removed())
    ///     .collect();
    /// assert_eq!(removed, [false, false, true]);
    /// ```
    pub fn is_removed(&self) -> bool {
        matches!(
            self,
            Status::Duplicate { .. } | Status::NearDuplicate { .. } | Status::Boilerplate { .. }
        )
    }

    /// The status's canonical name, as reports and [`Display`](core::fmt::Display) write it:
    /// `kept`, `duplicate`, `near-duplicate`, `boilerplate` or `exempt`.
    ///
    /// Words are joined by `-`, as in every setting's name (see [`Unit`](crate::Unit)'s
    /// `FromStr`). A caller that writes Python identifiers (the bindings' `near_duplicate`)
    /// replaces `-` with `_`.
    ///
    /// ```
    /// use paradedup::{Deduper, NearDup};
    ///
    /// let mut d = Deduper::builder().short_paragraphs(paradedup::ShortParagraphs::RemoveEveryRepeat).near_duplicates(NearDup::new().meaning_guard(false)).build();
    /// let names: Vec<&str> = d
    ///     .verdicts("one two three four five six\none two three four five seven\n***\n***")
    ///     .map(|v| v.status().name())
    ///     .collect();
    /// assert_eq!(names, ["kept", "near-duplicate", "exempt", "exempt"]);
    /// assert_eq!(d.verdicts("a\na").last().unwrap().status().to_string(), "duplicate");
    /// ```
    pub fn name(&self) -> &'static str {
        match self {
            Status::Kept { .. } => "kept",
            Status::Duplicate { .. } => "duplicate",
            Status::NearDuplicate { .. } => "near-duplicate",
            Status::Boilerplate { .. } => "boilerplate",
            Status::Exempt => "exempt",
        }
    }
}

/// Writes the status's [`name`](Status::name), without its fields.
///
/// ```
/// let v = paradedup::Deduper::new().verdicts("a").next().unwrap();
/// assert_eq!(format!("{}", v.status()), "kept");
/// ```
impl core::fmt::Display for Status {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(self.name())
    }
}

/// The verdict on one paragraph, as [`Deduper::verdicts`] yields it: the paragraph (borrowed
/// from the document), its number and its [`Status`].
///
/// ```
/// let mut d = paradedup::Deduper::new();
/// let doc = "Title\nBody.\nTITLE";
/// for v in d.verdicts(doc) {
///     let mark = if v.is_removed() { "-" } else { " " };
///     println!("{mark} {} {}", v.index(), v.paragraph().as_str());
/// }
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Verdict<'t> {
    paragraph: Paragraph<'t>,
    index: u64,
    status: Status,
}

impl<'t> Verdict<'t> {
    /// Settles the status anew (the short-paragraph rule keeps some repeats).
    pub(crate) fn set_status(&mut self, status: Status) {
        self.status = status;
    }

    pub(crate) fn new(paragraph: Paragraph<'t>, index: u64, status: Status) -> Verdict<'t> {
        Verdict {
            paragraph,
            index,
            status,
        }
    }

    /// The paragraph judged.
    ///
    /// ```
    /// let doc = "a\n  b  ";
    /// let mut d = paradedup::Deduper::new();
    /// let last = d.verdicts(doc).last().unwrap();
    /// assert_eq!(last.paragraph().as_str(), "b");
    /// assert_eq!(&doc[last.paragraph().span()], "b");
    /// ```
    pub fn paragraph(&self) -> Paragraph<'t> {
        self.paragraph
    }

    /// The paragraph's number in its document, from 0.
    ///
    /// ```
    /// let mut d = paradedup::Deduper::new();
    /// let indices: Vec<u64> = d.verdicts("a\n\nb\nc").map(|v| v.index()).collect();
    /// assert_eq!(indices, [0, 1, 2]);
    /// ```
    pub fn index(&self) -> u64 {
        self.index
    }

    /// What became of it.
    ///
    /// ```
    /// use paradedup::{Deduper, Status};
    ///
    /// let mut d = Deduper::new();
    /// assert_eq!(d.verdicts("---").next().unwrap().status(), Status::Exempt);
    /// ```
    pub fn status(&self) -> Status {
        self.status
    }

    /// True when the paragraph is removed as an exact repeat (not as a near-duplicate or
    /// boilerplate: see [`is_removed`](Self::is_removed) for any removal).
    ///
    /// ```
    /// let mut d = paradedup::Deduper::builder().short_paragraphs(paradedup::ShortParagraphs::RemoveEveryRepeat).build();
    /// let duplicates: Vec<bool> = d.verdicts("a\nb\nA").map(|v| v.is_duplicate()).collect();
    /// assert_eq!(duplicates, [false, false, true]);
    /// ```
    pub fn is_duplicate(&self) -> bool {
        matches!(self.status, Status::Duplicate { .. })
    }

    /// True when the paragraph is removed from the kept text, for any reason: an exact repeat,
    /// a near-duplicate or boilerplate (the same as [`Status::is_removed`]). This is what
    /// [`Deduper::dedup`](crate::Deduper::dedup) leaves out; [`is_duplicate`](Self::is_duplicate)
    /// is only the exact repeats.
    ///
    /// ```
    /// use paradedup::{Deduper, NearDup};
    ///
    /// let mut d = Deduper::builder().near_duplicates(NearDup::new().meaning_guard(false)).build();
    /// let doc = "one two three four five six\none two three four five seven\none two three four five six";
    /// let removed: Vec<bool> = d.verdicts(doc).map(|v| v.is_removed()).collect();
    /// let exact: Vec<bool> = d.verdicts(doc).map(|v| v.is_duplicate()).collect();
    /// assert_eq!(removed, [false, true, true]);
    /// assert_eq!(exact, [false, false, true]);
    /// ```
    pub fn is_removed(&self) -> bool {
        self.status.is_removed()
    }

    /// The paragraph's fingerprint; `None` when it is exempt.
    ///
    /// ```
    /// use paradedup::{Deduper, Fingerprint};
    ///
    /// let mut d = Deduper::new();
    /// let fps: Vec<_> = d.verdicts("Hi!\n***").map(|v| v.fingerprint()).collect();
    /// assert_eq!(fps, [Some(Fingerprint::of("hi")), None]);
    /// ```
    pub fn fingerprint(&self) -> Option<Fingerprint> {
        match self.status {
            Status::Kept { fingerprint }
            | Status::Duplicate { fingerprint, .. }
            | Status::NearDuplicate { fingerprint, .. }
            | Status::Boilerplate { fingerprint, .. } => Some(fingerprint),
            Status::Exempt => None,
        }
    }
}

/// The verdicts on a document's paragraphs, in order; see [`Deduper::verdicts`].
///
/// It borrows the deduper mutably: each paragraph is recorded as it is judged, so a paragraph
/// the iterator never reaches is neither recorded nor counted.
///
/// ```
/// let mut d = paradedup::Deduper::new();
/// let removed = d.verdicts("a\nb\na\nb").filter(|v| v.is_removed()).count();
/// assert_eq!(removed, 2);
/// assert_eq!(d.stats().duplicates, 2);
/// ```
#[derive(Debug)]
pub struct Verdicts<'d, 't> {
    deduper: &'d mut Deduper,
    lookahead: Lookahead<'t>,
    /// The current window of the document's verdicts, decided together, when the
    /// short-paragraph rule needs them.
    settled: Option<std::vec::IntoIter<Verdict<'t>>>,
    /// The first verdict of the next window, decided already.
    carry: Option<Verdict<'t>>,
    /// Whether a window follows the current one.
    more: bool,
}

impl<'d, 't> Verdicts<'d, 't> {
    /// The verdicts `deduper` gives on the document `lookahead` walks.
    pub(super) fn new(deduper: &'d mut Deduper, lookahead: Lookahead<'t>) -> Verdicts<'d, 't> {
        Verdicts {
            deduper,
            lookahead,
            settled: None,
            carry: None,
            more: true,
        }
    }
}

impl<'t> Iterator for Verdicts<'_, 't> {
    type Item = Verdict<'t>;

    fn next(&mut self) -> Option<Verdict<'t>> {
        if !self.deduper.decides_whole_documents() {
            return self.deduper.next_verdict(&mut self.lookahead);
        }
        loop {
            if let Some(verdict) = self.settled.as_mut().and_then(Iterator::next) {
                return Some(verdict);
            }
            if !self.more {
                return None;
            }
            let starts_document = self.settled.is_none();
            let (window, more) =
                self.deduper
                    .decide_window(&mut self.lookahead, &mut self.carry, starts_document);
            self.settled = Some(window.into_iter());
            self.more = more;
        }
    }
}

impl core::iter::FusedIterator for Verdicts<'_, '_> {}
