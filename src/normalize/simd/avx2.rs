//! [`Lanes`] in AVX2: thirty-two lanes, compares into byte masks, `vpshufb` (within each
//! 128-bit half) for the nibble tables and for packing the kept bytes eight at a time.

use core::arch::x86_64::{
    __m256i, _mm256_add_epi8, _mm256_alignr_epi8, _mm256_and_si256, _mm256_andnot_si256,
    _mm256_cmpeq_epi8, _mm256_cmpgt_epi8, _mm256_loadu_si256, _mm256_movemask_epi8,
    _mm256_or_si256, _mm256_permute2x128_si256, _mm256_set1_epi32, _mm256_set1_epi64x,
    _mm256_set1_epi8, _mm256_set_epi64x, _mm256_setzero_si256, _mm256_shuffle_epi8,
    _mm256_srli_epi16, _mm256_storeu_si256, _mm256_sub_epi8,
};

use super::{kernel, AsciiClasses, LaneMask, Lanes, PACK};
use crate::normalize::table::CharTable;

/// Whether this CPU has what [`normalize`] needs: AVX2 and POPCNT.
pub(super) fn available() -> bool {
    std::is_x86_feature_detected!("avx2") && std::is_x86_feature_detected!("popcnt")
}

/// [`CharTable::normalize`] with the SIMD step thirty-two bytes at a time.
///
/// # Safety
///
/// The CPU must have AVX2 and POPCNT.
#[allow(unsafe_code)]
#[target_feature(enable = "avx2,popcnt")]
pub(super) unsafe fn normalize(
    table: &CharTable,
    classes: &AsciiClasses,
    text: &str,
    buf: &mut Vec<u8>,
) -> Option<usize> {
    // SAFETY: this function's contract, and it is compiled with the features.
    unsafe { kernel::normalize::<Avx2>(table, classes, text, buf) }
}

/// Thirty-two bytes in an AVX register; its methods need AVX2 and POPCNT.
#[derive(Clone, Copy)]
pub(super) struct Avx2(__m256i);

/// Thirty-two lanes' set: each byte all ones or all zeros.
#[derive(Clone, Copy)]
pub(super) struct Avx2Mask(__m256i);

#[allow(unsafe_code)]
impl LaneMask for Avx2Mask {
    #[inline(always)]
    unsafe fn and(self, other: Self) -> Self {
        Avx2Mask(_mm256_and_si256(self.0, other.0))
    }

    #[inline(always)]
    unsafe fn or(self, other: Self) -> Self {
        Avx2Mask(_mm256_or_si256(self.0, other.0))
    }

    #[inline(always)]
    unsafe fn and_not(self, other: Self) -> Self {
        Avx2Mask(_mm256_andnot_si256(other.0, self.0))
    }

    #[inline(always)]
    unsafe fn bits(self) -> u64 {
        u64::from(_mm256_movemask_epi8(self.0) as u32)
    }

    #[inline(always)]
    unsafe fn after(self) -> Self {
        // The byte before each byte, across the two halves: the low half moved up, with
        // zeros below it, supplies the high half's first byte.
        let low_up = _mm256_permute2x128_si256::<0x08>(self.0, self.0);
        Avx2Mask(_mm256_alignr_epi8::<15>(self.0, low_up))
    }
}

#[allow(unsafe_code)]
impl Lanes for Avx2 {
    const LANES: usize = 32;

    type Mask = Avx2Mask;

    #[inline(always)]
    unsafe fn table(bytes: &[u8; 16]) -> Self {
        let lo = u64::from_le_bytes(bytes[..8].try_into().expect("eight bytes")) as i64;
        let hi = u64::from_le_bytes(bytes[8..].try_into().expect("eight bytes")) as i64;
        Avx2(_mm256_set_epi64x(hi, lo, hi, lo))
    }

    #[inline(always)]
    unsafe fn load(bytes: &[u8]) -> Self {
        debug_assert!(bytes.len() >= 32);
        // SAFETY: `bytes` holds at least 32 bytes, by the contract.
        Avx2(unsafe { _mm256_loadu_si256(bytes.as_ptr().cast()) })
    }

    #[inline(always)]
    unsafe fn load_tail(bytes: &[u8]) -> Self {
        // The paragraph's last bytes, padded: AVX2 has no byte-masked load.
        let mut padded = [0u8; 32];
        padded[..bytes.len()].copy_from_slice(bytes);
        // SAFETY: reads the 32 bytes of `padded`.
        Avx2(unsafe { _mm256_loadu_si256(padded.as_ptr().cast()) })
    }

    #[inline(always)]
    unsafe fn eq(self, byte: u8) -> Avx2Mask {
        Avx2Mask(_mm256_cmpeq_epi8(self.0, _mm256_set1_epi8(byte as i8)))
    }

    #[inline(always)]
    unsafe fn within(self, lo: u8, hi: u8) -> Avx2Mask {
        // `byte - lo < hi - lo` unsigned, as a signed compare of both sides moved by 0x80.
        let moved = _mm256_sub_epi8(self.0, _mm256_set1_epi8((lo ^ 0x80) as i8));
        let bound = _mm256_set1_epi8((hi.wrapping_sub(lo) ^ 0x80) as i8);
        Avx2Mask(_mm256_cmpgt_epi8(bound, moved))
    }

    #[inline(always)]
    unsafe fn in_set(self, low: Self, high: Self) -> Avx2Mask {
        let nibble = _mm256_set1_epi8(0x0F);
        let low = _mm256_shuffle_epi8(low.0, _mm256_and_si256(self.0, nibble));
        let high = _mm256_shuffle_epi8(
            high.0,
            _mm256_and_si256(_mm256_srli_epi16::<4>(self.0), nibble),
        );
        let outside = _mm256_cmpeq_epi8(_mm256_and_si256(low, high), _mm256_setzero_si256());
        Avx2Mask(_mm256_andnot_si256(outside, _mm256_set1_epi8(-1)))
    }

    #[inline(always)]
    unsafe fn non_ascii(self) -> u64 {
        u64::from(_mm256_movemask_epi8(self.0) as u32)
    }

    #[inline(always)]
    unsafe fn lanes(bits: u64) -> Avx2Mask {
        // Byte `i` takes the byte of `bits` that holds its bit (bytes 0..8 of the first half
        // get byte 0, and so on), then keeps that bit alone.
        let spread = _mm256_shuffle_epi8(
            _mm256_set1_epi32(bits as i32),
            _mm256_set_epi64x(
                0x0303_0303_0303_0303,
                0x0202_0202_0202_0202,
                0x0101_0101_0101_0101,
                0,
            ),
        );
        let bit = _mm256_set1_epi64x(0x8040_2010_0804_0201u64 as i64);
        Avx2Mask(_mm256_cmpeq_epi8(_mm256_and_si256(spread, bit), bit))
    }

    #[inline(always)]
    unsafe fn add_where(self, mask: Avx2Mask, byte: u8) -> Self {
        Avx2(_mm256_add_epi8(
            self.0,
            _mm256_and_si256(mask.0, _mm256_set1_epi8(byte as i8)),
        ))
    }

    #[inline(always)]
    unsafe fn set_where(self, mask: Avx2Mask, byte: u8) -> Self {
        Avx2(_mm256_or_si256(
            _mm256_andnot_si256(mask.0, self.0),
            _mm256_and_si256(mask.0, _mm256_set1_epi8(byte as i8)),
        ))
    }

    #[inline(always)]
    unsafe fn store_kept(self, keep: u64, out: &mut [u8]) -> usize {
        let out = &mut out[..32];
        if keep == 0xFFFF_FFFF {
            // SAFETY: writes the 32 bytes of `out`.
            unsafe { _mm256_storeu_si256(out.as_mut_ptr().cast(), self.0) };
            return 32;
        }
        let group = |k: u32| (keep >> (8 * k) & 0xFF) as usize;
        let order = _mm256_set_epi64x(
            (PACK[group(3)] + 0x0808_0808_0808_0808) as i64,
            PACK[group(2)] as i64,
            (PACK[group(1)] + 0x0808_0808_0808_0808) as i64,
            PACK[group(0)] as i64,
        );
        let mut packed = [0u8; 32];
        // SAFETY: writes the 32 bytes of `packed`.
        unsafe {
            _mm256_storeu_si256(
                packed.as_mut_ptr().cast(),
                _mm256_shuffle_epi8(self.0, order),
            );
        }
        let mut written = 0;
        for (k, eight) in packed.chunks_exact(8).enumerate() {
            out[written..written + 8].copy_from_slice(eight);
            written += group(k as u32).count_ones() as usize;
        }
        written
    }
}
