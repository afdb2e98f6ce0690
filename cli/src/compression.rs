//! Compression formats: asked for by a file's name (`.gz`, `.zst`), told by a stream's first
//! bytes (gzip `1f 8b`, zstd `28 b5 2f fd` or a skippable frame `5? 2a 4d 18`). Inputs are read by their first bytes, so a misnamed
//! file is still read right; outputs are compressed as their name says.

use std::path::Path;

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

/// How hard outputs are compressed: one level for every compressed file a run writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CompressionLevel(Option<u32>);

impl Default for CompressionLevel {
    /// Level 2 for gzip, 3 for zstd: at gzip's usual 6, compressing took most of a gz-to-gz
    /// run, for a file about a tenth smaller; zstd's 1 and 2 were no faster than 3 and made
    /// much larger files.
    fn default() -> CompressionLevel {
        CompressionLevel(None)
    }
}

impl CompressionLevel {
    /// The gzip level, 0 to 9.
    const GZIP_MAX: u32 = 9;
    /// The zstd level, 1 to 19 (the levels above need zstd's `--ultra` memory to read).
    const ZSTD: std::ops::RangeInclusive<u32> = 1..=19;

    /// `level` for the compressed files among `written`, checked against each one's format.
    ///
    /// # Errors
    ///
    /// A level that a written file's format does not have; the message names the file.
    pub fn checked(
        level: u32,
        written: &[std::path::PathBuf],
    ) -> crate::error::Result<CompressionLevel> {
        for path in written {
            let (format, fits) = match Compression::of_name(path) {
                Compression::None => continue,
                Compression::Gzip => ("gzip: 0 to 9", level <= Self::GZIP_MAX),
                Compression::Zstd => ("zstd: 1 to 19", Self::ZSTD.contains(&level)),
            };
            if !fits {
                return Err(crate::error::Error::usage(format!(
                    "--compression-level {level} does not fit {} ({format})",
                    path.display()
                )));
            }
        }
        Ok(CompressionLevel(Some(level)))
    }

    /// The level for gzip.
    pub fn gzip(self) -> flate2::Compression {
        flate2::Compression::new(self.0.unwrap_or(2).min(Self::GZIP_MAX))
    }

    /// The level for zstd.
    pub fn zstd(self) -> i32 {
        let level = self
            .0
            .unwrap_or(3)
            .clamp(*Self::ZSTD.start(), *Self::ZSTD.end());
        i32::try_from(level).unwrap_or(3)
    }
}

/// The file-name extensions that ask for a compression.
const EXTENSIONS: [(&str, Compression); 3] = [
    (".gz", Compression::Gzip),
    (".zst", Compression::Zstd),
    (".zstd", Compression::Zstd),
];

impl Compression {
    /// The compression a file name asks for, by its last extension.
    pub fn of_name(path: &Path) -> Compression {
        Compression::split_name(path).1
    }

    /// A file's name lowercased, cut before the extension that asks for a compression, and
    /// that compression: `a.JSONL.gz` gives `a.jsonl` and gzip.
    pub fn split_name(path: &Path) -> (String, Compression) {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().to_lowercase())
            .unwrap_or_default();
        for (extension, compression) in EXTENSIONS {
            if let Some(stem) = name.strip_suffix(extension) {
                return (stem.to_owned(), compression);
            }
        }
        (name, Compression::None)
    }

    /// The compression whose magic bytes start `head`.
    ///
    /// A zstd stream may start with a skippable frame (magic `0x184D2A50` to `0x184D2A5F`,
    /// little-endian), as every file `pzstd` writes does; the decoder passes over it.
    pub fn of_magic(head: &[u8]) -> Compression {
        let skippable =
            head.len() >= 4 && head[0] & 0xf0 == 0x50 && head[1..4] == [0x2a, 0x4d, 0x18];
        if head.starts_with(&[0x1f, 0x8b]) {
            Compression::Gzip
        } else if head.starts_with(&[0x28, 0xb5, 0x2f, 0xfd]) || skippable {
            Compression::Zstd
        } else {
            Compression::None
        }
    }

    /// The format's name in messages.
    pub fn name(self) -> &'static str {
        match self {
            Compression::None => "plain",
            Compression::Gzip => "gzip",
            Compression::Zstd => "zstd",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compressions_by_name() {
        assert_eq!(
            Compression::of_name(Path::new("x.jsonl.gz")),
            Compression::Gzip
        );
        assert_eq!(Compression::of_name(Path::new("x.zstd")), Compression::Zstd);
        assert_eq!(
            Compression::of_name(Path::new("x.jsonl")),
            Compression::None
        );
        assert_eq!(
            Compression::split_name(Path::new("a/b.JSONL.Zst")),
            ("b.jsonl".to_owned(), Compression::Zstd)
        );
    }

    #[test]
    fn magic_bytes() {
        assert_eq!(Compression::of_magic(&[0x1f, 0x8b, 8]), Compression::Gzip);
        assert_eq!(
            Compression::of_magic(&[0x28, 0xb5, 0x2f, 0xfd, 0]),
            Compression::Zstd
        );
        for skippable in [0x50, 0x5a, 0x5f] {
            assert_eq!(
                Compression::of_magic(&[skippable, 0x2a, 0x4d, 0x18, 4, 0, 0, 0]),
                Compression::Zstd
            );
        }
        assert_eq!(
            Compression::of_magic(&[0x60, 0x2a, 0x4d, 0x18]),
            Compression::None
        );
        assert_eq!(Compression::of_magic(b"{\"text\""), Compression::None);
        assert_eq!(Compression::of_magic(b""), Compression::None);
    }
}
