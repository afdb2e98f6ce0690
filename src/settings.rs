//! What a paragraph's fingerprint depends on, and the fingerprints of a text's paragraphs.

use crate::fingerprint::Fingerprint;
use crate::normalize::{Normalizer, Scratch};
use crate::split::{paragraphs_of, Paragraph, Paragraphs, Unit};

/// The settings a paragraph's fingerprint depends on: what a paragraph is, how it is
/// normalized, and which paragraphs are exempt. A seen-set file records them, and loading it
/// under other settings is an error, since its fingerprints would not match.
///
/// The short-paragraph rule ([`ShortParagraphs`](crate::ShortParagraphs)) is not among them:
/// it decides which repeats are removed, not what is fingerprinted or remembered (every
/// paragraph is recorded, whichever rule keeps it), so a seen-set saved under one rule loads
/// under any other and holds the same fingerprints. What no file carries over is the rule's
/// many-documents evidence (`documents=K`): its counts start again in each run, so a corpus
/// deduplicated in two runs may keep a short repeat that one run over it all would remove.
///
/// ```
/// use paradedup::{Deduper, Normalizer, Settings, Unit};
///
/// let d = Deduper::builder().normalizer(Normalizer::exact()).build();
/// assert_eq!(d.settings(), Settings { normalizer: Normalizer::exact(), ..Settings::default() });
/// assert_eq!(Settings::default().unit, Unit::Lines);
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Settings {
    /// What counts as a paragraph.
    pub unit: Unit,
    /// How paragraphs are normalized.
    pub normalizer: Normalizer,
    /// Paragraphs whose normalized form is shorter than this are exempt.
    pub min_chars: usize,
}

impl Settings {
    /// The fingerprint of a paragraph's normalized form, normalized into `scratch`; `None` when
    /// the paragraph is exempt (empty once normalized, or shorter than `min_chars`).
    #[inline]
    pub(crate) fn fingerprint_into(
        &self,
        paragraph: &str,
        scratch: &mut Scratch,
    ) -> Option<Fingerprint> {
        let normalized: &[u8] = if self.normalizer.is_identity() {
            paragraph.as_bytes()
        } else {
            self.normalizer.normalize_to(paragraph, scratch);
            scratch.as_bytes()
        };
        // Characters are counted as the bytes that do not continue one (UTF-8).
        let exempt = normalized.is_empty()
            || (self.min_chars > 0
                && normalized.iter().filter(|&&b| (b as i8) >= -0x40).count() < self.min_chars);
        (!exempt).then(|| Fingerprint::of_bytes(normalized))
    }
}

impl Settings {
    /// A [`Fingerprinter`] for these settings: the fingerprints a deduper with them computes,
    /// without deciding anything.
    ///
    /// ```
    /// use paradedup::{Fingerprint, Settings};
    ///
    /// let mut fingerprinter = Settings::default().fingerprinter();
    /// let a = fingerprinter.fingerprint("Hello, World!").unwrap();
    /// assert_eq!(Some(a), fingerprinter.fingerprint("hello world"));
    /// assert_eq!(fingerprinter.fingerprint("***"), None); // empty once normalized: exempt
    /// ```
    pub fn fingerprinter(self) -> Fingerprinter {
        Fingerprinter {
            settings: self,
            scratch: Scratch::default(),
        }
    }
}

/// Fingerprints paragraphs under given [`Settings`], reusing one normalization buffer.
///
/// This is what a [`Deduper`](crate::Deduper) computes before it decides: the map stage of a
/// distributed dedup, a seen-set built elsewhere, or a check of what two texts share. A
/// paragraph that is exempt (empty once normalized, or shorter than
/// [`Settings::min_chars`]) has no fingerprint and is never a repeat.
///
/// ```
/// use paradedup::{Settings, Unit};
///
/// let mut fingerprinter = Settings::default().fingerprinter();
/// let text = "Intro\n---\nINTRO";
/// let fps: Vec<_> = fingerprinter.paragraphs(text).map(|(p, fp)| (p.as_str(), fp)).collect();
/// assert_eq!(fps.len(), 3);
/// assert_eq!(fps[0].1, fps[2].1); // the same once normalized
/// assert_eq!(fps[1].1, None); // "---" is exempt
/// ```
#[derive(Clone, Debug)]
pub struct Fingerprinter {
    settings: Settings,
    scratch: Scratch,
}

impl Fingerprinter {
    /// The settings the fingerprints are computed under.
    pub fn settings(&self) -> Settings {
        self.settings
    }

    /// The fingerprint of one paragraph's text, or `None` when it is exempt.
    ///
    /// ```
    /// use paradedup::{Fingerprint, Normalizer, Settings};
    ///
    /// let exact = Settings { normalizer: Normalizer::exact(), ..Settings::default() };
    /// let mut fingerprinter = exact.fingerprinter();
    /// assert_eq!(fingerprinter.fingerprint("a b"), Some(Fingerprint::of("a b")));
    /// ```
    #[inline]
    pub fn fingerprint(&mut self, paragraph: &str) -> Option<Fingerprint> {
        self.settings.fingerprint_into(paragraph, &mut self.scratch)
    }

    /// Each paragraph of `text` (split by [`Settings::unit`]) with its fingerprint, in order.
    ///
    /// ```
    /// let mut fingerprinter = paradedup::Settings::default().fingerprinter();
    /// let (paragraph, fp) = fingerprinter.paragraphs("one\n\ntwo").nth(1).unwrap();
    /// assert_eq!(paragraph.as_str(), "two");
    /// assert!(fp.is_some());
    /// ```
    pub fn paragraphs<'f, 't>(&'f mut self, text: &'t str) -> Fingerprints<'f, 't> {
        Fingerprints {
            paragraphs: paragraphs_of(text, self.settings.unit),
            fingerprinter: self,
        }
    }
}

/// The paragraphs of a text with their fingerprints: see [`Fingerprinter::paragraphs`].
#[derive(Debug)]
pub struct Fingerprints<'f, 't> {
    paragraphs: Paragraphs<'t>,
    fingerprinter: &'f mut Fingerprinter,
}

impl<'t> Iterator for Fingerprints<'_, 't> {
    type Item = (Paragraph<'t>, Option<Fingerprint>);

    #[inline]
    fn next(&mut self) -> Option<Self::Item> {
        let paragraph = self.paragraphs.next()?;
        let fingerprint = self.fingerprinter.fingerprint(paragraph.as_str());
        Some((paragraph, fingerprint))
    }
}

impl core::iter::FusedIterator for Fingerprints<'_, '_> {}
