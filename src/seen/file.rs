//! Seen-set files: versioned, checksummed, tied to the settings that made them, written
//! atomically.
//!
//! Layout (all integers little-endian):
//!
//! | bytes | field |
//! |---|---|
//! | 8 | magic `\x89PDSEEN\n` |
//! | 2 | format version, 1 |
//! | 1 | backend: 1 with origins, 2 exact, 3 Bloom |
//! | 1 | unit |
//! | 2 | normalization switches |
//! | 2 | reserved, 0 |
//! | 8 | fingerprint seed |
//! | 8 | `min_chars` |
//! | 8 | entry count: fingerprints, or the Bloom filter's 64-bit words |
//! | … | with origins: per fingerprint, 16 bytes of fingerprint, 8 of document, 8 of paragraph |
//! | … | exact: 16 bytes per fingerprint |
//! | … | Bloom: bits (8), probes (4), 0 (4), expected (8), rate (8, `f64`), inserted (8), words |
//! | 8 | xxh3-64 of every byte before it |
//!
//! Fingerprints are written sorted, so a set's file does not depend on the order it was built
//! in. The magic's first byte is not ASCII and it ends in `\n`, so a file mangled by a text
//! transfer is caught at once (as in PNG).

use std::fs::{self, File};
use std::io::{self, BufWriter, Read, Write};
use std::path::{Path, PathBuf};

use xxhash_rust::xxh3::Xxh3;

use super::{Backend, Bloom, ExactSet, Origin, SeenSet};
use crate::error::{Error, ErrorKind};
use crate::fingerprint::{Fingerprint, SEED};
use crate::normalize::Normalizer;
use crate::settings::Settings;
use crate::split::Unit;

const MAGIC: [u8; 8] = *b"\x89PDSEEN\n";
const VERSION: u16 = 1;
const HEADER: usize = 40;
const BLOOM_HEADER: usize = 40;
const TRAILER: usize = 8;

const KIND_ORIGINS: u8 = 1;
const KIND_EXACT: u8 = 2;
const KIND_BLOOM: u8 = 3;

/// A writer that checksums what passes through it.
struct Checksummed<W> {
    inner: W,
    hash: Xxh3,
}

impl<W: Write> Checksummed<W> {
    fn put(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.hash.update(bytes);
        self.inner.write_all(bytes)
    }
}

fn unit_code(unit: Unit) -> u8 {
    match unit {
        Unit::Lines => 1,
        Unit::BlankLines => 2,
    }
}

fn unit_name(code: u8) -> &'static str {
    match code {
        1 => "lines",
        2 => "blank-lines",
        _ => "unknown",
    }
}

impl SeenSet {
    /// Writes the set to `writer` in the seen-set file format, recording `settings` (the unit,
    /// normalization and `min_chars` that made its fingerprints; not the short-paragraph rule,
    /// which changes no fingerprint: see [`Settings`]).
    ///
    /// # Errors
    ///
    /// When writing fails.
    pub fn write_to<W: Write>(&self, writer: W, settings: Settings) -> Result<(), Error> {
        let mut out = Checksummed {
            inner: writer,
            hash: Xxh3::new(),
        };
        let result = (|| -> io::Result<()> {
            let (kind, count) = match &self.backend {
                Backend::Origins(map) => (KIND_ORIGINS, map.len() as u64),
                Backend::Exact(set) => (KIND_EXACT, set.len() as u64),
                Backend::Bloom(bloom) => (KIND_BLOOM, bloom.words.len() as u64),
            };
            out.put(&MAGIC)?;
            out.put(&VERSION.to_le_bytes())?;
            out.put(&[kind, unit_code(settings.unit)])?;
            out.put(&settings.normalizer.to_bits().to_le_bytes())?;
            out.put(&0u16.to_le_bytes())?;
            out.put(&SEED.to_le_bytes())?;
            out.put(&(settings.min_chars as u64).to_le_bytes())?;
            out.put(&count.to_le_bytes())?;
            match &self.backend {
                Backend::Origins(map) => {
                    let mut entries: Vec<(Fingerprint, Origin)> =
                        map.iter().map(|(fp, o)| (*fp, *o)).collect();
                    entries.sort_unstable();
                    for (fp, origin) in entries {
                        out.put(&fp.as_u128().to_le_bytes())?;
                        out.put(&origin.document.to_le_bytes())?;
                        out.put(&origin.paragraph.to_le_bytes())?;
                    }
                }
                Backend::Exact(set) => {
                    let mut fps: Vec<u128> = set.iter().collect();
                    fps.sort_unstable();
                    for fp in fps {
                        out.put(&fp.to_le_bytes())?;
                    }
                }
                Backend::Bloom(bloom) => {
                    out.put(&bloom.bits.to_le_bytes())?;
                    out.put(&bloom.probes.to_le_bytes())?;
                    out.put(&0u32.to_le_bytes())?;
                    out.put(&bloom.expected.to_le_bytes())?;
                    out.put(&bloom.fp_rate.to_bits().to_le_bytes())?;
                    out.put(&bloom.inserted.to_le_bytes())?;
                    for word in &bloom.words {
                        out.put(&word.to_le_bytes())?;
                    }
                }
            }
            let checksum = out.hash.digest();
            out.inner.write_all(&checksum.to_le_bytes())?;
            out.inner.flush()
        })();
        result.map_err(|e| Error::io("writing a seen-set", e))
    }

    /// Saves the set to the file at `path`, atomically: it is written to a temporary file
    /// beside `path`, flushed to disk, and renamed over `path`, so a crash leaves either the
    /// old file or the new one, never a torn one.
    ///
    /// # Errors
    ///
    /// When the file cannot be written; the error names it.
    ///
    /// ```
    /// use paradedup::{Deduper, Scope, SeenSet};
    ///
    /// let dir = std::env::temp_dir().join(format!("paradedup-doc-save-{}", std::process::id()));
    /// std::fs::create_dir_all(&dir)?;
    /// let path = dir.join("seen.pds");
    ///
    /// let mut first_run = Deduper::builder().short_paragraphs(paradedup::ShortParagraphs::RemoveEveryRepeat).scope(Scope::Corpus).build();
    /// first_run.dedup("Old paragraph.\nS'abonner");
    /// first_run.seen().save(&path, first_run.settings())?;
    ///
    /// // Next month: load what was kept, and only new paragraphs survive.
    /// let seen = SeenSet::load(&path, first_run.settings())?;
    /// let mut next_run = Deduper::builder().short_paragraphs(paradedup::ShortParagraphs::RemoveEveryRepeat).scope(Scope::Corpus).seen_set(seen).build();
    /// assert_eq!(next_run.dedup("S'abonner\nNew paragraph.").text(), "New paragraph.");
    /// # std::fs::remove_dir_all(&dir)?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn save(&self, path: impl AsRef<Path>, settings: Settings) -> Result<(), Error> {
        let path = path.as_ref();
        let temp = temporary_path(path);
        let write = || -> Result<(), Error> {
            let file = File::create(&temp).map_err(|e| Error::io("cannot create", e))?;
            let mut writer = BufWriter::with_capacity(1 << 20, file);
            self.write_to(&mut writer, settings)?;
            let file = writer
                .into_inner()
                .map_err(|e| Error::io("writing a seen-set", e.into_error()))?;
            file.sync_all()
                .map_err(|e| Error::io("flushing to disk", e))?;
            fs::rename(&temp, path).map_err(|e| Error::io("cannot rename into place", e))
        };
        write().map_err(|e| {
            let _ = fs::remove_file(&temp);
            e.at(path)
        })
    }

    /// Reads a set in the seen-set file format from `reader`, checking it was made with
    /// `settings`.
    ///
    /// # Errors
    ///
    /// Each problem has its own [`ErrorKind`]: not a seen-set file
    /// ([`NotASeenSet`](ErrorKind::NotASeenSet)), a format version this build does not read
    /// ([`UnsupportedVersion`](ErrorKind::UnsupportedVersion)), a file cut short
    /// ([`Truncated`](ErrorKind::Truncated)), contents that do not match their checksum
    /// ([`Corrupt`](ErrorKind::Corrupt)), or fingerprints made with other settings
    /// ([`SettingsMismatch`](ErrorKind::SettingsMismatch)).
    pub fn read_from<R: Read>(mut reader: R, settings: Settings) -> Result<SeenSet, Error> {
        let mut bytes = Vec::new();
        reader
            .read_to_end(&mut bytes)
            .map_err(|e| Error::io("reading a seen-set", e))?;
        SeenSet::from_bytes(&bytes, settings)
    }

    /// Loads a set saved by [`SeenSet::save`], checking it was made with `settings`.
    ///
    /// # Errors
    ///
    /// As [`SeenSet::read_from`], naming the file.
    pub fn load(path: impl AsRef<Path>, settings: Settings) -> Result<SeenSet, Error> {
        let path = path.as_ref();
        let bytes = fs::read(path).map_err(|e| Error::io("cannot read seen-set", e).at(path))?;
        SeenSet::from_bytes(&bytes, settings).map_err(|e| e.at(path))
    }

    /// Parses a whole seen-set file held in memory.
    pub(crate) fn from_bytes(bytes: &[u8], settings: Settings) -> Result<SeenSet, Error> {
        if bytes.len() < MAGIC.len() || bytes[..MAGIC.len()] != MAGIC {
            return Err(Error::new(
                ErrorKind::NotASeenSet,
                "not a paradedup seen-set file (wrong magic bytes)",
            ));
        }
        if bytes.len() < HEADER + TRAILER {
            return Err(truncated(bytes.len(), HEADER + TRAILER));
        }
        let mut at = Cursor { bytes, at: 8 };
        let version = at.u16();
        if version != VERSION {
            return Err(Error::new(
                ErrorKind::UnsupportedVersion,
                format!("seen-set format version {version}; this build reads version {VERSION}"),
            ));
        }
        let kind = at.u8();
        let unit = at.u8();
        let normalizer = at.u16();
        let reserved = at.u16();
        let seed = at.u64();
        let min_chars = at.u64();
        let count = at.u64();
        let payload = match kind {
            KIND_ORIGINS => count.checked_mul(32),
            KIND_EXACT => count.checked_mul(16),
            KIND_BLOOM => count
                .checked_mul(8)
                .and_then(|w| w.checked_add(BLOOM_HEADER as u64)),
            other => {
                return Err(Error::new(
                    ErrorKind::Corrupt,
                    format!("unknown seen-set backend {other}"),
                ))
            }
        };
        let expected_len = payload
            .and_then(|p| p.checked_add((HEADER + TRAILER) as u64))
            .ok_or_else(|| Error::new(ErrorKind::Corrupt, "entry count out of range"))?;
        if (bytes.len() as u64) < expected_len {
            return Err(truncated(bytes.len(), expected_len as usize));
        }
        if bytes.len() as u64 > expected_len {
            return Err(Error::new(
                ErrorKind::Corrupt,
                format!(
                    "{} bytes after the end of the seen-set",
                    bytes.len() as u64 - expected_len
                ),
            ));
        }
        let body = &bytes[..bytes.len() - TRAILER];
        let stored = u64::from_le_bytes(bytes[body.len()..].try_into().expect("8 bytes"));
        if xxhash_rust::xxh3::xxh3_64(body) != stored {
            return Err(Error::new(
                ErrorKind::Corrupt,
                "seen-set checksum mismatch: the file is corrupted",
            ));
        }
        if reserved != 0 {
            return Err(Error::new(
                ErrorKind::Corrupt,
                "reserved seen-set header field is not 0",
            ));
        }
        if seed != SEED
            || unit != unit_code(settings.unit)
            || normalizer != settings.normalizer.to_bits()
            || min_chars != settings.min_chars as u64
        {
            return Err(Error::new(
                ErrorKind::SettingsMismatch,
                format!(
                    "seen-set made with other settings (seed {seed:#x}, unit {}, normalization {}, min_chars {min_chars}) than this run's (seed {SEED:#x}, unit {}, normalization {}, min_chars {}); its fingerprints would not match",
                    unit_name(unit),
                    Normalizer::describe_bits(normalizer),
                    unit_name(unit_code(settings.unit)),
                    Normalizer::describe_bits(settings.normalizer.to_bits()),
                    settings.min_chars,
                ),
            ));
        }
        let backend = match kind {
            KIND_ORIGINS => {
                let mut set = SeenSet::with_capacity(count as usize);
                let mut order = InOrder::default();
                for _ in 0..count {
                    let fp = order.check(at.u128())?;
                    let origin = Origin {
                        document: at.u64(),
                        paragraph: at.u64(),
                    };
                    set.record(Fingerprint::from_u128(fp), origin);
                }
                set.backend
            }
            KIND_EXACT => {
                let mut set = ExactSet::with_capacity(count as usize);
                let mut order = InOrder::default();
                let mut error = None;
                // Stops at the first fingerprint out of order; the error is returned below.
                set.extend((0..count).map_while(|_| match order.check(at.u128()) {
                    Ok(fp) => Some(fp),
                    Err(e) => {
                        error = Some(e);
                        None
                    }
                }));
                if let Some(error) = error {
                    return Err(error);
                }
                Backend::Exact(set)
            }
            _ => {
                let bits = at.u64();
                let probes = at.u32();
                let pad = at.u32();
                let expected = at.u64();
                let fp_rate = f64::from_bits(at.u64());
                let inserted = at.u64();
                let words = super::table_from(count as usize, (0..count).map(|_| at.u64()));
                if bits == 0 || bits.div_ceil(64) != count || probes == 0 || probes > 64 || pad != 0
                {
                    return Err(Error::new(
                        ErrorKind::Corrupt,
                        "Bloom filter geometry out of range",
                    ));
                }
                Backend::Bloom(Bloom {
                    words,
                    bits,
                    probes,
                    expected,
                    fp_rate,
                    inserted,
                })
            }
        };
        Ok(SeenSet { backend })
    }
}

/// Fingerprints are written sorted, each once: a file with them out of order or repeated was
/// not written by [`SeenSet::save`], so it is refused, and every accepted file is the one
/// encoding of its set.
#[derive(Default)]
struct InOrder {
    last: Option<u128>,
}

impl InOrder {
    fn check(&mut self, fp: u128) -> Result<u128, Error> {
        if self.last.is_some_and(|last| fp <= last) {
            return Err(Error::new(
                ErrorKind::Corrupt,
                "seen-set fingerprints out of order or repeated",
            ));
        }
        self.last = Some(fp);
        Ok(fp)
    }
}

fn truncated(have: usize, need: usize) -> Error {
    Error::new(
        ErrorKind::Truncated,
        format!("seen-set file truncated: {have} bytes, {need} expected"),
    )
}

/// A temporary file beside `path`, unique to this process and call.
fn temporary_path(path: &Path) -> PathBuf {
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    let mut name = path.file_name().unwrap_or_default().to_owned();
    name.push(format!(".tmp-{}-{n}", std::process::id()));
    path.with_file_name(name)
}

/// Little-endian reads from a buffer whose length was checked up front.
struct Cursor<'b> {
    bytes: &'b [u8],
    at: usize,
}

impl Cursor<'_> {
    fn take<const N: usize>(&mut self) -> [u8; N] {
        let out = self.bytes[self.at..self.at + N]
            .try_into()
            .expect("length checked");
        self.at += N;
        out
    }
    fn u8(&mut self) -> u8 {
        self.take::<1>()[0]
    }
    fn u16(&mut self) -> u16 {
        u16::from_le_bytes(self.take())
    }
    fn u32(&mut self) -> u32 {
        u32::from_le_bytes(self.take())
    }
    fn u64(&mut self) -> u64 {
        u64::from_le_bytes(self.take())
    }
    fn u128(&mut self) -> u128 {
        u128::from_le_bytes(self.take())
    }
}
