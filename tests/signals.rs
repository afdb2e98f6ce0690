//! `Signals` against a plain computation of each field, written here the way the definitions
//! read (Python's `split`, `strip` and `len`), on texts mixing repeats, blank lines, `\r\n`,
//! Unicode line breaks and whitespace, and non-ASCII letters.

use paradedup::{Deduper, DocumentFrequency, Scope, Signals, Unit};
use proptest::prelude::*;

/// Python's `str.isspace`.
fn is_py_space(c: char) -> bool {
    matches!(
        c,
        '\t' | '\n'
            | '\u{b}'
            | '\u{c}'
            | '\r'
            | '\u{1c}'
            | '\u{1d}'
            | '\u{1e}'
            | '\u{1f}'
            | ' '
            | '\u{85}'
            | '\u{a0}'
            | '\u{1680}'
            | '\u{2000}'
            ..='\u{200a}' | '\u{2028}' | '\u{2029}' | '\u{202f}' | '\u{205f}' | '\u{3000}'
    )
}

/// Python's `len`.
fn len(s: &str) -> u64 {
    s.chars().count() as u64
}

/// datatrove's `find_duplicates`: elements equal to an earlier one, and their length.
fn find_duplicates(elements: &[String]) -> (u64, u64) {
    let mut unique: Vec<&String> = Vec::new();
    let (mut count, mut chars) = (0, 0);
    for element in elements {
        if unique.contains(&element) {
            count += 1;
            chars += len(element);
        } else {
            unique.push(element);
        }
    }
    (count, chars)
}

/// `re.split(pattern, text)` for `pattern` = `\n{min,}`, character by character.
fn split_runs(text: &str, min: usize) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    let mut pieces = vec![String::new()];
    let mut i = 0;
    while i < chars.len() {
        if chars[i] == '\n' {
            let mut j = i;
            while j < chars.len() && chars[j] == '\n' {
                j += 1;
            }
            if j - i >= min {
                pieces.push(String::new());
            } else {
                for _ in i..j {
                    pieces.last_mut().unwrap().push('\n');
                }
            }
            i = j;
        } else {
            pieces.last_mut().unwrap().push(chars[i]);
            i += 1;
        }
    }
    pieces
}

fn py_strip(s: &str) -> &str {
    s.trim_matches(is_py_space)
}

fn frac(a: u64, b: u64) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}

/// Text drawn from a few paragraphs (so that repeats are common) and every kind of separator.
fn document() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("Menu".to_owned()),
        Just("menu!".to_owned()),
        Just("Lire aussi".to_owned()),
        Just("été".to_owned()),
        Just("  padded  ".to_owned()),
        Just("***".to_owned()),
        Just("\u{1c}".to_owned()),
        Just("\u{a0}".to_owned()),
        "[a-cé ]{0,6}",
    ];
    let separator = prop_oneof![
        Just("\n"),
        Just("\n\n"),
        Just("\n\n\n"),
        Just("\r\n"),
        Just("\r"),
        Just("\u{2028}"),
        Just("\u{2029}"),
        Just("\u{85}"),
        Just(" \n \n"),
        Just(""),
    ];
    proptest::collection::vec((piece, separator), 0..12)
        .prop_map(|parts| parts.into_iter().map(|(p, s)| p + s).collect::<String>())
}

fn unit() -> impl Strategy<Value = Unit> {
    prop_oneof![Just(Unit::Lines), Just(Unit::BlankLines)]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn every_field_matches_a_plain_computation(doc in document(), unit in unit()) {
        let mut deduper = Deduper::builder().unit(unit).build();
        let out = deduper.dedup(&doc);
        let s = Signals::new(&doc, &out, unit);

        // Removed: the engine's paragraphs, their own text.
        let all: Vec<&str> = paradedup::paragraphs_of(&doc, unit).map(|p| p.as_str()).collect();
        let removed: Vec<&str> = out.removed().iter().map(|r| &doc[r.span()]).collect();
        prop_assert_eq!(s.paragraphs, all.len() as u64);
        prop_assert_eq!(s.paragraphs, out.stats().paragraphs);
        prop_assert_eq!(s.removed_paragraphs, removed.len() as u64);
        let all_chars: u64 = all.iter().map(|p| len(p)).sum();
        let removed_chars: u64 = removed.iter().map(|p| len(p)).sum();
        prop_assert_eq!(s.paragraph_chars, all_chars);
        prop_assert_eq!(s.removed_chars, removed_chars);
        prop_assert_eq!(s.removed_paragraph_fraction(), frac(removed.len() as u64, all.len() as u64));
        prop_assert_eq!(s.removed_char_fraction(), frac(removed_chars, all_chars));

        // The same from the extents.
        let by_extent = Signals::from_removed(&doc, out.removed().iter().map(|r| r.extent()), unit);
        prop_assert_eq!(by_extent, s);

        // CCNet.
        prop_assert_eq!(s.original_nlines, doc.split('\n').count() as u64);
        prop_assert_eq!(s.original_length, len(&doc));

        // Gopher.
        let lines = split_runs(&doc, 1);
        let (dup_lines, dup_line_chars) = find_duplicates(&lines);
        prop_assert_eq!(s.gopher_lines, lines.len() as u64);
        prop_assert_eq!(s.gopher_dup_lines, dup_lines);
        prop_assert_eq!(s.gopher_dup_line_chars, dup_line_chars);
        prop_assert_eq!(s.dup_line_frac(), frac(dup_lines, lines.len() as u64));
        prop_assert_eq!(s.dup_line_char_frac(), frac(dup_line_chars, len(&doc)));
        let paragraphs = split_runs(py_strip(&doc), 2);
        let (dup_paras, dup_para_chars) = find_duplicates(&paragraphs);
        prop_assert_eq!(s.gopher_paragraphs, paragraphs.len() as u64);
        prop_assert_eq!(s.gopher_dup_paragraphs, dup_paras);
        prop_assert_eq!(s.gopher_dup_paragraph_chars, dup_para_chars);
        prop_assert_eq!(s.dup_para_frac(), frac(dup_paras, paragraphs.len() as u64));
        prop_assert_eq!(s.dup_para_char_frac(), frac(dup_para_chars, len(&doc)));

        // FineWeb.
        let non_empty: Vec<String> = doc
            .split('\n')
            .filter(|l| !py_strip(l).is_empty())
            .map(str::to_owned)
            .collect();
        let (_, fineweb_chars) = find_duplicates(&non_empty);
        prop_assert_eq!(s.fineweb_dup_line_chars, fineweb_chars);
        prop_assert_eq!(s.char_dup_ratio(), frac(fineweb_chars, len(&doc.replace('\n', ""))));
    }

    #[test]
    fn kept_document_counts_match_a_plain_count(
        docs in proptest::collection::vec(document(), 1..5),
        unit in unit(),
    ) {
        let mut deduper = Deduper::builder().unit(unit).scope(Scope::Corpus).build();
        let mut counts = DocumentFrequency::new(deduper.settings());
        docs.iter().for_each(|d| counts.count(d));
        let mut fingerprinter = deduper.settings().fingerprinter();
        // Each document's set of fingerprints, counted plainly.
        let sets: Vec<Vec<_>> = docs
            .iter()
            .map(|d| fingerprinter.paragraphs(d).filter_map(|(_, fp)| fp).collect())
            .collect();
        for doc in &docs {
            let out = deduper.dedup(doc);
            let by_span = Signals::kept_document_counts(doc, out.removed().iter().map(|r| r.span()), &counts);
            let by_extent = Signals::kept_document_counts(doc, out.removed().iter().map(|r| r.extent()), &counts);
            prop_assert_eq!(&by_span, &by_extent);
            let got = by_span;
            let removed: Vec<u64> = out.removed().iter().map(|r| r.index()).collect();
            let want: Vec<(paradedup::Span, u32)> = fingerprinter
                .paragraphs(doc)
                .enumerate()
                .filter(|(i, _)| !removed.contains(&(*i as u64)))
                .map(|(_, (p, fp))| match fp {
                    None => (p.span(), 0),
                    Some(fp) => (p.span(), sets.iter().filter(|set| set.contains(&fp)).count() as u32),
                })
                .collect();
            prop_assert_eq!(got, want);
        }
    }
}

#[test]
fn spans_not_in_the_document_are_passed_over() {
    let s = Signals::from_removed(
        "é\né",
        [paradedup::Span::new(1, 2), paradedup::Span::new(3, 99)],
        Unit::Lines,
    );
    assert_eq!((s.removed_paragraphs, s.removed_chars), (0, 0));
    assert_eq!(
        (s.paragraphs, s.paragraph_chars, s.original_length),
        (2, 2, 3)
    );
}

#[test]
fn an_empty_document_has_every_fraction_zero() {
    let out = Deduper::new().dedup("");
    let s = Signals::new("", &out, Unit::Lines);
    assert_eq!(
        (s.original_nlines, s.gopher_lines, s.gopher_paragraphs),
        (1, 1, 1)
    );
    for f in [
        s.removed_paragraph_fraction(),
        s.removed_char_fraction(),
        s.dup_line_frac(),
        s.dup_line_char_frac(),
        s.dup_para_frac(),
        s.dup_para_char_frac(),
        s.char_dup_ratio(),
    ] {
        assert_eq!(f, 0.0);
    }
}
