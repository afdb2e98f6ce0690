//! Byte spans into the caller's text.

use core::ops::{Index, Range};

/// A half-open range of byte offsets, `start..end`, into a text.
///
/// Every offset this crate reports is a byte offset into the `&str` the caller passed in, and
/// always falls on a `char` boundary; [`CodePoints`] converts them for readers that index by code
/// point (Python, Dolma). The library never mixes the two.
///
/// # Examples
///
/// ```
/// use paradedup::Span;
///
/// let text = "one\ntwo";
/// let span = Span::from(4..7);
/// assert_eq!(&text[span], "two");
/// assert_eq!(span.len(), 3);
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Span {
    /// The first byte of the span.
    pub start: usize,
    /// One past the last byte of the span.
    pub end: usize,
}

impl Span {
    /// A span from `start` to `end`.
    ///
    /// ```
    /// assert_eq!(paradedup::Span::new(2, 5).range(), 2..5);
    /// ```
    #[inline]
    pub const fn new(start: usize, end: usize) -> Span {
        Span { start, end }
    }

    /// The number of bytes in the span.
    ///
    /// ```
    /// assert_eq!(paradedup::Span::new(2, 5).len(), 3);
    /// ```
    #[inline]
    pub const fn len(&self) -> usize {
        self.end.saturating_sub(self.start)
    }

    /// True when the span holds no bytes.
    ///
    /// ```
    /// assert!(paradedup::Span::new(4, 4).is_empty());
    /// ```
    #[inline]
    pub const fn is_empty(&self) -> bool {
        self.end <= self.start
    }

    /// The span as a `Range`, for slicing byte slices.
    ///
    /// ```
    /// let bytes = b"hello";
    /// assert_eq!(&bytes[paradedup::Span::new(1, 3).range()], b"el");
    /// ```
    #[inline]
    pub const fn range(&self) -> Range<usize> {
        self.start..self.end
    }

    /// True when `other` lies entirely within this span.
    ///
    /// ```
    /// use paradedup::Span;
    /// assert!(Span::new(0, 10).contains(Span::new(2, 10)));
    /// assert!(!Span::new(0, 10).contains(Span::new(2, 11)));
    /// ```
    #[inline]
    pub const fn contains(&self, other: Span) -> bool {
        self.start <= other.start && other.end <= self.end
    }
}

impl From<Range<usize>> for Span {
    #[inline]
    fn from(range: Range<usize>) -> Span {
        Span::new(range.start, range.end)
    }
}

impl From<Span> for Range<usize> {
    #[inline]
    fn from(span: Span) -> Range<usize> {
        span.range()
    }
}

impl Index<Span> for str {
    type Output = str;

    #[inline]
    fn index(&self, span: Span) -> &str {
        &self[span.range()]
    }
}

impl Index<Span> for [u8] {
    type Output = [u8];

    #[inline]
    fn index(&self, span: Span) -> &[u8] {
        &self[span.range()]
    }
}

impl Index<Span> for String {
    type Output = str;

    #[inline]
    fn index(&self, span: Span) -> &str {
        &self[span.range()]
    }
}

/// Converts byte offsets into a text to code point offsets, for readers that index strings
/// by code point (Python, Dolma attributes, JavaScript's `codePointAt`).
///
/// Offsets asked in increasing order cost one pass over the text in all (an ASCII text costs
/// nothing); an offset below the last one asked is counted again from the start. Every offset
/// must fall on a `char` boundary, as every offset this crate reports does.
///
/// # Panics
///
/// When an offset is past the end of the text or not on a `char` boundary.
///
/// # Examples
///
/// ```
/// use paradedup::{CodePoints, Span};
///
/// let text = "é😀\nab\né😀\n";
/// let mut points = CodePoints::new(text);
/// assert_eq!(points.span(Span::new(7, 9)), 3..5); // "ab"
/// assert_eq!(points.offset(text.len()), 9);
/// let chars: Vec<char> = text.chars().collect();
/// assert_eq!(chars[3..5].iter().collect::<String>(), "ab");
/// ```
#[derive(Clone, Debug)]
pub struct CodePoints<'t> {
    text: &'t str,
    ascii: bool,
    byte: usize,
    point: usize,
}

impl<'t> CodePoints<'t> {
    /// A converter for offsets into `text`.
    pub fn new(text: &'t str) -> CodePoints<'t> {
        CodePoints {
            text,
            ascii: text.is_ascii(),
            byte: 0,
            point: 0,
        }
    }

    /// The code point offset of byte offset `byte`.
    ///
    /// ```
    /// let mut points = paradedup::CodePoints::new("日本語");
    /// assert_eq!(points.offset(6), 2);
    /// assert_eq!(points.offset(3), 1); // backwards: counted again
    /// ```
    #[inline]
    pub fn offset(&mut self, byte: usize) -> usize {
        if self.ascii {
            assert!(
                byte <= self.text.len(),
                "offset {byte} is past the text's end"
            );
            return byte;
        }
        if byte < self.byte {
            self.byte = 0;
            self.point = 0;
        }
        self.point += self.text[self.byte..byte].chars().count();
        self.byte = byte;
        self.point
    }

    /// A byte span as a range of code point offsets.
    ///
    /// ```
    /// use paradedup::{CodePoints, Span};
    /// assert_eq!(CodePoints::new("€ 5").span(Span::new(4, 5)), 2..3);
    /// ```
    #[inline]
    pub fn span(&mut self, span: Span) -> Range<usize> {
        let start = self.offset(span.start);
        start..self.offset(span.end)
    }
}
