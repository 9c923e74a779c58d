//! Splitting a large table into block ranges that separate workers read, so one big table does
//! not serialize a `--source` run.
//!
//! A range is `COPY (SELECT cols FROM ONLY t WHERE ctid >= '(a,0)' AND ctid < '(b,0)') TO
//! STDOUT`: a TID range scan (PostgreSQL 14+) over blocks `a..b`. Read in block order, the ranges
//! give the rows in the order one `COPY t TO STDOUT` gives them (a sequential scan from block
//! 0: the workers turn `synchronize_seqscans` off so that it does start there), and the reader
//! joins them into one COPY block. Every worker is on the same exported snapshot, so a row that
//! a concurrent update moves to another block is seen exactly once, at its snapshot position.
//!
//! What does not live here: running the ranges and joining them ([`super::stream`]).

use super::catalog::TableData;

/// The first server version with TID range scans (`ctid >= ... AND ctid < ...` without reading
/// the whole table).
pub const MIN_SERVER_VERSION: u32 = 140_000;

/// More ranges than this per table only add statements: beyond it ranges grow instead.
const MAX_RANGES: u64 = 10_000;

/// Blocks `start..end` of a table; `None` is open (the first range from block 0, the last to
/// the end, including blocks added after the size was read).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BlockRange {
    pub start: Option<u64>,
    pub end: Option<u64>,
}

/// One COPY statement's worth of a table: the whole table, or one of its ranges.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Unit {
    /// The table's index in the catalog's list.
    pub table: usize,
    pub range: Option<BlockRange>,
}

/// The units to read, in table order and, within a table, in block order. A table is split
/// when its main fork is larger than `threshold` bytes (0: never), the server has TID range
/// scans, and a plain column list can be read (no extension filter, at least one column).
pub fn plan(
    tables: &[TableData],
    threshold: u64,
    server_version: u32,
    block_size: u64,
) -> Vec<Unit> {
    let mut units = Vec::with_capacity(tables.len());
    for (i, t) in tables.iter().enumerate() {
        let splittable = threshold > 0
            && server_version >= MIN_SERVER_VERSION
            && t.bytes > threshold
            && t.condition.as_deref().is_none_or(|c| c.trim().is_empty())
            && !t.columns.is_empty();
        if !splittable {
            units.push(Unit {
                table: i,
                range: None,
            });
            continue;
        }
        let blocks = t.bytes.div_ceil(block_size.max(1));
        let n = t
            .bytes
            .div_ceil(threshold)
            .min(MAX_RANGES)
            .min(blocks)
            .max(1);
        for k in 0..n {
            let bound = |k: u64| k * blocks / n;
            units.push(Unit {
                table: i,
                range: Some(BlockRange {
                    start: (k > 0).then(|| bound(k)),
                    end: (k + 1 < n).then(|| bound(k + 1)),
                }),
            });
        }
    }
    units
}

/// The statement that reads `unit` of `table`.
pub fn copy_to_stdout(table: &TableData, range: Option<BlockRange>) -> String {
    let Some(r) = range else {
        return table.copy_to_stdout();
    };
    let mut conds = Vec::new();
    if let Some(a) = r.start {
        conds.push(format!("ctid >= '({a},0)'::tid"));
    }
    if let Some(b) = r.end {
        conds.push(format!("ctid < '({b},0)'::tid"));
    }
    let filter = if conds.is_empty() {
        String::new()
    } else {
        format!(" WHERE {}", conds.join(" AND "))
    };
    format!(
        "COPY (SELECT {} FROM ONLY {}{filter}) TO STDOUT",
        table.columns, table.qualified
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(bytes: u64) -> TableData {
        TableData {
            qualified: "public.t".into(),
            columns: "id, v".into(),
            condition: None,
            name: "t".into(),
            schema: "public".into(),
            owner: "o".into(),
            rows_estimate: None,
            bytes,
        }
    }

    #[test]
    fn large_tables_become_contiguous_block_ranges() {
        let tables = [table(8192 * 10), table(8192 * 100)];
        let units = plan(&tables, 8192 * 40, 150_000, 8192);
        assert_eq!(
            units[0],
            Unit {
                table: 0,
                range: None
            }
        );
        let ranges: Vec<_> = units[1..]
            .iter()
            .map(|u| (u.table, u.range.unwrap()))
            .collect();
        assert_eq!(
            ranges,
            [
                (
                    1,
                    BlockRange {
                        start: None,
                        end: Some(33)
                    }
                ),
                (
                    1,
                    BlockRange {
                        start: Some(33),
                        end: Some(66)
                    }
                ),
                (
                    1,
                    BlockRange {
                        start: Some(66),
                        end: None
                    }
                ),
            ]
        );
        assert_eq!(
            copy_to_stdout(&tables[1], Some(ranges[1].1)),
            "COPY (SELECT id, v FROM ONLY public.t WHERE ctid >= '(33,0)'::tid AND ctid < '(66,0)'::tid) TO STDOUT"
        );
        assert_eq!(
            copy_to_stdout(&tables[1], Some(ranges[0].1)),
            "COPY (SELECT id, v FROM ONLY public.t WHERE ctid < '(33,0)'::tid) TO STDOUT"
        );
    }

    #[test]
    fn no_split_when_off_old_or_filtered() {
        let big = [table(1 << 30)];
        for (threshold, version) in [(0, 150_000), (1 << 20, 130_000)] {
            assert_eq!(plan(&big, threshold, version, 8192).len(), 1);
        }
        let mut filtered = table(1 << 30);
        filtered.condition = Some("WHERE id > 10".into());
        assert_eq!(plan(&[filtered], 1 << 20, 150_000, 8192).len(), 1);
        // A one-block threshold makes one range per block, at most.
        assert_eq!(plan(&[table(8192 * 3)], 1, 150_000, 8192).len(), 3);
    }
}
