//! The output end of the general path: digit folding and whitespace collapse, which both
//! need to know what came before.

use crate::normalize::ascii::{DIGIT, SEPARATOR, SPACE};
use crate::normalize::Normalizer;

/// What a character does to the normalized output.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Class {
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
pub(super) struct Sink<'o> {
    out: &'o mut String,
    fold_digits: bool,
    collapse: bool,
    in_digits: bool,
    pending_space: bool,
    /// Set when a character that is neither ASCII nor common-stable was written: only then can
    /// the output fail to be in NFKC.
    pub(super) unusual: bool,
}

impl<'o> Sink<'o> {
    pub(super) fn new(n: &Normalizer, out: &'o mut String) -> Sink<'o> {
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
    pub(super) fn push(&mut self, c: char, class: Class) {
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
    pub(super) fn push_ascii_run(&mut self, run: &str, table: &[u8; 128]) {
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
    pub(super) fn push_letters(&mut self, letters: &str) {
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
    pub(super) fn finish(self) -> bool {
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

#[cfg(test)]
mod tests {
    use super::*;

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
}
