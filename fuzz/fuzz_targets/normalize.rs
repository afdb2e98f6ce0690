//! Fuzz target: see `dev/fuzz-checks/src/normalize.rs` for what is checked.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| paradedup_fuzz_checks::normalize::run(data));
