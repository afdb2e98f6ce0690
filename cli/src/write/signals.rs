//! `--signals`: each document's [`Signals`] as one line of Dolma attributes, every value a
//! span over the whole document (`[[0, length, value]]`, the length in code points).

use std::io::Write as _;

use paradedup::{CodePoints, DocumentFrequency, Signals, Span, Unit};

/// The attribute names' common start.
const PREFIX: &str = "paradedup__signals__";

/// The signals of `text` with the extents `cuts` removed, split by `unit`.
pub fn of(text: &str, cuts: &[Span], unit: Unit) -> Signals {
    Signals::from_removed(text, cuts.iter().copied(), unit)
}

/// Each kept paragraph's span and the number of documents it stands in, when a first pass
/// counted them (`--boilerplate`); `None` otherwise.
pub fn kept(
    text: &str,
    cuts: &[Span],
    counts: Option<&DocumentFrequency>,
) -> Option<Vec<(Span, u32)>> {
    counts.map(|counts| Signals::kept_document_counts(text, cuts.iter().copied(), counts))
}

/// Appends one attribute line, `{"id":ID,"attributes":{"paradedup__signals__NAME":[[0,LEN,V]],…}}`,
/// and a line break. `id` is a JSON value token, written as it was read. With `kept` (the
/// [`kept`] paragraphs of `text`), `kept_document_count` gives each its span (in code points)
/// and number of documents.
pub fn push_line(
    id: &[u8],
    text: &str,
    signals: &Signals,
    kept: Option<&[(Span, u32)]>,
    out: &mut Vec<u8>,
) {
    let length = signals.original_length;
    let fractions = [
        (
            "removed_paragraph_fraction",
            signals.removed_paragraph_fraction(),
        ),
        ("removed_char_fraction", signals.removed_char_fraction()),
        ("dup_line_frac", signals.dup_line_frac()),
        ("dup_para_frac", signals.dup_para_frac()),
        ("dup_line_char_frac", signals.dup_line_char_frac()),
        ("dup_para_char_frac", signals.dup_para_char_frac()),
        ("char_dup_ratio", signals.char_dup_ratio()),
    ];
    let counts = [
        ("paragraphs", signals.paragraphs),
        ("removed_paragraphs", signals.removed_paragraphs),
        ("original_nlines", signals.original_nlines),
        ("original_length", signals.original_length),
    ];
    out.extend_from_slice(b"{\"id\":");
    out.extend_from_slice(id);
    out.extend_from_slice(b",\"attributes\":{");
    // Writing to a Vec cannot fail. `{:?}` writes the shortest f64 that reads back the same,
    // always a JSON number: the fractions are finite (0 where the denominator is 0).
    for (i, (name, value)) in fractions.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        let _ = write!(out, "\"{PREFIX}{name}\":[[0,{length},{value:?}]]");
    }
    for (name, value) in counts {
        let _ = write!(out, ",\"{PREFIX}{name}\":[[0,{length},{value}]]");
    }
    if let Some(kept) = kept {
        let _ = write!(out, ",\"{PREFIX}kept_document_count\":[");
        let mut points = CodePoints::new(text);
        for (i, (span, documents)) in kept.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            let chars = points.span(*span);
            let _ = write!(out, "[{},{},{documents}]", chars.start, chars.end);
        }
        out.push(b']');
    }
    out.extend_from_slice(b"}}\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_is_json_with_every_signal() {
        let text = "é\nb\né\n";
        let second = text.rfind('é').unwrap();
        let signals = of(text, &[Span::new(second, text.len())], Unit::Lines);
        let mut out = Vec::new();
        push_line(b"\"d\"", text, &signals, None, &mut out);
        let value: serde_json::Value = serde_json::from_slice(&out).unwrap();
        let attributes = value["attributes"].as_object().unwrap();
        assert_eq!(attributes.len(), 11);
        let removed = &attributes["paradedup__signals__removed_paragraph_fraction"][0];
        assert_eq!(removed[1], 6); // code points, not bytes
        assert_eq!(removed[2].as_f64(), Some(1.0 / 3.0));
        assert_eq!(attributes["paradedup__signals__original_nlines"][0][2], 4);
    }
}
