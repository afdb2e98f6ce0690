//! SIGINT and SIGTERM: the run's temporary outputs removed, then exit with code 130 or 143.
//!
//! An interrupted run would otherwise leave its hidden temporary files (`.paradedup-*.tmp`,
//! possibly gigabytes) beside its outputs. The signals are taken by a thread of their own
//! (`signal-hook`'s self-pipe), so the clean-up runs as ordinary code (it may take a lock and
//! allocate), not in a signal handler.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// The temporary files made so far. Files already renamed into place or deleted stay listed:
/// removing a name that no longer exists does nothing.
static TEMPORARY: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

/// Makes a temporary file with `make` and notes it (at `path` of it), to be removed if the run
/// is interrupted. The list is held meanwhile, so a signal cannot come between the file's
/// making and its noting and leave it behind.
///
/// # Errors
///
/// `make`'s.
pub fn noted<T>(
    make: impl FnOnce() -> std::io::Result<T>,
    path: impl FnOnce(&T) -> &Path,
) -> std::io::Result<T> {
    let mut files = TEMPORARY.lock().unwrap_or_else(|e| e.into_inner());
    let made = make()?;
    files.push(path(&made).to_owned());
    Ok(made)
}

/// Removes every temporary file noted so far.
#[cfg_attr(not(unix), allow(dead_code))]
fn remove_temporary() {
    // A panicking thread cannot have left the list half-changed: take it anyway.
    let files = TEMPORARY.lock().unwrap_or_else(|e| e.into_inner());
    for path in files.iter() {
        let _ = std::fs::remove_file(path);
    }
}

/// Starts the thread that takes SIGINT and SIGTERM: it removes the temporary files and exits
/// with 128 + the signal's number (130, 143), as a shell reports a process killed by it.
/// Without that thread (it cannot be started), the signals kill the process as before.
#[cfg(unix)]
pub fn install() {
    use signal_hook::consts::{SIGINT, SIGTERM};
    let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGINT, SIGTERM]) else {
        return;
    };
    let _ = std::thread::Builder::new()
        .name("paradedup-signals".into())
        .spawn(move || {
            if let Some(signal) = signals.forever().next() {
                remove_temporary();
                std::process::exit(128 + signal);
            }
        });
}
/// Nothing to do where there are no such signals.
#[cfg(not(unix))]
pub fn install() {}
