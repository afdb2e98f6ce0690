//! Sixteen (SSSE3) or thirty-two (AVX2) ASCII bytes at a time for the table path on x86-64.
//!
//! The table path's rule for an ASCII byte is simple enough for SIMD: a byte is a separator
//! or kept; a kept byte is itself or, when lowercasing, its lowercase; a separator is written
//! as a space unless the byte before it was a separator too. So a chunk is classified with two
//! nibble lookups (`pshufb`: one table per nibble, ANDed, the usual way of testing membership
//! of any set of bytes), mapped with one range compare, and packed with one more `pshufb` when
//! some separators must go. A property test compares it with the byte-at-a-time step.
//!
//! The AVX2 step is the same, twice as wide, and takes more characters: two-byte characters
//! from U+0080 to U+00BF and three-byte ones from U+2000 to U+203F that the table makes
//! separators (the `’`, guillemets, no-break spaces and dashes of French prose, which ended a
//! chunk one in every 170 bytes of the web corpus). Each byte of such a character counts as a
//! separator byte: a run of separators collapses to one space, so the character writes one
//! space, as the table would.
//!
//! The AVX-512 step (with VBMI2) makes the same decisions on sixty-four bytes. Its compares
//! give bit masks directly, as the decisions are made, and `vpcompressb` packs the kept bytes
//! in one instruction where the narrower steps look eight-byte groups up in a table.

use super::table::CharTable;
use core::arch::x86_64::{
    __m128i, _mm_and_si128, _mm_andnot_si128, _mm_cmpeq_epi8, _mm_cmpgt_epi8, _mm_cmplt_epi8,
    _mm_cvtsi128_si64, _mm_movemask_epi8, _mm_or_si128, _mm_set1_epi8, _mm_set_epi64x,
    _mm_setzero_si128, _mm_shuffle_epi8, _mm_slli_si128, _mm_srli_epi16, _mm_unpackhi_epi64,
};
use core::arch::x86_64::{
    __m256i, _mm256_alignr_epi8, _mm256_and_si256, _mm256_andnot_si256, _mm256_cmpeq_epi8,
    _mm256_cmpgt_epi8, _mm256_loadu_si256, _mm256_movemask_epi8, _mm256_or_si256,
    _mm256_permute2x128_si256, _mm256_set1_epi32, _mm256_set1_epi64x, _mm256_set1_epi8,
    _mm256_set_epi64x, _mm256_setzero_si256, _mm256_shuffle_epi8, _mm256_srli_epi16,
    _mm256_storeu_si256, _mm256_xor_si256,
};
use core::arch::x86_64::{
    __m512i, _mm512_and_si512, _mm512_cmpeq_epi8_mask, _mm512_cmplt_epu8_mask,
    _mm512_mask_add_epi8, _mm512_mask_mov_epi8, _mm512_mask_sub_epi8, _mm512_maskz_compress_epi8,
    _mm512_maskz_loadu_epi8, _mm512_movepi8_mask, _mm512_set1_epi8, _mm512_set_epi64,
    _mm512_shuffle_epi8, _mm512_srli_epi16, _mm512_storeu_si512, _mm512_sub_epi8,
    _mm512_test_epi8_mask,
};

/// What the chunk step needs of a table: the separator set as nibble tables, and whether kept
/// letters are lowercased.
#[derive(Clone, Copy, Debug)]
pub(super) struct AsciiClasses {
    /// Per low nibble: bit `h` set when byte `h << 4 | low` is a separator (`h` < 8).
    low: [u8; 16],
    /// Per high nibble `h`: `1 << h` for ASCII, 0 above.
    high: [u8; 16],
    lowercase: bool,
    /// The table keeps each Latin-1 letter U+00C0..U+00FF as it is, or lowercases it when
    /// `lowercase` (its second byte gains 0x20), so those letters can stay in a chunk.
    latin1: bool,
    /// The CPU has AVX2: [`normalize_avx2`] applies.
    pub(super) avx2: bool,
    /// The CPU has AVX-512 BW and VBMI2: [`normalize_avx512`] applies.
    pub(super) avx512: bool,
    /// Second bytes `xx` of the separators `C2 xx` (U+0080..U+00BF), for the AVX2 chunk.
    c2_separators: ContinuationSet,
    /// Third bytes `xx` of the separators `E2 80 xx` (U+2000..U+203F), for the AVX2 chunk.
    e280_separators: ContinuationSet,
    /// Third bytes `xx` of the separators `E3 80 xx` (U+3000..U+303F: the ideographic space,
    /// `、`, `。`, `「」`), for the AVX2 chunk.
    e380_separators: ContinuationSet,
    /// Third bytes `xx` of the separators `EF BC xx` (U+FF00..U+FF3F: full-width `，`, `：`,
    /// `？`, `！`, …), for the AVX2 chunk.
    efbc_separators: ContinuationSet,
    /// The table keeps basic Cyrillic letters as they are, or lowercases them when
    /// `lowercase` (А..П gain 0x20 on their second byte; Р..Я, `D0 A0`..`D0 AF`, become
    /// `D1 80`..`D1 8F`), and CJK ideographs as they are, so the AVX2 chunk can take them.
    pub(super) cyrillic_cjk: bool,
}

impl AsciiClasses {
    /// The classes of a table whose ASCII entries are `ascii` (see `CharTable::ascii`), or
    /// `None` when some kept byte becomes something other than itself or its lowercase.
    ///
    /// `latin1` holds the table's entries for U+00C0..U+00FF, in `CharTable` layout.
    /// `two_byte` holds the table's entries from U+0080 on, in `CharTable` layout, and
    /// `punctuation` those of U+2000..U+203F, U+3000..U+303F and U+FF00..U+FF3F;
    /// `ideographs_kept` says the table copies CJK ideographs as they are.
    pub(super) fn new(
        ascii: &[u16; 128],
        two_byte: &[u64],
        punctuation: [&[u64]; 3],
        ideographs_kept: bool,
        lowercase: bool,
    ) -> Option<AsciiClasses> {
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
            avx2: std::is_x86_feature_detected!("avx2"),
            avx512: std::is_x86_feature_detected!("avx512f")
                && std::is_x86_feature_detected!("avx512bw")
                && std::is_x86_feature_detected!("avx512vbmi2"),
            cyrillic_cjk: cyrillic && ideographs_kept,
            c2_separators: ContinuationSet::separators(&two_byte[..64]),
            e280_separators: ContinuationSet::separators(punctuation[0]),
            e380_separators: ContinuationSet::separators(punctuation[1]),
            efbc_separators: ContinuationSet::separators(punctuation[2]),
        })
    }

    /// Whether this CPU can run [`AsciiClasses::chunk`] (SSSE3, and POPCNT for the counts).
    pub(super) fn supported() -> bool {
        std::is_x86_feature_detected!("ssse3") && std::is_x86_feature_detected!("popcnt")
    }

    /// Normalizes the ASCII bytes (and Latin-1 letters, when `latin1`) at the start of
    /// `text[..len]` (`len` at most 16; the rest is padding), up to the first other byte, into
    /// `buf` at `*n`, as the byte-at-a-time step would, and returns how many bytes
    /// of `text` it consumed (0 when the first byte is neither). `buf` needs 16 bytes of room
    /// at `*n`.
    ///
    /// Calling it needs SSSE3 and POPCNT ([`AsciiClasses::supported`]).
    #[target_feature(enable = "ssse3,popcnt")]
    #[inline]
    pub(super) fn chunk(
        &self,
        text: &[u8; 16],
        len: usize,
        buf: &mut [u8],
        n: &mut usize,
        after_separator: &mut bool,
    ) -> usize {
        let lo = u64::from_le_bytes(text[..8].try_into().expect("eight bytes"));
        let hi = u64::from_le_bytes(text[8..].try_into().expect("eight bytes"));
        let x = _mm_set_epi64x(hi as i64, lo as i64);
        let non_ascii = _mm_movemask_epi8(x) as u32;
        // Latin-1 letters (`C3 xx`) stay in the chunk when this table keeps them as they are
        // or lowercases them, unless the chunk would cut one in two.
        let latin_lead = _mm_cmpeq_epi8(x, _mm_set1_epi8(0xC3u8 as i8));
        let latin = if self.latin1 {
            let leads = _mm_movemask_epi8(latin_lead) as u32 & 0x7FFF;
            leads | leads << 1
        } else {
            0
        };
        let valid = (non_ascii & !latin | 1 << len).trailing_zeros() as usize;
        if valid == 0 {
            return 0;
        }
        let valid_mask = (1u32 << valid) - 1;

        let nibble = _mm_set1_epi8(0x0F);
        let low = _mm_shuffle_epi8(table(&self.low), _mm_and_si128(x, nibble));
        let high = _mm_shuffle_epi8(
            table(&self.high),
            _mm_and_si128(_mm_srli_epi16::<4>(x), nibble),
        );
        let not_separator = _mm_cmpeq_epi8(_mm_and_si128(low, high), _mm_setzero_si128());
        let separators = !(_mm_movemask_epi8(not_separator) as u32) & valid_mask;

        let mut mapped = x;
        if self.lowercase {
            let upper = _mm_and_si128(
                _mm_cmpgt_epi8(x, _mm_set1_epi8(b'A' as i8 - 1)),
                _mm_cmplt_epi8(x, _mm_set1_epi8(b'Z' as i8 + 1)),
            );
            // The second byte of an uppercase Latin-1 letter (`C3 80`..`C3 9E` but `C3 97`, ×)
            // gains 0x20, like an ASCII one.
            let upper_latin = _mm_andnot_si128(
                _mm_cmpeq_epi8(x, _mm_set1_epi8(0x97u8 as i8)),
                _mm_and_si128(
                    _mm_slli_si128::<1>(latin_lead),
                    _mm_cmplt_epi8(x, _mm_set1_epi8(0x9Fu8 as i8)),
                ),
            );
            let upper = _mm_or_si128(upper, upper_latin);
            mapped = _mm_or_si128(mapped, _mm_and_si128(upper, _mm_set1_epi8(0x20)));
        }
        // Separators become spaces: keep the kept bytes, OR a space into the rest.
        let space = _mm_set1_epi8(b' ' as i8);
        mapped = _mm_or_si128(
            _mm_and_si128(mapped, not_separator),
            _mm_and_si128(space, _mm_cmpeq_epi8(not_separator, _mm_setzero_si128())),
        );

        let before = (separators << 1) | u32::from(*after_separator);
        let keep = valid_mask & !(separators & before);
        *after_separator = separators >> (valid - 1) & 1 != 0;

        let (first, second) = if keep == 0xFFFF {
            (mapped, _mm_unpackhi_epi64(mapped, mapped))
        } else {
            let order = _mm_set_epi64x(
                (PACK[(keep >> 8) as usize] + 0x0808_0808_0808_0808) as i64,
                PACK[(keep & 0xFF) as usize] as i64,
            );
            let packed = _mm_shuffle_epi8(mapped, order);
            (packed, _mm_unpackhi_epi64(packed, packed))
        };
        let first_len = (keep & 0xFF).count_ones() as usize;
        buf[*n..*n + 8].copy_from_slice(&(_mm_cvtsi128_si64(first) as u64).to_le_bytes());
        *n += first_len;
        buf[*n..*n + 8].copy_from_slice(&(_mm_cvtsi128_si64(second) as u64).to_le_bytes());
        *n += (keep >> 8).count_ones() as usize;
        valid
    }
}

impl AsciiClasses {
    /// [`AsciiClasses::chunk`] on thirty-two bytes at a time, in AVX2: the same decisions,
    /// repeated over `rest` while each chunk takes all thirty-two bytes, as
    /// [`AsciiClasses::run64`] does. Returns how many bytes of `rest` it consumed (0 when its
    /// first byte is in no chunk).
    ///
    /// Calling it needs AVX2 and POPCNT.
    #[allow(unsafe_code)]
    #[target_feature(enable = "avx2,popcnt")]
    #[inline]
    pub(super) fn run32(
        &self,
        rest: &[u8],
        buf: &mut [u8],
        n: &mut usize,
        after_separator: &mut bool,
    ) -> usize {
        let nibble = _mm256_set1_epi8(0x0F);
        let zero = _mm256_setzero_si256();
        let separator_low = table2(&self.low);
        let separator_high = table2(&self.high);
        let continuation_high = table2(&CONTINUATION_HIGH);
        let mut used = 0;
        while used < rest.len() {
            let text = &rest[used..];
            let len = text.len().min(32);
            // The paragraph's last bytes, padded: AVX2 has no byte-masked load.
            let mut padded = [0u8; 32];
            let text = match text.get(..32) {
                Some(wide) => wide,
                None => {
                    padded[..len].copy_from_slice(text);
                    &padded[..]
                }
            };
            // SAFETY: reads the 32 bytes of `text`.
            let x = unsafe { _mm256_loadu_si256(text.as_ptr().cast::<__m256i>()) };
            let non_ascii = u64::from(_mm256_movemask_epi8(x) as u32);
            let latin_lead = _mm256_cmpeq_epi8(x, _mm256_set1_epi8(0xC3u8 as i8));
            let latin = if self.latin1 {
                let leads = u64::from(_mm256_movemask_epi8(latin_lead) as u32 & 0x7FFF_FFFF);
                leads | leads << 1
            } else {
                0
            };
            // Below 0x80 as signed bytes: `x < b`, for `b` a byte of 0x80 and above.
            let below = |b: u8| _mm256_cmpgt_epi8(_mm256_set1_epi8(b as i8), x);
            let mask = |v: __m256i| u64::from(_mm256_movemask_epi8(v) as u32);
            let is = |b: u8| _mm256_cmpeq_epi8(x, _mm256_set1_epi8(b as i8));
            // Basic Cyrillic (`D0 xx`, `D1 xx`) and CJK ideographs (three bytes, `E4 B8` to
            // `E9 BF`) stay in the chunk too, when the table keeps them as they are (or, for
            // А..П, lowercases them by 0x20 on the second byte): a Russian or Chinese page is
            // then mostly chunks, not one character at a time.
            let others = non_ascii & !latin;
            // Multi-byte separators: only when the chunk has a `C2`, `E2`, `E3` or `EF` lead
            // (not in every chunk of French text with accents).
            let mut wide_separators = 0;
            let leads = _mm256_or_si256(
                _mm256_or_si256(is(0xC2), is(0xE2)),
                _mm256_or_si256(is(0xE3), is(0xEF)),
            );
            if others != 0 && mask(leads) & others != 0 {
                let continuation_in = |set: &ContinuationSet| {
                    let low = _mm256_shuffle_epi8(table2(&set.low), _mm256_and_si256(x, nibble));
                    let high = _mm256_shuffle_epi8(
                        continuation_high,
                        _mm256_and_si256(_mm256_srli_epi16::<4>(x), nibble),
                    );
                    !mask(_mm256_cmpeq_epi8(_mm256_and_si256(low, high), zero)) & 0xFFFF_FFFF
                };
                let c2 = mask(is(0xC2)) & continuation_in(&self.c2_separators) >> 1 & 0x7FFF_FFFF;
                // Leads of three-byte separators `lead second xx`, with `xx` in `set`.
                let three = |lead: u8, second: u8, set: &ContinuationSet| {
                    mask(is(lead)) & mask(is(second)) >> 1 & continuation_in(set) >> 2 & 0x3FFF_FFFF
                };
                let e2 = three(0xE2, 0x80, &self.e280_separators)
                    | three(0xE3, 0x80, &self.e380_separators)
                    | three(0xEF, 0xBC, &self.efbc_separators);
                wide_separators = c2 | c2 << 1 | e2 | e2 << 1 | e2 << 2;
            }
            let mut wide = 0;
            // Only when the chunk stops at such a character: other chunks must not pay for the
            // masks.
            let stop = text
                .get((others & !wide_separators).trailing_zeros() as usize)
                .copied();
            if self.cyrillic_cjk && matches!(stop, Some(0xD0 | 0xD1 | 0xE4..=0xE9)) {
                let d0 = mask(is(0xD0)) & 0x7FFF_FFFF;
                let d1 = mask(is(0xD1)) & 0x7FFF_FFFF;
                // А..я.
                let after_d0 = mask(_mm256_andnot_si256(below(0x90), below(0xC0)));
                let after_d1 = mask(below(0x90)) | mask(is(0x91));
                let cyrillic = d0 & after_d0 >> 1 | d1 & after_d1 >> 1;
                let e4 = mask(is(0xE4)) & mask(_mm256_andnot_si256(below(0xB8), below(0xC0))) >> 1;
                let e5_e9 = mask(_mm256_andnot_si256(below(0xE5), below(0xEA)));
                let ideograph = (e4 | e5_e9) & 0x3FFF_FFFF;
                wide = cyrillic | cyrillic << 1 | ideograph | ideograph << 1 | ideograph << 2;
            }
            let valid = (others & !wide & !wide_separators | 1 << len).trailing_zeros() as usize;
            if valid == 0 {
                break;
            }
            let valid_mask = (1u64 << valid) - 1;

            let low = _mm256_shuffle_epi8(separator_low, _mm256_and_si256(x, nibble));
            let high = _mm256_shuffle_epi8(
                separator_high,
                _mm256_and_si256(_mm256_srli_epi16::<4>(x), nibble),
            );
            let mut not_separator = _mm256_cmpeq_epi8(_mm256_and_si256(low, high), zero);
            if wide_separators != 0 {
                not_separator =
                    _mm256_andnot_si256(byte_mask(wide_separators as u32), not_separator);
            }
            let separators = u64::from(!(_mm256_movemask_epi8(not_separator) as u32)) & valid_mask;

            let mut mapped = x;
            if self.lowercase {
                let upper = _mm256_and_si256(
                    _mm256_cmpgt_epi8(x, _mm256_set1_epi8(b'A' as i8 - 1)),
                    _mm256_cmpgt_epi8(_mm256_set1_epi8(b'Z' as i8 + 1), x),
                );
                // The byte before each byte, across the two lanes: a lead `C3` one to the left.
                let after_lead = _mm256_alignr_epi8::<15>(
                    latin_lead,
                    _mm256_permute2x128_si256::<0x08>(latin_lead, latin_lead),
                );
                let upper_latin = _mm256_andnot_si256(
                    _mm256_cmpeq_epi8(x, _mm256_set1_epi8(0x97u8 as i8)),
                    _mm256_and_si256(
                        after_lead,
                        _mm256_cmpgt_epi8(_mm256_set1_epi8(0x9Fu8 as i8), x),
                    ),
                );
                let mut upper = _mm256_or_si256(upper, upper_latin);
                if wide != 0 {
                    // А..П: `D0 90`..`D0 9F`, lowercased to `D0 B0`..`D0 BF`.
                    let d0 = is(0xD0);
                    let after_d0 =
                        _mm256_alignr_epi8::<15>(d0, _mm256_permute2x128_si256::<0x08>(d0, d0));
                    let upper_cyrillic =
                        _mm256_and_si256(after_d0, _mm256_andnot_si256(below(0x90), below(0xA0)));
                    upper = _mm256_or_si256(upper, upper_cyrillic);
                }
                mapped = _mm256_or_si256(mapped, _mm256_and_si256(upper, _mm256_set1_epi8(0x20)));
                if wide != 0 {
                    // Р..Я: `D0 A0`..`D0 AF`, lowercased to `D1 80`..`D1 8F`: the lead gains
                    // bit 0 and the second byte loses bit 5.
                    let shifted = mask(is(0xD0))
                        & mask(_mm256_andnot_si256(below(0xA0), below(0xB0))) >> 1
                        & valid_mask;
                    if shifted != 0 {
                        let leads =
                            _mm256_and_si256(byte_mask(shifted as u32), _mm256_set1_epi8(1));
                        let seconds = _mm256_and_si256(
                            byte_mask((shifted << 1) as u32),
                            _mm256_set1_epi8(0x20),
                        );
                        mapped = _mm256_xor_si256(_mm256_or_si256(mapped, leads), seconds);
                    }
                }
            }
            mapped = _mm256_or_si256(
                _mm256_and_si256(mapped, not_separator),
                _mm256_andnot_si256(not_separator, _mm256_set1_epi8(b' ' as i8)),
            );

            let before = (separators << 1) | u64::from(*after_separator);
            let keep = valid_mask & !(separators & before);
            *after_separator = separators >> (valid - 1) & 1 != 0;

            let out = &mut buf[*n..*n + 32];
            if keep == 0xFFFF_FFFF {
                // SAFETY: writes the 32 bytes of `out`.
                unsafe { _mm256_storeu_si256(out.as_mut_ptr().cast::<__m256i>(), mapped) };
                *n += 32;
            } else {
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
                        packed.as_mut_ptr().cast::<__m256i>(),
                        _mm256_shuffle_epi8(mapped, order),
                    );
                }
                for (k, eight) in packed.chunks_exact(8).enumerate() {
                    buf[*n..*n + 8].copy_from_slice(eight);
                    *n += group(k as u32).count_ones() as usize;
                }
            }
            used += valid;
            if valid < 32 {
                break;
            }
        }
        used
    }
}

impl AsciiClasses {
    /// [`AsciiClasses::run32`] on sixty-four bytes at a time, in AVX-512: the same decisions,
    /// repeated over `rest` while each chunk takes all sixty-four bytes. Returns how many bytes
    /// of `rest` it consumed (0 when its first byte is in no chunk).
    ///
    /// The loop is here rather than in the caller's so the tables stay in registers from one
    /// chunk to the next, and the last bytes are read with a masked load instead of being
    /// copied to a padded array: a paragraph of the web corpus is four or five chunks.
    ///
    /// Calling it needs AVX-512 F, BW and VBMI2, and POPCNT.
    #[allow(unsafe_code)]
    #[target_feature(enable = "avx512f,avx512bw,avx512vbmi2,popcnt")]
    #[inline]
    pub(super) fn run64(
        &self,
        rest: &[u8],
        buf: &mut [u8],
        n: &mut usize,
        after_separator: &mut bool,
    ) -> usize {
        let nibble = _mm512_set1_epi8(0x0F);
        let separator_low = table4(&self.low);
        let separator_high = table4(&self.high);
        let c2_low = table4(&self.c2_separators.low);
        let e280_low = table4(&self.e280_separators.low);
        let e380_low = table4(&self.e380_separators.low);
        let efbc_low = table4(&self.efbc_separators.low);
        let continuation_high = table4(&CONTINUATION_HIGH);
        let mut used = 0;
        while used < rest.len() {
            let text = &rest[used..];
            let len = text.len().min(64);
            // SAFETY: the mask selects the `len` bytes of `text` that exist; AVX-512 masked
            // loads do not touch the bytes a mask leaves out, and those lanes are zero.
            let x =
                unsafe { _mm512_maskz_loadu_epi8(u64::MAX >> (64 - len), text.as_ptr().cast()) };
            let is = |b: u8| _mm512_cmpeq_epi8_mask(x, _mm512_set1_epi8(b as i8));
            // `lo <= x < hi`, unsigned.
            let within = |lo: u8, hi: u8| {
                _mm512_cmplt_epu8_mask(
                    _mm512_sub_epi8(x, _mm512_set1_epi8(lo as i8)),
                    _mm512_set1_epi8(hi.wrapping_sub(lo) as i8),
                )
            };
            let low_nibbles = _mm512_and_si512(x, nibble);
            let high_nibbles = _mm512_and_si512(_mm512_srli_epi16::<4>(x), nibble);
            let in_set = |low: __m512i, high: __m512i| {
                _mm512_test_epi8_mask(
                    _mm512_shuffle_epi8(low, low_nibbles),
                    _mm512_shuffle_epi8(high, high_nibbles),
                )
            };
            // A lead byte whose character would end past the chunk is left out of each mask.
            let room = |after: u32| u64::MAX >> after;

            let non_ascii = _mm512_movepi8_mask(x);
            let latin_lead = is(0xC3);
            let latin = if self.latin1 {
                let leads = latin_lead & room(1);
                leads | leads << 1
            } else {
                0
            };
            let others = non_ascii & !latin;
            let mut wide_separators = 0;
            if others != 0 && (is(0xC2) | is(0xE2) | is(0xE3) | is(0xEF)) & others != 0 {
                let c2 = is(0xC2) & in_set(c2_low, continuation_high) >> 1 & room(1);
                // Leads of three-byte separators `lead second xx`, with `xx` in `set`.
                let three = |lead: u8, second: u8, set: __m512i| {
                    is(lead) & is(second) >> 1 & in_set(set, continuation_high) >> 2 & room(2)
                };
                let e2 = three(0xE2, 0x80, e280_low)
                    | three(0xE3, 0x80, e380_low)
                    | three(0xEF, 0xBC, efbc_low);
                wide_separators = c2 | c2 << 1 | e2 | e2 << 1 | e2 << 2;
            }
            let mut wide = 0;
            let stop = text
                .get((others & !wide_separators).trailing_zeros() as usize)
                .copied();
            if self.cyrillic_cjk && matches!(stop, Some(0xD0 | 0xD1 | 0xE4..=0xE9)) {
                // As in `run32`: А..я after `D0`, р..я and ё after `D1`, and the ideographs
                // `E4 B8 xx`..`E9 xx xx`.
                let after_d0 = within(0x90, 0xC0);
                let after_d1 = within(0x80, 0x90) | is(0x91);
                let cyrillic = (is(0xD0) & after_d0 >> 1 | is(0xD1) & after_d1 >> 1) & room(1);
                let e4 = is(0xE4) & within(0xB8, 0xC0) >> 1;
                let ideograph = (e4 | within(0xE5, 0xEA)) & room(2);
                wide = cyrillic | cyrillic << 1 | ideograph | ideograph << 1 | ideograph << 2;
            }
            let end = if len < 64 { 1u64 << len } else { 0 };
            let valid = (others & !wide & !wide_separators | end).trailing_zeros() as usize;
            if valid == 0 {
                return used;
            }
            let valid_mask = u64::MAX >> (64 - valid);
            let separators = (in_set(separator_low, separator_high) | wide_separators) & valid_mask;

            let mut mapped = x;
            if self.lowercase {
                // ASCII A..Z, and the second byte of À..Þ but × (`C3 97`): each gains 0x20.
                let mut upper =
                    within(b'A', b'Z' + 1) | latin_lead << 1 & within(0x80, 0x9F) & !is(0x97);
                // Р..Я: `D0 A0`..`D0 AF`, lowercased to `D1 80`..`D1 8F`.
                let mut shifted = 0;
                if wide != 0 {
                    // А..П: `D0 90`..`D0 9F`.
                    upper |= is(0xD0) << 1 & within(0x90, 0xA0);
                    shifted = is(0xD0) & within(0xA0, 0xB0) >> 1 & valid_mask;
                }
                mapped = _mm512_mask_add_epi8(mapped, upper, mapped, _mm512_set1_epi8(0x20));
                if shifted != 0 {
                    mapped = _mm512_mask_add_epi8(mapped, shifted, mapped, _mm512_set1_epi8(1));
                    let seconds = shifted << 1;
                    mapped = _mm512_mask_sub_epi8(mapped, seconds, mapped, _mm512_set1_epi8(0x20));
                }
            }
            mapped = _mm512_mask_mov_epi8(mapped, separators, _mm512_set1_epi8(b' ' as i8));

            let before = (separators << 1) | u64::from(*after_separator);
            let keep = valid_mask & !(separators & before);
            *after_separator = separators >> (valid - 1) & 1 != 0;
            let out = &mut buf[*n..*n + 64];
            // SAFETY: writes the 64 bytes of `out`.
            unsafe {
                _mm512_storeu_si512(
                    out.as_mut_ptr().cast(),
                    _mm512_maskz_compress_epi8(keep, mapped),
                );
            }
            *n += keep.count_ones() as usize;
            used += valid;
            if valid < 64 {
                break;
            }
        }
        used
    }
}

/// [`CharTable::normalize`] compiled for AVX-512, with [`AsciiClasses::run64`] inlined.
#[target_feature(enable = "avx512f,avx512bw,avx512vbmi2,popcnt")]
pub(super) fn normalize_avx512(
    table: &CharTable,
    classes: &AsciiClasses,
    text: &str,
    buf: &mut Vec<u8>,
) -> Option<usize> {
    table.normalize_with::<64>(
        text,
        buf,
        Some(
            #[inline(always)]
            |rest: &[u8], buf: &mut [u8], n: &mut usize, after: &mut bool| {
                classes.run64(rest, buf, n, after)
            },
        ),
        classes.cyrillic_cjk,
    )
}

/// `step` on each `N` bytes of `rest` and `N`, for as long as it takes all `N`; a last piece
/// shorter than `N` is padded with zeros and passed with its length, so a paragraph's last
/// bytes are not left to the scalar steps. Returns how many bytes of `rest` were taken.
#[inline(always)]
fn chunks<const N: usize>(rest: &[u8], mut step: impl FnMut(&[u8; N], usize) -> usize) -> usize {
    let mut used = 0;
    while let Some(text) = rest.get(used..).filter(|text| !text.is_empty()) {
        let took = match text.get(..N) {
            Some(wide) => step(wide.try_into().expect("N bytes"), N),
            None => {
                let mut padded = [0u8; N];
                padded[..text.len()].copy_from_slice(text);
                step(&padded, text.len())
            }
        };
        used += took;
        if took < N {
            break;
        }
    }
    used
}

/// A 16-byte table in all four lanes of a 64-byte vector.
#[target_feature(enable = "avx512f")]
#[inline]
fn table4(bytes: &[u8; 16]) -> __m512i {
    let lo = u64::from_le_bytes(bytes[..8].try_into().expect("eight bytes")) as i64;
    let hi = u64::from_le_bytes(bytes[8..].try_into().expect("eight bytes")) as i64;
    _mm512_set_epi64(hi, lo, hi, lo, hi, lo, hi, lo)
}

/// [`CharTable::normalize`] compiled for AVX2, with [`AsciiClasses::run32`] inlined.
#[target_feature(enable = "avx2,popcnt")]
pub(super) fn normalize_avx2(
    table: &CharTable,
    classes: &AsciiClasses,
    text: &str,
    buf: &mut Vec<u8>,
) -> Option<usize> {
    table.normalize_with::<32>(
        text,
        buf,
        Some(
            #[inline(always)]
            |rest: &[u8], buf: &mut [u8], n: &mut usize, after: &mut bool| {
                classes.run32(rest, buf, n, after)
            },
        ),
        classes.cyrillic_cjk,
    )
}

/// A set of UTF-8 continuation bytes (`0x80..=0xBF`) in the nibble-table form of
/// [`AsciiClasses`]: bit `h - 8` of `low[l]` is set when byte `h << 4 | l` is in the set, and
/// [`CONTINUATION_HIGH`] selects that bit by the high nibble.
#[derive(Clone, Copy, Debug)]
struct ContinuationSet {
    low: [u8; 16],
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
const CONTINUATION_HIGH: [u8; 16] = [0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 4, 8, 0, 0, 0, 0];

/// Bit `i` of `bits` as byte `i` of a vector: all ones or all zeros.
#[target_feature(enable = "avx2")]
#[inline]
fn byte_mask(bits: u32) -> __m256i {
    // Byte `i` takes the mask byte that holds its bit (bytes 0..8 of the first lane get
    // mask byte 0, and so on), then keeps that bit alone.
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
    _mm256_cmpeq_epi8(_mm256_and_si256(spread, bit), bit)
}

/// The UTF-8 of a two-byte code point.
fn encode2(cp: usize) -> [u8; 2] {
    [0xC0 | (cp >> 6) as u8, 0x80 | (cp & 0x3F) as u8]
}

/// A 16-byte table in both lanes of a 32-byte vector.
#[target_feature(enable = "avx2")]
#[inline]
fn table2(bytes: &[u8; 16]) -> __m256i {
    let lo = u64::from_le_bytes(bytes[..8].try_into().expect("eight bytes")) as i64;
    let hi = u64::from_le_bytes(bytes[8..].try_into().expect("eight bytes")) as i64;
    _mm256_set_epi64x(hi, lo, hi, lo)
}

/// [`CharTable::normalize`] compiled for SSSE3, with [`AsciiClasses::chunk`] inlined.
#[target_feature(enable = "ssse3,popcnt")]
pub(super) fn normalize(
    table: &CharTable,
    classes: &AsciiClasses,
    text: &str,
    buf: &mut Vec<u8>,
) -> Option<usize> {
    table.normalize_with::<16>(
        text,
        buf,
        Some(
            #[inline(always)]
            |rest: &[u8], buf: &mut [u8], n: &mut usize, after: &mut bool| {
                chunks::<16>(rest, |chunk, len| classes.chunk(chunk, len, buf, n, after))
            },
        ),
        false,
    )
}

/// A 16-byte table as a vector.
#[target_feature(enable = "sse2")]
#[inline]
fn table(bytes: &[u8; 16]) -> __m128i {
    let lo = u64::from_le_bytes(bytes[..8].try_into().expect("eight bytes"));
    let hi = u64::from_le_bytes(bytes[8..].try_into().expect("eight bytes"));
    _mm_set_epi64x(hi as i64, lo as i64)
}

/// For each 8-bit mask: the positions of its set bits, lowest first, as the byte indices of a
/// `pshufb` that packs those bytes to the front (the rest of the indices are don't-cares).
static PACK: [u64; 256] = {
    let mut table = [0u64; 256];
    let mut mask = 0;
    while mask < 256 {
        let mut packed = 0u64;
        let mut count = 0;
        let mut bit = 0;
        while bit < 8 {
            if mask & (1 << bit) != 0 {
                packed |= (bit as u64) << (8 * count);
                count += 1;
            }
            bit += 1;
        }
        table[mask] = packed;
        mask += 1;
    }
    table
};
