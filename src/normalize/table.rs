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
//! A paragraph with any other character (a combining mark, an emoji, a script not tabulated)
//! goes to the general path whole, so the two paths cannot disagree at a boundary between them.
//! A property test compares them on text mixing tabulated and untabulated characters.

use std::sync::OnceLock;

use unicode_normalization::char::canonical_combining_class;
use unicode_normalization::{is_nfkc_quick, IsNormalized};

#[cfg(target_arch = "x86_64")]
use super::ascii_simd::AsciiClasses;
use super::{common_letter_cased, Normalizer, Preset};

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

/// The pages worked out one character at a time, beyond ASCII (the first, in this order, so a
/// two-byte character's entry is at `code point - 0x80`): all two-byte UTF-8 (Latin-1,
/// Latin Extended, Greek, Cyrillic, Armenian, Hebrew, Arabic), general punctuation, currency
/// and letterlike symbols, CJK punctuation and kana, and the full-width forms.
const TABULATED: &[core::ops::Range<u32>] = &[
    0x0080..0x0800,
    0x2000..0x20C0,
    0x2100..0x2140,
    0x3000..0x3100,
    0xFF00..0x1_0000,
];

/// An entry's kind, in its bits 32..40: 0 for a separator, 1..=4 for that many output bytes
/// (in bits 0..32, first byte lowest), [`SLOW`] for a character the table path leaves to the
/// general one.
const SLOW: u64 = 0xFF;

/// What each tabulated character becomes under one normalizer.
pub(super) struct CharTable {
    /// Per ASCII byte: the byte to write (a space for a separator) in bits 0..8, and bit 8 set
    /// when the byte is kept rather than a separator.
    ascii: [u16; 128],
    /// Per BMP page: [`SLOW_PAGE`], [`IDENTITY_PAGE`], or `FIRST_TABULATED + k` for the k-th
    /// block of [`PAGE`] entries.
    slots: Box<[u16; PAGES]>,
    entries: Vec<u64>,
    /// The ASCII entries as SIMD classes, when this CPU and these entries allow it.
    #[cfg(target_arch = "x86_64")]
    simd: Option<AsciiClasses>,
}

impl CharTable {
    /// The table for `normalizer`, built on first use; `None` when the table path does not
    /// apply (digit folding and uncollapsed whitespace depend on the characters around).
    pub(super) fn get(normalizer: &Normalizer) -> Option<&'static CharTable> {
        if normalizer.preset != Preset::Standard || !normalizer.whitespace || normalizer.fold_digits
        {
            return None;
        }
        static TABLES: [OnceLock<Option<CharTable>>; 32] = [const { OnceLock::new() }; 32];
        let index = usize::from(normalizer.nfkc)
            | usize::from(normalizer.lowercase) << 1
            | usize::from(normalizer.punctuation) << 2
            | usize::from(normalizer.strip_accents) << 3
            | usize::from(normalizer.drop_symbols) << 4;
        TABLES[index]
            .get_or_init(|| CharTable::build(normalizer))
            .as_ref()
    }

    /// Runs the general path on each tabulated character between two `a`s and records what it
    /// made of it. `None` if some ASCII character could not be tabulated (none can today; the
    /// check keeps the table honest if the steps change).
    fn build(normalizer: &Normalizer) -> Option<CharTable> {
        let mut general = String::new();
        let mut classify = |c: char| -> u64 {
            if !is_boundary(c) {
                return SLOW << 32;
            }
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
            if !fits || !middle.chars().all(|m| !m.is_whitespace() && is_boundary(m)) {
                return SLOW << 32;
            }
            let mut bytes = [0u8; 4];
            bytes[..middle.len()].copy_from_slice(middle.as_bytes());
            u64::from(u32::from_le_bytes(bytes)) | (middle.len() as u64) << 32
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
        for (page, slot) in slots.iter_mut().enumerate() {
            let first = (page * PAGE) as u32;
            let chars = || (first..first + PAGE as u32).filter_map(char::from_u32);
            let cased =
                |c: char| common_letter_cased(c, normalizer.lowercase, normalizer.strip_accents);
            if TABULATED.iter().any(|range| range.contains(&first)) {
                *slot = FIRST_TABULATED + (entries.len() / PAGE) as u16;
                entries.extend(
                    (first..first + PAGE as u32)
                        .map(|cp| char::from_u32(cp).map_or(SLOW << 32, &mut classify)),
                );
            } else if chars().count() == PAGE && chars().all(|c| cased(c) == Some(c)) {
                // Ideographs and Hangul syllables: every step leaves them as they are.
                *slot = IDENTITY_PAGE;
            }
        }
        // The normalize loop indexes two-byte characters as `entries[cp - 0x80]`.
        debug_assert!((2..0x800 / PAGE).all(|page| usize::from(slots[page]) == page));
        let page = |first: usize| {
            let block = usize::from(slots[first / PAGE] - FIRST_TABULATED) * PAGE;
            &entries[block..block + PAGE]
        };
        Some(CharTable {
            #[cfg(target_arch = "x86_64")]
            simd: AsciiClasses::new(
                &ascii,
                &entries[..0x800 - 0x80],
                [page(0x2000), page(0x3000), page(0xFF00)],
                (0x4E00 / PAGE..0xA000 / PAGE).all(|page| slots[page] == IDENTITY_PAGE),
                normalizer.lowercase,
            )
            .filter(|_| AsciiClasses::supported()),
            ascii,
            slots,
            entries,
        })
    }

    /// Writes the normalized form of `text` (already trimmed or not: leading and trailing
    /// separators are dropped either way) to the front of `buf`, growing it as needed, and
    /// returns its length; `None` when `text` holds a character the table leaves to the general
    /// path, in which case `buf` holds nothing useful.
    #[inline]
    pub(super) fn normalize(&self, text: &str, buf: &mut Vec<u8>) -> Option<usize> {
        #[cfg(target_arch = "x86_64")]
        if let Some(classes) = &self.simd {
            return simd_normalize(self, classes, text, buf);
        }
        self.normalize_with::<16>(
            text,
            buf,
            None::<fn(&[u8], &mut [u8], &mut usize, &mut bool) -> usize>,
            false,
        )
    }

    /// The loop of [`CharTable::normalize`], with `chunk` (when given) taking the ASCII at the
    /// start of the rest of the text, as [`AsciiClasses::chunk`] does, and returning how many
    /// bytes it took; it writes at most `N` bytes past the output it leaves. Inlined into each
    /// caller, so the SIMD caller's copy is compiled with its target features. `wide` says
    /// the step also takes basic Cyrillic and CJK ideographs (the AVX2 and AVX-512 steps of a
    /// table whose [`AsciiClasses::cyrillic_cjk`] is set), so it is tried at their lead bytes
    /// too, not only at ASCII.
    #[inline(always)]
    pub(super) fn normalize_with<const N: usize>(
        &self,
        text: &str,
        buf: &mut Vec<u8>,
        mut chunk: Option<impl FnMut(&[u8], &mut [u8], &mut usize, &mut bool) -> usize>,
        wide: bool,
    ) -> Option<usize> {
        // Where the chunk step may take over: ASCII, a Latin-1 letter, and with `wide` the
        // lead bytes of basic Cyrillic and CJK ideographs.
        let starts_chunk =
            |b: u8| b < 0x80 || b == 0xC3 || wide && matches!(b, 0xD0 | 0xD1 | 0xE4..=0xE9);
        let text = text.as_bytes();
        // Every character writes at most twice its own length (a separator one space), and the
        // SIMD step writes up to N bytes past where it starts.
        let need = 2 * text.len() + N.max(32);
        if buf.len() < need {
            buf.resize(need, 0);
        }
        let buf = &mut buf[..need];
        let mut n = 0;
        // True after a separator, and at the start: a separator then writes nothing, so runs
        // collapse and leading ones vanish.
        let mut after_separator = true;
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
                let len = (entry >> 32) as usize;
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

/// [`CharTable::normalize`] with the SIMD step, for a table whose `simd` is set.
#[cfg(target_arch = "x86_64")]
#[allow(unsafe_code)]
#[inline]
fn simd_normalize(
    table: &CharTable,
    classes: &AsciiClasses,
    text: &str,
    buf: &mut Vec<u8>,
) -> Option<usize> {
    // SAFETY: a table only holds classes when `AsciiClasses::supported` found SSSE3 and POPCNT,
    // `avx2` says the CPU has AVX2, and `avx512` that it has AVX-512 F, BW and VBMI2.
    unsafe {
        if classes.avx512 {
            super::ascii_simd::normalize_avx512(table, classes, text, buf)
        } else if classes.avx2 {
            super::ascii_simd::normalize_avx2(table, classes, text, buf)
        } else {
            super::ascii_simd::normalize(table, classes, text, buf)
        }
    }
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
            assert!(CharTable::get(&n).is_some(), "{n:?}");
        }
        assert!(CharTable::get(&Normalizer::standard().fold_digits(true)).is_none());
        assert!(CharTable::get(&Normalizer::standard().whitespace(false)).is_none());
        assert!(CharTable::get(&Normalizer::ccnet()).is_none());
    }

    /// Every tabulated character, between every pair of a few neighbours, comes out of the
    /// table as it comes out of the general path.
    #[test]
    fn tabulated_characters_agree_with_the_general_path_in_context() {
        let n = Normalizer::standard();
        let table = CharTable::get(&n).expect("standard is tabulated");
        let neighbours = ["", "a", "É", " ", ",", "«", "\u{A0}", "字", "я", "\u{2019}"];
        let mut buf = Vec::new();
        let mut general = String::new();
        let mut tabulated = 0;
        for cp in (0..0x800).chain(TABULATED.iter().flat_map(|r| r.clone())) {
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

    proptest::proptest! {
        /// Every variant of the loop this CPU can run (AVX-512, AVX2, SSSE3, no SIMD) gives what the
        /// general path gives, on text that mixes long ASCII runs, Latin-1 letters, Cyrillic,
        /// ideographs, the separators a chunk takes and the characters that stop one.
        #[test]
        fn every_simd_variant_equals_the_general_path(
            text in "([a-zA-Z0-9]{1,40}|[ ,.!?'\"()-]{1,3}|[éÉàÀçÇ×÷ß]|\u{A0}|\u{2019}|[«»–—“”…•‰†©°²ª]|[\u{A0}-\u{A7}\u{A9}-\u{AE}\u{B0}-\u{B3}\u{B5}-\u{B7}\u{B9}-\u{BB}\u{BF}]|[\u{2000}-\u{2016}\u{2018}-\u{2027}\u{202F}-\u{2032}\u{2035}\u{2038}-\u{203D}\u{203F}]|[а-яА-ЯёЁѐ]{1,12}|[一-龥々〇]{1,10}|[\u{4E00}\u{9FFF}]|[\u{3000}-\u{3029}\u{3030}-\u{303F}]|[\u{FF01}-\u{FF3F}]|\t){0,30}",
            lowercase in proptest::bool::ANY,
            punctuation in proptest::bool::ANY,
            drop_symbols in proptest::bool::ANY,
        ) {
            let n = Normalizer::standard()
                .lowercase(lowercase)
                .punctuation(punctuation)
                .drop_symbols(drop_symbols);
            let mut general = String::new();
            n.general_into(text.trim(), &mut general);
            let mut variants = vec![CharTable::build(&n).expect("tabulated")];
            #[cfg(target_arch = "x86_64")]
            {
                let mut avx2 = CharTable::build(&n).expect("tabulated");
                if let Some(classes) = &mut avx2.simd {
                    classes.avx512 = false;
                }
                variants.push(avx2);
                let mut narrow = CharTable::build(&n).expect("tabulated");
                if let Some(classes) = &mut narrow.simd {
                    classes.avx512 = false;
                    classes.avx2 = false;
                }
                variants.push(narrow);
                let mut scalar = CharTable::build(&n).expect("tabulated");
                scalar.simd = None;
                variants.push(scalar);
            }
            let mut buf = Vec::new();
            for table in &variants {
                let len = table.normalize(&text, &mut buf).expect("all tabulated");
                proptest::prop_assert_eq!(core::str::from_utf8(&buf[..len]).unwrap(), &general);
            }
        }
    }

    #[test]
    fn untabulated_characters_go_to_the_general_path() {
        let table = CharTable::get(&Normalizer::standard()).unwrap();
        let mut buf = Vec::new();
        for text in [
            "e\u{301}",
            "\u{1F600}",
            "\u{0915}\u{093C}",
            "\u{1100}\u{1161}",
        ] {
            assert_eq!(table.normalize(text, &mut buf), None, "{text:?}");
        }
        let len = table.normalize("  Déjà  VU ! ", &mut buf).unwrap();
        assert_eq!(&buf[..len], "déjà vu".as_bytes());
    }
}
