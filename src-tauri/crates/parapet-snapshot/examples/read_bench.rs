//! Reads a snapshot directory repeatedly and prints records/s and MB/s.
//!
//! ```text
//! cargo run --release -p parapet-snapshot --example read_bench -- <snapshot dir> [iterations] [--read-only]
//! ```
//!
//! For comparison it also times parsing the same files as untyped `serde_json::Value` (the
//! floor for any serde_json-based reader) and one write of the snapshot; `--read-only` skips
//! both, so that `/usr/bin/time -v target/release/examples/read_bench <dir> 1 --read-only`
//! measures the peak memory of one typed read alone.

use std::path::PathBuf;
use std::time::{Duration, Instant};

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(dir) = args.next().map(PathBuf::from) else {
        eprintln!("usage: read_bench <snapshot dir> [iterations]");
        std::process::exit(2);
    };
    let iterations: u32 = args
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or(20)
        .max(1);
    let read_only = args.any(|arg| arg == "--read-only");

    let bytes: u64 = parapet_snapshot::SNAPSHOT_FILES
        .iter()
        .filter_map(|file| std::fs::metadata(dir.join(file)).ok())
        .map(|metadata| metadata.len())
        .sum();

    let mut records = 0;
    let mut best = Duration::MAX;
    let started = Instant::now();
    for _ in 0..iterations {
        let start = Instant::now();
        let snapshot = match parapet_snapshot::read(&dir) {
            Ok(snapshot) => snapshot,
            Err(error) => {
                eprintln!("read failed: {error}");
                std::process::exit(1);
            }
        };
        best = best.min(start.elapsed());
        records = snapshot.record_count().total();
        std::hint::black_box(&snapshot);
    }
    let mean = started.elapsed() / iterations;
    report("typed read", records, bytes, mean, best);
    if read_only {
        return;
    }

    let mut best_untyped = Duration::MAX;
    let started = Instant::now();
    for _ in 0..iterations {
        let start = Instant::now();
        for file in parapet_snapshot::SNAPSHOT_FILES {
            let Ok(handle) = std::fs::File::open(dir.join(file)) else {
                continue;
            };
            let reader = std::io::BufReader::with_capacity(256 * 1024, handle);
            let value: serde_json::Value = serde_json::from_reader(reader).expect("valid JSON");
            std::hint::black_box(&value);
        }
        best_untyped = best_untyped.min(start.elapsed());
    }
    let mean_untyped = started.elapsed() / iterations;
    report(
        "untyped Value parse",
        records,
        bytes,
        mean_untyped,
        best_untyped,
    );

    let snapshot = parapet_snapshot::read(&dir).expect("read");
    let temp = std::env::temp_dir().join(format!("read_bench-{}", std::process::id()));
    let start = Instant::now();
    parapet_snapshot::write(&snapshot, &temp).expect("write");
    let write_time = start.elapsed();
    let _ = std::fs::remove_dir_all(&temp);
    report(
        "write (pretty, fsync)",
        records,
        bytes,
        write_time,
        write_time,
    );

    println!("{}", snapshot.record_count());
}

fn report(what: &str, records: usize, bytes: u64, mean: Duration, best: Duration) {
    let per_second = |count: f64, time: Duration| count / time.as_secs_f64();
    println!(
        "{what:22} {records} records, {:.1} MB: mean {:.2} ms, best {:.2} ms; {:.0} records/s, {:.0} MB/s (mean)",
        bytes as f64 / 1e6,
        mean.as_secs_f64() * 1e3,
        best.as_secs_f64() * 1e3,
        per_second(records as f64, mean),
        per_second(bytes as f64 / 1e6, mean),
    );
}
