//! Counts that add up across documents, shards and threads.

use core::ops::{Add, AddAssign};

/// What a deduper saw and removed.
///
/// `Stats` is `Copy` and adds with `+=`, so counts from separate documents, threads or machines
/// merge by summing.
///
/// ```
/// use paradedup::Deduper;
///
/// let mut a = Deduper::builder().short_paragraphs(paradedup::ShortParagraphs::RemoveEveryRepeat).build();
/// let mut b = Deduper::builder().short_paragraphs(paradedup::ShortParagraphs::RemoveEveryRepeat).build();
/// a.dedup("x\nx\n");
/// b.dedup("y\nz");
/// let mut total = a.stats();
/// total += b.stats();
/// assert_eq!(total.documents, 2);
/// assert_eq!(total.paragraphs, 4);
/// assert_eq!(total.duplicates, 1);
/// assert_eq!(total.bytes_in - total.bytes_out, 2); // the second "x\n" went
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct Stats {
    /// Documents processed.
    pub documents: u64,
    /// Paragraphs found, kept or not.
    pub paragraphs: u64,
    /// Paragraphs removed as repeats.
    pub duplicates: u64,
    /// Paragraphs removed as near-duplicates (see `NearDup`).
    pub near_duplicates: u64,
    /// Paragraphs removed as boilerplate (see `DocumentFrequency`).
    pub boilerplate: u64,
    /// Paragraphs exempt from dedup: empty once normalized, or shorter than `min_chars`.
    pub exempt: u64,
    /// Bytes of input text.
    pub bytes_in: u64,
    /// Bytes of text kept.
    pub bytes_out: u64,
    /// Bytes of the removed paragraphs themselves: the sum of their [`span`]s, without the
    /// surrounding whitespace, line breaks and blank lines that went with them (their
    /// [`extent`]s), which [`bytes_removed`](Stats::bytes_removed) counts too.
    ///
    /// ```
    /// let mut d = paradedup::Deduper::builder()
    ///     .short_paragraphs(paradedup::ShortParagraphs::RemoveEveryRepeat)
    ///     .build();
    /// d.dedup("a\n  a \n\nb");
    /// let stats = d.stats();
    /// assert_eq!(stats.removed_paragraph_bytes, 1); // the second "a"
    /// assert_eq!(stats.bytes_removed(), 6); // "  a \n\n"
    /// ```
    ///
    /// [`span`]: crate::Paragraph::span
    /// [`extent`]: crate::Paragraph::extent
    pub removed_paragraph_bytes: u64,
}

impl Stats {
    /// Bytes removed: `bytes_in - bytes_out`.
    ///
    /// ```
    /// let mut d = paradedup::Deduper::builder().short_paragraphs(paradedup::ShortParagraphs::RemoveEveryRepeat).build();
    /// d.dedup("a\na\n");
    /// assert_eq!(d.stats().bytes_removed(), 2);
    /// ```
    pub fn bytes_removed(&self) -> u64 {
        self.bytes_in.saturating_sub(self.bytes_out)
    }
}

impl Stats {
    /// The counts added since `earlier`, a snapshot of the same running counts.
    ///
    /// ```
    /// let mut d = paradedup::Deduper::new();
    /// d.dedup("a\na");
    /// let before = d.stats();
    /// d.dedup("b\nb\nb");
    /// assert_eq!(d.stats().since(before).duplicates, 2);
    /// ```
    pub fn since(self, earlier: Stats) -> Stats {
        Stats {
            documents: self.documents - earlier.documents,
            paragraphs: self.paragraphs - earlier.paragraphs,
            duplicates: self.duplicates - earlier.duplicates,
            near_duplicates: self.near_duplicates - earlier.near_duplicates,
            boilerplate: self.boilerplate - earlier.boilerplate,
            exempt: self.exempt - earlier.exempt,
            bytes_in: self.bytes_in - earlier.bytes_in,
            bytes_out: self.bytes_out - earlier.bytes_out,
            removed_paragraph_bytes: self.removed_paragraph_bytes - earlier.removed_paragraph_bytes,
        }
    }
}

impl AddAssign for Stats {
    fn add_assign(&mut self, other: Stats) {
        self.documents += other.documents;
        self.paragraphs += other.paragraphs;
        self.duplicates += other.duplicates;
        self.near_duplicates += other.near_duplicates;
        self.boilerplate += other.boilerplate;
        self.exempt += other.exempt;
        self.bytes_in += other.bytes_in;
        self.bytes_out += other.bytes_out;
        self.removed_paragraph_bytes += other.removed_paragraph_bytes;
    }
}

impl Add for Stats {
    type Output = Stats;

    fn add(mut self, other: Stats) -> Stats {
        self += other;
        self
    }
}

impl core::iter::Sum for Stats {
    fn sum<I: Iterator<Item = Stats>>(iter: I) -> Stats {
        iter.fold(Stats::default(), Add::add)
    }
}
