//! Throughput of FF1 per core, in values per second, for the shapes understudy tokenizes most:
//! 10–19 numeral decimal, radix-36 and radix-62 strings. Compares the one-shot API, a prepared
//! context and the `fpe` crate, per second of CPU time of the benchmark thread. Run with
//! `cargo bench --bench ff1`; it takes about 15 seconds of wall-clock time.

use std::hint::black_box;
use std::time::{Duration, Instant};

use fpe::ff1::{FlexibleNumeralString, FF1};
use understudy::transform::ff1::{Direction, Ff1};

const KEY: [u8; 32] = [0x2b; 32];
const TWEAK: &[u8] = b"public.users.card_number";
const INPUTS: usize = 1024;
const BUDGET: Duration = Duration::from_millis(150);

/// Deterministic pseudo-random numerals (xorshift), so runs are comparable.
fn inputs(radix: u32, len: usize) -> Vec<Vec<u16>> {
    let mut s = 0x9e37_79b9_7f4a_7c15u64;
    (0..INPUTS)
        .map(|_| {
            (0..len)
                .map(|_| {
                    s ^= s << 13;
                    s ^= s >> 7;
                    s ^= s << 17;
                    (s % u64::from(radix)) as u16
                })
                .collect()
        })
        .collect()
}

/// Nanoseconds this thread has spent on a CPU (Linux), so that a busy shared machine does not
/// count other processes' time against us; wall-clock time where that is not available.
fn cpu_nanos(wall: Instant) -> u128 {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse().ok())
        .unwrap_or_else(|| wall.elapsed().as_nanos())
}

/// Runs `f` over the inputs until the time budget is spent; returns values per CPU-second.
fn rate(xs: &[Vec<u16>], mut f: impl FnMut(&[u16])) -> f64 {
    let start = Instant::now();
    let cpu_start = cpu_nanos(start);
    let mut done = 0u64;
    while start.elapsed() < BUDGET {
        for x in xs {
            f(black_box(x));
        }
        done += xs.len() as u64;
    }
    done as f64 * 1e9 / (cpu_nanos(start) - cpu_start) as f64
}

fn main() {
    let ours = Ff1::new(&KEY).unwrap();
    println!("radix len   one-shot/s   prepared/s   fpe 0.7/s  speed-up");
    for radix in [10u32, 36, 62] {
        let theirs = FF1::<aes::Aes256>::new(&KEY, radix).unwrap();
        for len in 10..=19 {
            let xs = inputs(radix, len);
            let mut out = vec![0u16; len];
            let one_shot = rate(&xs, |x| {
                ours.encrypt_into(TWEAK, radix, x, &mut out).unwrap();
                black_box(&out);
            });
            let prepared = ours.prepare(TWEAK, radix, len).unwrap();
            let prep = rate(&xs, |x| {
                prepared.encrypt_into(x, &mut out).unwrap();
                black_box(&out);
            });
            let fpe = rate(&xs, |x| {
                let ns = FlexibleNumeralString::from(x.to_vec());
                black_box(theirs.encrypt(TWEAK, &ns).unwrap());
            });
            println!(
                "{radix:>5} {len:>3} {one_shot:>12.0} {prep:>12.0} {fpe:>11.0} {:>8.1}x",
                one_shot / fpe
            );
        }
    }
    // The shape `integer_id` walks: a binary domain of an `integer` column's default range.
    // One value per call against `encrypt_many_prepared`, which interleaves eight values' rounds.
    let range = 536_870_911u64;
    let domain = ours.prepare_domain(b"integer_id", range).unwrap();
    let ids: Vec<Vec<u16>> = (0..INPUTS as u64)
        .map(|i| vec![(i * 7919 % 65_521) as u16])
        .collect();
    let as_u64 = |x: &[u16]| u64::from(x[0]) * 8_191;
    let one = rate(&ids, |x| {
        black_box(
            ours.walk_prepared(&domain, Direction::Encrypt, as_u64(x))
                .unwrap(),
        );
    });
    let mut batch: Vec<u64> = ids.iter().map(|x| as_u64(x)).collect();
    let start = Instant::now();
    let cpu_start = cpu_nanos(start);
    let mut done = 0u64;
    while start.elapsed() < BUDGET {
        ours.encrypt_many_prepared(&domain, black_box(&mut batch))
            .unwrap();
        done += batch.len() as u64;
    }
    let many = done as f64 * 1e9 / (cpu_nanos(start) - cpu_start) as f64;
    println!(
        "binary domain of {range}: one per call {one:.0}/s, eight interleaved {many:.0}/s ({:.1}x)",
        many / one
    );
}
