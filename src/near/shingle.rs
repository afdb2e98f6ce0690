//! Shingles: the overlapping pieces of a normalized paragraph that near-duplicate detection
//! compares, each reduced to a 64-bit hash.

use unicode_segmentation::UnicodeSegmentation;
use xxhash_rust::xxh3::xxh3_64_with_seed;

use crate::fingerprint::SEED;

/// The largest word n-gram: longer ones are cut to this size.
pub const MAX_SHINGLE_WORDS: usize = 16;

/// What a shingle is: a run of `n` consecutive words, or of `n` consecutive characters, of the
/// normalized paragraph.
///
/// Words are found with Unicode's word boundaries (UAX #29, through `unicode-segmentation`):
/// French elisions stay inside their word (`l'armée`), each CJK ideograph is a word of its own,
/// and punctuation is never a word. Scripts written without spaces and without ideographs
/// (Thai, Lao, Khmer) come out as one long word per run, so use [`Shingles::Chars`] for them.
///
/// ```
/// use paradedup::{NearDup, Shingles};
///
/// let near = NearDup::new().shingles(Shingles::Chars(5));
/// assert_eq!(near.shingle_kind(), Shingles::Chars(5));
/// assert_eq!(NearDup::new().shingle_kind(), Shingles::Words(3));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Shingles {
    /// Word n-grams (`n` at least 1).
    Words(usize),
    /// Character n-grams (`n` at least 1).
    Chars(usize),
}

impl Shingles {
    /// The shingles' size: at least 1, and at most [`MAX_SHINGLE_WORDS`] for words.
    pub(crate) fn size(self) -> usize {
        match self {
            Shingles::Words(n) => n.clamp(1, MAX_SHINGLE_WORDS),
            Shingles::Chars(n) => n.max(1),
        }
    }

    /// Writes the shingle hashes of `normalized` into `out`, in text order, repeats included;
    /// `out` is left empty when the text has fewer than one shingle's worth of words or
    /// characters.
    ///
    /// `normalized` is a normalizer's output, so UTF-8; it comes as bytes because the common
    /// case (plain words) never needs it checked.
    pub(crate) fn hash_into(self, normalized: &[u8], out: &mut Vec<u64>) {
        out.clear();
        match self {
            Shingles::Words(_) => word_shingles(normalized, self.size(), out),
            Shingles::Chars(_) => char_shingles(as_text(normalized), self.size(), out),
        }
    }
}

/// Mixes the word hashes of one shingle, in order: the same words in another order make
/// another shingle.
#[inline]
fn mix<'w>(words: impl Iterator<Item = &'w u64>) -> u64 {
    let mut h = 0x9E37_79B9_7F4A_7C15u64;
    for &w in words {
        h = (h.rotate_left(23) ^ w).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    }
    h ^ (h >> 31)
}

/// `normalized` as text: a normalizer's output is UTF-8.
fn as_text(normalized: &[u8]) -> &str {
    core::str::from_utf8(normalized).expect("normalized text is UTF-8")
}

fn word_shingles(text: &[u8], n: usize, out: &mut Vec<u64>) {
    // The word hashes first, then each window of `n` of them mixed in place.
    match plainness(text) {
        PLAIN => space_word_hashes(text, out),
        PLAIN_AND_SINGLES => singles_word_hashes(text, out),
        _ => out.extend(
            as_text(text)
                .unicode_words()
                .map(|w| word_hash(w.as_bytes())),
        ),
    }
    match n {
        // The default size gets a loop of its own: a fixed window unrolls.
        3 => mix_windows::<3>(out),
        _ => mix_windows_of(n, out),
    }
}

/// Replaces the word hashes in `hashes` with the shingles of `N` consecutive words: the
/// `i`-th shingle only needs words `i..i + N`, so it can overwrite word `i`.
#[inline]
fn mix_windows<const N: usize>(hashes: &mut Vec<u64>) {
    mix_windows_of(N, hashes);
}

#[inline(always)]
fn mix_windows_of(n: usize, hashes: &mut Vec<u64>) {
    let Some(count) = (hashes.len() + 1).checked_sub(n) else {
        hashes.clear();
        return;
    };
    for i in 0..count {
        hashes[i] = mix(hashes[i..i + n].iter());
    }
    hashes.truncate(count);
}

/// [`plainness`] of text whose words are the space-separated runs.
const PLAIN: u8 = 0;
/// [`plainness`] of plain text with [`is_single`] characters too.
const PLAIN_AND_SINGLES: u8 = 2;

/// Whether the words of `text` can be found without the UAX #29 segmenter (a table lookup
/// per character): [`PLAIN`] when it holds only letters that UAX #29 calls ALetter or Numeric
/// ([`is_plain_letter`]) and spaces, as most text does after the standard normalizer, for its
/// words are then exactly the space-separated runs; [`PLAIN_AND_SINGLES`] when it has
/// [`is_single`] characters too (Chinese); anything else (bit 0 set) needs the segmenter.
///
/// Decided byte by byte, without decoding: each byte and the one after it ([`pair_class`])
/// are enough, and the fold over the pairs has no branch and vectorizes.
#[inline]
fn plainness(text: &[u8]) -> u8 {
    let Some(&last) = text.last() else {
        return PLAIN;
    };
    let pairs = text.iter().zip(&text[1..]);
    // A valid text's last byte ends a character: ASCII or a continuation byte.
    pairs.fold(pair_class(last, 0), |class, (&b, &next)| {
        class | pair_class(b, next)
    })
}

/// The [`plainness`] of byte `b` followed by `next`: [`PLAIN`] for a space, an ASCII letter or
/// digit, or the lead byte of a plain letter beyond ASCII (two-byte leads `C3`-`C5` for
/// U+00C0-U+017F less × and ÷, `D0`-`D1` for U+0400-U+045F); [`PLAIN_AND_SINGLES`] for the
/// lead byte of an [`is_single`] character (`E4 B8`-`E9` for U+4E00-U+9FFF, `C2 A9` for ©);
/// bit 0 set for anything else. Continuation bytes pass: in valid UTF-8 each follows a lead
/// byte judged here.
#[inline(always)]
fn pair_class(b: u8, next: u8) -> u8 {
    let letter = (b | 0x20).wrapping_sub(b'a') < 26;
    let digit = b.wrapping_sub(b'0') < 10;
    let continuation = b.wrapping_sub(0x80) < 0x40;
    let latin = b.wrapping_sub(0xC3) < 3 && !(b == 0xC3 && (next == 0x97 || next == 0xB7));
    let cyrillic = b == 0xD0 || (b == 0xD1 && next < 0xA0);
    let ideograph = b.wrapping_sub(0xE5) < 5 || (b == 0xE4 && next >= 0xB8);
    let copyright = b == 0xC2 && next == 0xA9;
    let plain = letter | digit | (b == b' ') | continuation | latin | cyrillic;
    let single = ideograph | copyright;
    u8::from(!(plain | single)) | (u8::from(single) << 1)
}

/// Characters that UAX #29 never joins to a neighbour among plain letters and spaces: a CJK
/// ideograph (U+4E00-U+9FFF) is a word by itself, and © (U+00A9) a segment with no letter,
/// so no word, which separates its neighbours as a space does. Their bytes in UTF-8 are in
/// [`pair_class`]; the tests check both against the segmenter.
#[cfg(test)]
fn is_single(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FFF}' | '©')
}

/// Appends the [`word_hash`] of each word of [`PLAIN_AND_SINGLES`] text to `out`: runs of
/// plain letters end at a space, ©, or an ideograph, which is a word of its own. One byte at
/// a time: such text is rare enough.
fn singles_word_hashes(text: &[u8], out: &mut Vec<u64>) {
    let (mut start, mut at) = (0, 0);
    while let Some(&b) = text.get(at) {
        // Ideographs are the only three-byte characters here, © the only one led by C2.
        let single = match b {
            b' ' => 1,
            0xC2 => 2,
            0xE0.. => 3,
            _ => 0,
        };
        if single == 0 {
            at += 1;
            continue;
        }
        if at > start {
            out.push(word_hash(&text[start..at]));
        }
        if single == 3 {
            out.push(word_hash(&text[at..at + 3]));
        }
        at += single;
        start = at;
    }
    if start < text.len() {
        out.push(word_hash(&text[start..]));
    }
}

const SPACES: u64 = u64::from_le_bytes([b' '; 8]);

/// Appends the [`word_hash`] of each space-separated word of `text` to `out`, reading eight
/// bytes at a time: a word shorter than eight bytes (most are) is found, cut and hashed from
/// one load.
#[inline]
fn space_word_hashes(text: &[u8], out: &mut Vec<u64>) {
    let mut at = 0;
    while at < text.len() {
        let x = load(text, at);
        let spaces = zero_bytes(x ^ SPACES);
        let lead = (!spaces & 0x8080_8080_8080_8080).trailing_zeros() / 8;
        if lead > 0 {
            at += lead as usize;
            continue;
        }
        if spaces != 0 {
            // 1 to 7 bytes: this load is the word's only, zero-padded, chunk.
            let len = spaces.trailing_zeros() / 8;
            let word = x & ((1 << (8 * len)) - 1);
            out.push(finish(step(seed(len as usize), word)));
            at += len as usize + 1;
        } else {
            let mut end = at + 8;
            loop {
                let spaces = zero_bytes(load(text, end) ^ SPACES);
                if spaces != 0 {
                    end += (spaces.trailing_zeros() / 8) as usize;
                    break;
                }
                end += 8;
            }
            out.push(word_hash(&text[at..end]));
            at = end + 1;
        }
    }
}

/// The eight bytes of `text` from `at`, little-endian, padded with spaces past its end (so
/// the end of the text reads as a space).
#[inline(always)]
fn load(text: &[u8], at: usize) -> u64 {
    match text.get(at..at + 8) {
        Some(bytes) => u64::from_le_bytes(bytes.try_into().expect("eight bytes")),
        None => {
            let mut bytes = [b' '; 8];
            let rest = text.get(at..).unwrap_or_default();
            bytes[..rest.len()].copy_from_slice(rest);
            u64::from_le_bytes(bytes)
        }
    }
}

/// The high bit of each zero byte of `x` (exact: no carries between bytes).
#[inline(always)]
fn zero_bytes(x: u64) -> u64 {
    const LOW7: u64 = 0x7F7F_7F7F_7F7F_7F7F;
    !(((x & LOW7) + LOW7) | x | LOW7)
}

/// A word's 64-bit hash: a multiply-xorshift over its bytes eight at a time, seeded and
/// length-salted. Words are a few bytes long, where this is several times cheaper than xxh3's
/// set-up; shingles need identity, not a published algorithm (fingerprints keep xxh3).
#[inline]
fn word_hash(word: &[u8]) -> u64 {
    let mut h = seed(word.len());
    let mut chunks = word.chunks_exact(8);
    for chunk in &mut chunks {
        h = step(
            h,
            u64::from_le_bytes(chunk.try_into().expect("eight bytes")),
        );
    }
    let rest = chunks.remainder();
    if !rest.is_empty() {
        let mut last = [0u8; 8];
        last[..rest.len()].copy_from_slice(rest);
        h = step(h, u64::from_le_bytes(last));
    }
    finish(h)
}

/// [`word_hash`]'s start for a word of `len` bytes.
#[inline(always)]
fn seed(len: usize) -> u64 {
    SEED ^ (len as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15)
}

/// [`word_hash`]'s step over eight bytes (the last ones zero-padded).
#[inline(always)]
fn step(h: u64, bytes: u64) -> u64 {
    let h = (h ^ bytes).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    h ^ (h >> 29)
}

#[inline(always)]
fn finish(h: u64) -> u64 {
    (h ^ (h >> 32)).wrapping_mul(0x94D0_49BB_1331_11EB) ^ (h >> 31)
}

/// Letters and digits that UAX #29 classes as ALetter or Numeric, in the blocks of the
/// languages most text comes in: ASCII, Latin-1 and Latin Extended-A letters, basic Cyrillic.
/// A run of them is one word, and a space ends it. Deliberately narrow: anything else goes to
/// the full segmenter. The definition [`pair_class`] implements on bytes (the tests check
/// the two agree).
#[cfg(test)]
fn is_plain_letter(c: char) -> bool {
    matches!(c, '0'..='9' | 'a'..='z' | 'A'..='Z' | '\u{C0}'..='\u{17F}' | '\u{400}'..='\u{45F}')
        && c != '\u{D7}'
        && c != '\u{F7}'
}

fn char_shingles(text: &str, n: usize, out: &mut Vec<u64>) {
    // Byte offsets of the last `n + 1` char starts, as a ring.
    let mut starts = std::collections::VecDeque::with_capacity(n + 1);
    for (at, _) in text
        .char_indices()
        .chain(std::iter::once((text.len(), ' ')))
    {
        starts.push_back(at);
        if starts.len() == n + 1 {
            let from = starts.pop_front().unwrap_or(0);
            out.push(xxh3_64_with_seed(&text.as_bytes()[from..at], SEED));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn count(kind: Shingles, text: &str) -> usize {
        let mut out = Vec::new();
        kind.hash_into(text.as_bytes(), &mut out);
        out.sort_unstable();
        out.dedup();
        out.len()
    }

    #[test]
    fn word_shingles_follow_unicode_words() {
        assert_eq!(count(Shingles::Words(3), "a b c d"), 2);
        assert_eq!(count(Shingles::Words(3), "a b"), 0);
        // Repeated shingles count once.
        assert_eq!(count(Shingles::Words(1), "a a a b"), 2);
        // Elisions stay whole words; punctuation is not a word.
        assert_eq!(count(Shingles::Words(1), "l'armée , l'armée !"), 1);
        // Each ideograph is a word.
        assert_eq!(count(Shingles::Words(1), "莫斯科呼吁"), 5);
    }

    #[test]
    fn the_ascii_fast_path_agrees_with_the_segmenter() {
        for text in ["abc def 12 x9y", "  lead  and trail  ", "", "one"] {
            let mut fast = Vec::new();
            word_shingles(text.as_bytes(), 2, &mut fast);
            let mut slow = Vec::new();
            let words: Vec<u64> = text
                .unicode_words()
                .map(|w| word_hash(w.as_bytes()))
                .collect();
            for window in words.windows(2) {
                slow.push(mix(window.iter()));
            }
            assert_eq!(fast, slow, "{text:?}");
        }
    }

    #[test]
    fn plain_letters_are_one_word_class_for_the_segmenter() {
        // Every plain letter glued to an ASCII letter makes one word with it, and a space
        // splits it from the next: what the fast path assumes.
        let plain = ('\0'..='\u{500}').filter(|&c| is_plain_letter(c));
        for c in plain {
            let text = format!("a{c}b {c}");
            let words: Vec<&str> = text.unicode_words().collect();
            assert_eq!(
                words,
                [format!("a{c}b"), c.to_string()],
                "{c:?} U+{:04X}",
                c as u32
            );
        }
    }

    #[test]
    fn the_byte_test_is_the_character_test() {
        for c in '\0'..='\u{FFFF}' {
            let text = format!("a{c}");
            let class = if c == ' ' || is_plain_letter(c) {
                PLAIN
            } else if is_single(c) {
                PLAIN_AND_SINGLES
            } else {
                1
            };
            assert_eq!(plainness(text.as_bytes()), class, "U+{:04X}", c as u32);
        }
        for text in ["😀", "a\u{301}", "l'a", "a-b", "a\tb", "a\nb", "我\u{301}"] {
            assert_eq!(plainness(text.as_bytes()) & 1, 1, "{text:?}");
        }
    }

    #[test]
    fn singles_stand_alone_for_the_segmenter() {
        // Each single between plain letters, beside spaces and beside another: an ideograph
        // is a word, © none, and neither joins a neighbour.
        let neighbours = ('\0'..='\u{500}')
            .filter(|&c| is_plain_letter(c))
            .step_by(7);
        for (c, p) in ('\u{4E00}'..='\u{9FFF}')
            .chain(['©'])
            .zip(neighbours.cycle())
        {
            let text = format!("a{c}{p} {c} {c}{c}1");
            let words: Vec<&str> = text.unicode_words().collect();
            let c = c.to_string();
            let expected: Vec<&str> = if c == "©" {
                vec!["a", &text[3..3 + p.len_utf8()], "1"]
            } else {
                vec!["a", &c, &text[4..4 + p.len_utf8()], &c, &c, &c, "1"]
            };
            assert_eq!(words, expected, "{text:?}");
            let mut fast = Vec::new();
            word_shingles(text.as_bytes(), 1, &mut fast);
            assert_eq!(fast, reference(&text, 1));
        }
    }

    /// The shingles as the definition has them: UAX #29 words, hashed, mixed `n` at a time.
    fn reference(text: &str, n: usize) -> Vec<u64> {
        let words: Vec<u64> = text
            .unicode_words()
            .map(|w| word_hash(w.as_bytes()))
            .collect();
        words.windows(n).map(|w| mix(w.iter())).collect()
    }

    proptest::proptest! {
        #[test]
        fn the_fast_path_equals_the_segmenter(text in "[a-zé1 ЖжÀſ]{0,40}") {
            let mut fast = Vec::new();
            word_shingles(text.as_bytes(), 1, &mut fast);
            proptest::prop_assert_eq!(fast, reference(&text, 1));
        }

        #[test]
        fn shingles_are_the_definition(
            text in "([a-z0-9]{1,12}|[éжÀſ×ѣ©我'.,-]|  ?){0,30}",
            n in 1usize..6,
        ) {
            let mut fast = Vec::new();
            word_shingles(text.as_bytes(), n, &mut fast);
            proptest::prop_assert_eq!(fast, reference(&text, n));
        }
    }

    #[test]
    fn word_order_matters() {
        let mut ab = Vec::new();
        let mut ba = Vec::new();
        Shingles::Words(2).hash_into(b"a b", &mut ab);
        Shingles::Words(2).hash_into(b"b a", &mut ba);
        assert_ne!(ab, ba);
    }

    #[test]
    fn char_shingles_are_on_char_boundaries() {
        assert_eq!(count(Shingles::Chars(3), "abcd"), 2);
        assert_eq!(count(Shingles::Chars(3), "ab"), 0);
        assert_eq!(count(Shingles::Chars(2), "éé😀"), 2);
        assert_eq!(count(Shingles::Chars(0), "ab"), 2);
    }
}
