//! Bottom-k sampling: keep the `k` items with the smallest keyed priority.
//!
//! A priority is a keyed hash of the item's own content, so the sample is uniform over distinct
//! contents, does not depend on how rows were cut into slices, and two samples merge by keeping
//! the `k` smallest of their union — exactly what in-order merging of per-slice accumulators
//! needs, with no random number generator.

use std::cmp::Ordering;
use std::collections::BinaryHeap;

#[derive(Debug, Clone)]
struct Entry<T> {
    priority: u64,
    item: T,
}

impl<T> PartialEq for Entry<T> {
    fn eq(&self, other: &Self) -> bool {
        self.priority == other.priority
    }
}
impl<T> Eq for Entry<T> {}
impl<T> PartialOrd for Entry<T> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl<T> Ord for Entry<T> {
    fn cmp(&self, other: &Self) -> Ordering {
        self.priority.cmp(&other.priority)
    }
}

/// The `k` items of smallest priority seen so far.
#[derive(Debug, Clone)]
pub struct BottomK<T> {
    k: usize,
    heap: BinaryHeap<Entry<T>>,
    seen: u64,
    /// Priorities at or above this never enter (see [`BottomK::below`]).
    ceiling: u64,
}

impl<T> BottomK<T> {
    /// An empty sample of at most `k` items.
    pub fn new(k: usize) -> Self {
        BottomK {
            k,
            heap: BinaryHeap::new(),
            seen: 0,
            ceiling: u64::MAX,
        }
    }

    /// An empty sample for a part of the stream whose items will be merged into `whole`:
    /// it refuses what `whole` already could not take. Why: a slice of 1,500 rows never fills
    /// a sample of 10,000 on its own, so without the bound every row was prepared, kept and
    /// merged, only for the merge to drop nearly all of them. `whole`'s bound only falls as
    /// items come, so the merged sample is the same.
    pub fn below(whole: &BottomK<T>) -> Self {
        BottomK {
            ceiling: whole.bound(),
            ..BottomK::new(whole.k)
        }
    }

    /// The priority an item must be under to enter now.
    fn bound(&self) -> u64 {
        let top = if self.heap.len() < self.k {
            u64::MAX
        } else {
            self.heap.peek().map_or(u64::MAX, |top| top.priority)
        };
        top.min(self.ceiling)
    }

    /// Whether an item of this priority would enter the sample now (so the caller can skip
    /// preparing one that would not).
    pub fn admits(&self, priority: u64) -> bool {
        priority < self.bound()
    }

    /// Counts an offer that [`BottomK::admits`] turned away.
    pub fn skip(&mut self) {
        self.seen += 1;
    }

    /// Offers an item; `make` runs only when the item enters the sample.
    pub fn offer_with(&mut self, priority: u64, make: impl FnOnce() -> T) {
        self.seen += 1;
        if priority >= self.ceiling {
            return;
        }
        if self.heap.len() < self.k {
            self.heap.push(Entry {
                priority,
                item: make(),
            });
        } else if self.heap.peek().is_some_and(|top| priority < top.priority) {
            self.heap.pop();
            self.heap.push(Entry {
                priority,
                item: make(),
            });
        }
    }

    /// Keeps the `k` smallest of both samples.
    pub fn merge(&mut self, other: BottomK<T>) {
        let seen = self.seen + other.seen;
        for e in other.heap {
            self.offer_with(e.priority, || e.item);
        }
        self.seen = seen;
    }

    /// Items offered in all.
    pub fn seen(&self) -> u64 {
        self.seen
    }

    /// Items held.
    pub fn len(&self) -> usize {
        self.heap.len()
    }

    /// Whether nothing is held.
    pub fn is_empty(&self) -> bool {
        self.heap.is_empty()
    }

    /// The sampled items, by ascending priority.
    pub fn into_sorted(self) -> Vec<T> {
        self.heap
            .into_sorted_vec()
            .into_iter()
            .map(|e| e.item)
            .collect()
    }

    /// The items, in no particular order.
    pub fn iter(&self) -> impl Iterator<Item = &T> {
        self.heap.iter().map(|e| &e.item)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merging_slices_gives_the_same_sample_as_one_pass() {
        let prio = |i: u64| i.wrapping_mul(0x9E37_79B9_7F4A_7C15);
        let mut whole = BottomK::new(10);
        for i in 0..1000 {
            whole.offer_with(prio(i), || i);
        }
        let mut parts: Vec<BottomK<u64>> = Vec::new();
        for chunk in (0..1000u64).collect::<Vec<_>>().chunks(77) {
            let mut s = BottomK::new(10);
            for &i in chunk {
                s.offer_with(prio(i), || i);
            }
            parts.push(s);
        }
        let mut merged = BottomK::new(10);
        for p in parts {
            merged.merge(p);
        }
        assert_eq!(merged.seen(), 1000);
        assert_eq!(merged.into_sorted(), whole.into_sorted());
    }

    #[test]
    fn slices_bounded_by_the_whole_give_the_same_sample_and_keep_little() {
        let prio = |i: u64| i.wrapping_mul(0x9E37_79B9_7F4A_7C15);
        let mut whole = BottomK::new(10);
        for i in 0..10_000 {
            whole.offer_with(prio(i), || i);
        }
        // As the pipeline does: each slice starts from the merged sample's bound, and is
        // merged one slice late (the merge of a block overlaps the next one).
        let mut merged = BottomK::new(10);
        let mut late: Option<BottomK<u64>> = None;
        let mut kept = 0;
        for chunk in (0..10_000u64).collect::<Vec<_>>().chunks(100) {
            let mut s = BottomK::below(&merged);
            for &i in chunk {
                if s.admits(prio(i)) {
                    s.offer_with(prio(i), || i);
                } else {
                    s.skip();
                }
            }
            kept += s.len();
            if let Some(previous) = late.replace(s) {
                merged.merge(previous);
            }
        }
        merged.merge(late.expect("slices"));
        assert_eq!(merged.seen(), 10_000);
        assert_eq!(merged.into_sorted(), whole.into_sorted());
        assert!(kept < 400, "slices kept {kept} items for a sample of 10");
    }
}
