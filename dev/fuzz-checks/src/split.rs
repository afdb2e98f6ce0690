//! Splitting, both units: spans ordered, disjoint and in bounds; each span is its trimmed text;
//! extents partition the text from the first paragraph's line to the end; nothing outside the
//! spans but whitespace (and a leading byte-order mark); every `Lines` paragraph lies inside one
//! `BlankLines` paragraph.

use paradedup::{paragraphs_of, Paragraph, Unit};

fn check(text: &str, unit: Unit) -> Vec<Paragraph<'_>> {
    let ps: Vec<Paragraph<'_>> = paragraphs_of(text, unit).collect();
    let bom = if text.starts_with('\u{FEFF}') { 3 } else { 0 };
    let mut covered = bom;
    for (i, p) in ps.iter().enumerate() {
        let (span, extent) = (p.span(), p.extent());
        assert!(span.start < span.end, "{unit:?}: empty span {span:?}");
        assert!(span.end <= text.len(), "{unit:?}: span out of bounds");
        assert!(extent.start <= span.start && span.end <= extent.end);
        assert_eq!(&text[span], p.as_str());
        assert_eq!(p.as_str().trim(), p.as_str(), "{unit:?}: span not trimmed");
        // Everything between the last paragraph and this one is whitespace.
        assert!(
            text[covered..span.start].chars().all(char::is_whitespace),
            "{unit:?}: non-whitespace outside every paragraph in {:?}",
            &text[covered..span.start]
        );
        covered = span.end;
        if i == 0 {
            assert!(text[bom..extent.start].chars().all(char::is_whitespace));
        } else {
            assert_eq!(
                ps[i - 1].extent().end,
                extent.start,
                "extents not contiguous"
            );
            assert!(ps[i - 1].span().end <= extent.start, "spans overlap");
        }
        if unit == Unit::Lines {
            assert!(
                !p.as_str()
                    .contains(['\n', '\r', '\u{85}', '\u{2028}', '\u{2029}']),
                "a line holds a line break"
            );
        }
    }
    assert!(text[covered..].chars().all(char::is_whitespace));
    if let Some(last) = ps.last() {
        assert_eq!(
            last.extent().end,
            text.len(),
            "the last extent ends the text"
        );
    }
    ps
}

/// Checks one fuzz input: panics when an invariant fails.
pub fn run(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let lines = check(&text, Unit::Lines);
    let blocks = check(&text, Unit::BlankLines);
    assert!(lines.len() >= blocks.len());
    // Each line lies inside exactly one block, and each block starts and ends on a line.
    let mut b = 0;
    for line in &lines {
        while b < blocks.len() && blocks[b].span().end < line.span().end {
            b += 1;
        }
        let block = blocks.get(b).expect("a line outside every block");
        assert!(block.span().start <= line.span().start && line.span().end <= block.span().end);
    }
    for block in &blocks {
        assert!(lines.iter().any(|l| l.span().start == block.span().start));
        assert!(lines.iter().any(|l| l.span().end == block.span().end));
    }
}
