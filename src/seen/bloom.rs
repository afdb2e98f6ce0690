//! A Bloom filter over fingerprints: fixed memory, no false negatives, a chosen false-positive
//! rate.
//!
//! Sized the textbook way for `n` expected fingerprints and a false-positive rate `p`:
//! `m = -n ln p / (ln 2)^2` bits and `k = (m / n) ln 2` probes, which is about 14.4 bits
//! (1.8 bytes) per fingerprint at `p = 1e-3` with 10 probes and 28.8 bits (3.6 bytes) at
//! `p = 1e-6` with 20. The probes come from the fingerprint itself by double hashing
//! (Kirsch–Mitzenmacher): its two 64-bit halves are independent uniform values, so no hash
//! is computed again.

use crate::error::{Error, ErrorKind};

#[derive(PartialEq)]
pub(crate) struct Bloom {
    pub(crate) words: Vec<u64>,
    pub(crate) bits: u64,
    pub(crate) probes: u32,
    pub(crate) expected: u64,
    pub(crate) fp_rate: f64,
    /// Insertions that set at least one bit: the number of distinct fingerprints, less the
    /// false positives.
    pub(crate) inserted: u64,
}

impl Clone for Bloom {
    fn clone(&self) -> Bloom {
        Bloom {
            words: super::table_from(self.words.len(), self.words.iter().copied()),
            ..*self
        }
    }
}

impl core::fmt::Debug for Bloom {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Bloom")
            .field("bits", &self.bits)
            .field("probes", &self.probes)
            .field("expected", &self.expected)
            .field("fp_rate", &self.fp_rate)
            .field("inserted", &self.inserted)
            .finish()
    }
}

impl Bloom {
    pub(crate) fn new(expected: u64, fp_rate: f64) -> Result<Bloom, Error> {
        let (bits, probes) = Bloom::geometry(expected, fp_rate)?;
        let words = bits.div_ceil(64) as usize;
        // The size comes from the caller's numbers: an allocation the system refuses is an
        // error that says the size, not an abort.
        let words = super::try_table(words).map_err(|()| {
            Error::new(
                ErrorKind::InvalidConfig,
                format!(
                    "a Bloom filter for {expected} fingerprints at {fp_rate} needs {} bytes, which cannot be allocated",
                    words * 8
                ),
            )
        })?;
        Ok(Bloom {
            words,
            bits,
            probes,
            expected,
            fp_rate,
            inserted: 0,
        })
    }

    /// The filter's size in bits and its probes for `expected` fingerprints at `fp_rate`.
    pub(crate) fn geometry(expected: u64, fp_rate: f64) -> Result<(u64, u32), Error> {
        if !(fp_rate > 0.0 && fp_rate < 1.0) {
            return Err(Error::new(
                ErrorKind::InvalidConfig,
                format!(
                    "a Bloom filter's false-positive rate must be between 0 and 1, not {fp_rate}"
                ),
            ));
        }
        if expected == 0 {
            return Err(Error::new(
                ErrorKind::InvalidConfig,
                "a Bloom filter must be sized for at least 1 fingerprint, not 0",
            ));
        }
        let n = expected as f64;
        let ln2 = core::f64::consts::LN_2;
        let bits = (-n * fp_rate.ln() / (ln2 * ln2)).ceil().max(64.0);
        if bits > (1u64 << 46) as f64 {
            return Err(Error::new(
                ErrorKind::InvalidConfig,
                format!("a Bloom filter for {expected} fingerprints at {fp_rate} would need {bits} bits, more than 8 TiB"),
            ));
        }
        let bits = bits as u64;
        let probes = ((bits as f64 / n) * ln2).round().clamp(1.0, 64.0) as u32;
        Ok((bits, probes))
    }

    /// The false-positive rate of the filter as filled now, from its count of insertions:
    /// `(1 - e^(-k n / m))^k`, the textbook estimate.
    pub(crate) fn estimated_fp_rate(&self) -> f64 {
        let k = f64::from(self.probes);
        let fill = 1.0 - (-k * self.inserted as f64 / self.bits as f64).exp();
        fill.powf(k)
    }

    #[inline]
    fn probe_positions(&self, fp: u128) -> impl Iterator<Item = u64> {
        let h1 = fp as u64;
        let h2 = ((fp >> 64) as u64) | 1;
        let bits = self.bits;
        (0..u64::from(self.probes)).map(move |i| {
            let h = h1.wrapping_add(i.wrapping_mul(h2));
            // Lemire's fast range instead of `%`.
            ((u128::from(h) * u128::from(bits)) >> 64) as u64
        })
    }

    /// Starts loading the words `fp`'s probes read.
    #[inline]
    pub(crate) fn prefetch(&self, fp: u128) {
        for bit in self.probe_positions(fp) {
            super::prefetch(&self.words[(bit / 64) as usize]);
        }
    }

    #[inline]
    pub(crate) fn contains(&self, fp: u128) -> bool {
        self.probe_positions(fp)
            .all(|bit| self.words[(bit / 64) as usize] & (1 << (bit % 64)) != 0)
    }

    /// Sets the fingerprint's bits; true when any was unset (the fingerprint is certainly new).
    #[inline]
    pub(crate) fn insert(&mut self, fp: u128) -> bool {
        let mut new = false;
        for bit in self.probe_positions(fp) {
            let word = &mut self.words[(bit / 64) as usize];
            let mask = 1 << (bit % 64);
            new |= *word & mask == 0;
            *word |= mask;
        }
        self.inserted += u64::from(new);
        new
    }

    pub(crate) fn memory_usage(&self) -> usize {
        self.words.len() * 8
    }

    pub(crate) fn clear(&mut self) {
        self.words.fill(0);
        self.inserted = 0;
    }

    /// ORs `other` in: the union of two filters of the same geometry.
    pub(crate) fn merge(&mut self, other: &Bloom) -> Result<(), Error> {
        if self.bits != other.bits || self.probes != other.probes {
            return Err(Error::new(
                ErrorKind::Incompatible,
                format!(
                    "cannot merge Bloom filters of different sizes ({} bits, {} probes vs {} bits, {} probes); build both with the same expected count and rate",
                    self.bits, self.probes, other.bits, other.probes
                ),
            ));
        }
        for (a, b) in self.words.iter_mut().zip(&other.words) {
            *a |= b;
        }
        // The union's size is estimated from its fill (Swamidass & Baldi).
        let set: u64 = self.words.iter().map(|w| u64::from(w.count_ones())).sum();
        let m = self.bits as f64;
        let fill = (set as f64 / m).min(1.0 - 1e-12);
        self.inserted = (-(m / f64::from(self.probes)) * (1.0 - fill).ln()).round() as u64;
        Ok(())
    }
}
