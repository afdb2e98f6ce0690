//! The SIMD step, once for every instruction set: [`run`] decides, for a register's worth of
//! text, which bytes the step takes, which are separators and which are kept, and writes the
//! kept ones; [`normalize`] is the table's loop with that step in it.

use super::classes::CONTINUATION_HIGH;
use super::{AsciiClasses, LaneMask, Lanes};
use crate::normalize::table::CharTable;

/// [`CharTable::normalize`] with [`run`] as its chunk step, for the instruction set of `V`.
///
/// # Safety
///
/// The CPU must have the features `V` needs, and the caller must be compiled with them (the
/// entry point of each instruction set, which this is inlined into).
#[allow(unsafe_code)]
#[inline(always)]
pub(super) unsafe fn normalize<V: Lanes>(
    table: &CharTable,
    classes: &AsciiClasses,
    text: &str,
    buf: &mut Vec<u8>,
) -> Option<usize> {
    table.normalize_with(
        text,
        buf,
        V::LANES,
        Some(
            #[inline(always)]
            |rest: &[u8], buf: &mut [u8], n: &mut usize, after: &mut bool| {
                // SAFETY: the caller's contract.
                unsafe { run::<V>(classes, rest, buf, n, after) }
            },
        ),
        classes.cyrillic_cjk,
    )
}

/// Normalizes the bytes at the start of `rest` that a chunk takes (ASCII, and the letters and
/// separators beyond it that `classes` allows), [`Lanes::LANES`] at a time while each chunk
/// takes them all, into `buf` at `*n`, as the table's byte-at-a-time step would, and returns
/// how many bytes of `rest` it consumed (0 when its first byte is in no chunk). `buf` needs
/// [`Lanes::LANES`] bytes of room at `*n`.
///
/// The loop is here rather than in the caller's so the tables stay in registers from one
/// chunk to the next: a paragraph of the web corpus is a few chunks.
///
/// # Safety
///
/// As for [`normalize`].
#[allow(unsafe_code)]
#[inline(always)]
unsafe fn run<V: Lanes>(
    classes: &AsciiClasses,
    rest: &[u8],
    buf: &mut [u8],
    n: &mut usize,
    after_separator: &mut bool,
) -> usize {
    // Every lane; shifted right by one or two, the lanes a two- or three-byte character can
    // start at without ending past the register (a lead byte whose character would is left out
    // of each mask).
    let all = u64::MAX >> (64 - V::LANES);
    let tables = Tables::<V>::new(classes);
    let mut used = 0;
    while used < rest.len() {
        let text = &rest[used..];
        let len = text.len().min(V::LANES);
        let x = match text.get(..V::LANES) {
            Some(full) => V::load(full),
            None => V::load_tail(text),
        };

        let non_ascii = x.non_ascii();
        // Latin-1 letters (`C3 xx`) stay in the chunk when this table keeps them as they are
        // or lowercases them, unless the chunk would cut one in two.
        let latin_lead = x.eq(0xC3);
        let latin = if classes.latin1 {
            let leads = latin_lead.bits() & all >> 1;
            leads | leads << 1
        } else {
            0
        };
        let others = non_ascii & !latin;
        // Multi-byte separators: only when the chunk has a `C2`, `E2`, `E3` or `EF` lead (not
        // in every chunk of French text with accents).
        let mut wide_separators = 0;
        if others != 0
            && x.eq(0xC2)
                .or(x.eq(0xE2))
                .or(x.eq(0xE3).or(x.eq(0xEF)))
                .bits()
                & others
                != 0
        {
            let high = tables.continuation_high;
            let c2 = x.eq(0xC2).bits() & x.in_set(tables.c2, high).bits() >> 1 & all >> 1;
            let e2 = (separator_leads(x, 0xE2, 0x80, tables.e280, high)
                | separator_leads(x, 0xE3, 0x80, tables.e380, high)
                | separator_leads(x, 0xEF, 0xBC, tables.efbc, high))
                & all >> 2;
            wide_separators = c2 | c2 << 1 | e2 | e2 << 1 | e2 << 2;
        }
        // Basic Cyrillic (`D0 xx`, `D1 xx`) and CJK ideographs (three bytes, `E4 B8` to
        // `E9 BF`) stay in the chunk too, when the table keeps them as they are (or, for
        // А..П, lowercases them by 0x20 on the second byte): a Russian or Chinese page is then
        // mostly chunks, not one character at a time. Only when the chunk stops at such a
        // character: other chunks must not pay for the masks.
        let mut wide = 0;
        let stop = text
            .get((others & !wide_separators).trailing_zeros() as usize)
            .copied();
        if classes.cyrillic_cjk && matches!(stop, Some(0xD0 | 0xD1 | 0xE4..=0xE9)) {
            // А..я after `D0`, р..я and ё after `D1`.
            let after_d0 = x.within(0x90, 0xC0).bits();
            let after_d1 = x.within(0x80, 0x90).or(x.eq(0x91)).bits();
            let cyrillic =
                (x.eq(0xD0).bits() & after_d0 >> 1 | x.eq(0xD1).bits() & after_d1 >> 1) & all >> 1;
            let e4 = x.eq(0xE4).bits() & x.within(0xB8, 0xC0).bits() >> 1;
            let ideograph = (e4 | x.within(0xE5, 0xEA).bits()) & all >> 2;
            wide = cyrillic | cyrillic << 1 | ideograph | ideograph << 1 | ideograph << 2;
        }
        // The end of the text or of the register, whichever comes first.
        let end = if len < 64 { 1u64 << len } else { 0 };
        let valid = (others & !wide & !wide_separators | end).trailing_zeros() as usize;
        if valid == 0 {
            break;
        }
        let valid_mask = u64::MAX >> (64 - valid);
        let mut separator_lanes = x.in_set(tables.separator_low, tables.separator_high);
        if wide_separators != 0 {
            separator_lanes = separator_lanes.or(V::lanes(wide_separators));
        }
        let separators = separator_lanes.bits() & valid_mask;

        let mut mapped = x;
        if classes.lowercase {
            // ASCII A..Z, and the second byte of À..Þ but × (`C3 97`): each gains 0x20.
            let mut upper = x.within(b'A', b'Z' + 1).or(latin_lead
                .after()
                .and(x.within(0x80, 0x9F))
                .and_not(x.eq(0x97)));
            // Р..Я: `D0 A0`..`D0 AF`, lowercased to `D1 80`..`D1 8F`: the lead gains one and
            // the second byte loses 0x20.
            let mut shifted = 0;
            if wide != 0 {
                // А..П: `D0 90`..`D0 9F`, lowercased to `D0 B0`..`D0 BF`.
                let d0 = x.eq(0xD0);
                upper = upper.or(d0.after().and(x.within(0x90, 0xA0)));
                shifted = d0.bits() & x.within(0xA0, 0xB0).bits() >> 1 & valid_mask;
            }
            mapped = mapped.add_where(upper, 0x20);
            if shifted != 0 {
                mapped = mapped
                    .add_where(V::lanes(shifted), 1)
                    .add_where(V::lanes(shifted << 1), 0x20u8.wrapping_neg());
            }
        }
        // Separators become spaces.
        mapped = mapped.set_where(separator_lanes, b' ');

        let before = (separators << 1) | u64::from(*after_separator);
        let keep = valid_mask & !(separators & before);
        *after_separator = separators >> (valid - 1) & 1 != 0;
        *n += mapped.store_kept(keep, &mut buf[*n..*n + V::LANES]);
        used += valid;
        if valid < V::LANES {
            break;
        }
    }
    used
}

/// The leads of the three-byte separators `lead second xx` in `x`, with `xx` in the nibble
/// tables `low` and `high`.
///
/// # Safety
///
/// As for [`Lanes`].
#[allow(unsafe_code)]
#[inline(always)]
unsafe fn separator_leads<V: Lanes>(x: V, lead: u8, second: u8, low: V, high: V) -> u64 {
    x.eq(lead).bits() & x.eq(second).bits() >> 1 & x.in_set(low, high).bits() >> 2
}

/// The nibble tables of one [`AsciiClasses`], in registers for the whole run.
struct Tables<V> {
    separator_low: V,
    separator_high: V,
    continuation_high: V,
    c2: V,
    e280: V,
    e380: V,
    efbc: V,
}

impl<V: Lanes> Tables<V> {
    /// # Safety
    ///
    /// As for [`Lanes`].
    #[allow(unsafe_code)]
    #[inline(always)]
    unsafe fn new(classes: &AsciiClasses) -> Tables<V> {
        Tables {
            separator_low: V::table(&classes.low),
            separator_high: V::table(&classes.high),
            continuation_high: V::table(&CONTINUATION_HIGH),
            c2: V::table(&classes.c2_separators.low),
            e280: V::table(&classes.e280_separators.low),
            e380: V::table(&classes.e380_separators.low),
            efbc: V::table(&classes.efbc_separators.low),
        }
    }
}
