//! The general path: any preset but `ccnet`, any switches, any Unicode text. Each character
//! goes through the enabled steps in their fixed order into a [`Sink`], which folds digits and
//! collapses whitespace.

mod nfkc;
pub(super) mod props;
mod sink;

use unicode_normalization::char::decompose_canonical;
use unicode_properties::{GeneralCategory, UnicodeGeneralCategory};

use super::ascii::{is_ascii_punctuation, is_ascii_symbol, is_ascii_white_space, ASCII_TABLES};
use super::Normalizer;
use nfkc::{for_each_piece, is_nfkc, Emit};
use props::{Props, DIGIT, EMOJI_COMPONENT, LETTER, PUNCTUATION, SPACE, SYMBOL};
use sink::{Class, Sink};

impl Normalizer {
    /// The ASCII fast path: byte at a time, no tables beyond `u8` methods. A property test
    /// proves it equal to [`Normalizer::unicode_into`] on ASCII input.
    pub(super) fn ascii_into(&self, text: &str, out: &mut String) {
        let mut sink = Sink::new(self, out);
        Steps {
            normalizer: self,
            sink: &mut sink,
        }
        .ascii(text);
        sink.finish();
    }

    /// The general path for any Unicode text.
    pub(super) fn unicode_into(&self, text: &str, out: &mut String) {
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
            return;
        }
        let props = Props::of(c);
        if !self.lowercase || props.lower_is_self() {
            if self.lowercase && c == 'ς' {
                self.push_accented('σ', Props::of('σ'), sink);
            } else {
                self.push_accented(c, props, sink);
            }
        } else if props.lowers_to_several() {
            for lower in c.to_lowercase() {
                self.push_accented(lower, Props::of(lower), sink);
            }
        } else {
            let lower = props.lower(c);
            self.push_accented(lower, Props::of(lower), sink);
        }
    }

    /// `c`, whose entry is `props`, after lowercasing.
    #[inline]
    fn push_accented(&self, c: char, props: Props, sink: &mut Sink<'_>) {
        // Hangul syllables decompose into jamo without marks: keep them whole, or the result
        // would no longer be in NFKC.
        if self.strip_accents && !c.is_ascii() && !('\u{AC00}'..='\u{D7A3}').contains(&c) {
            decompose_canonical(c, |d| {
                if d.general_category() != GeneralCategory::NonspacingMark {
                    self.push_classified(d, Props::of(d), sink);
                }
            });
        } else {
            self.push_classified(c, props, sink);
        }
    }

    /// The table [`Sink::push_ascii_run`] reads: for each ASCII byte, its output byte, or
    /// [`SEPARATOR`](super::ascii::SEPARATOR), [`SPACE`](super::ascii::SPACE) or
    /// [`DIGIT`](super::ascii::DIGIT).
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

    /// `c`, whose entry is `props`, classified by the table.
    #[inline]
    fn push_classified(&self, c: char, props: Props, sink: &mut Sink<'_>) {
        if c.is_ascii() {
            sink.push(c, self.ascii_class(c as u8));
            return;
        }
        if !props.is_stable() {
            sink.unusual = true;
        }
        let class = match props.class() {
            SPACE => Class::Space,
            DIGIT => Class::Digit,
            PUNCTUATION if self.punctuation => Class::Separator,
            SYMBOL | EMOJI_COMPONENT if self.drop_symbols => Class::Separator,
            _ => Class::Other,
        };
        sink.push(c, class);
    }

    /// True when every step leaves `c` (not ASCII, with entry `props`) as it is, so it can
    /// go out as part of a slice: a stable letter, lowercase when lowercasing, with no accent
    /// to strip.
    #[inline(always)]
    fn keeps(&self, c: char, props: Props) -> bool {
        props.class() == LETTER
            && props.is_stable()
            && !self.strip_accents
            && (!self.lowercase || (props.lower_is_self() && c != 'ς'))
    }
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
            let props = Props::of(c);
            if !n.keeps(c, props) {
                self.sink.push_letters(&run[kept_from..at]);
                n.push_cased(c, self.sink);
                kept_from = at + c.len_utf8();
            }
        }
        self.sink.push_letters(&run[kept_from..]);
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn lowercase_characters_lowercase_to_themselves() {
        // Both lowercasing paths skip the mapping for characters that are already lowercase.
        for c in (0..=0x10FFFFu32).filter_map(char::from_u32) {
            if c.is_lowercase() {
                assert!(c.to_lowercase().eq(core::iter::once(c)), "{c:?}");
            }
        }
    }
}

#[cfg(test)]
mod properties {
    use super::*;
    use crate::normalize::strategies::normalizers;
    use proptest::prelude::*;

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
    }
}
