//! `--annotate`: the spans of repeated paragraphs in Dolma's attribute layout, in code points.
//!
//! The library speaks byte offsets; Python and Dolma slice strings by code point, so every span
//! is converted here, once, on its way out. Nowhere else in the tool are the two mixed.

use std::io::Write as _;

use paradedup::Span;

/// Converts byte spans of `text` (increasing, disjoint, on char boundaries, as the library
/// gives them) into code point offsets, in one pass over the text they cover.
pub fn code_points(text: &str, spans: &[Span]) -> Vec<(usize, usize)> {
    let mut out = Vec::with_capacity(spans.len());
    let (mut byte, mut point) = (0, 0);
    for span in spans {
        point += text[byte..span.start].chars().count();
        let start = point;
        point += text[span.start..span.end].chars().count();
        out.push((start, point));
        byte = span.end;
    }
    out
}

/// Appends one attribute line: `{"id":ID,"attributes":{"NAME":[[start,end,1.0],…]}}` and a
/// line break. `id` is a JSON value token, written as it was read; `name` is a JSON string
/// token.
pub fn push_line(id: &[u8], name: &[u8], text: &str, cuts: &[Span], out: &mut Vec<u8>) {
    out.extend_from_slice(b"{\"id\":");
    out.extend_from_slice(id);
    out.extend_from_slice(b",\"attributes\":{");
    out.extend_from_slice(name);
    out.extend_from_slice(b":[");
    for (i, (start, end)) in code_points(text, cuts).into_iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        // Writing to a Vec cannot fail.
        let _ = write!(out, "[{start},{end},1.0]");
    }
    out.extend_from_slice(b"]}}\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn byte_spans_become_code_point_spans() {
        let text = "é😀\nab\né😀\n";
        let second = text.rfind("é").unwrap();
        let spans = [Span::new(second, text.len())];
        assert_eq!(code_points(text, &spans), [(6, 9)]);
        let chars: Vec<char> = text.chars().collect();
        assert_eq!(chars[6..9].iter().collect::<String>(), "é😀\n");
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
