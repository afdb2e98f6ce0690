//! The inputs: which files to read, in what order and format.
//!
//! Directories are walked recursively with entries sorted by name, so the document order (which
//! decides which occurrence counts as first) is the same on every machine.

use std::fs;
use std::io::{self, IsTerminal};
use std::path::{Path, PathBuf};

use crate::compression::Compression;
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
    /// The name users see in messages, the report and a text input's id: the path as given
    /// (see [`escaped`]), or `<stdin>`.
    pub fn name(&self) -> String {
        match &self.path {
            Some(path) => escaped(path),
            None => "<stdin>".to_owned(),
        }
    }

    /// Checks that the `raw` bytes read from the input's file are its size when the run
    /// began: a file cut short (or grown) while it was read would otherwise give fewer (or
    /// half-written) documents and a run that looks successful.
    ///
    /// # Errors
    ///
    /// The sizes differ; the message names the file.
    pub fn check_read(&self, raw: u64) -> Result<()> {
        match self.size {
            Some(size) if size != raw => Err(Error::runtime(format!(
                "{}: the file changed while it was read ({size} bytes when the run began, {raw} \
                 read): something truncated or rewrote it; nothing was written, run again once \
                 it is complete",
                self.name()
            ))),
            _ => Ok(()),
        }
    }
}

/// A path as text that is unique and reversible: its bytes as they are, except `%`, written
/// `%25`, and each byte of a name that is not UTF-8, written `%XX` (uppercase hex). Two
/// different paths never get the same name, so text inputs' ids stay distinct.
pub fn escaped(path: &Path) -> String {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        let mut out = String::new();
        for chunk in path.as_os_str().as_bytes().utf8_chunks() {
            for c in chunk.valid().chars() {
                if c == '%' {
                    out.push_str("%25");
                } else {
                    out.push(c);
                }
            }
            for b in chunk.invalid() {
                out.push_str(&format!("%{b:02X}"));
            }
        }
        out
    }
    #[cfg(not(unix))]
    {
        path.display().to_string().replace('%', "%25")
    }
}

/// Extensions a directory walk picks up; files named on the command line are read whatever
/// their name.
const CORPUS_EXTENSIONS: [&str; 4] = ["jsonl", "ndjson", "json", "txt"];

/// The inputs named on the command line, directories expanded; `-` is standard input.
///
/// # Errors
///
/// A path that does not exist or a directory that cannot be read.
fn discover(args: &[PathBuf], skipped: &mut Vec<String>) -> Result<Vec<Input>> {
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
            walk(arg, Path::new(""), &mut inputs, skipped)?;
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

/// The inputs the command line names; `None` when it names none and standard input has nothing
/// to give. The files a directory walk passed over are added to `skipped`, each with why.
///
/// # Errors
///
/// See [`discover`]; also named paths in which no input file is found.
pub fn named(args: &[PathBuf], skipped: &mut Vec<String>) -> Result<Option<Vec<Input>>> {
    if args.is_empty() {
        if !stdin_has_data() {
            return Ok(None);
        }
        return discover(&[PathBuf::from("-")], skipped).map(Some);
    }
    let inputs = discover(args, skipped)?;
    if inputs.is_empty() {
        return Err(Error::runtime(
            "no input files found (directories are searched for .jsonl, .ndjson, .json and .txt \
             files, optionally .gz or .zst)",
        ));
    }
    Ok(Some(inputs))
}

/// True when standard input is a pipe or a file, rather than a terminal or `/dev/null`: only
/// then is it read without being named.
fn stdin_has_data() -> bool {
    if io::stdin().is_terminal() {
        return false;
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        match std::fs::metadata("/dev/stdin") {
            Ok(meta) => !meta.file_type().is_char_device(),
            Err(_) => false,
        }
    }
    #[cfg(not(unix))]
    true
}

/// Adds the corpus files under `dir` (at `relative` below the walk's root), sorted by name;
/// the files passed over for what they are, not for their name, go to `skipped`.
fn walk(
    dir: &Path,
    relative: &Path,
    inputs: &mut Vec<Input>,
    skipped: &mut Vec<String>,
) -> Result<()> {
    let cannot = |e: io::Error| Error::io(format!("cannot read directory {}", escaped(dir)), &e);
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
            .map_err(|e| Error::io(format!("cannot read {}", escaped(&path)), &e))?;
        let rel = relative.join(&name);
        if meta.is_dir() {
            walk(&path, &rel, inputs, skipped)?;
        } else if !is_corpus_file(&path) {
            continue;
        } else if !meta.is_file() {
            // A named pipe would block the walk forever, a device never end: only regular
            // files are read from a directory (name one on the command line to read it).
            skipped.push(format!(
                "{}: not a regular file (a named pipe, socket or device), skipped",
                escaped(&path)
            ));
        } else if let Some(why) = not_json_lines(&path) {
            skipped.push(format!("{}: {why}, skipped", escaped(&path)));
        } else {
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

/// Why a `.json` file (plain or compressed) met in a directory walk is not JSON Lines, if it is
/// not: metadata such as a `dataset_info.json` beside the shards is one JSON value over many
/// lines, and would stop the run at its first line. A file whose first line is one JSON object
/// is JSON Lines; files named on the command line are read whatever they hold, and a
/// compressed file that cannot be decompressed is left to the reader, whose error names it.
fn not_json_lines(path: &Path) -> Option<String> {
    let (name, _) = Compression::split_name(path);
    if !name.ends_with(".json") {
        return None;
    }
    let head = decompressed_head(path, 64 << 10)?;
    let first = match memchr::memchr(b'\n', &head) {
        Some(end) => &head[..end],
        // The first line is longer than what was read, or the whole file: left to the reader.
        None if head.len() == 64 << 10 => return None,
        None => &head[..],
    };
    // A byte order mark is left to the reader, whose error names it.
    let first = first
        .strip_prefix(b"\xEF\xBB\xBF")
        .unwrap_or(first)
        .trim_ascii();
    if first.is_empty() || (first.starts_with(b"{") && first.ends_with(b"}")) {
        return None;
    }
    Some(
        "a .json file that is not JSON Lines (its first line is not one JSON object; \
         name it on the command line to read it anyway)"
            .to_owned(),
    )
}

/// The first `limit` bytes of the file's content (decompressed when its first bytes say it is
/// compressed), or fewer when it is shorter; `None` when it cannot be opened or decompressed.
fn decompressed_head(path: &Path, limit: u64) -> Option<Vec<u8>> {
    use std::io::Read;
    let mut magic = Vec::new();
    fs::File::open(path)
        .and_then(|f| f.take(8).read_to_end(&mut magic))
        .ok()?;
    let file = fs::File::open(path).ok()?;
    let content: Box<dyn Read> = match Compression::of_magic(&magic) {
        Compression::None => Box::new(file),
        Compression::Gzip => Box::new(flate2::read::MultiGzDecoder::new(file)),
        Compression::Zstd => Box::new(zstd::stream::read::Decoder::new(file).ok()?),
    };
    let mut head = Vec::new();
    content.take(limit).read_to_end(&mut head).ok()?;
    Some(head)
}

/// The file name without a compression extension, lowercased: `a.JSONL.gz` gives `a.jsonl`.
fn plain_name(path: &Path) -> String {
    Compression::split_name(path).0
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_by_name() {
        assert_eq!(format_of(Path::new("a/b.txt")), Format::Text);
        assert_eq!(format_of(Path::new("b.TXT.gz")), Format::Text);
        assert_eq!(format_of(Path::new("b.jsonl.zst")), Format::Jsonl);
        assert_eq!(format_of(Path::new("noext")), Format::Jsonl);
        assert!(is_corpus_file(Path::new("x.json.gz")));
        assert!(!is_corpus_file(Path::new("report.csv")));
    }

    #[cfg(unix)]
    #[test]
    fn escaped_names_are_distinct() {
        use std::ffi::OsStr;
        use std::os::unix::ffi::OsStrExt;
        let name = |bytes: &[u8]| escaped(Path::new(OsStr::from_bytes(bytes)));
        assert_eq!(name(b"d/caf\xc3\xa9.txt"), "d/café.txt");
        assert_eq!(name(b"a\xff.txt"), "a%FF.txt");
        assert_eq!(name(b"a%FF.txt"), "a%25FF.txt");
        assert_ne!(name(b"a\xff.txt"), name(b"a\xfe.txt"));
    }
}
