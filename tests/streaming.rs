//! Streaming equals in-memory: documents read through `DocumentReader` with any buffer size,
//! and `dedup_iter` / `par_dedup_iter`, decide as `dedup` on each document in turn.

use std::io::{BufReader, Cursor};

use paradedup::{Deduper, DocumentReader, ErrorKind, Scope};
use proptest::prelude::*;

fn documents() -> impl Strategy<Value = Vec<String>> {
    let line = prop_oneof![
        Just("S'abonner".to_owned()),
        Just("0 Commentaires".to_owned()),
        Just("Article text".to_owned()),
        "[a-c \r\u{2028}é]{0,5}",
    ];
    prop::collection::vec(
        prop::collection::vec(line, 0..5).prop_map(|l| l.join("\u{2029}")),
        0..12,
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn reader_at_any_buffer_size_equals_in_memory(docs in documents(), capacity in 1usize..64) {
        let stream = docs.iter().map(|d| format!("{d}\0")).collect::<String>();
        let mut reader = DocumentReader::with_delimiter(
            BufReader::with_capacity(capacity, Cursor::new(stream.into_bytes())),
            b'\0',
        );
        let mut streamed = Deduper::builder().scope(Scope::Corpus).build();
        let mut in_memory = streamed.clone();
        let (mut doc, mut kept) = (String::new(), String::new());
        let mut n = 0;
        while reader.read_document(&mut doc).unwrap() {
            streamed.dedup_into(&doc, &mut kept);
            let expected = in_memory.dedup(&docs[n]).text().to_owned();
            prop_assert_eq!(&kept, &expected);
            n += 1;
        }
        prop_assert_eq!(n, docs.len());
        prop_assert_eq!(streamed.stats(), in_memory.stats());
    }

    #[test]
    fn dedup_iter_equals_dedup(docs in documents()) {
        let mut iterated = Deduper::builder().scope(Scope::Corpus).build();
        let mut one_by_one = iterated.clone();
        let outcomes: Vec<_> = iterated.dedup_iter(docs.iter().enumerate()).collect();
        for ((_, out), doc) in outcomes.iter().zip(&docs) {
            prop_assert_eq!(out, &one_by_one.dedup(doc));
        }
        prop_assert_eq!(outcomes.iter().map(|(id, _)| *id).collect::<Vec<_>>(), (0..docs.len()).collect::<Vec<_>>());
    }
}

#[cfg(feature = "rayon")]
proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn par_dedup_iter_equals_dedup_iter(docs in documents(), window in 1usize..6) {
        let mut serial = Deduper::builder().scope(Scope::Corpus).build();
        let mut parallel = serial.clone();
        let a: Vec<_> = serial.dedup_iter(docs.iter().enumerate()).collect();
        let b: Vec<_> = parallel.par_dedup_iter(docs.iter().enumerate(), window).collect();
        prop_assert_eq!(a, b);
    }
}

#[test]
fn bad_documents_are_errors_that_say_which() {
    let mut reader = DocumentReader::new(Cursor::new(b"fine\nbad \xff here\n".to_vec()));
    let mut doc = String::new();
    assert!(reader.read_document(&mut doc).unwrap());
    let err = reader.read_document(&mut doc).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidInput);
    assert!(err.to_string().contains("document 2"), "{err}");
    assert!(err.to_string().contains("offset 4"), "{err}");

    let mut reader = DocumentReader::new(Cursor::new(vec![b'x'; 1000]));
    reader.max_document_len(100);
    let err = reader.read_document(&mut doc).unwrap_err();
    assert!(
        err.to_string()
            .contains("longer than the limit of 100 bytes"),
        "{err}"
    );
}
