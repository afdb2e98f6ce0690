//! Fuzz target: see `fuzz/checks/split.rs` for what is checked.
#![no_main]

#[path = "../checks/split.rs"]
mod check;

libfuzzer_sys::fuzz_target!(|data: &[u8]| check::run(data));
