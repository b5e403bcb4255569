//! Working hours (per user) and the tenant's common networks: an odd hour only adds a little to an
//! already suspicious sign-in, a network colleagues use routinely is not new infrastructure, and
//! neither ever learns from history after the event judged.
//!
//! The fixture's users sign in at 09:00 UTC daily and at 14:00 from their phones, so 02:00 is far
//! outside their hours and 10:00 is not.

use chrono::Timelike;
use parapet_detect::evidence::Evidence;
use parapet_detect::rules::signin::{assess, Verdict};
use parapet_detect::rules::spray::spray_sources;

use crate::fixture::*;

/// Day 40 at 02:00 UTC (17 hours after 09:00).
const NIGHT: i64 = 17;

/// The verdict on the sign-in with record id `id`.
fn verdict_of(t: &Tenant, id: &str) -> Verdict {
    let evidence = Evidence::from_raw(&t.raw, &lookup());
    let spray = spray_sources(&evidence.sign_ins);
    let access = assess(&evidence, &spray);
    let i = evidence
        .sign_ins
        .iter()
        .position(|s| s.record_id == id)
        .unwrap_or_else(|| panic!("no sign-in {id}"));
    access.verdicts[i]
        .clone()
        .unwrap_or_else(|| panic!("sign-in {id} was not judged"))
}

fn has_off_hours(v: &Verdict) -> bool {
    v.factors
        .iter()
        .any(|f| f.text.contains("outside the hours"))
}

fn has_new_network(v: &Verdict) -> bool {
    v.factors
        .iter()
        .any(|f| f.text.contains("never used by this user before"))
}

#[test]
fn off_hours_is_only_ever_a_small_addition() {
    // (case, hour offset on day 40, sign-in, expected score, off-hours factor expected)
    let home = |h| sign_in("alice", at(40, h));
    let japan = |h| sign_in("alice", at(40, h)).from("153.1.1.1", JAPAN_ISP, "JP");
    let hosting = |h| {
        sign_in("alice", at(40, h))
            .from("3.3.3.3", AWS, "US")
            .no_device()
    };
    let cases: Vec<(&str, SignIn, u32, bool)> = vec![
        ("usual sign-in at night", home(NIGHT), 0, false),
        ("one weak anomaly at night", japan(NIGHT), 1, false),
        ("hosting without device by day", hosting(0), 3, false),
        ("hosting without device at 10:00", hosting(1), 3, false),
        ("hosting without device at night", hosting(NIGHT), 4, true),
    ];
    for (name, s, want, off_hours) in cases {
        assert_eq!(s.time.hour() == 2, name.contains("night"), "case {name}");
        let mut t = Tenant::with_users(&["alice"]);
        let id = t.add(s);
        let v = verdict_of(&t, &id);
        assert_eq!(v.score, want, "case {name}: {:?}", v.factors);
        assert_eq!(has_off_hours(&v), off_hours, "case {name}: {:?}", v.factors);
        let hour_points: u32 = v
            .factors
            .iter()
            .filter(|f| f.text.contains("outside the hours"))
            .map(|f| f.points)
            .sum();
        assert!(hour_points <= 1, "case {name}");
    }
}

#[test]
fn an_ordinary_night_sign_in_raises_nothing() {
    let mut t = Tenant::with_users(&["alice"]);
    for d in 40..45 {
        t.add(sign_in("alice", at(d, NIGHT)));
        t.add(sign_in("alice", at(d, NIGHT)).from("153.1.1.1", JAPAN_ISP, "JP"));
    }
    check("night owl", &t, &[]);
}

#[test]
fn hours_need_three_weeks_of_history() {
    // Only 10 days of sign-ins (10 successes): too little to know the user's hours.
    let mut t = Tenant::with_users(&[]);
    t.raw.users.push(serde_json::json!({"id": user_id("newbie"), "userPrincipalName": upn("newbie"), "displayName": "newbie"}));
    for d in 20..30 {
        t.add(sign_in("newbie", at(d, 0)));
    }
    let id = t.add(
        sign_in("newbie", at(40, NIGHT))
            .from("88.198.1.1", HETZNER, "DE")
            .no_device(),
    );
    let v = verdict_of(&t, &id);
    assert!(!has_off_hours(&v), "{:?}", v.factors);
    assert!(has_new_network(&v), "{:?}", v.factors);
}

#[test]
fn history_after_the_event_is_never_used() {
    let event = sign_in("alice", at(40, NIGHT))
        .from("38.1.1.1", M247_VPN, "US")
        .device("new-laptop");
    let mut before = Tenant::with_users(&["alice", "bob", "carol", "dave"]);
    let id_before = before.add(event.clone());
    let mut after = Tenant::with_users(&["alice", "bob", "carol", "dave"]);
    let id_after = after.add(event);
    // Afterwards alice keeps signing in at night and her colleagues move to the same VPN.
    for d in 41..55 {
        after.add(sign_in("alice", at(d, NIGHT)));
        for u in ["bob", "carol", "dave"] {
            after.add(sign_in(u, at(d, 0)).from("38.1.1.1", M247_VPN, "US"));
        }
    }
    let (a, b) = (
        verdict_of(&before, &id_before),
        verdict_of(&after, &id_after),
    );
    assert_eq!(a, b);
    assert!(has_off_hours(&a) && has_new_network(&a), "{:?}", a.factors);
}

/// Colleagues who used the company VPN with their devices on `days` days each.
fn colleagues_on_vpn(t: &mut Tenant, colleagues: &[&str], days: std::ops::Range<i64>) {
    for u in colleagues {
        for d in days.clone() {
            t.add(sign_in(u, at(d, 1)).from("38.1.1.1", M247_VPN, "US"));
        }
    }
}

#[test]
fn a_network_common_in_the_tenant_is_not_new_infrastructure() {
    // (case, colleagues on the VPN, their days on it, new-network factor expected)
    let cases: &[(&str, &[&str], std::ops::Range<i64>, bool)] = &[
        (
            "three colleagues routinely",
            &["bob", "carol", "dave"],
            0..30,
            false,
        ),
        ("two colleagues only", &["bob", "carol"], 0..30, true),
        (
            "three colleagues, two days each",
            &["bob", "carol", "dave"],
            0..2,
            true,
        ),
        (
            "three colleagues, only from the same day",
            &["bob", "carol", "dave"],
            38..41,
            true,
        ),
    ];
    for (name, colleagues, days, flagged) in cases {
        let mut t = Tenant::with_users(&["alice", "bob", "carol", "dave"]);
        colleagues_on_vpn(&mut t, colleagues, days.clone());
        let id = t.add(
            sign_in("alice", at(40, 0))
                .from("38.1.1.1", M247_VPN, "US")
                .device("new-laptop"),
        );
        let v = verdict_of(&t, &id);
        assert_eq!(
            has_new_network(&v),
            *flagged,
            "case {name}: {:?}",
            v.factors
        );
        check(name, &t, &[]);
    }
}

#[test]
fn a_new_user_on_the_tenants_vpn_is_not_flagged() {
    let mut t = Tenant::with_users(&["bob", "carol", "dave"]);
    colleagues_on_vpn(&mut t, &["bob", "carol", "dave"], 0..30);
    t.raw.users.push(serde_json::json!({"id": user_id("newbie"), "userPrincipalName": upn("newbie"), "displayName": "newbie"}));
    let mut ids = Vec::new();
    for d in 35..50 {
        ids.push(t.add(sign_in("newbie", at(d, 0))));
        if d >= 40 {
            ids.push(
                t.add(
                    sign_in("newbie", at(d, 1))
                        .from("38.1.1.1", M247_VPN, "US")
                        .device(if d % 2 == 0 { "laptop-a" } else { "laptop-b" }),
                ),
            );
        }
    }
    for id in &ids {
        let v = verdict_of(&t, id);
        assert!(!has_new_network(&v), "{id}: {:?}", v.factors);
    }
    check("new user on the tenant VPN", &t, &[]);
}
