//! The table path's SIMD step on x86-64: many ASCII bytes (and common letters and separators
//! beyond ASCII) at a time.
//!
//! The table path's rule for an ASCII byte is simple enough for SIMD: a byte is a separator
//! or kept; a kept byte is itself or, when lowercasing, its lowercase; a separator is written
//! as a space unless the byte before it was a separator too. So a chunk is classified with two
//! nibble lookups (`pshufb`: one table per nibble, ANDed, the usual way of testing membership
//! of any set of bytes), mapped with range compares, and packed when some separators must go.
//!
//! The step takes more than ASCII: Latin-1 letters, basic Cyrillic and CJK ideographs when the
//! table copies (or lowercases) them as they are, and the two- and three-byte characters from
//! U+0080 to U+00BF, U+2000 to U+203F, U+3000 to U+303F and U+FF00 to U+FF3F that the table
//! makes separators (the `’`, guillemets, no-break spaces and dashes of French prose, the
//! full-width punctuation of Chinese). Each byte of such a separator counts as a separator
//! byte: a run of separators collapses to one space, so the character writes one space, as the
//! table would.
//!
//! The step is written once, in [`kernel`], over the [`Lanes`] trait, and each instruction set
//! implements the trait: [`ssse3`] (16 lanes), [`avx2`] (32) and [`avx512`] (64, with VBMI2's
//! `vpcompressb` to pack and a masked load for a paragraph's last bytes). A property test
//! compares every one this CPU runs with the general path.

mod avx2;
mod avx512;
mod classes;
mod kernel;
mod ssse3;

use std::sync::OnceLock;

use super::table::CharTable;
use classes::AsciiClasses;

/// The SIMD step of one table: what the kernel needs of the table, and the kernel this CPU
/// runs it with.
pub(super) struct Simd {
    classes: AsciiClasses,
    kernel: Kernel,
}

impl Simd {
    /// The step for `table`, whose normalizer lowercases when `lowercase`, by the widest kernel
    /// this CPU runs; `None` when it runs none, or when the table's ASCII entries are not what
    /// the kernel handles.
    pub(super) fn new(table: &CharTable, lowercase: bool) -> Option<Simd> {
        Some(Simd {
            kernel: Kernel::widest()?,
            classes: AsciiClasses::new(table, lowercase)?,
        })
    }

    /// [`CharTable::normalize`] of `table` (the one this step was made for) by the kernel.
    #[inline]
    pub(super) fn normalize(
        &self,
        table: &CharTable,
        text: &str,
        buf: &mut Vec<u8>,
    ) -> Option<usize> {
        self.kernel.normalize(table, &self.classes, text, buf)
    }
}

/// The signature of each instruction set's entry point.
type Entry = unsafe fn(&CharTable, &AsciiClasses, &str, &mut Vec<u8>) -> Option<usize>;

/// An instruction set the kernel is compiled for.
#[derive(Clone, Copy)]
struct InstructionSet {
    /// For the tests' messages.
    #[cfg(test)]
    name: &'static str,
    /// Whether this CPU has the features `entry` needs.
    runs: fn() -> bool,
    entry: Entry,
}

/// The instruction sets, widest first.
const INSTRUCTION_SETS: [InstructionSet; 3] = [
    InstructionSet {
        #[cfg(test)]
        name: "AVX-512",
        runs: avx512::available,
        entry: avx512::normalize,
    },
    InstructionSet {
        #[cfg(test)]
        name: "AVX2",
        runs: avx2::available,
        entry: avx2::normalize,
    },
    InstructionSet {
        #[cfg(test)]
        name: "SSSE3",
        runs: ssse3::available,
        entry: ssse3::normalize,
    },
];

/// A kernel this CPU was found to run: only [`Kernel::available`] makes one.
#[derive(Clone, Copy)]
struct Kernel {
    /// The instruction set's, for the tests' messages.
    #[cfg(test)]
    name: &'static str,
    entry: Entry,
}

impl Kernel {
    /// Every kernel this CPU runs, widest first.
    fn available() -> impl Iterator<Item = Kernel> {
        INSTRUCTION_SETS
            .into_iter()
            .filter(|isa| (isa.runs)())
            .map(|isa| Kernel {
                #[cfg(test)]
                name: isa.name,
                entry: isa.entry,
            })
    }

    /// The widest kernel this CPU runs: the features are detected once per process, on the
    /// first table built, and every table after takes the same kernel.
    fn widest() -> Option<Kernel> {
        static WIDEST: OnceLock<Option<Kernel>> = OnceLock::new();
        *WIDEST.get_or_init(|| Kernel::available().next())
    }

    /// The kernel's [`CharTable::normalize`].
    #[allow(unsafe_code)]
    #[inline]
    fn normalize(
        self,
        table: &CharTable,
        classes: &AsciiClasses,
        text: &str,
        buf: &mut Vec<u8>,
    ) -> Option<usize> {
        // SAFETY: a `Kernel` is only made by `available`, after the test for its features.
        unsafe { (self.entry)(table, classes, text, buf) }
    }
}

/// A SIMD register of byte lanes, with what the [`kernel`] asks of it.
///
/// A set of lanes comes in the form the instruction set compares into ([`Lanes::Mask`]): a
/// vector of all-ones and all-zero bytes for SSSE3 and AVX2, a mask register for AVX-512. The
/// kernel turns it into bits (lane `i` as bit `i` of a `u64`) only where it counts or shifts
/// lanes, so neither kind pays for the conversions the other would need.
///
/// # Safety
///
/// Every method needs the CPU features its implementation names, and must run inlined into a
/// function compiled with them: the methods are `#[inline(always)]`, and only the kernels'
/// `#[target_feature]` entry points call them.
#[allow(unsafe_code)]
pub(super) trait Lanes: Copy {
    /// Lanes in a register: 16, 32 or 64, so that a set of lanes fits in a `u64`.
    const LANES: usize;

    /// A set of lanes, as this instruction set's compares give it.
    type Mask: LaneMask;

    /// A 16-byte lookup table in every 128-bit lane, for [`Lanes::in_set`].
    unsafe fn table(bytes: &[u8; 16]) -> Self;

    /// The first [`Lanes::LANES`] bytes of `bytes`, which holds at least that many.
    unsafe fn load(bytes: &[u8]) -> Self;

    /// The bytes of `bytes`, fewer than [`Lanes::LANES`] and at least one, in the first lanes;
    /// the other lanes are zero.
    unsafe fn load_tail(bytes: &[u8]) -> Self;

    /// The lanes equal to `byte`.
    unsafe fn eq(self, byte: u8) -> Self::Mask;

    /// The lanes from `lo` up to but not including `hi` (`lo < hi`), unsigned.
    unsafe fn within(self, lo: u8, hi: u8) -> Self::Mask;

    /// The lanes whose byte is in the set of two nibble tables (made by [`Lanes::table`]):
    /// `low[byte & 0xF] & high[byte >> 4]` is not zero.
    unsafe fn in_set(self, low: Self, high: Self) -> Self::Mask;

    /// The lanes at or above 0x80, as bits.
    unsafe fn non_ascii(self) -> u64;

    /// The lanes whose bit is set in `bits`.
    unsafe fn lanes(bits: u64) -> Self::Mask;

    /// `byte` added (wrapping) to the lanes of `mask`.
    unsafe fn add_where(self, mask: Self::Mask, byte: u8) -> Self;

    /// The lanes of `mask` replaced by `byte`.
    unsafe fn set_where(self, mask: Self::Mask, byte: u8) -> Self;

    /// Writes the lanes whose bit is set in `keep`, in order, to the front of `out` (which has
    /// room for [`Lanes::LANES`] bytes; what follows the kept bytes there is garbage), and
    /// returns how many they are.
    unsafe fn store_kept(self, keep: u64, out: &mut [u8]) -> usize;
}

/// A set of lanes of a [`Lanes`] register.
///
/// # Safety
///
/// As for [`Lanes`]: the methods need the CPU features of the register they come from.
#[allow(unsafe_code)]
pub(super) trait LaneMask: Copy {
    /// The lanes in both sets.
    unsafe fn and(self, other: Self) -> Self;

    /// The lanes in either set.
    unsafe fn or(self, other: Self) -> Self;

    /// The lanes in this set but not in `other`.
    unsafe fn and_not(self, other: Self) -> Self;

    /// The set as bits: lane `i` as bit `i`.
    unsafe fn bits(self) -> u64;

    /// The lanes just after those of the set: lane `i + 1` for each lane `i`, as the bits
    /// shifted left by one.
    unsafe fn after(self) -> Self;
}

/// For each 8-bit mask: the positions of its set bits, lowest first, as the byte indices of a
/// `pshufb` that packs those bytes to the front (the rest of the indices are don't-cares). The
/// instruction sets without a compress instruction pack eight lanes at a time with it.
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize::Normalizer;

    proptest::proptest! {
        /// Every variant of the loop this CPU can run (AVX-512, AVX2, SSSE3, no SIMD) gives what the
        /// general path gives, on text that mixes long ASCII runs, Latin-1 letters, Cyrillic,
        /// ideographs, the separators a chunk takes and the characters that stop one.
        #[test]
        fn every_simd_variant_equals_the_general_path(
            text in "([a-zA-Z0-9]{1,40}|[ ,.!?'\"()-]{1,3}|[éÉàÀçÇ×÷ß]|\u{A0}|\u{2019}|[«»–—“”…•‰†©°²ª]|[\u{A0}-\u{A7}\u{A9}-\u{AE}\u{B0}-\u{B3}\u{B5}-\u{B7}\u{B9}-\u{BB}\u{BF}]|[\u{2000}-\u{2016}\u{2018}-\u{2027}\u{202F}-\u{2032}\u{2035}\u{2038}-\u{203D}\u{203F}]|[а-яА-ЯёЁѐ]{1,12}|[一-龥々〇]{1,10}|[\u{4E00}\u{9FFF}]|[\u{3000}-\u{3029}\u{3030}-\u{303F}]|[\u{FF01}-\u{FF3F}]|\t){0,30}",
            lowercase in proptest::bool::ANY,
            punctuation in proptest::bool::ANY,
            drop_symbols in proptest::bool::ANY,
        ) {
            let n = Normalizer::standard()
                .lowercase(lowercase)
                .punctuation(punctuation)
                .drop_symbols(drop_symbols);
            let mut general = String::new();
            n.general_into(text.trim(), &mut general);
            let table = CharTable::build(&n).expect("tabulated");
            let classes = AsciiClasses::new(&table, lowercase).expect("ASCII the kernels take");
            let mut buf = Vec::new();
            let len = table.normalize(&text, &mut buf).expect("all tabulated");
            proptest::prop_assert_eq!(core::str::from_utf8(&buf[..len]).unwrap(), &general);
            for kernel in Kernel::available() {
                let len = kernel
                    .normalize(&table, &classes, &text, &mut buf)
                    .expect("all tabulated");
                let normalized = core::str::from_utf8(&buf[..len]).unwrap();
                proptest::prop_assert_eq!(normalized, &general, "{}", kernel.name);
            }
        }
    }
}
