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
    #[cfg(feature = "rayon")]
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

/// True when `text` has fewer than `limit` words (UAX #29 words, as `unicode_words` counts
/// them).
///
/// ASCII text is settled by its runs of letters and digits when it can be: UAX #29 never
/// breaks inside such a run, so there are at most as many words as runs, and two runs join
/// only across one `.`, `'`, `:`, `,` or `;`, or across underscores, so there are at least
/// as many words as runs less such gaps. Only when `limit` falls between the two bounds (or
/// the text is not ASCII) are the words segmented.
pub(crate) fn fewer_words_than(text: &str, limit: u32) -> bool {
    if text.is_ascii() {
        let (mut runs, mut joinable_gaps) = (0u32, 0u32);
        let (mut in_run, mut gap_len, mut gap_joins) = (false, 0u32, true);
        for &b in text.as_bytes() {
            if b.is_ascii_alphanumeric() {
                if !in_run {
                    if runs > 0 && gap_joins && gap_len > 0 {
                        joinable_gaps += 1;
                    }
                    runs += 1;
                    in_run = true;
                }
            } else {
                if in_run {
                    in_run = false;
                    gap_len = 0;
                    gap_joins = true;
                }
                gap_len += 1;
                gap_joins &=
                    b == b'_' || (gap_len == 1 && matches!(b, b'.' | b'\'' | b':' | b',' | b';'));
            }
        }
        if runs < limit {
            return true;
        }
        if runs - joinable_gaps >= limit {
            return false;
        }
    }
    text.unicode_words().take(limit as usize).count() < limit as usize
}

/// True for a line that looks like code or is mostly symbols: a table border, `}`, a number,
/// `x = 1;`, `$ make`, `<tag>`, `key_name value`. Such short lines are structure.
pub(crate) fn looks_like_code(text: &str) -> bool {
    let text = text.trim();
    // One pass counts letters among the visible characters and looks for the marks of code:
    // `=`, `{`, `}`, `->`, `::`, `</`, `/>`, `&&`, `$(`. It is run on every removal of a block
    // that holds a short repeat, so it reads each byte once.
    let (mut letters, mut visible) = (0usize, 0usize);
    let mut marks = false;
    let mut previous = 0u8;
    for (i, &b) in text.as_bytes().iter().enumerate() {
        if b.is_ascii() {
            if !b.is_ascii_whitespace() && b != 0x0b {
                visible += 1;
                letters += usize::from(b.is_ascii_alphabetic());
            }
            marks |= matches!(b, b'=' | b'{' | b'}')
                || matches!(
                    (previous, b),
                    (b'-', b'>')
                        | (b':', b':')
                        | (b'<', b'/')
                        | (b'/', b'>')
                        | (b'&', b'&')
                        | (b'$', b'(')
                );
        } else if b & 0xC0 != 0x80 {
            // The lead byte of a character beyond ASCII: decode it.
            let c = text[i..].chars().next().unwrap_or(' ');
            if !c.is_whitespace() {
                visible += 1;
                letters += usize::from(c.is_alphabetic());
            }
        }
        previous = b;
    }
    if letters * 2 < visible || marks {
        return true;
    }
    const PROMPTS: [&str; 5] = ["$ ", "# ", ">>> ", "... ", "% "];
    if PROMPTS.iter().any(|p| text.starts_with(p)) {
        return true;
    }
    if text.ends_with([';', '{', '}', '\\', '(', '[']) {
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
        // Only exact repeats are settled here: near-duplicates have words enough to be
        // shingled, and boilerplate was asked for by counts.
        let candidate: Vec<bool> = verdicts
            .iter()
            .map(|v| {
                matches!(v.status(), Status::Duplicate { .. })
                    && fewer_words_than(v.paragraph().as_str(), max_words)
            })
            .collect();
        if !candidate.contains(&true) {
            // Most documents have no short exact repeat: nothing below is needed.
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
        // A removal is short when it has fewer than `max_words` words: for an exact repeat
        // that is being a candidate; other removals (near-duplicates, boilerplate) are counted
        // only where it matters, in a block that holds a candidate.
        let short = |i: usize| {
            candidate[i]
                || (!matches!(verdicts[i].status(), Status::Duplicate { .. })
                    && fewer_words_than(verdicts[i].paragraph().as_str(), max_words))
        };

        // Blocks: runs of removed paragraphs (exempt ones do not break them). A block is
        // anchored (boilerplate) when it holds a long removal or `min_block` removals that do
        // not look like code; it is code when most of its removals look like code. Only blocks
        // holding a candidate are looked at: the others settle nothing.
        let mut code = vec![false; n];
        let mut anchored = vec![false; n];
        let mut codey = vec![false; n];
        let mut i = 0;
        while i < n {
            if !removed(i) {
                i += 1;
                continue;
            }
            let start = i;
            let mut last = i;
            let mut holds_candidate = false;
            while i < n && (removed(i) || exempt(i)) {
                if removed(i) {
                    holds_candidate |= candidate[i];
                    last = i;
                }
                i += 1;
            }
            i = last + 1;
            if !holds_candidate {
                continue;
            }
            let (mut long, mut total, mut coded) = (false, 0u32, 0u32);
            for j in (start..=last).filter(|&j| removed(j)) {
                long |= !short(j);
                code[j] = looks_like_code(verdicts[j].paragraph().as_str());
                total += 1;
                coded += u32::from(code[j]);
            }
            let prose = total - coded;
            if long || (min_block > 0 && prose >= min_block) {
                anchored[start..=last].iter_mut().for_each(|a| *a = true);
            }
            if coded * 2 > total {
                codey[start..=last].iter_mut().for_each(|c| *c = true);
            }
        }
        let candidates = (0..n).filter(|&i| candidate[i]);

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
            if fewer_words_than(v.paragraph().as_str(), max_words) {
                counts.count(fp, document);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{fewer_words_than, looks_like_code};
    use proptest::prelude::*;
    use unicode_segmentation::UnicodeSegmentation;

    /// `looks_like_code` written plainly, one test after another.
    fn looks_like_code_reference(text: &str) -> bool {
        let text = text.trim();
        let visible = text.chars().filter(|c| !c.is_whitespace()).count();
        let letters = text.chars().filter(|c| c.is_alphabetic()).count();
        let marks = ["=", "{", "}", "->", "::", "</", "/>", "&&", "$("];
        let mut chars = text.chars();
        letters * 2 < visible
            || ["$ ", "# ", ">>> ", "... ", "% "]
                .iter()
                .any(|p| text.starts_with(p))
            || text.ends_with([';', '{', '}', '\\', '(', '['])
            || marks.iter().any(|m| text.contains(m))
            || match (chars.next(), chars.next()) {
                (Some('-'), Some(c)) => !c.is_whitespace(),
                (Some('\\'), Some(_)) => true,
                _ => false,
            }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(4096))]

        /// The one-pass scan answers as the plain tests do.
        #[test]
        fn looks_like_code_as_the_reference(
            text in "[a-bé $#>.%;{}\\\\(\\[=:</&\\-\t\u{b}\u{a0}]{0,12}|\\PC{0,30}",
        ) {
            prop_assert_eq!(looks_like_code(&text), looks_like_code_reference(&text), "{:?}", text);
        }

        /// The ASCII bounds give the answer the segmenter gives, on text made of the
        /// characters that join or split words, and on any text.
        #[test]
        fn fewer_words_than_counts_as_the_segmenter(
            text in "[a-c0-9 ._':,;!\\-]{0,8}|[a-c0-9 ._':,;!\\-]{0,60}|\\PC{0,40}",
            limit in 1u32..16,
        ) {
            let words = text.unicode_words().count();
            prop_assert_eq!(fewer_words_than(&text, limit), words < limit as usize, "{:?}", text);
        }
    }

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
