//! The dedup engine: paragraphs in, verdicts and kept text out.

use std::borrow::Cow;
use std::sync::Arc;

use crate::boilerplate::{BoilerplatePolicy, DocumentFrequency};
use crate::fingerprint::Fingerprint;
use crate::near::{Containment, NearDetector, NearDup};
use crate::normalize::{Normalizer, Scratch};
use crate::seen::{Origin, Seen, SeenSet};
use crate::settings::Settings;
use crate::span::Span;
use crate::split::{paragraphs_of, Paragraph, Paragraphs, Unit};
use crate::stats::Stats;

/// How far back a repeat is looked for.
///
/// ```
/// use paradedup::{Deduper, Scope};
///
/// let mut per_doc = Deduper::new(); // Scope::Document
/// per_doc.dedup("shared");
/// assert_eq!(per_doc.dedup("shared").text(), "shared");
///
/// let mut corpus = Deduper::builder().scope(Scope::Corpus).build();
/// corpus.dedup("shared");
/// assert_eq!(corpus.dedup("shared").text(), "");
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Scope {
    /// A paragraph repeats only an earlier paragraph of the same document; the deduper forgets
    /// everything between documents. The default.
    #[default]
    Document,
    /// A paragraph repeats any earlier paragraph of any earlier document given to this deduper.
    Corpus,
}

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
/// let mut deduper = Deduper::new();
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

/// Everything a [`DeduperBuilder`] collects.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
struct Config {
    settings: Settings,
    scope: Scope,
}

impl Default for Deduper {
    fn default() -> Deduper {
        Deduper::new()
    }
}

impl Deduper {
    /// A deduper with the defaults: [`Unit::Lines`], [`Normalizer::standard`],
    /// [`Scope::Document`], no `min_chars`.
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
    pub fn unit(&self) -> Unit {
        self.config.settings.unit
    }

    /// How paragraphs are normalized before fingerprinting.
    pub fn normalizer(&self) -> Normalizer {
        self.config.settings.normalizer
    }

    /// The settings fingerprints depend on, as a seen-set file records them.
    pub fn settings(&self) -> Settings {
        self.config.settings
    }

    /// The deduper's seen-set, to save or merge.
    pub fn into_seen(self) -> SeenSet {
        self.seen
    }

    /// How far back repeats are looked for.
    pub fn scope(&self) -> Scope {
        self.config.scope
    }

    /// Paragraphs whose normalized form has fewer characters than this are never duplicates.
    pub fn min_chars(&self) -> usize {
        self.config.settings.min_chars
    }

    /// The fingerprints seen so far (in document scope: those of the last document).
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

    /// Counts over every document given so far.
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
    /// let mut d = Deduper::new();
    /// let statuses: Vec<bool> = d
    ///     .verdicts("a\nb\nA\n***")
    ///     .map(|v| matches!(v.status(), Status::Duplicate { .. }))
    ///     .collect();
    /// assert_eq!(statuses, [false, false, true, false]);
    /// ```
    pub fn verdicts<'d, 't>(&'d mut self, document: &'t str) -> Verdicts<'d, 't> {
        let number = self.start_document(document.len());
        Verdicts {
            paragraphs: paragraphs_of(document, self.config.settings.unit),
            deduper: self,
            document: number,
            ahead: [None; LOOKAHEAD],
            decided: 0,
            fingerprinted: 0,
        }
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
    /// let mut d = Deduper::new();
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
    /// let mut d = paradedup::Deduper::new();
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
            .filter(|v| v.status.is_removed())
            .map(|v| v.paragraph.extent());
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

/// Appends `document` minus the `removed` extents (in increasing order) to `out`.
fn push_kept(document: &str, removed: impl Iterator<Item = Span>, out: &mut String) {
    let mut from = 0;
    for extent in removed {
        out.push_str(&document[from..extent.start]);
        from = extent.end;
    }
    out.push_str(&document[from..]);
}

/// Builds a [`Deduper`]; every setting has a default.
///
/// Setters take `&mut self` so one builder can make several dedupers.
#[derive(Clone, Debug, Default)]
pub struct DeduperBuilder {
    config: Config,
    seen: Option<SeenSet>,
    boilerplate: Option<(Arc<DocumentFrequency>, u32, BoilerplatePolicy)>,
    near: Option<NearDup>,
}

impl DeduperBuilder {
    /// A builder with every default.
    pub fn new() -> DeduperBuilder {
        DeduperBuilder::default()
    }

    /// What counts as a paragraph (default: [`Unit::Lines`]).
    pub fn unit(&mut self, unit: Unit) -> &mut DeduperBuilder {
        self.config.settings.unit = unit;
        self
    }

    /// How paragraphs are normalized before fingerprinting (default:
    /// [`Normalizer::standard`]).
    pub fn normalizer(&mut self, normalizer: Normalizer) -> &mut DeduperBuilder {
        self.config.settings.normalizer = normalizer;
        self
    }

    /// How far back repeats are looked for (default: [`Scope::Document`]).
    pub fn scope(&mut self, scope: Scope) -> &mut DeduperBuilder {
        self.config.scope = scope;
        self
    }

    /// Exempts paragraphs whose normalized form has fewer than `min_chars` characters: they are
    /// always kept and never recorded (default: 0, so only paragraphs that normalize to nothing
    /// are exempt).
    ///
    /// ```
    /// let mut d = paradedup::Deduper::builder().min_chars(5).build();
    /// assert_eq!(d.dedup("Oui\nOui\nBonjour\nBonjour\n").text(), "Oui\nOui\nBonjour\n");
    /// ```
    pub fn min_chars(&mut self, min_chars: usize) -> &mut DeduperBuilder {
        self.config.settings.min_chars = min_chars;
        self
    }

    /// The seen-set to start from (default: an empty [`SeenSet::new`], which keeps origins).
    ///
    /// Give [`SeenSet::exact`] for a large corpus (about a third of the memory, no origins),
    /// [`SeenSet::bloom`] for fixed memory, or a set loaded with [`SeenSet::load`] to
    /// deduplicate a new batch against an earlier one.
    ///
    /// ```
    /// use paradedup::{Deduper, Scope, SeenKind, SeenSet};
    ///
    /// let d = Deduper::builder().scope(Scope::Corpus).seen_set(SeenSet::exact()).build();
    /// assert_eq!(d.seen().kind(), SeenKind::Exact);
    /// ```
    pub fn seen_set(&mut self, seen: SeenSet) -> &mut DeduperBuilder {
        self.seen = Some(seen);
        self
    }

    /// Treats paragraphs found in at least `min_documents` documents of a first counting pass
    /// as boilerplate, and applies `policy` to them; see [`DocumentFrequency`].
    ///
    /// The counts must have been made under the same settings as this deduper's; paragraphs
    /// below the threshold are deduplicated as usual.
    pub fn boilerplate(
        &mut self,
        counts: Arc<DocumentFrequency>,
        min_documents: u32,
        policy: BoilerplatePolicy,
    ) -> &mut DeduperBuilder {
        self.boilerplate = Some((counts, min_documents.max(1), policy));
        self
    }

    /// Also removes near-duplicates: paragraphs most of whose shingles one earlier paragraph
    /// contains (off by default); see [`NearDup`] for the settings and what they cost.
    ///
    /// Exact repeats are still found first, on the fast path; only paragraphs new to the
    /// exact seen-set are shingled and looked up. The earlier paragraph is searched in the
    /// document or, in [`Scope::Corpus`], in every document so far.
    ///
    /// ```
    /// use paradedup::{Deduper, NearDup, Status};
    ///
    /// let mut d = Deduper::builder().near_duplicates(NearDup::new()).build();
    /// let statuses: Vec<Status> =
    ///     d.verdicts("Le Kremlin a salué les frappes britanniques en Syrie jeudi.
    ///                 Le Kremlin a salué les frappes britanniques en Syrie.")
    ///         .map(|v| v.status())
    ///         .collect();
    /// assert!(matches!(statuses[1], Status::NearDuplicate { .. }));
    /// ```
    pub fn near_duplicates(&mut self, near: NearDup) -> &mut DeduperBuilder {
        self.near = Some(near);
        self
    }

    /// The settings fingerprints will depend on, to load a seen-set made with them.
    pub fn settings(&self) -> Settings {
        self.config.settings
    }

    /// A deduper with these settings.
    pub fn build(&self) -> Deduper {
        Deduper {
            config: self.config,
            seen: self.seen.clone().unwrap_or_default(),
            scratch: Scratch::default(),
            stats: Stats::default(),
            boilerplate: self
                .boilerplate
                .clone()
                .map(|(counts, min_documents, policy)| Boilerplate {
                    counts,
                    min_documents,
                    policy,
                    seen: SeenSet::exact(),
                }),
            near: self
                .near
                .map(|near| NearDetector::new(near, self.config.scope == Scope::Corpus)),
        }
    }
}

/// What became of one paragraph.
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
    /// A near-duplicate: most of its shingles are in one earlier paragraph (see [`NearDup`]).
    /// Removed.
    NearDuplicate {
        /// The paragraph's fingerprint.
        fingerprint: Fingerprint,
        /// Where the earlier paragraph that contains it is.
        first: Origin,
        /// How much of this paragraph the earlier one contains.
        containment: Containment,
    },
    /// Boilerplate: found in at least the threshold number of documents of the counting pass,
    /// and removed by the [`BoilerplatePolicy`].
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
    pub fn is_removed(&self) -> bool {
        matches!(
            self,
            Status::Duplicate { .. } | Status::NearDuplicate { .. } | Status::Boilerplate { .. }
        )
    }
}

/// The verdict on one paragraph, as [`Deduper::verdicts`] yields it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Verdict<'t> {
    paragraph: Paragraph<'t>,
    index: u64,
    status: Status,
}

impl<'t> Verdict<'t> {
    pub(crate) fn new(paragraph: Paragraph<'t>, index: u64, status: Status) -> Verdict<'t> {
        Verdict {
            paragraph,
            index,
            status,
        }
    }

    /// The paragraph judged.
    pub fn paragraph(&self) -> Paragraph<'t> {
        self.paragraph
    }

    /// The paragraph's number in its document, from 0.
    pub fn index(&self) -> u64 {
        self.index
    }

    /// What became of it.
    pub fn status(&self) -> Status {
        self.status
    }

    /// True when the paragraph is removed as a repeat.
    pub fn is_duplicate(&self) -> bool {
        matches!(self.status, Status::Duplicate { .. })
    }

    /// The paragraph's fingerprint; `None` when it is exempt.
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
#[derive(Debug)]
pub struct Verdicts<'d, 't> {
    deduper: &'d mut Deduper,
    paragraphs: Paragraphs<'t>,
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

impl<'t> Iterator for Verdicts<'_, 't> {
    type Item = Verdict<'t>;

    fn next(&mut self) -> Option<Verdict<'t>> {
        let deduper = &mut *self.deduper;
        let settings = deduper.config.settings;
        // The near-duplicate stage wants each paragraph's normalized form, which only the last
        // fingerprinted paragraph still has: it looks one ahead only.
        let depth = if deduper.near.is_some() { 1 } else { LOOKAHEAD };
        while self.fingerprinted - self.decided < depth {
            let Some(paragraph) = self.paragraphs.next() else {
                break;
            };
            let fingerprint = settings.fingerprint_into(paragraph.as_str(), &mut deduper.scratch);
            if let Some(fingerprint) = fingerprint {
                deduper.seen.prefetch(fingerprint);
            }
            self.ahead[self.fingerprinted % LOOKAHEAD] = Some((paragraph, fingerprint));
            // Halfway to its decision, a paragraph's first prefetch has arrived: the second
            // stage can look at what it brought.
            if let Some(halfway) = self.fingerprinted.checked_sub(LOOKAHEAD / 2) {
                if let Some((_, Some(earlier))) = self.ahead[halfway % LOOKAHEAD] {
                    if halfway >= self.decided {
                        deduper.seen.prefetch_room(earlier);
                    }
                }
            }
            self.fingerprinted += 1;
        }
        let (paragraph, fingerprint) = self.ahead[self.decided % LOOKAHEAD].take()?;
        let index = self.decided as u64;
        self.decided += 1;
        let origin = Origin {
            document: self.document,
            paragraph: index,
        };
        let scratch = std::mem::take(&mut deduper.scratch);
        // The normalized form is still in `scratch` (see the depth above).
        let normalized = (deduper.near.is_some() && !settings.normalizer.is_identity())
            .then(|| scratch.as_bytes());
        let status = deduper.decide(&paragraph, fingerprint, origin, normalized);
        deduper.scratch = scratch;
        Some(Verdict::new(paragraph, index, status))
    }
}

impl core::iter::FusedIterator for Verdicts<'_, '_> {}

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
        let (fingerprint, first, containment, boilerplate) = match verdict.status {
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
            index: verdict.index,
            span: verdict.paragraph.span(),
            extent: verdict.paragraph.extent(),
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

/// The outcome of [`Deduper::dedup`] on one document.
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

/// Removes repeated paragraphs from one text with the default settings; see [`Deduper`].
///
/// ```
/// assert_eq!(paradedup::dedup("one\ntwo\nONE!\n"), "one\ntwo\n");
/// ```
pub fn dedup(text: &str) -> Cow<'_, str> {
    Deduper::new().dedup(text).into_text()
}
