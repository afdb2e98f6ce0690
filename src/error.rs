//! The crate's one error type.

use core::fmt;
use std::io;
use std::path::{Path, PathBuf};

/// An error from I/O, a seen-set file, or a configuration.
///
/// No input *text* is ever an error: errors come from reading and writing files, from seen-set
/// files that are not what they should be, and from settings that cannot work. The message says
/// what is wrong and, where there is one, which file.
///
/// ```
/// use paradedup::{ErrorKind, SeenSet, Settings};
///
/// let err = SeenSet::load("/no/such/seen-set", Settings::default()).unwrap_err();
/// assert_eq!(err.kind(), ErrorKind::Io);
/// assert!(err.to_string().contains("/no/such/seen-set"));
/// ```
#[derive(Debug)]
pub struct Error {
    kind: ErrorKind,
    detail: String,
    path: Option<PathBuf>,
    source: Option<io::Error>,
}

/// What kind of error an [`Error`] is, for callers that handle some differently.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// Reading or writing failed.
    Io,
    /// The file is not a paradedup seen-set (wrong magic bytes).
    NotASeenSet,
    /// The seen-set file was written by a format version this build does not read.
    UnsupportedVersion,
    /// The seen-set was made with other settings (seed, unit, normalization or `min_chars`):
    /// its fingerprints would not match this run's.
    SettingsMismatch,
    /// The file's checksum does not match its contents: it was corrupted.
    Corrupt,
    /// The file ends before its contents do.
    Truncated,
    /// Two seen-sets cannot be merged (for instance Bloom filters of different sizes).
    Incompatible,
    /// A setting is out of range, or an input exceeds a configured limit.
    InvalidConfig,
    /// Input bytes are not what the reader expects (a document that is not UTF-8).
    InvalidInput,
    /// A setting given by name is not one the library knows (a unit, preset, scope,
    /// boilerplate policy or shingle kind parsed from text); the message lists the accepted
    /// names.
    ///
    /// ```
    /// use paradedup::{ErrorKind, Unit};
    ///
    /// let err = "paragraphs".parse::<Unit>().unwrap_err();
    /// assert_eq!(err.kind(), ErrorKind::UnknownName);
    /// assert!(err.to_string().contains("lines, blank-lines"));
    /// ```
    UnknownName,
}

impl Error {
    pub(crate) fn new(kind: ErrorKind, detail: impl Into<String>) -> Error {
        Error {
            kind,
            detail: detail.into(),
            path: None,
            source: None,
        }
    }

    pub(crate) fn io(detail: impl Into<String>, source: io::Error) -> Error {
        Error {
            kind: ErrorKind::Io,
            detail: detail.into(),
            path: None,
            source: Some(source),
        }
    }

    /// The same error, naming the file it is about.
    pub(crate) fn at(mut self, path: &Path) -> Error {
        self.path = Some(path.to_owned());
        self
    }

    /// What kind of error this is.
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// True for I/O errors.
    pub fn is_io(&self) -> bool {
        self.kind == ErrorKind::Io
    }

    /// The file the error is about, if any.
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(path) = &self.path {
            write!(f, "{}: ", path.display())?;
        }
        f.write_str(&self.detail)?;
        if let Some(source) = &self.source {
            write!(f, ": {source}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source
            .as_ref()
            .map(|e| e as &(dyn std::error::Error + 'static))
    }
}

impl From<io::Error> for Error {
    fn from(source: io::Error) -> Error {
        Error::io("i/o error", source)
    }
}
