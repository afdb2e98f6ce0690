//! Byte spans into the caller's text.

use core::ops::{Index, Range};

/// A half-open range of byte offsets, `start..end`, into a text.
///
/// Every offset this crate reports is a byte offset into the `&str` the caller passed in, and
/// always falls on a `char` boundary. (The command-line tool converts to code points for Python
/// and Dolma readers; the library never mixes the two.)
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
