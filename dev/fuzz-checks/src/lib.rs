//! The checks paradedup's fuzz targets run, one module a target, each a `run(&[u8])` that
//! panics when an invariant fails. The fuzz targets (`fuzz/fuzz_targets/`) call them under
//! libFuzzer; `tests/regressions.rs` replays every saved input (`fuzz/regressions/<target>/`)
//! under `cargo test`, on stable, so a fixed bug stays fixed without a fuzzer.

pub mod dedup_docs;
pub mod jsonl;
pub mod normalize;
pub mod seen_file;
pub mod split;
