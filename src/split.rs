//! Splitting a document into paragraphs: zero-copy spans, never a copied `String`.
//!
//! A document is read as lines. A line ends at `\n`, `\r\n`, a lone `\r`, U+0085 (NEL),
//! U+2028 (LINE SEPARATOR) or U+2029 (PARAGRAPH SEPARATOR); the last line may end at the end of
//! the text. A line is *blank* when every character in it is Unicode `White_Space`. A byte-order
//! mark at the very start of the text belongs to no paragraph.
//!
//! What a paragraph is depends on the [`Unit`]:
//! - [`Unit::Lines`]: every non-blank line (CCNet's and Dolma's convention for web text).
//! - [`Unit::BlankLines`]: a run of non-blank lines, ended by a blank line, by U+2029 or by the
//!   end of the text (prose, Markdown, books).
//!
//! Each [`Paragraph`] carries two spans. Its [`span`](Paragraph::span) is the paragraph's text
//! without surrounding whitespace: what identifies it. Its [`extent`](Paragraph::extent) runs
//! from the start of the paragraph's first line to the start of the next paragraph's first line
//! (or the end of the text): the bytes that go when the paragraph is removed, so a removal leaves
//! no hole of blank lines behind. Extents never overlap, and together with the text before the
//! first paragraph they cover the whole document.

use crate::span::Span;

/// What counts as one paragraph.
///
/// ```
/// use paradedup::{paragraphs_of, Unit};
///
/// let text = "Title\n\nfirst line\nsecond line\n\nnext block";
/// assert_eq!(paragraphs_of(text, Unit::Lines).count(), 4);
/// assert_eq!(paragraphs_of(text, Unit::BlankLines).count(), 3);
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Unit {
    /// Every non-blank line is a paragraph: the convention of CCNet and Dolma for web text.
    #[default]
    Lines,
    /// Paragraphs are runs of non-blank lines separated by one or more blank lines (or U+2029).
    BlankLines,
}

/// One paragraph of a document, borrowed from it.
///
/// Invariant: `&document[p.span()] == p.as_str()`, and `p.extent().contains(p.span())`.
///
/// ```
/// use paradedup::paragraphs;
///
/// let text = "  hello  \r\n\r\nworld";
/// let first = paragraphs(text).next().unwrap();
/// assert_eq!(first.as_str(), "hello");
/// assert_eq!(&text[first.span()], "hello");
/// // Removing it removes its line, its break and the blank line after it.
/// assert_eq!(&text[first.extent()], "  hello  \r\n\r\n");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Paragraph<'t> {
    text: &'t str,
    span: Span,
    extent: Span,
}

impl<'t> Paragraph<'t> {
    /// The paragraph's text, without leading or trailing whitespace.
    ///
    /// ```
    /// let p = paradedup::paragraphs("\t Hello, world.  \n").next().unwrap();
    /// assert_eq!(p.as_str(), "Hello, world.");
    /// ```
    #[inline]
    pub fn as_str(&self) -> &'t str {
        self.text
    }

    /// The byte span of [`as_str`](Paragraph::as_str) in the document.
    ///
    /// ```
    /// use paradedup::Span;
    ///
    /// let text = "one\n  two";
    /// let second = paradedup::paragraphs(text).nth(1).unwrap();
    /// assert_eq!(second.span(), Span::new(6, 9));
    /// assert_eq!(&text[second.span()], "two");
    /// ```
    #[inline]
    pub fn span(&self) -> Span {
        self.span
    }

    /// The bytes that belong to this paragraph when it is removed: from the start of its first
    /// line up to the start of the next paragraph's first line, or to the end of the document.
    ///
    /// ```
    /// let text = "one\n\n\ntwo";
    /// let extents: Vec<&str> = paradedup::paragraphs(text).map(|p| &text[p.extent()]).collect();
    /// assert_eq!(extents, ["one\n\n\n", "two"]);
    /// ```
    #[inline]
    pub fn extent(&self) -> Span {
        self.extent
    }
}

/// Iterates over the paragraphs of `text` with the default unit, [`Unit::Lines`].
///
/// ```
/// let texts: Vec<&str> = paradedup::paragraphs("a\r\n\n  b \u{2028}c")
///     .map(|p| p.as_str())
///     .collect();
/// assert_eq!(texts, ["a", "b", "c"]);
/// ```
pub fn paragraphs(text: &str) -> Paragraphs<'_> {
    Paragraphs::new(text, Unit::Lines)
}

/// Iterates over the paragraphs of `text` as the given [`Unit`] defines them.
///
/// ```
/// use paradedup::{paragraphs_of, Unit};
///
/// let text = "line one\nline two\n\u{2029}second";
/// let blocks: Vec<&str> = paragraphs_of(text, Unit::BlankLines).map(|p| p.as_str()).collect();
/// assert_eq!(blocks, ["line one\nline two", "second"]);
/// ```
pub fn paragraphs_of(text: &str, unit: Unit) -> Paragraphs<'_> {
    Paragraphs::new(text, unit)
}

/// An iterator over the paragraphs of a text; see [`paragraphs_of`].
///
/// Yields paragraphs in order; their spans are increasing, disjoint and in bounds.
///
/// ```
/// use paradedup::{paragraphs_of, Paragraphs, Unit};
///
/// let it: Paragraphs<'_> = paragraphs_of("a\nb\n\nc", Unit::BlankLines);
/// let spans: Vec<(usize, usize)> = it.map(|p| (p.span().start, p.span().end)).collect();
/// assert_eq!(spans, [(0, 3), (5, 6)]);
/// ```
#[derive(Clone, Debug)]
pub struct Paragraphs<'t> {
    text: &'t str,
    unit: Unit,
    /// Where the line scan resumes.
    pos: usize,
    /// The next paragraph, found one step ahead so the current one knows where its extent ends.
    ahead: Option<Found>,
}

/// A paragraph found by the line scan: where its first line starts and its trimmed span.
#[derive(Clone, Copy, Debug)]
struct Found {
    line_start: usize,
    span: Span,
}

/// One line: where its content ends, where the next line starts, and whether it ended with
/// U+2029, which always ends a paragraph.
#[derive(Clone, Copy, Debug)]
struct Line {
    start: usize,
    content_end: usize,
    next: usize,
    paragraph_break: bool,
}

const BOM: &str = "\u{FEFF}";

impl<'t> Paragraphs<'t> {
    fn new(text: &'t str, unit: Unit) -> Paragraphs<'t> {
        let pos = if text.starts_with(BOM) { BOM.len() } else { 0 };
        let mut it = Paragraphs {
            text,
            unit,
            pos,
            ahead: None,
        };
        it.ahead = it.find_next();
        it
    }

    /// The part of the text not yet yielded, from the start of the next paragraph's first line.
    ///
    /// ```
    /// let mut it = paradedup::paragraphs("a\nb\nc");
    /// it.next();
    /// assert_eq!(it.as_str(), "b\nc");
    /// ```
    pub fn as_str(&self) -> &'t str {
        match self.ahead {
            Some(found) => &self.text[found.line_start..],
            None => "",
        }
    }

    /// The line that starts at `start`, which must be below the text's length.
    fn line_at(&self, start: usize) -> Line {
        let bytes = self.text.as_bytes();
        let Some(offset) = find_break(&bytes[start..]) else {
            return Line {
                start,
                content_end: bytes.len(),
                next: bytes.len(),
                paragraph_break: false,
            };
        };
        let at = start + offset;
        let (len, paragraph_break) = match bytes[at] {
            b'\r' if bytes.get(at + 1) == Some(&b'\n') => (2, false),
            b'\n' | b'\r' => (1, false),
            0xC2 => (2, false),
            _ => (3, bytes[at + 2] == 0xA9),
        };
        Line {
            start,
            content_end: at,
            next: at + len,
            paragraph_break,
        }
    }

    /// Finds the next paragraph at or after `self.pos` and moves `self.pos` past it.
    fn find_next(&mut self) -> Option<Found> {
        let text = self.text;
        // Skip blank lines up to the paragraph's first line.
        let (first, start) = loop {
            if self.pos >= text.len() {
                return None;
            }
            let line = self.line_at(self.pos);
            self.pos = line.next;
            let content = &text[line.start..line.content_end];
            let leading = leading_space(content);
            if leading < content.len() {
                break (line, line.start + leading);
            }
        };
        let mut end = start + trailing_trimmed(&text[start..first.content_end]);
        if self.unit == Unit::BlankLines && !first.paragraph_break {
            while self.pos < text.len() {
                let line = self.line_at(self.pos);
                let content = &text[line.start..line.content_end];
                if leading_space(content) == content.len() {
                    break;
                }
                end = line.start + trailing_trimmed(content);
                self.pos = line.next;
                if line.paragraph_break {
                    break;
                }
            }
        }
        Some(Found {
            line_start: first.start,
            span: Span::new(start, end),
        })
    }
}

/// How many bytes of whitespace `line` starts with; most lines start with a letter, which
/// needs no decoding.
#[inline]
fn leading_space(line: &str) -> usize {
    match line.as_bytes().first() {
        Some(b) if b.is_ascii_graphic() => 0,
        _ => line.len() - line.trim_start().len(),
    }
}

/// The length of `line` without its trailing whitespace; most lines end with punctuation or a
/// letter, which needs no decoding.
#[inline]
fn trailing_trimmed(line: &str) -> usize {
    match line.as_bytes().last() {
        Some(b) if b.is_ascii_graphic() => line.len(),
        _ => line.trim_end().len(),
    }
}

/// Where the first line break in `haystack` starts: `\n`, `\r`, U+0085 (`C2 85`), U+2028
/// (`E2 80 A8`) or U+2029 (`E2 80 A9`).
///
/// One pass, 32 bytes (AVX2) or 16 (SSE2) at a time, matching whole sequences: the lead bytes
/// alone would stop at every `’`, `«`, `»` and no-break space, which French text is full of.
/// The last bytes, and everything on other targets, go byte by byte.
#[inline]
fn find_break(haystack: &[u8]) -> Option<usize> {
    #[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
    let searched = match sse2::find_break(haystack) {
        Ok(at) => return Some(at),
        Err(searched) => searched,
    };
    #[cfg(not(all(target_arch = "x86_64", target_feature = "sse2")))]
    let searched = 0;
    (searched..haystack.len()).find(|&at| is_break_at(haystack, at))
}

/// True when a line break starts at `haystack[at]`.
#[inline]
fn is_break_at(haystack: &[u8], at: usize) -> bool {
    let next = |k: usize| haystack.get(at + k).copied();
    match haystack[at] {
        b'\n' | b'\r' => true,
        0xC2 => next(1) == Some(0x85),
        0xE2 => next(1) == Some(0x80) && matches!(next(2), Some(0xA8 | 0xA9)),
        _ => false,
    }
}

#[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
mod sse2 {
    use core::arch::x86_64::{
        __m128i, _mm_and_si128, _mm_cmpeq_epi8, _mm_movemask_epi8, _mm_or_si128, _mm_set1_epi8,
        _mm_set_epi64x,
    };

    /// The first line break in `haystack`, or how far the search went without one (the
    /// caller reads the rest byte by byte).
    #[inline]
    pub(super) fn find_break(haystack: &[u8]) -> Result<usize, usize> {
        let mut i = 0;
        if std::is_x86_feature_detected!("avx2") {
            match avx2_breaks(haystack) {
                (Some(at), _) => return Ok(at),
                (None, searched) => i = searched,
            }
        }
        while let Some(window) = haystack.get(i..i + 18) {
            let found = breaks(window.try_into().expect("eighteen bytes"));
            if found != 0 {
                return Ok(i + found.trailing_zeros() as usize);
            }
            i += 16;
        }
        Err(i)
    }

    /// Bit `k` set when a line break starts at `window[k]`, for `k` below 16 (the two bytes
    /// after are there to match the rest of a sequence).
    #[allow(unsafe_code)]
    #[inline]
    fn breaks(window: &[u8; 18]) -> u32 {
        // SAFETY: this module is compiled only where SSE2 is enabled for the whole build
        // (`cfg(target_feature = "sse2")`, part of the x86-64 baseline).
        unsafe { breaks_sse2(window) }
    }

    /// The first line break in `haystack` by the AVX2 twin of [`breaks`], 32 bytes at a time,
    /// or how far it searched without finding one (it leaves the last bytes to the caller).
    /// Call only when the CPU has AVX2.
    #[allow(unsafe_code)]
    fn avx2_breaks(haystack: &[u8]) -> (Option<usize>, usize) {
        // SAFETY: the caller checked for AVX2.
        unsafe { avx2_breaks_impl(haystack) }
    }

    #[allow(unsafe_code)]
    #[target_feature(enable = "avx2")]
    fn avx2_breaks_impl(haystack: &[u8]) -> (Option<usize>, usize) {
        use core::arch::x86_64::{
            __m256i, _mm256_and_si256, _mm256_cmpeq_epi8, _mm256_loadu_si256, _mm256_movemask_epi8,
            _mm256_or_si256, _mm256_set1_epi8,
        };
        let is = |v: __m256i, b: u8| _mm256_cmpeq_epi8(v, _mm256_set1_epi8(b as i8));
        let mut i = 0;
        while let Some(window) = haystack.get(i..i + 34) {
            // SAFETY: each load reads 32 bytes starting at 0, 1 or 2 in the 34-byte window.
            let (first, second, third) = unsafe {
                let at = |k: usize| _mm256_loadu_si256(window.as_ptr().add(k).cast::<__m256i>());
                (at(0), at(1), at(2))
            };
            let newline = _mm256_or_si256(is(first, b'\n'), is(first, b'\r'));
            let nel = _mm256_and_si256(is(first, 0xC2), is(second, 0x85));
            let separator = _mm256_and_si256(
                _mm256_and_si256(is(first, 0xE2), is(second, 0x80)),
                is(_mm256_or_si256(third, _mm256_set1_epi8(1)), 0xA9),
            );
            let found =
                _mm256_movemask_epi8(_mm256_or_si256(newline, _mm256_or_si256(nel, separator)))
                    as u32;
            if found != 0 {
                return (Some(i + found.trailing_zeros() as usize), i);
            }
            i += 32;
        }
        (None, i)
    }

    #[target_feature(enable = "sse2")]
    #[inline]
    fn breaks_sse2(window: &[u8; 18]) -> u32 {
        let at = |from: usize| -> __m128i {
            let word =
                |k: usize| i64::from_le_bytes(window[k..k + 8].try_into().expect("eight bytes"));
            _mm_set_epi64x(word(from + 8), word(from))
        };
        let (first, second, third) = (at(0), at(1), at(2));
        let is = |v: __m128i, b: u8| _mm_cmpeq_epi8(v, _mm_set1_epi8(b as i8));
        let newline = _mm_or_si128(is(first, b'\n'), is(first, b'\r'));
        let nel = _mm_and_si128(is(first, 0xC2), is(second, 0x85));
        let separator = _mm_and_si128(
            _mm_and_si128(is(first, 0xE2), is(second, 0x80)),
            is(_mm_or_si128(third, _mm_set1_epi8(1)), 0xA9),
        );
        _mm_movemask_epi8(_mm_or_si128(newline, _mm_or_si128(nel, separator))) as u32
    }
}

impl<'t> Iterator for Paragraphs<'t> {
    type Item = Paragraph<'t>;

    fn next(&mut self) -> Option<Paragraph<'t>> {
        let current = self.ahead.take()?;
        self.ahead = self.find_next();
        let extent_end = self.ahead.map_or(self.text.len(), |next| next.line_start);
        Some(Paragraph {
            text: &self.text[current.span],
            span: current.span,
            extent: Span::new(current.line_start, extent_end),
        })
    }
}

impl core::iter::FusedIterator for Paragraphs<'_> {}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(text: &str, unit: Unit) -> Vec<&str> {
        paragraphs_of(text, unit).map(|p| p.as_str()).collect()
    }

    macro_rules! t {
        ($name:ident, $input:expr, $unit:expr, $expected:expr) => {
            #[test]
            fn $name() {
                let expected: &[&str] = &$expected;
                assert_eq!(texts($input, $unit), expected);
            }
        };
    }

    t!(empty, "", Unit::Lines, []);
    t!(
        only_breaks,
        "\n\r\n\r\u{2028}\u{2029}\u{85}",
        Unit::Lines,
        []
    );
    t!(
        only_whitespace,
        " \t\u{A0}\u{3000}\n  ",
        Unit::BlankLines,
        []
    );
    t!(crlf, "a\r\nb\r\n", Unit::Lines, ["a", "b"]);
    t!(lone_cr, "a\rb\rc", Unit::Lines, ["a", "b", "c"]);
    t!(nel, "a\u{85}b", Unit::Lines, ["a", "b"]);
    t!(line_sep_lines, "a\u{2028}b", Unit::Lines, ["a", "b"]);
    t!(
        line_sep_blocks,
        "a\u{2028}b\u{2029}c",
        Unit::BlankLines,
        ["a\u{2028}b", "c"]
    );
    t!(bom, "\u{FEFF}hello\nworld", Unit::Lines, ["hello", "world"]);
    t!(
        bom_mid_text_is_content,
        "a\n\u{FEFF}b",
        Unit::Lines,
        ["a", "\u{FEFF}b"]
    );
    t!(nbsp_trimmed, "\u{A0}a\u{A0}\n", Unit::Lines, ["a"]);
    t!(
        blocks,
        "a\nb\n \n\n c \nd\n",
        Unit::BlankLines,
        ["a\nb", "c \nd"]
    );
    t!(
        lead_bytes_not_breaks,
        "é\u{2019}x",
        Unit::Lines,
        ["é\u{2019}x"]
    );

    proptest::proptest! {
        /// The SIMD searches (AVX2 when the CPU has it, SSE2 for the rest) find what a byte by
        /// byte reading finds, at every offset, with sequences split across their windows.
        #[test]
        fn find_break_equals_a_byte_by_byte_search(
            pieces in proptest::collection::vec(
                proptest::prop_oneof![
                    proptest::strategy::Just(&b"\n"[..]),
                    proptest::strategy::Just(&b"\r"[..]),
                    proptest::strategy::Just(&b"\xC2\x85"[..]),
                    proptest::strategy::Just(&b"\xC2\xA0"[..]),
                    proptest::strategy::Just(&b"\xE2\x80\xA8"[..]),
                    proptest::strategy::Just(&b"\xE2\x80\xA9"[..]),
                    proptest::strategy::Just(&b"\xE2\x80\x99"[..]),
                    proptest::strategy::Just(&b"\xE2\x80"[..]),
                    proptest::strategy::Just(&b"\xC3\xA9"[..]),
                    proptest::strategy::Just(&b"\x85\xA8\xA9\x80\x0D\x0A"[..]),
                    proptest::strategy::Just(&b"abcdefghijklmnopqrstuvwxyz0123456789"[..]),
                    proptest::strategy::Just(&b"x"[..]),
                ],
                0..40,
            ),
        ) {
            let haystack: Vec<u8> = pieces.concat();
            for from in 0..haystack.len() {
                let rest = &haystack[from..];
                let expected = (0..rest.len()).find(|&at| is_break_at(rest, at));
                proptest::prop_assert_eq!(find_break(rest), expected, "from {}", from);
            }
        }
    }

    #[test]
    fn extents_cover_from_first_line() {
        let text = "\n\nA\n\nB\r\n  C  ";
        let ps: Vec<_> = paragraphs(text).collect();
        assert_eq!(ps.len(), 3);
        assert_eq!(&text[ps[0].extent()], "A\n\n");
        assert_eq!(&text[ps[1].extent()], "B\r\n");
        assert_eq!(&text[ps[2].extent()], "  C  ");
        assert_eq!(ps[2].as_str(), "C");
    }
}
