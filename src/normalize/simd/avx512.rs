//! [`Lanes`] in AVX-512 (F, BW and VBMI2): sixty-four lanes, compares straight into mask
//! registers, masked adds and moves, `vpcompressb` to pack the kept bytes in one
//! instruction, and a masked load for a paragraph's last bytes instead of a padded copy.

use core::arch::x86_64::{
    __m512i, _mm512_and_si512, _mm512_cmpeq_epi8_mask, _mm512_cmplt_epu8_mask, _mm512_loadu_si512,
    _mm512_mask_add_epi8, _mm512_mask_mov_epi8, _mm512_maskz_compress_epi8,
    _mm512_maskz_loadu_epi8, _mm512_movepi8_mask, _mm512_set1_epi8, _mm512_set_epi64,
    _mm512_shuffle_epi8, _mm512_srli_epi16, _mm512_storeu_si512, _mm512_sub_epi8,
    _mm512_test_epi8_mask,
};

use super::{kernel, AsciiClasses, LaneMask, Lanes};
use crate::normalize::table::CharTable;

/// Whether this CPU has what [`normalize`] needs: AVX-512 F, BW and VBMI2, and POPCNT.
pub(super) fn available() -> bool {
    std::is_x86_feature_detected!("avx512f")
        && std::is_x86_feature_detected!("avx512bw")
        && std::is_x86_feature_detected!("avx512vbmi2")
        && std::is_x86_feature_detected!("popcnt")
}

/// [`CharTable::normalize`] with the SIMD step sixty-four bytes at a time.
///
/// # Safety
///
/// The CPU must have AVX-512 F, BW and VBMI2, and POPCNT.
#[allow(unsafe_code)]
#[target_feature(enable = "avx512f,avx512bw,avx512vbmi2,popcnt")]
pub(super) unsafe fn normalize(
    table: &CharTable,
    classes: &AsciiClasses,
    text: &str,
    buf: &mut Vec<u8>,
) -> Option<usize> {
    // SAFETY: this function's contract, and it is compiled with the features.
    unsafe { kernel::normalize::<Avx512>(table, classes, text, buf) }
}

/// Sixty-four bytes in an AVX-512 register; its methods need AVX-512 F, BW and VBMI2.
#[derive(Clone, Copy)]
pub(super) struct Avx512(__m512i);

/// AVX-512's sets of lanes are mask registers, bits already.
#[allow(unsafe_code)]
impl LaneMask for u64 {
    #[inline(always)]
    unsafe fn and(self, other: Self) -> Self {
        self & other
    }

    #[inline(always)]
    unsafe fn or(self, other: Self) -> Self {
        self | other
    }

    #[inline(always)]
    unsafe fn and_not(self, other: Self) -> Self {
        self & !other
    }

    #[inline(always)]
    unsafe fn bits(self) -> u64 {
        self
    }

    #[inline(always)]
    unsafe fn after(self) -> Self {
        self << 1
    }
}

#[allow(unsafe_code)]
impl Lanes for Avx512 {
    const LANES: usize = 64;

    type Mask = u64;

    #[inline(always)]
    unsafe fn table(bytes: &[u8; 16]) -> Self {
        let lo = u64::from_le_bytes(bytes[..8].try_into().expect("eight bytes")) as i64;
        let hi = u64::from_le_bytes(bytes[8..].try_into().expect("eight bytes")) as i64;
        Avx512(_mm512_set_epi64(hi, lo, hi, lo, hi, lo, hi, lo))
    }

    #[inline(always)]
    unsafe fn load(bytes: &[u8]) -> Self {
        debug_assert!(bytes.len() >= 64);
        // SAFETY: `bytes` holds at least 64 bytes, by the contract.
        Avx512(unsafe { _mm512_loadu_si512(bytes.as_ptr().cast()) })
    }

    #[inline(always)]
    unsafe fn load_tail(bytes: &[u8]) -> Self {
        debug_assert!((1..64).contains(&bytes.len()));
        // SAFETY: the mask selects the bytes of `bytes`; AVX-512 masked loads do not touch the
        // bytes a mask leaves out, and those lanes are zero.
        Avx512(unsafe {
            _mm512_maskz_loadu_epi8(u64::MAX >> (64 - bytes.len()), bytes.as_ptr().cast())
        })
    }

    #[inline(always)]
    unsafe fn eq(self, byte: u8) -> u64 {
        _mm512_cmpeq_epi8_mask(self.0, _mm512_set1_epi8(byte as i8))
    }

    #[inline(always)]
    unsafe fn within(self, lo: u8, hi: u8) -> u64 {
        _mm512_cmplt_epu8_mask(
            _mm512_sub_epi8(self.0, _mm512_set1_epi8(lo as i8)),
            _mm512_set1_epi8(hi.wrapping_sub(lo) as i8),
        )
    }

    #[inline(always)]
    unsafe fn in_set(self, low: Self, high: Self) -> u64 {
        let nibble = _mm512_set1_epi8(0x0F);
        _mm512_test_epi8_mask(
            _mm512_shuffle_epi8(low.0, _mm512_and_si512(self.0, nibble)),
            _mm512_shuffle_epi8(
                high.0,
                _mm512_and_si512(_mm512_srli_epi16::<4>(self.0), nibble),
            ),
        )
    }

    #[inline(always)]
    unsafe fn non_ascii(self) -> u64 {
        _mm512_movepi8_mask(self.0)
    }

    #[inline(always)]
    unsafe fn lanes(bits: u64) -> u64 {
        bits
    }

    #[inline(always)]
    unsafe fn add_where(self, mask: u64, byte: u8) -> Self {
        Avx512(_mm512_mask_add_epi8(
            self.0,
            mask,
            self.0,
            _mm512_set1_epi8(byte as i8),
        ))
    }

    #[inline(always)]
    unsafe fn set_where(self, mask: u64, byte: u8) -> Self {
        Avx512(_mm512_mask_mov_epi8(
            self.0,
            mask,
            _mm512_set1_epi8(byte as i8),
        ))
    }

    #[inline(always)]
    unsafe fn store_kept(self, keep: u64, out: &mut [u8]) -> usize {
        let out = &mut out[..64];
        // SAFETY: writes the 64 bytes of `out`.
        unsafe {
            _mm512_storeu_si512(
                out.as_mut_ptr().cast(),
                _mm512_maskz_compress_epi8(keep, self.0),
            );
        }
        keep.count_ones() as usize
    }
}
