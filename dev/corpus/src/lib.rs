//! Deterministic, seeded synthetic corpus of web-news-like documents, with a
//! ground-truth label for every paragraph (non-blank line).
//!
//! Shared by the integration tests, the criterion benchmarks and the measurement programs, as
//! a crate of its own (`publish = false`). The generator itself is `std` only; [`near_eval`]
//! runs the library on what it generates.
//!
//! Guarantees (checked by `tests/generator.rs`):
//! * the same [`CorpusSpec`] always yields byte-identical documents, on every
//!   platform (the PRNG is SplitMix64, no floating-point formatting is used);
//! * `Original` paragraphs are pairwise distinct across the whole corpus even
//!   after aggressive folding (case, punctuation, symbols, whitespace, digits,
//!   Latin/Cyrillic diacritics), so any reasonable normalizer agrees with the
//!   labels; boilerplate lines never collide with body paragraphs;
//! * `RepeatedBlock { first }` lines equal line `first` after `str::trim`;
//! * `Variant { source, .. }` lines differ from line `source` after trimming
//!   but have the same [`loose_key`];
//! * `CrossDocument { first_document }` lines occur, labelled `Original`, in
//!   document `first_document` and nowhere earlier in their own document.
//! * `NearDuplicate { source, kind }` lines are an edit of kind `kind` of the
//!   `Original` line `source` of the same document, distinct from every other
//!   line after folding; `HardNegative` lines are new text built around a
//!   phrase that other lines share (off unless the spec's rates are set, so
//!   older corpora are unchanged).

pub mod near_eval;

use std::collections::HashSet;
use std::fmt::Write as _;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::LazyLock;

// ---------------------------------------------------------------------------
// PRNG
// ---------------------------------------------------------------------------

/// SplitMix64 pseudo-random generator: tiny, fast and identical on every platform.
#[derive(Debug, Clone)]
pub struct SplitMix64 {
    state: u64,
}

impl SplitMix64 {
    /// Creates a generator from a seed.
    pub fn new(seed: u64) -> Self {
        Self { state: seed }
    }

    /// Returns the next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Returns a uniform integer in `0..n` (`n` must be positive).
    pub fn below(&mut self, n: usize) -> usize {
        debug_assert!(n > 0);
        ((u128::from(self.next_u64()) * n as u128) >> 64) as usize
    }

    /// Returns a uniform integer in `lo..=hi`.
    pub fn range(&mut self, lo: usize, hi: usize) -> usize {
        debug_assert!(lo <= hi);
        lo + self.below(hi - lo + 1)
    }

    /// Returns a uniform float in `[0, 1)`.
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// Returns `true` with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    /// Returns a uniformly chosen element of a non-empty slice.
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

// ---------------------------------------------------------------------------
// Public types
// ---------------------------------------------------------------------------

/// Language / writing system of a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Script {
    /// French (Latin script, accents, elisions, « » quotes).
    French,
    /// English (Latin script).
    English,
    /// Russian (Cyrillic script).
    Russian,
    /// Simplified Chinese (CJK ideographs, no spaces, fullwidth punctuation).
    Chinese,
}

impl Script {
    /// All scripts, in the order used by [`CorpusSpec::script_shares`].
    pub const ALL: [Script; 4] = [
        Script::French,
        Script::English,
        Script::Russian,
        Script::Chinese,
    ];

    /// ISO 639-1 code (`fr`, `en`, `ru`, `zh`).
    pub fn code(self) -> &'static str {
        match self {
            Script::French => "fr",
            Script::English => "en",
            Script::Russian => "ru",
            Script::Chinese => "zh",
        }
    }

    /// Whether the script is Latin (French or English).
    pub fn is_latin(self) -> bool {
        matches!(self, Script::French | Script::English)
    }

    fn idx(self) -> usize {
        self as usize
    }
}

/// How a [`Label::Variant`] paragraph differs from its source.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum VariantKind {
    /// All caps (short lines) or all lowercase (long paragraphs).
    Case,
    /// Quote style swapped: « » / “ ” / „ “ / 「 」 ⇄ ASCII `"`, and ’ ⇄ `'`.
    Quotes,
    /// Whitespace changed: `", "` → `","`, doubled spaces, or a space after CJK punctuation.
    Spacing,
    /// Terminal `.`/`?`/`!` dropped or added, or CJK fullwidth punctuation made ASCII.
    Punctuation,
    /// Trailing `…` ⇄ `...`, or an ellipsis appended.
    Ellipsis,
}

impl VariantKind {
    /// All variant kinds.
    pub const ALL: [VariantKind; 5] = [
        VariantKind::Case,
        VariantKind::Quotes,
        VariantKind::Spacing,
        VariantKind::Punctuation,
        VariantKind::Ellipsis,
    ];
}

/// How a [`Label::NearDuplicate`] paragraph differs from its source: the edits scrapers make.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum NearKind {
    /// ` - Site Name` appended.
    Suffix,
    /// A tag such as `EXCLUSIF : ` put in front.
    Prefix,
    /// An image credit glued to the text without a space: `© Reuters / Sputnik` + text.
    GluedCredit,
    /// One word replaced by another.
    WordChanged,
    /// A number changed (or a word replaced by a number when there is none).
    NumberChanged,
    /// One sentence of several left out.
    SentenceDropped,
    /// The paragraph cut short (about the last fifth) and an ellipsis added.
    Truncated,
    /// Case and punctuation noise, and one word left out.
    Noise,
}

impl NearKind {
    /// All near-duplicate kinds.
    pub const ALL: [NearKind; 8] = [
        NearKind::Suffix,
        NearKind::Prefix,
        NearKind::GluedCredit,
        NearKind::WordChanged,
        NearKind::NumberChanged,
        NearKind::SentenceDropped,
        NearKind::Truncated,
        NearKind::Noise,
    ];
}

/// Ground-truth label of one non-blank line; indices are 0-based positions in the
/// document's list of non-blank lines (see [`Document::lines`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Label {
    /// New text: the first occurrence in the corpus, even under aggressive folding.
    Original,
    /// Verbatim repeat (after trimming) of line `first` of the same document, part of a block of 2-5 lines.
    RepeatedBlock {
        /// Index of the first occurrence in this document.
        first: usize,
    },
    /// A line from the site's fixed boilerplate list (header or footer).
    Boilerplate,
    /// A site boilerplate line with a varying number, e.g. `12 Commentaires`.
    BoilerplateNumeric,
    /// A case/punctuation/whitespace variant of an earlier `Original` line of the same document.
    Variant {
        /// Index of the source line in this document.
        source: usize,
        /// What was changed.
        kind: VariantKind,
    },
    /// A wire paragraph first seen (labelled `Original`) in an earlier document.
    CrossDocument {
        /// Index (in generation order) of the document where it first appeared.
        first_document: usize,
    },
    /// An edited copy of the earlier `Original` line `source` of the same document: a
    /// near-duplicate that should go.
    NearDuplicate {
        /// Index of the source line in this document.
        source: usize,
        /// The edit.
        kind: NearKind,
    },
    /// New text around a long phrase shared with other paragraphs (a quotation's attribution,
    /// a legal fragment): not a duplicate of anything, and it should stay.
    HardNegative,
}

impl Label {
    /// Whether the label is `Boilerplate` or `BoilerplateNumeric`.
    pub fn is_boilerplate(self) -> bool {
        matches!(self, Label::Boilerplate | Label::BoilerplateNumeric)
    }
}

/// One generated document.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    /// Identifier `doc-NNNNNNN` (index in generation order).
    pub id: String,
    /// Index of the site in [`Generator::sites`].
    pub site: usize,
    /// Language of the document.
    pub script: Script,
    /// Lines joined by `\n` (or `\r\n` for the whole document), with occasional blank lines.
    pub text: String,
    /// One label per non-blank line, in order.
    pub labels: Vec<Label>,
}

impl Document {
    /// Non-blank lines (terminator stripped, not trimmed), one per label.
    pub fn lines(&self) -> Vec<&str> {
        self.text
            .split('\n')
            .map(|l| l.strip_suffix('\r').unwrap_or(l))
            .filter(|l| !l.trim().is_empty())
            .collect()
    }
}

/// A news site: its language and its fixed boilerplate.
#[derive(Debug, Clone, PartialEq)]
pub struct Site {
    /// Display name, unique in the corpus (e.g. `Sputnik Afrique`).
    pub name: String,
    /// Language of the site's documents and boilerplate.
    pub script: Script,
    /// Boilerplate lines that may open a document, in order.
    pub header: Vec<String>,
    /// Boilerplate lines that may close a document, in order.
    pub footer: Vec<String>,
    /// Templates of numeric boilerplate, `{n}` standing for a decimal number.
    pub numeric_templates: Vec<String>,
}

impl Site {
    /// Whether the trimmed line is one of the site's header or footer lines.
    pub fn contains(&self, line: &str) -> bool {
        let line = line.trim();
        self.header.iter().chain(&self.footer).any(|b| b == line)
    }

    /// Whether the trimmed line is a numeric template with `{n}` replaced by ASCII digits.
    pub fn matches_numeric(&self, line: &str) -> bool {
        let line = line.trim();
        self.numeric_templates.iter().any(|t| {
            let (pre, post) = t.split_once("{n}").unwrap_or((t, ""));
            line.strip_prefix(pre)
                .and_then(|rest| rest.strip_suffix(post))
                .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
        })
    }
}

/// Parameters of a synthetic corpus; rates are probabilities in `[0, 1]`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CorpusSpec {
    /// PRNG seed: same spec, same corpus.
    pub seed: u64,
    /// Number of documents produced by [`generate`].
    pub documents: usize,
    /// Number of sites (each with its own boilerplate); at least 1.
    pub sites: usize,
    /// Share of documents in a Latin script (French or English).
    pub latin_share: f64,
    /// Share of the Latin documents that are French (the rest are English).
    pub french_share: f64,
    /// Share of the non-Latin documents that are Russian (the rest are Chinese).
    pub russian_share: f64,
    /// Minimum number of new body paragraphs per document (at least 2).
    pub min_paragraphs: usize,
    /// Maximum number of new body paragraphs per document.
    pub max_paragraphs: usize,
    /// Per document: probability that a block of 2-5 body lines is repeated verbatim later.
    pub repeated_block_rate: f64,
    /// Per new body paragraph with an earlier `Original` line: probability of being a variant.
    pub variant_rate: f64,
    /// Per new body paragraph: probability of being a wire paragraph shared across documents.
    pub cross_document_rate: f64,
    /// Number of live wire paragraphs per script; each is reused in 2-12 documents, then replaced.
    pub wire_pool: usize,
    /// Per document: probability that it carries its site's boilerplate.
    pub boilerplate_rate: f64,
    /// Per document with boilerplate: probability of one numeric line (`N Commentaires`).
    pub numeric_boilerplate_rate: f64,
    /// Per line break: probability of an extra blank (empty or whitespace-only) line.
    pub blank_line_rate: f64,
    /// Per line: probability of leading or trailing ASCII spaces/tabs.
    pub padding_rate: f64,
    /// Per new body paragraph: probability of a near-duplicate of an earlier long `Original`.
    pub near_duplicate_rate: f64,
    /// Per new body paragraph: probability of a hard negative (new text around a shared phrase).
    pub hard_negative_rate: f64,
    /// Per document: probability that all its line breaks are `\r\n`.
    pub crlf_rate: f64,
}

impl Default for CorpusSpec {
    /// Same as [`CorpusSpec::web`].
    fn default() -> Self {
        Self::web()
    }
}

impl CorpusSpec {
    /// Web-scraped news: 72% French, 18% English, 6% Russian, 4% Chinese, 50 sites.
    pub fn web() -> Self {
        Self {
            seed: 0x5EED_0001,
            documents: 1000,
            sites: 50,
            latin_share: 0.90,
            french_share: 0.80,
            russian_share: 0.60,
            min_paragraphs: 3,
            max_paragraphs: 24,
            repeated_block_rate: 0.25,
            variant_rate: 0.04,
            cross_document_rate: 0.03,
            wire_pool: 48,
            boilerplate_rate: 0.85,
            numeric_boilerplate_rate: 0.5,
            blank_line_rate: 0.05,
            padding_rate: 0.02,
            crlf_rate: 0.05,
            near_duplicate_rate: 0.0,
            hard_negative_rate: 0.0,
        }
    }

    /// Like [`CorpusSpec::web`] with near-duplicates (every [`NearKind`]) and hard negatives,
    /// for the labelled evaluation of near-duplicate detection.
    pub fn near_duplicates() -> Self {
        Self {
            near_duplicate_rate: 0.12,
            hard_negative_rate: 0.12,
            ..Self::web()
        }
    }

    /// Like [`CorpusSpec::web`] but only Russian (Cyrillic) and Chinese (CJK), half each.
    pub fn non_latin() -> Self {
        Self {
            latin_share: 0.0,
            russian_share: 0.5,
            ..Self::web()
        }
    }

    /// Like [`CorpusSpec::web`] without any duplicate: no repeats, variants, wire or boilerplate.
    pub fn unique() -> Self {
        Self {
            repeated_block_rate: 0.0,
            variant_rate: 0.0,
            cross_document_rate: 0.0,
            boilerplate_rate: 0.0,
            ..Self::web()
        }
    }

    /// Returns the spec with another seed.
    pub fn with_seed(self, seed: u64) -> Self {
        Self { seed, ..self }
    }

    /// Returns the spec with another document count.
    pub fn with_documents(self, documents: usize) -> Self {
        Self { documents, ..self }
    }

    /// Expected share of documents per script, in [`Script::ALL`] order.
    pub fn script_shares(&self) -> [f64; 4] {
        let latin = clamp01(self.latin_share);
        let fr = clamp01(self.french_share);
        let ru = clamp01(self.russian_share);
        [
            latin * fr,
            latin * (1.0 - fr),
            (1.0 - latin) * ru,
            (1.0 - latin) * (1.0 - ru),
        ]
    }

    fn sanitized(&self) -> Self {
        let mut s = *self;
        s.sites = s.sites.max(1);
        s.min_paragraphs = s.min_paragraphs.max(2);
        s.max_paragraphs = s.max_paragraphs.max(s.min_paragraphs);
        s.wire_pool = s.wire_pool.max(1);
        s.repeated_block_rate = clamp01(s.repeated_block_rate);
        s.cross_document_rate = clamp01(s.cross_document_rate);
        s.variant_rate = clamp01(s.variant_rate).min(1.0 - s.cross_document_rate);
        s.boilerplate_rate = clamp01(s.boilerplate_rate);
        s.numeric_boilerplate_rate = clamp01(s.numeric_boilerplate_rate);
        s.blank_line_rate = clamp01(s.blank_line_rate);
        s.padding_rate = clamp01(s.padding_rate);
        s.crlf_rate = clamp01(s.crlf_rate);
        s.near_duplicate_rate = clamp01(s.near_duplicate_rate);
        s.hard_negative_rate = clamp01(s.hard_negative_rate);
        s
    }
}

fn clamp01(x: f64) -> f64 {
    if x.is_nan() {
        0.0
    } else {
        x.clamp(0.0, 1.0)
    }
}

/// Generates `spec.documents` documents.
pub fn generate(spec: &CorpusSpec) -> Vec<Document> {
    Generator::new(spec).take(spec.documents).collect()
}

/// Generates documents (ignoring `spec.documents`) until their total text length is at least `min_bytes`.
pub fn generate_bytes(spec: &CorpusSpec, min_bytes: usize) -> Vec<Document> {
    let mut generator = Generator::new(spec);
    let mut docs = Vec::new();
    let mut total = 0;
    while total < min_bytes {
        let doc = generator.next_document();
        total += doc.text.len();
        docs.push(doc);
    }
    docs
}

/// The sites (boilerplate lists) used by a spec's corpus, indexed by [`Document::site`].
pub fn sites(spec: &CorpusSpec) -> Vec<Site> {
    Generator::new(spec).sites
}

/// Total length in bytes of the documents' texts.
pub fn total_bytes(docs: &[Document]) -> usize {
    docs.iter().map(|d| d.text.len()).sum()
}

/// JSON Lines: `{"id":…,"text":…,"site":…}` per document, each line ending with `\n`.
pub fn to_jsonl(docs: &[Document]) -> String {
    let mut out = String::with_capacity(total_bytes(docs) + docs.len() * 64);
    for doc in docs {
        out.push_str("{\"id\":\"");
        json_escape(&doc.id, &mut out);
        out.push_str("\",\"text\":\"");
        json_escape(&doc.text, &mut out);
        let _ = writeln!(out, "\",\"site\":{}}}", doc.site);
    }
    out
}

fn json_escape(s: &str, out: &mut String) {
    let mut start = 0;
    for (i, b) in s.bytes().enumerate() {
        let short = match b {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0..=0x1f => "",
            _ => continue,
        };
        // Escaped bytes are ASCII, so `i` is a char boundary.
        out.push_str(&s[start..i]);
        if short.is_empty() {
            let _ = write!(out, "\\u{:04x}", b);
        } else {
            out.push_str(short);
        }
        start = i + 1;
    }
    out.push_str(&s[start..]);
}

/// Whether `c` is punctuation for [`loose_key`]: ASCII punctuation/symbols and the Unicode punctuation the generator emits.
pub fn is_punctuation(c: char) -> bool {
    c.is_ascii_punctuation()
        || matches!(
            c,
            '«' | '»'
                | '‹'
                | '›'
                | '“'
                | '”'
                | '„'
                | '‟'
                | '‘'
                | '’'
                | '‚'
                | '‛'
                | '…'
                | '‐'..='―'
                | '′'
                | '″'
                | '·'
                | '•'
                | '¡'
                | '¿'
                | '§'
                | '¶'
                | '、'
                | '。'
                | '〃'
                | '〈'..='】'
                | '〔'..='〟'
                | '・'
                | '\u{ff01}'..='\u{ff0f}'
                | '\u{ff1a}'..='\u{ff20}'
                | '\u{ff3b}'..='\u{ff40}'
                | '\u{ff5b}'..='\u{ff65}'
        )
}

/// Loose comparison key: lowercase, punctuation → space, whitespace runs → one space, trimmed.
pub fn loose_key(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut pending = false;
    for c in s.chars() {
        if c.is_whitespace() || is_punctuation(c) {
            pending = true;
            continue;
        }
        if pending && !out.is_empty() {
            out.push(' ');
        }
        pending = false;
        out.extend(c.to_lowercase());
    }
    out
}

/// Folded characters hashed by [`fold_hash`]: a prefix check is conservative (equal folds have equal prefixes).
const FOLD_PREFIX: usize = 160;

/// Aggressive key used to keep `Original` paragraphs distinct: lowercase alphanumerics only, digits → 0,
/// diacritics stripped; only the first [`FOLD_PREFIX`] folded characters are hashed.
fn fold_hash(s: &str) -> u64 {
    let mut f = Fold {
        h: 0xCBF2_9CE4_8422_2325,
        fed: 0,
    };
    for c in s.chars() {
        if f.fed >= FOLD_PREFIX {
            break;
        }
        let cp = c as u32;
        // Fast paths for what the generator emits; each agrees with `fold_char_generic`.
        match cp {
            0x30..=0x39 => f.feed('0'),
            0x41..=0x5A => f.feed(char::from(c as u8 + 32)),
            0x61..=0x7A => f.feed(c),
            0..=0x7F | 0xA0 | 0xAB | 0xBB | 0xD7 | 0xF7 => {}
            0xC0..=0xDE => fold_lower(char::from_u32(cp + 32).unwrap_or(c), &mut f),
            0xDF..=0xFF | 0x430..=0x45F => fold_lower(c, &mut f),
            0x410..=0x42F => fold_lower(char::from_u32(cp + 32).unwrap_or(c), &mut f),
            0x400..=0x40F => fold_lower(char::from_u32(cp + 80).unwrap_or(c), &mut f),
            0x4E00..=0x9FFF => f.feed(c),
            0x2000..=0x206F | 0x3000..=0x3003 | 0x3008..=0x3011 => {}
            0xFF01 | 0xFF08 | 0xFF09 | 0xFF0C | 0xFF1A | 0xFF1B | 0xFF1F => {}
            _ => fold_char_generic(c, &mut f),
        }
    }
    // Final avalanche so the identity hasher below spreads well.
    let mut h = f.h;
    h ^= h >> 33;
    h = h.wrapping_mul(0xFF51_AFD7_ED55_8CCD);
    h ^ (h >> 33)
}

/// Folding of one character for [`fold_hash`]: dropped unless alphanumeric, digits → `0`, lowercased, diacritics stripped.
fn fold_char_generic(c: char, f: &mut Fold) {
    if !c.is_alphanumeric() {
        return;
    }
    if c.is_numeric() {
        f.feed('0');
        return;
    }
    for l in c.to_lowercase() {
        fold_lower(l, f);
    }
}

/// Strips the diacritics of a lowercase letter.
fn fold_lower(l: char, f: &mut Fold) {
    match l {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' => f.feed('a'),
        'ç' => f.feed('c'),
        'è' | 'é' | 'ê' | 'ë' => f.feed('e'),
        'ì' | 'í' | 'î' | 'ï' => f.feed('i'),
        'ñ' => f.feed('n'),
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' => f.feed('o'),
        'ù' | 'ú' | 'û' | 'ü' => f.feed('u'),
        'ý' | 'ÿ' => f.feed('y'),
        'œ' => {
            f.feed('o');
            f.feed('e');
        }
        'æ' => {
            f.feed('a');
            f.feed('e');
        }
        'ё' => f.feed('е'),
        'й' => f.feed('и'),
        _ => f.feed(l),
    }
}

/// Running FNV-style hash of folded characters.
struct Fold {
    h: u64,
    fed: usize,
}

impl Fold {
    fn feed(&mut self, c: char) {
        self.h = (self.h ^ u64::from(c)).wrapping_mul(0x0000_0100_0000_01B3);
        self.fed += 1;
    }
}

#[derive(Default)]
struct IdHasher(u64);

impl Hasher for IdHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 << 8) | u64::from(b);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

type FoldSet = HashSet<u64, BuildHasherDefault<IdHasher>>;

// ---------------------------------------------------------------------------
// Generator
// ---------------------------------------------------------------------------

/// Probability that a given site header/footer line appears in a document with boilerplate.
const BOILERPLATE_KEEP: f64 = 0.85;

struct Wire {
    text: String,
    first_document: Option<usize>,
    uses_left: usize,
}

/// Infinite, deterministic stream of documents for a spec ([`generate`] takes `spec.documents` of them).
pub struct Generator {
    spec: CorpusSpec,
    shares: [f64; 4],
    prose: Prose,
    sites: Vec<Site>,
    sites_by_script: [Vec<usize>; 4],
    wire: [Vec<Wire>; 4],
    seen: FoldSet,
    produced: usize,
    lines: Vec<String>,
    n: usize,
    labels: Vec<Label>,
    originals: Vec<usize>,
    wire_used: Vec<usize>,
    /// The current document's site.
    site: usize,
}

impl Iterator for Generator {
    type Item = Document;

    fn next(&mut self) -> Option<Document> {
        Some(self.next_document())
    }
}

impl Generator {
    /// Creates the generator: builds the sites and the wire pools from the seed.
    pub fn new(spec: &CorpusSpec) -> Self {
        let spec = spec.sanitized();
        let shares = spec.script_shares();
        let mut prose = Prose {
            rng: SplitMix64::new(spec.seed ^ 0x7061_7261_6465_6475),
            lex: Script::ALL.map(Lexicon::new),
        };
        let sites = build_sites(&mut prose.rng, &shares, spec.sites);
        let mut seen = FoldSet::default();
        for site in &sites {
            for line in site.header.iter().chain(&site.footer) {
                seen.insert(fold_hash(line));
            }
        }
        let mut sites_by_script: [Vec<usize>; 4] = Default::default();
        for (i, site) in sites.iter().enumerate() {
            sites_by_script[site.script.idx()].push(i);
        }
        let mut generator = Self {
            spec,
            shares,
            prose,
            sites,
            sites_by_script,
            wire: Default::default(),
            seen,
            produced: 0,
            lines: Vec::new(),
            n: 0,
            labels: Vec::new(),
            originals: Vec::new(),
            wire_used: Vec::new(),
            site: 0,
        };
        if spec.cross_document_rate > 0.0 {
            for script in Script::ALL {
                if shares[script.idx()] > 0.0 {
                    for _ in 0..spec.wire_pool {
                        let wire = generator.new_wire(script);
                        generator.wire[script.idx()].push(wire);
                    }
                }
            }
        }
        generator
    }

    /// The sites, indexed by [`Document::site`].
    pub fn sites(&self) -> &[Site] {
        &self.sites
    }

    /// Generates the next document.
    pub fn next_document(&mut self) -> Document {
        let index = self.produced;
        self.produced += 1;
        let spec = self.spec;
        self.n = 0;
        self.labels = Vec::with_capacity(48);
        self.originals.clear();
        self.wire_used.clear();

        let script = {
            let mut u = self.prose.rng.unit();
            let mut chosen = Script::French;
            for script in Script::ALL {
                let share = self.shares[script.idx()];
                if share > 0.0 {
                    chosen = script;
                    if u < share {
                        break;
                    }
                    u -= share;
                }
            }
            chosen
        };
        let candidates = &self.sites_by_script[script.idx()];
        let site = if candidates.is_empty() {
            self.prose.rng.below(self.sites.len())
        } else {
            *self.prose.rng.pick(candidates)
        };
        let style = self.prose.style(script);
        let crlf = self.prose.rng.chance(spec.crlf_rate);
        self.site = site;

        // Boilerplate plan.
        let (header_len, footer_len, numeric_len) = {
            let s = &self.sites[site];
            (s.header.len(), s.footer.len(), s.numeric_templates.len())
        };
        let mut header_mask = 0u64;
        let mut footer_mask = 0u64;
        let mut numeric: Option<(bool, usize, usize)> = None;
        if self.prose.rng.chance(spec.boilerplate_rate) {
            let rng = &mut self.prose.rng;
            for i in 0..header_len {
                if rng.chance(BOILERPLATE_KEEP) {
                    header_mask |= 1 << i;
                }
            }
            for i in 0..footer_len {
                if rng.chance(BOILERPLATE_KEEP) {
                    footer_mask |= 1 << i;
                }
            }
            if numeric_len > 0 && rng.chance(spec.numeric_boilerplate_rate) {
                let count = match rng.unit() {
                    u if u < 0.35 => 0,
                    u if u < 0.80 => rng.range(1, 20),
                    _ => rng.range(21, 999),
                };
                numeric = Some((rng.chance(0.25), rng.below(numeric_len), count));
            }
            if header_mask == 0 && footer_mask == 0 && numeric.is_none() {
                if footer_len > 0 {
                    footer_mask = 1;
                } else if header_len > 0 {
                    header_mask = 1;
                }
            }
        }

        // Header.
        if let Some((true, template, count)) = numeric {
            self.push_numeric(site, template, count);
        }
        for i in 0..header_len {
            if (header_mask >> i) & 1 == 1 {
                self.push_boilerplate(site, false, i);
            }
        }

        // Body: new lines, with at most one repeated block inserted after its source.
        let body_start = self.n;
        let rng = &mut self.prose.rng;
        let new_lines = rng.range(spec.min_paragraphs, spec.max_paragraphs);
        let block = if rng.chance(spec.repeated_block_rate) {
            let len = rng.range(2, 5).min(new_lines);
            let start = rng.below(new_lines - len + 1);
            let at = if rng.chance(0.6) {
                start + len
            } else {
                rng.range(start + len, new_lines)
            };
            Some((start, len, at))
        } else {
            None
        };
        for j in 0..=new_lines {
            if let Some((start, len, at)) = block {
                if at == j {
                    for t in 0..len {
                        self.push_copy(body_start + start + t);
                    }
                }
            }
            if j < new_lines {
                self.push_body_line(index, script, style, j == 0);
            }
        }

        // Footer.
        let selected = footer_mask.count_ones() as usize;
        let numeric_at = match numeric {
            Some((false, template, count)) => {
                Some((self.prose.rng.below(selected + 1), template, count))
            }
            _ => None,
        };
        let mut emitted = 0;
        for i in 0..footer_len {
            if (footer_mask >> i) & 1 == 1 {
                if let Some((at, template, count)) = numeric_at {
                    if at == emitted {
                        self.push_numeric(site, template, count);
                    }
                }
                self.push_boilerplate(site, true, i);
                emitted += 1;
            }
        }
        if let Some((at, template, count)) = numeric_at {
            if at == selected {
                self.push_numeric(site, template, count);
            }
        }

        let text = self.assemble(crlf);
        Document {
            id: format!("doc-{index:07}"),
            site,
            script,
            text,
            labels: std::mem::take(&mut self.labels),
        }
    }

    fn slot(&mut self) -> usize {
        let k = self.n;
        if k == self.lines.len() {
            self.lines.push(String::with_capacity(512));
        } else {
            self.lines[k].clear();
        }
        self.n += 1;
        k
    }

    fn push_boilerplate(&mut self, site: usize, footer: bool, i: usize) {
        let k = self.slot();
        let s = &self.sites[site];
        let line = if footer { &s.footer[i] } else { &s.header[i] };
        self.lines[k].push_str(line);
        self.labels.push(Label::Boilerplate);
    }

    fn push_numeric(&mut self, site: usize, template: usize, count: usize) {
        let k = self.slot();
        let t = &self.sites[site].numeric_templates[template];
        let (pre, post) = t.split_once("{n}").unwrap_or((t, ""));
        let out = &mut self.lines[k];
        out.push_str(pre);
        let _ = write!(out, "{count}");
        out.push_str(post);
        self.labels.push(Label::BoilerplateNumeric);
    }

    fn push_copy(&mut self, source: usize) {
        let k = self.slot();
        let (before, after) = self.lines.split_at_mut(k);
        after[0].push_str(&before[source]);
        self.labels.push(Label::RepeatedBlock { first: source });
    }

    fn push_body_line(&mut self, index: usize, script: Script, style: Style, first: bool) {
        let cross = self.spec.cross_document_rate;
        let variant = self.spec.variant_rate;
        let r = self.prose.rng.unit();
        if r < cross {
            if self.push_wire(index, script) {
                return;
            }
        } else if r < cross + variant && self.push_variant(script) {
            return;
        }
        // Drawn only when asked for, so corpora without them are unchanged.
        let (near, hard) = (self.spec.near_duplicate_rate, self.spec.hard_negative_rate);
        if near > 0.0 && self.prose.rng.chance(near) && self.push_near(script) {
            return;
        }
        if hard > 0.0 && self.prose.rng.chance(hard) {
            self.push_hard_negative(script, style);
            return;
        }
        let headline = first && self.prose.rng.chance(0.75);
        self.push_original(script, style, headline);
    }

    fn push_original(&mut self, script: Script, style: Style, headline: bool) {
        let k = self.slot();
        let mut attempt = 0;
        loop {
            let out = &mut self.lines[k];
            out.clear();
            let words = if headline { 0 } else { self.prose.body_words() };
            if headline || (words <= 8 && self.prose.rng.chance(0.5)) {
                self.prose.headline(out, script, style);
            } else {
                self.prose.paragraph(out, script, style, words);
            }
            for _ in 8..attempt {
                self.prose.extra_word(out, script);
            }
            if self.seen.insert(fold_hash(out)) {
                break;
            }
            attempt += 1;
        }
        self.labels.push(Label::Original);
        self.originals.push(k);
    }

    fn push_wire(&mut self, index: usize, script: Script) -> bool {
        let si = script.idx();
        let pool = self.wire[si].len();
        if pool == 0 {
            return false;
        }
        for _ in 0..4 {
            let w = self.prose.rng.below(pool);
            if self.wire_used.contains(&w) {
                continue;
            }
            self.wire_used.push(w);
            let k = self.slot();
            let entry = &mut self.wire[si][w];
            self.lines[k].push_str(&entry.text);
            let label = match entry.first_document {
                Some(first_document) => Label::CrossDocument { first_document },
                None => {
                    entry.first_document = Some(index);
                    self.originals.push(k);
                    Label::Original
                }
            };
            entry.uses_left -= 1;
            if entry.uses_left == 0 {
                self.wire[si][w] = self.new_wire(script);
            }
            self.labels.push(label);
            return true;
        }
        false
    }

    fn new_wire(&mut self, script: Script) -> Wire {
        let mut text = String::with_capacity(512);
        loop {
            text.clear();
            let style = self.prose.style(script);
            self.prose.wire(&mut text, script, style);
            if self.seen.insert(fold_hash(&text)) {
                break;
            }
        }
        Wire {
            text,
            first_document: None,
            uses_left: self.prose.rng.range(2, 12),
        }
    }

    fn push_variant(&mut self, script: Script) -> bool {
        if self.originals.is_empty() {
            return false;
        }
        let source = *self.prose.rng.pick(&self.originals);
        let k = self.slot();
        let start = self.prose.rng.below(VariantKind::ALL.len());
        for t in 0..VariantKind::ALL.len() {
            let kind = VariantKind::ALL[(start + t) % VariantKind::ALL.len()];
            let (before, after) = self.lines.split_at_mut(k);
            let src = &before[source];
            let out = &mut after[0];
            out.clear();
            if !apply_variant(kind, src, out, script, &mut self.prose.rng)
                || out.trim() == src.trim()
            {
                continue;
            }
            let out = &after[0];
            let duplicate = self.labels.iter().enumerate().any(|(i, l)| {
                matches!(l, Label::Variant { source: s, .. } if *s == source) && before[i] == *out
            });
            if duplicate {
                continue;
            }
            self.labels.push(Label::Variant { source, kind });
            return true;
        }
        self.n -= 1;
        false
    }

    /// Pushes a near-duplicate of a long enough `Original` line; false (nothing pushed) when
    /// there is none or no edit gives a new line.
    fn push_near(&mut self, script: Script) -> bool {
        let long: Vec<usize> = self
            .originals
            .iter()
            .copied()
            .filter(|&i| words_of(&self.lines[i], script) >= 10)
            .collect();
        if long.is_empty() {
            return false;
        }
        let source = *self.prose.rng.pick(&long);
        let k = self.slot();
        let start = self.prose.rng.below(NearKind::ALL.len());
        for t in 0..NearKind::ALL.len() {
            let kind = NearKind::ALL[(start + t) % NearKind::ALL.len()];
            let (before, after) = self.lines.split_at_mut(k);
            let out = &mut after[0];
            out.clear();
            let site = &self.sites[self.site].name;
            if !apply_near(kind, &before[source], out, script, site, &mut self.prose) {
                continue;
            }
            if self.seen.insert(fold_hash(out)) {
                self.labels.push(Label::NearDuplicate { source, kind });
                return true;
            }
        }
        self.n -= 1;
        false
    }

    /// Pushes new text around one of the script's shared phrases.
    fn push_hard_negative(&mut self, script: Script, style: Style) {
        let k = self.slot();
        loop {
            let out = &mut self.lines[k];
            out.clear();
            let prose = &mut self.prose;
            let phrase = *prose.rng.pick(shared_phrases(script));
            let (lead, tail) = (prose.rng.range(3, 14), prose.rng.range(3, 14));
            let inner = Style {
                quotes: false,
                ..style
            };
            prose.sentence(out, script, inner, lead, false);
            out.push_str(if script == Script::Chinese {
                "，"
            } else {
                ", "
            });
            out.push_str(phrase);
            out.push_str(if script == Script::Chinese {
                "。"
            } else {
                ". "
            });
            prose.sentence(out, script, inner, tail, true);
            if self.seen.insert(fold_hash(out)) {
                break;
            }
        }
        self.labels.push(Label::HardNegative);
    }

    fn assemble(&mut self, crlf: bool) -> String {
        let nl = if crlf { "\r\n" } else { "\n" };
        let lines = &self.lines[..self.n];
        let rng = &mut self.prose.rng;
        let capacity = lines.iter().map(|l| l.len() + 4).sum::<usize>() + 16;
        let mut text = String::with_capacity(capacity);
        let blank = self.spec.blank_line_rate;
        let padding = self.spec.padding_rate;
        if rng.chance(blank * 0.5) {
            text.push_str(nl);
        }
        for (i, line) in lines.iter().enumerate() {
            if i > 0 {
                text.push_str(nl);
                if rng.chance(blank) {
                    match rng.below(5) {
                        0 => text.push(' '),
                        1 => text.push('\t'),
                        _ => {}
                    }
                    text.push_str(nl);
                }
            }
            if rng.chance(padding) {
                match rng.below(4) {
                    0 => {
                        text.push(' ');
                        text.push_str(line);
                    }
                    1 => {
                        text.push('\t');
                        text.push_str(line);
                    }
                    2 => {
                        text.push_str(line);
                        text.push_str("  ");
                    }
                    _ => {
                        text.push_str(line);
                        text.push_str(" \t");
                    }
                }
            } else {
                text.push_str(line);
            }
        }
        if rng.chance(0.3) {
            text.push_str(nl);
        }
        text
    }
}

// ---------------------------------------------------------------------------
// Variants
// ---------------------------------------------------------------------------

/// Words of a line: space-separated tokens, or characters for Chinese.
fn words_of(line: &str, script: Script) -> usize {
    if script == Script::Chinese {
        line.chars().count() / 2
    } else {
        line.split_whitespace().count()
    }
}

/// Long phrases that unrelated paragraphs share: attributions, legal fragments, stock phrases.
fn shared_phrases(script: Script) -> &'static [&'static str] {
    match script {
        Script::French => &[
            "a déclaré le porte-parole du Kremlin Dmitri Peskov lors d'une conférence de presse",
            "selon un communiqué publié mercredi sur le site du ministère de la Défense",
            "tous droits de reproduction et de représentation réservés",
            "dans le cadre de la lutte contre le terrorisme international",
            "a indiqué une source haut placée citée par le quotidien Kommersant",
        ],
        Script::English => &[
            "a Kremlin spokesman told reporters during a conference call on Wednesday",
            "according to a statement posted on the website of the defence ministry",
            "all rights reserved and this material may not be published or broadcast",
            "as part of the fight against international terrorism in the region",
        ],
        Script::Russian => &[
            "заявил журналистам пресс-секретарь президента России Дмитрий Песков в среду",
            "говорится в сообщении опубликованном на сайте министерства обороны",
            "все права защищены при цитировании ссылка на источник обязательна",
            "в рамках борьбы с международным терроризмом в регионе",
        ],
        Script::Chinese => &[
            "外交部发言人在例行记者会上回答记者提问时表示",
            "版权所有未经许可不得转载或以其他方式使用",
            "据新华社援引国防部网站发布的声明报道",
        ],
    }
}

/// Writes the `kind` edit of `src` into `out`; false when it does not apply to this line.
fn apply_near(
    kind: NearKind,
    src: &str,
    out: &mut String,
    script: Script,
    site: &str,
    prose: &mut Prose,
) -> bool {
    let cjk = script == Script::Chinese;
    match kind {
        NearKind::Suffix => {
            out.push_str(src);
            out.push_str(if cjk { "——" } else { " - " });
            out.push_str(site);
        }
        NearKind::Prefix => {
            let tags: &[&str] = match script {
                Script::French => &["EXCLUSIF : ", "VIDÉO. ", "Mise à jour : "],
                Script::English => &["EXCLUSIVE: ", "UPDATE: ", "WATCH: "],
                Script::Russian => &["ЭКСКЛЮЗИВ: ", "ВИДЕО. ", "Обновлено: "],
                Script::Chinese => &["独家：", "视频｜", "更新："],
            };
            let tag = *prose.rng.pick(tags);
            out.push_str(tag);
            out.push_str(src);
        }
        NearKind::GluedCredit => {
            let agencies = ["Reuters", "AFP", "Flickr", "AP Photo", "Sputnik", "EPA"];
            let a = *prose.rng.pick(&agencies);
            let b = *prose.rng.pick(&agencies);
            let _ = write!(out, "© {a} / {b} Photos");
            out.push_str(src);
        }
        NearKind::WordChanged | NearKind::NumberChanged | NearKind::Noise => {
            if cjk {
                let chars: Vec<char> = src.chars().collect();
                let at = prose.rng.range(2, chars.len().saturating_sub(2).max(3));
                for (i, c) in chars.iter().enumerate() {
                    if i == at {
                        match kind {
                            NearKind::WordChanged => out.push_str(prose.word(script)),
                            NearKind::NumberChanged => {
                                let _ = write!(out, "{}", prose.rng.range(10, 99));
                            }
                            _ => {}
                        }
                        continue;
                    }
                    out.push(*c);
                }
                return true;
            }
            let words: Vec<&str> = src.split(' ').collect();
            let digits: Vec<usize> = (0..words.len())
                .filter(|&i| words[i].bytes().any(|b| b.is_ascii_digit()))
                .collect();
            let at = match kind {
                NearKind::NumberChanged if !digits.is_empty() => *prose.rng.pick(&digits),
                _ => prose.rng.range(1, words.len() - 1),
            };
            for (i, word) in words.iter().enumerate() {
                if i == at && kind == NearKind::Noise {
                    continue;
                }
                if !out.is_empty() {
                    out.push(' ');
                }
                if i != at {
                    if kind == NearKind::Noise {
                        out.extend(
                            word.chars()
                                .filter(|c| *c != ',')
                                .flat_map(char::to_uppercase),
                        );
                    } else {
                        out.push_str(word);
                    }
                    continue;
                }
                match kind {
                    NearKind::WordChanged => out.push_str(prose.word(script)),
                    _ => {
                        let _ = write!(out, "{}", prose.rng.range(1000, 9999));
                    }
                }
            }
            if kind == NearKind::Noise {
                out.push_str(" !!");
            }
        }
        NearKind::SentenceDropped => {
            let end = if cjk { "。" } else { ". " };
            let sentences: Vec<&str> = src.split_inclusive(end).collect();
            if sentences.len() < 3 {
                return false;
            }
            let drop = prose.rng.below(sentences.len());
            for (i, sentence) in sentences.iter().enumerate() {
                if i != drop {
                    out.push_str(sentence);
                }
            }
            let trimmed = out.trim_end().len();
            out.truncate(trimmed);
        }
        NearKind::Truncated => {
            let chars: Vec<(usize, char)> = src.char_indices().collect();
            let keep = chars.len() * prose.rng.range(75, 88) / 100;
            let cut = if cjk {
                chars[keep].0
            } else {
                match src[..chars[keep].0].rfind(' ') {
                    Some(space) => space,
                    None => return false,
                }
            };
            out.push_str(src[..cut].trim_end());
            out.push('…');
        }
    }
    true
}

fn apply_variant(
    kind: VariantKind,
    src: &str,
    out: &mut String,
    script: Script,
    rng: &mut SplitMix64,
) -> bool {
    match kind {
        VariantKind::Case => {
            if script == Script::Chinese {
                return false;
            }
            if src.split(' ').count() <= 12 || rng.chance(0.3) {
                out.extend(src.chars().flat_map(char::to_uppercase));
            } else {
                out.extend(src.chars().flat_map(char::to_lowercase));
            }
            true
        }
        VariantKind::Quotes => {
            const TYPOGRAPHIC: [char; 8] = ['«', '»', '“', '”', '„', '’', '「', '」'];
            if src.contains(TYPOGRAPHIC) {
                let mut chars = src.chars().peekable();
                while let Some(c) = chars.next() {
                    match c {
                        '«' | '»' | '“' | '”' | '„' | '「' | '」' => {
                            if c == '»' && out.ends_with('\u{a0}') {
                                out.pop();
                            }
                            out.push('"');
                            if c == '«' && chars.peek() == Some(&'\u{a0}') {
                                chars.next();
                            }
                        }
                        '’' => out.push('\''),
                        _ => out.push(c),
                    }
                }
                true
            } else if src.contains(['"', '\'']) {
                let (open, close) = match script {
                    Script::French => ("«\u{a0}", "\u{a0}»"),
                    Script::Russian => ("«", "»"),
                    Script::English | Script::Chinese => ("“", "”"),
                };
                let mut opening = true;
                for c in src.chars() {
                    match c {
                        '"' => {
                            out.push_str(if opening { open } else { close });
                            opening = !opening;
                        }
                        '\'' => out.push('’'),
                        _ => out.push(c),
                    }
                }
                true
            } else {
                false
            }
        }
        VariantKind::Spacing => {
            if script == Script::Chinese {
                let mut changed = false;
                for (i, c) in src.char_indices() {
                    out.push(c);
                    if matches!(c, '，' | '。' | '：' | '；' | '、') && i + c.len_utf8() < src.len()
                    {
                        out.push(' ');
                        changed = true;
                    }
                }
                changed
            } else if src.contains(", ") {
                for (i, part) in src.split(", ").enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    out.push_str(part);
                }
                true
            } else {
                let mut changed = false;
                for c in src.chars() {
                    out.push(c);
                    if c == ' ' && (!changed || rng.chance(0.2)) {
                        out.push(' ');
                        changed = true;
                    }
                }
                changed
            }
        }
        VariantKind::Punctuation => {
            if script == Script::Chinese {
                let mut changed = false;
                for c in src.chars() {
                    let m = match c {
                        '，' => ',',
                        '。' => '.',
                        '：' => ':',
                        '；' => ';',
                        '？' => '?',
                        '！' => '!',
                        _ => c,
                    };
                    changed |= m != c;
                    out.push(m);
                }
                return changed;
            }
            let t = src.trim_end();
            if t.ends_with("...") || t.ends_with('…') {
                return false;
            }
            if let Some(stripped) = t.strip_suffix(['.', '?', '!']) {
                out.push_str(stripped.trim_end());
            } else {
                out.push_str(t);
                out.push('.');
            }
            true
        }
        VariantKind::Ellipsis => {
            if let Some(s) = src.strip_suffix('…') {
                out.push_str(s);
                out.push_str("...");
            } else if let Some(s) = src.strip_suffix("...") {
                out.push_str(s);
                out.push('…');
            } else if let Some(s) = src.strip_suffix(['.', '。']) {
                out.push_str(s);
                out.push('…');
            } else {
                out.push_str(src);
                out.push('…');
            }
            true
        }
    }
}

// ---------------------------------------------------------------------------
// Prose
// ---------------------------------------------------------------------------

#[derive(Clone, Copy)]
struct Style {
    open: &'static str,
    close: &'static str,
    apostrophe: char,
    /// Whether sentences may contain a quoted segment (off inside a quotation).
    quotes: bool,
}

struct Lexicon {
    words: Vec<&'static str>,
    entities: Vec<&'static str>,
    elided: Vec<&'static str>,
    verbs: Vec<&'static str>,
    tails: Vec<&'static str>,
}

impl Lexicon {
    fn new(script: Script) -> Self {
        // English, Russian and Chinese have no elided forms; Chinese sentences take no tail
        // (the one empty entry).
        let none: &[&str] = &[];
        let (words, entities, elided, verbs, tails) = match script {
            Script::French => (
                list!("fr/words.txt"),
                list!("fr/entities.txt"),
                list!("fr/elided.txt"),
                list!("fr/verbs.txt"),
                list!("fr/tails.txt"),
            ),
            Script::English => (
                list!("en/words.txt"),
                list!("en/entities.txt"),
                none,
                list!("en/verbs.txt"),
                list!("en/tails.txt"),
            ),
            Script::Russian => (
                list!("ru/words.txt"),
                list!("ru/entities.txt"),
                none,
                list!("ru/verbs.txt"),
                list!("ru/tails.txt"),
            ),
            Script::Chinese => (
                list!("zh/words.txt"),
                list!("zh/entities.txt"),
                none,
                list!("zh/verbs.txt"),
                &[""][..],
            ),
        };
        Self {
            words: words.to_vec(),
            entities: entities.to_vec(),
            elided: elided.to_vec(),
            verbs: verbs.to_vec(),
            tails: tails.to_vec(),
        }
    }
}

/// Pushes a token, optionally capitalized, with `'` rendered as `apostrophe`.
fn push_token(out: &mut String, token: &str, apostrophe: char, capitalize: bool) {
    let mut rest = token;
    if capitalize {
        let mut chars = token.chars();
        if let Some(c) = chars.next() {
            out.extend(c.to_uppercase());
        }
        rest = chars.as_str();
    }
    if apostrophe != '\'' && rest.contains('\'') {
        out.extend(rest.chars().map(|c| if c == '\'' { apostrophe } else { c }));
    } else {
        out.push_str(rest);
    }
}

struct Prose {
    rng: SplitMix64,
    lex: [Lexicon; 4],
}

impl Prose {
    fn style(&mut self, script: Script) -> Style {
        let u = self.rng.unit();
        let (open, close) = match script {
            Script::French if u < 0.50 => ("«\u{a0}", "\u{a0}»"),
            Script::French if u < 0.85 => ("\"", "\""),
            Script::French => ("“", "”"),
            Script::English if u < 0.5 => ("“", "”"),
            Script::English => ("\"", "\""),
            Script::Russian if u < 0.75 => ("«", "»"),
            Script::Russian if u < 0.85 => ("„", "“"),
            Script::Russian => ("\"", "\""),
            Script::Chinese if u < 0.8 => ("“", "”"),
            Script::Chinese => ("「", "」"),
        };
        let apostrophe = match script {
            Script::French if self.rng.chance(0.4) => '’',
            Script::English if self.rng.chance(0.5) => '’',
            _ => '\'',
        };
        Style {
            open,
            close,
            apostrophe,
            quotes: true,
        }
    }

    /// Number of words of a new body paragraph.
    fn body_words(&mut self) -> usize {
        match self.rng.unit() {
            u if u < 0.12 => self.rng.range(3, 8),
            u if u < 0.27 => self.rng.range(8, 20),
            u if u < 0.65 => self.rng.range(20, 60),
            _ => self.rng.range(60, 150),
        }
    }

    fn word(&mut self, script: Script) -> &'static str {
        let words = &self.lex[script.idx()].words;
        let u = self.rng.unit();
        // Zipf-like: function words (listed first) are much more frequent.
        let i = (u * u * words.len() as f64) as usize;
        words[i.min(words.len() - 1)]
    }

    fn entity(&mut self, script: Script) -> &'static str {
        let entities = &self.lex[script.idx()].entities;
        entities[self.rng.below(entities.len())]
    }

    fn token(&mut self, out: &mut String, script: Script, style: Style, capitalize: bool) {
        let r = self.rng.unit();
        if r < 0.05 {
            let e = self.entity(script);
            push_token(out, e, style.apostrophe, capitalize);
        } else if r < 0.08 {
            self.number(out, script);
        } else if script == Script::French && r < 0.14 {
            let elided = &self.lex[0].elided;
            let e = elided[self.rng.below(elided.len())];
            push_token(out, e, style.apostrophe, capitalize);
        } else {
            let w = self.word(script);
            push_token(out, w, style.apostrophe, capitalize);
        }
    }

    fn number(&mut self, out: &mut String, script: Script) {
        let rng = &mut self.rng;
        let r = rng.unit();
        let a = rng.range(1, 999);
        let b = rng.range(1, 9);
        let year = rng.range(1990, 2016);
        let _ = match script {
            Script::French if r < 0.4 => write!(out, "{a}"),
            Script::French if r < 0.6 => write!(out, "{year}"),
            Script::French if r < 0.8 => write!(out, "{a},{b}\u{a0}%"),
            Script::French => write!(out, "{a} millions"),
            Script::English if r < 0.4 => write!(out, "{a}"),
            Script::English if r < 0.6 => write!(out, "{year}"),
            Script::English if r < 0.8 => write!(out, "{a}.{b}%"),
            Script::English => write!(out, "{b},{a:03}"),
            Script::Russian if r < 0.4 => write!(out, "{a}"),
            Script::Russian if r < 0.6 => write!(out, "{year} года"),
            Script::Russian if r < 0.8 => write!(out, "{a},{b}%"),
            Script::Russian => write!(out, "{a} млн"),
            Script::Chinese if r < 0.4 => write!(out, "{a}"),
            Script::Chinese if r < 0.6 => write!(out, "{year}年"),
            Script::Chinese if r < 0.8 => write!(out, "{a}.{b}%"),
            Script::Chinese => write!(out, "{a}亿"),
        };
    }

    fn extra_word(&mut self, out: &mut String, script: Script) {
        if script != Script::Chinese {
            out.push(' ');
        }
        let w = self.word(script);
        out.push_str(w);
    }

    /// A sentence of `n` tokens, optionally with a quoted segment and a terminal mark.
    fn sentence(&mut self, out: &mut String, script: Script, style: Style, n: usize, end: bool) {
        let n = n.max(1);
        let cjk = script == Script::Chinese;
        let quote = if style.quotes && n >= 6 && self.rng.chance(0.15) {
            let a = self.rng.below(n - 3);
            let b = a + 2 + self.rng.below((n - a - 2).min(12));
            Some((a, b.min(n - 1)))
        } else {
            None
        };
        for i in 0..n {
            if i > 0 && !cjk {
                out.push(' ');
            }
            if let Some((a, _)) = quote {
                if a == i {
                    out.push_str(style.open);
                }
            }
            self.token(out, script, style, i == 0 && !cjk);
            if let Some((_, b)) = quote {
                if b == i {
                    out.push_str(style.close);
                }
            }
            if i + 1 < n {
                if cjk {
                    if self.rng.chance(0.12) {
                        out.push(if self.rng.chance(0.2) { '、' } else { '，' });
                    }
                } else if self.rng.chance(0.07) {
                    out.push(',');
                }
            }
        }
        if end {
            let u = self.rng.unit();
            match script {
                Script::Chinese if u < 0.9 => out.push('。'),
                Script::Chinese if u < 0.95 => out.push('？'),
                Script::Chinese => out.push('！'),
                _ if u < 0.9 => out.push('.'),
                Script::French => {
                    out.push('\u{a0}');
                    out.push(if u < 0.95 { '?' } else { '!' });
                }
                _ => out.push(if u < 0.95 { '?' } else { '!' }),
            }
        }
    }

    /// A headline-like line of 3-8 tokens, mostly without terminal punctuation.
    fn headline(&mut self, out: &mut String, script: Script, style: Style) {
        let n = self.rng.range(3, 8);
        let cjk = script == Script::Chinese;
        let mut capitalize = !cjk;
        if self.rng.chance(0.3) {
            let e = self.entity(script);
            push_token(out, e, style.apostrophe, !cjk);
            out.push_str(match script {
                Script::French => "\u{a0}: ",
                Script::Chinese => "：",
                _ => ": ",
            });
            capitalize = false;
        }
        for i in 0..n {
            if i > 0 && !cjk {
                out.push(' ');
            }
            self.token(out, script, style, capitalize && i == 0);
        }
        let u = self.rng.unit();
        match script {
            Script::Chinese if u < 0.85 => {}
            Script::Chinese if u < 0.93 => out.push('…'),
            Script::Chinese => out.push('？'),
            _ if u < 0.78 => {}
            _ if u < 0.86 => out.push('…'),
            _ if u < 0.90 => out.push_str("..."),
            Script::French if u < 0.94 => out.push_str("\u{a0}?"),
            _ if u < 0.94 => out.push('?'),
            _ => out.push('.'),
        }
    }

    /// A paragraph of about `words` tokens split into sentences of 6-25 tokens.
    fn paragraph(&mut self, out: &mut String, script: Script, style: Style, words: usize) {
        let mut left = words.max(1);
        let mut first = true;
        while left > 0 {
            let mut n = self.rng.range(6, 25).min(left);
            if left - n < 4 {
                n = left;
            }
            if !first && script != Script::Chinese {
                out.push(' ');
            }
            self.sentence(out, script, style, n, true);
            left -= n;
            first = false;
        }
    }

    /// A wire-agency paragraph: a quotation with its attribution, maybe followed by a sentence.
    fn wire(&mut self, out: &mut String, script: Script, style: Style) {
        let n = self.rng.range(8, 28);
        let lex = script.idx();
        let inner = Style {
            quotes: false,
            ..style
        };
        if script == Script::Chinese {
            let e = self.entity(script);
            out.push_str(e);
            let verbs = &self.lex[lex].verbs;
            out.push_str(verbs[self.rng.below(verbs.len())]);
            out.push('：');
            out.push_str(style.open);
            self.sentence(out, script, inner, n, true);
            out.push_str(style.close);
            if self.rng.chance(0.4) {
                let m = self.rng.range(8, 25);
                self.sentence(out, script, style, m, true);
            }
            return;
        }
        out.push_str(style.open);
        self.sentence(out, script, inner, n, false);
        out.push_str(style.close);
        let e = self.entity(script);
        let verbs = &self.lex[lex].verbs;
        let verb = verbs[self.rng.below(verbs.len())];
        let tails = &self.lex[lex].tails;
        let tail = tails[self.rng.below(tails.len())];
        match script {
            Script::English => {
                out.push_str(", ");
                push_token(out, e, style.apostrophe, false);
                out.push(' ');
                out.push_str(verb);
            }
            Script::Russian => {
                out.push_str(", — ");
                out.push_str(verb);
                out.push(' ');
                out.push_str(e);
            }
            _ => {
                out.push_str(", ");
                out.push_str(verb);
                out.push(' ');
                push_token(out, e, style.apostrophe, false);
            }
        }
        push_token(out, tail, style.apostrophe, false);
        out.push('.');
        if self.rng.chance(0.4) {
            out.push(' ');
            let m = self.rng.range(8, 25);
            self.sentence(out, script, style, m, true);
        }
    }
}

// ---------------------------------------------------------------------------
// Sites
// ---------------------------------------------------------------------------

fn build_sites(rng: &mut SplitMix64, shares: &[f64; 4], n: usize) -> Vec<Site> {
    // Largest-remainder apportionment of the sites to the scripts.
    let mut counts = [0usize; 4];
    let mut remainders = Vec::new();
    for (k, &share) in shares.iter().enumerate() {
        let q = share * n as f64;
        counts[k] = q.floor() as usize;
        if share > 0.0 {
            remainders.push((q - q.floor(), k));
        }
    }
    remainders.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    let mut left = n.saturating_sub(counts.iter().sum());
    for &(_, k) in remainders
        .iter()
        .cycle()
        .take(left.min(remainders.len() * 4))
    {
        if left == 0 {
            break;
        }
        counts[k] += 1;
        left -= 1;
    }
    counts[0] += left;
    // Every script in use gets at least one site, when there are enough sites.
    for (k, &share) in shares.iter().enumerate() {
        if share > 0.0 && counts[k] == 0 {
            let (richest, &max) = counts
                .iter()
                .enumerate()
                .max_by_key(|&(i, c)| (*c, std::cmp::Reverse(i)))
                .expect("four scripts");
            if max > 1 {
                counts[richest] -= 1;
                counts[k] += 1;
            }
        }
    }
    let mut order: Vec<Script> = Vec::with_capacity(n);
    for script in Script::ALL {
        for _ in 0..counts[script.idx()] {
            order.push(script);
        }
    }
    for i in (1..order.len()).rev() {
        let j = rng.below(i + 1);
        order.swap(i, j);
    }
    let offset = rng.below(100);
    let mut ordinals = [0usize; 4];
    order
        .into_iter()
        .map(|script| {
            let ordinal = ordinals[script.idx()];
            ordinals[script.idx()] += 1;
            make_site(rng, script, site_name(script, ordinal, offset))
        })
        .collect()
}

fn site_name(script: Script, ordinal: usize, offset: usize) -> String {
    let (special, first, second, sep) = match script {
        Script::French => (
            list!("fr/site_special.txt"),
            list!("fr/site_a.txt"),
            list!("fr/site_b.txt"),
            " ",
        ),
        Script::English => (
            list!("en/site_special.txt"),
            list!("en/site_a.txt"),
            list!("en/site_b.txt"),
            " ",
        ),
        Script::Russian => (
            list!("ru/site_special.txt"),
            list!("ru/site_a.txt"),
            list!("ru/site_b.txt"),
            " ",
        ),
        Script::Chinese => (
            list!("zh/site_special.txt"),
            list!("zh/site_a.txt"),
            list!("zh/site_b.txt"),
            "",
        ),
    };
    if ordinal < special.len() {
        return special[ordinal].to_string();
    }
    let i = ordinal - special.len();
    let combos = first.len() * second.len(); // 100, coprime with 37
    let j = (i * 37 + offset) % combos;
    let base = format!(
        "{}{sep}{}",
        first[j / second.len()],
        second[j % second.len()]
    );
    if i >= combos {
        format!("{base} {}", i / combos + 1)
    } else {
        base
    }
}

fn sample<'a>(rng: &mut SplitMix64, pool: &[&'a str], k: usize) -> Vec<&'a str> {
    let mut v = pool.to_vec();
    let k = k.min(v.len());
    for i in 0..k {
        let j = rng.range(i, v.len() - 1);
        v.swap(i, j);
    }
    v.truncate(k);
    v
}

fn make_site(rng: &mut SplitMix64, script: Script, name: String) -> Site {
    let (header_pool, footer_pool, sections, own_header, own_footer, numeric_pool) = match script {
        Script::French => (
            list!("fr/header.txt"),
            list!("fr/footer.txt"),
            list!("fr/sections.txt"),
            "{section} - {name}",
            list!("fr/own_footer.txt"),
            list!("fr/numeric.txt"),
        ),
        Script::English => (
            list!("en/header.txt"),
            list!("en/footer.txt"),
            list!("en/sections.txt"),
            "{section} - {name}",
            list!("en/own_footer.txt"),
            list!("en/numeric.txt"),
        ),
        Script::Russian => (
            list!("ru/header.txt"),
            list!("ru/footer.txt"),
            list!("ru/sections.txt"),
            "{section} - {name}",
            list!("ru/own_footer.txt"),
            list!("ru/numeric.txt"),
        ),
        Script::Chinese => (
            list!("zh/header.txt"),
            list!("zh/footer.txt"),
            list!("zh/sections.txt"),
            "{name} > {section}",
            list!("zh/own_footer.txt"),
            list!("zh/numeric.txt"),
        ),
    };
    let k = rng.range(1, 3);
    let mut header: Vec<String> = sample(rng, header_pool, k)
        .into_iter()
        .map(str::to_string)
        .collect();
    if rng.chance(0.7) {
        let section = *rng.pick(sections);
        let line = own_header
            .replace("{section}", section)
            .replace("{name}", &name);
        let at = rng.below(header.len() + 1);
        header.insert(at, line);
    }
    let k = rng.range(2, 5);
    let mut footer: Vec<String> = sample(rng, footer_pool, k)
        .into_iter()
        .map(str::to_string)
        .collect();
    if rng.chance(0.6) {
        let line = rng.pick(&own_footer[1..]).replace("{name}", &name);
        let at = rng.below(footer.len() + 1);
        footer.insert(at, line);
    }
    if rng.chance(0.8) {
        let year = rng.range(2008, 2016).to_string();
        footer.push(
            own_footer[0]
                .replace("{year}", &year)
                .replace("{name}", &name),
        );
    }
    let k = rng.range(1, 2);
    let numeric_templates = sample(rng, numeric_pool, k)
        .into_iter()
        .map(str::to_string)
        .collect();
    Site {
        name,
        script,
        header,
        footer,
        numeric_templates,
    }
}

/// A word list of `data/<language>/`, one entry a line (an empty line is an empty entry),
/// read once. The lists are data, not code: see `data/README.md`.
macro_rules! list {
    ($path:literal) => {{
        static LIST: LazyLock<Vec<&'static str>> =
            LazyLock::new(|| include_str!(concat!("../data/", $path)).lines().collect());
        LIST.as_slice()
    }};
}
use list;
