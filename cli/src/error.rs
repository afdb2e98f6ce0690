//! The tool's one error type: a one-line message with its context, and an exit code.
//!
//! Every failure reaches `main` as an [`Error`] whose message already names the file, the line
//! and what went wrong, so the user sees `paradedup: corpus.jsonl: line 12: …` and never a
//! panic or a backtrace.

use std::fmt;
use std::io;
use std::process::ExitCode;

/// A failure, with the words the user will read.
#[derive(Debug)]
pub struct Error {
    message: String,
    kind: Kind,
}

/// Which exit code a failure earns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// The command line asks for something impossible: exit code 2.
    Usage,
    /// The work failed: exit code 1.
    Runtime,
}

impl Error {
    /// A command line that cannot be carried out (exit code 2).
    pub fn usage(message: impl Into<String>) -> Error {
        Error {
            message: message.into(),
            kind: Kind::Usage,
        }
    }

    /// A failure while working (exit code 1).
    pub fn runtime(message: impl Into<String>) -> Error {
        Error {
            message: message.into(),
            kind: Kind::Runtime,
        }
    }

    /// An I/O failure while doing `what` (for example "cannot read corpus.jsonl").
    ///
    /// A closed pipe gets its own words: it is what `paradedup … | head` meets, and the OS
    /// message ("Broken pipe (os error 32)") does not say whose pipe.
    pub fn io(what: impl fmt::Display, err: &io::Error) -> Error {
        let message = match err.kind() {
            io::ErrorKind::BrokenPipe => format!("{what}: the reader closed the pipe early"),
            _ => format!("{what}: {}", describe(err)),
        };
        Error::runtime(message)
    }

    /// The process exit code for this failure.
    pub fn exit_code(&self) -> ExitCode {
        match self.kind {
            Kind::Usage => ExitCode::from(2),
            Kind::Runtime => ExitCode::from(1),
        }
    }
}

/// An I/O error in words, without the "(os error N)" suffix users need not read.
fn describe(err: &io::Error) -> String {
    let text = err.to_string();
    match text.find(" (os error ") {
        Some(cut) => text[..cut].to_owned(),
        None => text,
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}

/// A shorthand for the tool's results.
pub type Result<T, E = Error> = std::result::Result<T, E>;
