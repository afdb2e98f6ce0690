//! Fingerprints: the 128-bit identity of a normalized paragraph.

use core::fmt;

use xxhash_rust::xxh3::xxh3_128_with_seed;

/// The seed of every fingerprint: the ASCII bytes `paradedu` read as a big-endian `u64`.
///
/// It is part of the file format of saved seen-sets and never changes within a major version;
/// a golden test pins fingerprints computed with it.
pub const SEED: u64 = u64::from_be_bytes(*b"paradedu");

/// The identity of a paragraph: xxh3-128 of its normalized form, seeded with [`SEED`].
///
/// xxh3 is specified byte for byte, so a fingerprint is the same on every run, platform and
/// version (unlike aHash, whose output may change). 128 bits because a corpus of 10^10
/// paragraphs expects about 3 collisions at 64 bits and none at 128.
///
/// ```
/// use paradedup::Fingerprint;
///
/// let a = Fingerprint::of("comme toujours");
/// assert_eq!(a, Fingerprint::of("comme toujours"));
/// assert_ne!(a, Fingerprint::of("comme toujour"));
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Fingerprint(u128);

impl Fingerprint {
    /// The fingerprint of an already normalized text.
    #[inline]
    pub fn of(normalized: &str) -> Fingerprint {
        Fingerprint::of_bytes(normalized.as_bytes())
    }

    /// The fingerprint of arbitrary bytes.
    ///
    /// ```
    /// use paradedup::Fingerprint;
    /// assert_eq!(Fingerprint::of_bytes(b"abc"), Fingerprint::of("abc"));
    /// ```
    #[inline]
    pub fn of_bytes(bytes: &[u8]) -> Fingerprint {
        Fingerprint(xxh3_128_with_seed(bytes, SEED))
    }

    /// A fingerprint from its 128-bit value, as [`Fingerprint::as_u128`] returns it.
    ///
    /// ```
    /// use paradedup::Fingerprint;
    /// let fp = Fingerprint::of("x");
    /// assert_eq!(Fingerprint::from_u128(fp.as_u128()), fp);
    /// ```
    #[inline]
    pub const fn from_u128(value: u128) -> Fingerprint {
        Fingerprint(value)
    }

    /// The 128-bit value.
    #[inline]
    pub const fn as_u128(self) -> u128 {
        self.0
    }

    /// The value as two `u64` halves, high first: the form Python and Spark store it in.
    ///
    /// ```
    /// use paradedup::Fingerprint;
    /// let fp = Fingerprint::of("x");
    /// let (hi, lo) = fp.to_parts();
    /// assert_eq!(Fingerprint::from_parts(hi, lo), fp);
    /// ```
    #[inline]
    pub const fn to_parts(self) -> (u64, u64) {
        ((self.0 >> 64) as u64, self.0 as u64)
    }

    /// A fingerprint from its two `u64` halves, high first.
    #[inline]
    pub const fn from_parts(high: u64, low: u64) -> Fingerprint {
        Fingerprint(((high as u128) << 64) | low as u128)
    }

    /// The 16 bytes of the value, big-endian (the order its hexadecimal form reads in).
    ///
    /// ```
    /// use paradedup::Fingerprint;
    /// let fp = Fingerprint::of("x");
    /// assert_eq!(Fingerprint::from_be_bytes(fp.to_be_bytes()), fp);
    /// ```
    #[inline]
    pub const fn to_be_bytes(self) -> [u8; 16] {
        self.0.to_be_bytes()
    }

    /// A fingerprint from 16 big-endian bytes.
    #[inline]
    pub const fn from_be_bytes(bytes: [u8; 16]) -> Fingerprint {
        Fingerprint(u128::from_be_bytes(bytes))
    }
}

/// 32 lowercase hexadecimal digits.
///
/// ```
/// let hex = paradedup::Fingerprint::from_u128(0xab).to_string();
/// assert_eq!(hex, "000000000000000000000000000000ab");
/// ```
impl fmt::Display for Fingerprint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:032x}", self.0)
    }
}

impl fmt::Debug for Fingerprint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Fingerprint({:032x})", self.0)
    }
}

/// A [`Hasher`](core::hash::Hasher) for maps and sets keyed by [`Fingerprint`]: it takes the
/// fingerprint's low 64 bits as the hash, which are uniform already, instead of hashing them
/// again. Use it through [`FingerprintBuildHasher`].
///
/// ```
/// use std::collections::HashMap;
/// use paradedup::{Fingerprint, FingerprintBuildHasher};
///
/// let mut counts: HashMap<Fingerprint, u32, FingerprintBuildHasher> = HashMap::default();
/// *counts.entry(Fingerprint::of("s'abonner")).or_default() += 1;
/// assert_eq!(counts[&Fingerprint::of("s'abonner")], 1);
/// ```
#[derive(Clone, Copy, Debug, Default)]
pub struct FingerprintHasher(u64);

impl core::hash::Hasher for FingerprintHasher {
    #[inline]
    fn finish(&self) -> u64 {
        self.0
    }

    #[inline]
    fn write_u128(&mut self, value: u128) {
        self.0 = value as u64;
    }

    fn write(&mut self, bytes: &[u8]) {
        // Only `write_u128` is used by `Fingerprint`'s `Hash`; fold anything else in rather
        // than ignore it.
        for &b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(b);
        }
    }
}

/// The [`BuildHasher`](core::hash::BuildHasher) of [`FingerprintHasher`], for
/// `HashMap<Fingerprint, _, FingerprintBuildHasher>`.
pub type FingerprintBuildHasher = core::hash::BuildHasherDefault<FingerprintHasher>;
