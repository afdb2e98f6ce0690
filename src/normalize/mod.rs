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
//!
//! Here are the configuration and the choice of path; each path has its module:
//!
//! - `table`: for `standard`-like normalizers with whitespace collapse and without digit
//!   folding, one lookup per character in a table worked out once by the general path, with
//!   `simd` taking many bytes at a time on x86-64;
//! - `general`: any normalizer but `ccnet` on any text (the table path hands it every
//!   paragraph with a character it does not tabulate), with `general::nfkc` applying NFKC
//!   only where it can change something and `general::sink` folding digits and collapsing
//!   whitespace;
//! - `ccnet`: the CCNet-exact preset;
//! - `ascii` and `letters`: the character classes the paths share.

mod ascii;
mod ccnet;
mod general;
#[cfg(test)]
mod reference;
#[cfg(target_arch = "x86_64")]
mod simd;
#[cfg(test)]
mod strategies;
mod table;

use std::borrow::Cow;
use std::sync::OnceLock;

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
        if let Some(table) = TablePath::get(self) {
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
        if let Some(table) = TablePath::get(self) {
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
            ccnet::ccnet_into(text, out);
        } else if self.is_identity() {
            out.push_str(text);
        } else if text.is_ascii() {
            self.ascii_into(text, out);
        } else {
            self.unicode_into(text, out);
        }
    }
}

/// The table path of one normalizer: its character table, and the SIMD kernel this CPU runs
/// over it. The table knows nothing of SIMD, and the kernels only read the table, so the two
/// meet here.
struct TablePath {
    table: CharTable,
    #[cfg(target_arch = "x86_64")]
    simd: Option<simd::Simd>,
}

impl TablePath {
    /// The table path for `normalizer`, built on first use; `None` when it does not apply.
    fn get(normalizer: &Normalizer) -> Option<&'static TablePath> {
        static PATHS: [OnceLock<Option<TablePath>>; CharTable::KINDS] =
            [const { OnceLock::new() }; CharTable::KINDS];
        PATHS[CharTable::kind(normalizer)?]
            .get_or_init(|| {
                let table = CharTable::build(normalizer)?;
                Some(TablePath {
                    #[cfg(target_arch = "x86_64")]
                    simd: simd::Simd::new(&table, normalizer.lowercase),
                    table,
                })
            })
            .as_ref()
    }

    /// [`CharTable::normalize`], by the SIMD kernel when there is one.
    #[inline]
    fn normalize(&self, text: &str, buf: &mut Vec<u8>) -> Option<usize> {
        #[cfg(target_arch = "x86_64")]
        if let Some(simd) = &self.simd {
            return simd.normalize(&self.table, text, buf);
        }
        self.table.normalize(text, buf)
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

#[cfg(test)]
mod properties {
    use super::strategies::{normalizers, texts};
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

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
