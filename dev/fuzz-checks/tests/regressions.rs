//! The fuzz targets' checks (this crate, the same code the fuzzer runs) replayed on every
//! input in `fuzz/regressions/<target>/`: seeds that cover the edge cases by hand, and
//! every crash the fuzzer ever found, so a fixed bug stays fixed without a fuzzer or a nightly
//! compiler. See `docs/testing.md` (Fuzzing) for the campaign itself.

use std::fs;
use std::path::Path;

use paradedup_fuzz_checks::{dedup_docs, jsonl, normalize, seen_file, split};

/// Runs `check` on every file in the target's directory; there must be some.
fn replay(target: &str, check: fn(&[u8])) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../fuzz/regressions")
        .join(target);
    let mut paths: Vec<_> = fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .collect();
    paths.sort();
    assert!(!paths.is_empty(), "no inputs in {}", dir.display());
    for path in paths {
        let data = fs::read(&path).unwrap();
        let outcome = std::panic::catch_unwind(|| check(&data));
        assert!(outcome.is_ok(), "{} fails its check", path.display());
    }
}

#[test]
fn split_regressions() {
    replay("split", split::run);
}

#[test]
fn normalize_regressions() {
    replay("normalize", normalize::run);
}

#[test]
fn dedup_docs_regressions() {
    replay("dedup_docs", dedup_docs::run);
}

#[test]
fn jsonl_regressions() {
    replay("jsonl", jsonl::run);
}

#[test]
fn seen_file_regressions() {
    replay("seen_file", seen_file::run);
}
