//! `--signals`: each document's [`Signals`] as one line of Dolma attributes, every value a
//! span over the whole document (`[[0, length, value]]`, the length in code points).

use std::io::Write as _;

use paradedup::{Signals, Span, Unit};

/// The attribute names' common start.
const PREFIX: &str = "paradedup__signals__";

/// The signals of `text` with the extents `cuts` removed, split by `unit`.
pub fn of(text: &str, cuts: &[Span], unit: Unit) -> Signals {
    Signals::from_removed(text, cuts.iter().copied(), unit)
}

/// Appends one attribute line, `{"id":ID,"attributes":{"paradedup__signals__NAME":[[0,LEN,V]],…}}`,
/// and a line break. `id` is a JSON value token, written as it was read.
pub fn push_line(id: &[u8], signals: &Signals, out: &mut Vec<u8>) {
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
        push_line(b"\"d\"", &signals, &mut out);
        let value: serde_json::Value = serde_json::from_slice(&out).unwrap();
        let attributes = value["attributes"].as_object().unwrap();
        assert_eq!(attributes.len(), 11);
        let removed = &attributes["paradedup__signals__removed_paragraph_fraction"][0];
        assert_eq!(removed[1], 6); // code points, not bytes
        assert_eq!(removed[2].as_f64(), Some(1.0 / 3.0));
        assert_eq!(attributes["paradedup__signals__original_nlines"][0][2], 4);
    }
}
