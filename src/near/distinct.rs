//! The distinct shingles of the paragraph under judgement, as a set: repeats are dropped
//! with it, and a candidate's containment is counted against it.
//!
//! A set rather than sorting: the shingles are hashes already, so a slot comes from their
//! low bits, and one probe per shingle replaces a sort (`n log n` compares) and a sorted merge
//! per candidate. Nothing downstream depends on the order of the shingles: the index files a
//! paragraph under each of its keys, MinHash keeps a minimum per bin, and containment is a
//! count.

/// An open-addressing set of 64-bit hashes, rebuilt for each paragraph.
#[derive(Clone, Debug, Default)]
pub(super) struct Distinct {
    /// Linear probing, at most a quarter full, so that most probes end at their first slot
    /// (a branch predicted right); 0 marks an empty slot (`zero` says whether 0 is in
    /// the set). Only the first `mask + 1` slots are in use.
    slots: Vec<u64>,
    mask: usize,
    zero: bool,
    /// The slots filled: emptied one by one for the next paragraph, which is cheaper than
    /// clearing a table this sparse.
    filled: Vec<usize>,
}

impl Distinct {
    /// Makes the set the distinct values of `hashes`, and leaves in `hashes` the first
    /// occurrence of each, in order.
    pub(super) fn dedup(&mut self, hashes: &mut Vec<u64>) {
        let capacity = (4 * hashes.len()).next_power_of_two().max(16);
        for &at in &self.filled {
            self.slots[at] = 0;
        }
        self.filled.clear();
        if self.slots.len() < capacity {
            self.slots.resize(capacity, 0);
        }
        self.mask = capacity - 1;
        self.zero = false;
        let mut kept = 0;
        for i in 0..hashes.len() {
            let h = hashes[i];
            if self.insert(h) {
                hashes[kept] = h;
                kept += 1;
            }
        }
        hashes.truncate(kept);
    }

    /// How many of the distinct `hashes` are in the set.
    pub(super) fn count_in(&self, hashes: &[u64]) -> u32 {
        let mut count = 0;
        for &h in hashes {
            // Found or not is a coin toss for the branch predictor, so the first slot's
            // answer is counted without a branch; only a collision (or 0) takes the loop.
            let first = self.slots[h as usize & self.mask];
            count += u32::from(first == h && h != 0);
            if (first != h && first != 0) || h == 0 {
                count += u32::from(self.contains(h));
            }
        }
        count
    }

    /// The heap memory held, in bytes.
    pub(super) fn memory_usage(&self) -> usize {
        self.slots.capacity() * std::mem::size_of::<u64>()
            + self.filled.capacity() * std::mem::size_of::<usize>()
    }

    /// Adds `h`; false when it was in the set already.
    #[inline]
    fn insert(&mut self, h: u64) -> bool {
        if h == 0 {
            return !std::mem::replace(&mut self.zero, true);
        }
        let mut at = h as usize & self.mask;
        loop {
            let slot = &mut self.slots[at];
            if *slot == h {
                return false;
            }
            if *slot == 0 {
                *slot = h;
                self.filled.push(at);
                return true;
            }
            at = (at + 1) & self.mask;
        }
    }

    #[inline]
    fn contains(&self, h: u64) -> bool {
        if h == 0 {
            return self.zero;
        }
        let mut at = h as usize & self.mask;
        loop {
            let slot = self.slots[at];
            if slot == h {
                return true;
            }
            if slot == 0 {
                return false;
            }
            at = (at + 1) & self.mask;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_first_occurrences_in_order_and_counts_containment() {
        let mut set = Distinct::default();
        // 0 is a value like any other; 16 and 32 share their low bits with 0.
        let mut hashes = vec![5, 0, 16, 5, 32, 0, 16, 7];
        set.dedup(&mut hashes);
        assert_eq!(hashes, [5, 0, 16, 32, 7]);
        assert_eq!(set.count_in(&[0, 1, 32, 48, 7]), 3);
        // Rebuilt, not added to.
        let mut again = vec![1, 1];
        set.dedup(&mut again);
        assert_eq!(again, [1]);
        assert_eq!(set.count_in(&[0, 5, 1]), 1);
    }
}
