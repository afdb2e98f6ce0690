//! Python bindings: the `paradedup._paradedup` extension module, built by maturin from this
//! crate's `pyproject.toml` (`pip install ./bindings/python`). The Python package in
//! `python/paradedup` re-exports it, with type stubs, and adds `paradedup.spark`.
//!
//! Every function borrows the Python string's UTF-8 form (no copy) and releases the GIL while
//! the Rust work runs, so Python threads deduplicate in parallel. Library errors become
//! `paradedup.Error` (a `ValueError`), or `OSError` for I/O, with the library's message.
//!
//! The JSON Lines helpers used by `paradedup.spark` reuse the command's own line scanner and
//! splicer (the `paradedup-jsonl` crate), so a line rewritten by Spark has exactly the bytes
//! the command writes.

// PyO3's macros expand to FFI glue (`unsafe` blocks, `#[no_mangle]` entry points): allowed in
// this module only; the crate denies `unsafe_code` everywhere else.
#![allow(unsafe_code)]

use std::borrow::Cow;
use std::path::PathBuf;
use std::sync::Arc;

use pyo3::create_exception;
use pyo3::exceptions::{PyOSError, PyTypeError, PyValueError};
use pyo3::ffi;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyString};

use paradedup::{
    BoilerplatePolicy, CodePoints, Deduper, DeduperBuilder, DocumentFrequency, Error as LibError,
    Fingerprint, Fingerprinter, NearDup, Normalizer, Origin, Scope, SeenKind, SeenSet, Settings,
    Shingles, ShortParagraphs, Span, Stats, Status, Unit,
};

// The command's JSON Lines scanner, so both write the same bytes.
use paradedup_jsonl as json;

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
fn py_err(e: LibError) -> PyErr {
    if e.is_io() {
        PyOSError::new_err(e.to_string())
    } else {
        Error::new_err(e.to_string())
    }
}

/// The option names every settings-taking function accepts, besides the normalization
/// switches ([`Normalizer::SWITCHES`]).
const SETTINGS_KEYS: &[&str] = &["unit", "scope", "normalize", "min_chars"];

/// The options of a deduper, parsed from Python keyword arguments.
struct Options {
    settings: Settings,
    scope: Scope,
}

/// A string option, as one of `choices` (`-` and `_` are the same).
fn choice<'a>(name: &str, value: &Bound<'_, PyAny>, choices: &[&'a str]) -> PyResult<&'a str> {
    let text: String = value.extract().map_err(|_| {
        PyTypeError::new_err(format!("{name} must be a str, not {}", type_name(value)))
    })?;
    let wanted = text.replace('-', "_");
    choices
        .iter()
        .find(|c| **c == wanted)
        .copied()
        .ok_or_else(|| {
            let names: Vec<String> = choices.iter().map(|c| format!("'{c}'")).collect();
            PyValueError::new_err(format!(
                "{name} must be one of {}, got {text:?}",
                names.join(", ")
            ))
        })
}

fn type_name(value: &Bound<'_, PyAny>) -> String {
    value
        .get_type()
        .name()
        .map_or_else(|_| "?".to_owned(), |n| n.to_string())
}

/// A boolean option: only `True` or `False`.
fn flag(name: &str, value: &Bound<'_, PyAny>) -> PyResult<bool> {
    value.extract::<bool>().map_err(|_| {
        PyTypeError::new_err(format!(
            "{name} must be True or False, not {}",
            type_name(value)
        ))
    })
}

/// A count option: an `int` from `min` up.
fn count(name: &str, value: &Bound<'_, PyAny>, min: u64) -> PyResult<u64> {
    let n: i128 = value.extract().map_err(|_| {
        PyTypeError::new_err(format!("{name} must be an int, not {}", type_name(value)))
    })?;
    if n < i128::from(min) || n > i128::from(u32::MAX) * 1024 {
        return Err(PyValueError::new_err(format!(
            "{name} must be an int from {min} up, got {n}"
        )));
    }
    Ok(n as u64)
}

/// Parses the settings options of `kwargs`; keys in `extra` are left for the caller, any
/// other key is a `TypeError`, as Python reports an unexpected keyword argument.
fn parse_options(kwargs: Option<&Bound<'_, PyDict>>, extra: &[&str]) -> PyResult<Options> {
    let mut options = Options {
        settings: Settings::default(),
        scope: Scope::Document,
    };
    let Some(kwargs) = kwargs else {
        return Ok(options);
    };
    let mut switches: Vec<(&str, bool)> = Vec::new();
    let mut preset = "standard";
    for (key, value) in kwargs.iter() {
        let key: String = key.extract()?;
        match key.as_str() {
            "unit" => {
                options.settings.unit = match choice("unit", &value, &["lines", "blank_lines"])? {
                    "lines" => Unit::Lines,
                    _ => Unit::BlankLines,
                }
            }
            "scope" => {
                options.scope = match choice("scope", &value, &["document", "corpus"])? {
                    "document" => Scope::Document,
                    _ => Scope::Corpus,
                }
            }
            "normalize" => {
                preset = choice("normalize", &value, &["standard", "exact", "ccnet"])?;
            }
            "min_chars" => {
                options.settings.min_chars = count("min_chars", &value, 0)? as usize;
            }
            other if Normalizer::SWITCHES.contains(&other) => {
                if !value.is_none() {
                    let name = Normalizer::SWITCHES[Normalizer::SWITCHES
                        .iter()
                        .position(|k| *k == other)
                        .unwrap_or(0)];
                    switches.push((name, flag(other, &value)?));
                }
            }
            other if extra.contains(&other) => {}
            other => {
                return Err(PyTypeError::new_err(format!(
                    "unexpected keyword argument {other:?}; the options are: {}",
                    SETTINGS_KEYS
                        .iter()
                        .chain(&Normalizer::SWITCHES)
                        .chain(extra)
                        .copied()
                        .collect::<Vec<_>>()
                        .join(", ")
                )))
            }
        }
    }
    let base = match preset {
        "exact" => Normalizer::exact(),
        "ccnet" => {
            if let Some((name, _)) = switches.first() {
                return Err(PyValueError::new_err(format!(
                    "normalize='ccnet' reproduces CCNet exactly and takes no switch (got {name})"
                )));
            }
            Normalizer::ccnet()
        }
        _ => Normalizer::standard(),
    };
    options.settings.normalizer = switches.iter().fold(base, |n, &(name, on)| {
        n.with_switch(name, on)
            .expect("the keyword switches are the library's")
    });
    Ok(options)
}

impl Options {
    fn builder(&self) -> DeduperBuilder {
        let mut builder = Deduper::builder();
        builder
            .unit(self.settings.unit)
            .normalizer(self.settings.normalizer)
            .min_chars(self.settings.min_chars)
            .scope(self.scope);
        builder
    }
}

/// The text of a Python `str` as UTF-8: a clear `TypeError` for anything else, and Python's
/// `UnicodeEncodeError` (a `ValueError`) for a string holding a lone surrogate.
///
/// Borrowed, never copied: an ASCII `str` is its own UTF-8, and CPython encodes any other
/// once and caches the result in the `str` (an encoder written here from CPython's one-, two-
/// and four-byte forms was measured slower than CPython's own).
fn text_of<'a>(value: &'a Bound<'_, PyAny>, what: &str) -> PyResult<&'a str> {
    let string = value.cast::<PyString>().map_err(|_| {
        PyTypeError::new_err(format!("{what} must be a str, not {}", type_name(value)))
    })?;
    string.to_str()
}

/// The removed extents (byte spans, in order) of `text` as code point ranges, adjacent ones
/// merged.
fn char_cuts(text: &str, removed: impl Iterator<Item = Span>) -> Vec<(usize, usize)> {
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
fn kept_text(text: Bound<'_, PyAny>, cuts: &[(usize, usize)]) -> PyResult<Py<PyAny>> {
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

fn parts(fp: Fingerprint) -> (u64, u64) {
    fp.to_parts()
}

/// One paragraph of a text and its fingerprint, as `fingerprints` returns them.
#[pyclass(module = "paradedup", frozen, get_all)]
struct Paragraph {
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

/// The verdict on one paragraph, as `Deduper.verdicts` returns them.
#[pyclass(module = "paradedup", frozen, get_all)]
struct Verdict {
    /// The paragraph's number in its document, from 0.
    index: u64,
    /// "kept", "duplicate", "near_duplicate", "boilerplate" or "exempt".
    status: &'static str,
    /// Its first code point.
    start: usize,
    /// One past its last code point.
    end: usize,
    /// Its first byte in UTF-8.
    byte_start: usize,
    /// One past its last byte.
    byte_end: usize,
    /// (high, low) halves of the fingerprint; None when exempt.
    fingerprint: Option<(u64, u64)>,
    /// (document, paragraph) of the first occurrence of a duplicate, when the seen-set keeps
    /// origins.
    first: Option<(u64, u64)>,
}

#[pymethods]
impl Verdict {
    /// True when the paragraph is removed (a duplicate, a near-duplicate or boilerplate).
    #[getter]
    fn removed(&self) -> bool {
        matches!(self.status, "duplicate" | "near_duplicate" | "boilerplate")
    }

    fn __repr__(&self) -> String {
        format!(
            "Verdict(index={}, status={:?}, start={}, end={})",
            self.index, self.status, self.start, self.end
        )
    }
}

fn stats_dict<'py>(py: Python<'py>, stats: Stats) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item("documents", stats.documents)?;
    d.set_item("paragraphs", stats.paragraphs)?;
    d.set_item("duplicates", stats.duplicates)?;
    d.set_item("near_duplicates", stats.near_duplicates)?;
    d.set_item("boilerplate", stats.boilerplate)?;
    d.set_item("exempt", stats.exempt)?;
    d.set_item("bytes_in", stats.bytes_in)?;
    d.set_item("bytes_out", stats.bytes_out)?;
    Ok(d)
}

/// The fingerprints seen by a deduper: exact with origins, exact and compact, or a Bloom
/// filter. Save it after one batch, load it before the next, merge shards' sets.
#[pyclass(name = "SeenSet", module = "paradedup")]
#[derive(Clone)]
struct PySeenSet {
    inner: SeenSet,
}

#[pymethods]
impl PySeenSet {
    /// An empty set: kind "origins" (exact, remembers where each paragraph was first met) or
    /// "exact" (exact and compact, about a third of the memory).
    #[new]
    #[pyo3(signature = (kind = None))]
    fn new(kind: Option<&Bound<'_, PyAny>>) -> PyResult<PySeenSet> {
        let kind = match kind {
            Some(kind) => choice("kind", kind, &["origins", "exact"])?,
            None => "origins",
        };
        let inner = match kind {
            "origins" => SeenSet::new(),
            _ => SeenSet::exact(),
        };
        Ok(PySeenSet { inner })
    }

    /// A Bloom filter of fixed memory sized for `expected` paragraphs, wrongly taking a new
    /// paragraph for a repeat with probability about `fp_rate`.
    #[staticmethod]
    fn bloom(expected: u64, fp_rate: f64) -> PyResult<PySeenSet> {
        let inner = SeenSet::bloom(expected, fp_rate).map_err(py_err)?;
        Ok(PySeenSet { inner })
    }

    /// Loads a set saved by `save` (or the command's `--seen-out`); the settings options
    /// (unit, normalize, min_chars, switches) must be those it was saved with.
    #[staticmethod]
    #[pyo3(signature = (path, **options))]
    fn load(
        py: Python<'_>,
        path: PathBuf,
        options: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<PySeenSet> {
        let settings = parse_options(options, &[])?.settings;
        let inner = py
            .detach(|| SeenSet::load(&path, settings))
            .map_err(py_err)?;
        Ok(PySeenSet { inner })
    }

    /// Saves the set atomically to `path`, recording the settings options it was built under.
    #[pyo3(signature = (path, **options))]
    fn save(
        &self,
        py: Python<'_>,
        path: PathBuf,
        options: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<()> {
        let settings = parse_options(options, &[])?.settings;
        py.detach(|| self.inner.save(&path, settings))
            .map_err(py_err)
    }

    /// Adds every fingerprint of `other` to this set (the union of shards' sets).
    fn merge(&mut self, py: Python<'_>, other: &Bound<'_, PySeenSet>) -> PyResult<()> {
        let other = other.borrow();
        let (inner, other): (&mut SeenSet, &SeenSet) = (&mut self.inner, &other.inner);
        py.detach(|| inner.merge(other)).map_err(py_err)
    }

    /// True when the set holds this fingerprint, given as (high, low).
    fn __contains__(&self, fingerprint: (u64, u64)) -> bool {
        self.inner
            .contains(Fingerprint::from_parts(fingerprint.0, fingerprint.1))
    }

    fn __len__(&self) -> usize {
        self.inner.len()
    }

    /// "origins", "exact" or "bloom".
    #[getter]
    fn kind(&self) -> &'static str {
        match self.inner.kind() {
            SeenKind::Origins => "origins",
            SeenKind::Exact => "exact",
            _ => "bloom",
        }
    }

    /// Bytes of memory the set uses.
    #[getter]
    fn memory_usage(&self) -> usize {
        self.inner.memory_usage()
    }

    fn __repr__(&self) -> String {
        format!("SeenSet(kind={:?}, len={})", self.kind(), self.inner.len())
    }
}

/// In how many documents each paragraph stands: the first pass of boilerplate removal.
#[pyclass(name = "DocumentFrequency", module = "paradedup")]
struct PyDocumentFrequency {
    inner: Arc<DocumentFrequency>,
}

#[pymethods]
impl PyDocumentFrequency {
    /// Empty counts under the settings options (give the second pass's deduper the same).
    #[new]
    #[pyo3(signature = (**options))]
    fn new(options: Option<&Bound<'_, PyDict>>) -> PyResult<PyDocumentFrequency> {
        let settings = parse_options(options, &[])?.settings;
        Ok(PyDocumentFrequency {
            inner: Arc::new(DocumentFrequency::new(settings)),
        })
    }

    /// Counts the paragraphs of one document, each once.
    fn count(&mut self, py: Python<'_>, text: &Bound<'_, PyAny>) -> PyResult<()> {
        let text = text_of(text, "text")?;
        let inner = Arc::make_mut(&mut self.inner);
        py.detach(|| inner.count(text));
        Ok(())
    }

    /// Adds another shard's counts (made under the same settings).
    fn merge(&mut self, other: &Bound<'_, PyDocumentFrequency>) -> PyResult<()> {
        let other = Arc::clone(&other.borrow().inner);
        Arc::make_mut(&mut self.inner).merge(&other).map_err(py_err)
    }

    /// How many documents contain the paragraph with this (high, low) fingerprint.
    fn documents_containing(&self, fingerprint: (u64, u64)) -> u32 {
        self.inner
            .documents_containing(Fingerprint::from_parts(fingerprint.0, fingerprint.1))
    }

    /// Documents counted.
    #[getter]
    fn documents(&self) -> u64 {
        self.inner.documents()
    }

    fn __len__(&self) -> usize {
        self.inner.len()
    }
}

/// Removes repeated paragraphs, keeping first occurrences and every other byte as it was.
///
/// Options (keyword only): unit ("lines", "blank_lines"), scope ("document", "corpus"),
/// normalize ("standard", "exact", "ccnet"), min_chars (int), the normalization switches nfkc,
/// lowercase, punctuation, whitespace, strip_accents, fold_digits, drop_symbols (bool or None),
/// seen (a SeenSet to start from, corpus scope), boilerplate (a DocumentFrequency),
/// min_documents (int, default 2) and boilerplate_policy ("drop_all", "keep_first"), and
/// near-duplicates: near_dup (bool), near_threshold (float in (0, 1], default 0.6) and
/// near_shingles ("words:3" by default, or "chars:N"), and short_paragraphs: which short
/// repeats go ("in_boilerplate_blocks", the default: only in a block of removals or at a
/// document's head or tail; "remove_every_repeat"; or
/// "in_boilerplate_blocks:words=W,edge=E,block=B,documents=K").
///
/// One deduper is used by one thread at a time; the GIL is released while it works, so
/// several dedupers in several threads run in parallel.
#[pyclass(name = "Deduper", module = "paradedup")]
struct PyDeduper {
    inner: Deduper,
}

const DEDUPER_KEYS: &[&str] = &[
    "seen",
    "boilerplate",
    "min_documents",
    "boilerplate_policy",
    "near_dup",
    "near_threshold",
    "near_shingles",
    "short_paragraphs",
];

#[pymethods]
impl PyDeduper {
    #[new]
    #[pyo3(signature = (**options))]
    fn new(options: Option<&Bound<'_, PyDict>>) -> PyResult<PyDeduper> {
        let parsed = parse_options(options, DEDUPER_KEYS)?;
        let mut builder = parsed.builder();
        let get = |key: &str| -> PyResult<Option<Bound<'_, PyAny>>> {
            match options {
                Some(d) => Ok(d.get_item(key)?.filter(|v| !v.is_none())),
                None => Ok(None),
            }
        };
        if let Some(seen) = get("seen")? {
            if parsed.scope != Scope::Corpus {
                return Err(PyValueError::new_err(
                    "seen needs scope='corpus' (in document scope nothing is remembered between \
                     documents)",
                ));
            }
            let seen = seen.cast::<PySeenSet>().map_err(|_| {
                PyTypeError::new_err(format!("seen must be a SeenSet, not {}", type_name(&seen)))
            })?;
            builder.seen_set(seen.borrow().inner.clone());
        }
        let min_documents = get("min_documents")?
            .map(|v| count("min_documents", &v, 1))
            .transpose()?;
        let policy = get("boilerplate_policy")?
            .map(|v| choice("boilerplate_policy", &v, &["drop_all", "keep_first"]))
            .transpose()?;
        match get("boilerplate")? {
            Some(counts) => {
                let counts = counts.cast::<PyDocumentFrequency>().map_err(|_| {
                    PyTypeError::new_err(format!(
                        "boilerplate must be a DocumentFrequency, not {}",
                        type_name(&counts)
                    ))
                })?;
                let counts = Arc::clone(&counts.borrow().inner);
                if counts.settings() != parsed.settings {
                    return Err(PyValueError::new_err(
                        "boilerplate: the DocumentFrequency was counted under other settings \
                         (unit, normalize, min_chars, switches) than this deduper's",
                    ));
                }
                let policy = match policy {
                    Some("keep_first") => BoilerplatePolicy::KeepFirst,
                    _ => BoilerplatePolicy::DropAll,
                };
                let k = u32::try_from(min_documents.unwrap_or(2)).map_err(|_| {
                    PyValueError::new_err("min_documents must be at most 4294967295")
                })?;
                builder.boilerplate(counts, k, policy);
            }
            None => {
                if min_documents.is_some() || policy.is_some() {
                    return Err(PyValueError::new_err(
                        "min_documents and boilerplate_policy need boilerplate (a \
                         DocumentFrequency)",
                    ));
                }
            }
        }
        let near_dup = get("near_dup")?
            .map(|v| flag("near_dup", &v))
            .transpose()?
            .unwrap_or(false);
        let threshold = get("near_threshold")?
            .map(|v| {
                let t: f64 = v.extract().map_err(|_| {
                    PyTypeError::new_err(format!(
                        "near_threshold must be a float, not {}",
                        type_name(&v)
                    ))
                })?;
                if t > 0.0 && t <= 1.0 {
                    Ok(t)
                } else {
                    Err(PyValueError::new_err(format!(
                        "near_threshold must be in (0, 1], got {t}"
                    )))
                }
            })
            .transpose()?;
        let shingles = get("near_shingles")?
            .map(|v| {
                let text: String = v.extract().map_err(|_| {
                    PyTypeError::new_err(format!(
                        "near_shingles must be a str such as 'words:3' or 'chars:5', not {}",
                        type_name(&v)
                    ))
                })?;
                parse_shingles(&text)
            })
            .transpose()?;
        if let Some(v) = get("short_paragraphs")? {
            let text: String = v.extract().map_err(|_| {
                PyTypeError::new_err(format!(
                    "short_paragraphs must be a str such as 'remove_every_repeat', not {}",
                    type_name(&v)
                ))
            })?;
            let rule: ShortParagraphs = text
                .parse()
                .map_err(|e: LibError| PyValueError::new_err(e.to_string()))?;
            builder.short_paragraphs(rule);
        }
        if near_dup {
            let mut near = NearDup::new();
            if let Some(t) = threshold {
                near = near.threshold(t);
            }
            if let Some(shingles) = shingles {
                near = near.shingles(shingles);
            }
            builder.near_duplicates(near);
        } else if threshold.is_some() || shingles.is_some() {
            return Err(PyValueError::new_err(
                "near_threshold and near_shingles need near_dup=True",
            ));
        }
        Ok(PyDeduper {
            inner: builder.build(),
        })
    }

    /// The kept text of one document: repeated paragraphs removed with their line breaks.
    /// Returns the same str object when nothing is removed.
    fn dedup(&mut self, py: Python<'_>, text: Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        let s = text_of(&text, "text")?;
        let inner = &mut self.inner;
        let cuts = py.detach(|| {
            let removed = inner
                .verdicts(s)
                .filter(|v| v.status().is_removed())
                .map(|v| v.paragraph().extent());
            char_cuts(s, removed)
        });
        kept_text(text, &cuts)
    }

    /// Deduplicates a list of documents in order, on all cores (the same answer as calling
    /// `dedup` on each in turn).
    fn dedup_batch(
        &mut self,
        py: Python<'_>,
        texts: Vec<Bound<'_, PyAny>>,
    ) -> PyResult<Vec<Py<PyAny>>> {
        let strs: Vec<&str> = texts
            .iter()
            .map(|t| text_of(t, "every text"))
            .collect::<PyResult<_>>()?;
        let inner = &mut self.inner;
        let cuts: Vec<Vec<(usize, usize)>> = py.detach(|| {
            let done = inner.dedup_batch(&strs);
            done.iter()
                .zip(&strs)
                .map(|(d, s)| char_cuts(s, d.removed().iter().map(|r| r.extent())))
                .collect()
        });
        texts
            .into_iter()
            .zip(&cuts)
            .map(|(text, cuts)| kept_text(text, cuts))
            .collect()
    }

    /// The verdict on each paragraph of one document, in order, without building new text
    /// (the document counts as given, exactly as with `dedup`).
    fn verdicts(&mut self, py: Python<'_>, text: Bound<'_, PyAny>) -> PyResult<Vec<Verdict>> {
        let s = text_of(&text, "text")?;
        let inner = &mut self.inner;
        Ok(py.detach(|| {
            let mut points = CodePoints::new(s);
            inner
                .verdicts(s)
                .map(|v| {
                    let span = v.paragraph().span();
                    let chars = points.span(span);
                    let (status, first) = match v.status() {
                        Status::Kept { .. } => ("kept", None),
                        Status::Duplicate { first, .. } => (
                            "duplicate",
                            first.map(|o: Origin| (o.document, o.paragraph)),
                        ),
                        Status::Boilerplate { .. } => ("boilerplate", None),
                        Status::NearDuplicate { first, .. } => {
                            ("near_duplicate", Some((first.document, first.paragraph)))
                        }
                        _ => ("exempt", None),
                    };
                    Verdict {
                        index: v.index(),
                        status,
                        start: chars.start,
                        end: chars.end,
                        byte_start: span.start,
                        byte_end: span.end,
                        fingerprint: v.fingerprint().map(parts),
                        first,
                    }
                })
                .collect()
        }))
    }

    /// Counts over every document given so far, as a dict.
    #[getter]
    fn stats<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        stats_dict(py, self.inner.stats())
    }

    /// "document" or "corpus".
    #[getter]
    fn scope(&self) -> &'static str {
        match self.inner.scope() {
            Scope::Corpus => "corpus",
            _ => "document",
        }
    }

    /// The settings options fingerprints depend on, as keyword arguments for
    /// `SeenSet.load`/`save` and `DocumentFrequency`.
    #[getter]
    fn settings<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let s = self.inner.settings();
        let d = PyDict::new(py);
        d.set_item(
            "unit",
            match s.unit {
                Unit::BlankLines => "blank_lines",
                _ => "lines",
            },
        )?;
        let preset = s.normalizer.preset();
        let base = Normalizer::from_preset(preset);
        d.set_item(
            "normalize",
            match preset {
                paradedup::Preset::Exact => "exact",
                paradedup::Preset::Ccnet => "ccnet",
                _ => "standard",
            },
        )?;
        d.set_item("min_chars", s.min_chars)?;
        // The switches that differ from the preset.
        for name in Normalizer::SWITCHES {
            let on = s.normalizer.switch(name);
            if on != base.switch(name) {
                d.set_item(name, on)?;
            }
        }
        Ok(d)
    }

    /// A copy of the deduper's seen-set (in document scope: the last document's).
    fn seen_set(&self) -> PySeenSet {
        PySeenSet {
            inner: self.inner.seen().clone(),
        }
    }

    /// Saves the seen-set to `path` with this deduper's settings, to load in a later run.
    fn save_seen(&self, py: Python<'_>, path: PathBuf) -> PyResult<()> {
        let inner = &self.inner;
        py.detach(|| inner.seen().save(&path, inner.settings()))
            .map_err(py_err)
    }

    /// Forgets every fingerprint and count; keeps the options.
    fn reset(&mut self) {
        self.inner.reset();
    }

    fn __repr__(&self) -> String {
        format!(
            "Deduper(scope={:?}, settings={:?})",
            self.scope(),
            self.inner.settings()
        )
    }
}

/// `words:N` (N from 1 to 16) or `chars:N` (N from 1), as the command's `--near-shingles`.
fn parse_shingles(text: &str) -> PyResult<Shingles> {
    let bad = || {
        PyValueError::new_err(format!(
            "near_shingles must be 'words:N' (N from 1 to 16) or 'chars:N' (N from 1), got {text:?}"
        ))
    };
    let (kind, n) = text.split_once(':').ok_or_else(bad)?;
    let n: usize = n.parse().map_err(|_| bad())?;
    match kind {
        "words" if (1..=paradedup::MAX_SHINGLE_WORDS).contains(&n) => Ok(Shingles::Words(n)),
        "chars" if n >= 1 => Ok(Shingles::Chars(n)),
        _ => Err(bad()),
    }
}

/// Removes repeated paragraphs from one text (keyword options as for `Deduper`).
#[pyfunction]
#[pyo3(signature = (text, **options))]
fn dedup(
    py: Python<'_>,
    text: Bound<'_, PyAny>,
    options: Option<&Bound<'_, PyDict>>,
) -> PyResult<Py<PyAny>> {
    let mut deduper = PyDeduper::new(options)?;
    deduper.dedup(py, text)
}

/// Each paragraph of `text`: its spans in code points and bytes, and its 128-bit fingerprint
/// (None when exempt), under the settings options.
#[pyfunction]
#[pyo3(signature = (text, **options))]
fn fingerprints(
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
                    fingerprint: fingerprint.map(parts),
                }
            })
            .collect()
    }))
}

/// The normalized form of `text`: what decides a paragraph's identity.
#[pyfunction]
#[pyo3(signature = (text, **options))]
fn normalize(text: Bound<'_, PyAny>, options: Option<&Bound<'_, PyDict>>) -> PyResult<String> {
    let settings = parse_options(options, &[])?.settings;
    let s = text_of(&text, "text")?;
    Ok(settings.normalizer.normalize(s).into_owned())
}

/// A JSON line read: where its fields are, its decoded text, its content without terminator.
type Line<'l> = (json::Parsed, Cow<'l, str>, &'l [u8]);

/// The per-line work of `paradedup.spark`: JSON lines in, fingerprints or rewritten lines out,
/// with the command's own scanner and splicer.
#[pyclass(name = "JsonlCodec", module = "paradedup")]
struct JsonlCodec {
    text_field: String,
    id_field: String,
    fingerprinter: Fingerprinter,
}

/// A `u64` half of a fingerprint as Spark's signed long (the same 64 bits).
fn signed(x: u64) -> i64 {
    x as i64
}

impl JsonlCodec {
    /// The line's content and decoded text; `None` for a blank line (which the command skips).
    fn parse<'l>(&self, line: &'l str) -> PyResult<Option<Line<'l>>> {
        let (content, _) = json::split_terminator(line.as_bytes());
        if content.iter().all(u8::is_ascii_whitespace) {
            return Ok(None);
        }
        let (parsed, text) = json::parse_line(content, &self.text_field, &self.id_field)
            .map_err(|e| Error::new_err(e.to_string()))?;
        Ok(Some((parsed, text, content)))
    }
}

#[pymethods]
impl JsonlCodec {
    /// A codec for lines whose text is in `text_field`, under the settings options.
    #[new]
    #[pyo3(signature = (text_field = "text", id_field = "id", **options))]
    fn new(
        text_field: &str,
        id_field: &str,
        options: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<JsonlCodec> {
        Ok(JsonlCodec {
            fingerprinter: parse_options(options, &[])?.settings.fingerprinter(),
            text_field: text_field.to_owned(),
            id_field: id_field.to_owned(),
        })
    }

    /// The map stage: each distinct fingerprint of the line's text, with the index of its first
    /// paragraph, as (high, low, index) with the halves as signed 64-bit ints (Spark longs).
    /// Exempt paragraphs are left out. None for a blank line; `paradedup.Error` for a
    /// malformed one, with the command's message.
    fn first_fingerprints(
        &mut self,
        py: Python<'_>,
        line: Bound<'_, PyAny>,
    ) -> PyResult<Option<Vec<(i64, i64, u64)>>> {
        let line = text_of(&line, "line")?;
        let Some((_, text, _)) = self.parse(line)? else {
            return Ok(None);
        };
        let fingerprinter = &mut self.fingerprinter;
        Ok(Some(py.detach(|| {
            let mut seen = std::collections::HashSet::new();
            let mut out = Vec::new();
            for (i, (_, fp)) in fingerprinter.paragraphs(&text).enumerate() {
                if let Some(fp) = fp {
                    if seen.insert(fp) {
                        let (hi, lo) = fp.to_parts();
                        out.push((signed(hi), signed(lo), i as u64));
                    }
                }
            }
            out
        })))
    }

    /// The apply stage: the line with every non-exempt paragraph whose index is not in `keep`
    /// removed (as the command removes it, every other byte as it was), without its line
    /// terminator, and the number of paragraphs left. None for a blank line.
    fn apply(
        &mut self,
        py: Python<'_>,
        line: Bound<'_, PyAny>,
        keep: Vec<u64>,
    ) -> PyResult<Option<(String, u64)>> {
        let line = text_of(&line, "line")?;
        let Some((parsed, text, content)) = self.parse(line)? else {
            return Ok(None);
        };
        let fingerprinter = &mut self.fingerprinter;
        Ok(Some(py.detach(|| {
            let mut keep = keep;
            keep.sort_unstable();
            let mut cuts = Vec::new();
            let mut paragraphs = 0u64;
            for (i, (p, fp)) in fingerprinter.paragraphs(&text).enumerate() {
                paragraphs += 1;
                let exempt = fp.is_none();
                if !exempt && keep.binary_search(&(i as u64)).is_err() {
                    cuts.push(p.extent().range());
                }
            }
            let left = paragraphs - cuts.len() as u64;
            let mut out = Vec::with_capacity(content.len());
            json::splice_text(content, &parsed.text, &text, cuts, &mut out);
            // The line was a str and every splice is at a char boundary, with valid escapes.
            let out = String::from_utf8(out)
                .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
            (out, left)
        })))
    }
}

/// The compiled half of the `paradedup` Python package.
#[pymodule]
fn _paradedup(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(dedup, m)?)?;
    m.add_function(wrap_pyfunction!(fingerprints, m)?)?;
    m.add_function(wrap_pyfunction!(normalize, m)?)?;
    m.add_class::<PyDeduper>()?;
    m.add_class::<PySeenSet>()?;
    m.add_class::<PyDocumentFrequency>()?;
    m.add_class::<Paragraph>()?;
    m.add_class::<Verdict>()?;
    m.add_class::<JsonlCodec>()?;
    m.add("Error", m.py().get_type::<Error>())?;
    m.add("SEED", paradedup::SEED)?;
    Ok(())
}
