//! [`Lanes`] in SSSE3: sixteen lanes, compares into byte masks, `pshufb` for the nibble
//! tables and for packing the kept bytes eight at a time.

use core::arch::x86_64::{
    __m128i, _mm_add_epi8, _mm_and_si128, _mm_andnot_si128, _mm_cmpeq_epi8, _mm_cmpgt_epi8,
    _mm_cvtsi128_si64, _mm_cvtsi32_si128, _mm_loadu_si128, _mm_movemask_epi8, _mm_or_si128,
    _mm_set1_epi64x, _mm_set1_epi8, _mm_set_epi64x, _mm_setzero_si128, _mm_shuffle_epi8,
    _mm_slli_si128, _mm_srli_epi16, _mm_storeu_si128, _mm_sub_epi8, _mm_unpackhi_epi64,
};

use super::{kernel, AsciiClasses, LaneMask, Lanes, PACK};
use crate::normalize::table::CharTable;

/// Whether this CPU has what [`normalize`] needs: SSSE3 and POPCNT.
pub(super) fn available() -> bool {
    std::is_x86_feature_detected!("ssse3") && std::is_x86_feature_detected!("popcnt")
}

/// [`CharTable::normalize`] with the SIMD step sixteen bytes at a time.
///
/// # Safety
///
/// The CPU must have SSSE3 and POPCNT.
#[allow(unsafe_code)]
#[target_feature(enable = "ssse3,popcnt")]
pub(super) unsafe fn normalize(
    table: &CharTable,
    classes: &AsciiClasses,
    text: &str,
    buf: &mut Vec<u8>,
) -> Option<usize> {
    // SAFETY: this function's contract, and it is compiled with the features.
    unsafe { kernel::normalize::<Ssse3>(table, classes, text, buf) }
}

/// Sixteen bytes in an SSE register; its methods need SSSE3 and POPCNT.
#[derive(Clone, Copy)]
pub(super) struct Ssse3(__m128i);

/// Sixteen lanes' set: each byte all ones or all zeros.
#[derive(Clone, Copy)]
pub(super) struct Ssse3Mask(__m128i);

#[allow(unsafe_code)]
impl LaneMask for Ssse3Mask {
    #[inline(always)]
    unsafe fn and(self, other: Self) -> Self {
        Ssse3Mask(_mm_and_si128(self.0, other.0))
    }

    #[inline(always)]
    unsafe fn or(self, other: Self) -> Self {
        Ssse3Mask(_mm_or_si128(self.0, other.0))
    }

    #[inline(always)]
    unsafe fn and_not(self, other: Self) -> Self {
        Ssse3Mask(_mm_andnot_si128(other.0, self.0))
    }

    #[inline(always)]
    unsafe fn bits(self) -> u64 {
        u64::from(_mm_movemask_epi8(self.0) as u32)
    }

    #[inline(always)]
    unsafe fn after(self) -> Self {
        Ssse3Mask(_mm_slli_si128::<1>(self.0))
    }
}

#[allow(unsafe_code)]
impl Lanes for Ssse3 {
    const LANES: usize = 16;

    type Mask = Ssse3Mask;

    #[inline(always)]
    unsafe fn table(bytes: &[u8; 16]) -> Self {
        // SAFETY: reads the 16 bytes of `bytes`.
        Ssse3(unsafe { _mm_loadu_si128(bytes.as_ptr().cast()) })
    }

    #[inline(always)]
    unsafe fn load(bytes: &[u8]) -> Self {
        debug_assert!(bytes.len() >= 16);
        // SAFETY: `bytes` holds at least 16 bytes, by the contract.
        Ssse3(unsafe { _mm_loadu_si128(bytes.as_ptr().cast()) })
    }

    #[inline(always)]
    unsafe fn load_tail(bytes: &[u8]) -> Self {
        // The paragraph's last bytes, padded: SSE has no byte-masked load.
        let mut padded = [0u8; 16];
        padded[..bytes.len()].copy_from_slice(bytes);
        // SAFETY: reads the 16 bytes of `padded`.
        Ssse3(unsafe { _mm_loadu_si128(padded.as_ptr().cast()) })
    }

    #[inline(always)]
    unsafe fn eq(self, byte: u8) -> Ssse3Mask {
        Ssse3Mask(_mm_cmpeq_epi8(self.0, _mm_set1_epi8(byte as i8)))
    }

    #[inline(always)]
    unsafe fn within(self, lo: u8, hi: u8) -> Ssse3Mask {
        // `byte - lo < hi - lo` unsigned, as a signed compare of both sides moved by 0x80.
        let moved = _mm_sub_epi8(self.0, _mm_set1_epi8((lo ^ 0x80) as i8));
        let bound = _mm_set1_epi8((hi.wrapping_sub(lo) ^ 0x80) as i8);
        Ssse3Mask(_mm_cmpgt_epi8(bound, moved))
    }

    #[inline(always)]
    unsafe fn in_set(self, low: Self, high: Self) -> Ssse3Mask {
        let nibble = _mm_set1_epi8(0x0F);
        let low = _mm_shuffle_epi8(low.0, _mm_and_si128(self.0, nibble));
        let high = _mm_shuffle_epi8(high.0, _mm_and_si128(_mm_srli_epi16::<4>(self.0), nibble));
        let outside = _mm_cmpeq_epi8(_mm_and_si128(low, high), _mm_setzero_si128());
        Ssse3Mask(_mm_andnot_si128(outside, _mm_set1_epi8(-1)))
    }

    #[inline(always)]
    unsafe fn non_ascii(self) -> u64 {
        u64::from(_mm_movemask_epi8(self.0) as u32)
    }

    #[inline(always)]
    unsafe fn lanes(bits: u64) -> Ssse3Mask {
        // Byte `i` takes the byte of `bits` that holds its bit, then keeps that bit alone.
        let spread = _mm_shuffle_epi8(
            _mm_cvtsi32_si128(bits as i32),
            _mm_set_epi64x(0x0101_0101_0101_0101, 0),
        );
        let bit = _mm_set1_epi64x(0x8040_2010_0804_0201u64 as i64);
        Ssse3Mask(_mm_cmpeq_epi8(_mm_and_si128(spread, bit), bit))
    }

    #[inline(always)]
    unsafe fn add_where(self, mask: Ssse3Mask, byte: u8) -> Self {
        Ssse3(_mm_add_epi8(
            self.0,
            _mm_and_si128(mask.0, _mm_set1_epi8(byte as i8)),
        ))
    }

    #[inline(always)]
    unsafe fn set_where(self, mask: Ssse3Mask, byte: u8) -> Self {
        Ssse3(_mm_or_si128(
            _mm_andnot_si128(mask.0, self.0),
            _mm_and_si128(mask.0, _mm_set1_epi8(byte as i8)),
        ))
    }

    #[inline(always)]
    unsafe fn store_kept(self, keep: u64, out: &mut [u8]) -> usize {
        let out = &mut out[..16];
        if keep == 0xFFFF {
            // SAFETY: writes the 16 bytes of `out`.
            unsafe { _mm_storeu_si128(out.as_mut_ptr().cast(), self.0) };
            return 16;
        }
        let order = _mm_set_epi64x(
            (PACK[(keep >> 8 & 0xFF) as usize] + 0x0808_0808_0808_0808) as i64,
            PACK[(keep & 0xFF) as usize] as i64,
        );
        let packed = _mm_shuffle_epi8(self.0, order);
        let first = (keep & 0xFF).count_ones() as usize;
        out[..8].copy_from_slice(&(_mm_cvtsi128_si64(packed) as u64).to_le_bytes());
        let second = _mm_cvtsi128_si64(_mm_unpackhi_epi64(packed, packed)) as u64;
        out[first..first + 8].copy_from_slice(&second.to_le_bytes());
        first + (keep >> 8 & 0xFF).count_ones() as usize
    }
}
