//! Python bindings: the `paradedup._paradedup` extension module, built by maturin from this
//! crate's `pyproject.toml` (`pip install ./bindings/python`). The Python package in
//! `bindings/python/python/paradedup` re-exports it, with type stubs, and adds
//! `paradedup.spark`.
//!
//! Every function borrows the Python string's UTF-8 form (no copy) and releases the GIL while
//! the Rust work runs, so Python threads deduplicate in parallel. Library errors become
//! `paradedup.Error` (a `ValueError`), or `OSError` for I/O, with the library's message.
//!
//! The JSON Lines helpers used by `paradedup.spark` reuse the command's own line scanner and
//! splicer (the `paradedup-jsonl` crate), so a line rewritten by Spark has exactly the bytes
//! the command writes.
//!
//! One module a concept: `options` reads settings from keyword arguments, `text` converts
//! between Python strings and the library's byte spans, `deduper` and `seen` hold the classes,
//! `jsonl` the per-line work of the Spark job, and `error` the exception.

// PyO3's macros expand to FFI glue (`unsafe` blocks, `#[no_mangle]` entry points): allowed in
// this crate only; the workspace denies `unsafe_code` everywhere else.
#![allow(unsafe_code)]

use pyo3::prelude::*;

mod deduper;
mod error;
mod jsonl;
mod options;
mod seen;
mod text;

/// The compiled half of the `paradedup` Python package.
#[pymodule]
fn _paradedup(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(deduper::dedup, m)?)?;
    m.add_function(wrap_pyfunction!(text::fingerprints, m)?)?;
    m.add_function(wrap_pyfunction!(text::normalize, m)?)?;
    m.add_class::<deduper::PyDeduper>()?;
    m.add_class::<seen::PySeenSet>()?;
    m.add_class::<seen::PyDocumentFrequency>()?;
    m.add_class::<text::Paragraph>()?;
    m.add_class::<deduper::Verdict>()?;
    m.add_class::<jsonl::JsonlCodec>()?;
    m.add("Error", m.py().get_type::<error::Error>())?;
    m.add("SEED", paradedup::SEED)?;
    Ok(())
}
