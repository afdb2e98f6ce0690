//! Near-duplicates: the stage after exact dedup, for repeats that changed a little.

mod distinct;
mod meaning;
mod postings;
mod shingle;

use self::distinct::Distinct;
use self::postings::Postings;
pub use self::shingle::{Shingles, MAX_SHINGLE_WORDS};
use crate::normalize::Normalizer;
use crate::seen::Origin;

/// Settings of near-duplicate detection: a paragraph most of whose shingles are contained in
/// **one** earlier paragraph.
///
/// Exact dedup cannot see a repeat that changed a little: an image credit glued to its
/// caption, a "- Site name" suffix, a changed number, a sentence cut short. This stage runs
/// after the exact one, only on paragraphs that are not exact repeats, and asks: is there one
/// earlier paragraph that contains at least [`NearDup::threshold`] of this paragraph's
/// shingles? If so, the paragraph is removed as a near-duplicate of it
/// ([`Status::NearDuplicate`](crate::Status::NearDuplicate)), with the [`Containment`] found.
///
/// Containment in one paragraph, not "seen anywhere": counting a paragraph's n-grams over the
/// whole corpus (Dolma's and bff's way) removes a paragraph stitched from common phrases of
/// unrelated pages and cannot judge a paragraph shorter than its n-gram. Here the repeat must
/// be of one paragraph, which is what a scraper's copy is.
///
/// Candidates come from an index, never from comparing with every earlier paragraph:
///
/// - in [`Scope::Document`](crate::Scope::Document), an inverted index from shingle to the
///   paragraphs holding it;
/// - in [`Scope::Corpus`](crate::Scope::Corpus), MinHash signatures cut into LSH bands, so
///   the index holds a few keys per paragraph instead of every shingle.
///
/// Either way each candidate's real containment is then computed from its stored shingles
/// before anything is decided: the index only proposes. Both are seeded and walked in input
/// order, so the verdicts are the same on every run and for any thread count.
///
/// # Memory
///
/// Every indexed paragraph (one that was kept and had enough shingles) costs an entry of 40
/// bytes, 8 bytes per distinct shingle for verification and 4 per distinct word for the
/// [meaning guard](NearDup::meaning_guard) (when on), plus its index keys: a posting
/// and a hash table slot (about 25 bytes) per shingle in document scope's inverted index, the
/// same per LSH band in corpus scope. Measured with the defaults (3-word shingles, 12 bands),
/// capacity slack included, a 30-word paragraph costs about 1.1 KB in the corpus index and
/// 1.6 KB in a document's ([`Deduper::near_memory_usage`](crate::Deduper::near_memory_usage);
/// `tests/near_dup.rs` asserts it). A document's index is emptied when the next document
/// starts; the corpus index grows with the corpus, so budget about 1.1 KB per kept paragraph.
///
/// A paragraph longer than [`MAX_NEAR_BYTES`] is left to exact dedup, neither judged nor
/// indexed: its shingles and their set cost tens of bytes per byte of text (NFKC can make a
/// character a dozen words), and no scraper's copy of a paragraph is that long.
///
/// # Defaults
///
/// The defaults were chosen on the labelled evaluation of the `near_dup_eval` measurement
/// program (`dev/measure`; its method and figures are in `docs/near-duplicates.md`): 3-word
/// shingles, a threshold of 0.6, at least 3 shingles, and 12 LSH bands of 3 rows in corpus
/// scope.
///
/// - 3-word shingles: 2-word ones match across unrelated paragraphs on common pairs ("de la",
///   "of the"), 4-word ones lose recall on short captions where one glued or changed word
///   breaks four shingles.
/// - 0.6: every kind of edit in the evaluation (suffix, prefix, glued credit, changed word or
///   number, dropped sentence, truncation) keeps more than 0.6 of a paragraph of ten words or
///   more, while paragraphs that share a long quotation stay below it.
/// - 3 shingles (five words) at least: below that, one shared phrase is the whole paragraph,
///   and such short lines are left to exact dedup.
/// - 12 bands of 3 rows: a pair of Jaccard similarity 0.5 is proposed with probability 0.80,
///   0.6 with 0.94; 20 bands found 0.3% more near-duplicates in the evaluation but made
///   corpus-scope near-dup cost more than three times exact dedup alone.
///
/// ```
/// use paradedup::{Deduper, NearDup};
///
/// let mut d = Deduper::builder().near_duplicates(NearDup::new()).build();
/// let page = "SE Alexandre Orlov, ambassadeur de Russie en France\n\
///             Le texte de l'article.\n\
///             SE Alexandre Orlov, ambassadeur de Russie en France - Sputnik Afrique\n";
/// let out = d.dedup(page);
/// assert_eq!(out.text(), "SE Alexandre Orlov, ambassadeur de Russie en France\n\
///                         Le texte de l'article.\n");
/// let removed = &out.removed()[0];
/// assert_eq!(removed.first().unwrap().paragraph, 0);
/// let containment = removed.containment().unwrap();
/// assert_eq!((containment.shared, containment.total), (6, 8));
/// ```
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct NearDup {
    shingles: Shingles,
    threshold: f64,
    min_shingles: usize,
    bands: usize,
    rows: usize,
    meaning_guard: bool,
}

impl Default for NearDup {
    fn default() -> NearDup {
        NearDup::new()
    }
}

impl NearDup {
    /// The defaults: [`Shingles::Words(3)`](Shingles::Words), threshold 0.6, at least 3
    /// shingles, 12 bands of 3 rows.
    ///
    /// ```
    /// use paradedup::{NearDup, Shingles};
    ///
    /// let near = NearDup::new();
    /// assert_eq!(near.shingle_kind(), Shingles::Words(3));
    /// assert_eq!(near.containment_threshold(), 0.6);
    /// assert_eq!(near.minimum_shingles(), 3);
    /// assert_eq!(near.lsh_banding(), (12, 3));
    /// ```
    pub fn new() -> NearDup {
        NearDup {
            shingles: Shingles::Words(3),
            threshold: 0.6,
            min_shingles: 3,
            bands: 12,
            rows: 3,
            meaning_guard: true,
        }
    }

    /// Whether a pair that passes the containment test but differs in a word that changes
    /// the meaning is still kept apart (default: on).
    ///
    /// Containment counts shared shingles, and one changed word in ten costs at most three of
    /// eight: on help pages "au nombre entier pair" and "au nombre entier impair" are two
    /// functions, not a copy. With the guard on, the words only in one of the two paragraphs
    /// (normalized, as this stage sees them) are checked, and the pair is not a near-duplicate
    /// when they include:
    ///
    /// - a number on each side that the other lacks ("page 4" / "page 1"), or a name or
    ///   identifier (capitalized inside a sentence, or in mixed case) swapped for another;
    /// - a negation on one side only ("not", "n't", "ne", "pas", "nicht", "kein", "sin"…);
    /// - a word of opposite meaning on one side only (up/down, haut/bas, before/after,
    ///   min/max, first/last, open/close, enable/disable, show/hide, import/export,
    ///   true/false, yes/no…);
    /// - a word that is a word of the other with a prefix such as im-, in-, un-, non-, dé-,
    ///   dis- (pair/impair, possible/impossible).
    ///
    /// A number or a name only added (a glued photo credit, a "- Site name" suffix) does not
    /// count. Besides, a paragraph that looks like code, has fewer than 8 words (with word
    /// shingles), or has fewer than 16 and a URL or a path (a line of a listing or a
    /// configuration file) is never removed as a near-duplicate: one changed word is then
    /// most of what it says. `false` judges on containment alone.
    ///
    /// ```
    /// use paradedup::{Deduper, NearDup};
    ///
    /// let text = "Arrondit un nombre positif au nombre entier pair le plus proche.\n\
    ///             Arrondit un nombre positif au nombre entier impair le plus proche.\n";
    /// // Two functions: both kept.
    /// let mut d = Deduper::builder().near_duplicates(NearDup::new()).build();
    /// assert_eq!(d.dedup(text).text(), text);
    /// // Containment alone calls the second a copy of the first.
    /// let alone = NearDup::new().meaning_guard(false);
    /// let mut d = Deduper::builder().near_duplicates(alone).build();
    /// assert_eq!(
    ///     d.dedup(text).text(),
    ///     "Arrondit un nombre positif au nombre entier pair le plus proche.\n"
    /// );
    /// assert!(NearDup::new().guards_meaning());
    /// assert!(!alone.guards_meaning());
    /// ```
    pub fn meaning_guard(mut self, on: bool) -> NearDup {
        self.meaning_guard = on;
        self
    }

    /// Whether the meaning guard is on (see [`meaning_guard`](NearDup::meaning_guard)).
    ///
    /// ```
    /// assert!(paradedup::NearDup::default().guards_meaning());
    /// ```
    pub fn guards_meaning(&self) -> bool {
        self.meaning_guard
    }

    /// What a shingle is (default: 3-word n-grams). Word n-grams longer than [`MAX_SHINGLE_WORDS`]
    /// are cut to it; a size of 0 counts as 1.
    ///
    /// Character shingles suit scripts written without spaces:
    ///
    /// ```
    /// use paradedup::{Deduper, NearDup, Shingles};
    ///
    /// let near = NearDup::new().shingles(Shingles::Chars(3));
    /// let mut d = Deduper::builder().near_duplicates(near).build();
    /// let text = "ข่าววันนี้ฝนตกหนักมาก\nข่าววันนี้ฝนตกหนัก\n";
    /// assert_eq!(d.dedup(text).text(), "ข่าววันนี้ฝนตกหนักมาก\n");
    /// ```
    pub fn shingles(mut self, shingles: Shingles) -> NearDup {
        self.shingles = shingles;
        self
    }

    /// The share of a paragraph's distinct shingles that one earlier paragraph must contain
    /// for it to be a near-duplicate (default 0.6), clamped to `[0.01, 1]`; `NaN` keeps the
    /// default.
    ///
    /// ```
    /// use paradedup::{Deduper, NearDup};
    ///
    /// let text = "one two three four five six\none two three four five seven\n";
    /// // Six words: below the meaning guard's minimum, so containment alone here.
    /// let near = NearDup::new().meaning_guard(false);
    /// let strict = near.threshold(0.9);
    /// assert_eq!(Deduper::builder().near_duplicates(strict).build().dedup(text).text(), text);
    /// let loose = near.threshold(0.7);
    /// let mut d = Deduper::builder().near_duplicates(loose).build();
    /// assert_eq!(d.dedup(text).text(), "one two three four five six\n");
    /// ```
    pub fn threshold(mut self, threshold: f64) -> NearDup {
        if !threshold.is_nan() {
            self.threshold = threshold.clamp(0.01, 1.0);
        }
        self
    }

    /// Paragraphs with fewer distinct shingles than this are left to exact dedup (default 3;
    /// at least 1).
    ///
    /// ```
    /// use paradedup::{Deduper, NearDup};
    ///
    /// let text = "one two three four\none two three five\n";
    /// // Two 3-word shingles each: below the default minimum of 3, left to exact dedup.
    /// let mut d = Deduper::builder().near_duplicates(NearDup::new().threshold(0.5)).build();
    /// assert_eq!(d.dedup(text).text(), text);
    /// // Four words: judged on containment alone, without the meaning guard's minimum.
    /// let judged = NearDup::new().threshold(0.5).min_shingles(2).meaning_guard(false);
    /// let mut d = Deduper::builder().near_duplicates(judged).build();
    /// assert_eq!(d.dedup(text).text(), "one two three four\n");
    /// ```
    pub fn min_shingles(mut self, min_shingles: usize) -> NearDup {
        self.min_shingles = min_shingles.max(1);
        self
    }

    /// The LSH banding of corpus scope: `bands` bands of `rows` MinHash values each (default
    /// 12 × 3). More bands find pairs of lower similarity at more memory and time per
    /// paragraph; more rows propose fewer false candidates. A pair of Jaccard similarity `j` is
    /// proposed with probability `1 - (1 - j^rows)^bands`. Both are at least 1; their product
    /// is at most 1,024.
    ///
    /// ```
    /// use paradedup::NearDup;
    ///
    /// assert_eq!(NearDup::new().lsh(20, 5).lsh_banding(), (20, 5));
    /// assert_eq!(NearDup::new().lsh(0, 2000).lsh_banding(), (1, 1024));
    /// ```
    pub fn lsh(mut self, bands: usize, rows: usize) -> NearDup {
        self.bands = bands.clamp(1, 1024);
        self.rows = rows.clamp(1, 1024 / self.bands);
        self
    }

    /// What a shingle is.
    ///
    /// ```
    /// use paradedup::{NearDup, Shingles};
    ///
    /// assert_eq!(NearDup::new().shingles(Shingles::Chars(5)).shingle_kind(), Shingles::Chars(5));
    /// ```
    pub fn shingle_kind(&self) -> Shingles {
        self.shingles
    }

    /// The containment threshold, as clamped by [`threshold`](NearDup::threshold).
    ///
    /// ```
    /// use paradedup::NearDup;
    ///
    /// assert_eq!(NearDup::new().threshold(0.8).containment_threshold(), 0.8);
    /// assert_eq!(NearDup::new().threshold(2.0).containment_threshold(), 1.0);
    /// ```
    pub fn containment_threshold(&self) -> f64 {
        self.threshold
    }

    /// The fewest distinct shingles a paragraph needs to be judged.
    ///
    /// ```
    /// use paradedup::NearDup;
    ///
    /// assert_eq!(NearDup::new().min_shingles(0).minimum_shingles(), 1);
    /// ```
    pub fn minimum_shingles(&self) -> usize {
        self.min_shingles
    }

    /// The LSH banding: `(bands, rows)`.
    ///
    /// ```
    /// use paradedup::NearDup;
    ///
    /// assert_eq!(NearDup::new().lsh(16, 4).lsh_banding(), (16, 4));
    /// ```
    pub fn lsh_banding(&self) -> (usize, usize) {
        (self.bands, self.rows)
    }
}

/// How much of a paragraph one earlier paragraph contains: `shared` of its `total` distinct
/// shingles.
///
/// ```
/// let c = paradedup::Containment { shared: 3, total: 4 };
/// assert_eq!(c.score(), 0.75);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Containment {
    /// Distinct shingles of the paragraph found in the earlier one.
    pub shared: u32,
    /// Distinct shingles of the paragraph.
    pub total: u32,
}

impl Containment {
    /// `shared / total`, in `[0, 1]`; 0 for a paragraph without shingles.
    ///
    /// ```
    /// use paradedup::Containment;
    ///
    /// assert_eq!(Containment { shared: 1, total: 4 }.score(), 0.25);
    /// assert_eq!(Containment { shared: 0, total: 0 }.score(), 0.0);
    /// ```
    pub fn score(&self) -> f64 {
        if self.total == 0 {
            0.0
        } else {
            f64::from(self.shared) / f64::from(self.total)
        }
    }
}

/// Which keys stand for a paragraph in the index.
#[derive(Clone, Debug)]
enum Keys {
    /// Every shingle: an inverted index (document scope).
    Shingles,
    /// One key per LSH band of a MinHash signature (corpus scope).
    Bands {
        bands: usize,
        rows: usize,
        /// The signature being built, and which of its bins a shingle filled (reused).
        signature: Vec<u64>,
        filled: Vec<bool>,
    },
}

/// The near-duplicate stage of one deduper: its settings, index and scratch space.
#[derive(Clone, Debug)]
pub(crate) struct NearDetector {
    settings: NearDup,
    keys: Keys,
    postings: Postings,
    store: Store,
    /// The paragraph under judgement: its normalized text (when not given), shingles, keys
    /// and candidates.
    normalized: String,
    shingles: Vec<u64>,
    distinct: Distinct,
    /// Its distinct words for the meaning guard (flagged 32-bit hashes, sorted).
    words: Vec<u32>,
    key_buf: Vec<u64>,
    candidates: Vec<u32>,
    /// The candidates with how many keys proposed each.
    counted: Vec<(u32, u32)>,
}

/// The longest paragraph (in bytes of text, and of its normalized form) judged for
/// near-duplicates; longer ones are left to exact dedup (see [`NearDup`], "Memory").
pub const MAX_NEAR_BYTES: usize = 1 << 20;

/// `normalized` as text: a normalizer's output is UTF-8 (invalid bytes, which no normalizer
/// makes, only lose words for the meaning guard).
fn as_text(normalized: &[u8]) -> &str {
    match std::str::from_utf8(normalized) {
        Ok(text) => text,
        Err(e) => std::str::from_utf8(&normalized[..e.valid_up_to()]).unwrap_or(""),
    }
}

/// The candidates whose containment is computed, the most-proposed first.
const VERIFY: usize = 4;

impl NearDetector {
    /// A detector for document scope (`corpus: false`: an inverted index, cleared per
    /// document) or corpus scope (MinHash LSH, kept across documents).
    pub(crate) fn new(settings: NearDup, corpus: bool) -> NearDetector {
        let keys = if corpus {
            Keys::Bands {
                bands: settings.bands,
                rows: settings.rows,
                signature: Vec::new(),
                filled: Vec::new(),
            }
        } else {
            Keys::Shingles
        };
        NearDetector {
            settings,
            keys,
            postings: Postings::default(),
            store: Store::default(),
            normalized: String::new(),
            shingles: Vec::new(),
            distinct: Distinct::default(),
            words: Vec::new(),
            key_buf: Vec::new(),
            candidates: Vec::new(),
            counted: Vec::new(),
        }
    }

    /// The heap memory the index and its scratch space hold, in bytes.
    pub(crate) fn memory_usage(&self) -> usize {
        use std::mem::size_of;
        self.postings.memory_usage()
            + self.store.entries.capacity() * size_of::<Entry>()
            + (self.store.shingles.capacity() + self.shingles.capacity() + self.key_buf.capacity())
                * size_of::<u64>()
            + self.candidates.capacity() * size_of::<u32>()
            + self.counted.capacity() * size_of::<(u32, u32)>()
            + (self.store.words.capacity() + self.words.capacity()) * size_of::<u32>()
            + self.distinct.memory_usage()
            + self.normalized.capacity()
    }

    /// The heap memory the index of earlier paragraphs holds, in bytes: no scratch space.
    pub(crate) fn index_memory_usage(&self) -> usize {
        use std::mem::size_of;
        self.postings.memory_usage()
            + self.store.entries.capacity() * size_of::<Entry>()
            + self.store.shingles.capacity() * size_of::<u64>()
            + self.store.words.capacity() * size_of::<u32>()
    }

    /// Forgets every paragraph (a new document in document scope).
    pub(crate) fn clear(&mut self) {
        self.postings.clear();
        self.store.clear();
    }

    /// Judges a paragraph that is not an exact repeat, given its normalized form (or, when
    /// `None`, its text and the normalizer to apply): the earlier paragraph it nearly repeats
    /// and how much, or `None`, in which case it is indexed as a possible source for later
    /// paragraphs (when it has enough shingles).
    pub(crate) fn judge(
        &mut self,
        text: &str,
        normalized: Option<&[u8]>,
        normalizer: Normalizer,
        origin: Origin,
    ) -> Option<(Origin, Containment)> {
        if text.len() > MAX_NEAR_BYTES {
            return None;
        }
        // Out of `self` while judging, so that the candidates can be checked against it.
        let mut own = std::mem::take(&mut self.normalized);
        let found = self.judge_normalized(text, normalized, normalizer, origin, &mut own);
        self.normalized = own;
        found
    }

    fn judge_normalized(
        &mut self,
        text: &str,
        normalized: Option<&[u8]>,
        normalizer: Normalizer,
        origin: Origin,
        own: &mut String,
    ) -> Option<(Origin, Containment)> {
        let normalized = match normalized {
            Some(normalized) => normalized,
            None if normalizer.is_identity() => text.as_bytes(),
            None => {
                normalizer.normalize_into(text, own);
                own.as_bytes()
            }
        };
        if normalized.len() > MAX_NEAR_BYTES {
            return None;
        }
        self.settings
            .shingles
            .hash_into(normalized, &mut self.shingles);
        self.distinct.dedup(&mut self.shingles);
        if self.shingles.len() < self.settings.min_shingles {
            return None;
        }
        let mut risky = false;
        self.words.clear();
        if self.settings.meaning_guard {
            let words = meaning::words_into(text, as_text(normalized), &mut self.words);
            let word_shingles = matches!(self.settings.shingles, Shingles::Words(_));
            risky = meaning::too_risky(text, words, word_shingles);
        }
        let keys = self.keys.of(&self.shingles, &mut self.key_buf);
        self.candidates.clear();
        self.postings.walk(keys, &mut self.candidates);
        let found = if risky {
            None
        } else {
            self.best_candidate(normalized)
        };
        if found.is_none() {
            let entry = self.store.push(origin, &self.shingles, &self.words);
            let keys = self.keys.of_again(&self.shingles, &self.key_buf);
            self.postings.insert(keys, entry);
        }
        found
    }

    /// The verified best of the proposed candidates: highest containment at or above the
    /// threshold, the earliest paragraph on a tie.
    fn best_candidate(&mut self, normalized: &[u8]) -> Option<(Origin, Containment)> {
        let candidates = &mut self.candidates;
        if candidates.is_empty() {
            return None;
        }
        // Run-length count of proposals per candidate, then the most proposed (earliest on a
        // tie) are verified.
        candidates.sort_unstable();
        let counted = &mut self.counted;
        counted.clear();
        for &c in candidates.iter() {
            match counted.last_mut() {
                Some((last, n)) if *last == c => *n += 1,
                _ => counted.push((c, 1)),
            }
        }
        counted.sort_unstable_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        let total = self.shingles.len() as u32;
        let needed = (self.settings.threshold * f64::from(total)).ceil() as u32;
        let mut best: Option<(u32, u32)> = None;
        for &(entry, _) in counted.iter().take(VERIFY) {
            let shared = self.distinct.count_in(self.store.shingles(entry));
            let better = match best {
                None => true,
                Some((e, s)) => shared > s || (shared == s && entry < e),
            };
            if shared >= needed.max(1)
                && better
                && !(self.settings.meaning_guard
                    && meaning::meaning_differs(
                        &self.words,
                        self.store.words(entry),
                        as_text(normalized),
                    ))
            {
                best = Some((entry, shared));
            }
        }
        best.map(|(entry, shared)| (self.store.origin(entry), Containment { shared, total }))
    }
}

impl Keys {
    /// The index keys of a paragraph with these (distinct, non-empty) shingles: the
    /// shingles themselves, or band keys computed into `out`.
    fn of<'k>(&mut self, shingles: &'k [u64], out: &'k mut Vec<u64>) -> &'k [u64] {
        out.clear();
        match self {
            Keys::Shingles => return shingles,
            Keys::Bands {
                bands,
                rows,
                signature,
                filled,
            } => {
                let (bands, rows) = (*bands, *rows);
                one_permutation_minhash(shingles, bands * rows, signature, filled);
                for band in 0..bands {
                    let mut key = (band as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
                    for &value in &signature[band * rows..(band + 1) * rows] {
                        key = (key.rotate_left(23) ^ value).wrapping_mul(0xBF58_476D_1CE4_E5B9);
                    }
                    out.push(key ^ (key >> 31));
                }
            }
        }
        out
    }

    /// The keys [`Keys::of`] last returned for these shingles, with `out` as it left it.
    fn of_again<'k>(&self, shingles: &'k [u64], out: &'k [u64]) -> &'k [u64] {
        match self {
            Keys::Shingles => shingles,
            Keys::Bands { .. } => out,
        }
    }
}

/// A MinHash signature of `len` values in one pass over the shingles: one-permutation hashing
/// (each shingle falls in one of `len` bins and only the least value per bin is kept), with
/// empty bins filled from the next non-empty bin to their right, salted by the distance
/// (Shrivastava and Li's rotation densification). Two sets agree on a bin with probability
/// about their Jaccard similarity, as with `len` independent hash functions, at a `len`-th of
/// the cost.
fn one_permutation_minhash(
    shingles: &[u64],
    len: usize,
    signature: &mut Vec<u64>,
    filled: &mut Vec<bool>,
) {
    signature.clear();
    signature.resize(len, u64::MAX);
    filled.clear();
    filled.resize(len, false);
    for &s in shingles {
        // The shingle hashes are xxh3-derived; one more mix decorrelates bin and value.
        let h = (s ^ 0x6E65_6172_6475_7021).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        let h = h ^ (h >> 32);
        let bin = ((u128::from(h) * len as u128) >> 64) as usize;
        let value = s.wrapping_mul(0xBF58_476D_1CE4_E5B9);
        signature[bin] = signature[bin].min(value);
        filled[bin] = true;
    }
    if filled.iter().all(|&f| f) {
        return;
    }
    // Right to left, twice round, so each empty bin meets its nearest filled bin to the right:
    // the first round only finds the nearest for the last bins, the second fills the empty
    // ones (some bin is filled: the shingles are not empty). Selects rather than branches:
    // filled or empty is a coin toss.
    let (mut value, mut distance) = (0, 0);
    for pass in [false, true] {
        for bin in (0..len).rev() {
            let is_filled = filled[bin];
            value = if is_filled { signature[bin] } else { value };
            distance = if is_filled { 0 } else { distance + 1 };
            if pass {
                let salted = (value ^ u64::wrapping_mul(distance, 0x94D0_49BB_1331_11EB))
                    .wrapping_mul(0xBF58_476D_1CE4_E5B9);
                signature[bin] = if is_filled {
                    value
                } else {
                    salted ^ (salted >> 29)
                };
            }
        }
    }
}

/// The indexed paragraphs: where each one is, and its shingles for verification.
#[derive(Clone, Debug, Default)]
struct Store {
    entries: Vec<Entry>,
    shingles: Vec<u64>,
    /// The words of each entry for the meaning guard (empty when it is off).
    words: Vec<u32>,
}

#[derive(Clone, Copy, Debug)]
struct Entry {
    origin: Origin,
    start: usize,
    len: usize,
    words_start: u32,
    words_len: u32,
}

impl Store {
    fn push(&mut self, origin: Origin, shingles: &[u64], words: &[u32]) -> u32 {
        let entry = self.entries.len() as u32;
        // Past 2^32 words the guard sees no words for later entries (it then refuses nothing
        // on their account) rather than wrapping.
        let (words_start, words) = match u32::try_from(self.words.len()) {
            Ok(start) if u32::try_from(words.len()).is_ok() => (start, words),
            _ => (0, &[][..]),
        };
        self.entries.push(Entry {
            origin,
            start: self.shingles.len(),
            len: shingles.len(),
            words_start,
            words_len: words.len() as u32,
        });
        self.shingles.extend_from_slice(shingles);
        self.words.extend_from_slice(words);
        entry
    }

    fn words(&self, entry: u32) -> &[u32] {
        let e = self.entries[entry as usize];
        let start = e.words_start as usize;
        &self.words[start..start + e.words_len as usize]
    }

    fn shingles(&self, entry: u32) -> &[u64] {
        let e = self.entries[entry as usize];
        &self.shingles[e.start..e.start + e.len]
    }

    fn origin(&self, entry: u32) -> Origin {
        self.entries[entry as usize].origin
    }

    fn clear(&mut self) {
        self.entries.clear();
        self.shingles.clear();
        self.words.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn origin(paragraph: u64) -> Origin {
        Origin {
            document: 0,
            paragraph,
        }
    }

    fn judge(d: &mut NearDetector, text: &str, at: u64) -> Option<(Origin, Containment)> {
        d.judge(text, None, Normalizer::standard(), origin(at))
    }

    #[test]
    fn containment_is_of_the_later_paragraph_in_one_earlier_one() {
        for corpus in [false, true] {
            let mut d = NearDetector::new(NearDup::new(), corpus);
            assert_eq!(judge(&mut d, "a b c d e f g h i j", 0), None);
            let (first, c) = judge(&mut d, "a b c d e f g h i j k", 1).unwrap();
            assert_eq!(first, origin(0));
            assert_eq!((c.shared, c.total), (8, 9));
            // Below the threshold: indexed, not removed.
            assert_eq!(judge(&mut d, "a b c x y z u v w", 2), None);
        }
    }

    #[test]
    fn too_few_shingles_is_left_alone_and_not_indexed() {
        let mut d = NearDetector::new(NearDup::new(), false);
        assert_eq!(judge(&mut d, "a b c d", 0), None);
        assert_eq!(judge(&mut d, "a b c d", 1), None);
        assert!(d.store.entries.is_empty());
    }

    #[test]
    fn the_earliest_best_source_wins() {
        // Six words: below the meaning guard's minimum, and this is about containment.
        let mut d = NearDetector::new(NearDup::new().meaning_guard(false), false);
        assert_eq!(judge(&mut d, "a b c d e f x1 x2 x3 x4 x5", 0), None);
        assert_eq!(judge(&mut d, "a b c d e f y1 y2 y3 y4 y5", 1), None);
        let (first, _) = judge(&mut d, "a b c d e f", 2).unwrap();
        assert_eq!(first, origin(0));
    }

    #[test]
    fn a_changed_meaning_is_no_near_duplicate_unless_the_guard_is_off() {
        let earlier = "Arrondit un nombre positif au nombre entier pair le plus proche";
        let later = "Arrondit un nombre positif au nombre entier impair le plus proche";
        for corpus in [false, true] {
            let mut d = NearDetector::new(NearDup::new(), corpus);
            assert_eq!(judge(&mut d, earlier, 0), None);
            assert_eq!(judge(&mut d, later, 1), None);
            // Kept, so indexed: its own copy is found.
            assert_eq!(
                judge(&mut d, &format!("{later} ."), 2).unwrap().0,
                origin(1)
            );
            let mut d = NearDetector::new(NearDup::new().meaning_guard(false), corpus);
            assert_eq!(judge(&mut d, earlier, 0), None);
            assert_eq!(judge(&mut d, later, 1).unwrap().0, origin(0));
        }
    }

    #[test]
    fn code_lines_are_no_near_duplicates() {
        let mut d = NearDetector::new(NearDup::new(), false);
        let a = "If nombre > 0 Then resultat = nombre * 2 + decalage Else resultat = 0";
        let b = "If nombre > 0 Then resultat = nombre * 3 + decalage Else resultat = 0";
        assert_eq!(judge(&mut d, a, 0), None);
        assert_eq!(judge(&mut d, b, 1), None);
        let mut d = NearDetector::new(NearDup::new().meaning_guard(false), false);
        assert_eq!(judge(&mut d, a, 0), None);
        assert!(judge(&mut d, b, 1).is_some());
    }

    #[test]
    fn a_phrase_in_every_paragraph_costs_a_bounded_walk() {
        let mut d = NearDetector::new(NearDup::new(), false);
        for i in 0..2_000u64 {
            let text = format!("le porte parole du kremlin w{i} x{i} y{i} z{i} v{i}");
            assert_eq!(judge(&mut d, &text, i), None, "{text}");
        }
        let mut common = Vec::new();
        Shingles::Words(3).hash_into(b"le porte parole", &mut common);
        let mut out = Vec::new();
        d.postings.walk(&common[..1], &mut out);
        assert_eq!(out.len(), postings::WALK);
        assert_eq!(out[0], 1_999, "newest first");
    }
}
