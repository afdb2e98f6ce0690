//! Faults of the corpus memory in the library: a Bloom filter's size and fill, and the
//! near-duplicate stage's memory on one very long paragraph.

use paradedup::{Deduper, Fingerprint, NearDup, Origin, SeenSet, MAX_NEAR_BYTES};

#[test]
fn a_bloom_filter_for_no_fingerprint_is_refused() {
    assert!(SeenSet::bloom(0, 1e-3).is_err());
    assert!(SeenSet::bloom_bytes(0, 1e-3).is_err());
}

#[test]
fn a_bloom_filter_says_how_full_it_is() {
    let mut seen = SeenSet::bloom(1000, 1e-3).unwrap();
    let bytes = SeenSet::bloom_bytes(1000, 1e-3).unwrap();
    assert_eq!(bytes as usize, seen.memory_usage());
    for i in 0..1000u32 {
        seen.insert(Fingerprint::of(&format!("p{i}")), Origin::default());
    }
    let at_design = seen.bloom_fill().unwrap();
    assert!(at_design.ratio() > 0.99 && at_design.ratio() <= 1.0);
    // At the design point the estimate is the rate asked for, within rounding of the size.
    assert!(
        (at_design.estimated_fp_rate / 1e-3 - 1.0).abs() < 0.2,
        "{at_design:?}"
    );
    for i in 1000..2000u32 {
        seen.insert(Fingerprint::of(&format!("p{i}")), Origin::default());
    }
    let twice = seen.bloom_fill().unwrap();
    assert!(twice.estimated_fp_rate > 5.0 * twice.fp_rate, "{twice:?}");
    assert_eq!(SeenSet::exact().bloom_fill(), None);
}

/// A paragraph of distinct words longer than the near-duplicate limit is left to exact dedup:
/// its shingles are never held, so the stage's memory stays small.
#[test]
fn a_very_long_paragraph_is_left_to_exact_dedup() {
    let mut text = String::new();
    let mut i = 0u64;
    while text.len() <= MAX_NEAR_BYTES + 1000 {
        text.push_str(&format!("w{i} "));
        i += 1;
    }
    let doc = format!("{text}\nsomething else entirely here\n{text}");
    let mut deduper = Deduper::builder().near_duplicates(NearDup::new()).build();
    let out = deduper.dedup(&doc);
    // The repeat is still found, exactly.
    assert_eq!(out.removed().len(), 1);
    assert!(
        deduper.near_memory_usage() < 1 << 20,
        "{} bytes of near-duplicate state for one long paragraph",
        deduper.near_memory_usage()
    );
}
