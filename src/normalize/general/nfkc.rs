//! NFKC, applied only where it can change something: text is sent on in pieces, ASCII runs
//! and common letters as they are, and only the segments around other characters through the
//! (slow) normalizer.

use unicode_normalization::UnicodeNormalization;

use super::props::{is_nfkc_quick_yes, Props};

/// True for a character NFKC leaves as it is and never joins with what precedes it (see
/// [`Props::is_stable`]).
#[inline(always)]
fn is_stable(c: char) -> bool {
    c.is_ascii() || Props::of(c).is_stable()
}

/// Where [`for_each_piece`] sends the text: ASCII runs in bulk, other characters one by one.
pub(super) trait Emit {
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
pub(super) fn for_each_piece(text: &str, nfkc: bool, emit: &mut impl Emit) {
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
        // An island of stable characters is in NFKC as it is; any other goes segment by
        // segment, each segment quick-checked on its own.
        if nfkc && !island.chars().all(is_stable) {
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
/// are not stable ([`Props::is_stable`]). `piece` must start and end where NFKC does not reach across
/// (as [`for_each_piece`]'s islands, with the ASCII character before them, do).
///
/// A stable character never composes with what precedes it and is a starter, so NFKC
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
        if is_nfkc_quick_yes(part) {
            part.chars().for_each(emit);
        } else {
            part.nfkc().for_each(emit);
        }
    };
    for (at, c) in piece.char_indices() {
        if is_stable(c) {
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

/// True when `text` is in NFKC, by the quick check; `false` may also mean "maybe".
#[inline]
pub(super) fn is_nfkc(text: &str) -> bool {
    is_nfkc_quick_yes(text)
}

#[cfg(test)]
mod tests {
    use super::*;

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
}

#[cfg(test)]
mod properties {
    use super::*;
    use crate::normalize::strategies::texts;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

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
    }
}
