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
