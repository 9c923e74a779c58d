//! Progress as the pipeline reports it, and the one-line text a terminal shows for it: per
//! table rows, bytes, rate and an ETA when the size is known (the input file's size, or the
//! row estimate of a live source's `pg_class`). Counts and names only, never a value.
//!
//! The binary decides whether to show it (stderr is a terminal and not `--quiet`); the text and
//! the arithmetic live here so they can be tested without a terminal.

/// Progress, reported after each block of rows.
#[derive(Debug, Clone)]
pub struct Progress<'a> {
    /// Bytes of (decompressed) input read.
    pub bytes_read: u64,
    /// The input file's size, when known and uncompressed.
    pub total: Option<u64>,
    /// Rows processed so far.
    pub rows: u64,
    /// Seconds since the run started.
    pub seconds: f64,
    /// The table whose data is being read.
    pub table: &'a str,
    /// Rows of this table so far.
    pub table_rows: u64,
    /// Bytes of this table's rows so far.
    pub table_bytes: u64,
    /// Seconds since this table's data began.
    pub table_seconds: f64,
    /// How many rows the table is expected to hold (a live source's planner estimate).
    pub table_expected_rows: Option<u64>,
}

impl Progress<'_> {
    /// The whole-run part: `12.3 MB of 450.0 MB (2.7%), 25.1 MB/s, ETA 17s`.
    pub fn run_line(&self) -> String {
        let mut out = bytes(self.bytes_read);
        if let Some(total) = self.total.filter(|t| *t > 0) {
            let pct = 100.0 * self.bytes_read as f64 / total as f64;
            out.push_str(&format!(" of {} ({pct:.1}%)", bytes(total)));
        }
        if let Some(rate) = rate(self.bytes_read, self.seconds) {
            out.push_str(&format!(", {}/s", bytes(rate as u64)));
        }
        if let Some(total) = self.total {
            if let Some(eta) = eta(self.bytes_read, total, self.seconds) {
                out.push_str(&format!(", ETA {}", duration(eta)));
            }
        }
        out
    }

    /// The current table: `public.orders: 120,000 of ~500,000 rows, 12.3 MB, 45,000 rows/s,
    /// ETA 8s`.
    pub fn table_line(&self) -> String {
        let mut out = format!("{}: {}", self.table, count(self.table_rows));
        if let Some(expected) = self.table_expected_rows {
            out.push_str(&format!(" of ~{}", count(expected)));
        }
        out.push_str(&format!(" rows, {}", bytes(self.table_bytes)));
        if let Some(r) = rate(self.table_rows, self.table_seconds) {
            out.push_str(&format!(", {} rows/s", count(r as u64)));
        }
        if let Some(expected) = self.table_expected_rows {
            if let Some(eta) = eta(self.table_rows, expected, self.table_seconds) {
                out.push_str(&format!(", ETA {}", duration(eta)));
            }
        }
        out
    }

    /// Both parts, for a one-line display: the table first, since a narrow terminal cuts the
    /// end of the line.
    pub fn line(&self) -> String {
        format!("{} | {}", self.table_line(), self.run_line())
    }
}

/// Units per second, once there is something to divide.
fn rate(done: u64, seconds: f64) -> Option<f64> {
    (seconds >= 0.5 && done > 0).then(|| done as f64 / seconds)
}

/// Seconds left at the rate so far: none before a rate is known, or when the estimate is
/// already exceeded (a stale row estimate must not promise "0 s").
pub fn eta(done: u64, total: u64, seconds: f64) -> Option<f64> {
    let rate = rate(done, seconds)?;
    (total > done).then(|| (total - done) as f64 / rate)
}

/// `1.2 GB`, `3.4 MB`, `512 kB`, `12 B` (decimal units, as the summary line uses).
pub fn bytes(n: u64) -> String {
    match n {
        n if n >= 1_000_000_000 => format!("{:.1} GB", n as f64 / 1e9),
        n if n >= 1_000_000 => format!("{:.1} MB", n as f64 / 1e6),
        n if n >= 1_000 => format!("{} kB", n / 1_000),
        n => format!("{n} B"),
    }
}

/// `1,234,567`.
pub fn count(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// `8s`, `2m05s`, `1h02m`.
pub fn duration(seconds: f64) -> String {
    let s = seconds.ceil() as u64;
    match s {
        s if s >= 3600 => format!("{}h{:02}m", s / 3600, (s % 3600) / 60),
        s if s >= 60 => format!("{}m{:02}s", s / 60, s % 60),
        s => format!("{s}s"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn progress(table_expected_rows: Option<u64>, total: Option<u64>) -> Progress<'static> {
        Progress {
            bytes_read: 50_000_000,
            total,
            rows: 300_000,
            seconds: 10.0,
            table: "public.orders",
            table_rows: 120_000,
            table_bytes: 12_345_678,
            table_seconds: 4.0,
            table_expected_rows,
        }
    }

    #[test]
    fn lines_show_rates_and_etas_when_sizes_are_known() {
        let cases = [
            (
                progress(Some(500_000), None),
                "public.orders: 120,000 of ~500,000 rows, 12.3 MB, 30,000 rows/s, ETA 13s | 50.0 MB, 5.0 MB/s",
            ),
            (
                progress(None, Some(450_000_000)),
                "public.orders: 120,000 rows, 12.3 MB, 30,000 rows/s | 50.0 MB of 450.0 MB (11.1%), 5.0 MB/s, ETA 1m20s",
            ),
            // A stale estimate already passed: no ETA rather than a wrong one.
            (
                progress(Some(100_000), None),
                "public.orders: 120,000 of ~100,000 rows, 12.3 MB, 30,000 rows/s | 50.0 MB, 5.0 MB/s",
            ),
        ];
        for (p, want) in cases {
            assert_eq!(p.line(), want);
        }
    }

    #[test]
    fn no_rate_before_half_a_second() {
        let mut p = progress(Some(500_000), Some(1));
        p.seconds = 0.1;
        p.table_seconds = 0.1;
        p.bytes_read = 0;
        assert_eq!(
            p.line(),
            "public.orders: 120,000 of ~500,000 rows, 12.3 MB | 0 B of 1 B (0.0%)"
        );
    }

    #[test]
    fn units() {
        assert_eq!(count(0), "0");
        assert_eq!(count(999), "999");
        assert_eq!(count(1_000), "1,000");
        assert_eq!(count(1_234_567), "1,234,567");
        assert_eq!(bytes(999), "999 B");
        assert_eq!(bytes(1_500), "1 kB");
        assert_eq!(bytes(2_500_000_000), "2.5 GB");
        assert_eq!(duration(0.2), "1s");
        assert_eq!(duration(125.0), "2m05s");
        assert_eq!(duration(3720.0), "1h02m");
        assert_eq!(eta(10, 10, 5.0), None);
        assert_eq!(eta(10, 20, 5.0), Some(5.0));
    }
}
