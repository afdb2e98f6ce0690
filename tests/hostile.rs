//! Hostile input for the library: each case states what must happen, and asserts it.

use paradedup::{paragraphs_of, Deduper, DocumentReader, Normalizer, Scope, SeenSet, Unit};
// These tests pin the exact-repeat semantics, so they ask for every repeat to be removed
// (the default keeps short repeats that look like structure: see tests/structure.rs).
use paradedup::ShortParagraphs;

/// A 100 MB single line, twice: the second copy goes, nothing panics, and the seen-set holds
/// one fingerprint. (The command's document-size limit is the hostile-input guard for JSON.)
#[test]
fn a_hundred_megabyte_line() {
    let line = "Ceci est une très longue ligne, répétée sans fin. ".repeat(100_000_000 / 52);
    assert!(line.len() >= 99_000_000);
    let doc = format!("{line}\n{line}");
    let mut d = Deduper::builder()
        .short_paragraphs(ShortParagraphs::RemoveEveryRepeat)
        .normalizer(Normalizer::exact())
        .build();
    let out = d.dedup(&doc);
    assert_eq!(out.text().len(), line.len() + 1);
    assert_eq!(out.removed().len(), 1);
}

/// Ten million empty lines: no paragraph, the text comes back borrowed and whole.
#[test]
fn ten_million_empty_lines() {
    let doc = "\n".repeat(10_000_000);
    let out = Deduper::builder()
        .short_paragraphs(ShortParagraphs::RemoveEveryRepeat)
        .build()
        .dedup(&doc);
    assert_eq!(out.stats().paragraphs, 0);
    assert_eq!(out.text().len(), doc.len());
}

/// Only U+2029: every separator ends an empty paragraph, so there are none.
#[test]
fn only_paragraph_separators() {
    let doc = "\u{2029}".repeat(100_000);
    for unit in [Unit::Lines, Unit::BlankLines] {
        assert_eq!(paragraphs_of(&doc, unit).count(), 0);
        assert_eq!(
            Deduper::builder()
                .short_paragraphs(ShortParagraphs::RemoveEveryRepeat)
                .unit(unit)
                .build()
                .dedup(&doc)
                .text(),
            doc
        );
    }
}

/// NUL bytes are content: `a\0b` repeats itself, `a\0c` does not.
#[test]
fn nul_bytes_are_content() {
    let out = Deduper::builder()
        .short_paragraphs(ShortParagraphs::RemoveEveryRepeat)
        .build()
        .dedup("a\0b\na\0b\na\0c\n\0\n\0\n");
    assert_eq!(out.text(), "a\0b\na\0c\n\0\n");
}

/// Every line ending at once, in every order: the same paragraphs as with `\n` alone.
#[test]
fn mixed_line_endings() {
    let doc = "x\r\ny\rx\nz\u{85}y\u{2028}z\u{2029}x\r\r\n";
    let out = Deduper::builder()
        .short_paragraphs(ShortParagraphs::RemoveEveryRepeat)
        .build()
        .dedup(doc);
    assert_eq!(out.text(), "x\r\ny\rz\u{85}");
    assert_eq!(out.stats().paragraphs, 7);
    assert_eq!(out.stats().duplicates, 4);
}

/// One million documents that are all the same paragraph: in corpus scope the first is kept,
/// the rest emptied, and the exact seen-set holds one fingerprint.
#[test]
fn a_million_documents_of_one_paragraph() {
    let mut d = Deduper::builder()
        .short_paragraphs(ShortParagraphs::RemoveEveryRepeat)
        .scope(Scope::Corpus)
        .seen_set(SeenSet::exact())
        .build();
    let mut out = String::new();
    let mut kept = 0;
    for i in 0..1_000_000 {
        let doc = if i % 2 == 0 {
            "S'abonner"
        } else {
            "S\u{2019}ABONNER !"
        };
        d.dedup_into(doc, &mut out);
        kept += usize::from(!out.is_empty());
    }
    assert_eq!(kept, 1);
    assert_eq!(d.seen().len(), 1);
    assert_eq!(d.stats().duplicates, 999_999);
}

/// A stream whose documents are not UTF-8 or too long fails with the document's number; the
/// reader's memory stays at the limit.
#[test]
fn a_stream_with_an_endless_document_is_stopped_by_the_limit() {
    let endless = std::io::repeat(b'x');
    let mut reader = DocumentReader::new(std::io::BufReader::new(endless));
    reader.max_document_len(1 << 20);
    let mut doc = String::new();
    let err = reader.read_document(&mut doc).unwrap_err();
    assert!(
        err.to_string()
            .contains("document 1 is longer than the limit"),
        "{err}"
    );
}
