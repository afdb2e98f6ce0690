//! The seen-set classes: `SeenSet` (the fingerprints a deduper has met, to save, load and
//! merge between runs and shards) and `DocumentFrequency` (the boilerplate counting pass).

use std::path::PathBuf;
use std::sync::Arc;

use pyo3::prelude::*;
use pyo3::types::PyDict;

use paradedup::{DocumentFrequency, Fingerprint, SeenKind, SeenSet};

use crate::error::py_err;
use crate::options::{one_of, parse_options};
use crate::text::text_of;

/// The fingerprints seen by a deduper: exact with origins, exact and compact, or a Bloom
/// filter. Save it after one batch, load it before the next, merge shards' sets.
#[pyclass(name = "SeenSet", module = "paradedup")]
#[derive(Clone)]
pub(crate) struct PySeenSet {
    pub(crate) inner: SeenSet,
}

#[pymethods]
impl PySeenSet {
    /// An empty set: kind "origins" (exact, remembers where each paragraph was first met) or
    /// "exact" (exact and compact, about a third of the memory).
    #[new]
    #[pyo3(signature = (kind = None))]
    fn new(kind: Option<&Bound<'_, PyAny>>) -> PyResult<PySeenSet> {
        let inner = match kind {
            Some(kind) => one_of("kind", kind, &["origins", "exact"], |text| match text {
                "origins" => Some(SeenSet::new()),
                "exact" => Some(SeenSet::exact()),
                _ => None,
            })?,
            None => SeenSet::new(),
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
pub(crate) struct PyDocumentFrequency {
    pub(crate) inner: Arc<DocumentFrequency>,
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
