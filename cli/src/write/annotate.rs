//! `--annotate`: the spans of repeated paragraphs in Dolma's attribute layout, in code points.
//!
//! The library speaks byte offsets; Python and Dolma slice strings by code point, so every span
//! is converted here, once, on its way out. Nowhere else in the tool are the two mixed.

use std::io::Write as _;

use paradedup::{CodePoints, Span};

/// Appends one attribute line: `{"id":ID,"attributes":{"NAME":[[start,end,1.0],…]}}` and a
/// line break. `id` is a JSON value token, written as it was read; `name` is a JSON string
/// token.
pub fn push_line(id: &[u8], name: &[u8], text: &str, cuts: &[Span], out: &mut Vec<u8>) {
    out.extend_from_slice(b"{\"id\":");
    out.extend_from_slice(id);
    out.extend_from_slice(b",\"attributes\":{");
    out.extend_from_slice(name);
    out.extend_from_slice(b":[");
    let mut points = CodePoints::new(text);
    for (i, cut) in cuts.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        let chars = points.span(*cut);
        let (start, end) = (chars.start, chars.end);
        // Writing to a Vec cannot fail.
        let _ = write!(out, "[{start},{end},1.0]");
    }
    out.extend_from_slice(b"]}}\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_are_written_in_code_points() {
        let text = "é😀\nab\né😀\n";
        let second = text.rfind("é").unwrap();
        let mut out = Vec::new();
        push_line(
            b"1",
            b"\"dup\"",
            text,
            &[Span::new(second, text.len())],
            &mut out,
        );
        let value: serde_json::Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(value["attributes"]["dup"][0][0], 6);
        assert_eq!(value["attributes"]["dup"][0][1], 9);
    }

    #[test]
    fn lines_are_valid_json() {
        let mut out = Vec::new();
        push_line(
            b"\"d1\"",
            b"\"dup\"",
            "a\na\n",
            &[Span::new(2, 4)],
            &mut out,
        );
        let value: serde_json::Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(value["id"], "d1");
        assert_eq!(value["attributes"]["dup"][0][1], 4);
        assert_eq!(value["attributes"]["dup"][0][2], 1.0);
    }
}
