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

    /// Writes the distinct shingle hashes of `normalized` into `out`, sorted; `out` is left
    /// empty when the text has fewer than one shingle's worth of words or characters.
    ///
    /// `normalized` is a normalizer's output, so UTF-8; it comes as bytes because the common
    /// case (plain words) never needs it checked.
    pub(crate) fn hash_into(self, normalized: &[u8], out: &mut Vec<u64>) {
        out.clear();
        match self {
            Shingles::Words(_) => word_shingles(normalized, self.size(), out),
            Shingles::Chars(_) => char_shingles(as_text(normalized), self.size(), out),
        }
        out.sort_unstable();
        out.dedup();
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
    let mut window = Window::new(n);
    if !plain_words(text, |word| window.push(word_hash(word), out)) {
        out.clear();
        window = Window::new(n);
        for word in as_text(text).unicode_words() {
            window.push(word_hash(word.as_bytes()), out);
        }
    }
}

/// The last `n` word hashes, as a ring: `hashes[next]` is the oldest once `seen >= n`.
struct Window {
    hashes: [u64; MAX_SHINGLE_WORDS],
    n: usize,
    next: usize,
    seen: usize,
}

impl Window {
    fn new(n: usize) -> Window {
        Window {
            hashes: [0; MAX_SHINGLE_WORDS],
            n,
            next: 0,
            seen: 0,
        }
    }

    /// Takes the next word's hash, and writes a shingle once `n` words have come.
    #[inline]
    fn push(&mut self, hash: u64, out: &mut Vec<u64>) {
        let n = self.n;
        self.hashes[self.next] = hash;
        self.next = if self.next + 1 == n { 0 } else { self.next + 1 };
        self.seen += 1;
        if self.seen >= n {
            let (newer, older) = self.hashes[..n].split_at(self.next);
            out.push(mix(older.iter().chain(newer)));
        }
    }
}

/// Sends the space-separated words of `text` to `word` and returns true when the text is
/// "plain": letters that UAX #29 calls ALetter or Numeric ([`is_plain_letter`]) and spaces.
/// After the standard normalizer most text is, and there its UAX #29 words are exactly the
/// space-separated runs, so the segmenter (a table lookup per character) is needed only for
/// the rest. Returns false, having sent some words, as soon as the text is not plain.
#[inline]
fn plain_words(text: &[u8], mut word: impl FnMut(&[u8])) -> bool {
    let (mut start, mut at) = (0, 0);
    while let Some(&b) = text.get(at) {
        if b == b' ' {
            if at > start {
                word(&text[start..at]);
            }
            start = at + 1;
            at += 1;
        } else if b.is_ascii_alphanumeric() {
            at += 1;
        } else if (0xC2..0xE0).contains(&b) {
            // A two-byte character: every plain letter beyond ASCII is one.
            let c = u32::from(b & 0x1F) << 6 | u32::from(text.get(at + 1).map_or(0, |c| c & 0x3F));
            if !char::from_u32(c).is_some_and(is_plain_letter) {
                return false;
            }
            at += 2;
        } else {
            return false;
        }
    }
    if start < text.len() {
        word(&text[start..]);
    }
    true
}

/// A word's 64-bit hash: a multiply-xorshift over its bytes eight at a time, seeded and
/// length-salted. Words are a few bytes long, where this is several times cheaper than xxh3's
/// set-up; shingles need identity, not a published algorithm (fingerprints keep xxh3).
#[inline]
fn word_hash(word: &[u8]) -> u64 {
    const K: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut h = SEED ^ (word.len() as u64).wrapping_mul(K);
    let mut chunks = word.chunks_exact(8);
    let step = |h: &mut u64, bytes: [u8; 8]| {
        *h = (*h ^ u64::from_le_bytes(bytes)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        *h ^= *h >> 29;
    };
    for chunk in &mut chunks {
        step(&mut h, chunk.try_into().expect("eight bytes"));
    }
    let rest = chunks.remainder();
    if !rest.is_empty() {
        let mut last = [0u8; 8];
        last[..rest.len()].copy_from_slice(rest);
        step(&mut h, last);
    }
    (h ^ (h >> 32)).wrapping_mul(0x94D0_49BB_1331_11EB) ^ (h >> 31)
}

/// Letters and digits that UAX #29 classes as ALetter or Numeric, in the blocks of the
/// languages most text comes in: ASCII, Latin-1 and Latin Extended-A letters, basic Cyrillic.
/// A run of them is one word, and a space ends it. Deliberately narrow: anything else goes to
/// the full segmenter.
#[inline]
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

    proptest::proptest! {
        #[test]
        fn the_fast_path_equals_the_segmenter(text in "[a-zé1 ЖжÀſ]{0,40}") {
            let mut fast = Vec::new();
            word_shingles(text.as_bytes(), 1, &mut fast);
            let slow: Vec<u64> = text
                .unicode_words()
                .map(|w| mix([word_hash(w.as_bytes())].iter()))
                .collect();
            proptest::prop_assert_eq!(fast, slow);
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
