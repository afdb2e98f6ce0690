//! The seen-set: which fingerprints were met before, and where first.

use core::hash::{BuildHasherDefault, Hasher};
use std::collections::hash_map::{Entry, HashMap};

use crate::fingerprint::Fingerprint;

/// Where a paragraph was first met: its document's number (counting from 0 in the order the
/// deduper was given documents) and its paragraph number within that document (from 0).
///
/// ```
/// use paradedup::{Deduper, Origin, Scope};
///
/// let mut d = Deduper::builder().scope(Scope::Corpus).build();
/// d.dedup("intro\nshared");
/// let out = d.dedup("shared\nnew");
/// assert_eq!(out.removed()[0].first(), Some(Origin { document: 0, paragraph: 1 }));
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Origin {
    /// The document's number, from 0, in the order documents were given.
    pub document: u64,
    /// The paragraph's number within its document, from 0, counting every paragraph.
    pub paragraph: u64,
}

/// What a seen-set knew of a fingerprint it was asked to record.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Seen {
    /// Not seen before: now recorded.
    New,
    /// Seen before; where first, when the set keeps origins.
    Before(Option<Origin>),
}

/// A set of fingerprints, each with the [`Origin`] of its first occurrence.
///
/// Fingerprints are already uniform hashes, so the set uses their low 64 bits as the hash
/// instead of hashing them again.
///
/// ```
/// use paradedup::{Fingerprint, Origin, Seen, SeenSet};
///
/// let mut seen = SeenSet::new();
/// let fp = Fingerprint::of("hello");
/// let here = Origin { document: 0, paragraph: 3 };
/// assert_eq!(seen.record(fp, here), Seen::New);
/// assert_eq!(seen.record(fp, Origin::default()), Seen::Before(Some(here)));
/// assert!(seen.contains(fp));
/// assert_eq!(seen.len(), 1);
/// ```
#[derive(Clone, Debug, Default)]
pub struct SeenSet {
    map: HashMap<Fingerprint, Origin, BuildHasherDefault<FingerprintHasher>>,
}

impl SeenSet {
    /// An empty set.
    pub fn new() -> SeenSet {
        SeenSet::default()
    }

    /// An empty set with room for `capacity` fingerprints before it grows.
    ///
    /// ```
    /// assert!(paradedup::SeenSet::with_capacity(1000).capacity() >= 1000);
    /// ```
    pub fn with_capacity(capacity: usize) -> SeenSet {
        SeenSet {
            map: HashMap::with_capacity_and_hasher(capacity, Default::default()),
        }
    }

    /// Records `fingerprint` as first met at `origin`, unless it was met before: then the set is
    /// unchanged and says where the first occurrence was.
    #[inline]
    pub fn record(&mut self, fingerprint: Fingerprint, origin: Origin) -> Seen {
        match self.map.entry(fingerprint) {
            Entry::Occupied(first) => Seen::Before(Some(*first.get())),
            Entry::Vacant(slot) => {
                slot.insert(origin);
                Seen::New
            }
        }
    }

    /// Adds `fingerprint` with `origin`; true when it was not in the set (the `HashSet::insert`
    /// convention). An existing entry keeps its first origin.
    ///
    /// ```
    /// let mut seen = paradedup::SeenSet::new();
    /// let fp = paradedup::Fingerprint::of("a");
    /// assert!(seen.insert(fp, Default::default()));
    /// assert!(!seen.insert(fp, Default::default()));
    /// ```
    #[inline]
    pub fn insert(&mut self, fingerprint: Fingerprint, origin: Origin) -> bool {
        self.record(fingerprint, origin) == Seen::New
    }

    /// True when `fingerprint` is in the set.
    #[inline]
    pub fn contains(&self, fingerprint: Fingerprint) -> bool {
        self.map.contains_key(&fingerprint)
    }

    /// Where `fingerprint` was first met, if it was.
    ///
    /// ```
    /// use paradedup::{Fingerprint, Origin, SeenSet};
    /// let mut seen = SeenSet::new();
    /// seen.insert(Fingerprint::of("a"), Origin { document: 2, paragraph: 0 });
    /// assert_eq!(seen.first(Fingerprint::of("a")).unwrap().document, 2);
    /// assert_eq!(seen.first(Fingerprint::of("b")), None);
    /// ```
    #[inline]
    pub fn first(&self, fingerprint: Fingerprint) -> Option<Origin> {
        self.map.get(&fingerprint).copied()
    }

    /// The number of fingerprints in the set.
    pub fn len(&self) -> usize {
        self.map.len()
    }

    /// True when the set holds no fingerprint.
    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }

    /// How many fingerprints the set holds before it grows.
    pub fn capacity(&self) -> usize {
        self.map.capacity()
    }

    /// Forgets every fingerprint, keeping the allocation.
    pub fn clear(&mut self) {
        self.map.clear();
    }

    /// Gives back memory beyond what `min_capacity` fingerprints need.
    pub fn shrink_to(&mut self, min_capacity: usize) {
        self.map.shrink_to(min_capacity);
    }

    /// An estimate of the heap memory the set holds, in bytes: its slots and their control
    /// bytes.
    ///
    /// ```
    /// let seen = paradedup::SeenSet::with_capacity(1000);
    /// assert!(seen.memory_usage() >= 1000 * 32);
    /// ```
    pub fn memory_usage(&self) -> usize {
        let slot = core::mem::size_of::<(Fingerprint, Origin)>() + 1;
        // hashbrown keeps 1/8 of its buckets free; `capacity` is 7/8 of the buckets.
        self.map.capacity().div_ceil(7) * 8 * slot
    }

    /// Iterates over the fingerprints and their first origins, in no particular order.
    pub fn iter(&self) -> impl Iterator<Item = (Fingerprint, Origin)> + '_ {
        self.map.iter().map(|(fp, origin)| (*fp, *origin))
    }
}

/// Takes the low 64 bits of a fingerprint as its hash: they are uniform already.
#[derive(Clone, Copy, Debug, Default)]
struct FingerprintHasher(u64);

impl Hasher for FingerprintHasher {
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
