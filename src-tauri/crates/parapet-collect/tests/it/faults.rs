//! With 503 faults and realistic throttling, the collected evidence equals a fault-free run:
//! retries are the Graph client's, and nothing is lost or stored twice.

use parapet_simulator::{RetentionMode, ThrottleLimits, ThrottleMode};

use crate::support::{generated, rebuilt, store_for, Sim};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn faults_and_throttling_change_nothing_collected() {
    let snapshot = generated(3, 20, 14, true);
    let tenant = snapshot.tenant.id.clone();
    let mut collected = Vec::new();
    for (throttle, fault_rate) in [(ThrottleMode::Off, 0.0), (ThrottleMode::Realistic, 0.1)] {
        let sim = Sim::start(
            vec![snapshot.clone()],
            RetentionMode::All,
            throttle,
            fault_rate,
        )
        .await;
        if throttle == ThrottleMode::Realistic {
            // Tight report and activity-feed windows so a small tenant is throttled too.
            sim.sim.control().set_throttle_limits(ThrottleLimits {
                reports_requests: 2,
                reports_window_secs: 2.0,
                management_requests: 10,
                management_window_secs: 2.0,
                ..ThrottleLimits::default()
            });
        }
        let dir = tempfile::tempdir().unwrap();
        let store = store_for(dir.path(), &snapshot);
        let (summary, _) = sim.collect(&store, &tenant, &sim.options(&snapshot)).await;
        let stats = sim.client(&tenant).stats();
        eprintln!(
            "throttle {throttle:?}, faults {fault_rate}: {} records, {stats:?}",
            summary.fetched()
        );
        // The faulty run really was retried through 503s.
        assert_eq!(stats.unavailable > 0, fault_rate > 0.0, "{stats:?}");
        assert_eq!(
            stats.throttled > 0,
            throttle == ThrottleMode::Realistic,
            "{stats:?}"
        );
        collected.push((rebuilt(&store, &snapshot), summary));
    }
    let (clean, clean_summary) = &collected[0];
    let (faulty, faulty_summary) = &collected[1];
    assert!(clean == faulty, "evidence differs under faults");
    // The windows end at each simulator's own clock; everything else is equal.
    let counts = |s: &parapet_collect::CollectSummary| {
        s.sources
            .iter()
            .map(|s| (s.source, s.status.clone(), s.fetched, s.new))
            .collect::<Vec<_>>()
    };
    assert_eq!(counts(clean_summary), counts(faulty_summary));
    assert_eq!(clean_summary.failures, faulty_summary.failures);
}
