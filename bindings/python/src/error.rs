//! The exception the bindings raise for the library's errors.

use pyo3::create_exception;
use pyo3::exceptions::{PyOSError, PyValueError};
use pyo3::PyErr;

use paradedup::Error as LibError;

// Named `Error` in module `paradedup`, where the package exports it, so that pickling it (as
// Spark does with the functions it ships to workers) finds it by name.
create_exception!(
    paradedup,
    Error,
    PyValueError,
    "An error from paradedup: a seen-set file that cannot be used, settings that cannot work, \
     or a malformed JSON line. I/O errors are raised as OSError."
);

/// The library's error as a Python exception, with the same message.
pub(crate) fn py_err(e: LibError) -> PyErr {
    if e.is_io() {
        PyOSError::new_err(e.to_string())
    } else {
        Error::new_err(e.to_string())
    }
}
