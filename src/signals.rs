//! Per-document signals: how much of a document dedup removed, and the repetition measures
//! other pipelines filter on (Gopher's, FineWeb's, CCNet's), so a document can be kept or
//! dropped on them without running those tools.
//!
//! ```
//! use paradedup::{Deduper, Signals, Unit, ShortParagraphs};
//!
//! let doc = "Menu\nThe story.\nMenu\n";
//! let out = Deduper::builder().short_paragraphs(ShortParagraphs::RemoveEveryRepeat).build().dedup(doc);
//! let signals = Signals::new(doc, &out, Unit::Lines);
//! assert_eq!(signals.removed_paragraph_fraction(), 1.0 / 3.0);
//! assert_eq!(signals.removed_char_fraction(), 4.0 / 18.0);
//! // Gopher's lines are the pieces between runs of `\n`: the last one is "".
//! assert_eq!(signals.dup_line_frac(), 1.0 / 4.0);
//! ```
//!
//! The removed fractions come from the dedup result (its spans), with the engine's own
//! paragraphs and normalization: nothing is normalized again. The Gopher and FineWeb measures
//! are defined on the raw text, exactly as those filters compute them (a line is its bytes, not
//! its normalized form), so their thresholds keep their published meaning; they cost a hash
//! of each line and of each Gopher paragraph, and no copy of the text.

use std::collections::HashSet;

use crate::boilerplate::DocumentFrequency;
use crate::dedup::Deduplicated;
use crate::fingerprint::{Fingerprint, FingerprintBuildHasher};
use crate::span::Span;
use crate::split::{paragraphs_of, Unit};

/// What dedup removed from one document, and its repetition measures.
///
/// Every count is in code points (Python's `len`), never bytes, so the fractions match the
/// tools that define them. Each fraction is 0 when its denominator is 0 (an empty document),
/// where the Python originals would divide by zero.
///
/// - **Removed**: [`removed_paragraph_fraction`](Signals::removed_paragraph_fraction) and
///   [`removed_char_fraction`](Signals::removed_char_fraction), over the engine's paragraphs,
///   counting each paragraph's own text (its [span](crate::Paragraph::span), not its line
///   breaks or surrounding whitespace).
/// - **Gopher** (MassiveText, Rae et al. 2021, Table A1; as datatrove's
///   `GopherRepetitionFilter` computes them): lines are the pieces of the text split at runs of
///   `\n` (`re.split("\n+", text)`), paragraphs the pieces of the stripped text split at runs
///   of two or more `\n` (`re.split("\n{2,}", text.strip())`). A piece is a duplicate when an
///   identical piece came before it in the document: the first occurrence does not count, the
///   second and later ones do. [`dup_line_frac`](Signals::dup_line_frac) and
///   [`dup_para_frac`](Signals::dup_para_frac) divide the duplicates by the number of pieces;
///   [`dup_line_char_frac`](Signals::dup_line_char_frac) and
///   [`dup_para_char_frac`](Signals::dup_para_char_frac) divide their code points by the
///   document's.
/// - **FineWeb** (datatrove's `FineWebQualityFilter`): [`char_dup_ratio`](Signals::char_dup_ratio)
///   is the code points of duplicate lines (the text split at each `\n`, blank lines left
///   out, the same first-occurrence rule) over the document's code points other than `\n`.
/// - **CCNet**: [`original_nlines`](Signals::original_nlines) (`len(text.split("\n"))`) and
///   [`original_length`](Signals::original_length) (`len(text)`), as CCNet records them before
///   its dedup.
///
/// ```
/// use paradedup::{Deduper, Signals, Unit, ShortParagraphs};
///
/// let doc = "Share\n\nA story.\n\nShare\n";
/// let signals = Signals::new(doc, &Deduper::builder().short_paragraphs(ShortParagraphs::RemoveEveryRepeat).build().dedup(doc), Unit::Lines);
/// assert_eq!((signals.paragraphs, signals.removed_paragraphs), (3, 1));
/// assert_eq!((signals.gopher_lines, signals.gopher_dup_lines), (4, 1)); // the last is ""
/// assert_eq!((signals.gopher_paragraphs, signals.gopher_dup_paragraphs), (3, 1));
/// assert_eq!(signals.original_length, 23);
/// assert_eq!(signals.char_dup_ratio(), 5.0 / 18.0);
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct Signals {
    /// Paragraphs of the document, as the engine's [`Unit`] splits it.
    pub paragraphs: u64,
    /// Paragraphs removed.
    pub removed_paragraphs: u64,
    /// Code points of every paragraph's own text (its span).
    pub paragraph_chars: u64,
    /// Code points of the removed paragraphs' own text.
    pub removed_chars: u64,
    /// Lines as CCNet counts them: `\n` characters plus one.
    pub original_nlines: u64,
    /// Code points of the whole document, as CCNet's `original_length`.
    pub original_length: u64,
    /// Gopher's lines: the pieces between runs of `\n`.
    pub gopher_lines: u64,
    /// Gopher's lines identical to an earlier line.
    pub gopher_dup_lines: u64,
    /// Code points of [`gopher_dup_lines`](Signals::gopher_dup_lines).
    pub gopher_dup_line_chars: u64,
    /// Gopher's paragraphs: the pieces of the stripped text between runs of two or more `\n`.
    pub gopher_paragraphs: u64,
    /// Gopher's paragraphs identical to an earlier paragraph.
    pub gopher_dup_paragraphs: u64,
    /// Code points of [`gopher_dup_paragraphs`](Signals::gopher_dup_paragraphs).
    pub gopher_dup_paragraph_chars: u64,
    /// Code points of FineWeb's duplicate lines (non-blank lines split at each `\n`, identical
    /// to an earlier one).
    pub fineweb_dup_line_chars: u64,
}

impl Signals {
    /// The signals of `document` after dedup gave `result`; `unit` must be the one the deduper
    /// split it with ([`Deduper::unit`](crate::Deduper::unit)).
    ///
    /// ```
    /// use paradedup::{Deduper, Signals, ShortParagraphs};
    ///
    /// let mut deduper = Deduper::builder().short_paragraphs(ShortParagraphs::RemoveEveryRepeat).build();
    /// let doc = "é\nb\né";
    /// let signals = Signals::new(doc, &deduper.dedup(doc), deduper.unit());
    /// assert_eq!((signals.paragraph_chars, signals.removed_chars), (3, 1));
    /// ```
    pub fn new(document: &str, result: &Deduplicated<'_>, unit: Unit) -> Signals {
        Signals::from_removed(document, result.removed().iter().map(|r| r.span()), unit)
    }

    /// The signals of `document` with the given paragraphs removed, each given by its
    /// [span](crate::Removed::span) or its [extent](crate::Removed::extent) (whitespace around
    /// a paragraph is never its own text, so either gives the same counts): for callers that
    /// keep only the removed extents, as a writer splicing the kept text does. A span that is
    /// not in `document` (out of bounds, or off a `char` boundary) is passed over, never a
    /// panic.
    ///
    /// ```
    /// use paradedup::{Deduper, Signals, Unit, ShortParagraphs};
    ///
    /// let doc = "a\n\n  a  \n\nb";
    /// let out = Deduper::builder().short_paragraphs(ShortParagraphs::RemoveEveryRepeat).build().dedup(doc);
    /// let by_span = Signals::new(doc, &out, Unit::Lines);
    /// let by_extent = Signals::from_removed(doc, out.removed().iter().map(|r| r.extent()), Unit::Lines);
    /// assert_eq!(by_span, by_extent);
    /// assert_eq!(by_span.removed_chars, 1);
    /// ```
    pub fn from_removed(
        document: &str,
        removed: impl IntoIterator<Item = Span>,
        unit: Unit,
    ) -> Signals {
        let mut signals = Signals::default();
        for cut in removed {
            let Some(text) = document.get(cut.range()) else {
                continue;
            };
            signals.removed_paragraphs += 1;
            signals.removed_chars += chars(text.trim());
        }
        for paragraph in paragraphs_of(document, unit) {
            signals.paragraphs += 1;
            signals.paragraph_chars += chars(paragraph.as_str());
        }
        let newlines = bytecount(document.as_bytes(), b'\n');
        signals.original_nlines = newlines + 1;
        signals.original_length = chars(document);
        signals.lines(document);
        signals.gopher_paragraphs(document);
        signals
    }

    /// Gopher's lines, `re.split("\n+", text)`, and FineWeb's, `text.split("\n")` without
    /// the blank ones, in one pass: Gopher's are the pieces between `\n`s that are not empty,
    /// and the first and last even when empty. A FineWeb line is not blank, so it is one of
    /// Gopher's, and the earlier lines equal to it are not blank either: one set of the lines
    /// seen serves both.
    fn lines(&mut self, document: &str) {
        let mut seen = HashSet::with_hasher(FingerprintBuildHasher::default());
        let mut pieces = document.split('\n').peekable();
        let mut first = true;
        while let Some(line) = pieces.next() {
            let last = pieces.peek().is_none();
            if line.is_empty() && !first && !last {
                continue;
            }
            first = false;
            self.gopher_lines += 1;
            // 128-bit hashes stand for the lines: no collision is expected in any document.
            if !seen.insert(Fingerprint::of(line)) {
                let n = chars(line);
                self.gopher_dup_lines += 1;
                self.gopher_dup_line_chars += n;
                if !line.trim_matches(python_space).is_empty() {
                    self.fineweb_dup_line_chars += n;
                }
            }
        }
    }

    /// Gopher's paragraphs, `re.split("\n{2,}", text.strip())`, with Python's idea of
    /// whitespace.
    fn gopher_paragraphs(&mut self, document: &str) {
        let mut seen = HashSet::with_hasher(FingerprintBuildHasher::default());
        let mut rest = document.trim_matches(python_space);
        loop {
            let (piece, next) = match rest.find("\n\n") {
                Some(at) => (&rest[..at], Some(rest[at..].trim_start_matches('\n'))),
                None => (rest, None),
            };
            self.gopher_paragraphs += 1;
            if !seen.insert(Fingerprint::of(piece)) {
                self.gopher_dup_paragraphs += 1;
                self.gopher_dup_paragraph_chars += chars(piece);
            }
            match next {
                Some(next) => rest = next,
                None => break,
            }
        }
    }

    /// Removed paragraphs over paragraphs.
    ///
    /// ```
    /// use paradedup::{Deduper, Signals, Unit, ShortParagraphs};
    ///
    /// let doc = "a\na\na\nb";
    /// let signals = Signals::new(doc, &Deduper::builder().short_paragraphs(ShortParagraphs::RemoveEveryRepeat).build().dedup(doc), Unit::Lines);
    /// assert_eq!(signals.removed_paragraph_fraction(), 0.5);
    /// ```
    pub fn removed_paragraph_fraction(&self) -> f64 {
        ratio(self.removed_paragraphs, self.paragraphs)
    }

    /// Code points of the removed paragraphs' own text over those of every paragraph.
    ///
    /// ```
    /// use paradedup::{Deduper, Signals, Unit, ShortParagraphs};
    ///
    /// let doc = "a long line\nshort\na long line\n";
    /// let signals = Signals::new(doc, &Deduper::builder().short_paragraphs(ShortParagraphs::RemoveEveryRepeat).build().dedup(doc), Unit::Lines);
    /// assert_eq!(signals.removed_char_fraction(), 11.0 / 27.0);
    /// ```
    pub fn removed_char_fraction(&self) -> f64 {
        ratio(self.removed_chars, self.paragraph_chars)
    }

    /// Gopher's duplicate line fraction: duplicate lines over lines.
    ///
    /// ```
    /// use paradedup::{Deduper, Signals, Unit, ShortParagraphs};
    ///
    /// let doc = "x\ny\nx\nx";
    /// let signals = Signals::new(doc, &Deduper::builder().short_paragraphs(ShortParagraphs::RemoveEveryRepeat).build().dedup(doc), Unit::Lines);
    /// assert_eq!(signals.dup_line_frac(), 0.5);
    /// ```
    pub fn dup_line_frac(&self) -> f64 {
        ratio(self.gopher_dup_lines, self.gopher_lines)
    }

    /// Gopher's duplicate line character fraction: code points of duplicate lines over the
    /// document's.
    ///
    /// ```
    /// use paradedup::{Deduper, Signals, Unit, ShortParagraphs};
    ///
    /// let doc = "ab\nab";
    /// let signals = Signals::new(doc, &Deduper::builder().short_paragraphs(ShortParagraphs::RemoveEveryRepeat).build().dedup(doc), Unit::Lines);
    /// assert_eq!(signals.dup_line_char_frac(), 2.0 / 5.0);
    /// ```
    pub fn dup_line_char_frac(&self) -> f64 {
        ratio(self.gopher_dup_line_chars, self.original_length)
    }

    /// Gopher's duplicate paragraph fraction: duplicate paragraphs over paragraphs.
    ///
    /// ```
    /// use paradedup::{Deduper, Signals, Unit, ShortParagraphs};
    ///
    /// let doc = "p\n\nq\n\n\np";
    /// let signals = Signals::new(doc, &Deduper::builder().short_paragraphs(ShortParagraphs::RemoveEveryRepeat).build().dedup(doc), Unit::Lines);
    /// assert_eq!(signals.dup_para_frac(), 1.0 / 3.0);
    /// ```
    pub fn dup_para_frac(&self) -> f64 {
        ratio(self.gopher_dup_paragraphs, self.gopher_paragraphs)
    }

    /// Gopher's duplicate paragraph character fraction: code points of duplicate paragraphs
    /// over the document's.
    ///
    /// ```
    /// use paradedup::{Deduper, Signals, Unit, ShortParagraphs};
    ///
    /// let doc = "p\n\np";
    /// let signals = Signals::new(doc, &Deduper::builder().short_paragraphs(ShortParagraphs::RemoveEveryRepeat).build().dedup(doc), Unit::Lines);
    /// assert_eq!(signals.dup_para_char_frac(), 1.0 / 4.0);
    /// ```
    pub fn dup_para_char_frac(&self) -> f64 {
        ratio(self.gopher_dup_paragraph_chars, self.original_length)
    }

    /// FineWeb's `char_dup_ratio`: code points of duplicate non-blank lines over the
    /// document's code points other than `\n`.
    ///
    /// ```
    /// use paradedup::{Deduper, Signals, Unit, ShortParagraphs};
    ///
    /// let doc = "ab\n\nab\n";
    /// let signals = Signals::new(doc, &Deduper::builder().short_paragraphs(ShortParagraphs::RemoveEveryRepeat).build().dedup(doc), Unit::Lines);
    /// assert_eq!(signals.char_dup_ratio(), 0.5);
    /// ```
    pub fn char_dup_ratio(&self) -> f64 {
        let newlines = self.original_nlines.saturating_sub(1);
        ratio(
            self.fineweb_dup_line_chars,
            self.original_length.saturating_sub(newlines),
        )
    }

    /// For each paragraph kept in `document` (all but the `removed` ones, given by their spans
    /// or extents as for [`from_removed`](Signals::from_removed)), in order: its span, and the
    /// number of documents of the corpus it stands in, from the counts of a first pass over
    /// the whole corpus (0 for a paragraph exempt from dedup, which is never counted).
    ///
    /// This needs two passes: in one streaming pass a kept paragraph is, in corpus scope, the
    /// first occurrence met so far, so its count up to this document is always 1, and the
    /// documents after it are not read yet. It fingerprints the kept paragraphs again under
    /// the counts' settings (a dedup result holds the removed ones only), so it costs a
    /// normalization per kept paragraph: ask for it only when it is wanted.
    ///
    /// ```
    /// use paradedup::{Deduper, DocumentFrequency, Scope, Signals, Span, ShortParagraphs};
    ///
    /// let corpus = ["Menu\nOne.\nMenu", "Menu\nTwo.", "Menu\nThree."];
    /// let mut deduper = Deduper::builder().scope(Scope::Corpus).short_paragraphs(ShortParagraphs::RemoveEveryRepeat).build();
    /// let mut counts = DocumentFrequency::new(deduper.settings());
    /// corpus.iter().for_each(|doc| counts.count(doc));
    /// let first = deduper.dedup(corpus[0]);
    /// let removed = first.removed().iter().map(|r| r.span());
    /// let kept = Signals::kept_document_counts(corpus[0], removed, &counts);
    /// assert_eq!(kept, [(Span::new(0, 4), 3), (Span::new(5, 9), 1)]);
    /// ```
    pub fn kept_document_counts(
        document: &str,
        removed: impl IntoIterator<Item = Span>,
        counts: &DocumentFrequency,
    ) -> Vec<(Span, u32)> {
        let mut removed = removed.into_iter().peekable();
        let mut fingerprinter = counts.settings().fingerprinter();
        let mut out = Vec::new();
        for (paragraph, fingerprint) in fingerprinter.paragraphs(document) {
            let span = paragraph.span();
            // Removed spans come in order: pass over any that ends before this paragraph.
            while removed
                .peek()
                .is_some_and(|r| r.end <= span.start && !r.contains(span))
            {
                removed.next();
            }
            if removed.peek().is_some_and(|r| r.contains(span)) {
                removed.next();
                continue;
            }
            out.push((
                span,
                fingerprint.map_or(0, |fp| counts.documents_containing(fp)),
            ));
        }
        out
    }
}

/// Python's `str.isspace`: Unicode `White_Space` and the four information separators
/// U+001C..U+001F, which Python counts as whitespace and Unicode does not.
fn python_space(c: char) -> bool {
    c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c)
}

/// Code points of `text`: the bytes that do not continue a UTF-8 sequence.
fn chars(text: &str) -> u64 {
    text.as_bytes()
        .iter()
        .filter(|&&b| (b as i8) >= -0x40)
        .count() as u64
}

/// Occurrences of `byte` in `bytes`.
fn bytecount(bytes: &[u8], byte: u8) -> u64 {
    bytes.iter().filter(|&&b| b == byte).count() as u64
}

/// `part / whole`, 0 when `whole` is 0.
fn ratio(part: u64, whole: u64) -> f64 {
    if whole == 0 {
        0.0
    } else {
        part as f64 / whole as f64
    }
}
