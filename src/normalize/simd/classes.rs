//! What the SIMD kernel needs of one table, worked out once when the table is built: the
//! separators as nibble tables, and which letters beyond ASCII it may copy (or lowercase) as
//! it copies ASCII.

use crate::normalize::table::CharTable;

/// What the kernel needs of a table: the separator set as nibble tables, and whether kept
/// letters are lowercased.
#[derive(Clone, Copy, Debug)]
pub(super) struct AsciiClasses {
    /// Per low nibble: bit `h` set when byte `h << 4 | low` is a separator (`h` < 8).
    pub(super) low: [u8; 16],
    /// Per high nibble `h`: `1 << h` for ASCII, 0 above.
    pub(super) high: [u8; 16],
    pub(super) lowercase: bool,
    /// The table keeps each Latin-1 letter U+00C0..U+00FF as it is, or lowercases it when
    /// `lowercase` (its second byte gains 0x20), so those letters can stay in a chunk.
    pub(super) latin1: bool,
    /// Second bytes `xx` of the separators `C2 xx` (U+0080..U+00BF), for the kernel.
    pub(super) c2_separators: ContinuationSet,
    /// Third bytes `xx` of the separators `E2 80 xx` (U+2000..U+203F), for the kernel.
    pub(super) e280_separators: ContinuationSet,
    /// Third bytes `xx` of the separators `E3 80 xx` (U+3000..U+303F: the ideographic space,
    /// `、`, `。`, `「」`), for the kernel.
    pub(super) e380_separators: ContinuationSet,
    /// Third bytes `xx` of the separators `EF BC xx` (U+FF00..U+FF3F: full-width `，`, `：`,
    /// `？`, `！`, …), for the kernel.
    pub(super) efbc_separators: ContinuationSet,
    /// The table keeps basic Cyrillic letters as they are, or lowercases them when
    /// `lowercase` (А..П gain 0x20 on their second byte; Р..Я, `D0 A0`..`D0 AF`, become
    /// `D1 80`..`D1 8F`), and CJK ideographs as they are, so the kernel can take them.
    pub(super) cyrillic_cjk: bool,
}

impl AsciiClasses {
    /// The classes of `table`, whose normalizer lowercases when `lowercase`, or `None` when
    /// some kept ASCII byte becomes something other than itself or its lowercase.
    pub(super) fn new(table: &CharTable, lowercase: bool) -> Option<AsciiClasses> {
        let ascii = table.ascii();
        let two_byte = table.two_byte();
        // The separators of U+2000..U+203F, U+3000..U+303F and U+FF00..U+FF3F.
        let punctuation = [
            table.page(0x2000)?,
            table.page(0x3000)?,
            table.page(0xFF00)?,
        ];
        let ideographs_kept = table.copies(0x4E00..0xA000);
        let latin1 = &two_byte[0xC0 - 0x80..0x100 - 0x80];
        let mut low = [0u8; 16];
        let mut high = [0u8; 16];
        for (h, bit) in high.iter_mut().take(8).enumerate() {
            *bit = 1 << h;
        }
        for (b, &entry) in ascii.iter().enumerate() {
            let b = b as u8;
            let kept = entry >> 8 != 0;
            let out = entry as u8;
            let expected = if lowercase { b.to_ascii_lowercase() } else { b };
            if !kept {
                low[usize::from(b & 0xF)] |= 1 << (b >> 4);
            } else if out != expected {
                return None;
            }
        }
        let latin1 = latin1.len() == 64
            && latin1.iter().zip(0x80u8..=0xBF).all(|(&entry, second)| {
                let upper = (0x80..=0x9E).contains(&second) && second != 0x97;
                let out = if lowercase && upper {
                    second + 0x20
                } else {
                    second
                };
                entry == u64::from(u16::from_le_bytes([0xC3, out])) | 2 << 32
            });
        let kept_as = |cp: usize, out: [u8; 2]| {
            two_byte.get(cp - 0x80) == Some(&(u64::from(u16::from_le_bytes(out)) | 2 << 32))
        };
        let cyrillic = (0x410..0x420).all(|cp| {
            let [lead, second] = encode2(cp);
            kept_as(cp, [lead, if lowercase { second + 0x20 } else { second }])
        }) && (0x420..0x430).all(|cp| {
            let [lead, second] = encode2(cp);
            kept_as(
                cp,
                if lowercase {
                    [lead + 1, second - 0x20]
                } else {
                    [lead, second]
                },
            )
        }) && (0x430..0x450)
            .chain([0x451])
            .all(|cp| kept_as(cp, encode2(cp)));
        Some(AsciiClasses {
            low,
            high,
            lowercase,
            latin1,
            cyrillic_cjk: cyrillic && ideographs_kept,
            c2_separators: ContinuationSet::separators(&two_byte[..64]),
            e280_separators: ContinuationSet::separators(punctuation[0]),
            e380_separators: ContinuationSet::separators(punctuation[1]),
            efbc_separators: ContinuationSet::separators(punctuation[2]),
        })
    }
}

/// A set of UTF-8 continuation bytes (`0x80..=0xBF`) in the nibble-table form of
/// [`AsciiClasses`]: bit `h - 8` of `low[l]` is set when byte `h << 4 | l` is in the set, and
/// [`CONTINUATION_HIGH`] selects that bit by the high nibble.
#[derive(Clone, Copy, Debug)]
pub(super) struct ContinuationSet {
    pub(super) low: [u8; 16],
}

impl ContinuationSet {
    /// The continuation bytes whose character, among 64 consecutive table `entries`, is a
    /// separator (an entry of length 0).
    fn separators(entries: &[u64]) -> ContinuationSet {
        let mut low = [0u8; 16];
        for (byte, &entry) in (0x80u8..=0xBF).zip(entries) {
            if entry >> 32 == 0 {
                low[usize::from(byte & 0xF)] |= 1 << ((byte >> 4) - 8);
            }
        }
        ContinuationSet { low }
    }
}

/// Per high nibble: its bit in [`ContinuationSet::low`], 0 outside `8..=0xB`.
pub(super) const CONTINUATION_HIGH: [u8; 16] = [0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 4, 8, 0, 0, 0, 0];

/// The UTF-8 of a two-byte code point.
fn encode2(cp: usize) -> [u8; 2] {
    [0xC0 | (cp >> 6) as u8, 0x80 | (cp & 0x3F) as u8]
}
