//! The per-line work of `paradedup.spark`: JSON lines in, fingerprints or rewritten lines out,
//! with the command's own scanner and splicer (the `paradedup-jsonl` crate), so both write the
//! same bytes.

use std::borrow::Cow;

use pyo3::prelude::*;
use pyo3::types::PyDict;

use paradedup::{FingerprintBuildHasher, Fingerprinter};
use paradedup_jsonl as json;

use crate::error::Error;
use crate::options::parse_options;
use crate::text::text_of;

/// A JSON line read: where its fields are, its decoded text, its content without terminator.
type Line<'l> = (json::Parsed, Cow<'l, str>, &'l [u8]);

/// The per-line work of `paradedup.spark`: JSON lines in, fingerprints or rewritten lines out,
/// with the command's own scanner and splicer.
#[pyclass(name = "JsonlCodec", module = "paradedup")]
pub(crate) struct JsonlCodec {
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
            // Fingerprints are their own hash, as in the library's sets: SipHash over each
            // paragraph's fingerprint would be a second hash of every paragraph.
            let mut seen =
                std::collections::HashSet::with_hasher(FingerprintBuildHasher::default());
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
