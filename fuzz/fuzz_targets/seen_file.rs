//! Fuzz target: see `dev/fuzz-checks/src/seen_file.rs` for what is checked.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| paradedup_fuzz_checks::seen_file::run(data));
