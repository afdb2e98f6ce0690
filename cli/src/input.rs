//! Inputs: which files to read, in what order and format, and a reader that decompresses on its
//! own thread.
//!
//! Directories are walked recursively with entries sorted by name, so the document order (which
//! decides which occurrence counts as first) is the same on every machine. Compression is told
//! by the first bytes of the stream (gzip `1f 8b`, zstd `28 b5 2f fd`), so a misnamed file is
//! still read right and standard input may be compressed too.

use std::fs::{self, File};
use std::io::{self, BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{self, Receiver, SyncSender};
use std::sync::Arc;
use std::thread;

use crate::error::{Error, Result};

/// How the documents of an input are laid out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// JSON Lines: one document per line, in a JSON object.
    Jsonl,
    /// Plain text: the whole file is one document.
    Text,
}

/// One input to read.
#[derive(Debug, Clone)]
pub struct Input {
    /// The file, or `None` for standard input.
    pub path: Option<PathBuf>,
    /// The path relative to the directory it was found in (its file name when named directly):
    /// where its output goes when the output is a directory.
    pub relative: PathBuf,
    /// How its documents are laid out.
    pub format: Format,
    /// Its size on disk, when known (for the progress bar's total).
    pub size: Option<u64>,
}

impl Input {
    /// The name users see in messages and the report: the path as given, or `<stdin>`.
    pub fn name(&self) -> String {
        match &self.path {
            Some(path) => path.display().to_string(),
            None => "<stdin>".to_owned(),
        }
    }
}

/// Extensions a directory walk picks up; files named on the command line are read whatever
/// their name.
const CORPUS_EXTENSIONS: [&str; 4] = ["jsonl", "ndjson", "json", "txt"];
const COMPRESSION_EXTENSIONS: [&str; 3] = ["gz", "zst", "zstd"];

/// The inputs named on the command line, directories expanded; `-` is standard input.
///
/// # Errors
///
/// A path that does not exist or a directory that cannot be read.
pub fn discover(args: &[PathBuf]) -> Result<Vec<Input>> {
    let mut inputs = Vec::new();
    for arg in args {
        if arg.as_os_str() == "-" {
            inputs.push(Input {
                path: None,
                relative: PathBuf::from("stdin.jsonl"),
                format: Format::Jsonl,
                size: None,
            });
            continue;
        }
        let meta = fs::metadata(arg)
            .map_err(|e| Error::io(format!("cannot read {}", arg.display()), &e))?;
        if meta.is_dir() {
            walk(arg, Path::new(""), &mut inputs)?;
        } else {
            let name = arg.file_name().map(PathBuf::from).unwrap_or_default();
            inputs.push(Input {
                path: Some(arg.clone()),
                format: format_of(arg),
                relative: name,
                size: meta.is_file().then_some(meta.len()),
            });
        }
    }
    Ok(inputs)
}

/// Adds the corpus files under `dir` (at `relative` below the walk's root), sorted by name.
fn walk(dir: &Path, relative: &Path, inputs: &mut Vec<Input>) -> Result<()> {
    let cannot = |e: io::Error| Error::io(format!("cannot read directory {}", dir.display()), &e);
    let mut entries = fs::read_dir(dir)
        .map_err(cannot)?
        .collect::<io::Result<Vec<_>>>()
        .map_err(cannot)?;
    entries.sort_by_key(|entry| entry.file_name());
    for entry in entries {
        let name = entry.file_name();
        // Hidden files are skipped: they include our own temporary outputs.
        if name.to_string_lossy().starts_with('.') {
            continue;
        }
        let path = entry.path();
        let meta = fs::metadata(&path)
            .map_err(|e| Error::io(format!("cannot read {}", path.display()), &e))?;
        let rel = relative.join(&name);
        if meta.is_dir() {
            walk(&path, &rel, inputs)?;
        } else if is_corpus_file(&path) {
            inputs.push(Input {
                format: format_of(&path),
                path: Some(path),
                relative: rel,
                size: Some(meta.len()),
            });
        }
    }
    Ok(())
}

/// The file name without a compression extension, lowercased: `a.JSONL.gz` gives `a.jsonl`.
fn plain_name(path: &Path) -> String {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    for ext in COMPRESSION_EXTENSIONS {
        if let Some(stem) = name.strip_suffix(&format!(".{ext}")) {
            return stem.to_owned();
        }
    }
    name
}

fn is_corpus_file(path: &Path) -> bool {
    let name = plain_name(path);
    CORPUS_EXTENSIONS
        .iter()
        .any(|ext| name.ends_with(&format!(".{ext}")))
}

/// `.txt` (possibly compressed) is one document per file; anything else is JSON Lines.
pub fn format_of(path: &Path) -> Format {
    if plain_name(path).ends_with(".txt") {
        Format::Text
    } else {
        Format::Jsonl
    }
}

/// A compression format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Compression {
    /// Bytes as they are.
    None,
    /// gzip (one or more members).
    Gzip,
    /// Zstandard (one or more frames).
    Zstd,
}

impl Compression {
    /// The compression a file name asks for, by its last extension.
    pub fn of_name(path: &Path) -> Compression {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().to_lowercase())
            .unwrap_or_default();
        if name.ends_with(".gz") {
            Compression::Gzip
        } else if name.ends_with(".zst") || name.ends_with(".zstd") {
            Compression::Zstd
        } else {
            Compression::None
        }
    }

    /// The compression whose magic bytes start `head`.
    fn of_magic(head: &[u8]) -> Compression {
        if head.starts_with(&[0x1f, 0x8b]) {
            Compression::Gzip
        } else if head.starts_with(&[0x28, 0xb5, 0x2f, 0xfd]) {
            Compression::Zstd
        } else {
            Compression::None
        }
    }

    fn name(self) -> &'static str {
        match self {
            Compression::None => "plain",
            Compression::Gzip => "gzip",
            Compression::Zstd => "zstd",
        }
    }
}

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_and_compressions_by_name() {
        assert_eq!(format_of(Path::new("a/b.txt")), Format::Text);
        assert_eq!(format_of(Path::new("b.TXT.gz")), Format::Text);
        assert_eq!(format_of(Path::new("b.jsonl.zst")), Format::Jsonl);
        assert_eq!(format_of(Path::new("noext")), Format::Jsonl);
        assert!(is_corpus_file(Path::new("x.json.gz")));
        assert!(!is_corpus_file(Path::new("report.csv")));
        assert_eq!(
            Compression::of_name(Path::new("x.jsonl.gz")),
            Compression::Gzip
        );
        assert_eq!(Compression::of_name(Path::new("x.zstd")), Compression::Zstd);
        assert_eq!(
            Compression::of_name(Path::new("x.jsonl")),
            Compression::None
        );
    }

    #[test]
    fn magic_bytes() {
        assert_eq!(Compression::of_magic(&[0x1f, 0x8b, 8]), Compression::Gzip);
        assert_eq!(
            Compression::of_magic(&[0x28, 0xb5, 0x2f, 0xfd, 0]),
            Compression::Zstd
        );
        assert_eq!(Compression::of_magic(b"{\"text\""), Compression::None);
        assert_eq!(Compression::of_magic(b""), Compression::None);
    }
}
