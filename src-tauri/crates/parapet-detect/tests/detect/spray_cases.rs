//! What is and is not a password-spray source, through both sign-in sources (Entra `signIns`
//! with P1, the unified audit log's `UserLoggedIn`/`UserLoginFailed` without it): a spray is
//! wrong passwords concentrated in a short window against accounts that were never there, not
//! the office NAT collecting months of typos from staff who then get in.

use std::collections::BTreeSet;
use std::net::IpAddr;

use parapet_detect::rules::spray::spray_sources;
use parapet_detect::Evidence;

use crate::fixture::*;

#[derive(Clone, Copy, Debug, PartialEq)]
enum Source {
    Entra,
    AuditLog,
}

const SOURCES: [Source; 2] = [Source::Entra, Source::AuditLog];

fn staff(n: usize) -> Vec<String> {
    (0..n).map(|i| format!("staff{i:02}")).collect()
}

/// Users with 30 days of routine from home, as the given source records it.
fn tenant(source: Source, names: &[String]) -> Tenant {
    let refs: Vec<&str> = names.iter().map(String::as_str).collect();
    let mut t = Tenant::with_users(&refs);
    if source == Source::AuditLog {
        t.raw.sign_ins.clear();
        for u in names {
            for d in 0..30 {
                attempt(&mut t, source, u, at(d, 0), "73.0.0.1", true);
            }
        }
    }
    t
}

/// One sign-in attempt, as the given source records it.
fn attempt(t: &mut Tenant, source: Source, user: &str, time: Time, ip: &str, ok: bool) {
    match source {
        Source::AuditLog => {
            t.ual_logon(user, time, ip, ok);
        }
        Source::Entra => {
            let (asn, country) = network_of(ip);
            let mut s = sign_in(user, time).from(ip, asn, country).no_device();
            if !ok {
                s = s.error(50126);
            }
            t.add(s);
        }
    }
}

type Time = chrono::DateTime<chrono::Utc>;

fn network_of(ip: &str) -> (u32, &'static str) {
    match ip {
        OFFICE_IP => (OFFICE_ASN, "US"),
        "88.198.1.1" => (HETZNER, "DE"),
        "3.3.3.3" => (AWS, "US"),
        "98.7.7.7" => (OTHER_HOME_ASN, "US"),
        "73.0.0.1" => (HOME_ASN, "US"),
        _ => (0, "US"),
    }
}

/// Staff working from the office NAT every weekday for 50 days, with the typos such a place
/// collects: a wrong password most days, each retried at once; a morning when six people fail
/// and take their phone instead; new hires whose first sign-in there is a typo.
fn office(source: Source, people: usize) -> (Tenant, Vec<String>) {
    let names = staff(people);
    let mut everyone = names.clone();
    everyone.extend(["hire1", "hire2", "hire3", "hire4", "remote"].map(String::from));
    let mut t = tenant(source, &everyone);
    for d in (0..50).filter(|d| d % 7 < 5) {
        for (i, u) in names.iter().enumerate() {
            let minute = chrono::Duration::minutes(i64::try_from(i).unwrap_or(0));
            let time = at(d, 0) + minute;
            if (d + i64::try_from(i).unwrap_or(0)) % 3 == 0 {
                attempt(&mut t, source, u, time, OFFICE_IP, false);
                attempt(
                    &mut t,
                    source,
                    u,
                    time + chrono::Duration::seconds(40),
                    OFFICE_IP,
                    true,
                );
            } else {
                attempt(&mut t, source, u, time, OFFICE_IP, true);
            }
        }
    }
    for u in names.iter().take(6) {
        attempt(&mut t, source, u, at(44, 2), OFFICE_IP, false);
    }
    (t, names)
}

fn sprayers(t: &Tenant) -> BTreeSet<IpAddr> {
    let evidence = Evidence::from_raw(&t.raw, &lookup());
    spray_sources(&evidence.sign_ins).ips.into_keys().collect()
}

fn ip(s: &str) -> BTreeSet<IpAddr> {
    s.parse().into_iter().collect()
}

#[test]
fn the_office_nat_collecting_typos_is_not_a_spray_source() {
    for source in SOURCES {
        let (mut t, names) = office(source, 12);
        for (n, hire) in ["hire1", "hire2", "hire3", "hire4"].iter().enumerate() {
            let time = at(45, 1) + chrono::Duration::minutes(i64::try_from(n).unwrap_or(0));
            attempt(&mut t, source, hire, time, OFFICE_IP, false);
            attempt(
                &mut t,
                source,
                hire,
                time + chrono::Duration::minutes(2),
                OFFICE_IP,
                true,
            );
        }
        // A remote worker in the office for the first time: a business network new for them.
        for d in 30..47 {
            attempt(&mut t, source, "remote", at(d, 3), "98.7.7.7", true);
        }
        attempt(&mut t, source, "remote", at(47, 4), OFFICE_IP, true);
        assert_eq!(sprayers(&t), BTreeSet::new(), "{source:?}: {names:?}");
        let r = check(&format!("office {source:?}"), &t, &[]);
        assert!(
            r.targeted_users.is_empty(),
            "{source:?}: staff at the office are not targeted: {:?}",
            r.targeted_users
        );
    }
}

/// `(case, address, accounts guessed at, hours between guesses, sprayer expected)`.
const GUESS_CASES: &[(&str, &str, usize, i64, bool)] = &[
    ("hosting, 3 accounts in an hour", "88.198.1.1", 3, 0, true),
    ("hosting, 2 accounts", "88.198.1.1", 2, 0, false),
    (
        "hosting, one account a week",
        "88.198.1.1",
        5,
        24 * 7,
        false,
    ),
    ("residential, 3 accounts", "98.7.7.7", 3, 0, false),
    ("residential, 5 accounts", "98.7.7.7", 5, 0, true),
    ("unknown network, 3 accounts", "192.0.2.50", 3, 0, false),
    (
        "unknown network, 4 accounts in a day",
        "192.0.2.50",
        4,
        5,
        true,
    ),
];

#[test]
fn guesses_against_strangers_in_a_short_window_make_a_spray_source() {
    for source in SOURCES {
        for (case, address, accounts, gap_hours, expected) in GUESS_CASES {
            let names = staff(*accounts);
            let mut t = tenant(source, &names);
            for (i, u) in names.iter().enumerate() {
                let n = i64::try_from(i).unwrap_or(0);
                let time = at(30, 0)
                    + chrono::Duration::hours(gap_hours * n)
                    + chrono::Duration::minutes(n);
                attempt(&mut t, source, u, time, address, false);
            }
            let want = if *expected {
                ip(address)
            } else {
                BTreeSet::new()
            };
            assert_eq!(sprayers(&t), want, "{source:?}: {case}");
        }
    }
}

#[test]
fn a_place_where_staff_routinely_get_in_or_many_get_in_at_once_is_no_spray_source() {
    for source in SOURCES {
        // The company's VPN runs on a cloud server: routine for five staff. New hires mistyping
        // there are no spray.
        let names = staff(5);
        let mut everyone = names.clone();
        everyone.extend(["hire1", "hire2", "hire3"].map(String::from));
        let mut t = tenant(source, &everyone);
        for u in &names {
            for d in 0..20 {
                attempt(&mut t, source, u, at(d, 2), "3.3.3.3", true);
            }
        }
        for hire in ["hire1", "hire2", "hire3"] {
            attempt(&mut t, source, hire, at(30, 1), "3.3.3.3", false);
        }
        assert_eq!(sprayers(&t), BTreeSet::new(), "{source:?}: company VPN");

        // A conference network: four strangers fail, but as many others get in meanwhile.
        let mut t = tenant(source, &staff(8));
        for (i, u) in staff(8).iter().enumerate() {
            let time = at(30, 0) + chrono::Duration::minutes(i64::try_from(i).unwrap_or(0));
            attempt(&mut t, source, u, time, "192.0.2.50", i % 2 == 0);
        }
        assert_eq!(sprayers(&t), BTreeSet::new(), "{source:?}: conference");
    }
}

#[test]
fn a_spray_landing_beside_the_office_nat_is_found_and_the_office_stays_quiet() {
    for source in SOURCES {
        let (mut t, names) = office(source, 10);
        for (i, u) in names.iter().take(5).enumerate() {
            let time = at(48, 1) + chrono::Duration::minutes(i64::try_from(i).unwrap_or(0));
            attempt(&mut t, source, u, time, "88.198.1.1", false);
        }
        let victim = names[5].clone();
        attempt(&mut t, source, &victim, at(48, 2), "88.198.1.1", false);
        attempt(&mut t, source, &victim, at(48, 4), "88.198.1.1", true);
        t.audit(
            at(48, 5),
            &victim,
            "88.198.1.1",
            "Set-Mailbox",
            &[
                ("Identity", &victim),
                ("ForwardingSmtpAddress", "smtp:drop@gmail.com"),
            ],
        );
        t.forwarding_now(&victim, "drop@gmail.com");
        assert_eq!(sprayers(&t), ip("88.198.1.1"), "{source:?}");
        let r = check(
            &format!("spray beside the office {source:?}"),
            &t,
            &[(victim.as_str(), "active_compromise")],
        );
        assert!(
            signal_kinds(&r, &victim).contains(&"password_spray_success".to_string()),
            "{source:?}: {:?}",
            signal_kinds(&r, &victim)
        );
        let targeted: BTreeSet<String> = r
            .targeted_users
            .iter()
            .map(|u| u.user_principal_name.clone())
            .collect();
        let sprayed: BTreeSet<String> = names.iter().take(6).map(|u| upn(u)).collect();
        assert_eq!(targeted, sprayed, "{source:?}");
    }
}
