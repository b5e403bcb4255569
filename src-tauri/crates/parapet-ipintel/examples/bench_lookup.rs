//! Lookup throughput over the embedded data.
//!
//! Run: `cargo run --release -p parapet-ipintel --example bench_lookup [-- N]`
//! Prints the one-off build time of the index and lookups per second over N pseudo-random
//! public IPv4 and IPv6 addresses (default 2,000,000).

use std::hint::black_box;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::time::Instant;

use parapet_ipintel::{IpIntel, NetworkClass};

fn main() {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(2_000_000);

    let rss_before = resident_memory().unwrap_or_else(|| "unknown (no /proc)".into());
    let started = Instant::now();
    let intel = match IpIntel::try_embedded() {
        Ok(intel) => intel,
        Err(e) => {
            eprintln!("cannot load embedded data: {e}");
            std::process::exit(1);
        }
    };
    let rss_after = resident_memory().unwrap_or_else(|| "unknown (no /proc)".into());
    println!(
        "index built in {:.1} ms; resident memory {rss_before} before, {rss_after} after",
        started.elapsed().as_secs_f64() * 1e3
    );

    // xorshift: deterministic and dependency-free; every 4th address is IPv6 inside 2000::/3.
    let mut state = 0x9e37_79b9_7f4a_7c15u64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let ips: Vec<IpAddr> = (0..n)
        .map(|i| {
            if i % 4 == 3 {
                let hi = (next() & 0x1fff_ffff_ffff_ffff) | 0x2000_0000_0000_0000;
                IpAddr::V6(Ipv6Addr::from((u128::from(hi) << 64) | u128::from(next())))
            } else {
                IpAddr::V4(Ipv4Addr::from(next() as u32))
            }
        })
        .collect();

    let started = Instant::now();
    let mut known = 0usize;
    for &ip in &ips {
        let info = black_box(intel.lookup(ip));
        known += usize::from(info.class != NetworkClass::Unknown);
    }
    let secs = started.elapsed().as_secs_f64();
    println!(
        "{n} lookups in {:.3} s: {:.2} M lookups/s ({:.0} ns each); {known} classified",
        secs,
        n as f64 / secs / 1e6,
        secs * 1e9 / n as f64
    );

    let started = Instant::now();
    let mut anonymising = 0usize;
    for i in 0..n {
        anonymising += usize::from(
            intel
                .classify_asn(black_box((i % 400_000) as u32))
                .is_anonymising_infrastructure(),
        );
    }
    let secs = started.elapsed().as_secs_f64();
    println!(
        "{n} classify_asn calls: {:.2} M/s; {anonymising} anonymising",
        n as f64 / secs / 1e6
    );
}

/// VmRSS from /proc (Linux only), e.g. "41236 kB".
fn resident_memory() -> Option<String> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    Some(line.trim_start_matches("VmRSS:").trim().to_string())
}
