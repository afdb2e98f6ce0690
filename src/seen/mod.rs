//! Seen-sets: which fingerprints were met before, and where first.
//!
//! One type, [`SeenSet`], with three backends chosen at construction:
//!
//! | backend | constructor | memory per distinct paragraph | false positives | origins |
//! |---|---|---|---|---|
//! | with origins (default) | [`SeenSet::new`] | 37 to 74 bytes | never | yes |
//! | exact | [`SeenSet::exact`] | 18 to 24 bytes | never | no |
//! | Bloom filter | [`SeenSet::bloom`] | 1.8 bytes at 1e-3, 3.6 at 1e-6, fixed up front | at the rate chosen | no |
//!
//! Every backend can be saved, loaded and merged; see [`SeenSet::save`].

mod bloom;
mod exact;
mod file;

use std::collections::hash_map::{Entry, HashMap};

use crate::error::{Error, ErrorKind};
use crate::fingerprint::{Fingerprint, FingerprintBuildHasher};

use self::bloom::Bloom;
use self::exact::ExactSet;

/// Where a paragraph was first met: its document's number (counting from 0 in the order the
/// deduper was given documents) and its paragraph number within that document (from 0).
///
/// ```
/// use paradedup::{Deduper, Origin, Scope};
///
/// let mut d = Deduper::builder().short_paragraphs(paradedup::ShortParagraphs::RemoveEveryRepeat).scope(Scope::Corpus).build();
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

/// Which backend a [`SeenSet`] uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SeenKind {
    /// Exact, with the origin of each fingerprint: [`SeenSet::new`].
    Origins,
    /// Exact and compact, fingerprints only: [`SeenSet::exact`].
    Exact,
    /// A Bloom filter: [`SeenSet::bloom`].
    Bloom,
}

/// How full a Bloom filter is: [`SeenSet::bloom_fill`].
///
/// Past `expected` fingerprints the false-positive rate grows fast (at twice, about ten times
/// the rate asked for at 1e-3), and every false positive is a unique paragraph removed.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct BloomFill {
    /// The fingerprints the filter was sized for.
    pub expected: u64,
    /// The fingerprints recorded as new so far (after a merge, an estimate).
    pub inserted: u64,
    /// The false-positive rate asked for, at `expected` fingerprints.
    pub fp_rate: f64,
    /// The false-positive rate at the present fill, estimated from `inserted`.
    pub estimated_fp_rate: f64,
}

impl BloomFill {
    /// `inserted / expected`: above 1, the filter is past what it was sized for.
    pub fn ratio(&self) -> f64 {
        self.inserted as f64 / self.expected as f64
    }
}

/// A set of paragraph fingerprints: the memory of a deduper.
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
#[derive(Clone, Debug)]
pub struct SeenSet {
    backend: Backend,
}

#[derive(Clone, Debug)]
enum Backend {
    Origins(HashMap<Fingerprint, Origin, FingerprintBuildHasher>),
    Exact(ExactSet),
    Bloom(Bloom),
}

impl Default for SeenSet {
    fn default() -> SeenSet {
        SeenSet::new()
    }
}

impl SeenSet {
    /// An empty exact set that keeps where each fingerprint was first met. The default.
    pub fn new() -> SeenSet {
        SeenSet::with_capacity(0)
    }

    /// An empty set with origins and room for `capacity` fingerprints before it grows.
    ///
    /// ```
    /// let seen = paradedup::SeenSet::with_capacity(1000);
    /// assert!(seen.memory_usage() >= 1000 * 32);
    /// ```
    pub fn with_capacity(capacity: usize) -> SeenSet {
        SeenSet {
            backend: Backend::Origins(HashMap::with_capacity_and_hasher(
                capacity,
                Default::default(),
            )),
        }
    }

    /// An empty compact exact set: fingerprints only, 18 to 24 bytes each, no false positives
    /// ever. Repeats are found, but not where they were first met.
    ///
    /// ```
    /// use paradedup::{Fingerprint, Origin, Seen, SeenSet};
    ///
    /// let mut seen = SeenSet::exact();
    /// assert_eq!(seen.record(Fingerprint::of("a"), Origin::default()), Seen::New);
    /// assert_eq!(seen.record(Fingerprint::of("a"), Origin::default()), Seen::Before(None));
    /// ```
    pub fn exact() -> SeenSet {
        SeenSet::exact_with_capacity(0)
    }

    /// An empty compact exact set with room for `capacity` fingerprints before it grows.
    pub fn exact_with_capacity(capacity: usize) -> SeenSet {
        SeenSet {
            backend: Backend::Exact(ExactSet::with_capacity(capacity)),
        }
    }

    /// An empty Bloom filter sized for `expected` fingerprints at false-positive rate
    /// `fp_rate`: its memory is fixed now, and never grows.
    ///
    /// It never misses a real repeat. A new paragraph is wrongly taken for a repeat with
    /// probability about `fp_rate` while the filter holds `expected` fingerprints, more past it.
    ///
    /// # Errors
    ///
    /// When `fp_rate` is not strictly between 0 and 1, or the filter would exceed 8 TiB.
    ///
    /// ```
    /// use paradedup::SeenSet;
    ///
    /// let seen = SeenSet::bloom(1_000_000, 1e-3)?;
    /// assert!(seen.memory_usage() < 1_900_000); // about 1.8 bytes per paragraph
    /// assert!(SeenSet::bloom(10, 1.5).is_err());
    /// # Ok::<(), paradedup::Error>(())
    /// ```
    pub fn bloom(expected: u64, fp_rate: f64) -> Result<SeenSet, Error> {
        Ok(SeenSet {
            backend: Backend::Bloom(Bloom::new(expected, fp_rate)?),
        })
    }

    /// The bytes [`SeenSet::bloom`] would allocate for `expected` fingerprints at `fp_rate`,
    /// without allocating them: for checking a size against the memory there is first.
    ///
    /// # Errors
    ///
    /// As for [`SeenSet::bloom`].
    ///
    /// ```
    /// let bytes = paradedup::SeenSet::bloom_bytes(1_000_000, 1e-3)?;
    /// assert!(bytes > 1_700_000 && bytes < 1_900_000);
    /// assert!(paradedup::SeenSet::bloom_bytes(0, 1e-3).is_err());
    /// # Ok::<(), paradedup::Error>(())
    /// ```
    pub fn bloom_bytes(expected: u64, fp_rate: f64) -> Result<u64, Error> {
        let (bits, _) = Bloom::geometry(expected, fp_rate)?;
        Ok(bits.div_ceil(64) * 8)
    }

    /// How full a Bloom filter is, against what it was sized for; `None` for the exact sets.
    ///
    /// ```
    /// use paradedup::{Fingerprint, Origin, SeenSet};
    ///
    /// let mut seen = SeenSet::bloom(100, 1e-3)?;
    /// for i in 0..200u32 {
    ///     seen.insert(Fingerprint::of(&i.to_string()), Origin::default());
    /// }
    /// let fill = seen.bloom_fill().unwrap();
    /// assert_eq!(fill.expected, 100);
    /// assert!(fill.ratio() > 1.9);
    /// assert!(fill.estimated_fp_rate > 10.0 * fill.fp_rate);
    /// # Ok::<(), paradedup::Error>(())
    /// ```
    pub fn bloom_fill(&self) -> Option<BloomFill> {
        match &self.backend {
            Backend::Bloom(bloom) => Some(BloomFill {
                expected: bloom.expected,
                inserted: bloom.inserted,
                fp_rate: bloom.fp_rate,
                estimated_fp_rate: bloom.estimated_fp_rate(),
            }),
            _ => None,
        }
    }

    /// Which backend this set uses.
    pub fn kind(&self) -> SeenKind {
        match self.backend {
            Backend::Origins(_) => SeenKind::Origins,
            Backend::Exact(_) => SeenKind::Exact,
            Backend::Bloom(_) => SeenKind::Bloom,
        }
    }

    /// Starts loading the memory a later [`record`](SeenSet::record) of `fingerprint` reads, so
    /// a caller that knows the next few fingerprints can overlap their cache misses. The
    /// compact sets have a fixed place per fingerprint; the default set does nothing here.
    #[inline]
    pub(crate) fn prefetch(&self, fingerprint: Fingerprint) {
        match &self.backend {
            Backend::Origins(_) => {}
            Backend::Exact(set) => set.prefetch(fingerprint.as_u128()),
            Backend::Bloom(bloom) => bloom.prefetch(fingerprint.as_u128()),
        }
    }

    /// The second stage of [`prefetch`](SeenSet::prefetch), a few fingerprints later, once its
    /// memory has arrived: starts loading what an insert of `fingerprint` will touch next (in
    /// the exact set, the buckets a resident may move to).
    #[inline]
    pub(crate) fn prefetch_room(&self, fingerprint: Fingerprint) {
        if let Backend::Exact(set) = &self.backend {
            set.prefetch_room(fingerprint.as_u128());
        }
    }

    /// Records `fingerprint` as first met at `origin`, unless it was met before: then the set is
    /// unchanged and says so, with the first occurrence's origin when the set keeps origins.
    #[inline]
    pub fn record(&mut self, fingerprint: Fingerprint, origin: Origin) -> Seen {
        match &mut self.backend {
            Backend::Origins(map) => match map.entry(fingerprint) {
                Entry::Occupied(first) => Seen::Before(Some(*first.get())),
                Entry::Vacant(slot) => {
                    slot.insert(origin);
                    Seen::New
                }
            },
            Backend::Exact(set) => {
                if set.insert(fingerprint.as_u128()) {
                    Seen::New
                } else {
                    Seen::Before(None)
                }
            }
            Backend::Bloom(bloom) => {
                if bloom.insert(fingerprint.as_u128()) {
                    Seen::New
                } else {
                    Seen::Before(None)
                }
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

    /// True when `fingerprint` is in the set (for a Bloom filter: probably).
    #[inline]
    pub fn contains(&self, fingerprint: Fingerprint) -> bool {
        match &self.backend {
            Backend::Origins(map) => map.contains_key(&fingerprint),
            Backend::Exact(set) => set.contains(fingerprint.as_u128()),
            Backend::Bloom(bloom) => bloom.contains(fingerprint.as_u128()),
        }
    }

    /// Where `fingerprint` was first met, if it was and the set keeps origins.
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
        match &self.backend {
            Backend::Origins(map) => map.get(&fingerprint).copied(),
            _ => None,
        }
    }

    /// The number of fingerprints in the set. For a Bloom filter: those recorded as new (after
    /// a merge, an estimate from the filter's fill).
    pub fn len(&self) -> usize {
        match &self.backend {
            Backend::Origins(map) => map.len(),
            Backend::Exact(set) => set.len(),
            Backend::Bloom(bloom) => bloom.inserted as usize,
        }
    }

    /// True when the set holds no fingerprint.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Forgets every fingerprint, keeping the allocation.
    pub fn clear(&mut self) {
        match &mut self.backend {
            Backend::Origins(map) => map.clear(),
            Backend::Exact(set) => set.clear(),
            Backend::Bloom(bloom) => bloom.clear(),
        }
    }

    /// Gives back memory a set with origins holds beyond `min_capacity` fingerprints.
    pub(crate) fn shrink_to(&mut self, min_capacity: usize) {
        if let Backend::Origins(map) = &mut self.backend {
            map.shrink_to(min_capacity);
        }
    }

    /// How many fingerprints a set with origins holds before it grows (0 for the others).
    pub(crate) fn capacity(&self) -> usize {
        match &self.backend {
            Backend::Origins(map) => map.capacity(),
            _ => 0,
        }
    }

    /// The heap memory the set holds, in bytes.
    ///
    /// ```
    /// use paradedup::{Fingerprint, Origin, SeenSet};
    ///
    /// let mut seen = SeenSet::exact();
    /// for i in 0..100_000u32 {
    ///     seen.insert(Fingerprint::of(&i.to_string()), Origin::default());
    /// }
    /// let per_entry = seen.memory_usage() as f64 / seen.len() as f64;
    /// assert!(per_entry <= 24.0);
    /// ```
    pub fn memory_usage(&self) -> usize {
        match &self.backend {
            Backend::Origins(map) => {
                let slot = core::mem::size_of::<(Fingerprint, Origin)>() + 1;
                // hashbrown keeps 1/8 of its buckets free; `capacity` is 7/8 of the buckets.
                map.capacity().div_ceil(7) * 8 * slot
            }
            Backend::Exact(set) => set.memory_usage(),
            Backend::Bloom(bloom) => bloom.memory_usage(),
        }
    }

    /// Adds every fingerprint of `other` to this set: the union of sets built on separate
    /// shards. Where both hold a fingerprint, this set's origin is kept, so merging shards in
    /// corpus order keeps the first occurrence.
    ///
    /// # Errors
    ///
    /// A Bloom filter merges only with a Bloom filter of the same size, and an exact set
    /// cannot take a Bloom filter's contents ([`ErrorKind::Incompatible`]). An exact set with
    /// origins that takes a compact one's fingerprints becomes compact.
    ///
    /// ```
    /// use paradedup::{Fingerprint, Origin, SeenSet};
    ///
    /// let mut a = SeenSet::exact();
    /// let mut b = SeenSet::exact();
    /// a.insert(Fingerprint::of("x"), Origin::default());
    /// b.insert(Fingerprint::of("y"), Origin::default());
    /// a.merge(&b)?;
    /// assert!(a.contains(Fingerprint::of("y")) && a.len() == 2);
    /// # Ok::<(), paradedup::Error>(())
    /// ```
    pub fn merge(&mut self, other: &SeenSet) -> Result<(), Error> {
        match (&mut self.backend, &other.backend) {
            (Backend::Bloom(a), Backend::Bloom(b)) => a.merge(b),
            (Backend::Bloom(a), _) => {
                for fp in other.fingerprints() {
                    a.insert(fp.as_u128());
                }
                Ok(())
            }
            (_, Backend::Bloom(_)) => Err(Error::new(
                ErrorKind::Incompatible,
                "an exact seen-set cannot take a Bloom filter's contents: a filter does not list its fingerprints",
            )),
            (Backend::Origins(a), Backend::Origins(b)) => {
                for (fp, origin) in b {
                    a.entry(*fp).or_insert(*origin);
                }
                Ok(())
            }
            (Backend::Origins(a), Backend::Exact(_)) => {
                let mut set = ExactSet::with_capacity(a.len() + other.len());
                set.extend(a.keys().map(|fp| fp.as_u128()));
                self.backend = Backend::Exact(set);
                self.merge(other)
            }
            (Backend::Exact(a), _) => {
                a.extend(other.fingerprints().map(Fingerprint::as_u128));
                Ok(())
            }
        }
    }

    /// Every fingerprint of an exact set, in no particular order (nothing for a Bloom filter,
    /// which does not list them).
    pub(crate) fn fingerprints(&self) -> Box<dyn Iterator<Item = Fingerprint> + '_> {
        match &self.backend {
            Backend::Origins(map) => Box::new(map.keys().copied()),
            Backend::Exact(set) => Box::new(set.iter().map(Fingerprint::from_u128)),
            Backend::Bloom(_) => Box::new(core::iter::empty()),
        }
    }
}

/// A table of `len` default values for a seen-set, in huge pages where Linux offers them.
///
/// A set of millions of fingerprints is hundreds of megabytes read at random: in 4 KiB pages
/// nearly every lookup also misses the TLB, and a page walk (two-level under a hypervisor)
/// costs as much as the cache miss itself. In 2 MiB pages the whole table's translations fit
/// the TLB. Transparent huge pages are often enabled only for memory that asks (`madvise`
/// mode), so the table asks, before its pages are first touched. Measured on the corpus-scope
/// benchmark at 10M fingerprints: 585 MB/s in small pages, 685 MB/s in huge ones.
pub(crate) fn table<T: Copy + Default>(len: usize) -> Vec<T> {
    table_from(len, core::iter::repeat(T::default()))
}

/// A table of `len` default values, made the way [`table`] makes one, or `Err` when the
/// allocation is refused: for tables sized from a caller's number.
pub(crate) fn try_table<T: Copy + Default>(len: usize) -> Result<Vec<T>, ()> {
    let mut table = Vec::new();
    table.try_reserve_exact(len).map_err(|_| ())?;
    advise_huge_pages(&table);
    table.extend(core::iter::repeat_n(T::default(), len));
    Ok(table)
}

/// A table of `len` values from `values`, made the way [`table`] makes one.
pub(crate) fn table_from<T>(len: usize, values: impl Iterator<Item = T>) -> Vec<T> {
    let mut table = Vec::with_capacity(len);
    advise_huge_pages(&table);
    table.extend(values.take(len));
    table
}

/// Below this a table fits a few huge pages at most, and asking is not worth a system call.
const HUGE_PAGES_FROM: usize = 8 << 20;

/// Asks Linux to back `table`'s allocation (its capacity, not yet touched) with huge pages. A
/// hint: refused or unsupported, the table works the same in small pages.
#[allow(unsafe_code)]
fn advise_huge_pages<T>(table: &Vec<T>) {
    let bytes = table.capacity() * core::mem::size_of::<T>();
    if bytes < HUGE_PAGES_FROM {
        return;
    }
    #[cfg(target_os = "linux")]
    {
        const PAGE: usize = 4096;
        let start = (table.as_ptr() as usize).next_multiple_of(PAGE);
        let end = (table.as_ptr() as usize + bytes) / PAGE * PAGE;
        // SAFETY: the range lies inside `table`'s own allocation, and MADV_HUGEPAGE changes only
        // how its pages are backed, never their contents or whether they are mapped.
        unsafe {
            libc::madvise(start as *mut libc::c_void, end - start, libc::MADV_HUGEPAGE);
        }
    }
}

/// Asks the CPU to start loading the cache line that holds `value`; a hint, never a fault.
#[inline(always)]
#[allow(unsafe_code)]
fn prefetch<T>(value: &T) {
    #[cfg(all(target_arch = "x86_64", target_feature = "sse"))]
    // SAFETY: SSE is enabled for the whole build (the cfg above, part of the x86-64 baseline),
    // and a prefetch reads nothing the program sees: `value` is a valid reference anyway.
    unsafe {
        use core::arch::x86_64::{_mm_prefetch, _MM_HINT_T0};
        _mm_prefetch::<_MM_HINT_T0>((value as *const T).cast::<i8>());
    }
    #[cfg(not(all(target_arch = "x86_64", target_feature = "sse")))]
    let _ = value;
}
