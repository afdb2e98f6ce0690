//! The `Deduper` class, the one-call `dedup` function and the `Verdict` it reports per
//! paragraph.

use std::path::PathBuf;
use std::sync::Arc;

use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::PyDict;

use paradedup::{
    BoilerplatePolicy, CodePoints, Deduper, Fingerprint, NearDup, Origin, Scope, Shingles,
    ShortParagraphs, Stats, Status, MAX_SHINGLE_WORDS,
};

use crate::error::py_err;
use crate::options::{count, flag, named, parse_options, python_name, settings_dict, type_name};
use crate::seen::{PyDocumentFrequency, PySeenSet};
use crate::text::{char_cuts, kept_text, text_of};

/// The verdict on one paragraph, as `Deduper.verdicts` returns them.
#[pyclass(module = "paradedup", frozen, get_all)]
pub(crate) struct Verdict {
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
    /// True when the paragraph is removed (a duplicate, a near-duplicate or boilerplate).
    removed: bool,
}

#[pymethods]
impl Verdict {
    fn __repr__(&self) -> String {
        format!(
            "Verdict(index={}, status={:?}, start={}, end={})",
            self.index, self.status, self.start, self.end
        )
    }
}

/// A deduper's counts as a dict.
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
    d.set_item("removed_paragraph_bytes", stats.removed_paragraph_bytes)?;
    Ok(d)
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
pub(crate) struct PyDeduper {
    inner: Deduper,
}

/// The options of `Deduper` besides the settings ones.
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
            .map(|v| {
                named::<BoilerplatePolicy>("boilerplate_policy", &v, &["drop_all", "keep_first"])
            })
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
                let policy = policy.unwrap_or_default();
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
                text.parse::<Shingles>().map_err(|_| {
                    PyValueError::new_err(format!(
                        "near_shingles must be 'words:N' (N from 1 to {MAX_SHINGLE_WORDS}) or \
                         'chars:N' (N from 1), got {text:?}"
                    ))
                })
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
                .map_err(|e: paradedup::Error| PyValueError::new_err(e.to_string()))?;
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
                .filter(|v| v.is_removed())
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
                        removed: v.is_removed(),
                        index: v.index(),
                        status,
                        start: chars.start,
                        end: chars.end,
                        byte_start: span.start,
                        byte_end: span.end,
                        fingerprint: v.fingerprint().map(Fingerprint::to_parts),
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
    fn scope(&self) -> String {
        python_name(self.inner.scope())
    }

    /// The settings options fingerprints depend on, as keyword arguments for
    /// `SeenSet.load`/`save` and `DocumentFrequency`.
    #[getter]
    fn settings<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        settings_dict(py, self.inner.settings())
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

/// Removes repeated paragraphs from one text (keyword options as for `Deduper`).
#[pyfunction]
#[pyo3(signature = (text, **options))]
pub(crate) fn dedup(
    py: Python<'_>,
    text: Bound<'_, PyAny>,
    options: Option<&Bound<'_, PyDict>>,
) -> PyResult<Py<PyAny>> {
    let mut deduper = PyDeduper::new(options)?;
    deduper.dedup(py, text)
}
