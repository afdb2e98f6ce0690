//! Fuzz target: see `fuzz/checks/seen_file.rs` for what is checked.
#![no_main]

#[path = "../checks/seen_file.rs"]
mod check;

libfuzzer_sys::fuzz_target!(|data: &[u8]| check::run(data));
