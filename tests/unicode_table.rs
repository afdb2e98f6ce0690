//! The normalizer's code point table is what its generator makes of the Unicode crates and
//! `std` as built now: a new Unicode version in any of them fails this test until the table
//! is regenerated (`cargo run -p paradedup-unicode-tables`).

#[test]
fn checked_in_table_is_what_the_generator_makes() {
    let checked_in = include_str!("../src/normalize/general/props/table_data.rs");
    let generated = paradedup_unicode_tables::generate();
    assert!(
        checked_in == generated,
        "src/normalize/general/props/table_data.rs is stale: run `cargo run -p paradedup-unicode-tables`"
    );
}
