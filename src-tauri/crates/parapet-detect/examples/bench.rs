//! Detection throughput over evidence on one core. Replicates a scenario tenant's users and logs
//! (ids shifted per copy) to about 1,000 users over its 180 days, in memory, then times
//! `detect`. Release build only:
//!
//!     cargo run --release -p parapet-detect --example bench -- [SNAPSHOT_DIR] [USERS]

use std::path::PathBuf;
use std::time::Instant;

use parapet_detect::evidence::Evidence;

fn main() {
    let mut args = std::env::args().skip(1);
    let dir = args.next().map(PathBuf::from).unwrap_or_else(|| {
        PathBuf::from(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../../../shared/scenarios/lonestar-title"
        ))
    });
    let target_users: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(1000);
    let snapshot = match parapet_snapshot::read(&dir) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("error: {e}");
            std::process::exit(1);
        }
    };
    let lookup = parapet_ipintel::IpIntel::embedded();
    // The first normalization also builds the IP index; time the second.
    let _ = parapet_detect::evidence_from_snapshot(&snapshot, lookup);
    let started = Instant::now();
    let raw = parapet_detect::evidence::raw_from_snapshot(&snapshot);
    let to_json = started.elapsed();
    let base = Evidence::from_raw(&raw, lookup);
    let normalize = started.elapsed();
    let copies = target_users.div_ceil(base.users.len().max(1)).max(1);
    let evidence = replicate(&base, copies);
    let events = evidence.sign_ins.len() + evidence.activities.len() + evidence.messages.len();
    let now = snapshot.tenant.snapshot_time;
    // One warm-up run, then the best of three.
    let mut incidents = parapet_detect::detect(&evidence, now).incidents.len();
    let mut best = f64::MAX;
    for _ in 0..3 {
        let t = Instant::now();
        incidents = parapet_detect::detect(&evidence, now).incidents.len();
        best = best.min(t.elapsed().as_secs_f64());
    }
    let base_events = base.sign_ins.len() + base.activities.len() + base.messages.len();
    println!(
        "tenant: {} ({} users x {copies} copies = {} users)",
        dir.display(),
        base.users.len(),
        evidence.users.len()
    );
    println!(
        "normalize original snapshot (typed records -> JSON -> evidence, with IP lookups): {base_events} events in {:.1} ms ({:.1} ms of it re-emitting records as JSON)",
        normalize.as_secs_f64() * 1000.0,
        to_json.as_secs_f64() * 1000.0
    );
    println!(
        "detect: {events} events ({} sign-ins, {} activities, {} messages) in {:.3} s = {:.0} events/s, {incidents} incidents",
        evidence.sign_ins.len(),
        evidence.activities.len(),
        evidence.messages.len(),
        best,
        events as f64 / best
    );
}

/// `copies` copies of the tenant's users and everything they did, each with its own ids.
fn replicate(base: &Evidence, copies: usize) -> Evidence {
    let mut out = Evidence {
        tenant: base.tenant.clone(),
        sources: base.sources.clone(),
        ..Evidence::default()
    };
    for k in 0..copies {
        let id = |s: &str| {
            if k == 0 {
                s.to_string()
            } else {
                format!("{s}~{k}")
            }
        };
        let upn = |s: &str| {
            if k == 0 {
                s.to_string()
            } else {
                format!("c{k}.{s}")
            }
        };
        for u in &base.users {
            let mut u = u.clone();
            u.id = id(&u.id);
            u.upn = upn(&u.upn);
            out.users.push(u);
        }
        for s in &base.sign_ins {
            let mut s = s.clone();
            s.record_id = id(&s.record_id);
            s.user_id = id(&s.user_id);
            s.upn = upn(&s.upn);
            s.session_id = s.session_id.map(|x| id(&x));
            out.sign_ins.push(s);
        }
        for a in &base.activities {
            let mut a = a.clone();
            a.record_id = id(&a.record_id);
            a.actor = upn(&a.actor);
            a.subject_user_id = a.subject_user_id.map(|x| id(&x));
            out.activities.push(a);
        }
        for m in &base.messages {
            let mut m = m.clone();
            m.record_id = id(&m.record_id);
            m.sender = upn(&m.sender);
            m.recipients = m.recipients.iter().map(|r| upn(r)).collect();
            out.messages.push(m);
        }
        for x in &base.artifacts {
            let mut x = x.clone();
            x.id = id(&x.id);
            x.owner_user_id = x.owner_user_id.map(|o| id(&o));
            out.artifacts.push(x);
        }
    }
    out.sign_ins
        .sort_by(|a, b| (a.time, &a.record_id).cmp(&(b.time, &b.record_id)));
    out.activities
        .sort_by(|a, b| (a.time, &a.record_id).cmp(&(b.time, &b.record_id)));
    out.messages
        .sort_by(|a, b| (a.time, &a.record_id).cmp(&(b.time, &b.record_id)));
    out
}
