//! The leak index's table: fingerprint → source id, for millions of replaced originals.
//!
//! Open addressing with linear probing, keys and ids in two arrays, and each key's home slot
//! taken from its top bits (fingerprints are keyed hashes already, so their bits are uniform).
//!
//! Why not `std::collections::HashMap` (used before): the table is far larger than any cache,
//! and the merging thread inserts every slice's originals into it, one cache miss after
//! another: those misses were most of the merge's time, and the merge runs on one thread. A
//! slice's originals arrive sorted, all at once, so the addresses of the next ones are known
//! in advance: [`LeakTable::insert_all`] prefetches the slots of the keys a few places ahead,
//! and the misses overlap instead of queueing. `std`'s map does not expose its buckets'
//! addresses, so it cannot be prefetched. (A table like this one without the prefetching,
//! tried earlier, lost to std's map: it missed the cache on every probe, where std's probes
//! mostly read its small, often cached control bytes.) Top-bit homes also make growing cheap: the old
//! table's slots are already in the order of their new homes, so rehashing writes the new
//! table nearly front to back.
//!
//! The table grows before it is three quarters full, which keeps probe runs short: a lookup
//! that finds nothing (almost every lookup: leaks are rare) reads 8.5 slots on average at
//! the fullest and fewer below, one or two cache lines of each array. A slot is twelve bytes
//! (std's map: sixteen, plus a control byte, at up to seven eighths full).

/// An id no source has: marks an empty slot.
const EMPTY: u32 = u32::MAX;
/// Slots of the smallest table (a power of two).
const MIN_BITS: u32 = 10;
/// How far ahead of the key being inserted or looked up its successors' slots are
/// prefetched (far enough for a miss to arrive, near enough to stay cached).
const AHEAD: usize = 12;

/// Fingerprint → id of the first source that held it.
#[derive(Debug, Default)]
pub struct LeakTable {
    keys: Vec<u64>,
    ids: Vec<u32>,
    len: usize,
    /// log2 of the number of slots (0 while nothing was inserted).
    bits: u32,
}

impl LeakTable {
    /// Fingerprints held.
    #[cfg(test)]
    fn len(&self) -> usize {
        self.len
    }

    /// Bytes held by the slots.
    pub fn bytes(&self) -> usize {
        self.keys.capacity() * 8 + self.ids.capacity() * 4
    }

    #[inline(always)]
    fn home(&self, key: u64) -> usize {
        (key >> (64 - self.bits)) as usize
    }

    #[inline(always)]
    fn mask(&self) -> usize {
        self.keys.len() - 1
    }

    /// The id stored for `key`.
    pub fn get(&self, key: u64) -> Option<u32> {
        if self.len == 0 {
            return None;
        }
        let mask = self.mask();
        let mut at = self.home(key);
        loop {
            let id = self.ids[at];
            if id == EMPTY {
                return None;
            }
            if self.keys[at] == key {
                return Some(id);
            }
            at = (at + 1) & mask;
        }
    }

    /// Asks the processor to load `key`'s home slot (a hint; no effect on the result).
    #[inline(always)]
    fn prefetch(&self, key: u64) {
        if self.len == 0 {
            return;
        }
        let at = self.home(key);
        prefetch(&self.keys[at]);
        prefetch(&self.ids[at]);
    }

    /// Prefetches the slot of the entry [`AHEAD`] places after `at` in `list` (whose keys
    /// `key` reads), for loops that look up or insert a sorted list one entry at a time.
    #[inline(always)]
    pub fn prefetch_ahead<T>(&self, list: &[T], at: usize, key: impl Fn(&T) -> u64) {
        if let Some(next) = list.get(at + AHEAD) {
            self.prefetch(key(next));
        }
    }

    /// Stores `id` for every key not stored yet; a key already present keeps its id.
    pub fn insert_all(&mut self, keys: &[u64], id: u32) {
        assert!(id != EMPTY, "source ids stay below u32::MAX");
        self.reserve(keys.len());
        for (i, &key) in keys.iter().enumerate() {
            self.prefetch_ahead(keys, i, |&k| k);
            self.insert(key, id);
        }
    }

    /// Room for `more` keys without passing three quarters full (at most; some may be
    /// present already).
    fn reserve(&mut self, more: usize) {
        let need = self.len + more;
        let mut bits = self.bits.max(MIN_BITS);
        while need > (3 << bits) / 4 {
            bits += 1;
        }
        if bits == self.bits {
            return;
        }
        let old_keys = std::mem::take(&mut self.keys);
        let old_ids = std::mem::take(&mut self.ids);
        self.bits = bits;
        self.keys = vec![0; 1 << bits];
        self.ids = vec![EMPTY; 1 << bits];
        self.len = 0;
        for (&key, &id) in old_keys.iter().zip(&old_ids) {
            if id != EMPTY {
                self.insert(key, id);
            }
        }
    }

    #[inline(always)]
    fn insert(&mut self, key: u64, id: u32) {
        let mask = self.mask();
        let mut at = self.home(key);
        loop {
            if self.ids[at] == EMPTY {
                self.keys[at] = key;
                self.ids[at] = id;
                self.len += 1;
                return;
            }
            if self.keys[at] == key {
                return;
            }
            at = (at + 1) & mask;
        }
    }
}

#[cfg(target_arch = "x86_64")]
#[inline(always)]
fn prefetch<T>(at: &T) {
    safe_arch::prefetch_t0(at);
}

#[cfg(not(target_arch = "x86_64"))]
#[inline(always)]
fn prefetch<T>(_at: &T) {}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::collections::HashMap;

    proptest! {
        /// The table answers as a map filled with `entry(key).or_insert(id)` does, through
        /// several growths, wrap-around at the end (keys with all top bits set) included.
        #[test]
        fn agrees_with_a_map_keeping_the_first_id(
            batches in prop::collection::vec(
                prop::collection::vec(
                    prop_oneof![any::<u64>(), (0u64..64).prop_map(|k| !k), 0u64..64],
                    0..400,
                ),
                1..12,
            ),
            probes in prop::collection::vec(any::<u64>(), 0..200),
        ) {
            let mut table = LeakTable::default();
            let mut want: HashMap<u64, u32> = HashMap::new();
            for (id, batch) in batches.iter().enumerate() {
                let mut sorted = batch.clone();
                sorted.sort_unstable();
                table.insert_all(&sorted, id as u32);
                for &k in &sorted {
                    want.entry(k).or_insert(id as u32);
                }
            }
            prop_assert_eq!(table.len(), want.len());
            for (&k, &id) in &want {
                prop_assert_eq!(table.get(k), Some(id));
            }
            for k in probes {
                prop_assert_eq!(table.get(k), want.get(&k).copied());
            }
        }
    }

    #[test]
    fn grows_before_three_quarters_and_counts_its_bytes() {
        let mut table = LeakTable::default();
        assert_eq!((table.bytes(), table.get(7)), (0, None));
        let keys: Vec<u64> = (0..100_000u64)
            .map(|i| i.wrapping_mul(0x9e37_79b9_7f4a_7c15))
            .collect();
        for chunk in keys.chunks(1_000) {
            table.insert_all(chunk, 3);
            assert!(table.len() * 4 <= table.keys.len() * 3);
        }
        assert_eq!(table.len(), keys.len());
        // 100,000 keys need 2^18 slots at three quarters: 12 bytes each.
        assert_eq!(table.bytes(), (1 << 18) * 12);
        assert!(keys.iter().all(|&k| table.get(k) == Some(3)));
    }
}
