//! The near-duplicate index: key → the paragraphs filed under it, newest first.
//!
//! Its own open-addressing table rather than a `HashMap`: the keys are already well-mixed
//! 64-bit hashes (shingles or LSH band keys), so a slot is found from the key's low bits with
//! no hashing, and most lookups (a new paragraph's keys are mostly new) end at the first empty
//! slot.

/// A postings list can grow without bound (a phrase in every paragraph); only its newest
/// entries are walked, so one query costs at most this many steps per key.
pub(super) const WALK: usize = 16;

/// Key → the entries filed under it, newest first, as linked lists in one vector: no
/// allocation per key.
#[derive(Clone, Debug, Default)]
pub(super) struct Postings {
    /// Linear probing, at most three quarters full (as full as a `HashMap` gets, for the same
    /// memory per key); a capacity of 0 or a power of two.
    slots: Vec<Slot>,
    /// Keys in `slots`.
    len: usize,
    /// `(entry, next)`; `next == NONE` ends a list.
    links: Vec<(u32, u32)>,
    /// Scratch for [`Postings::walk`]: the first slot of each key.
    first: Vec<Slot>,
}

/// A key and the newest link filed under it, in 12 bytes: the key as two halves keeps the
/// slot 4-byte aligned. An empty slot's head is [`NONE`].
#[derive(Clone, Copy, Debug)]
struct Slot {
    key: [u32; 2],
    head: u32,
}

/// No link: the end of a list, or an empty slot's head.
const NONE: u32 = u32::MAX;

const EMPTY: Slot = Slot {
    key: [0; 2],
    head: NONE,
};

/// Past this capacity, [`Postings::clear`] frees the table rather than emptying it.
const KEEP_SLOTS: usize = 1 << 16;

impl Slot {
    fn holds(&self, key: u64) -> bool {
        self.head != NONE && u64::from(self.key[0]) | u64::from(self.key[1]) << 32 == key
    }
}

impl Postings {
    /// Files `entry` under each of `keys` (distinct), as its newest.
    pub(super) fn insert(&mut self, keys: &[u64], entry: u32) {
        while 4 * (self.len + keys.len()) > 3 * self.slots.len() {
            self.grow();
        }
        self.links.reserve(keys.len());
        for &key in keys {
            let link = self.links.len() as u32;
            let at = self.find(key);
            let slot = &mut self.slots[at];
            let next = if slot.head == NONE {
                self.len += 1;
                slot.key = [key as u32, (key >> 32) as u32];
                NONE
            } else {
                slot.head
            };
            slot.head = link;
            self.links.push((entry, next));
        }
    }

    /// Appends the newest [`WALK`] entries filed under each of `keys` to `out`.
    pub(super) fn walk(&mut self, keys: &[u64], out: &mut Vec<u32>) {
        if self.len == 0 {
            return;
        }
        // Each key's first slot read first, with no branch between the reads: in a large
        // table most are cache misses, and this way they are waited on together.
        let mask = self.slots.len() - 1;
        self.first.clear();
        self.first
            .extend(keys.iter().map(|&key| self.slots[key as usize & mask]));
        for (&key, &first) in keys.iter().zip(&self.first) {
            let mut at = if first.head == NONE || first.holds(key) {
                first.head
            } else {
                self.slots[self.find(key)].head
            };
            let mut steps = 0;
            while at != NONE && steps < WALK {
                let (entry, next) = self.links[at as usize];
                out.push(entry);
                at = next;
                steps += 1;
            }
        }
    }

    /// Forgets every key.
    pub(super) fn clear(&mut self) {
        // A huge document must not leave every later small one clearing a huge table.
        if self.slots.len() > KEEP_SLOTS {
            *self = Postings::default();
        } else {
            self.slots.fill(EMPTY);
            self.links.clear();
            self.len = 0;
        }
    }

    /// The heap memory held, in bytes.
    pub(super) fn memory_usage(&self) -> usize {
        self.slots.capacity() * std::mem::size_of::<Slot>()
            + self.links.capacity() * std::mem::size_of::<(u32, u32)>()
            + self.first.capacity() * std::mem::size_of::<Slot>()
    }

    /// The slot holding `key`, or the empty one where it would go. The table is never full.
    #[inline]
    fn find(&self, key: u64) -> usize {
        let mask = self.slots.len() - 1;
        let mut at = key as usize & mask;
        loop {
            let slot = &self.slots[at];
            if slot.head == NONE || slot.holds(key) {
                return at;
            }
            at = (at + 1) & mask;
        }
    }

    /// Doubles the table (from 16 slots), re-filing every key.
    fn grow(&mut self) {
        let capacity = (2 * self.slots.len()).max(16);
        let old = std::mem::replace(&mut self.slots, vec![EMPTY; capacity]);
        for slot in old.into_iter().filter(|s| s.head != NONE) {
            let key = u64::from(slot.key[0]) | u64::from(slot.key[1]) << 32;
            let at = self.find(key);
            self.slots[at] = slot;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_are_newest_first_and_keys_apart() {
        let mut p = Postings::default();
        // Keys that share their low bits, and enough of them to grow the table.
        for i in 0..100u32 {
            p.insert(&[u64::from(i % 10) << 40, u64::from(i) << 20], i);
        }
        let mut out = Vec::new();
        p.walk(&[3 << 40], &mut out);
        assert_eq!(out, [93, 83, 73, 63, 53, 43, 33, 23, 13, 3]);
        out.clear();
        p.walk(&[3, 5 << 20], &mut out);
        assert_eq!(out, [5]);
        out.clear();
        p.clear();
        p.walk(&[3 << 40], &mut out);
        assert!(out.is_empty());
    }
}
