//! Normalization: the form of a paragraph that decides its identity.
//!
//! Normalization only ever feeds the fingerprint; the text a caller gets back is never
//! normalized. A [`Normalizer`] is a small `Copy` value: pick a preset and switch options on top.
//!
//! | preset | steps |
//! |---|---|
//! | [`Normalizer::exact`] | the paragraph as it is, trimmed of surrounding whitespace |
//! | [`Normalizer::standard`] (default) | NFKC, lowercase, punctuation to space, whitespace runs to one space, trim |
//! | [`Normalizer::ccnet`] | CCNet's `normalize_for_dedup`, reproduced exactly |
//!
//! The steps of `standard` are also switches of their own ([`nfkc`](Normalizer::nfkc),
//! [`lowercase`](Normalizer::lowercase), [`punctuation`](Normalizer::punctuation),
//! [`whitespace`](Normalizer::whitespace)), and three options go on top:
//! [`strip_accents`](Normalizer::strip_accents), [`fold_digits`](Normalizer::fold_digits) and
//! [`drop_symbols`](Normalizer::drop_symbols). For every preset but `ccnet`, the steps run in one
//! fixed order, whichever are on: NFKC, lowercase, strip accents, fold digits, punctuation and
//! symbols to separators, whitespace collapse, trim.
//!
//! Normalization is idempotent: `n.normalize(&n.normalize(s)) == n.normalize(s)` (a property
//! test checks it for every preset and option), except for `ccnet`, which reproduces CCNet's
//! function, quirks included: it strips before it deletes, so `"x \u{2019}"` becomes `"x "`.

#[cfg(target_arch = "x86_64")]
mod ascii_simd;
mod table;

use std::borrow::Cow;

use unicode_normalization::char::decompose_canonical;
use unicode_normalization::{is_nfkc_quick, IsNormalized, UnicodeNormalization};
use unicode_properties::{GeneralCategory, GeneralCategoryGroup, UnicodeGeneralCategory};

use table::CharTable;

/// The base behaviour a [`Normalizer`] starts from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Preset {
    /// The paragraph's bytes, trimmed of surrounding whitespace.
    Exact,
    /// NFKC, lowercase, punctuation to space, whitespace collapsed; the default.
    Standard,
    /// CCNet's `normalize_for_dedup`, quirks included.
    Ccnet,
}

/// How paragraphs are normalized before they are fingerprinted.
///
/// Setters take and return the value, so a normalizer reads as one expression and can be a
/// `const`:
///
/// ```
/// use paradedup::Normalizer;
///
/// const COMMENTS: Normalizer = Normalizer::standard().fold_digits(true);
/// assert_eq!(COMMENTS.normalize("12 Commentaires"), COMMENTS.normalize("0 commentaires"));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Normalizer {
    preset: Preset,
    nfkc: bool,
    lowercase: bool,
    punctuation: bool,
    whitespace: bool,
    strip_accents: bool,
    fold_digits: bool,
    drop_symbols: bool,
}

impl Default for Normalizer {
    fn default() -> Normalizer {
        Normalizer::standard()
    }
}

thread_local! {
    /// The table path's output in [`Normalizer::normalize_into`], reused from call to call.
    static TABLE_OUTPUT: core::cell::RefCell<Vec<u8>> = const { core::cell::RefCell::new(Vec::new()) };
}

/// Bytes of [`TABLE_OUTPUT`] kept after a call; a larger buffer is freed.
const TABLE_OUTPUT_KEPT: usize = 1 << 20;

impl Normalizer {
    /// Identity is the paragraph's exact bytes, trimmed of surrounding whitespace only.
    ///
    /// ```
    /// use paradedup::Normalizer;
    ///
    /// let n = Normalizer::exact();
    /// assert_eq!(n.normalize("  Hello, world \t"), "Hello, world");
    /// assert_ne!(n.normalize("Hello"), n.normalize("hello"));
    /// ```
    pub const fn exact() -> Normalizer {
        Normalizer {
            preset: Preset::Exact,
            nfkc: false,
            lowercase: false,
            punctuation: false,
            whitespace: false,
            strip_accents: false,
            fold_digits: false,
            drop_symbols: false,
        }
    }

    /// The default: Unicode NFKC, then full lowercase, then every punctuation character
    /// (general category `P*`) replaced by a space, then every run of `White_Space` collapsed to
    /// one space, trimmed.
    ///
    /// ```
    /// use paradedup::Normalizer;
    ///
    /// let n = Normalizer::standard();
    /// assert_eq!(n.normalize("« Comme toujours… »"), "comme toujours");
    /// assert_eq!(n.normalize("\"comme   toujours...\""), "comme toujours");
    /// assert_eq!(n.normalize("Comme toujours,"), "comme toujours");
    /// assert_eq!(n.normalize("Hello,world"), n.normalize("Hello, world"));
    /// ```
    pub const fn standard() -> Normalizer {
        Normalizer {
            preset: Preset::Standard,
            nfkc: true,
            lowercase: true,
            punctuation: true,
            whitespace: true,
            strip_accents: false,
            fold_digits: false,
            drop_symbols: false,
        }
    }

    /// CCNet's `normalize_for_dedup`, reproduced exactly: strip (Python's whitespace), lowercase
    /// (Python's `str.lower`, final sigma included), each Unicode decimal digit to `0`, then
    /// delete CCNet's fixed list of 34 Unicode punctuation characters and the control characters
    /// U+0000–U+001F and U+007F–U+009F. Nothing else: ASCII punctuation and accents are kept,
    /// and spaces are not collapsed.
    ///
    /// The other switches do not apply to this preset; it exists to reproduce CCNet's
    /// fingerprints, quirks included.
    ///
    /// ```
    /// use paradedup::Normalizer;
    ///
    /// let n = Normalizer::ccnet();
    /// assert_eq!(n.normalize("Le Café, 12€ « Bon »"), "le café, 00€  bon ");
    /// // CCNet deletes the typographic apostrophe but keeps the ASCII one.
    /// assert_ne!(n.normalize("S'abonner"), n.normalize("S\u{2019}abonner"));
    /// ```
    pub const fn ccnet() -> Normalizer {
        Normalizer {
            preset: Preset::Ccnet,
            ..Normalizer::exact()
        }
    }

    /// The normalizer a preset starts from.
    ///
    /// ```
    /// use paradedup::{Normalizer, Preset};
    /// assert_eq!(Normalizer::from_preset(Preset::Standard), Normalizer::default());
    /// ```
    pub const fn from_preset(preset: Preset) -> Normalizer {
        match preset {
            Preset::Exact => Normalizer::exact(),
            Preset::Standard => Normalizer::standard(),
            Preset::Ccnet => Normalizer::ccnet(),
        }
    }

    /// The preset this normalizer started from.
    ///
    /// ```
    /// use paradedup::{Normalizer, Preset};
    /// assert_eq!(Normalizer::exact().lowercase(true).preset(), Preset::Exact);
    /// ```
    pub const fn preset(&self) -> Preset {
        self.preset
    }

    /// Apply Unicode NFKC (compatibility composition): full-width letters, ligatures and
    /// precomposed vs combining accents all compare equal.
    ///
    /// ```
    /// use paradedup::Normalizer;
    /// let n = Normalizer::exact().nfkc(true);
    /// assert_eq!(n.normalize("ｆｕｌｌ ﬁ e\u{301}"), "full fi é");
    /// ```
    pub const fn nfkc(mut self, yes: bool) -> Normalizer {
        self.nfkc = yes;
        self
    }

    /// Lowercase with Unicode's full mapping (`İ` becomes `i̇`); the Greek final sigma `ς` is
    /// folded to `σ` so that `ΟΔΟΣ` and `οδος` match.
    ///
    /// ```
    /// use paradedup::Normalizer;
    /// let n = Normalizer::exact().lowercase(true);
    /// assert_eq!(n.normalize("ΟΔΟΣ"), n.normalize("οδος"));
    /// ```
    pub const fn lowercase(mut self, yes: bool) -> Normalizer {
        self.lowercase = yes;
        self
    }

    /// Replace every punctuation character (general category `P*`) by a space.
    ///
    /// A space rather than nothing, so `Hello,world` and `Hello, world` match once whitespace is
    /// collapsed.
    ///
    /// ```
    /// use paradedup::Normalizer;
    /// let n = Normalizer::exact().punctuation(true);
    /// assert_eq!(n.normalize("a-b (c)"), "a b  c");
    /// ```
    pub const fn punctuation(mut self, yes: bool) -> Normalizer {
        self.punctuation = yes;
        self
    }

    /// Collapse every run of `White_Space` into one ASCII space.
    ///
    /// ```
    /// use paradedup::Normalizer;
    /// let n = Normalizer::exact().whitespace(true);
    /// assert_eq!(n.normalize("a \t\u{A0} b"), "a b");
    /// ```
    pub const fn whitespace(mut self, yes: bool) -> Normalizer {
        self.whitespace = yes;
        self
    }

    /// Strip accents: decompose each character canonically (NFD) and drop the nonspacing marks
    /// (general category `Mn`).
    ///
    /// ```
    /// use paradedup::Normalizer;
    /// let n = Normalizer::standard().strip_accents(true);
    /// assert_eq!(n.normalize("Fédération"), "federation");
    /// ```
    pub const fn strip_accents(mut self, yes: bool) -> Normalizer {
        self.strip_accents = yes;
        self
    }

    /// Fold each run of decimal digits (general category `Nd`) to a single `0`.
    ///
    /// ```
    /// use paradedup::Normalizer;
    /// let n = Normalizer::standard().fold_digits(true);
    /// assert_eq!(n.normalize("12 Commentaires"), "0 commentaires");
    /// assert_eq!(n.normalize("12 Commentaires"), n.normalize("0 Commentaires"));
    /// ```
    pub const fn fold_digits(mut self, yes: bool) -> Normalizer {
        self.fold_digits = yes;
        self
    }

    /// Drop symbols: every character of general category `S*` (currency, math, arrows, emoji)
    /// and the emoji joiners and presentation selectors (U+200D, U+FE0E, U+FE0F) becomes a
    /// separator, like punctuation.
    ///
    /// ```
    /// use paradedup::Normalizer;
    /// let n = Normalizer::standard().drop_symbols(true);
    /// assert_eq!(n.normalize("Great 👍🏽 news → read"), "great news read");
    /// ```
    pub const fn drop_symbols(mut self, yes: bool) -> Normalizer {
        self.drop_symbols = yes;
        self
    }

    /// The names of the steps and options, as [`with_switch`](Normalizer::with_switch) and
    /// [`switch`](Normalizer::switch) take them (and the command line and the Python bindings
    /// spell them).
    pub const SWITCHES: [&'static str; 7] = [
        "nfkc",
        "lowercase",
        "punctuation",
        "whitespace",
        "strip_accents",
        "fold_digits",
        "drop_symbols",
    ];

    /// Turns the step or option called `name` (one of [`Normalizer::SWITCHES`]) on or off;
    /// `None` for any other name.
    ///
    /// ```
    /// use paradedup::Normalizer;
    /// let n = Normalizer::standard().with_switch("fold_digits", true);
    /// assert_eq!(n, Some(Normalizer::standard().fold_digits(true)));
    /// assert_eq!(Normalizer::standard().with_switch("shout", true), None);
    /// ```
    pub fn with_switch(self, name: &str, on: bool) -> Option<Normalizer> {
        Some(match name {
            "nfkc" => self.nfkc(on),
            "lowercase" => self.lowercase(on),
            "punctuation" => self.punctuation(on),
            "whitespace" => self.whitespace(on),
            "strip_accents" => self.strip_accents(on),
            "fold_digits" => self.fold_digits(on),
            "drop_symbols" => self.drop_symbols(on),
            _ => return None,
        })
    }

    /// Whether the step or option called `name` (one of [`Normalizer::SWITCHES`]) is on;
    /// `None` for any other name.
    ///
    /// ```
    /// use paradedup::Normalizer;
    /// assert_eq!(Normalizer::standard().switch("lowercase"), Some(true));
    /// assert_eq!(Normalizer::exact().switch("lowercase"), Some(false));
    /// ```
    pub fn switch(&self, name: &str) -> Option<bool> {
        Some(match name {
            "nfkc" => self.nfkc,
            "lowercase" => self.lowercase,
            "punctuation" => self.punctuation,
            "whitespace" => self.whitespace,
            "strip_accents" => self.strip_accents,
            "fold_digits" => self.fold_digits,
            "drop_symbols" => self.drop_symbols,
            _ => return None,
        })
    }

    /// The preset and switches as bits, for seen-set files: bits 0-1 the preset, then one bit
    /// per switch.
    pub(crate) const fn to_bits(self) -> u16 {
        let preset = match self.preset {
            Preset::Exact => 0,
            Preset::Standard => 1,
            Preset::Ccnet => 2,
        };
        preset
            | (self.nfkc as u16) << 2
            | (self.lowercase as u16) << 3
            | (self.punctuation as u16) << 4
            | (self.whitespace as u16) << 5
            | (self.strip_accents as u16) << 6
            | (self.fold_digits as u16) << 7
            | (self.drop_symbols as u16) << 8
    }

    /// True when normalizing returns the trimmed input unchanged, so no copy is ever made.
    ///
    /// ```
    /// use paradedup::Normalizer;
    /// assert!(Normalizer::exact().is_identity());
    /// assert!(!Normalizer::standard().is_identity());
    /// ```
    pub const fn is_identity(&self) -> bool {
        matches!(self.preset, Preset::Exact | Preset::Standard)
            && !self.nfkc
            && !self.lowercase
            && !self.punctuation
            && !self.whitespace
            && !self.strip_accents
            && !self.fold_digits
            && !self.drop_symbols
    }

    /// The normalized form of `text`; borrowed when nothing changes but the trim.
    ///
    /// ```
    /// use std::borrow::Cow;
    /// use paradedup::Normalizer;
    ///
    /// assert!(matches!(Normalizer::exact().normalize(" as is "), Cow::Borrowed("as is")));
    /// assert!(matches!(Normalizer::standard().normalize("already normal"), Cow::Borrowed(_)));
    /// assert_eq!(Normalizer::standard().normalize("NOT NORMAL"), "not normal");
    /// ```
    pub fn normalize<'t>(&self, text: &'t str) -> Cow<'t, str> {
        let trimmed = text.trim();
        if self.is_identity() {
            return Cow::Borrowed(trimmed);
        }
        let mut out = String::new();
        self.normalize_into(trimmed, &mut out);
        if out == trimmed {
            Cow::Borrowed(trimmed)
        } else {
            Cow::Owned(out)
        }
    }

    /// Writes the normalized form of `text` into `out`, replacing what `out` held.
    ///
    /// This is the allocation-free path: once `out` has grown to the longest paragraph, nothing
    /// more is allocated.
    ///
    /// ```
    /// use paradedup::Normalizer;
    ///
    /// let mut buf = String::new();
    /// Normalizer::standard().normalize_into("Hello,  World!", &mut buf);
    /// assert_eq!(buf, "hello world");
    /// ```
    pub fn normalize_into(&self, text: &str, out: &mut String) {
        out.clear();
        let text = text.trim();
        if let Some(table) = CharTable::get(self) {
            // The table writes into a byte buffer kept per thread, so it is not zeroed again
            // for each call, and its output is checked by simdutf8 on the way into `out`
            // (std's check cost as much as the normalizing of French text).
            let written = TABLE_OUTPUT.with_borrow_mut(|bytes| {
                let len = table.normalize(text, bytes)?;
                let normalized = simdutf8::basic::from_utf8(&bytes[..len])
                    .expect("the table writes whole characters");
                out.push_str(normalized);
                if bytes.len() > TABLE_OUTPUT_KEPT {
                    // One huge paragraph must not hold its buffer for the thread's lifetime.
                    *bytes = Vec::new();
                }
                Some(())
            });
            if written.is_some() {
                return;
            }
        }
        self.general_into(text, out);
    }

    /// Normalizes `text` into `scratch`, by the table when it applies: the engine's path,
    /// which never copies the table's output into a `String`.
    #[inline]
    pub(crate) fn normalize_to(&self, text: &str, scratch: &mut Scratch) {
        if let Some(table) = CharTable::get(self) {
            if let Some(len) = table.normalize(text, &mut scratch.bytes) {
                scratch.len = len;
                scratch.from_table = true;
                return;
            }
        }
        scratch.from_table = false;
        scratch.general.clear();
        self.general_into(text.trim(), &mut scratch.general);
    }

    /// Every path but the table's: `text` is already trimmed and `out` empty.
    fn general_into(&self, text: &str, out: &mut String) {
        if self.preset == Preset::Ccnet {
            ccnet_into(text, out);
        } else if self.is_identity() {
            out.push_str(text);
        } else if text.is_ascii() {
            self.ascii_into(text, out);
        } else {
            self.unicode_into(text, out);
        }
    }

    /// The ASCII fast path: byte at a time, no tables beyond `u8` methods. A property test
    /// proves it equal to [`Normalizer::unicode_into`] on ASCII input.
    fn ascii_into(&self, text: &str, out: &mut String) {
        let mut sink = Sink::new(self, out);
        Steps {
            normalizer: self,
            sink: &mut sink,
        }
        .ascii(text);
        sink.finish();
    }

    /// The general path for any Unicode text.
    fn unicode_into(&self, text: &str, out: &mut String) {
        let unusual = self.unicode_pass(text, out);
        // Lowercasing or dropping a character can leave a sequence that NFKC would compose
        // further (a mark meeting a new base). Re-running until nothing changes keeps
        // normalization idempotent; on real text the first check already passes.
        if self.nfkc && unusual && !is_nfkc(out) {
            let mut previous = String::with_capacity(out.len());
            for _ in 0..4 {
                core::mem::swap(&mut previous, out);
                out.clear();
                self.unicode_pass(&previous, out);
                if *out == previous {
                    break;
                }
            }
        }
    }

    /// One pass of the steps over `text`; true when the output may need NFKC again.
    fn unicode_pass(&self, text: &str, out: &mut String) -> bool {
        let mut sink = Sink::new(self, out);
        let mut steps = Steps {
            normalizer: self,
            sink: &mut sink,
        };
        for_each_piece(text, self.nfkc, &mut steps);
        sink.finish()
    }

    #[inline]
    fn push_cased(&self, c: char, sink: &mut Sink<'_>) {
        if c.is_ascii() {
            // Most characters of Latin-script text: no table lookups at all.
            let b = if self.lowercase {
                (c as u8).to_ascii_lowercase()
            } else {
                c as u8
            };
            sink.push(b as char, self.ascii_class(b));
        } else if let Some(cased) = common_letter_cased(c, self.lowercase, self.strip_accents) {
            // Accented Latin, Cyrillic, CJK and Hangul letters: no table lookups either.
            sink.push(cased, Class::Other);
        } else if self.lowercase && !c.is_lowercase() {
            for lower in c.to_lowercase() {
                self.push_accented(lower, sink);
            }
        } else if self.lowercase && c == 'ς' {
            self.push_accented('σ', sink);
        } else {
            self.push_accented(c, sink);
        }
    }

    #[inline]
    fn push_accented(&self, c: char, sink: &mut Sink<'_>) {
        // Hangul syllables decompose into jamo without marks: keep them whole, or the result
        // would no longer be in NFKC.
        if self.strip_accents && !c.is_ascii() && !('\u{AC00}'..='\u{D7A3}').contains(&c) {
            decompose_canonical(c, |d| {
                if d.general_category() != GeneralCategory::NonspacingMark {
                    self.push_classified(d, sink);
                }
            });
        } else {
            self.push_classified(c, sink);
        }
    }

    /// The table [`Sink::push_ascii_run`] reads: for each ASCII byte, its output byte, or
    /// [`SEPARATOR`], [`SPACE`] or [`DIGIT`].
    #[inline]
    fn ascii_table(&self) -> &'static [u8; 128] {
        let index = usize::from(self.lowercase)
            | usize::from(self.punctuation) << 1
            | usize::from(self.drop_symbols) << 2;
        &ASCII_TABLES[index]
    }

    #[inline(always)]
    fn ascii_class(&self, b: u8) -> Class {
        if b.is_ascii_digit() {
            Class::Digit
        } else if is_ascii_white_space(b) {
            Class::Space
        } else if (self.punctuation && is_ascii_punctuation(b))
            || (self.drop_symbols && is_ascii_symbol(b))
        {
            Class::Separator
        } else {
            Class::Other
        }
    }

    #[inline]
    fn push_classified(&self, c: char, sink: &mut Sink<'_>) {
        if !c.is_ascii() && !is_common_stable(c) {
            sink.unusual = true;
        }
        let class = if c.is_ascii() {
            self.ascii_class(c as u8)
        } else if is_common_letter(c) {
            Class::Other
        } else if c.is_alphabetic() {
            // Letters are never punctuation, symbols, digits or spaces; `is_alphabetic` is a
            // fast trie lookup where the general category is a binary search.
            Class::Other
        } else if c.is_whitespace() {
            Class::Space
        } else {
            match c.general_category_group() {
                GeneralCategoryGroup::Punctuation if self.punctuation => Class::Separator,
                GeneralCategoryGroup::Symbol if self.drop_symbols => Class::Separator,
                GeneralCategoryGroup::Number
                    if c.general_category() == GeneralCategory::DecimalNumber =>
                {
                    Class::Digit
                }
                _ if self.drop_symbols && is_emoji_component(c) => Class::Separator,
                _ => Class::Other,
            }
        };
        sink.push(c, class);
    }
}

/// A reusable buffer for the normalized form of one paragraph at a time, wherever the
/// normalizer wrote it.
#[derive(Clone, Debug, Default)]
pub(crate) struct Scratch {
    /// The table path's output, in `bytes[..len]`; the buffer keeps its length between uses.
    bytes: Vec<u8>,
    len: usize,
    general: String,
    from_table: bool,
}

impl Scratch {
    /// The normalized bytes.
    #[inline]
    pub(crate) fn as_bytes(&self) -> &[u8] {
        if self.from_table {
            &self.bytes[..self.len]
        } else {
            self.general.as_bytes()
        }
    }
}

/// Where [`for_each_piece`] sends the text: ASCII runs in bulk, other characters one by one.
trait Emit {
    fn ascii(&mut self, run: &str);
    fn char(&mut self, c: char);
    /// A run of characters NFKC leaves as they are; by default, one at a time.
    fn stable(&mut self, run: &str) {
        for c in run.chars() {
            self.char(c);
        }
    }
}

/// Sends `text` to `emit` in pieces, applying NFKC when `nfkc` is set, but running the (slow)
/// normalizer only on the stretches that need it. Text alternates between ASCII runs and
/// "islands" of other characters. ASCII characters are stable starters: NFKC never composes,
/// decomposes or reorders across them, except that a mark at the start of an island may compose
/// with the ASCII letter before it (`e` + U+0301). So an island that passes the quick check is
/// sent as it is, and one that does not is normalized together with the character before it.
fn for_each_piece(text: &str, nfkc: bool, emit: &mut impl Emit) {
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let run_end = i + ascii_prefix(&bytes[i..]);
        if run_end == bytes.len() {
            emit.ascii(&text[i..]);
            break;
        }
        let island_end = bytes[run_end..]
            .iter()
            .position(|b| b.is_ascii())
            .map_or(bytes.len(), |n| run_end + n);
        let island = &text[run_end..island_end];
        // An island of common-stable characters is in NFKC as it is; any other goes segment by
        // segment, each segment quick-checked on its own.
        if nfkc && !island.chars().all(is_common_stable) {
            let start = if run_end > i { run_end - 1 } else { run_end };
            emit.ascii(&text[i..start]);
            nfkc_by_segments(&text[start..island_end], emit);
        } else {
            emit.ascii(&text[i..run_end]);
            emit.stable(island);
        }
        i = island_end;
    }
}

/// Sends `piece` to `emit` in NFKC, normalizing only the segments around its characters that
/// are not [`is_common_stable`]. `piece` must start and end where NFKC does not reach across
/// (as [`for_each_piece`]'s islands, with the ASCII character before them, do).
///
/// A common-stable character never composes with what precedes it and is a starter, so NFKC
/// never reaches across the boundary before it; it may compose with what follows (`и` +
/// U+0306), so a segment starts at the stable character before the first other one and ends
/// before the next stable character. A long CJK sentence with one full-width comma costs the
/// normalizer two characters, not the sentence.
fn nfkc_by_segments(piece: &str, emit: &mut impl Emit) {
    // The last stable character, not yet sent: it may start the next segment.
    let mut held: Option<usize> = None;
    // Where the segment being collected starts.
    let mut segment: Option<usize> = None;
    let send = |part: &str, emit: &mut dyn FnMut(char)| {
        if is_nfkc_quick(part.chars()) == IsNormalized::Yes {
            part.chars().for_each(emit);
        } else {
            part.nfkc().for_each(emit);
        }
    };
    for (at, c) in piece.char_indices() {
        if c.is_ascii() || is_common_stable(c) {
            if let Some(from) = segment.take() {
                send(&piece[from..at], &mut |c| emit.char(c));
            } else if let Some(from) = held {
                piece[from..at].chars().for_each(|c| emit.char(c));
            }
            held = Some(at);
        } else if segment.is_none() {
            segment = Some(held.take().unwrap_or(at));
        }
    }
    if let Some(from) = segment.or(held) {
        send(&piece[from..], &mut |c| emit.char(c));
    }
}

/// How many bytes at the start of `bytes` are ASCII: eight at a time, then one at a time.
#[inline]
fn ascii_prefix(bytes: &[u8]) -> usize {
    let mut at = 0;
    for chunk in bytes.chunks_exact(8) {
        let word = u64::from_le_bytes(chunk.try_into().expect("eight bytes"));
        let high = word & 0x8080_8080_8080_8080;
        if high != 0 {
            return at + (high.trailing_zeros() / 8) as usize;
        }
        at += 8;
    }
    at + bytes[at..].iter().take_while(|b| b.is_ascii()).count()
}

/// Letters of the scripts most text is in that are NFKC-stable on their own (quick check
/// `Yes`, combining class 0, and never composed with what precedes them): Latin-1 and Latin
/// Extended-A letters, the basic Cyrillic alphabet, common typographic quotes and dashes, CJK
/// ideographs and Hangul syllables. A unit test checks every one against the Unicode tables.
#[inline(always)]
fn is_common_stable(c: char) -> bool {
    is_common_letter(c)
        || matches!(
            c,
            '\u{AB}'
                | '\u{BB}'
                | '\u{2013}'
                | '\u{2014}'
                | '\u{2018}'
                | '\u{2019}'
                | '\u{201C}'
                | '\u{201D}'
                | '\u{3001}'
                | '\u{3002}'
        )
}

/// The letters among [`is_common_stable`]: known alphabetic without a table lookup.
#[inline(always)]
fn is_common_letter(c: char) -> bool {
    matches!(c,
        '\u{C0}'..='\u{D6}' | '\u{D8}'..='\u{F6}' | '\u{F8}'..='\u{131}'
        | '\u{134}'..='\u{13E}' | '\u{141}'..='\u{148}' | '\u{14A}'..='\u{17E}'
        | '\u{401}' | '\u{410}'..='\u{44F}' | '\u{451}'
        | '\u{4E00}'..='\u{9FFF}' | '\u{AC00}'..='\u{D7A3}')
}

/// For the letters of [`is_common_letter`] whose lowercase is a fixed offset (Latin-1,
/// basic Cyrillic) or themselves (CJK ideographs, Hangul syllables): the letter, lowercased
/// when `lowercase`. `None` for any other character, or for every one when `strip_accents`
/// (accents need the decomposition). What the general path makes of them, without its
/// tables; a unit test checks every one.
#[inline(always)]
fn common_letter_cased(c: char, lowercase: bool, strip_accents: bool) -> Option<char> {
    if strip_accents {
        return None;
    }
    // Tested in the order of how often they come: ideographs and syllables, which no step
    // changes, then capitals, then small letters.
    let cp = u32::from(c);
    if matches!(cp, 0x4E00..=0x9FFF | 0xAC00..=0xD7A3) {
        return Some(c);
    }
    if matches!(cp, 0xC0..=0xD6 | 0xD8..=0xDE | 0x410..=0x42F) {
        return Some(if lowercase {
            char::from_u32(cp + 0x20).unwrap_or(c)
        } else {
            c
        });
    }
    match cp {
        0xDF..=0xF6 | 0xF8..=0xFF | 0x430..=0x44F | 0x451 => Some(c),
        0x401 if lowercase => Some('\u{451}'),
        0x401 => Some(c),
        _ => None,
    }
}

/// True when `text` is in NFKC, by the quick check, skipping the table lookups for ASCII and
/// the common letters of [`is_common_stable`].
#[inline]
fn is_nfkc(text: &str) -> bool {
    text.chars().all(|c| c.is_ascii() || is_common_stable(c))
        || is_nfkc_quick(text.chars()) == IsNormalized::Yes
}

/// The normalizer's own emitter: each piece goes through the enabled steps into the sink.
struct Steps<'n, 's, 'o> {
    normalizer: &'n Normalizer,
    sink: &'s mut Sink<'o>,
}

impl Emit for Steps<'_, '_, '_> {
    #[inline]
    fn ascii(&mut self, run: &str) {
        self.sink.push_ascii_run(run, self.normalizer.ascii_table());
    }

    #[inline]
    fn char(&mut self, c: char) {
        self.normalizer.push_cased(c, self.sink);
    }

    /// Letters the steps leave as they are (a lowercase Cyrillic word, a run of ideographs) go
    /// out as slices of the run; the others one at a time.
    #[inline]
    fn stable(&mut self, run: &str) {
        let n = self.normalizer;
        let mut kept_from = 0;
        for (at, c) in run.char_indices() {
            if common_letter_cased(c, n.lowercase, n.strip_accents) != Some(c) {
                self.sink.push_letters(&run[kept_from..at]);
                n.push_cased(c, self.sink);
                kept_from = at + c.len_utf8();
            }
        }
        self.sink.push_letters(&run[kept_from..]);
    }
}

/// What a character does to the normalized output.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Class {
    /// Kept as it is.
    Other,
    /// A decimal digit: kept, or a run folded to `0`.
    Digit,
    /// `White_Space`: kept, or a run collapsed to one space.
    Space,
    /// Punctuation or a dropped symbol: becomes a space.
    Separator,
}

/// Writes characters to the output, applying digit folding and whitespace collapse, which both
/// need to know what came before.
struct Sink<'o> {
    out: &'o mut String,
    fold_digits: bool,
    collapse: bool,
    in_digits: bool,
    pending_space: bool,
    /// Set when a character that is neither ASCII nor common-stable was written: only then can
    /// the output fail to be in NFKC.
    unusual: bool,
}

impl<'o> Sink<'o> {
    fn new(n: &Normalizer, out: &'o mut String) -> Sink<'o> {
        Sink {
            out,
            fold_digits: n.fold_digits,
            collapse: n.whitespace,
            in_digits: false,
            pending_space: false,
            unusual: false,
        }
    }

    #[inline(always)]
    fn push(&mut self, c: char, class: Class) {
        match class {
            Class::Space | Class::Separator => {
                self.in_digits = false;
                if self.collapse {
                    self.pending_space = true;
                } else if class == Class::Separator {
                    self.out.push(' ');
                } else {
                    self.out.push(c);
                }
            }
            Class::Digit if self.fold_digits => {
                if !self.in_digits {
                    self.flush_space();
                    self.out.push('0');
                    self.in_digits = true;
                }
            }
            Class::Digit | Class::Other => {
                self.in_digits = false;
                self.flush_space();
                self.out.push(c);
            }
        }
    }

    /// Appends a run of ASCII text classified by `table`: the same decisions as
    /// [`Sink::push`] byte by byte (a property test checks it), batched through a small buffer
    /// so the output `String` is touched once per 256 bytes instead of once per byte.
    #[inline]
    fn push_ascii_run(&mut self, run: &str, table: &[u8; 128]) {
        let mut buf = [0u8; 256];
        let mut len = 0;
        let bytes = run.as_bytes();
        // Lowercasing is the one thing the table does to letters.
        let case = if table[usize::from(b'A')] == b'a' {
            LOWERCASE_BITS
        } else {
            0
        };
        let mut i = 0;
        while i < bytes.len() {
            if len + 9 > buf.len() {
                self.out
                    .push_str(core::str::from_utf8(&buf[..len]).expect("ASCII"));
                len = 0;
            }
            // Eight bytes at once when they are letters, digits and single inner spaces: what
            // most prose is between its punctuation, and what every step leaves as it is (but
            // the case).
            if let Some(chunk) = bytes.get(i..i + 8) {
                let word = u64::from_le_bytes(chunk.try_into().expect("eight bytes"));
                let plain = plain_chunk(word, self.fold_digits);
                if plain > 0 {
                    self.in_digits = false;
                    if self.pending_space {
                        if len > 0 || !self.out.is_empty() {
                            buf[len] = b' ';
                            len += 1;
                        }
                        self.pending_space = false;
                    }
                    buf[len..len + 8].copy_from_slice(&(word | case).to_le_bytes());
                    len += plain;
                    i += plain;
                    continue;
                }
            }
            let b = bytes[i];
            i += 1;
            let mapped = table[usize::from(b & 0x7F)];
            let emit = match mapped {
                SEPARATOR | SPACE => {
                    self.in_digits = false;
                    if self.collapse {
                        self.pending_space = true;
                        continue;
                    }
                    if mapped == SEPARATOR {
                        b' '
                    } else {
                        b
                    }
                }
                DIGIT if self.fold_digits => {
                    if self.in_digits {
                        continue;
                    }
                    self.in_digits = true;
                    b'0'
                }
                DIGIT => {
                    self.in_digits = false;
                    b
                }
                _ => {
                    self.in_digits = false;
                    mapped
                }
            };
            if self.pending_space {
                if len > 0 || !self.out.is_empty() {
                    buf[len] = b' ';
                    len += 1;
                }
                self.pending_space = false;
            }
            buf[len] = emit;
            len += 1;
        }
        self.out
            .push_str(core::str::from_utf8(&buf[..len]).expect("ASCII"));
    }

    /// Appends letters that every step leaves as they are (none is a digit, space or
    /// separator, and all are common-stable).
    #[inline]
    fn push_letters(&mut self, letters: &str) {
        if !letters.is_empty() {
            self.in_digits = false;
            self.flush_space();
            self.out.push_str(letters);
        }
    }

    #[inline]
    fn flush_space(&mut self) {
        if self.pending_space {
            // Leading separators are trimmed by never emitting them.
            if !self.out.is_empty() {
                self.out.push(' ');
            }
            self.pending_space = false;
        }
    }

    /// Trims what trailing whitespace the separators left when runs are not collapsed; says
    /// whether an unusual character was written.
    fn finish(self) -> bool {
        let trimmed = self.out.trim_end().len();
        self.out.truncate(trimmed);
        let lead = self.out.len() - self.out.trim_start().len();
        if lead > 0 {
            self.out.drain(..lead);
        }
        self.unusual
    }
}

/// OR-ed into a [`plain_chunk`] to lowercase it: sets bit 5 of every byte, which lowercases
/// ASCII letters and leaves digits and the space as they are.
const LOWERCASE_BITS: u64 = 0x2020_2020_2020_2020;

/// How many of the first bytes of `word` (eight bytes, first byte lowest) every normalization
/// step but lowercasing leaves as they are, written as they stand: ASCII letters, digits (not
/// when `fold_digits`) and single spaces between them, not starting or ending with a space
/// (those go through [`Sink::push`]'s rules). SWAR range checks (Bit Twiddling Hacks'
/// `hasbetween`), exact per byte for bytes below 0x80; a unit test compares them with a
/// byte-at-a-time reading on every byte.
#[inline(always)]
fn plain_chunk(word: u64, fold_digits: bool) -> usize {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    // High bit of each byte set where `lo < byte < hi` (0 <= lo <= 127, hi <= 128).
    let between = |x: u64, lo: u64, hi: u64| {
        let low7 = x & (ONES * 127);
        (ONES * (127 + hi) - low7) & !x & (low7 + ONES * (127 - lo)) & HIGH
    };
    let ascii = !word & HIGH;
    let letters = between(word | LOWERCASE_BITS, 0x60, 0x7B) & ascii;
    let digits = between(word, 0x2F, 0x3A) & ascii;
    let spaces = between(word, 0x1F, 0x21) & ascii;
    let kept = if fold_digits {
        letters
    } else {
        letters | digits
    };
    if spaces & 0x80 != 0 {
        return 0;
    }
    // Bytes that end the run: anything else, and the second of two spaces.
    let stop = (!(kept | spaces) & HIGH) | (spaces & (spaces << 8));
    let mut n = if stop == 0 {
        8
    } else {
        (stop.trailing_zeros() / 8) as usize
    };
    if n > 0 && (spaces >> (8 * (n - 1))) & 0x80 != 0 {
        n -= 1;
    }
    n
}

/// In an ASCII table: the byte becomes a separator (punctuation or a dropped symbol).
const SEPARATOR: u8 = 0x80;
/// In an ASCII table: the byte is `White_Space`.
const SPACE: u8 = 0x81;
/// In an ASCII table: the byte is a decimal digit.
const DIGIT: u8 = 0x82;

/// One table per combination of the switches that change how an ASCII byte is classified
/// (bit 0 lowercase, bit 1 punctuation, bit 2 drop symbols), built at compile time from the
/// same predicates as [`Normalizer::ascii_class`].
static ASCII_TABLES: [[u8; 128]; 8] = {
    let mut tables = [[0u8; 128]; 8];
    let mut index = 0;
    while index < 8 {
        let mut b = 0u8;
        while b < 128 {
            let lowered = if index & 1 != 0 {
                b.to_ascii_lowercase()
            } else {
                b
            };
            tables[index][b as usize] = if b.is_ascii_digit() {
                DIGIT
            } else if is_ascii_white_space(b) {
                SPACE
            } else if (index & 2 != 0 && is_ascii_punctuation(b))
                || (index & 4 != 0 && is_ascii_symbol(b))
            {
                SEPARATOR
            } else {
                lowered
            };
            b += 1;
        }
        index += 1;
    }
    tables
};

/// ASCII characters that are Unicode `White_Space`: tab, LF, VT, FF, CR and space. (Not the
/// information separators U+001C–U+001F, which `u8::is_ascii_whitespace` also omits VT for.)
#[inline]
const fn is_ascii_white_space(b: u8) -> bool {
    matches!(b, b'\t' | b'\n' | 0x0B | 0x0C | b'\r' | b' ')
}

/// ASCII characters of general category `P*`. `$ + < = > ^ ` | ~` are symbols (`S*`), not
/// punctuation.
#[inline]
const fn is_ascii_punctuation(b: u8) -> bool {
    matches!(
        b,
        b'!' | b'"'
            | b'#'
            | b'%'
            | b'&'
            | b'\''
            | b'('
            | b')'
            | b'*'
            | b','
            | b'-'
            | b'.'
            | b'/'
            | b':'
            | b';'
            | b'?'
            | b'@'
            | b'['
            | b'\\'
            | b']'
            | b'_'
            | b'{'
            | b'}'
    )
}

/// ASCII characters of general category `S*`.
#[inline]
const fn is_ascii_symbol(b: u8) -> bool {
    matches!(
        b,
        b'$' | b'+' | b'<' | b'=' | b'>' | b'^' | b'`' | b'|' | b'~'
    )
}

/// Characters that build emoji sequences without being symbols themselves.
#[inline]
fn is_emoji_component(c: char) -> bool {
    matches!(c, '\u{200D}' | '\u{FE0E}' | '\u{FE0F}')
}

/// The 34 characters of CCNet's `UNICODE_PUNCT` table, which `normalize_for_dedup` deletes.
/// (`１` is in the table too, but digits become `0` before the deletion runs, so it never
/// matches; it is kept here to mirror the source.)
const CCNET_PUNCT: &[char] = &[
    '，', '。', '、', '„', '”', '“', '«', '»', '１', '」', '「', '《', '》', '´', '∶', '：', '？',
    '！', '（', '）', '；', '–', '—', '．', '～', '’', '…', '━', '〈', '〉', '【', '】', '％', '►',
];

/// Python's `str.isspace`, which `str.strip` uses: `White_Space` plus the information
/// separators U+001C–U+001F.
#[inline]
fn is_python_space(c: char) -> bool {
    c.is_whitespace() || ('\u{1C}'..='\u{1F}').contains(&c)
}

/// [`CCNET_PUNCT`] in order, for a binary search: a linear scan of it for every character was
/// the largest cost of the `ccnet` preset.
const CCNET_PUNCT_SORTED: [char; 34] = {
    let mut sorted = [' '; 34];
    let mut i = 0;
    while i < CCNET_PUNCT.len() {
        sorted[i] = CCNET_PUNCT[i];
        i += 1;
    }
    // Insertion sort, which a `const` can run.
    let mut i = 1;
    while i < sorted.len() {
        let mut j = i;
        while j > 0 && (sorted[j - 1] as u32) > (sorted[j] as u32) {
            let swap = sorted[j - 1];
            sorted[j - 1] = sorted[j];
            sorted[j] = swap;
            j -= 1;
        }
        i += 1;
    }
    sorted
};

#[inline]
fn is_ccnet_deleted(c: char) -> bool {
    // Every character of CCNet's table is beyond ASCII.
    matches!(c, '\u{0}'..='\u{1F}' | '\u{7F}'..='\u{9F}')
        || !c.is_ascii() && CCNET_PUNCT_SORTED.binary_search(&c).is_ok()
}

/// ASCII through CCNet's steps: letters lowercased, digits to `0`, control characters
/// deleted (no ASCII character is in CCNet's punctuation table).
#[inline(always)]
fn ccnet_ascii_into(ascii: &[u8], out: &mut String) {
    for &b in ascii {
        match b {
            b'0'..=b'9' => out.push('0'),
            0..=0x1F | 0x7F => {}
            _ => out.push(char::from(b.to_ascii_lowercase())),
        }
    }
}

/// CCNet's `normalize_for_dedup`: `strip`, `lower`, `\d` to `0`, delete punctuation and control
/// characters.
fn ccnet_into(text: &str, out: &mut String) {
    let text = text.trim_matches(is_python_space);
    if text.is_ascii() {
        out.reserve(text.len());
        ccnet_ascii_into(text.as_bytes(), out);
        return;
    }
    let push = |c: char, out: &mut String| {
        if c.is_ascii() {
            if c.is_ascii_digit() {
                out.push('0');
            } else if !is_ccnet_deleted(c) {
                out.push(c.to_ascii_lowercase());
            }
        } else if is_common_letter(c) && c.is_lowercase() {
            out.push(c);
        } else if c.general_category() == GeneralCategory::DecimalNumber {
            out.push('0');
        } else if !is_ccnet_deleted(c) {
            out.push(c);
        }
    };
    if text.contains('\u{3A3}') {
        // Python's `str.lower` and `str::to_lowercase` lowercase Σ by its context (final sigma),
        // so this rare case takes the whole string at once.
        for c in text.to_lowercase().chars() {
            push(c, out);
        }
    } else {
        // Without Σ, full lowercasing is per character, and nothing is allocated. The common
        // letters (Latin-1, basic Cyrillic, ideographs, Hangul) are lowercased without a
        // Unicode table lookup, and are neither digits nor deleted.
        for c in text.chars() {
            if c.is_ascii() {
                ccnet_ascii_into(&[c as u8], out);
            } else if let Some(lower) = common_letter_cased(c, true, false) {
                out.push(lower);
            } else if c.is_lowercase() {
                push(c, out);
            } else {
                c.to_lowercase().for_each(|l| push(l, out));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ascii_tables_match_general_categories() {
        for b in 0u8..128 {
            let c = b as char;
            let group = c.general_category_group();
            assert_eq!(
                is_ascii_punctuation(b),
                group == GeneralCategoryGroup::Punctuation,
                "{c:?}"
            );
            assert_eq!(
                is_ascii_symbol(b),
                group == GeneralCategoryGroup::Symbol,
                "{c:?}"
            );
            assert_eq!(is_ascii_white_space(b), c.is_whitespace(), "{c:?}");
        }
    }

    #[test]
    fn plain_chunks_are_letters_digits_and_inner_single_spaces() {
        // The run `plain_chunk` promises, read one byte at a time.
        let reference = |chunk: &[u8; 8], fold: bool| {
            let kept = |b: u8| b.is_ascii_alphabetic() || (!fold && b.is_ascii_digit());
            let mut n = 0;
            while n < 8 && (kept(chunk[n]) || (chunk[n] == b' ' && n > 0 && chunk[n - 1] != b' ')) {
                n += 1;
            }
            if n > 0 && chunk[n - 1] == b' ' {
                n -= 1;
            }
            n
        };
        for b in 0u8..=255 {
            for at in 0..8 {
                for base in [*b"abCD 9yz", *b"a b c d ", *b"12 45 78", *b"Zz  zz z"] {
                    let mut chunk = base;
                    chunk[at] = b;
                    let word = u64::from_le_bytes(chunk);
                    for fold in [false, true] {
                        assert_eq!(
                            plain_chunk(word, fold),
                            reference(&chunk, fold),
                            "{chunk:?} fold {fold}"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn common_letters_case_as_the_tables_say() {
        for c in ('\u{80}'..='\u{D7FF}').chain(['a']) {
            for lowercase in [false, true] {
                let Some(cased) = common_letter_cased(c, lowercase, false) else {
                    continue;
                };
                let expected: Vec<char> = if lowercase {
                    c.to_lowercase().collect()
                } else {
                    vec![c]
                };
                assert_eq!(expected, [cased], "{c:?}");
                assert!(is_common_letter(c) && is_common_letter(cased), "{c:?}");
                assert!(common_letter_cased(c, lowercase, true).is_none());
            }
        }
    }

    #[test]
    fn ascii_prefix_stops_at_the_first_other_byte() {
        for len in 0..20 {
            for at in 0..=len {
                let mut bytes = vec![b'a'; len];
                if at < len {
                    bytes[at] = 0xC3;
                }
                assert_eq!(ascii_prefix(&bytes), at, "{len} {at}");
            }
        }
    }

    #[test]
    fn ccnet_is_not_idempotent_like_the_original() {
        // CCNet strips before it deletes, so a deleted character can leave a space at an end:
        // the preset reproduces that rather than fixing it.
        let n = Normalizer::ccnet();
        let once = n.normalize("x \u{2019}").into_owned();
        assert_eq!(once, "x ");
        assert_eq!(n.normalize(&once), "x");
    }

    #[test]
    fn common_stable_characters_are_stable() {
        use unicode_normalization::char::canonical_combining_class;
        for c in (0..=0x10FFFFu32).filter_map(char::from_u32) {
            assert!(!is_common_letter(c) || c.is_alphabetic(), "{c:?}");
            if is_common_stable(c) {
                assert_eq!(
                    is_nfkc_quick(core::iter::once(c)),
                    IsNormalized::Yes,
                    "{c:?}"
                );
                assert_eq!(canonical_combining_class(c), 0, "{c:?}");
                // Neither half of a canonical composition's second position.
                assert_eq!(unicode_normalization::char::compose('e', c), None, "{c:?}");
            }
        }
    }

    #[test]
    fn lowercase_characters_lowercase_to_themselves() {
        // Both lowercasing paths skip the mapping for characters that are already lowercase.
        for c in (0..=0x10FFFFu32).filter_map(char::from_u32) {
            if c.is_lowercase() {
                assert!(c.to_lowercase().eq(core::iter::once(c)), "{c:?}");
            }
        }
    }

    #[test]
    fn ccnet_table_has_the_source_size() {
        assert_eq!(CCNET_PUNCT.len(), 34);
        let mut sorted = CCNET_PUNCT.to_vec();
        sorted.sort_unstable();
        assert_eq!(sorted, CCNET_PUNCT_SORTED);
        assert!(CCNET_PUNCT.iter().all(|c| !c.is_ascii()));
    }
}

#[cfg(test)]
mod properties {
    use super::*;
    use proptest::prelude::*;

    /// Every preset, with every combination of the three options.
    fn normalizers() -> impl Strategy<Value = Normalizer> {
        (
            prop_oneof![
                Just(Normalizer::exact()),
                Just(Normalizer::standard()),
                Just(Normalizer::exact().lowercase(true).whitespace(true)),
                Just(Normalizer::exact().punctuation(true)),
                Just(Normalizer::exact().nfkc(true)),
            ],
            any::<(bool, bool, bool)>(),
        )
            .prop_map(|(n, (a, d, s))| n.strip_accents(a).fold_digits(d).drop_symbols(s))
    }

    /// Text with the characters that make normalization interesting, and any character at all.
    fn texts() -> impl Strategy<Value = String> {
        prop_oneof![
            "[a-zA-Z0-9 \t,.!?'\"$+<=>^`|~_@#-]{0,40}",
            "[aeAEéÉ\u{301}\u{308}İıΣσςﬁＡ１٣ \u{A0}«»…’\u{2014}😀👍🏽\u{200D}\u{FE0F}한글\u{1100}\u{1161}\u{11A8}가0-9.,иИ\u{306}中，]{0,30}",
            any::<String>(),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        #[test]
        fn ascii_fast_path_equals_unicode_path(
            n in normalizers(),
            text in "[\\x00-\\x7f]{0,60}",
        ) {
            let text = text.trim();
            let mut fast = String::new();
            let mut general = String::new();
            if !n.is_identity() {
                n.ascii_into(text, &mut fast);
                // The general path, one character at a time, bypassing the ASCII runs.
                let mut sink = Sink::new(&n, &mut general);
                for c in text.chars() {
                    n.push_cased(c, &mut sink);
                }
                sink.finish();
                prop_assert_eq!(fast, general);
            }
        }

        #[test]
        fn ccnet_without_allocation_equals_whole_string_lowercase(text in texts()) {
            let mut ours = String::new();
            ccnet_into(&text, &mut ours);
            let stripped = text.trim_matches(is_python_space);
            let reference: String = stripped
                .to_lowercase()
                .chars()
                .filter_map(|c| {
                    if c.general_category() == GeneralCategory::DecimalNumber {
                        Some('0')
                    } else {
                        (!is_ccnet_deleted(c)).then_some(c)
                    }
                })
                .collect();
            prop_assert_eq!(ours, reference);
        }

        #[test]
        fn piecewise_nfkc_equals_nfkc(text in texts()) {
            struct Collect(String);
            impl Emit for Collect {
                fn ascii(&mut self, run: &str) {
                    self.0.push_str(run);
                }
                fn char(&mut self, c: char) {
                    self.0.push(c);
                }
            }
            let mut ours = Collect(String::new());
            for_each_piece(&text, true, &mut ours);
            prop_assert_eq!(ours.0, text.nfkc().collect::<String>());
        }

        #[test]
        fn table_path_equals_general_path(
            switches in any::<[bool; 5]>(),
            text in prop_oneof![
                texts(),
                // Long ASCII stretches, for the sixteen-byte SIMD step.
                "[a-zA-Z0-9 \t.,;'\"$+<=>^`|~_@#!?()-]{0,120}",
                "([a-zA-Z]{1,12}[ .,]{1,3}|é|\u{A0}|\u{2019}){0,40}",
                // Only characters the table holds, so the comparison is made every time.
                "[a-zA-Z0-9 .,'\"éÉàçÀ\u{A0}«»’…–—€ΣσςΑάЖжЁёئאかが\u{FF76}，。、「」\u{3000}ＡＢ１\u{2000}\u{2028}\u{2126}№™ǄŉĲ\u{AD}\u{200B}\u{FFFD}中한]{0,40}",
                "[a-zA-Z .,'\"éÉàçÀ\u{A0}«»’…–—€ΣσςΑάά\u{301}ЖжЁё\u{306}ئ\u{654}אּ\u{5BC}か\u{3099}が\u{FF76}\u{FF9E}，。、「」\u{3000}ＡＢ１\u{2000}\u{2028}\u{2126}\u{2160}№™ǄŉİĲ\u{AD}\u{200B}\u{FFFD}\u{1F600}]{0,40}",
            ],
        ) {
            let [nfkc, lowercase, punctuation, strip_accents, drop_symbols] = switches;
            let n = Normalizer::standard()
                .nfkc(nfkc)
                .lowercase(lowercase)
                .punctuation(punctuation)
                .strip_accents(strip_accents)
                .drop_symbols(drop_symbols);
            let table = CharTable::get(&n).expect("tabulated");
            let mut bytes = Vec::new();
            if let Some(len) = table.normalize(&text, &mut bytes) {
                let mut general = String::new();
                n.general_into(text.trim(), &mut general);
                prop_assert_eq!(core::str::from_utf8(&bytes[..len]).unwrap(), general);
            }
        }

        #[test]
        fn normalization_is_idempotent(n in normalizers(), text in texts()) {
            let once = n.normalize(&text).into_owned();
            let twice = n.normalize(&once).into_owned();
            prop_assert_eq!(once, twice);
        }

        #[test]
        fn normalize_into_equals_normalize(n in normalizers(), text in texts()) {
            let mut buf = String::from("stale contents");
            n.normalize_into(&text, &mut buf);
            prop_assert_eq!(buf, n.normalize(&text).into_owned());
        }
    }
}
