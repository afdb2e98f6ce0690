//! An input's bytes, decompressed on a thread of their own.
//!
//! Compression is told by the first bytes of the stream, so a misnamed file is still read right
//! and standard input may be compressed too.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{self, Receiver, SyncSender};
use std::sync::Arc;
use std::thread;

use crate::compression::Compression;
use crate::error::{Error, Result};
use crate::plan::Input;

/// Decompressed bytes are handed over in chunks of this size; a few in flight let reading and
/// decompressing run ahead of dedup without holding much memory.
const CHUNK: usize = 1 << 20;
const CHUNKS_IN_FLIGHT: usize = 4;
/// The smallest chunk: a plain file smaller than [`CHUNK`] is read in one chunk of its own size
/// (and this), so a directory of small files does not zero and fault in a megabyte per file.
const MIN_CHUNK: usize = 4 << 10;

/// An input's decompressed bytes, produced by a thread of their own.
///
/// Reading the file and decompressing it overlap with the dedup work on the calling thread.
/// Errors from the file or the decoder arrive in order, after the bytes that preceded them, and
/// already say what went wrong (`the gzip stream is truncated: …`); a decoder's carries a
/// [`StreamFault`].
pub struct Source {
    chunks: Receiver<io::Result<Vec<u8>>>,
    /// Chunks read through, back to the reader thread to fill again: a new chunk each time
    /// cost the page faults and zeroing of a fresh megabyte.
    spent: SyncSender<Vec<u8>>,
    chunk: Vec<u8>,
    pos: usize,
    done: bool,
}

/// Opens `input` and starts decompressing it; `read` counts the raw bytes taken from the file
/// (for the progress bar), and a zstd frame may use a window of up to `2^window_log` bytes
/// (`--zstd-window-log`).
///
/// # Errors
///
/// The file cannot be opened.
pub fn open(input: &Input, read: Arc<AtomicU64>, window_log: u32) -> Result<Source> {
    if let (Some(path), Some(size)) = (&input.path, input.size) {
        if size <= READ_IN_PLACE {
            if let Some(source) = read_in_place(path, &read) {
                return Ok(source);
            }
        }
    }
    let raw: Box<dyn Read + Send> = match &input.path {
        Some(path) => {
            let file = File::open(path)
                .map_err(|e| Error::io(format!("cannot open {}", path.display()), &e))?;
            Box::new(file)
        }
        None => Box::new(io::stdin()),
    };
    let declared = input
        .path
        .as_deref()
        .map_or(Compression::None, Compression::of_name);
    let (tx, rx) = mpsc::sync_channel(CHUNKS_IN_FLIGHT);
    let (spent, spare) = mpsc::sync_channel(CHUNKS_IN_FLIGHT + 1);
    let counted = Counted { inner: raw, read };
    let size = input.size;
    thread::Builder::new()
        .name("paradedup-read".into())
        .spawn(move || produce(counted, declared, size, window_log, &tx, &spare))
        .map_err(|e| Error::io("cannot start the reader thread", &e))?;
    Ok(Source {
        chunks: rx,
        spent,
        chunk: Vec::new(),
        pos: 0,
        done: false,
    })
}

/// Plain files up to this size are read whole on the calling thread: for a directory of small
/// files, a reader thread for each costs many times the read itself.
const READ_IN_PLACE: u64 = 256 << 10;

/// The source of a small plain file read whole on the calling thread, or `None` when it is
/// larger than [`READ_IN_PLACE`] by now, compressed (by its name or its first bytes), or cannot
/// be read: the reader thread then reads it again, and says what is wrong if anything is.
fn read_in_place(path: &std::path::Path, read: &AtomicU64) -> Option<Source> {
    if Compression::of_name(path) != Compression::None {
        return None;
    }
    let mut bytes = Vec::new();
    File::open(path)
        .and_then(|file| file.take(READ_IN_PLACE + 1).read_to_end(&mut bytes))
        .ok()?;
    if bytes.len() as u64 > READ_IN_PLACE || Compression::of_magic(&bytes) != Compression::None {
        return None;
    }
    read.fetch_add(bytes.len() as u64, Ordering::Relaxed);
    let (tx, chunks) = mpsc::sync_channel(1);
    if !bytes.is_empty() {
        tx.send(Ok(bytes)).ok()?;
    }
    // Chunks read through have nowhere to go back to: `Source` drops them.
    let (spent, _) = mpsc::sync_channel(0);
    Some(Source {
        chunks,
        spent,
        chunk: Vec::new(),
        pos: 0,
        done: false,
    })
}

/// The reader thread: detect the compression, decode, and send chunks until the end or an
/// error, filling again the chunks that come back on `spare`. A dropped receiver (the consumer
/// gave up) ends it quietly. `size` is the file's size when the run began, if known.
fn produce(
    raw: Counted,
    declared: Compression,
    size: Option<u64>,
    window_log: u32,
    tx: &SyncSender<io::Result<Vec<u8>>>,
    spare: &Receiver<Vec<u8>>,
) {
    let mut raw = BufReader::with_capacity(256 << 10, raw);
    let head = match raw.fill_buf() {
        Ok(head) => head,
        Err(e) => {
            let _ = tx.send(Err(e));
            return;
        }
    };
    let actual = Compression::of_magic(head);
    if declared != Compression::None && actual != declared && !head.is_empty() {
        let e = io::Error::new(
            io::ErrorKind::InvalidData,
            format!(
                "named like a {} file, but it does not start like one",
                declared.name()
            ),
        );
        let _ = tx.send(Err(e));
        return;
    }
    let mut decoder: Box<dyn Read> = match actual {
        Compression::None => Box::new(raw),
        Compression::Gzip => Box::new(GzipMembers::new(raw)),
        Compression::Zstd => {
            let decoder = zstd::stream::read::Decoder::with_buffer(raw).and_then(|mut d| {
                d.window_log_max(window_log)?;
                Ok(d)
            });
            match decoder {
                Ok(decoder) => Box::new(decoder),
                Err(e) => {
                    let _ = tx.send(Err(e));
                    return;
                }
            }
        }
    };
    // One byte more than the file, so that its end is seen in the first chunk.
    let chunk_len = match (actual, size) {
        (Compression::None, Some(size)) => usize::try_from(size)
            .map_or(CHUNK, |size| size.saturating_add(1))
            .clamp(MIN_CHUNK, CHUNK),
        _ => CHUNK,
    };
    loop {
        let mut chunk = spare.try_recv().unwrap_or_default();
        chunk.resize(chunk_len, 0);
        let mut filled = 0;
        let result = loop {
            match decoder.read(&mut chunk[filled..]) {
                Ok(0) => break Ok(()),
                Ok(n) => {
                    filled += n;
                    if filled == chunk.len() {
                        break Ok(());
                    }
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => break Err(e),
            }
        };
        chunk.truncate(filled);
        if filled > 0 && tx.send(Ok(chunk)).is_err() {
            return;
        }
        match result {
            Err(e) => {
                let _ = tx.send(Err(stream_error(actual, window_log, e)));
                return;
            }
            Ok(()) if filled == 0 => return,
            Ok(()) => {}
        }
    }
}

/// What went wrong in a compressed stream: the payload of the [`io::Error`] a [`Source`] ends
/// with when its decoder fails, so that the reader can tell a damaged stream (whose bytes before
/// the damage can be kept, with `--skip-bad-lines`) from a failure of the run.
#[derive(Debug)]
pub struct StreamFault {
    /// The stream ends before its end: the file was cut short.
    pub truncated: bool,
    /// The stream is sound but cannot be read with these settings (a zstd window over
    /// `--zstd-window-log`): skipping it would lose a whole good input, so it always ends the
    /// run.
    pub fatal: bool,
    message: String,
}

impl std::fmt::Display for StreamFault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for StreamFault {}

impl StreamFault {
    /// The fault `e` carries, if it is a decoder's.
    pub fn of(e: &io::Error) -> Option<&StreamFault> {
        e.get_ref().and_then(|inner| inner.downcast_ref())
    }
}

/// What [`GzipMembers`] says of bytes after the last member that are neither a member nor
/// zero padding.
const TRAILING: &str = "trailing data after the gzip stream";

/// Words for a decoder's error: which stream, and whether it is cut short, damaged, followed
/// by something else, or needs a larger window than allowed.
fn stream_error(compression: Compression, window_log: u32, e: io::Error) -> io::Error {
    if compression == Compression::None || FileError::is(&e) {
        return e;
    }
    let name = compression.name();
    let text = e.to_string();
    let (truncated, fatal, message) = if e.kind() == io::ErrorKind::UnexpectedEof {
        let message = format!("the {name} stream is truncated: the file ends inside it ({text})");
        (true, false, message)
    } else if text.starts_with(TRAILING) {
        (false, false, text)
    } else if compression == Compression::Zstd && text.contains("too much memory") {
        let message = format!(
            "the zstd stream needs a window larger than 2^{window_log} bytes \
             (--zstd-window-log {window_log}); it was likely written with `zstd --long`: \
             rerun with --zstd-window-log 31 (or the N of --long=N), which takes as much memory"
        );
        (false, true, message)
    } else {
        (
            false,
            false,
            format!("the {name} stream is corrupt ({text})"),
        )
    };
    io::Error::new(
        e.kind(),
        StreamFault {
            truncated,
            fatal,
            message,
        },
    )
}

/// A gzip file: one member or more, one after the other, then nothing but zero bytes (padding
/// to a block, which `gzip -t` accepts). Anything else after the last member is an error of its
/// own, not a truncation: [`TRAILING`].
struct GzipMembers<R> {
    state: Members<R>,
}

enum Members<R> {
    /// Inside a member; `first` when it is the file's first.
    Member {
        decoder: Box<flate2::bufread::GzDecoder<R>>,
        first: bool,
    },
    /// After a member: another, padding, or the end.
    Between(R),
    /// In the zero padding after the last member: nothing else may follow.
    Padding(R),
    /// The end, or an error was returned.
    Done,
}

impl<R: BufRead> GzipMembers<R> {
    fn new(raw: R) -> GzipMembers<R> {
        GzipMembers {
            state: Members::Member {
                decoder: Box::new(flate2::bufread::GzDecoder::new(raw)),
                first: true,
            },
        }
    }
}

impl<R: BufRead> Read for GzipMembers<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if buf.is_empty() {
            return Ok(0);
        }
        loop {
            match std::mem::replace(&mut self.state, Members::Done) {
                Members::Done => return Ok(0),
                Members::Member { mut decoder, first } => match decoder.read(buf) {
                    Ok(0) => self.state = Members::Between(decoder.into_inner()),
                    Ok(n) => {
                        self.state = Members::Member { decoder, first };
                        return Ok(n);
                    }
                    // Bytes after a member that start like one but have no gzip header.
                    Err(e)
                        if !first
                            && decoder.header().is_none()
                            && e.kind() != io::ErrorKind::UnexpectedEof =>
                    {
                        return Err(io::Error::new(
                            io::ErrorKind::InvalidData,
                            format!("{TRAILING} (no gzip header: {e})"),
                        ));
                    }
                    Err(e) => return Err(e),
                },
                Members::Between(mut raw) => match raw.fill_buf()?.first() {
                    None => return Ok(0),
                    Some(0x1f) => {
                        self.state = Members::Member {
                            decoder: Box::new(flate2::bufread::GzDecoder::new(raw)),
                            first: false,
                        };
                    }
                    Some(0) => self.state = Members::Padding(raw),
                    Some(_) => return Err(io::Error::new(io::ErrorKind::InvalidData, TRAILING)),
                },
                // Where the padding ends depends on where the buffer does: whatever follows the
                // first zero byte is padding to the end, or trailing data.
                Members::Padding(mut raw) => {
                    let head = raw.fill_buf()?;
                    if head.is_empty() {
                        return Ok(0);
                    }
                    if head.iter().any(|&b| b != 0) {
                        return Err(io::Error::new(
                            io::ErrorKind::InvalidData,
                            format!("{TRAILING} (after zero padding)"),
                        ));
                    }
                    let n = head.len();
                    raw.consume(n);
                    self.state = Members::Padding(raw);
                }
            }
        }
    }
}

impl Read for Source {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let available = self.fill_buf()?;
        let n = available.len().min(buf.len());
        buf[..n].copy_from_slice(&available[..n]);
        self.consume(n);
        Ok(n)
    }
}

impl BufRead for Source {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        while self.pos == self.chunk.len() && !self.done {
            match self.chunks.recv() {
                Ok(Ok(chunk)) => {
                    let spent = std::mem::replace(&mut self.chunk, chunk);
                    if spent.capacity() > 0 {
                        // Full: the reader makes a new one.
                        let _ = self.spent.try_send(spent);
                    }
                    self.pos = 0;
                }
                Ok(Err(e)) => {
                    self.done = true;
                    return Err(e);
                }
                // The thread is gone: the end of the stream.
                Err(_) => self.done = true,
            }
        }
        Ok(&self.chunk[self.pos..])
    }

    fn consume(&mut self, amount: usize) {
        self.pos = (self.pos + amount).min(self.chunk.len());
    }
}

/// A reader that counts the bytes it hands out.
struct Counted {
    inner: Box<dyn Read + Send>,
    read: Arc<AtomicU64>,
}

/// A failure to read the file itself, marked so that it passes through a decoder and is never
/// taken for a damaged stream (which `--skip-bad-lines` goes past).
#[derive(Debug)]
struct FileError(io::Error);

impl std::fmt::Display for FileError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl std::error::Error for FileError {}

impl FileError {
    fn is(e: &io::Error) -> bool {
        e.get_ref().is_some_and(|inner| inner.is::<FileError>())
    }
}

impl Read for Counted {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf).map_err(|e| match e.kind() {
            // The decoders retry on these; keep them as they are.
            io::ErrorKind::Interrupted | io::ErrorKind::WouldBlock => e,
            kind => io::Error::new(kind, FileError(e)),
        })?;
        self.read.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}
