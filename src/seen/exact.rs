//! A compact exact set of 128-bit fingerprints.
//!
//! Fingerprints are uniform already, so the set is a table of raw `u128`s with no second hash:
//! buckets of four slots, one 64-byte cache line each. Each fingerprint may live in one of two
//! buckets, one chosen by its high 64 bits and one by its low 64 bits (bucketized cuckoo
//! hashing). A lookup reads those two lines and never more, and both are known before the
//! lookup, so a caller can prefetch them. When both are full, an insert moves a resident to its
//! other bucket, and so on (a short random walk), which is what lets the table run 90% full:
//! about 18 to 23 bytes per fingerprint instead of hashbrown's 27 to 57.
//!
//! Linear probing, the first layout, needed 4.7 cache lines per new fingerprint at 82% load
//! (10M fingerprints), one after the other, and that chain, not the first miss, was most of
//! the cost of a corpus-scope lookup.
//!
//! Fingerprints that are not uniform (a seen-set file or a caller can hold any values) could
//! crowd two buckets a walk cannot clear. A table less than half full does not grow for them:
//! they go to a small stash beside it, which lookups read only when it is not empty.
//!
//! `0` marks an empty slot; the fingerprint 0 itself is kept in a flag.

use std::collections::HashSet;

/// Four slots: one cache line.
#[derive(Clone, Copy, Default, PartialEq, Eq)]
#[repr(C, align(64))]
struct Bucket([u128; 4]);

impl Bucket {
    #[inline]
    fn holds(&self, fp: u128) -> bool {
        // All four compares, no early exit: branch-free, and the line is loaded anyway.
        self.0
            .iter()
            .fold(false, |found, &slot| found | (slot == fp))
    }

    /// Whether `fp` is here, and a mask of the free slots (bit `i` for slot `i`): one pass.
    #[inline]
    fn scan(&self, fp: u128) -> (bool, u32) {
        let mut found = false;
        let mut free = 0;
        for (i, &slot) in self.0.iter().enumerate() {
            found |= slot == fp;
            free |= u32::from(slot == 0) << i;
        }
        (found, free)
    }

    /// A mask of the free slots (bit `i` for slot `i`).
    #[inline]
    fn free(&self) -> u32 {
        self.0
            .iter()
            .enumerate()
            .fold(0, |free, (i, &slot)| free | u32::from(slot == 0) << i)
    }

    /// The first free slot: a search that stops there, for the moves of a walk, which need
    /// one slot and not the whole mask of [`free`](Bucket::free).
    #[inline]
    fn free_slot(&mut self) -> Option<&mut u128> {
        self.0.iter_mut().find(|slot| **slot == 0)
    }
}

/// Most fingerprints a table holds per slot before it grows.
const MAX_LOAD: f64 = 0.9;
/// How much a full table grows: small steps keep memory per entry low, at the price of more
/// rehashing (amortized, each fingerprint moves about 1/(GROWTH - 1) = 3 times).
const GROWTH: f64 = 1.33;
/// Residents one insert may move before the table counts as full. Below 90% load a walk is a
/// few moves long; this bound only matters for fingerprints that are not uniform.
const MAX_MOVES: usize = 500;
/// How far ahead of its placing a fingerprint's new buckets are requested while the table
/// grows.
const GROW_AHEAD: usize = 16;
/// Slots of a new bucket that growth fills in order, from the fingerprints the old table had
/// in the same half. The rest come from placing in the emptier of two buckets, which leaves
/// the table nearly as balanced as placing every fingerprint so: filling all four left 28%
/// of new fingerprints facing two full buckets at 10M (82% load), three 25.4%, two 23.2%,
/// against 24.8% for placing every one (more full pairs cost inserts, and corpus scope, a
/// second round of cache misses). Filling a set with 1M fingerprints (callgrind), growth took
/// 199M instructions filling three, about 50M fewer filling four, 749M placing every one.
const STREAM_FILL: usize = 3;
/// Below this load, a fingerprint no walk could place goes to the stash instead of growing
/// the table: the table is not full, those fingerprints are crowded.
const MIN_LOAD_TO_GROW: f64 = 0.5;

#[derive(Default)]
pub(crate) struct ExactSet {
    buckets: Vec<Bucket>,
    /// Fingerprints no walk could place in a table not yet half full; almost always empty.
    stash: HashSet<u128>,
    /// Fingerprints in the buckets and the stash (the zero fingerprint is counted apart).
    len: usize,
    /// The `len` at which the next insert grows the table first: `MAX_LOAD` of its slots.
    grow_at: usize,
    has_zero: bool,
}

impl core::fmt::Debug for ExactSet {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("ExactSet")
            .field("len", &self.len())
            .field("buckets", &self.buckets.len())
            .field("stash", &self.stash.len())
            .finish()
    }
}

impl Clone for ExactSet {
    fn clone(&self) -> ExactSet {
        ExactSet {
            buckets: super::table_from(self.buckets.len(), self.buckets.iter().copied()),
            stash: self.stash.clone(),
            len: self.len,
            grow_at: self.grow_at,
            has_zero: self.has_zero,
        }
    }
}

impl ExactSet {
    pub(crate) fn with_capacity(capacity: usize) -> ExactSet {
        let buckets = buckets_for(capacity);
        ExactSet {
            buckets: super::table(buckets),
            stash: HashSet::new(),
            len: 0,
            grow_at: grow_at(buckets),
            has_zero: false,
        }
    }

    pub(crate) fn len(&self) -> usize {
        self.len + usize::from(self.has_zero)
    }

    pub(crate) fn memory_usage(&self) -> usize {
        self.buckets.len() * core::mem::size_of::<Bucket>()
            + self.stash.capacity() * (core::mem::size_of::<u128>() + 1)
    }

    pub(crate) fn clear(&mut self) {
        self.buckets.fill(Bucket::default());
        self.stash.clear();
        self.len = 0;
        self.has_zero = false;
    }

    /// The two buckets `fp` may be in: Lemire's fast range on each half. (They can be the same
    /// bucket, rarely, in a small table; the set stays correct, only fuller there.)
    #[inline]
    fn buckets_of(&self, fp: u128) -> (usize, usize) {
        let n = self.buckets.len();
        (fast_range((fp >> 64) as u64, n), fast_range(fp as u64, n))
    }

    #[inline]
    pub(crate) fn contains(&self, fp: u128) -> bool {
        if fp == 0 {
            return self.has_zero;
        }
        if self.buckets.is_empty() {
            return false;
        }
        let (a, b) = self.buckets_of(fp);
        // Both buckets, without a branch between them: when neither is in cache, their two
        // loads then wait together rather than one after the other.
        (self.buckets[a].holds(fp) | self.buckets[b].holds(fp))
            || (!self.stash.is_empty() && self.stash.contains(&fp))
    }

    /// Starts loading both cache lines `fp` would be looked up in.
    #[inline]
    pub(crate) fn prefetch(&self, fp: u128) {
        if !self.buckets.is_empty() {
            let (a, b) = self.buckets_of(fp);
            super::prefetch(&self.buckets[a]);
            super::prefetch(&self.buckets[b]);
        }
    }

    /// Once `fp`'s two buckets are loaded (see [`prefetch`](ExactSet::prefetch)): when both are
    /// full and `fp` is in neither, an insert will move one of their residents, so this starts
    /// loading the eight buckets they could move to. At 82% load that is one new fingerprint in
    /// five, and the wait for those buckets was most of what an insert cost.
    #[inline]
    pub(crate) fn prefetch_room(&self, fp: u128) {
        if self.buckets.is_empty() || fp == 0 {
            return;
        }
        let (a, b) = self.buckets_of(fp);
        let (first, second) = (&self.buckets[a], &self.buckets[b]);
        if first.free() | second.free() != 0 || first.holds(fp) || second.holds(fp) {
            return;
        }
        for (bucket, &resident) in [(a, first), (b, second)]
            .into_iter()
            .flat_map(|(bucket, residents)| residents.0.iter().map(move |r| (bucket, r)))
        {
            let (x, y) = self.buckets_of(resident);
            super::prefetch(&self.buckets[if x == bucket { y } else { x }]);
        }
    }

    /// Adds `fp`; true when it was not there.
    #[inline]
    pub(crate) fn insert(&mut self, fp: u128) -> bool {
        if fp == 0 {
            return !core::mem::replace(&mut self.has_zero, true);
        }
        if self.buckets.is_empty() {
            self.grow();
        }
        // The common case in one pass over the two buckets: found, or put in the emptier.
        let (a, b) = self.buckets_of(fp);
        let (in_a, free_a) = self.buckets[a].scan(fp);
        let (in_b, free_b) = self.buckets[b].scan(fp);
        if in_a | in_b || (!self.stash.is_empty() && self.stash.contains(&fp)) {
            return false;
        }
        if self.len >= self.grow_at {
            self.grow();
            self.place(fp);
        } else if free_a | free_b != 0 {
            self.put_in_emptier(fp, (a, free_a), (b, free_b));
        } else {
            self.place_in_full(fp, a, b);
        }
        self.len += 1;
        true
    }

    /// Adds every fingerprint of `fingerprints`, loading a chunk's buckets at once before
    /// filling any: an insert of an unrelated fingerprint is a cache miss in a large table, and
    /// sixteen in flight cost little more than one. For loads and merges; returns how many
    /// were new.
    pub(crate) fn extend(&mut self, fingerprints: impl IntoIterator<Item = u128>) -> usize {
        let mut fingerprints = fingerprints.into_iter();
        let mut chunk = [0u128; 16];
        let mut added = 0;
        loop {
            let mut filled = 0;
            for (slot, fp) in chunk.iter_mut().zip(fingerprints.by_ref()) {
                *slot = fp;
                filled += 1;
            }
            if filled == 0 {
                return added;
            }
            chunk[..filled].iter().for_each(|&fp| self.prefetch(fp));
            added += chunk[..filled]
                .iter()
                .filter(|&&fp| self.insert(fp))
                .count();
        }
    }

    /// Puts `fp`, known absent, in a free slot, growing the table if no walk finds one (or, in
    /// a table less than half full, in the stash).
    fn place(&mut self, fp: u128) {
        let (a, b) = self.buckets_of(fp);
        let (free_a, free_b) = (self.buckets[a].free(), self.buckets[b].free());
        if free_a | free_b != 0 {
            self.put_in_emptier(fp, (a, free_a), (b, free_b));
        } else {
            self.place_in_full(fp, a, b);
        }
    }

    /// Puts `fp` in a free slot of the emptier of its buckets `a` and `b` (free-slot masks
    /// beside them, not both empty), `a` on a tie. Filling the emptier keeps them balanced,
    /// which leaves fewer inserts facing two full ones (22% at 82% load, against 36% when the
    /// first is always tried first).
    #[inline]
    fn put_in_emptier(&mut self, fp: u128, (a, free_a): (usize, u32), (b, free_b): (usize, u32)) {
        let (bucket, free) = if free_b.count_ones() > free_a.count_ones() {
            (b, free_b)
        } else {
            (a, free_a)
        };
        self.buckets[bucket].0[free.trailing_zeros() as usize] = fp;
    }

    /// [`place`](ExactSet::place) when both of `fp`'s buckets, `a` and `b`, are full.
    #[cold]
    fn place_in_full(&mut self, fp: u128, a: usize, b: usize) {
        if self.move_one_resident(fp, a, b) {
            return;
        }
        if let Err(evicted) = self.walk(fp) {
            let slots = self.buckets.len() as f64 * 4.0;
            if (self.len as f64) < slots * MIN_LOAD_TO_GROW {
                self.stash.insert(evicted);
            } else {
                self.grow();
                self.place(evicted);
            }
        }
    }

    /// Puts `fp` in one of its buckets, moving residents to their other bucket as needed. On
    /// failure, the fingerprint still without a slot (`fp` or one it displaced).
    fn walk(&mut self, fp: u128) -> Result<(), u128> {
        let mut item = fp;
        // The bucket `item` was just moved out of: it goes to its other one.
        let mut from = usize::MAX;
        // Which resident to move: varied (xorshift), so a walk does not cycle between two
        // buckets. Seeded from the fingerprint, so a table's layout depends only on its inserts.
        let mut choice = (fp as u64) | 1;
        for _ in 0..MAX_MOVES {
            let (a, b) = self.buckets_of(item);
            for bucket in [a, b] {
                if let Some(slot) = self.buckets[bucket].free_slot() {
                    *slot = item;
                    return Ok(());
                }
            }
            let to = if a == from { b } else { a };
            choice ^= choice << 13;
            choice ^= choice >> 7;
            choice ^= choice << 17;
            let slot = &mut self.buckets[to].0[(choice >> 62) as usize];
            item = core::mem::replace(slot, item);
            from = to;
        }
        Err(item)
    }

    /// Moves one of the eight residents of `fp`'s full buckets `a` and `b` to its other bucket
    /// and puts `fp` in its place: false when none can move. The eight other buckets are
    /// loaded at once (prefetched), so this costs about one cache miss where a walk costs one
    /// per move.
    fn move_one_resident(&mut self, fp: u128, a: usize, b: usize) -> bool {
        let mut moves = [(0, 0, 0); 8];
        for (i, (bucket, slot)) in [a, b]
            .into_iter()
            .flat_map(|bucket| (0..4).map(move |slot| (bucket, slot)))
            .enumerate()
        {
            let (x, y) = self.buckets_of(self.buckets[bucket].0[slot]);
            let other = if x == bucket { y } else { x };
            super::prefetch(&self.buckets[other]);
            moves[i] = (bucket, slot, other);
        }
        for (bucket, slot, other) in moves {
            if other == bucket {
                continue;
            }
            let resident = self.buckets[bucket].0[slot];
            if let Some(free) = self.buckets[other].free_slot() {
                *free = resident;
                self.buckets[bucket].0[slot] = fp;
                return true;
            }
        }
        false
    }

    fn grow(&mut self) {
        let wanted = ((self.buckets.len() as f64 * GROWTH) as usize).max(16);
        let old = core::mem::replace(&mut self.buckets, super::table(wanted));
        self.grow_at = grow_at(wanted);
        let stash = core::mem::take(&mut self.stash);
        // Fast range keeps order: the half that put a fingerprint in old bucket `i` puts it in
        // new bucket `i * wanted / old.len()` or the next, so refilling in the old order fills
        // the new table front to back, in cache, with no lookup, where placing each one in the
        // emptier of its buckets cost two cache misses. Only the last slot of a bucket is left
        // to that placing, afterwards (see `STREAM_FILL`).
        let mut crowded = Vec::new();
        for (index, bucket) in old.iter().enumerate() {
            for &fp in bucket.0.iter().filter(|&&fp| fp != 0) {
                let high = (fp >> 64) as u64;
                let half = if fast_range(high, old.len()) == index {
                    high
                } else {
                    fp as u64
                };
                let new = &mut self.buckets[fast_range(half, wanted)];
                // The new table fills its slots in order until the crowded are placed.
                match new.0.iter().position(|&slot| slot == 0) {
                    Some(slot) if slot < STREAM_FILL => new.0[slot] = fp,
                    _ => crowded.push(fp),
                }
            }
        }
        drop(old);
        // The new buckets of these are random to each other, so each one's are requested some
        // way ahead of its placing. A walk that fails here grows the table again, from what is
        // in it so far; the rest then goes into the larger table.
        crowded.extend(stash);
        let mut ahead = crowded.iter();
        ahead
            .by_ref()
            .take(GROW_AHEAD)
            .for_each(|&fp| self.prefetch(fp));
        for &fp in &crowded {
            if let Some(&next) = ahead.next() {
                self.prefetch(next);
            }
            self.place(fp);
        }
    }

    /// Every fingerprint, in no particular order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = u128> + '_ {
        let zero = self.has_zero.then_some(0u128);
        zero.into_iter()
            .chain(
                self.buckets
                    .iter()
                    .flat_map(|b| b.0.iter().copied().filter(|&s| s != 0)),
            )
            .chain(self.stash.iter().copied())
    }
}

/// The number of fingerprints a table of `buckets` holds before it grows: `len + 1 > grow_at`
/// exactly when `len + 1 > buckets * 4 * MAX_LOAD`.
fn grow_at(buckets: usize) -> usize {
    (buckets as f64 * 4.0 * MAX_LOAD) as usize
}

/// Lemire's fast range: `half` scaled to `0..n`, keeping its order.
#[inline]
fn fast_range(half: u64, n: usize) -> usize {
    ((u128::from(half) * n as u128) >> 64) as usize
}

/// Buckets for `capacity` fingerprints at 85% load: a little under the growth threshold.
fn buckets_for(capacity: usize) -> usize {
    if capacity == 0 {
        0
    } else {
        ((capacity as f64 / (4.0 * 0.85)).ceil() as usize).max(1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn behaves_like_a_hash_set() {
        let mut ours = ExactSet::with_capacity(0);
        let mut reference = HashSet::new();
        let mut x: u128 = 0x1234_5678_9abc_def0_0fed_cba9_8765_4321;
        for i in 0..50_000u128 {
            // A mix of fresh values, repeats and the zero fingerprint.
            x = x
                .wrapping_mul(0x2360_ed05_1fc6_5da4_4385_df64_9fcc_f645)
                .wrapping_add(i);
            let fp = match i % 7 {
                0 => x % 1000,
                1 => 0,
                _ => x,
            };
            assert_eq!(ours.insert(fp), reference.insert(fp));
            assert!(ours.contains(fp));
        }
        assert_eq!(ours.len(), reference.len());
        assert!(reference.iter().all(|&fp| ours.contains(fp)));
        let mut listed: Vec<u128> = ours.iter().collect();
        listed.sort_unstable();
        let mut expected: Vec<u128> = reference.into_iter().collect();
        expected.sort_unstable();
        assert_eq!(listed, expected);
    }

    #[test]
    fn crowded_fingerprints_go_to_the_stash_not_to_endless_growth() {
        // Both halves small: every one of these maps to bucket 0 twice over, so no walk can
        // place more than four of them, however large the table grows.
        let mut set = ExactSet::with_capacity(0);
        for fp in 1..=5_000u128 {
            assert!(set.insert(fp));
            assert!(!set.insert(fp));
        }
        assert_eq!(set.len(), 5_000);
        assert!((1..=5_000u128).all(|fp| set.contains(fp)));
        assert!(!set.contains(5_001));
        assert!(set.stash.len() > 4_900, "{:?}", set);
        assert!(set.memory_usage() < 1 << 20, "{} bytes", set.memory_usage());
        // Uniform fingerprints added after them still fill the table, not the stash.
        let stashed = set.stash.len();
        for i in 1..=100_000u128 {
            set.insert(i.wrapping_mul(0x9e37_79b9_7f4a_7c15_f39c_c060_5ced_c835));
        }
        assert_eq!(set.len(), 105_000);
        assert!(set.stash.len() <= stashed, "{:?}", set);
        assert_eq!(set.iter().count(), 105_000);
    }

    #[test]
    fn a_lookup_reads_two_buckets_at_most_even_nearly_full() {
        let mut set = ExactSet::with_capacity(0);
        let mut x = 1u128;
        for _ in 0..300_000 {
            x = x
                .wrapping_mul(0x2360_ed05_1fc6_5da4_4385_df64_9fcc_f645)
                .wrapping_add(1);
            set.insert(x);
        }
        assert!(set.stash.is_empty());
        // Every fingerprint sits in one of its own two buckets.
        for (index, bucket) in set.buckets.iter().enumerate() {
            for &fp in bucket.0.iter().filter(|&&fp| fp != 0) {
                let (a, b) = set.buckets_of(fp);
                assert!(index == a || index == b);
            }
        }
        let load = set.len as f64 / (set.buckets.len() * 4) as f64;
        assert!(load > 0.6, "load {load}");
    }

    #[test]
    fn growth_keeps_every_fingerprint_in_one_of_its_buckets() {
        let mut set = ExactSet::with_capacity(0);
        let mut reference = HashSet::new();
        // A few crowded fingerprints (both halves small: bucket 0 twice over, then the stash),
        // the zero fingerprint, and uniform ones.
        let crowded = 1..=20u128;
        let uniform =
            (1..=30_000u128).map(|i| i.wrapping_mul(0x9e37_79b9_7f4a_7c15_f39c_c060_5ced_c835));
        for fp in crowded.chain([0]).chain(uniform) {
            assert_eq!(set.insert(fp), reference.insert(fp));
        }
        for _ in 0..3 {
            let buckets = set.buckets.len();
            set.grow();
            assert!(set.buckets.len() > buckets);
            assert_eq!(set.len(), reference.len());
            assert!(reference.iter().all(|&fp| set.contains(fp)));
            let mut listed: Vec<u128> = set.iter().collect();
            listed.sort_unstable();
            let mut expected: Vec<u128> = reference.iter().copied().collect();
            expected.sort_unstable();
            assert_eq!(listed, expected);
            for (index, bucket) in set.buckets.iter().enumerate() {
                for &fp in bucket.0.iter().filter(|&&fp| fp != 0) {
                    let (a, b) = set.buckets_of(fp);
                    assert!(index == a || index == b);
                }
            }
            // Inserts after a growth see every fingerprint as there.
            assert!(reference.iter().all(|&fp| !set.insert(fp)));
        }
    }

    #[test]
    fn extend_is_insert_in_turn() {
        let fps: Vec<u128> = (0..1_000u128)
            .map(|i| (i % 700).wrapping_mul(0x9e37_79b9_7f4a_7c15_f39c_c060_5ced_c835))
            .collect();
        let mut one_by_one = ExactSet::with_capacity(0);
        let new = fps.iter().filter(|&&fp| one_by_one.insert(fp)).count();
        let mut extended = ExactSet::with_capacity(0);
        assert_eq!(extended.extend(fps.iter().copied()), new);
        assert_eq!(new, 700);
        assert_eq!(extended.len(), one_by_one.len());
        assert!(fps.iter().all(|&fp| extended.contains(fp)));
        assert_eq!(extended.extend(core::iter::empty()), 0);
    }

    #[test]
    fn memory_per_entry_is_compact() {
        let mut set = ExactSet::with_capacity(0);
        for i in 1..=200_000u128 {
            set.insert(i.wrapping_mul(0x9e37_79b9_7f4a_7c15_f39c_c060_5ced_c835));
        }
        let per_entry = set.memory_usage() as f64 / set.len() as f64;
        assert!(per_entry <= 24.0, "{per_entry} bytes per entry");
    }
}
