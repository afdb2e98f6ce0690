//! Output streams: written on a thread of their own, compressed by file name, and put in place
//! only when the whole run succeeded.
//!
//! A file output is written to a hidden temporary file beside its destination (same directory,
//! so the final rename is atomic) and renamed over it by [`Staged::commit`] once every input
//! was read without error. A failure drops the [`Staged`] files, which deletes them: the
//! destination is either untouched or complete. Standard output and special files (`/dev/null`,
//! a named pipe) are written directly, since they cannot be renamed into.

use std::fs::{self, File};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver, SyncSender};
use std::thread::{self, JoinHandle};

use tempfile::TempPath;

use crate::compression::{Compression, CompressionLevel};
use crate::error::{Error, Result};
use crate::plan::Destination;

/// Bytes gathered before a buffer is handed to the writer thread.
const FLUSH_AT: usize = 1 << 20;
const BUFFERS_IN_FLIGHT: usize = 4;

/// A stream of output bytes: fill [`buffer`](Sink::buffer), call
/// [`flush_if_full`](Sink::flush_if_full) now and then, and [`finish`](Sink::finish) at the end.
///
/// Dropped without `finish`, it abandons the output: a temporary file is deleted.
pub struct Sink {
    name: String,
    buffer: Vec<u8>,
    /// `None` once the writer was told to stop.
    full: Option<SyncSender<Vec<u8>>>,
    empty: Receiver<Vec<u8>>,
    writer: Option<JoinHandle<io::Result<()>>>,
    staged: Option<Staged>,
}

impl Sink {
    /// Opens `destination`, compressed as its name says (`.gz`, `.zst`) at `level`.
    ///
    /// # Errors
    ///
    /// The destination (or its temporary file) cannot be created.
    pub fn create(destination: &Destination, level: CompressionLevel) -> Result<Sink> {
        let name = destination.name();
        let (out, compression, staged): (Box<dyn Write + Send>, _, _) = match destination {
            Destination::Stdout => (Box::new(io::stdout()), Compression::None, None),
            Destination::File(path) => {
                let compression = Compression::of_name(path);
                if is_special(path) {
                    let file = fs::OpenOptions::new()
                        .write(true)
                        .open(path)
                        .map_err(|e| Error::io(format!("cannot open {name}"), &e))?;
                    (Box::new(file), compression, None)
                } else {
                    let (file, staged) = Staged::create(path)?;
                    (Box::new(file), compression, Some(staged))
                }
            }
        };
        let encoder = Encoder::new(out, compression, level)
            .map_err(|e| Error::io(format!("cannot start compressing {name}"), &e))?;
        let (full, full_rx) = mpsc::sync_channel::<Vec<u8>>(BUFFERS_IN_FLIGHT);
        let (empty_tx, empty) = mpsc::sync_channel::<Vec<u8>>(BUFFERS_IN_FLIGHT + 1);
        let writer = thread::Builder::new()
            .name("paradedup-write".into())
            .spawn(move || write_all(encoder, &full_rx, &empty_tx))
            .map_err(|e| Error::io("cannot start the writer thread", &e))?;
        Ok(Sink {
            name,
            buffer: Vec::with_capacity(FLUSH_AT + (64 << 10)),
            full: Some(full),
            empty,
            writer: Some(writer),
            staged,
        })
    }

    /// The buffer to append output bytes to.
    #[inline]
    pub fn buffer(&mut self) -> &mut Vec<u8> {
        &mut self.buffer
    }

    /// Runs `write` with the buffer and a way to hand it on as it fills (`spill`), for an
    /// output too long to build whole first.
    ///
    /// # Errors
    ///
    /// What `write` returns: the writer thread failed.
    pub fn stream(
        &mut self,
        write: impl FnOnce(&mut Vec<u8>, &mut dyn FnMut(&mut Vec<u8>) -> Result<()>) -> Result<()>,
    ) -> Result<()> {
        let mut buffer = std::mem::take(&mut self.buffer);
        let result = {
            let mut spill = |buf: &mut Vec<u8>| -> Result<()> {
                if buf.len() >= FLUSH_AT {
                    std::mem::swap(&mut self.buffer, buf);
                    let sent = self.send();
                    std::mem::swap(&mut self.buffer, buf);
                    sent?;
                }
                Ok(())
            };
            write(&mut buffer, &mut spill)
        };
        self.buffer = buffer;
        result
    }

    /// Hands the buffer to the writer thread once it holds enough.
    ///
    /// # Errors
    ///
    /// The writer thread failed (a full disk, a closed pipe).
    #[inline]
    pub fn flush_if_full(&mut self) -> Result<()> {
        if self.buffer.len() >= FLUSH_AT {
            self.send()?;
        }
        Ok(())
    }

    /// Appends `bytes`, leaving it empty. A piece big enough to be a buffer of its own is
    /// handed to the writer as it is, after what the buffer held, rather than copied: `bytes`
    /// then gets a buffer the writer is done with (or a new one) to fill next.
    ///
    /// # Errors
    ///
    /// The writer thread failed (a full disk, a closed pipe).
    pub fn append(&mut self, bytes: &mut Vec<u8>) -> Result<()> {
        if bytes.len() < FLUSH_AT / 4 {
            self.buffer.extend_from_slice(bytes);
            bytes.clear();
            return self.flush_if_full();
        }
        if !self.buffer.is_empty() {
            self.send()?;
        }
        std::mem::swap(&mut self.buffer, bytes);
        self.send()
    }

    fn send(&mut self) -> Result<()> {
        let next = self
            .empty
            .try_recv()
            .unwrap_or_else(|_| Vec::with_capacity(FLUSH_AT + (64 << 10)));
        let full = std::mem::replace(&mut self.buffer, next);
        let sent = self.full.as_ref().is_some_and(|tx| tx.send(full).is_ok());
        if !sent {
            // The writer stopped on an error; fetch it.
            self.stop()?;
            return Err(Error::runtime(format!(
                "cannot write {}: the writer stopped",
                self.name
            )));
        }
        Ok(())
    }

    /// Tells the writer there is no more, and waits for its verdict.
    fn stop(&mut self) -> Result<()> {
        drop(self.full.take());
        match self.writer.take().map(JoinHandle::join) {
            None | Some(Ok(Ok(()))) => Ok(()),
            Some(Ok(Err(e))) => Err(Error::io(format!("cannot write {}", self.name), &e)),
            Some(Err(_)) => Err(Error::runtime(format!(
                "cannot write {}: the writer stopped",
                self.name
            ))),
        }
    }

    /// Writes what is left, ends the compressed stream and waits for the writer.
    ///
    /// The output is complete on return but, for a file, still under its temporary name:
    /// [`Staged::commit`] puts it in place.
    ///
    /// # Errors
    ///
    /// Any write error met along the way.
    pub fn finish(mut self) -> Result<Option<Staged>> {
        if !self.buffer.is_empty() {
            self.send()?;
        }
        self.stop()?;
        Ok(self.staged.take())
    }
}

/// The writer thread: write each buffer, hand it back for reuse, and stop at the first error.
fn write_all(
    mut encoder: Encoder,
    full: &Receiver<Vec<u8>>,
    empty: &SyncSender<Vec<u8>>,
) -> io::Result<()> {
    for mut buffer in full {
        encoder.write_all(&buffer)?;
        // A buffer that grew to hold a huge document is freed, not recycled: kept, a few of
        // them would hold several times the longest document for the rest of the run.
        if buffer.capacity() <= 2 * FLUSH_AT {
            buffer.clear();
            let _ = empty.try_send(buffer);
        }
    }
    encoder.finish()
}

/// A destination wrapped in the compression its name asks for.
enum Encoder {
    Plain(BufWriter<Box<dyn Write + Send>>),
    Gzip(flate2::write::GzEncoder<BufWriter<Box<dyn Write + Send>>>),
    Zstd(zstd::stream::write::Encoder<'static, BufWriter<Box<dyn Write + Send>>>),
}

impl Encoder {
    fn new(
        out: Box<dyn Write + Send>,
        compression: Compression,
        level: CompressionLevel,
    ) -> io::Result<Encoder> {
        let out = BufWriter::with_capacity(256 << 10, out);
        Ok(match compression {
            Compression::None => Encoder::Plain(out),
            Compression::Gzip => Encoder::Gzip(flate2::write::GzEncoder::new(out, level.gzip())),
            Compression::Zstd => {
                Encoder::Zstd(zstd::stream::write::Encoder::new(out, level.zstd())?)
            }
        })
    }

    fn write_all(&mut self, bytes: &[u8]) -> io::Result<()> {
        match self {
            Encoder::Plain(w) => w.write_all(bytes),
            Encoder::Gzip(w) => w.write_all(bytes),
            Encoder::Zstd(w) => w.write_all(bytes),
        }
    }

    /// Ends the compressed stream and flushes everything, so a late error is not lost in a
    /// drop.
    fn finish(self) -> io::Result<()> {
        let mut out = match self {
            Encoder::Plain(w) => w,
            Encoder::Gzip(w) => w.finish()?,
            Encoder::Zstd(w) => w.finish()?,
        };
        out.flush()?;
        let out = out.into_inner().map_err(|e| e.into_error())?;
        drop(out);
        Ok(())
    }
}

/// True for an existing file that is not a regular file: a device or a named pipe.
fn is_special(path: &Path) -> bool {
    fs::metadata(path).is_ok_and(|m| !m.is_file() && !m.is_dir())
}

/// A complete output under a temporary name, deleted if dropped before [`commit`](Staged::commit).
#[derive(Debug)]
pub struct Staged {
    temp: TempPath,
    destination: PathBuf,
}

impl Staged {
    fn create(destination: &Path) -> Result<(File, Staged)> {
        // Through a symbolic link to its target: renamed over, the link would be lost.
        let destination = &crate::plan::real_destination(destination)?;
        let dir = match destination.parent() {
            Some(dir) if !dir.as_os_str().is_empty() => dir,
            _ => Path::new("."),
        };
        let temp = crate::signals::noted(
            || {
                tempfile::Builder::new()
                    .prefix(".paradedup-")
                    .suffix(".tmp")
                    .tempfile_in(dir)
            },
            |temp| temp.path(),
        )
        .map_err(|e| Error::io(format!("cannot create {}", destination.display()), &e))?;
        let (file, temp) = temp.into_parts();
        Ok((
            file,
            Staged {
                temp,
                destination: destination.to_owned(),
            },
        ))
    }

    /// Writes a whole file under a temporary name beside `destination` with `write`, to be
    /// put in place by [`commit`](Staged::commit) later.
    ///
    /// # Errors
    ///
    /// The file cannot be created or written; `write`'s error is in the message.
    pub fn write(
        destination: &Path,
        write: impl FnOnce(&mut BufWriter<File>) -> std::result::Result<(), String>,
    ) -> Result<Staged> {
        let (file, staged) = Staged::create(destination)?;
        let mut out = BufWriter::with_capacity(1 << 20, file);
        write(&mut out)
            .and_then(|()| out.flush().map_err(|e| e.to_string()))
            .map_err(|e| Error::runtime(format!("cannot write {}: {e}", destination.display())))?;
        Ok(staged)
    }

    /// Renames the output into place, with the permissions a new file would get (or those of
    /// the file it replaces).
    ///
    /// # Errors
    ///
    /// The rename fails.
    pub fn commit(self) -> Result<()> {
        let cannot =
            |e: io::Error| Error::io(format!("cannot write {}", self.destination.display()), &e);
        let permissions = match fs::metadata(&self.destination) {
            Ok(old) => old.permissions(),
            Err(_) => default_permissions(&self.temp).map_err(cannot)?,
        };
        fs::set_permissions(&self.temp, permissions).map_err(cannot)?;
        // On disk before it takes the destination's name, so that even a power cut leaves the
        // old file or the complete new one (a killed process needs no fsync: the kernel has
        // the bytes).
        fs::OpenOptions::new()
            .write(true)
            .open(&self.temp)
            .and_then(|f| f.sync_all())
            .map_err(cannot)?;
        let destination = self.destination.clone();
        self.temp
            .persist(&destination)
            .map_err(|e| cannot(e.error))?;
        Ok(())
    }
}

/// Temporary files are private (0600); a finished output gets the usual 0644.
#[cfg(unix)]
fn default_permissions(_: &Path) -> io::Result<fs::Permissions> {
    use std::os::unix::fs::PermissionsExt;
    Ok(fs::Permissions::from_mode(0o644))
}

#[cfg(not(unix))]
fn default_permissions(path: &Path) -> io::Result<fs::Permissions> {
    Ok(fs::metadata(path)?.permissions())
}
