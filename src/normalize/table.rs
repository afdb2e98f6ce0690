//! The table path: normalization as one lookup per character.
//!
//! With whitespace collapse on and digit folding off, every step of a `standard`-like
//! normalizer acts on one character at a time, except NFKC, which can join a character with
//! its neighbours. Characters that NFKC can never join with a neighbour (combining class 0, and
//! never the second half of a composition) normalize the same wherever they stand. For those,
//! what the general path makes of each one is worked out once, by running the general path
//! itself, and stored in a table: the character's output bytes, or "separator". Normalizing a
//! paragraph made only of such characters is then a lookup per character and a branch-free
//! collapse of separator runs.
//!
//! Every page of the Basic Multilingual Plane is worked out when the table is built. A
//! paragraph with any other character (a combining mark, a character beyond the BMP) goes to
//! the general path whole, so the two paths cannot disagree at a boundary between them.
//! A property test compares them on text mixing tabulated and untabulated characters.

use unicode_normalization::char::{canonical_combining_class, compose};
use unicode_normalization::{is_nfkc_quick, IsNormalized};

use super::{Normalizer, Preset};

/// Code points per page: the code points a three-byte UTF-8 sequence shares its first two
/// bytes with.
const PAGE: usize = 64;

/// Pages of the Basic Multilingual Plane, by `code point / PAGE`.
const PAGES: usize = 0x1_0000 / PAGE;

/// [`CharTable::slots`]: the page is not tabulated; its characters take the general path.
const SLOW_PAGE: u16 = 0;
/// [`CharTable::slots`]: every character of the page is its own output.
const IDENTITY_PAGE: u16 = 1;
/// [`CharTable::slots`]: the first slot that indexes [`CharTable::entries`].
const FIRST_TABULATED: u16 = 2;

/// An entry's kind, in its bits 32..40: 0 for a separator, 1..=4 for that many output bytes
/// (in bits 0..32, first byte lowest), [`SLOW`] for a character the table path leaves to the
/// general one.
const SLOW: u64 = 0xFF;

/// An entry's bits 40..48: the combining class of a mark tabulated as itself, 0 for every
/// other entry; bit 48 is [`COMPOSES`].
const MARK_SHIFT: u32 = 40;

/// What each tabulated character becomes under one normalizer.
pub(super) struct CharTable {
    /// Per ASCII byte: the byte to write (a space for a separator) in bits 0..8, and bit 8 set
    /// when the byte is kept rather than a separator.
    ascii: [u16; 128],
    /// Per BMP page: [`SLOW_PAGE`], [`IDENTITY_PAGE`], or `FIRST_TABULATED + k` for the k-th
    /// block of [`PAGE`] entries.
    slots: Box<[u16; PAGES]>,
    entries: Vec<u64>,
}

impl CharTable {
    /// How many normalizers the table path serves: one per combination of the switches it
    /// tabulates.
    pub(super) const KINDS: usize = 32;

    /// Which of the [`CharTable::KINDS`] `normalizer` is; `None` when the table path does not
    /// apply (digit folding and uncollapsed whitespace depend on the characters around).
    pub(super) fn kind(normalizer: &Normalizer) -> Option<usize> {
        if normalizer.preset != Preset::Standard || !normalizer.whitespace || normalizer.fold_digits
        {
            return None;
        }
        Some(
            usize::from(normalizer.nfkc)
                | usize::from(normalizer.lowercase) << 1
                | usize::from(normalizer.punctuation) << 2
                | usize::from(normalizer.strip_accents) << 3
                | usize::from(normalizer.drop_symbols) << 4,
        )
    }

    /// Runs the general path on each tabulated character between two `a`s and records what it
    /// made of it. `None` if some ASCII character could not be tabulated (none can today; the
    /// check keeps the table honest if the steps change).
    pub(super) fn build(normalizer: &Normalizer) -> Option<CharTable> {
        let mut general = String::new();
        let mut classify = |c: char| -> u64 {
            // A combining mark that NFKC leaves as it is (quick check `Yes`: it never composes)
            // is tabulated with its combining class, which the loop checks is in order; any
            // other character that NFKC can join with a neighbour is not.
            let mark = if is_boundary(c) {
                0
            } else if is_stable_mark(c) {
                u64::from(canonical_combining_class(c))
            } else if is_composing_starter(c) && !normalizer.strip_accents {
                COMPOSES
            } else {
                return SLOW << 32;
            };
            let mut context = [0u8; 6];
            let mut at = 0;
            for ch in ['a', c, 'a'] {
                at += ch.encode_utf8(&mut context[at..]).len();
            }
            let context = core::str::from_utf8(&context[..at]).expect("encoded above");
            general.clear();
            normalizer.unicode_into(context, &mut general);
            if general == "a a" {
                return 0;
            }
            let Some(middle) = general
                .strip_prefix('a')
                .and_then(|rest| rest.strip_suffix('a'))
            else {
                return SLOW << 32;
            };
            let fits = (1..=4).contains(&middle.len()) && middle.len() <= 2 * c.len_utf8();
            let kept = if mark == 0 {
                middle.chars().all(|m| !m.is_whitespace() && is_boundary(m))
            } else {
                // A mark only as itself: then it is the same mark wherever it stands.
                middle.chars().eq([c])
            };
            if !fits || !kept {
                return SLOW << 32;
            }
            let mut bytes = [0u8; 4];
            bytes[..middle.len()].copy_from_slice(middle.as_bytes());
            u64::from(u32::from_le_bytes(bytes)) | (middle.len() as u64) << 32 | mark << MARK_SHIFT
        };

        let mut ascii = [0u16; 128];
        for (b, slot) in ascii.iter_mut().enumerate() {
            let entry = classify(char::from(b as u8));
            *slot = match entry >> 32 {
                0 => u16::from(b' '),
                1 => 0x100 | (entry & 0xFF) as u16,
                _ => return None,
            };
        }

        let mut slots = Box::new([SLOW_PAGE; PAGES]);
        let mut entries = Vec::new();
        let mut page_entries = Vec::with_capacity(PAGE);
        for (page, slot) in slots.iter_mut().enumerate() {
            let first = (page * PAGE) as u32;
            if first < 0x80 {
                continue;
            }
            page_entries.clear();
            page_entries.extend(
                (first..first + PAGE as u32)
                    .map(|cp| char::from_u32(cp).map_or(SLOW << 32, &mut classify)),
            );
            let is_itself = |(cp, &entry): (u32, &u64)| {
                let mut bytes = [0u8; 4];
                char::from_u32(cp).is_some_and(|c| {
                    let len = c.encode_utf8(&mut bytes).len();
                    entry == u64::from(u32::from_le_bytes(bytes)) | (len as u64) << 32
                })
            };
            // The two-byte pages are always stored, in order (see `two_byte`).
            if first >= 0x800 && (first..).zip(&page_entries).all(is_itself) {
                // Every step leaves each character as it is (ideographs, Hangul syllables,
                // most of any script without case or punctuation).
                *slot = IDENTITY_PAGE;
            } else if first >= 0x800 && page_entries.iter().all(|&e| e >> 32 == SLOW) {
                // Surrogates, and pages of combining marks only.
            } else {
                *slot = FIRST_TABULATED + (entries.len() / PAGE) as u16;
                entries.extend_from_slice(&page_entries);
            }
        }
        // The normalize loop indexes two-byte characters as `entries[cp - 0x80]`.
        debug_assert!((2..0x800 / PAGE).all(|page| usize::from(slots[page]) == page));
        Some(CharTable {
            ascii,
            slots,
            entries,
        })
    }

    /// The entries of the ASCII bytes: the byte to write (a space for a separator) in bits
    /// 0..8, and bit 8 set when the byte is kept rather than a separator.
    pub(super) fn ascii(&self) -> &[u16; 128] {
        &self.ascii
    }

    /// The entries of U+0080..U+0800, the two-byte characters, in order (see [`SLOW`] for
    /// their layout).
    pub(super) fn two_byte(&self) -> &[u64] {
        &self.entries[..0x800 - 0x80]
    }

    /// The entries of the [`PAGE`] code points from `first` (a multiple of [`PAGE`] in the
    /// Basic Multilingual Plane), when that page is tabulated one character at a time.
    pub(super) fn page(&self, first: u32) -> Option<&[u64]> {
        let slot = *self.slots.get(first as usize / PAGE)?;
        let block = usize::from(slot.checked_sub(FIRST_TABULATED)?) * PAGE;
        self.entries.get(block..block + PAGE)
    }

    /// True when every character of `range` (whole pages) is its own output.
    pub(super) fn copies(&self, range: core::ops::Range<u32>) -> bool {
        (range.start as usize / PAGE..range.end as usize / PAGE)
            .all(|page| self.slots.get(page) == Some(&IDENTITY_PAGE))
    }

    /// Writes the normalized form of `text` (already trimmed or not: leading and trailing
    /// separators are dropped either way) to the front of `buf`, growing it as needed, and
    /// returns its length; `None` when `text` holds a character the table leaves to the general
    /// path, in which case `buf` holds nothing useful.
    ///
    /// This is the loop without SIMD, eight ASCII bytes at a time at most; the SIMD kernels run
    /// [`CharTable::normalize_with`] with their own step.
    #[inline]
    pub(super) fn normalize(&self, text: &str, buf: &mut Vec<u8>) -> Option<usize> {
        self.normalize_with(
            text,
            buf,
            16,
            None::<fn(&[u8], &mut [u8], &mut usize, &mut bool) -> usize>,
            false,
        )
    }

    /// The loop of [`CharTable::normalize`], with `chunk` (when given) taking the ASCII at the
    /// start of the rest of the text, as the SIMD kernel does, and returning how many bytes it
    /// took; it writes at most `room` bytes past the output it leaves. Inlined into each
    /// caller, so the SIMD caller's copy is compiled with its target features. `wide` says
    /// the step also takes basic Cyrillic and CJK ideographs (a table whose
    /// `AsciiClasses::cyrillic_cjk` is set), so it is tried at their lead bytes too, not only
    /// at ASCII.
    #[inline(always)]
    pub(super) fn normalize_with(
        &self,
        text: &str,
        buf: &mut Vec<u8>,
        room: usize,
        mut chunk: Option<impl FnMut(&[u8], &mut [u8], &mut usize, &mut bool) -> usize>,
        wide: bool,
    ) -> Option<usize> {
        // Where the chunk step may take over: ASCII, a Latin-1 letter, and with `wide` the
        // lead bytes of basic Cyrillic and CJK ideographs.
        let starts_chunk =
            |b: u8| b < 0x80 || b == 0xC3 || wide && matches!(b, 0xD0 | 0xD1 | 0xE4..=0xE9);
        let text = text.as_bytes();
        // Every character writes at most twice its own length (a separator one space), and the
        // SIMD step writes up to `room` bytes past where it starts.
        let need = 2 * text.len() + room.max(32);
        if buf.len() < need {
            buf.resize(need, 0);
        }
        let buf = &mut buf[..need];
        let mut n = 0;
        // True after a separator, and at the start: a separator then writes nothing, so runs
        // collapse and leading ones vanish.
        let mut after_separator = true;
        // Where the last combining mark ended, and its class.
        let mut mark_end = usize::MAX;
        let mut mark_class = 0u8;
        let mut i = 0;
        while let Some(&b) = text.get(i) {
            if starts_chunk(b) {
                let rest = &text[i..];
                if let Some(step) = &mut chunk {
                    // A lone ASCII byte (the space between two Cyrillic words) is cheaper one
                    // at a time when the step cannot take the word after it.
                    if b >= 0x80 || rest.get(1).is_some_and(|&next| starts_chunk(next)) {
                        let used = step(rest, buf, &mut n, &mut after_separator);
                        if used > 0 {
                            i += used;
                            continue;
                        }
                    }
                } else if let Some(eight) = rest.get(..8) {
                    let eight: &[u8; 8] = eight.try_into().expect("eight bytes");
                    if u64::from_le_bytes(*eight) & 0x8080_8080_8080_8080 == 0 {
                        for &b in eight {
                            self.ascii_step(b, buf, &mut n, &mut after_separator);
                        }
                        i += 8;
                        continue;
                    }
                }
                if b < 0x80 {
                    self.ascii_step(b, buf, &mut n, &mut after_separator);
                    i += 1;
                    continue;
                }
            }
            // A run of other characters (a Cyrillic word, a CJK sentence) stays in this loop.
            // `text` is UTF-8, so a lead byte below 0xE0 starts two bytes and one below 0xF0
            // three; four-byte characters are not tabulated.
            let mut b = b;
            loop {
                let (entry, width) = if b < 0xE0 {
                    // Two-byte characters are the first entries, in order: no page lookup.
                    let cp = usize::from(b & 0x1F) << 6 | usize::from(text[i + 1] & 0x3F);
                    (self.entries[cp - 0x80], 2)
                } else if b < 0xF0 {
                    let cp = usize::from(b & 0x0F) << 12
                        | usize::from(text[i + 1] & 0x3F) << 6
                        | usize::from(text[i + 2] & 0x3F);
                    let entry = match self.slots[cp / PAGE] {
                        SLOW_PAGE => return None,
                        IDENTITY_PAGE => {
                            let bytes = [text[i], text[i + 1], text[i + 2], 0];
                            u64::from(u32::from_le_bytes(bytes)) | 3 << 32
                        }
                        slot => {
                            self.entries[usize::from(slot - FIRST_TABULATED) * PAGE + cp % PAGE]
                        }
                    };
                    (entry, 3)
                } else {
                    return None;
                };
                if (entry >> MARK_SHIFT) & COMPOSES != 0 && composes_with_previous(text, i) {
                    return None;
                }
                let mark = (entry >> MARK_SHIFT) as u8;
                if mark != 0 {
                    // NFKC reorders adjacent marks whose classes decrease: the general path's.
                    if mark_end == i && mark_class > mark {
                        return None;
                    }
                    mark_end = i + width;
                    mark_class = mark;
                }
                let len = (entry >> 32) as u8 as usize;
                if len == 0 {
                    buf[n] = b' ';
                    n += usize::from(!after_separator);
                    after_separator = true;
                } else if len == SLOW as usize {
                    return None;
                } else {
                    buf[n..n + 4].copy_from_slice(&(entry as u32).to_le_bytes());
                    n += len;
                    after_separator = false;
                }
                i += width;
                match text.get(i) {
                    Some(&next) if !starts_chunk(next) || chunk.is_none() && next >= 0x80 => {
                        b = next
                    }
                    _ => break,
                }
            }
        }
        // A trailing separator wrote one space, which the trim takes back.
        if after_separator && n > 0 {
            n -= 1;
        }
        Some(n)
    }

    /// One ASCII byte, without a branch: the byte (or a space) is always written, and kept
    /// when it is not a separator or when it is the first separator after a kept byte.
    #[inline(always)]
    fn ascii_step(&self, b: u8, buf: &mut [u8], n: &mut usize, after_separator: &mut bool) {
        let entry = self.ascii[usize::from(b & 0x7F)];
        let kept = usize::from(entry >> 8);
        buf[*n] = entry as u8;
        *n += kept | usize::from(!*after_separator);
        *after_separator = kept == 0;
    }
}

/// In an entry's bits 40.., past the combining class: a starter that NFKC may compose with
/// the character before it (quick check `Maybe`, combining class 0: the vowel signs and length
/// marks of Tamil, Bengali, Kannada and others). The loop checks the character before it.
const COMPOSES: u64 = 1 << 8;

/// True when the character that ends at byte `at` of `text` (if any) composes with the one
/// that starts there, or its lowercase does: then the general path decides.
#[cold]
fn composes_with_previous(text: &[u8], at: usize) -> bool {
    // Only the two characters are decoded: the one that starts at `at`, and the one whose
    // bytes end there (its lead byte is the last byte before `at` that is no continuation).
    let decode = |bytes: &[u8]| core::str::from_utf8(bytes).ok()?.chars().next();
    let start = (at.saturating_sub(4)..at)
        .rev()
        .find(|&k| text[k] & 0xC0 != 0x80);
    let width = text[at..]
        .iter()
        .skip(1)
        .take_while(|&&b| b & 0xC0 == 0x80)
        .count()
        + 1;
    let (Some(start), Some(c)) = (start, decode(&text[at..at + width])) else {
        return false;
    };
    let Some(previous) = decode(&text[start..at]) else {
        return true;
    };
    compose(previous, c).is_some() || previous.to_lowercase().any(|l| compose(l, c).is_some())
}

/// A starter that NFKC may compose with what precedes it, and with nothing else: combining
/// class 0, quick check `Maybe`, not a conjoining jamo.
fn is_composing_starter(c: char) -> bool {
    canonical_combining_class(c) == 0
        && is_nfkc_quick(core::iter::once(c)) == IsNormalized::Maybe
        && !('\u{1100}'..='\u{11FF}').contains(&c)
}

/// A combining mark NFKC leaves as it is and never composes: quick check `Yes`, combining
/// class above 0. It can only be reordered with the marks next to it.
fn is_stable_mark(c: char) -> bool {
    canonical_combining_class(c) != 0 && is_nfkc_quick(core::iter::once(c)) == IsNormalized::Yes
}

/// True for a character NFKC never joins with a neighbour: combining class 0, and not one
/// that can compose with the character before it (quick check `Maybe`).
fn is_boundary(c: char) -> bool {
    canonical_combining_class(c) == 0
        && is_nfkc_quick(core::iter::once(c)) != IsNormalized::Maybe
        // Conjoining jamo compose with each other without being `Maybe` all of them.
        && !('\u{1100}'..='\u{11FF}').contains(&c)
}

#[cfg(test)]
mod tests {
    use super::super::TablePath;
    use super::*;

    #[test]
    fn every_config_the_table_serves_tabulates_all_of_ascii() {
        for bits in 0..32u32 {
            let n = Normalizer::standard()
                .nfkc(bits & 1 != 0)
                .lowercase(bits & 2 != 0)
                .punctuation(bits & 4 != 0)
                .strip_accents(bits & 8 != 0)
                .drop_symbols(bits & 16 != 0);
            assert!(TablePath::get(&n).is_some(), "{n:?}");
        }
        assert!(TablePath::get(&Normalizer::standard().fold_digits(true)).is_none());
        assert!(TablePath::get(&Normalizer::standard().whitespace(false)).is_none());
        assert!(TablePath::get(&Normalizer::ccnet()).is_none());
    }

    /// Every tabulated character, between every pair of a few neighbours, comes out of the
    /// table as it comes out of the general path.
    #[test]
    fn tabulated_characters_agree_with_the_general_path_in_context() {
        let n = Normalizer::standard();
        let table = TablePath::get(&n).expect("standard is tabulated");
        let neighbours = ["", "a", "É", " ", ",", "«", "\u{A0}", "字", "я", "\u{2019}"];
        let mut buf = Vec::new();
        let mut general = String::new();
        let mut tabulated = 0;
        for cp in 0..0x1_0000 {
            let Some(c) = char::from_u32(cp) else {
                continue;
            };
            for before in neighbours {
                for after in neighbours {
                    let text = format!("{before}{c}{after}");
                    let Some(len) = table.normalize(&text, &mut buf) else {
                        continue;
                    };
                    tabulated += 1;
                    general.clear();
                    n.unicode_into(text.trim(), &mut general);
                    assert_eq!(
                        core::str::from_utf8(&buf[..len]).unwrap(),
                        general,
                        "{text:?}"
                    );
                }
            }
        }
        assert!(tabulated > 200_000, "{tabulated}");
    }

    /// Every starter that NFKC may compose with what precedes it, after each character it
    /// composes with (and after its capital, and a letter it does not), under every
    /// normalizer the table serves.
    #[test]
    fn composing_starters_agree_with_the_general_path() {
        let starters: Vec<char> = (0..0x1_0000u32)
            .filter_map(char::from_u32)
            .filter(|&c| is_composing_starter(c))
            .collect();
        assert!(starters.contains(&'\u{0BBE}'), "Tamil aa is one");
        let partners: Vec<(char, char)> = (0..0x1_0000u32)
            .filter_map(char::from_u32)
            .flat_map(|p| starters.iter().map(move |&c| (p, c)))
            .filter(|&(p, c)| compose(p, c).is_some())
            .collect();
        assert!(!partners.is_empty());
        let mut buf = Vec::new();
        let mut general = String::new();
        for bits in 0..32u32 {
            let n = Normalizer::standard()
                .nfkc(bits & 1 != 0)
                .lowercase(bits & 2 != 0)
                .punctuation(bits & 4 != 0)
                .strip_accents(bits & 8 != 0)
                .drop_symbols(bits & 16 != 0);
            let table = TablePath::get(&n).expect("tabulated");
            for &(p, c) in &partners {
                let upper: String = p.to_uppercase().collect();
                for text in [format!("{p}{c}"), format!("{upper}{c}"), format!("a{c}")] {
                    if let Some(len) = table.normalize(&text, &mut buf) {
                        general.clear();
                        n.general_into(&text, &mut general);
                        assert_eq!(
                            core::str::from_utf8(&buf[..len]).unwrap(),
                            general,
                            "{text:?}"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn untabulated_characters_go_to_the_general_path() {
        let table = TablePath::get(&Normalizer::standard()).unwrap();
        let mut buf = Vec::new();
        for text in [
            "e\u{301}",
            "\u{1F600}",
            "\u{09C7}\u{09BE}",
            "\u{0B92}\u{0BD7}",
            // Marks out of canonical order: NFKC reorders them.
            "a\u{305}\u{316}",
            "\u{0915}\u{0951}\u{093C}",
            "\u{1100}\u{1161}",
        ] {
            assert_eq!(table.normalize(text, &mut buf), None, "{text:?}");
        }
        // Marks NFKC leaves as they are, in order, take the table.
        for text in ["हिन्दी", "தமிழ் பாடம்", "বাংলা"] {
            let len = table.normalize(text, &mut buf).unwrap();
            assert_eq!(&buf[..len], text.as_bytes());
        }
        let len = table.normalize("  Déjà  VU ! ", &mut buf).unwrap();
        assert_eq!(&buf[..len], "déjà vu".as_bytes());
    }
}

#[cfg(test)]
mod properties {
    use super::super::strategies::texts;
    use super::super::TablePath;
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        #[test]
        fn table_path_equals_general_path(
            switches in any::<[bool; 5]>(),
            text in prop_oneof![
                texts(),
                // Long ASCII stretches, for the sixteen-byte SIMD step.
                "[a-zA-Z0-9 \t.,;'\"$+<=>^`|~_@#!?()-]{0,120}",
                "([a-zA-Z]{1,12}[ .,]{1,3}|é|\u{A0}|\u{2019}){0,40}",
                // Only characters the table holds, so the comparison is made every time.
                // Marks and the starters that compose with what precedes them.
                "[a ,.क्\u{93C}\u{951}ிகொாௗோ\u{BCA}\u{BC6}\u{BC7}বো\u{9C7}\u{9BE}\u{9D7}\u{305}\u{316}\u{301}ಕೊ\u{CC6}\u{CC2}\u{CD5}]{0,30}",
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
            let table = TablePath::get(&n).expect("tabulated");
            let mut bytes = Vec::new();
            if let Some(len) = table.normalize(&text, &mut bytes) {
                let mut general = String::new();
                n.general_into(text.trim(), &mut general);
                prop_assert_eq!(core::str::from_utf8(&bytes[..len]).unwrap(), general);
            }
        }
    }
}
