//! Fuzz target: see `fuzz/checks/normalize.rs` for what is checked.
#![no_main]

#[path = "../checks/normalize.rs"]
mod check;

libfuzzer_sys::fuzz_target!(|data: &[u8]| check::run(data));
