//! Fuzz target: see `fuzz/checks/dedup_docs.rs` for what is checked.
#![no_main]

#[path = "../checks/dedup_docs.rs"]
mod check;

libfuzzer_sys::fuzz_target!(|data: &[u8]| check::run(data));
