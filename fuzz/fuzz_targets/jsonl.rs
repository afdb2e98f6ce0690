//! Fuzz target: see `fuzz/checks/jsonl.rs` for what is checked.
#![no_main]

#[path = "../checks/jsonl.rs"]
mod check;

libfuzzer_sys::fuzz_target!(|data: &[u8]| check::run(data));
