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

/// An input's decompressed bytes, produced by a thread of their own.
///
/// Reading the file and decompressing it overlap with the dedup work on the calling thread.
/// Errors from the file or the decoder arrive in order, after the bytes that preceded them, and
/// already say what went wrong (`gzip stream is truncated or corrupt: …`).
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
/// (for the progress bar).
///
/// # Errors
///
/// The file cannot be opened.
pub fn open(input: &Input, read: Arc<AtomicU64>) -> Result<Source> {
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
    thread::Builder::new()
        .name("paradedup-read".into())
        .spawn(move || produce(counted, declared, &tx, &spare))
        .map_err(|e| Error::io("cannot start the reader thread", &e))?;
    Ok(Source {
        chunks: rx,
        spent,
        chunk: Vec::new(),
        pos: 0,
        done: false,
    })
}

/// The reader thread: detect the compression, decode, and send chunks until the end or an
/// error, filling again the chunks that come back on `spare`. A dropped receiver (the consumer
/// gave up) ends it quietly.
fn produce(
    raw: Counted,
    declared: Compression,
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
        Compression::Gzip => Box::new(flate2::bufread::MultiGzDecoder::new(raw)),
        Compression::Zstd => match zstd::stream::read::Decoder::with_buffer(raw) {
            Ok(decoder) => Box::new(decoder),
            Err(e) => {
                let _ = tx.send(Err(e));
                return;
            }
        },
    };
    loop {
        let mut chunk = spare.try_recv().unwrap_or_default();
        chunk.resize(CHUNK, 0);
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
                let _ = tx.send(Err(stream_error(actual, e)));
                return;
            }
            Ok(()) if filled == 0 => return,
            Ok(()) => {}
        }
    }
}

/// Words for a decoder's error: which stream, and that it is likely cut short.
fn stream_error(compression: Compression, e: io::Error) -> io::Error {
    if compression == Compression::None {
        return e;
    }
    io::Error::new(
        e.kind(),
        format!(
            "the {} stream is truncated or corrupt ({e})",
            compression.name()
        ),
    )
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

impl Read for Counted {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.read.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}
