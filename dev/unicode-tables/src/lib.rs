//! The generator of `src/normalize/general/props/table_data.rs`: per code point, what the normalizer's
//! reference path asks of the Unicode crates and of `std`, worked out once and stored as a
//! two-level table.
//!
//! Each code point gets one palette entry (a `u64`):
//!
//! | bits | meaning |
//! |---|---|
//! | 0..3 | class: [`LETTER`], [`OTHER`], [`DIGIT`], [`SPACE`], [`PUNCTUATION`], [`SYMBOL`], [`EMOJI_COMPONENT`], [`MARK`] |
//! | 3..5 | NFKC quick check: [`QC_YES`], [`QC_MAYBE`], [`QC_NO`] |
//! | 5 | [`MULTI_LOWER`]: `to_lowercase` gives several characters |
//! | 8..16 | canonical combining class |
//! | 32..64 | the simple lowercase as an offset from the code point (`i32`), 0 for a character that is already lowercase (`char::is_lowercase`) |
//!
//! The code points, by `code point >> SHIFT`, index blocks of `1 << SHIFT` palette indices (a
//! byte each);
//! identical blocks are stored once. The library reads the same layout; a test in the library
//! regenerates the file and compares.

use std::fmt::Write as _;

use unicode_normalization::char::canonical_combining_class;
use unicode_normalization::{is_nfkc_quick, IsNormalized};
use unicode_properties::{GeneralCategory, GeneralCategoryGroup, UnicodeGeneralCategory};

/// Class: `Alphabetic`.
pub const LETTER: u64 = 0;
/// Class: none of the others (unassigned, controls, format characters, `No`, `Nl` that is not
/// alphabetic...).
pub const OTHER: u64 = 1;
/// Class: general category `Nd`.
pub const DIGIT: u64 = 2;
/// Class: `White_Space`.
pub const SPACE: u64 = 3;
/// Class: general category `P*`.
pub const PUNCTUATION: u64 = 4;
/// Class: general category `S*`.
pub const SYMBOL: u64 = 5;
/// Class: the emoji joiner and presentation selectors U+200D, U+FE0E, U+FE0F.
pub const EMOJI_COMPONENT: u64 = 6;
/// Class: general category `M*`, not alphabetic.
pub const MARK: u64 = 7;

/// NFKC quick check `Yes`, in bits 3..5.
pub const QC_YES: u64 = 0;
/// NFKC quick check `Maybe`, in bits 3..5.
pub const QC_MAYBE: u64 = 1 << 3;
/// NFKC quick check `No`, in bits 3..5.
pub const QC_NO: u64 = 2 << 3;
/// `to_lowercase` gives more than one character.
pub const MULTI_LOWER: u64 = 1 << 5;

/// The palette entry of `c`, from the same functions the reference path calls.
pub fn entry(c: char) -> u64 {
    let class = if c.is_alphabetic() {
        LETTER
    } else if c.is_whitespace() {
        SPACE
    } else if matches!(c, '\u{200D}' | '\u{FE0E}' | '\u{FE0F}') {
        EMOJI_COMPONENT
    } else {
        match c.general_category_group() {
            GeneralCategoryGroup::Punctuation => PUNCTUATION,
            GeneralCategoryGroup::Symbol => SYMBOL,
            GeneralCategoryGroup::Number
                if c.general_category() == GeneralCategory::DecimalNumber =>
            {
                DIGIT
            }
            GeneralCategoryGroup::Mark => MARK,
            _ => OTHER,
        }
    };
    let qc = match is_nfkc_quick(core::iter::once(c)) {
        IsNormalized::Yes => QC_YES,
        IsNormalized::Maybe => QC_MAYBE,
        IsNormalized::No => QC_NO,
    };
    let ccc = u64::from(canonical_combining_class(c)) << 8;
    let (multi, delta) = if c.is_lowercase() {
        (0, 0)
    } else {
        let mut lower = c.to_lowercase();
        match (lower.next(), lower.next()) {
            (Some(l), None) => (0, i64::from(l as u32) - i64::from(c as u32)),
            _ => (MULTI_LOWER, 0),
        }
    };
    class | qc | multi | ccc | ((delta as i32 as u32 as u64) << 32)
}

/// The table: `(shift, index, blocks, palette)`, with the block size that makes it smallest.
pub fn table() -> (u32, Vec<u16>, Vec<u8>, Vec<u64>) {
    let mut palette: Vec<u64> = Vec::new();
    let mut of_entry = std::collections::HashMap::new();
    let ids: Vec<u8> = (0..0x11_0000u32)
        .map(|cp| {
            // Surrogates are no `char`; they never occur in a `str`.
            let e = char::from_u32(cp).map_or(entry('\u{E000}'), entry);
            *of_entry.entry(e).or_insert_with(|| {
                palette.push(e);
                // A palette index per code point in a byte: Unicode has far fewer than 256
                // distinct entries (the case offsets are few).
                u8::try_from(palette.len() - 1).expect("at most 256 distinct entries")
            })
        })
        .collect();
    let mut best: Option<(u32, Vec<u16>, Vec<u8>)> = None;
    for shift in 4..=9u32 {
        let size = 1usize << shift;
        let mut blocks: Vec<u8> = Vec::new();
        let mut seen = std::collections::HashMap::new();
        let index: Vec<u16> = ids
            .chunks(size)
            .map(|block| {
                *seen.entry(block.to_vec()).or_insert_with(|| {
                    blocks.extend_from_slice(block);
                    u16::try_from(blocks.len() / size - 1).expect("blocks fit u16")
                })
            })
            .collect();
        let bytes = |i: &[u16], b: &[u8]| 2 * i.len() + b.len();
        if best
            .as_ref()
            .is_none_or(|(_, i, b)| bytes(&index, &blocks) < bytes(i, b))
        {
            best = Some((shift, index, blocks));
        }
    }
    let (shift, index, blocks) = best.expect("some block size");
    (shift, index, blocks, palette)
}

/// The text of `table_data.rs`.
pub fn generate() -> String {
    let (shift, index, blocks, palette) = table();
    let mut out = String::new();
    let (a, b, c) = unicode_normalization::UNICODE_VERSION;
    let (d, e, f) = char::UNICODE_VERSION;
    let _ = writeln!(
        out,
        "//! Generated by dev/unicode-tables (`cargo run -p paradedup-unicode-tables`); do not edit.\n\
         //! From unicode-normalization (Unicode {a}.{b}.{c}), unicode-properties and std (Unicode\n\
         //! {d}.{e}.{f}). The layout is described in dev/unicode-tables/src/lib.rs.\n"
    );
    let _ = writeln!(out, "/// Code points per block: `1 << SHIFT`.");
    let _ = writeln!(out, "pub(super) const SHIFT: u32 = {shift};\n");
    let mut array = |name: &str, doc: &str, ty: &str, values: Vec<String>, per_line: usize| {
        let _ = writeln!(out, "/// {doc}");
        let _ = writeln!(out, "#[rustfmt::skip]");
        let _ = writeln!(
            out,
            "pub(super) static {name}: [{ty}; {}] = [",
            values.len()
        );
        for line in values.chunks(per_line) {
            let _ = writeln!(out, "    {},", line.join(", "));
        }
        let _ = writeln!(out, "];\n");
    };
    array(
        "INDEX",
        "Per `code point >> SHIFT`: its block.",
        "u16",
        index.iter().map(u16::to_string).collect(),
        20,
    );
    array(
        "BLOCKS",
        "The blocks, one after the other: per code point, its palette entry.",
        "u8",
        blocks.iter().map(u8::to_string).collect(),
        20,
    );
    array(
        "PALETTE",
        "The distinct entries.",
        "u64",
        palette.iter().map(|e| format!("0x{e:016X}")).collect(),
        5,
    );
    out.truncate(out.trim_end().len());
    out.push('\n');
    out
}
