//! What becomes of short repeats: the structure-aware rule.
//!
//! A long paragraph that repeats is a repeat whatever stands around it. A short one often is
//! not: on real text most short repeats are structure (a heading, a table cell, a line of
//! code, a quote marker, the end of a hard-wrapped sentence), and only some are boilerplate
//! (navigation, footers, signatures). Boilerplate comes in blocks, at the head or tail of a
//! document, or in many documents; structure comes alone, or in blocks made mostly of
//! symbols. [`ShortParagraphs`] says which evidence a short repeat needs to be removed.
//!
//! The rule looks at a whole document's decisions before it settles any short repeat, so a
//! deduper with it decides a document at once (see [`Deduper::verdicts`]).
//!
//! [`Deduper::verdicts`]: crate::Deduper::verdicts

use core::fmt;
use core::str::FromStr;
use std::collections::HashMap;

use unicode_segmentation::UnicodeSegmentation;

use super::verdict::{Status, Verdict};
use crate::error::{Error, ErrorKind};
use crate::fingerprint::{Fingerprint, FingerprintBuildHasher};

/// Which repeats of short paragraphs are removed.
///
/// The default, [`ShortParagraphs::InBoilerplateBlocks`] with
/// [`ShortParagraphs::DEFAULT_MAX_WORDS`], [`ShortParagraphs::DEFAULT_EDGE`] and
/// [`ShortParagraphs::DEFAULT_MIN_DOCUMENTS`], removes a short repeat only where the
/// evidence says boilerplate; [`ShortParagraphs::RemoveEveryRepeat`] removes every repeat, as
/// CCNet and Dolma do.
///
/// Names (for a command line or a config file): `remove-every-repeat`,
/// `in-boilerplate-blocks`, and `in-boilerplate-blocks:words=W,edge=E,block=B,documents=K`
/// with any of the four set (the others keep their defaults).
///
/// ```
/// use paradedup::{Deduper, ShortParagraphs};
///
/// // A table whose cells repeat, and a footer block that repeats the header.
/// let doc = "Home\nContact\nSpeed\nOui\nSize\nOui\nMore text.\nThe end.\nHome\nContact\n";
/// let mut d = Deduper::new();
/// let kept = "Home\nContact\nSpeed\nOui\nSize\nOui\nMore text.\nThe end.\n";
/// assert_eq!(d.dedup(doc).text(), kept);
///
/// let mut every = Deduper::builder().short_paragraphs(ShortParagraphs::RemoveEveryRepeat).build();
/// let kept = "Home\nContact\nSpeed\nOui\nSize\nMore text.\nThe end.\n";
/// assert_eq!(every.dedup(doc).text(), kept);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ShortParagraphs {
    /// Every repeat is removed, short or long: the behaviour of CCNet and Dolma.
    RemoveEveryRepeat,
    /// A repeat with fewer than `max_words` words is removed only where the evidence says
    /// boilerplate; longer repeats are removed as always.
    ///
    /// The evidence, any one of which suffices:
    ///
    /// - a **block**: the repeat stands in a run of removed paragraphs (exempt ones such as
    ///   `***` do not break it) that holds at least one removed paragraph of `max_words`
    ///   words or more, or at least `min_block` removals that do not look like code;
    /// - an **edge**: the repeat is in the document's head or tail, the stretches before its
    ///   first and after its last run of `edge + 1` consecutive kept paragraphs (a page's
    ///   header, navigation and footer); `edge: 0` still counts a run of removals that begins
    ///   or ends the document;
    /// - **many documents** (in [`Scope::Corpus`](crate::Scope::Corpus) only, `min_documents`
    ///   more than 0): the paragraph is in at least `min_documents` of the documents given so
    ///   far, this one included.
    ///
    /// A short repeat that looks like code or is mostly symbols (a table border, `}`,
    /// `x = 1;`, `$ make`, `0`, `✓`) is structure, and kept whatever the evidence, when it
    /// stands alone or in a block made mostly of such lines.
    InBoilerplateBlocks {
        /// Paragraphs with fewer words than this are short (words as UAX #29 counts them).
        max_words: u32,
        /// How many consecutive kept paragraphs the head and tail may hold.
        edge: u32,
        /// How many removals, none of them code-like, make a block boilerplate even when all
        /// are short; 0: never.
        min_block: u32,
        /// In corpus scope, in how many documents a short paragraph is boilerplate; 0: never.
        min_documents: u32,
    },
}

impl ShortParagraphs {
    /// The default `max_words`: chosen on the labelled removals of docs/removal-quality.md.
    pub const DEFAULT_MAX_WORDS: u32 = 12;
    /// The default `edge`: chosen on the labelled removals of docs/removal-quality.md.
    pub const DEFAULT_EDGE: u32 = 1;
    /// The default `min_documents`: chosen on the labelled removals of
    /// docs/removal-quality.md.
    pub const DEFAULT_MIN_DOCUMENTS: u32 = 0;
    /// The default `min_block`: chosen on the labelled removals of docs/removal-quality.md.
    pub const DEFAULT_MIN_BLOCK: u32 = 4;

    /// [`ShortParagraphs::InBoilerplateBlocks`] with the default thresholds.
    ///
    /// ```
    /// use paradedup::ShortParagraphs;
    ///
    /// assert_eq!(ShortParagraphs::in_boilerplate_blocks(), ShortParagraphs::default());
    /// ```
    pub const fn in_boilerplate_blocks() -> ShortParagraphs {
        ShortParagraphs::InBoilerplateBlocks {
            max_words: ShortParagraphs::DEFAULT_MAX_WORDS,
            edge: ShortParagraphs::DEFAULT_EDGE,
            min_block: ShortParagraphs::DEFAULT_MIN_BLOCK,
            min_documents: ShortParagraphs::DEFAULT_MIN_DOCUMENTS,
        }
    }

    /// True when a repeat can be kept by this rule, so a document must be decided whole.
    pub(crate) fn needs_whole_document(self) -> bool {
        !matches!(self, ShortParagraphs::RemoveEveryRepeat)
    }
}

/// [`ShortParagraphs::in_boilerplate_blocks`].
impl Default for ShortParagraphs {
    fn default() -> ShortParagraphs {
        ShortParagraphs::in_boilerplate_blocks()
    }
}

/// Parses `remove-every-repeat`, `in-boilerplate-blocks` or
/// `in-boilerplate-blocks:words=W,edge=E,block=B,documents=K` (any of the four, in any order).
///
/// ```
/// use paradedup::ShortParagraphs;
///
/// let rule: ShortParagraphs = "in-boilerplate-blocks:words=8".parse()?;
/// assert_eq!(
///     rule,
///     ShortParagraphs::InBoilerplateBlocks {
///         max_words: 8,
///         edge: ShortParagraphs::DEFAULT_EDGE,
///         min_block: ShortParagraphs::DEFAULT_MIN_BLOCK,
///         min_documents: ShortParagraphs::DEFAULT_MIN_DOCUMENTS,
///     }
/// );
/// assert_eq!("remove_every_repeat".parse::<ShortParagraphs>()?, ShortParagraphs::RemoveEveryRepeat);
/// assert!("keep".parse::<ShortParagraphs>().is_err());
/// # Ok::<(), paradedup::Error>(())
/// ```
impl FromStr for ShortParagraphs {
    type Err = Error;

    fn from_str(text: &str) -> Result<ShortParagraphs, Error> {
        let unknown = || {
            Error::new(
                ErrorKind::UnknownName,
                format!(
                    "unknown short-paragraph rule {text:?}: expected remove-every-repeat, \
                     in-boilerplate-blocks or in-boilerplate-blocks:words=W,edge=E,block=B,documents=K"
                ),
            )
        };
        let name = text.replace('_', "-");
        let (head, params) = match name.split_once(':') {
            Some((head, params)) => (head, Some(params)),
            None => (name.as_str(), None),
        };
        match (head, params) {
            ("remove-every-repeat", None) => Ok(ShortParagraphs::RemoveEveryRepeat),
            ("in-boilerplate-blocks", params) => {
                let (mut max_words, mut edge, mut min_block, mut min_documents) = (
                    ShortParagraphs::DEFAULT_MAX_WORDS,
                    ShortParagraphs::DEFAULT_EDGE,
                    ShortParagraphs::DEFAULT_MIN_BLOCK,
                    ShortParagraphs::DEFAULT_MIN_DOCUMENTS,
                );
                for param in params.into_iter().flat_map(|p| p.split(',')) {
                    let (key, value) = param.split_once('=').ok_or_else(unknown)?;
                    let value: u32 = value.parse().map_err(|_| unknown())?;
                    match key {
                        "words" => max_words = value,
                        "edge" => edge = value,
                        "block" => min_block = value,
                        "documents" => min_documents = value,
                        _ => return Err(unknown()),
                    }
                }
                Ok(ShortParagraphs::InBoilerplateBlocks {
                    max_words,
                    edge,
                    min_block,
                    min_documents,
                })
            }
            _ => Err(unknown()),
        }
    }
}

/// Writes the name [`FromStr`] reads: `remove-every-repeat`, `in-boilerplate-blocks` for the
/// defaults, or `in-boilerplate-blocks:words=W,edge=E,block=B,documents=K`.
///
/// ```
/// use paradedup::ShortParagraphs;
///
/// assert_eq!(ShortParagraphs::default().to_string(), "in-boilerplate-blocks");
/// let rule = ShortParagraphs::InBoilerplateBlocks {
///     max_words: 8,
///     edge: 2,
///     min_block: 4,
///     min_documents: 3,
/// };
/// assert_eq!(rule.to_string(), "in-boilerplate-blocks:words=8,edge=2,block=4,documents=3");
/// assert_eq!(rule.to_string().parse::<ShortParagraphs>()?, rule);
/// # Ok::<(), paradedup::Error>(())
/// ```
impl fmt::Display for ShortParagraphs {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            ShortParagraphs::RemoveEveryRepeat => f.write_str("remove-every-repeat"),
            rule if rule == ShortParagraphs::in_boilerplate_blocks() => {
                f.write_str("in-boilerplate-blocks")
            }
            ShortParagraphs::InBoilerplateBlocks {
                max_words,
                edge,
                min_block,
                min_documents,
            } => write!(
                f,
                "in-boilerplate-blocks:words={max_words},edge={edge},block={min_block},\
                 documents={min_documents}"
            ),
        }
    }
}

/// In how many documents each short paragraph was met, for the many-documents evidence.
/// Where a run of verdicts settled together stands in its document.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Window {
    /// The run begins the document, so its first paragraphs are the document's head.
    pub(crate) starts_document: bool,
    /// The run ends the document, so its last paragraphs are the document's tail.
    pub(crate) ends_document: bool,
}

impl Window {
    /// A whole document.
    pub(crate) const WHOLE: Window = Window {
        starts_document: true,
        ends_document: true,
    };
}

/// The most verdicts settled together. The rule looks at a document's verdicts side by side;
/// a document of more paragraphs is settled this many at a time, so that its memory stays
/// bounded (about 100 bytes a verdict) however many tiny paragraphs it holds. Blocks that
/// straddle two windows are judged as two blocks.
pub(crate) const SETTLE_WINDOW: usize = 1 << 18;

#[derive(Clone, Debug, Default)]
pub(crate) struct ShortCounts {
    /// Documents containing it, and the last of them (so one counts once).
    counts: HashMap<Fingerprint, (u32, u64), FingerprintBuildHasher>,
}

impl ShortCounts {
    pub(crate) fn clear(&mut self) {
        self.counts.clear();
    }

    /// Counts document `document` for `fingerprint`; the documents containing it so far.
    fn count(&mut self, fingerprint: Fingerprint, document: u64) -> u32 {
        let entry = self.counts.entry(fingerprint).or_insert((0, u64::MAX));
        if entry.1 != document {
            *entry = (entry.0.saturating_add(1), document);
        }
        entry.0
    }
}

/// The number of words in `text`, counting no further than `limit`.
fn words_up_to(text: &str, limit: u32) -> u32 {
    text.unicode_words().take(limit as usize).count() as u32
}

/// True for a line that looks like code or is mostly symbols: a table border, `}`, a number,
/// `x = 1;`, `$ make`, `<tag>`, `key_name value`. Such short lines are structure.
pub(crate) fn looks_like_code(text: &str) -> bool {
    let text = text.trim();
    let (mut letters, mut visible) = (0usize, 0usize);
    for c in text.chars() {
        if !c.is_whitespace() {
            visible += 1;
            if c.is_alphabetic() {
                letters += 1;
            }
        }
    }
    if letters * 2 < visible {
        return true;
    }
    const PROMPTS: [&str; 5] = ["$ ", "# ", ">>> ", "... ", "% "];
    if PROMPTS.iter().any(|p| text.starts_with(p)) {
        return true;
    }
    if text.ends_with([';', '{', '}', '\\', '(', '[']) {
        return true;
    }
    const MARKS: [&str; 9] = ["=", "{", "}", "->", "::", "</", "/>", "&&", "$("];
    if MARKS.iter().any(|m| text.contains(m)) {
        return true;
    }
    // A command-line option (`-k`, `--help`) or an escape (`\\x`).
    let mut chars = text.chars();
    match (chars.next(), chars.next()) {
        (Some('-'), Some(c)) => !c.is_whitespace(),
        (Some('\\'), Some(_)) => true,
        _ => false,
    }
}

impl ShortParagraphs {
    /// Settles the short repeats of one document's raw `verdicts` (document number
    /// `document`): those without boilerplate evidence become [`Status::Kept`]. Returns the
    /// verdicts changed, for the caller's counts. `counts` is `Some` in corpus scope when the
    /// many-documents evidence is on. `window` says whether the verdicts begin and end the
    /// document: a very long document is settled a window at a time, and only its first
    /// window has a head, only its last a tail.
    pub(crate) fn revise(
        self,
        verdicts: &mut [Verdict<'_>],
        document: u64,
        window: Window,
        counts: Option<&mut ShortCounts>,
    ) -> Vec<usize> {
        let ShortParagraphs::InBoilerplateBlocks {
            max_words,
            edge,
            min_block,
            min_documents,
        } = self
        else {
            return Vec::new();
        };
        let n = verdicts.len();
        let short: Vec<bool> = verdicts
            .iter()
            .map(|v| {
                v.status().is_removed()
                    && words_up_to(v.paragraph().as_str(), max_words) < max_words
            })
            .collect();
        // Only exact repeats are settled here: near-duplicates have words enough to be
        // shingled, and boilerplate was asked for by counts.
        let candidates: Vec<usize> = (0..n)
            .filter(|&i| short[i] && matches!(verdicts[i].status(), Status::Duplicate { .. }))
            .collect();
        if candidates.is_empty() {
            if let Some(counts) = counts {
                count_short(verdicts, document, max_words, min_documents, counts);
            }
            return Vec::new();
        }
        let removed_at: Vec<bool> = verdicts.iter().map(|v| v.status().is_removed()).collect();
        let exempt_at: Vec<bool> = verdicts
            .iter()
            .map(|v| v.status() == Status::Exempt)
            .collect();
        let removed = |i: usize| removed_at[i];
        let exempt = |i: usize| exempt_at[i];

        // Blocks: runs of removed paragraphs (exempt ones do not break them). A block is
        // anchored (boilerplate) when it holds a long removal or `min_block` removals that do
        // not look like code; it is code when most of its removals look like code.
        let code: Vec<bool> = (0..n)
            .map(|i| removed(i) && looks_like_code(verdicts[i].paragraph().as_str()))
            .collect();
        let mut anchored = vec![false; n];
        let mut codey = vec![false; n];
        let mut i = 0;
        while i < n {
            if !removed(i) {
                i += 1;
                continue;
            }
            let start = i;
            let (mut long, mut total, mut coded) = (false, 0u32, 0u32);
            let mut last = i;
            while i < n && (removed(i) || exempt(i)) {
                if removed(i) {
                    long |= !short[i];
                    total += 1;
                    coded += u32::from(code[i]);
                    last = i;
                }
                i += 1;
            }
            let prose = total - coded;
            if long || (min_block > 0 && prose >= min_block) {
                anchored[start..=last].iter_mut().for_each(|a| *a = true);
            }
            if coded * 2 > total {
                codey[start..=last].iter_mut().for_each(|c| *c = true);
            }
            i = last + 1;
        }

        // Head and tail: up to the first run of `edge + 1` kept paragraphs from either end.
        let kept = |i: usize| !removed(i) && !exempt(i);
        let zone_end = |order: &mut dyn Iterator<Item = usize>| -> Option<usize> {
            let mut streak = 0;
            for i in order {
                if kept(i) {
                    streak += 1;
                    if streak > edge {
                        return Some(i);
                    }
                } else {
                    streak = 0;
                }
            }
            None
        };
        // Paragraphs before `head` and after `tail` are in the edges.
        let mut head = zone_end(&mut (0..n)).unwrap_or(n);
        let mut tail = zone_end(&mut (0..n).rev()).map_or(0, |i| i + 1);
        // One removal alone at an edge is no header or footer (the last step of a procedure
        // that repeats an earlier one): an edge holds two removals at least.
        if (0..head).filter(|&i| removed(i)).count() < 2 {
            head = 0;
        }
        if (tail..n).filter(|&i| removed(i)).count() < 2 {
            tail = n;
        }
        if !window.starts_document {
            head = 0;
        }
        if !window.ends_document {
            tail = n;
        }

        let mut documents = counts;
        if let Some(counts) = documents.as_deref_mut() {
            count_short(verdicts, document, max_words, min_documents, counts);
        }

        let mut changed = Vec::new();
        for i in candidates {
            // Structure: a code-like line alone or in a block made mostly of code.
            let structure = code[i] && codey[i];
            let evidence = !structure
                && (anchored[i]
                    || i < head
                    || i >= tail
                    || documents.as_ref().is_some_and(|counts| {
                        verdicts[i].fingerprint().is_some_and(|fp| {
                            counts.counts.get(&fp).is_some_and(|c| c.0 >= min_documents)
                        })
                    }));
            if !evidence {
                let fingerprint = verdicts[i].fingerprint().unwrap_or(Fingerprint::of(""));
                verdicts[i].set_status(Status::Kept { fingerprint });
                changed.push(i);
            }
        }
        changed
    }
}

/// Counts this document for each of its short paragraphs, for the many-documents evidence.
fn count_short(
    verdicts: &[Verdict<'_>],
    document: u64,
    max_words: u32,
    min_documents: u32,
    counts: &mut ShortCounts,
) {
    if min_documents == 0 {
        return;
    }
    for v in verdicts {
        if let Some(fp) = v.fingerprint() {
            if words_up_to(v.paragraph().as_str(), max_words) < max_words {
                counts.count(fp, document);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::looks_like_code;

    #[test]
    fn code_and_symbols_look_like_code() {
        for line in [
            "}",
            "+-----+",
            "0",
            "✓",
            "x = 1;",
            "$ make",
            "</wallpaper>",
            "-k",
            "--coverdir",
            "\\x",
        ] {
            assert!(looks_like_code(line), "{line}");
        }
        for line in [
            "Oui",
            "Next",
            "Table of Contents",
            "Menu | Contact",
            "- a list item",
            "lru_cache()",
        ] {
            assert!(!looks_like_code(line), "{line}");
        }
    }
}
