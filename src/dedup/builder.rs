//! The builder: every knob of a [`Deduper`], each with its default, and the [`Scope`] it sets.

use std::sync::Arc;

use super::engine::{Config, Deduper};
use super::short::ShortParagraphs;
use crate::boilerplate::{BoilerplatePolicy, DocumentFrequency};
use crate::near::NearDup;
use crate::normalize::Normalizer;
use crate::seen::SeenSet;
use crate::settings::Settings;
use crate::split::Unit;

/// How far back a repeat is looked for.
///
/// ```
/// use paradedup::{Deduper, Scope};
///
/// let mut per_doc = Deduper::builder().short_paragraphs(paradedup::ShortParagraphs::RemoveEveryRepeat).build(); // Scope::Document
/// per_doc.dedup("shared");
/// assert_eq!(per_doc.dedup("shared").text(), "shared");
///
/// let mut corpus = Deduper::builder().short_paragraphs(paradedup::ShortParagraphs::RemoveEveryRepeat).scope(Scope::Corpus).build();
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

/// Builds a [`Deduper`]; every setting has a default.
///
/// Setters take `&mut self` so one builder can make several dedupers.
///
/// ```
/// use paradedup::{DeduperBuilder, Scope};
///
/// let mut builder = DeduperBuilder::new();
/// builder.min_chars(3);
/// let per_document = builder.build();
/// let corpus = builder.scope(Scope::Corpus).build();
/// assert_eq!((per_document.scope(), corpus.scope()), (Scope::Document, Scope::Corpus));
/// assert_eq!(corpus.min_chars(), 3);
/// ```
#[derive(Clone, Debug, Default)]
pub struct DeduperBuilder {
    config: Config,
    seen: Option<SeenSet>,
    boilerplate: Option<(Arc<DocumentFrequency>, u32, BoilerplatePolicy)>,
    near: Option<NearDup>,
}

impl DeduperBuilder {
    /// A builder with every default.
    ///
    /// ```
    /// use paradedup::{Deduper, DeduperBuilder};
    ///
    /// assert_eq!(DeduperBuilder::new().settings(), Deduper::new().settings());
    /// ```
    pub fn new() -> DeduperBuilder {
        DeduperBuilder::default()
    }

    /// What counts as a paragraph (default: [`Unit::Lines`]).
    ///
    /// ```
    /// use paradedup::{Deduper, Unit};
    ///
    /// let doc = "A block\nof two lines.\n\nA block\nof two lines.\n";
    /// let mut blocks = Deduper::builder().short_paragraphs(paradedup::ShortParagraphs::RemoveEveryRepeat).unit(Unit::BlankLines).build();
    /// assert_eq!(blocks.dedup(doc).text(), "A block\nof two lines.\n\n");
    /// ```
    pub fn unit(&mut self, unit: Unit) -> &mut DeduperBuilder {
        self.config.settings.unit = unit;
        self
    }

    /// How paragraphs are normalized before fingerprinting (default:
    /// [`Normalizer::standard`]).
    ///
    /// ```
    /// use paradedup::{Deduper, Normalizer};
    ///
    /// let mut exact = Deduper::builder().normalizer(Normalizer::exact()).build();
    /// assert_eq!(exact.dedup("Hello\nhello").text(), "Hello\nhello");
    /// ```
    pub fn normalizer(&mut self, normalizer: Normalizer) -> &mut DeduperBuilder {
        self.config.settings.normalizer = normalizer;
        self
    }

    /// How far back repeats are looked for (default: [`Scope::Document`]).
    ///
    /// ```
    /// use paradedup::{Deduper, Scope};
    ///
    /// let mut d = Deduper::builder().short_paragraphs(paradedup::ShortParagraphs::RemoveEveryRepeat).scope(Scope::Corpus).build();
    /// d.dedup("Menu\nOne.");
    /// assert_eq!(d.dedup("Menu\nTwo.").text(), "Two.");
    /// ```
    pub fn scope(&mut self, scope: Scope) -> &mut DeduperBuilder {
        self.config.scope = scope;
        self
    }

    /// Exempts paragraphs whose normalized form has fewer than `min_chars` characters: they are
    /// always kept and never recorded (default: 0, so only paragraphs that normalize to nothing
    /// are exempt).
    ///
    /// ```
    /// let mut d = paradedup::Deduper::builder().short_paragraphs(paradedup::ShortParagraphs::RemoveEveryRepeat).min_chars(5).build();
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
    /// below the threshold are deduplicated as usual. A threshold of 0 counts as 1.
    ///
    /// ```
    /// use std::sync::Arc;
    /// use paradedup::{BoilerplatePolicy, Deduper, DocumentFrequency};
    ///
    /// let corpus = ["Cookies?\nOne.", "Cookies?\nTwo.", "Three."];
    /// let mut counts = DocumentFrequency::new(Deduper::new().settings());
    /// corpus.iter().for_each(|doc| counts.count(doc));
    /// let mut d = Deduper::builder()
    ///     .boilerplate(Arc::new(counts), 2, BoilerplatePolicy::KeepFirst)
    ///     .build();
    /// let kept = corpus.map(|doc| d.dedup(doc).into_text().into_owned());
    /// assert_eq!(kept, ["Cookies?\nOne.", "Two.", "Three."]);
    /// ```
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

    /// Which repeats of short paragraphs are removed (default:
    /// [`ShortParagraphs::in_boilerplate_blocks`]: only where they stand in a block of
    /// removals or at the head or tail of the document).
    ///
    /// [`ShortParagraphs::RemoveEveryRepeat`] removes every repeat, short or long, as CCNet and
    /// Dolma do.
    ///
    /// ```
    /// use paradedup::{Deduper, ShortParagraphs};
    ///
    /// let doc = "Intro.\nName\nOui\nAge\nOui\nThe end of the page.\n";
    /// assert_eq!(Deduper::new().dedup(doc).text(), doc);
    /// let mut every = Deduper::builder().short_paragraphs(ShortParagraphs::RemoveEveryRepeat).build();
    /// assert_eq!(every.dedup(doc).text(), "Intro.\nName\nOui\nAge\nThe end of the page.\n");
    /// ```
    pub fn short_paragraphs(&mut self, rule: ShortParagraphs) -> &mut DeduperBuilder {
        self.config.short = rule;
        self
    }

    /// The settings fingerprints will depend on, to load a seen-set made with them.
    ///
    /// ```no_run
    /// use paradedup::{Deduper, Scope, SeenSet};
    ///
    /// let mut builder = Deduper::builder();
    /// builder.scope(Scope::Corpus).min_chars(5);
    /// // A set saved by an earlier run under the same settings.
    /// let earlier = SeenSet::load("earlier.seen", builder.settings())?;
    /// let deduper = builder.seen_set(earlier).build();
    /// # Ok::<(), paradedup::Error>(())
    /// ```
    pub fn settings(&self) -> Settings {
        self.config.settings
    }

    /// A deduper with these settings; the builder is left as it was, to build more.
    ///
    /// ```
    /// let mut builder = paradedup::Deduper::builder();
    /// builder.short_paragraphs(paradedup::ShortParagraphs::RemoveEveryRepeat);
    /// let (mut a, mut b) = (builder.build(), builder.build());
    /// a.dedup("x\nx");
    /// assert_eq!((a.stats().duplicates, b.dedup("x\nx").stats().duplicates), (1, 1));
    /// ```
    pub fn build(&self) -> Deduper {
        Deduper::from_parts(
            self.config,
            self.seen.clone().unwrap_or_default(),
            self.boilerplate.clone(),
            self.near,
        )
    }
}
