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
    let unspilled: Result<(), core::convert::Infallible> =
        stream_line(id, name, text, cuts, out, |_| Ok(()));
    let Ok(()) = unspilled;
}

/// A line of more spans than this is not built whole in a share of a batch but streamed to
/// the output ([`stream_line`]): about 25 bytes each, so a share's buffer for one document
/// stays under a few megabytes, where a document of tiny repeated lines would make its line
/// many times the document's size.
pub const STREAM_SPANS: usize = 1 << 16;

/// [`push_line`] in pieces: `spill` is called with `out` whenever another piece has been
/// written, to hand it on (a sink's `flush_if_full`), so the line is never held whole.
///
/// # Errors
///
/// What `spill` returns.
pub fn stream_line<E>(
    id: &[u8],
    name: &[u8],
    text: &str,
    cuts: &[Span],
    out: &mut Vec<u8>,
    mut spill: impl FnMut(&mut Vec<u8>) -> Result<(), E>,
) -> Result<(), E> {
    out.extend_from_slice(b"{\"id\":");
    out.extend_from_slice(id);
    out.extend_from_slice(b",\"attributes\":{");
    out.extend_from_slice(name);
    out.extend_from_slice(b":[");
    let mut points = CodePoints::new(text);
    for (i, cut) in cuts.iter().enumerate() {
        if i > 0 {
            out.push(b',');
            if i % 4096 == 0 {
                spill(out)?;
            }
        }
        let chars = points.span(*cut);
        let (start, end) = (chars.start, chars.end);
        // Writing to a Vec cannot fail.
        let _ = write!(out, "[{start},{end},1.0]");
    }
    out.extend_from_slice(b"]}}\n");
    Ok(())
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
