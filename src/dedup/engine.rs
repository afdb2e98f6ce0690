//! The engine: a [`Deduper`] and its decide path, where every paragraph's fate is settled.
//!
//! Serial, streamed and batched callers all decide through [`Deduper::decide`], in input
//! order, which is why their answers are the same.

use std::sync::Arc;

use super::builder::{DeduperBuilder, Scope};
use super::result::{push_kept, Deduplicated, Removed};
use super::short::{ShortCounts, ShortParagraphs, Window, SETTLE_WINDOW};
use super::verdict::{Status, Verdict, Verdicts};
use crate::boilerplate::{BoilerplatePolicy, DocumentFrequency};
use crate::fingerprint::Fingerprint;
use crate::near::{NearDetector, NearDup};
use crate::normalize::{Normalizer, Scratch};
use crate::seen::{Origin, Seen, SeenSet};
use crate::settings::Settings;
use crate::split::{paragraphs_of, Paragraph, Paragraphs, Unit};
use crate::stats::Stats;

/// Removes repeated paragraphs, keeping the first occurrence and everything else byte for byte.
///
/// A deduper owns its configuration, its [`SeenSet`], a scratch buffer for normalization and
/// running [`Stats`]. Feed it documents in order with [`dedup`](Deduper::dedup) (kept text and
/// what was removed), [`dedup_into`](Deduper::dedup_into) (into a reused buffer) or
/// [`verdicts`](Deduper::verdicts) (one verdict per paragraph, no new text).
///
/// Any `&str` is valid input: no text makes it fail or panic.
///
/// ```
/// use paradedup::Deduper;
///
/// let mut deduper = Deduper::builder().short_paragraphs(paradedup::ShortParagraphs::RemoveEveryRepeat).build();
/// let doc = "Breaking news\nThe text.\nBreaking news\nMore text.";
/// let out = deduper.dedup(doc);
/// assert_eq!(out.text(), "Breaking news\nThe text.\nMore text.");
/// assert_eq!(out.removed().len(), 1);
/// ```
#[derive(Clone, Debug)]
pub struct Deduper {
    config: Config,
    seen: SeenSet,
    scratch: Scratch,
    stats: Stats,
    boilerplate: Option<Boilerplate>,
    near: Option<NearDetector>,
    /// In how many documents each short paragraph was met (corpus scope, many-documents
    /// evidence of the short-paragraph rule).
    short_counts: ShortCounts,
}

/// The second pass of boilerplate removal: counts from the first, and the rule to apply.
#[derive(Clone, Debug)]
struct Boilerplate {
    counts: Arc<DocumentFrequency>,
    min_documents: u32,
    policy: BoilerplatePolicy,
    /// First occurrences of boilerplate under [`BoilerplatePolicy::KeepFirst`], corpus-wide.
    seen: SeenSet,
}

/// The plain settings a [`DeduperBuilder`] collects and a [`Deduper`] keeps.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub(super) struct Config {
    /// What a fingerprint depends on.
    pub(super) settings: Settings,
    /// How far back repeats are looked for.
    pub(super) scope: Scope,
    /// Which short repeats are removed.
    pub(super) short: ShortParagraphs,
}

impl Default for Deduper {
    fn default() -> Deduper {
        Deduper::new()
    }
}

impl Deduper {
    /// The deduper a builder describes: `boilerplate` is the counts of a first pass with their
    /// threshold and policy, `near` the near-duplicate settings.
    pub(super) fn from_parts(
        config: Config,
        seen: SeenSet,
        boilerplate: Option<(Arc<DocumentFrequency>, u32, BoilerplatePolicy)>,
        near: Option<NearDup>,
    ) -> Deduper {
        Deduper {
            config,
            seen,
            scratch: Scratch::default(),
            stats: Stats::default(),
            boilerplate: boilerplate.map(|(counts, min_documents, policy)| Boilerplate {
                counts,
                min_documents,
                policy,
                seen: SeenSet::exact(),
            }),
            near: near.map(|near| NearDetector::new(near, config.scope == Scope::Corpus)),
            short_counts: ShortCounts::default(),
        }
    }

    /// A deduper with the defaults: [`Unit::Lines`], [`Normalizer::standard`],
    /// [`Scope::Document`], no `min_chars`.
    ///
    /// ```
    /// use paradedup::{Deduper, Normalizer, Scope, Unit};
    ///
    /// let d = Deduper::new();
    /// assert_eq!((d.unit(), d.scope(), d.min_chars()), (Unit::Lines, Scope::Document, 0));
    /// assert_eq!(d.normalizer(), Normalizer::standard());
    /// ```
    pub fn new() -> Deduper {
        DeduperBuilder::new().build()
    }

    /// A builder for the knobs.
    ///
    /// ```
    /// use paradedup::{Deduper, Normalizer, Scope, Unit};
    ///
    /// let deduper = Deduper::builder()
    ///     .unit(Unit::BlankLines)
    ///     .normalizer(Normalizer::standard().fold_digits(true))
    ///     .scope(Scope::Corpus)
    ///     .min_chars(20)
    ///     .build();
    /// assert_eq!(deduper.scope(), Scope::Corpus);
    /// ```
    pub fn builder() -> DeduperBuilder {
        DeduperBuilder::new()
    }

    /// What a paragraph is for this deduper.
    ///
    /// ```
    /// use paradedup::{Deduper, Unit};
    ///
    /// let d = Deduper::builder().unit(Unit::BlankLines).build();
    /// assert_eq!(d.unit(), Unit::BlankLines);
    /// ```
    pub fn unit(&self) -> Unit {
        self.config.settings.unit
    }

    /// How paragraphs are normalized before fingerprinting.
    ///
    /// ```
    /// use paradedup::{Deduper, Normalizer, Preset};
    ///
    /// let d = Deduper::builder().normalizer(Normalizer::ccnet()).build();
    /// assert_eq!(d.normalizer().preset(), Preset::Ccnet);
    /// ```
    pub fn normalizer(&self) -> Normalizer {
        self.config.settings.normalizer
    }

    /// The settings fingerprints depend on, as a seen-set file records them.
    ///
    /// ```
    /// use paradedup::{Deduper, Settings};
    ///
    /// let d = Deduper::builder().min_chars(10).build();
    /// assert_eq!(d.settings(), Settings { min_chars: 10, ..Settings::default() });
    /// ```
    pub fn settings(&self) -> Settings {
        self.config.settings
    }

    /// The deduper's seen-set, to save or merge.
    ///
    /// ```
    /// use paradedup::{Deduper, Fingerprint, Scope};
    ///
    /// let mut d = Deduper::builder().scope(Scope::Corpus).build();
    /// d.dedup("one\ntwo");
    /// let seen = d.into_seen();
    /// assert_eq!(seen.len(), 2);
    /// assert!(seen.contains(Fingerprint::of("one")));
    /// ```
    pub fn into_seen(self) -> SeenSet {
        self.seen
    }

    /// How far back repeats are looked for.
    ///
    /// ```
    /// use paradedup::{Deduper, Scope};
    ///
    /// assert_eq!(Deduper::new().scope(), Scope::Document);
    /// ```
    pub fn scope(&self) -> Scope {
        self.config.scope
    }

    /// Paragraphs whose normalized form has fewer characters than this are never duplicates.
    ///
    /// ```
    /// let d = paradedup::Deduper::builder().min_chars(5).build();
    /// assert_eq!(d.min_chars(), 5);
    /// ```
    pub fn min_chars(&self) -> usize {
        self.config.settings.min_chars
    }

    /// Which repeats of short paragraphs are removed (see [`ShortParagraphs`]).
    ///
    /// ```
    /// use paradedup::{Deduper, ShortParagraphs};
    ///
    /// assert_eq!(Deduper::new().short_paragraphs(), ShortParagraphs::in_boilerplate_blocks());
    /// ```
    pub fn short_paragraphs(&self) -> ShortParagraphs {
        self.config.short
    }

    /// True when each document is decided at once before its verdicts are given: the
    /// short-paragraph rule looks at the whole document.
    pub(crate) fn decides_whole_documents(&self) -> bool {
        self.config.short.needs_whole_document()
    }

    /// The next window of verdicts on the document `lookahead` walks (at most
    /// [`SETTLE_WINDOW`], beginning with `carry`), short repeats settled, and whether more
    /// follow. `carry` gets the first verdict of the next window, decided already.
    pub(super) fn decide_window<'t>(
        &mut self,
        lookahead: &mut Lookahead<'t>,
        carry: &mut Option<Verdict<'t>>,
        starts_document: bool,
    ) -> (Vec<Verdict<'t>>, bool) {
        let mut verdicts: Vec<Verdict<'t>> = carry.take().into_iter().collect();
        while verdicts.len() < SETTLE_WINDOW {
            match self.next_verdict(lookahead) {
                Some(verdict) => verdicts.push(verdict),
                None => break,
            }
        }
        if verdicts.len() == SETTLE_WINDOW {
            *carry = self.next_verdict(lookahead);
        }
        let more = carry.is_some();
        let window = Window {
            starts_document,
            ends_document: !more,
        };
        self.settle_short_window(&mut verdicts, lookahead.document, window);
        (verdicts, more)
    }

    /// Applies the short-paragraph rule to the raw verdicts of the whole document number
    /// `document`, and counts the repeats it keeps as kept.
    #[cfg(feature = "rayon")]
    pub(crate) fn settle_short(&mut self, verdicts: &mut [Verdict<'_>], document: u64) {
        self.settle_short_window(verdicts, document, Window::WHOLE);
    }

    /// [`Deduper::settle_short`] on verdicts that stand at `window` in their document.
    fn settle_short_window(&mut self, verdicts: &mut [Verdict<'_>], document: u64, window: Window) {
        let rule = self.config.short;
        if !rule.needs_whole_document() {
            return;
        }
        let counts = (self.config.scope == Scope::Corpus).then_some(&mut self.short_counts);
        for i in rule.revise(verdicts, document, window, counts) {
            let paragraph = verdicts[i].paragraph();
            self.stats.duplicates -= 1;
            self.stats.bytes_out += paragraph.extent().len() as u64;
            self.stats.removed_paragraph_bytes -= paragraph.span().len() as u64;
        }
    }

    /// The fingerprints seen so far (in document scope: those of the last document).
    ///
    /// ```
    /// use paradedup::{Deduper, Fingerprint};
    ///
    /// let mut d = Deduper::new();
    /// d.dedup("first\nshared");
    /// d.dedup("shared\nsecond");
    /// assert!(d.seen().contains(Fingerprint::of("second")));
    /// assert!(!d.seen().contains(Fingerprint::of("first"))); // forgotten between documents
    /// ```
    pub fn seen(&self) -> &SeenSet {
        &self.seen
    }

    /// The heap memory the near-duplicate index holds, in bytes; 0 when near-duplicates are
    /// not looked for. See [`NearDup`] for what a paragraph costs.
    ///
    /// ```
    /// use paradedup::{Deduper, NearDup, Scope};
    ///
    /// let mut d = Deduper::builder().scope(Scope::Corpus).near_duplicates(NearDup::new()).build();
    /// d.dedup("a paragraph of eight words to index here");
    /// assert!(d.near_memory_usage() > 6 * 8);
    /// assert_eq!(Deduper::new().near_memory_usage(), 0);
    /// ```
    pub fn near_memory_usage(&self) -> usize {
        self.near.as_ref().map_or(0, NearDetector::memory_usage)
    }

    /// The part of [`near_memory_usage`](Deduper::near_memory_usage) that holds the indexed
    /// paragraphs, without the buffers of the paragraph under judgement: the same whatever
    /// path (one call per document, or batches) the documents took.
    ///
    /// ```
    /// use paradedup::{Deduper, NearDup, Scope};
    ///
    /// let mut d = Deduper::builder().scope(Scope::Corpus).near_duplicates(NearDup::new()).build();
    /// d.dedup("a paragraph of eight words to index here");
    /// assert!(d.near_index_memory_usage() <= d.near_memory_usage());
    /// assert!(d.near_index_memory_usage() > 6 * 8);
    /// ```
    pub fn near_index_memory_usage(&self) -> usize {
        self.near
            .as_ref()
            .map_or(0, NearDetector::index_memory_usage)
    }

    /// Counts over every document given so far.
    ///
    /// ```
    /// let mut d = paradedup::Deduper::builder().short_paragraphs(paradedup::ShortParagraphs::RemoveEveryRepeat).build();
    /// d.dedup("a\na");
    /// d.dedup("b");
    /// assert_eq!((d.stats().documents, d.stats().duplicates), (2, 1));
    /// ```
    pub fn stats(&self) -> Stats {
        self.stats
    }

    /// Forgets every fingerprint and count, as if new; keeps the configuration and allocations.
    ///
    /// ```
    /// let mut d = paradedup::Deduper::new();
    /// d.dedup("a");
    /// d.reset();
    /// assert_eq!(d.stats().documents, 0);
    /// ```
    pub fn reset(&mut self) {
        self.seen.clear();
        if let Some(near) = &mut self.near {
            near.clear();
        }
        self.short_counts.clear();
        self.stats = Stats::default();
    }

    /// Judges each paragraph of `document` in order, without building new text.
    ///
    /// This is the report mode, for users who annotate rather than delete: each [`Verdict`]
    /// holds the paragraph, its spans and whether it is kept, exempt, or a duplicate of an
    /// earlier [`Origin`]. [`dedup`](Deduper::dedup) makes exactly the same decisions.
    ///
    /// The document counts as given when this is called. Paragraphs the iterator never reaches
    /// (if it is dropped early) are neither recorded nor counted as removed.
    ///
    /// ```
    /// use paradedup::{Deduper, Status};
    ///
    /// let mut d = Deduper::builder().short_paragraphs(paradedup::ShortParagraphs::RemoveEveryRepeat).build();
    /// let statuses: Vec<bool> = d
    ///     .verdicts("a\nb\nA\n***")
    ///     .map(|v| matches!(v.status(), Status::Duplicate { .. }))
    ///     .collect();
    /// assert_eq!(statuses, [false, false, true, false]);
    /// ```
    pub fn verdicts<'d, 't>(&'d mut self, document: &'t str) -> Verdicts<'d, 't> {
        let number = self.start_document(document.len());
        let lookahead = Lookahead::new(paragraphs_of(document, self.config.settings.unit), number);
        Verdicts::new(self, lookahead)
    }

    /// Removes the repeated paragraphs of `document`: the kept text, what was removed and why,
    /// and this document's counts.
    ///
    /// The kept text is borrowed when nothing was removed. Removing a paragraph removes its
    /// [`extent`](Paragraph::extent): its line(s), its line break and any blank lines up to the
    /// next paragraph, so no hole is left; every kept byte is the input's.
    ///
    /// ```
    /// use paradedup::{Deduper, Origin};
    ///
    /// let mut d = Deduper::builder().short_paragraphs(paradedup::ShortParagraphs::RemoveEveryRepeat).build();
    /// let out = d.dedup("Hello, world!\n\nhello world\nBye");
    /// assert_eq!(out.text(), "Hello, world!\n\nBye");
    /// let removed = &out.removed()[0];
    /// assert_eq!(removed.index(), 1);
    /// assert_eq!(removed.first(), Some(Origin { document: 0, paragraph: 0 }));
    /// ```
    pub fn dedup<'t>(&mut self, document: &'t str) -> Deduplicated<'t> {
        let (removed, stats) = self.removals(document);
        Deduplicated::new(document, removed, stats)
    }

    /// The removed paragraphs of `document` and its counts: [`dedup`](Deduper::dedup)
    /// without the kept text.
    pub(crate) fn removals(&mut self, document: &str) -> (Vec<Removed>, Stats) {
        let before = self.stats;
        let removed = self
            .verdicts(document)
            .filter_map(|v| Removed::from_verdict(&v))
            .collect();
        (removed, self.stats.since(before))
    }

    /// True when no decision depends on another document: document scope, and no
    /// corpus-wide record of boilerplate kept once. Not for a Bloom filter either, which
    /// may be large to copy into each worker (and gains nothing over an exact set inside one
    /// document).
    #[cfg(feature = "rayon")]
    pub(crate) fn decides_documents_apart(&self) -> bool {
        self.config.scope == Scope::Document
            && self.seen.kind() != crate::seen::SeenKind::Bloom
            && self
                .boilerplate
                .as_ref()
                .is_none_or(|b| b.policy == BoilerplatePolicy::DropAll)
    }

    /// A copy of this deduper, with nothing seen and no counts, for deciding documents apart
    /// from each other when [`decides_documents_apart`] holds.
    ///
    /// [`decides_documents_apart`]: Deduper::decides_documents_apart
    #[cfg(feature = "rayon")]
    pub(crate) fn independent_worker(&self) -> Deduper {
        let mut seen = self.seen.clone();
        seen.clear();
        Deduper {
            config: self.config,
            seen,
            scratch: Scratch::default(),
            stats: Stats::default(),
            boilerplate: self.boilerplate.clone(),
            near: self.near.clone(),
            short_counts: ShortCounts::default(),
        }
    }

    /// [`removals`](Deduper::removals) for a worker of [`independent_worker`]: `document` is
    /// given its number in the corpus, which first occurrences name.
    ///
    /// [`independent_worker`]: Deduper::independent_worker
    #[cfg(feature = "rayon")]
    pub(crate) fn removals_numbered(
        &mut self,
        document: &str,
        number: u64,
    ) -> (Vec<Removed>, Stats) {
        self.stats.documents = number;
        self.removals(document)
    }

    /// Adds counts of documents decided by workers (see [`independent_worker`]).
    ///
    /// [`independent_worker`]: Deduper::independent_worker
    #[cfg(feature = "rayon")]
    pub(crate) fn count_decided(&mut self, stats: Stats) {
        self.stats += stats;
    }

    /// Writes the kept text of `document` into `out`, replacing what it held, and returns this
    /// document's counts. Nothing is allocated once `out` and the seen-set have grown.
    ///
    /// ```
    /// let mut d = paradedup::Deduper::builder().short_paragraphs(paradedup::ShortParagraphs::RemoveEveryRepeat).build();
    /// let mut out = String::new();
    /// let stats = d.dedup_into("a\nb\na\n", &mut out);
    /// assert_eq!(out, "a\nb\n");
    /// assert_eq!(stats.duplicates, 1);
    /// ```
    pub fn dedup_into(&mut self, document: &str, out: &mut String) -> Stats {
        out.clear();
        let before = self.stats;
        let removed = self
            .verdicts(document)
            .filter(|v| v.is_removed())
            .map(|v| v.paragraph().extent());
        push_kept(document, removed, out);
        self.stats.since(before)
    }

    /// Counts a new document and, in document scope, forgets the last one; returns its number.
    pub(crate) fn start_document(&mut self, len: usize) -> u64 {
        if self.config.scope == Scope::Document {
            self.seen.clear();
            // One huge document must not make every later small one pay to clear its table.
            if self.seen.capacity() > 1 << 16 {
                self.seen.shrink_to(1 << 10);
            }
            if let Some(near) = &mut self.near {
                near.clear();
            }
        }
        let number = self.stats.documents;
        self.stats.documents += 1;
        self.stats.bytes_in += len as u64;
        self.stats.bytes_out += len as u64;
        number
    }

    /// Decides on a paragraph whose fingerprint is known (`None`: exempt), in input order:
    /// records it, counts it, and says what became of it. The serial and parallel paths both
    /// decide here, which is why their answers are the same. `normalized` is the paragraph's
    /// normalized form when the caller still has it (the near-duplicate stage needs it, and
    /// normalizes again when it is `None`).
    #[inline]
    pub(crate) fn decide(
        &mut self,
        paragraph: &Paragraph<'_>,
        fingerprint: Option<Fingerprint>,
        origin: Origin,
        normalized: Option<&[u8]>,
    ) -> Status {
        let status = match fingerprint {
            None => Status::Exempt,
            Some(fingerprint) => {
                self.boilerplate_status(fingerprint, origin)
                    .unwrap_or_else(|| match self.seen.record(fingerprint, origin) {
                        Seen::New => self
                            .near_status(paragraph, fingerprint, origin, normalized)
                            .unwrap_or(Status::Kept { fingerprint }),
                        Seen::Before(first) => Status::Duplicate { fingerprint, first },
                    })
            }
        };
        let stats = &mut self.stats;
        stats.paragraphs += 1;
        match status {
            Status::Duplicate { .. } => stats.duplicates += 1,
            Status::NearDuplicate { .. } => stats.near_duplicates += 1,
            Status::Boilerplate { .. } => stats.boilerplate += 1,
            Status::Exempt => stats.exempt += 1,
            Status::Kept { .. } => {}
        }
        if status.is_removed() {
            stats.bytes_out -= paragraph.extent().len() as u64;
            stats.removed_paragraph_bytes += paragraph.span().len() as u64;
        }
        status
    }

    /// The verdict on a paragraph new to the exact seen-set when near-duplicates are looked
    /// for: `None` when it is kept.
    #[inline]
    fn near_status(
        &mut self,
        paragraph: &Paragraph<'_>,
        fingerprint: Fingerprint,
        origin: Origin,
        normalized: Option<&[u8]>,
    ) -> Option<Status> {
        let near = self.near.as_mut()?;
        let normalizer = self.config.settings.normalizer;
        let (first, containment) =
            near.judge(paragraph.as_str(), normalized, normalizer, origin)?;
        Some(Status::NearDuplicate {
            fingerprint,
            first,
            containment,
        })
    }

    /// The verdict on a boilerplate paragraph, or `None` for one below the threshold.
    #[inline]
    fn boilerplate_status(&mut self, fingerprint: Fingerprint, origin: Origin) -> Option<Status> {
        let boilerplate = self.boilerplate.as_mut()?;
        let documents = boilerplate.counts.documents_containing(fingerprint);
        if documents < boilerplate.min_documents {
            return None;
        }
        Some(match boilerplate.policy {
            BoilerplatePolicy::DropAll => Status::Boilerplate {
                fingerprint,
                documents,
            },
            BoilerplatePolicy::KeepFirst => match boilerplate.seen.record(fingerprint, origin) {
                Seen::New => Status::Kept { fingerprint },
                Seen::Before(_) => Status::Boilerplate {
                    fingerprint,
                    documents,
                },
            },
        })
    }
}

/// The decide path's look-ahead over one document: paragraphs are fingerprinted a few ahead of
/// their decision, so that their seen-set lookups are in flight together.
#[derive(Debug)]
pub(super) struct Lookahead<'t> {
    paragraphs: Paragraphs<'t>,
    /// The document's number among those given.
    document: u64,
    /// Paragraphs fingerprinted ahead of their decision: a ring, from `decided` (the next to
    /// decide) up to `fingerprinted`, both counted from the document's start.
    ahead: [Option<(Paragraph<'t>, Option<Fingerprint>)>; LOOKAHEAD],
    decided: usize,
    fingerprinted: usize,
}

/// How many paragraphs are fingerprinted before the first of them is decided. Their seen-set
/// lookups are prefetched meanwhile, each about this many paragraphs before it is needed: a
/// set of millions of fingerprints is out of cache, and misses in flight together cost little
/// more than one.
const LOOKAHEAD: usize = 8;

impl<'t> Lookahead<'t> {
    /// Nothing fingerprinted yet of document number `document`.
    fn new(paragraphs: Paragraphs<'t>, document: u64) -> Lookahead<'t> {
        Lookahead {
            paragraphs,
            document,
            ahead: [None; LOOKAHEAD],
            decided: 0,
            fingerprinted: 0,
        }
    }
}

impl Deduper {
    /// Decides the next paragraph of the document `lookahead` walks, fingerprinting the ones
    /// after it meanwhile; `None` at the document's end.
    #[inline]
    pub(super) fn next_verdict<'t>(
        &mut self,
        lookahead: &mut Lookahead<'t>,
    ) -> Option<Verdict<'t>> {
        let settings = self.config.settings;
        // The near-duplicate stage wants each paragraph's normalized form, which only the last
        // fingerprinted paragraph still has: it looks one ahead only.
        let depth = if self.near.is_some() { 1 } else { LOOKAHEAD };
        while lookahead.fingerprinted - lookahead.decided < depth {
            let Some(paragraph) = lookahead.paragraphs.next() else {
                break;
            };
            let fingerprint = settings.fingerprint_into(paragraph.as_str(), &mut self.scratch);
            if let Some(fingerprint) = fingerprint {
                self.seen.prefetch(fingerprint);
            }
            lookahead.ahead[lookahead.fingerprinted % LOOKAHEAD] = Some((paragraph, fingerprint));
            // Halfway to its decision, a paragraph's first prefetch has arrived: the second
            // stage can look at what it brought.
            if let Some(halfway) = lookahead.fingerprinted.checked_sub(LOOKAHEAD / 2) {
                if let Some((_, Some(earlier))) = lookahead.ahead[halfway % LOOKAHEAD] {
                    if halfway >= lookahead.decided {
                        self.seen.prefetch_room(earlier);
                    }
                }
            }
            lookahead.fingerprinted += 1;
        }
        let (paragraph, fingerprint) = lookahead.ahead[lookahead.decided % LOOKAHEAD].take()?;
        let index = lookahead.decided as u64;
        lookahead.decided += 1;
        let origin = Origin {
            document: lookahead.document,
            paragraph: index,
        };
        let scratch = std::mem::take(&mut self.scratch);
        // The normalized form is still in `scratch` (see the depth above).
        let normalized =
            (self.near.is_some() && !settings.normalizer.is_identity()).then(|| scratch.as_bytes());
        let status = self.decide(&paragraph, fingerprint, origin, normalized);
        self.scratch = scratch;
        Some(Verdict::new(paragraph, index, status))
    }
}
