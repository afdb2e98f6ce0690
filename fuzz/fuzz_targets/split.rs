//! Fuzz target: see `dev/fuzz-checks/src/split.rs` for what is checked.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| paradedup_fuzz_checks::split::run(data));
