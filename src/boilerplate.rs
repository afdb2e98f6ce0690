//! Boilerplate: paragraphs that stand on many documents ("S'abonner", "0 Commentaires",
//! cookie banners), found by counting in a first pass how many documents contain each one.
//!
//! ```
//! use std::sync::Arc;
//! use paradedup::{BoilerplatePolicy, Deduper, DocumentFrequency};
//!
//! let corpus = [
//!     "First article.\nS'abonner\n0 Commentaires",
//!     "Second article.\nS'abonner\n3 Commentaires",
//!     "Third article.\nS'abonner",
//! ];
//! // Pass 1: in how many documents does each paragraph stand?
//! let mut counts = DocumentFrequency::new(Deduper::new().settings());
//! for doc in corpus {
//!     counts.count(doc);
//! }
//! // Pass 2: drop every paragraph found in 3 or more documents (CCNet's policy).
//! let mut deduper = Deduper::builder()
//!     .boilerplate(Arc::new(counts), 3, BoilerplatePolicy::DropAll)
//!     .build();
//! let kept: Vec<String> = corpus.iter().map(|d| deduper.dedup(d).text().to_owned()).collect();
//! assert_eq!(kept[0], "First article.\n0 Commentaires");
//! assert_eq!(kept[2], "Third article.\n");
//! ```

use std::collections::HashMap;

use crate::error::{Error, ErrorKind};
use crate::fingerprint::{Fingerprint, FingerprintBuildHasher};
use crate::seen::{Origin, SeenSet};
use crate::settings::{Fingerprinter, Settings};

/// A fingerprint stored in 4-byte words: with its count a table slot is 20 bytes, where a
/// `u128` key (aligned to 16) makes it 32. The table is the first pass's whole memory, one slot
/// per distinct paragraph of the corpus.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Packed([u32; 4]);

impl Packed {
    fn new(fingerprint: Fingerprint) -> Packed {
        let v = fingerprint.as_u128();
        Packed([
            v as u32,
            (v >> 32) as u32,
            (v >> 64) as u32,
            (v >> 96) as u32,
        ])
    }

    fn get(self) -> u128 {
        let [a, b, c, d] = self.0.map(u128::from);
        a | b << 32 | c << 64 | d << 96
    }
}

impl core::hash::Hash for Packed {
    #[inline]
    fn hash<H: core::hash::Hasher>(&self, state: &mut H) {
        // As `Fingerprint` hashes, so `FingerprintBuildHasher` takes its bits as they are.
        state.write_u128(self.get());
    }
}

/// For each paragraph fingerprint, the number of distinct documents it stands on.
///
/// Counts are per document: a line repeated ten times in one page counts once. The counts of
/// separate shards add up with [`merge`](DocumentFrequency::merge); give them to the second
/// pass with [`DeduperBuilder::boilerplate`](crate::DeduperBuilder::boilerplate).
///
/// ```
/// use paradedup::{DocumentFrequency, Fingerprint, Settings};
///
/// let mut counts = DocumentFrequency::new(Settings::default());
/// counts.count("Partager\nPartager\nUn article.");
/// counts.count("Partager\nUn autre.");
/// assert_eq!(counts.documents_containing(Fingerprint::of("partager")), 2);
/// assert_eq!(counts.documents_containing(Fingerprint::of("un article")), 1);
/// ```
#[derive(Clone, Debug)]
pub struct DocumentFrequency {
    /// The settings counted under, and the normalization buffer: fingerprints are the ones a
    /// deduper with these settings computes.
    fingerprinter: Fingerprinter,
    counts: HashMap<Packed, u32, FingerprintBuildHasher>,
    in_document: SeenSet,
    documents: u64,
}

impl DocumentFrequency {
    /// Empty counts for paragraphs as `settings` define and normalize them (take them from the
    /// deduper of the second pass: [`Deduper::settings`](crate::Deduper::settings)).
    ///
    /// ```
    /// use paradedup::{Deduper, DocumentFrequency, Unit};
    ///
    /// let second_pass = Deduper::builder().unit(Unit::BlankLines).build();
    /// let counts = DocumentFrequency::new(second_pass.settings());
    /// assert_eq!(counts.settings().unit, Unit::BlankLines);
    /// assert!(counts.is_empty());
    /// ```
    pub fn new(settings: Settings) -> DocumentFrequency {
        DocumentFrequency {
            fingerprinter: settings.fingerprinter(),
            counts: HashMap::default(),
            in_document: SeenSet::exact(),
            documents: 0,
        }
    }

    /// Counts the paragraphs of one document, each once; exempt paragraphs (empty once
    /// normalized, or shorter than `min_chars`) are not counted.
    ///
    /// ```
    /// use paradedup::{DocumentFrequency, Settings};
    ///
    /// let mut counts = DocumentFrequency::new(Settings::default());
    /// counts.count("a\nA\n***\nb");
    /// assert_eq!((counts.documents(), counts.len()), (1, 2));
    /// ```
    pub fn count(&mut self, document: &str) {
        self.in_document.clear();
        self.documents += 1;
        for (_, fingerprint) in self.fingerprinter.paragraphs(document) {
            let Some(fp) = fingerprint else {
                continue;
            };
            if self.in_document.insert(fp, Origin::default()) {
                let n = self.counts.entry(Packed::new(fp)).or_insert(0);
                *n = n.saturating_add(1);
            }
        }
    }

    /// Counts one document given by its paragraphs' fingerprints (`None`: exempt, not
    /// counted), each once: [`count`](DocumentFrequency::count) for a caller that fingerprints
    /// documents elsewhere (on other threads, with a [`Fingerprinter`] of the same settings), so
    /// one table takes every document instead of one table per thread merged at the end.
    ///
    /// ```
    /// use paradedup::{DocumentFrequency, Fingerprint, Settings};
    ///
    /// let mut counts = DocumentFrequency::new(Settings::default());
    /// let mut by_hand = counts.clone();
    /// counts.count("Menu\nOne.\nMenu");
    /// let mut fingerprinter = Settings::default().fingerprinter();
    /// by_hand.count_fingerprints(fingerprinter.paragraphs("Menu\nOne.\nMenu").map(|(_, fp)| fp));
    /// assert_eq!(by_hand.documents_containing(Fingerprint::of("menu")), 1);
    /// assert_eq!((by_hand.len(), by_hand.documents()), (counts.len(), counts.documents()));
    /// ```
    pub fn count_fingerprints(
        &mut self,
        fingerprints: impl IntoIterator<Item = Option<Fingerprint>>,
    ) {
        self.in_document.clear();
        self.documents += 1;
        for fp in fingerprints.into_iter().flatten() {
            if self.in_document.insert(fp, Origin::default()) {
                let n = self.counts.entry(Packed::new(fp)).or_insert(0);
                *n = n.saturating_add(1);
            }
        }
    }

    /// The heap memory the counts hold, in bytes: about 21 bytes per slot of the table, which
    /// keeps up to an eighth of its slots free and doubles as it grows.
    ///
    /// ```
    /// let mut counts = paradedup::DocumentFrequency::new(Default::default());
    /// counts.count("a\nb");
    /// assert!(counts.memory_usage() >= 2 * 20);
    /// ```
    pub fn memory_usage(&self) -> usize {
        let slot = core::mem::size_of::<(Packed, u32)>() + 1;
        self.counts.capacity().div_ceil(7) * 8 * slot + self.in_document.memory_usage()
    }

    /// How many documents contain the paragraph with this fingerprint.
    ///
    /// ```
    /// use paradedup::{DocumentFrequency, Fingerprint, Settings};
    ///
    /// let mut counts = DocumentFrequency::new(Settings::default());
    /// counts.count("Lire aussi\nLire aussi");
    /// counts.count("LIRE AUSSI !");
    /// assert_eq!(counts.documents_containing(Fingerprint::of("lire aussi")), 2);
    /// ```
    pub fn documents_containing(&self, fingerprint: Fingerprint) -> u32 {
        self.counts
            .get(&Packed::new(fingerprint))
            .copied()
            .unwrap_or(0)
    }

    /// Documents counted.
    ///
    /// ```
    /// let mut counts = paradedup::DocumentFrequency::new(Default::default());
    /// counts.count("");
    /// counts.count("a");
    /// assert_eq!(counts.documents(), 2);
    /// ```
    pub fn documents(&self) -> u64 {
        self.documents
    }

    /// Distinct paragraphs counted.
    ///
    /// ```
    /// let mut counts = paradedup::DocumentFrequency::new(Default::default());
    /// counts.count("a\nb");
    /// counts.count("b\nc");
    /// assert_eq!(counts.len(), 3);
    /// ```
    pub fn len(&self) -> usize {
        self.counts.len()
    }

    /// True when no paragraph was counted.
    ///
    /// ```
    /// let mut counts = paradedup::DocumentFrequency::new(Default::default());
    /// counts.count("***");
    /// assert!(counts.is_empty()); // exempt paragraphs are not counted
    /// ```
    pub fn is_empty(&self) -> bool {
        self.counts.is_empty()
    }

    /// The settings paragraphs were counted under.
    ///
    /// ```
    /// use paradedup::{DocumentFrequency, Settings};
    ///
    /// let settings = Settings { min_chars: 8, ..Settings::default() };
    /// assert_eq!(DocumentFrequency::new(settings).settings(), settings);
    /// ```
    pub fn settings(&self) -> Settings {
        self.fingerprinter.settings()
    }

    /// Adds the counts of another shard's pass.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::SettingsMismatch`] when the two counted under different settings.
    ///
    /// ```
    /// use paradedup::{DocumentFrequency, ErrorKind, Fingerprint, Normalizer, Settings};
    ///
    /// let mut a = DocumentFrequency::new(Settings::default());
    /// let mut b = DocumentFrequency::new(Settings::default());
    /// a.count("Menu\nOne.");
    /// b.count("Menu\nTwo.");
    /// a.merge(&b)?;
    /// assert_eq!(a.documents_containing(Fingerprint::of("menu")), 2);
    ///
    /// let exact = Settings { normalizer: Normalizer::exact(), ..Settings::default() };
    /// let err = a.merge(&DocumentFrequency::new(exact)).unwrap_err();
    /// assert_eq!(err.kind(), ErrorKind::SettingsMismatch);
    /// # Ok::<(), paradedup::Error>(())
    /// ```
    pub fn merge(&mut self, other: &DocumentFrequency) -> Result<(), Error> {
        if self.settings() != other.settings() {
            return Err(Error::new(
                ErrorKind::SettingsMismatch,
                "cannot merge document frequencies counted under different settings",
            ));
        }
        for (fp, n) in &other.counts {
            let mine = self.counts.entry(*fp).or_insert(0);
            *mine = mine.saturating_add(*n);
        }
        self.documents += other.documents;
        Ok(())
    }
}

/// What becomes of a paragraph found in at least the threshold number of documents.
///
/// Its names are `drop-all` and `keep-first` (see its `FromStr`).
///
/// ```
/// use std::sync::Arc;
/// use paradedup::{BoilerplatePolicy, Deduper, DocumentFrequency};
///
/// let corpus = ["Menu\nOne.", "Menu\nTwo."];
/// let mut counts = DocumentFrequency::new(Deduper::new().settings());
/// corpus.iter().for_each(|doc| counts.count(doc));
/// let counts = Arc::new(counts);
/// let kept = |policy| {
///     let mut d = Deduper::builder().boilerplate(Arc::clone(&counts), 2, policy).build();
///     corpus.map(|doc| d.dedup(doc).into_text().into_owned())
/// };
/// assert_eq!(kept(BoilerplatePolicy::DropAll), ["One.", "Two."]);
/// assert_eq!(kept(BoilerplatePolicy::KeepFirst), ["Menu\nOne.", "Two."]);
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum BoilerplatePolicy {
    /// Keep its first occurrence in the corpus, drop the rest (dedup), whatever the scope.
    KeepFirst,
    /// Drop every occurrence (boilerplate removal, as CCNet does).
    #[default]
    DropAll,
}
