//! The deduper over a sequence of documents, every unit, preset, scope and exact seen-set:
//! against a plain reference (a map from normalized text to its first occurrence), the removed
//! paragraphs are exactly the repeats, each reported with its first occurrence; their extents
//! are ordered, disjoint and in bounds; the kept text is the input minus exactly those extents;
//! `dedup_into` and `verdicts` decide the same; the counts add up.

use std::collections::HashMap;

use paradedup::{
    paragraphs_of, Deduper, Normalizer, Origin, Scope, SeenSet, ShortParagraphs, Status, Unit,
};

/// Checks one fuzz input: panics when an invariant fails.
pub fn run(data: &[u8]) {
    if data.len() < 2 {
        return;
    }
    let (config, rest) = (data[0], &data[2..]);
    let unit = if config & 1 == 0 {
        Unit::Lines
    } else {
        Unit::BlankLines
    };
    let normalizer = match (config >> 1) & 3 {
        0 => Normalizer::exact(),
        1 => Normalizer::standard(),
        2 => Normalizer::ccnet(),
        _ => Normalizer::standard()
            .fold_digits(true)
            .strip_accents(true)
            .drop_symbols(true),
    };
    let scope = if config & 8 == 0 {
        Scope::Document
    } else {
        Scope::Corpus
    };
    let origins = config & 16 == 0;
    let min_chars = usize::from(data[1] % 4);
    // The reference below is exact-repeat dedup: every repeat removed.
    let mut deduper = Deduper::builder()
        .short_paragraphs(ShortParagraphs::RemoveEveryRepeat)
        .unit(unit)
        .normalizer(normalizer)
        .scope(scope)
        .min_chars(min_chars)
        .seen_set(if origins {
            SeenSet::new()
        } else {
            SeenSet::exact()
        })
        .build();

    // Documents are separated by 0xFF, which never occurs in UTF-8.
    let documents: Vec<String> = rest
        .split(|&b| b == 0xFF)
        .take(32)
        .map(|d| String::from_utf8_lossy(d).into_owned())
        .collect();
    let mut first: HashMap<String, Origin> = HashMap::new();
    let mut kept_buf = String::new();
    for (number, doc) in documents.iter().enumerate() {
        if scope == Scope::Document {
            first.clear();
        }
        // The reference: which paragraphs are repeats, and of what.
        let paragraphs: Vec<_> = paragraphs_of(doc, unit).collect();
        let mut expected = Vec::new();
        for (index, p) in paragraphs.iter().enumerate() {
            let norm = normalizer.normalize(p.as_str()).into_owned();
            if norm.is_empty() || norm.chars().count() < min_chars {
                continue;
            }
            let here = Origin {
                document: number as u64,
                paragraph: index as u64,
            };
            if let Some(origin) = first.get(&norm) {
                expected.push((index, *origin));
            } else {
                first.insert(norm, here);
            }
        }

        let mut twin = deduper.clone();
        let mut third = deduper.clone();
        let out = deduper.dedup(doc);
        let removed = out.removed();
        assert_eq!(
            removed.len(),
            expected.len(),
            "{unit:?} {normalizer:?}: wrong number removed"
        );
        let mut kept = String::new();
        let mut from = 0;
        for (r, (index, origin)) in removed.iter().zip(&expected) {
            assert_eq!(r.index() as usize, *index, "a different paragraph removed");
            let p = paragraphs[*index];
            assert_eq!((r.span(), r.extent()), (p.span(), p.extent()));
            assert!(
                from <= r.extent().start,
                "extents out of order or overlapping"
            );
            assert!(r.extent().end <= doc.len());
            assert_eq!(
                r.first(),
                origins.then_some(*origin),
                "wrong first occurrence"
            );
            kept.push_str(&doc[from..r.extent().start]);
            from = r.extent().end;
        }
        kept.push_str(&doc[from..]);
        assert_eq!(
            out.text(),
            kept,
            "kept text is not the input minus the removed extents"
        );
        let removed_bytes: usize = removed.iter().map(|r| r.extent().len()).sum();
        assert_eq!(kept.len() + removed_bytes, doc.len(), "bytes lost");
        let stats = out.stats();
        assert_eq!(stats.paragraphs as usize, paragraphs.len());
        assert_eq!(stats.duplicates as usize, removed.len());
        assert_eq!(stats.bytes_in as usize, doc.len());
        assert_eq!(stats.bytes_out as usize, kept.len());

        let stats_into = twin.dedup_into(doc, &mut kept_buf);
        assert_eq!(kept_buf, kept);
        assert_eq!(stats_into, stats);
        let verdicts: Vec<usize> = third
            .verdicts(doc)
            .filter(|v| matches!(v.status(), Status::Duplicate { .. }))
            .map(|v| v.index() as usize)
            .collect();
        assert_eq!(verdicts, expected.iter().map(|e| e.0).collect::<Vec<_>>());
    }
    assert_eq!(deduper.stats().documents as usize, documents.len());
}
