//! Python strings and the library's byte spans: borrowing a `str`'s UTF-8, turning byte spans
//! into code point indices (the library's [`CodePoints`]), and building the kept text from
//! slices of the original string.

use std::borrow::Cow;

use pyo3::exceptions::PyTypeError;
use pyo3::ffi;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyString};

use paradedup::{CodePoints, Fingerprint, Span};

use crate::options::{parse_options, type_name};

/// The text of a Python `str` as UTF-8: a clear `TypeError` for anything else, and Python's
/// `UnicodeEncodeError` (a `ValueError`) for a string holding a lone surrogate.
///
/// Borrowed, never copied: an ASCII `str` is its own UTF-8, and CPython encodes any other
/// once and caches the result in the `str` (an encoder written here from CPython's one-, two-
/// and four-byte forms was measured slower than CPython's own).
pub(crate) fn text_of<'a>(value: &'a Bound<'_, PyAny>, what: &str) -> PyResult<&'a str> {
    let string = value.cast::<PyString>().map_err(|_| {
        PyTypeError::new_err(format!("{what} must be a str, not {}", type_name(value)))
    })?;
    string.to_str()
}

/// The removed extents (byte spans, in order) of `text` as code point ranges, adjacent ones
/// merged.
pub(crate) fn char_cuts(text: &str, removed: impl Iterator<Item = Span>) -> Vec<(usize, usize)> {
    let mut points = CodePoints::new(text);
    let mut cuts: Vec<(usize, usize)> = Vec::new();
    for extent in removed {
        let chars = points.span(extent);
        let (start, end) = (chars.start, chars.end);
        match cuts.last_mut() {
            Some(last) if last.1 == start => last.1 = end,
            _ => cuts.push((start, end)),
        }
    }
    cuts
}

/// `text` without the code point ranges `cuts`: the same object when there is none, else
/// built from slices of the Python string itself, copied in its own representation, which is
/// several times faster than decoding new UTF-8 for a text that is not ASCII.
pub(crate) fn kept_text(text: Bound<'_, PyAny>, cuts: &[(usize, usize)]) -> PyResult<Py<PyAny>> {
    if cuts.is_empty() {
        return Ok(text.unbind());
    }
    let py = text.py();
    let len = text.len()?;
    let mut pieces = Vec::with_capacity(cuts.len() + 1);
    let mut from = 0;
    for &(start, end) in cuts.iter().chain(std::iter::once(&(len, len))) {
        if start > from {
            pieces.push(substring(&text, from, start)?);
        }
        from = end;
    }
    match pieces.len() {
        0 => Ok(PyString::new(py, "").into_any().unbind()),
        1 => Ok(pieces.swap_remove(0).unbind()),
        _ => {
            let list = PyList::new(py, pieces)?;
            let empty = PyString::new(py, "");
            // SAFETY: both arguments are live objects of the right types (a str, a list of
            // str); the call returns a new reference, or NULL with a Python exception set.
            unsafe {
                Bound::from_owned_ptr_or_err(py, ffi::PyUnicode_Join(empty.as_ptr(), list.as_ptr()))
            }
            .map(Bound::unbind)
        }
    }
}

/// `text[start:end]` in code points, copied in the str's own representation.
fn substring<'py>(
    text: &Bound<'py, PyAny>,
    start: usize,
    end: usize,
) -> PyResult<Bound<'py, PyAny>> {
    let (start, end) = (start as ffi::Py_ssize_t, end as ffi::Py_ssize_t);
    // SAFETY: `text` is a live str (checked by `text_of`) and `start <= end <= len(text)`;
    // the call returns a new reference, or NULL with a Python exception set.
    unsafe {
        Bound::from_owned_ptr_or_err(
            text.py(),
            ffi::PyUnicode_Substring(text.as_ptr(), start, end),
        )
    }
}

/// One paragraph of a text and its fingerprint, as `fingerprints` returns them.
#[pyclass(module = "paradedup", frozen, get_all)]
pub(crate) struct Paragraph {
    /// The paragraph's number in the text, from 0.
    index: u64,
    /// Its first code point (Python string index).
    start: usize,
    /// One past its last code point.
    end: usize,
    /// Its first byte in the text's UTF-8 form.
    byte_start: usize,
    /// One past its last byte.
    byte_end: usize,
    /// The 128-bit fingerprint as (high, low) unsigned 64-bit halves; None when exempt.
    fingerprint: Option<(u64, u64)>,
}

#[pymethods]
impl Paragraph {
    /// The fingerprint as 16 big-endian bytes; None when the paragraph is exempt.
    #[getter]
    fn fingerprint_bytes(&self) -> Option<Cow<'static, [u8]>> {
        self.fingerprint
            .map(|(hi, lo)| Cow::Owned(Fingerprint::from_parts(hi, lo).to_be_bytes().to_vec()))
    }

    /// True when the paragraph is never a duplicate (empty once normalized, or short).
    #[getter]
    fn exempt(&self) -> bool {
        self.fingerprint.is_none()
    }

    fn __repr__(&self) -> String {
        format!(
            "Paragraph(index={}, start={}, end={}, byte_start={}, byte_end={}, fingerprint={})",
            self.index,
            self.start,
            self.end,
            self.byte_start,
            self.byte_end,
            self.fingerprint
                .map_or_else(|| "None".to_owned(), |(h, l)| format!("({h:#x}, {l:#x})"))
        )
    }
}

/// Each paragraph of `text`: its spans in code points and bytes, and its 128-bit fingerprint
/// (None when exempt), under the settings options.
#[pyfunction]
#[pyo3(signature = (text, **options))]
pub(crate) fn fingerprints(
    py: Python<'_>,
    text: Bound<'_, PyAny>,
    options: Option<&Bound<'_, PyDict>>,
) -> PyResult<Vec<Paragraph>> {
    let settings = parse_options(options, &[])?.settings;
    let s = text_of(&text, "text")?;
    Ok(py.detach(|| {
        let mut fingerprinter = settings.fingerprinter();
        let mut points = CodePoints::new(s);
        fingerprinter
            .paragraphs(s)
            .enumerate()
            .map(|(i, (p, fingerprint))| {
                let span: Span = p.span();
                let chars = points.span(span);
                Paragraph {
                    index: i as u64,
                    start: chars.start,
                    end: chars.end,
                    byte_start: span.start,
                    byte_end: span.end,
                    fingerprint: fingerprint.map(Fingerprint::to_parts),
                }
            })
            .collect()
    }))
}

/// The normalized form of `text`: what decides a paragraph's identity.
#[pyfunction]
#[pyo3(signature = (text, **options))]
pub(crate) fn normalize(
    text: Bound<'_, PyAny>,
    options: Option<&Bound<'_, PyDict>>,
) -> PyResult<String> {
    let settings = parse_options(options, &[])?.settings;
    let s = text_of(&text, "text")?;
    Ok(settings.normalizer.normalize(s).into_owned())
}
