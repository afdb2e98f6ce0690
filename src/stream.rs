//! Streaming a corpus: documents in one at a time, results out in input order, memory bounded
//! by the seen-set and a window of in-flight documents.
//!
//! ```
//! use std::io::Cursor;
//! use paradedup::{Deduper, DocumentReader, Scope};
//!
//! // One document per line (use `DocumentReader::with_delimiter(r, b'\0')` for documents that
//! // contain line breaks).
//! let input = Cursor::new("S'abonner\nArticle one.\ns'abonner !\n");
//! let mut reader = DocumentReader::new(input);
//! let mut deduper = Deduper::builder().short_paragraphs(paradedup::ShortParagraphs::RemoveEveryRepeat).scope(Scope::Corpus).build();
//! let (mut doc, mut kept) = (String::new(), String::new());
//! let mut out = Vec::new();
//! while reader.read_document(&mut doc)? {
//!     deduper.dedup_into(&doc, &mut kept);
//!     out.push(kept.clone());
//! }
//! assert_eq!(out, ["S'abonner", "Article one.", ""]);
//! # Ok::<(), paradedup::Error>(())
//! ```

use std::io::{BufRead, Read};

use crate::dedup::{Deduper, Deduplicated};
use crate::error::{Error, ErrorKind};

/// Reads delimited documents from a `BufRead` into the caller's buffer, csv-style: one
/// allocation, grown to the longest document, for the whole stream.
///
/// # Memory usage
///
/// The buffer grows to the longest document. [`DocumentReader::max_document_len`] bounds it:
/// a longer document is an error that names it, not an allocation that never ends.
///
/// ```
/// use paradedup::DocumentReader;
///
/// let mut reader = DocumentReader::new("one\ntwo\n".as_bytes());
/// let mut doc = String::new();
/// let mut docs = Vec::new();
/// while reader.read_document(&mut doc)? {
///     docs.push(doc.clone());
/// }
/// assert_eq!(docs, ["one", "two"]);
/// # Ok::<(), paradedup::Error>(())
/// ```
#[derive(Debug)]
pub struct DocumentReader<R> {
    reader: R,
    delimiter: u8,
    number: u64,
    max_len: usize,
    bytes: Vec<u8>,
}

impl<R: BufRead> DocumentReader<R> {
    /// Documents separated by `\n` (a trailing `\r` is kept in the document, where it is a
    /// line break like any other and never part of a paragraph).
    ///
    /// ```
    /// let mut reader = paradedup::DocumentReader::new("a\r\nb".as_bytes());
    /// let mut doc = String::new();
    /// assert!(reader.read_document(&mut doc)?);
    /// assert_eq!(doc, "a\r");
    /// # Ok::<(), paradedup::Error>(())
    /// ```
    pub fn new(reader: R) -> DocumentReader<R> {
        DocumentReader::with_delimiter(reader, b'\n')
    }

    /// Documents separated by `delimiter`, such as `b'\0'` for documents with line breaks.
    ///
    /// ```
    /// let input = "Title\nText.\0Other\nText.".as_bytes();
    /// let mut reader = paradedup::DocumentReader::with_delimiter(input, b'\0');
    /// let mut doc = String::new();
    /// assert!(reader.read_document(&mut doc)?);
    /// assert_eq!(doc, "Title\nText.");
    /// # Ok::<(), paradedup::Error>(())
    /// ```
    pub fn with_delimiter(reader: R, delimiter: u8) -> DocumentReader<R> {
        DocumentReader {
            reader,
            delimiter,
            number: 0,
            max_len: 1 << 30,
            bytes: Vec::new(),
        }
    }

    /// Refuses documents longer than `max_len` bytes (default: 1 GiB).
    ///
    /// ```
    /// use paradedup::{DocumentReader, ErrorKind};
    ///
    /// let mut reader = DocumentReader::new("short\nmuch too long\n".as_bytes());
    /// reader.max_document_len(8);
    /// let mut doc = String::new();
    /// assert!(reader.read_document(&mut doc)?);
    /// let err = reader.read_document(&mut doc).unwrap_err();
    /// assert_eq!(err.kind(), ErrorKind::InvalidConfig);
    /// assert!(err.to_string().contains("document 2"));
    /// # Ok::<(), paradedup::Error>(())
    /// ```
    pub fn max_document_len(&mut self, max_len: usize) -> &mut DocumentReader<R> {
        self.max_len = max_len;
        self
    }

    /// Documents read so far.
    ///
    /// ```
    /// let mut reader = paradedup::DocumentReader::new("a\nb\nc".as_bytes());
    /// let mut doc = String::new();
    /// while reader.read_document(&mut doc)? {}
    /// assert_eq!(reader.documents_read(), 3);
    /// # Ok::<(), paradedup::Error>(())
    /// ```
    pub fn documents_read(&self) -> u64 {
        self.number
    }

    /// Reads the next document into `document`, replacing what it held; false at the end.
    ///
    /// # Errors
    ///
    /// When reading fails, a document is not UTF-8, or it is longer than the limit; the error
    /// says which document (counting from 1) and at which byte.
    ///
    /// ```
    /// use paradedup::{DocumentReader, ErrorKind};
    ///
    /// let mut reader = DocumentReader::new(&b"fine\nbad \xff\n"[..]);
    /// let mut doc = String::new();
    /// assert!(reader.read_document(&mut doc)?);
    /// let err = reader.read_document(&mut doc).unwrap_err();
    /// assert_eq!(err.kind(), ErrorKind::InvalidInput);
    /// assert!(err.to_string().contains("document 2"), "{err}");
    /// # Ok::<(), paradedup::Error>(())
    /// ```
    pub fn read_document(&mut self, document: &mut String) -> Result<bool, Error> {
        document.clear();
        self.bytes.clear();
        let limit = self.max_len as u64 + 1;
        let read = std::io::Read::by_ref(&mut self.reader)
            .take(limit)
            .read_until(self.delimiter, &mut self.bytes)
            .map_err(|e| Error::io(format!("reading document {}", self.number + 1), e))?;
        if read == 0 {
            return Ok(false);
        }
        self.number += 1;
        if self.bytes.last() == Some(&self.delimiter) {
            self.bytes.pop();
        }
        if self.bytes.len() > self.max_len {
            return Err(Error::new(
                ErrorKind::InvalidConfig,
                format!(
                    "document {} is longer than the limit of {} bytes",
                    self.number, self.max_len
                ),
            ));
        }
        match core::str::from_utf8(&self.bytes) {
            Ok(text) => {
                document.push_str(text);
                Ok(true)
            }
            Err(e) => Err(Error::new(
                ErrorKind::InvalidInput,
                format!(
                    "document {} is not UTF-8 (invalid byte at offset {})",
                    self.number,
                    e.valid_up_to()
                ),
            )),
        }
    }
}

impl Deduper {
    /// Deduplicates documents as an iterator yields them, each with an id of any type (use
    /// `()` or an index when there is none), and yields each id with its result, owned, in
    /// input order. One document is in flight at a time.
    ///
    /// ```
    /// use paradedup::{Deduper, Scope};
    ///
    /// let corpus = vec![("a", "x\ny"), ("b", "y\nz")];
    /// let mut deduper = Deduper::builder().short_paragraphs(paradedup::ShortParagraphs::RemoveEveryRepeat).scope(Scope::Corpus).build();
    /// let kept: Vec<(&str, String)> = deduper
    ///     .dedup_iter(corpus)
    ///     .map(|(id, out)| (id, out.into_text().into_owned()))
    ///     .collect();
    /// assert_eq!(kept, [("a", "x\ny".to_owned()), ("b", "z".to_owned())]);
    /// ```
    pub fn dedup_iter<'d, I, S, D>(
        &'d mut self,
        documents: D,
    ) -> impl Iterator<Item = (I, Deduplicated<'static>)> + 'd
    where
        S: AsRef<str> + 'd,
        D: IntoIterator<Item = (I, S)>,
        D::IntoIter: 'd,
        I: 'd,
    {
        documents
            .into_iter()
            .map(move |(id, doc)| (id, self.dedup(doc.as_ref()).into_owned()))
    }
}

#[cfg(feature = "rayon")]
#[cfg_attr(docsrs, doc(cfg(feature = "rayon")))]
impl Deduper {
    /// As [`dedup_iter`](Deduper::dedup_iter), on all cores: documents are taken `window` at a
    /// time and deduplicated with [`dedup_batch`](Deduper::dedup_batch), so the results are the
    /// serial ones and at most `window` documents are in memory.
    ///
    /// ```
    /// use paradedup::{Deduper, Scope};
    ///
    /// let corpus: Vec<(usize, String)> =
    ///     (0..100).map(|i| (i, format!("line {}\nshared", i % 7))).collect();
    /// let mut serial = Deduper::builder().scope(Scope::Corpus).build();
    /// let mut parallel = serial.clone();
    /// let a: Vec<_> = serial.dedup_iter(corpus.clone()).collect();
    /// let b: Vec<_> = parallel.par_dedup_iter(corpus, 16).collect();
    /// assert_eq!(a, b);
    /// ```
    pub fn par_dedup_iter<'d, I, S, D>(
        &'d mut self,
        documents: D,
        window: usize,
    ) -> impl Iterator<Item = (I, Deduplicated<'static>)> + 'd
    where
        S: AsRef<str> + Sync + 'd,
        D: IntoIterator<Item = (I, S)>,
        D::IntoIter: 'd,
        I: 'd,
    {
        let mut documents = documents.into_iter();
        let window = window.max(1);
        let mut pending = std::collections::VecDeque::new();
        core::iter::from_fn(move || {
            if pending.is_empty() {
                let (ids, texts): (Vec<I>, Vec<S>) = documents.by_ref().take(window).unzip();
                let results = self.dedup_batch(&texts);
                pending.extend(
                    ids.into_iter()
                        .zip(results)
                        .map(|(id, out)| (id, out.into_owned())),
                );
            }
            pending.pop_front()
        })
    }
}
