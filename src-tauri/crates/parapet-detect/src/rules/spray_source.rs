//! Which addresses and networks are spraying passwords, judged by what a spray looks like rather
//! than by a count of failures over six months: wrong passwords concentrated in a short window
//! against many accounts that have never signed in from there and do not retry successfully,
//! few successes beside them, at a place that is not where the tenant's own staff routinely work.
//!
//! An office or VPN egress shared by hundreds of staff collects a few wrong passwords a week,
//! from different people, for months. Each of those people then signs in from the same place
//! (the typo is retried) and was there before: none of it is a spray.

use std::collections::BTreeMap;
use std::net::IpAddr;

use chrono::{DateTime, Duration, Utc};

use super::signin::HABIT_DAYS;
use super::spray::{SprayPeriod, SpraySources};
use crate::evidence::{SignInEvent, SignInOutcome};
use crate::network::NetClass;

/// The span a spray's failures must fall in to count together.
pub const SPRAY_WINDOW_HOURS: i64 = 24;
/// A wrong password followed this soon by the same account getting in from the same place is
/// a typo retried, not a guess.
pub const TYPO_RETRY_HOURS: i64 = 1;
/// Staff for whom a place is routine (successes on [`HABIT_DAYS`] days) that make it a shared
/// egress (office, school, corporate VPN) rather than attacker infrastructure.
pub const SHARED_EGRESS_MIN_USERS: usize = 3;
/// Distinct sprayed accounts an address needs on hosting, VPN or Tor networks.
pub const SPRAY_MIN_USERS_PER_IP: usize = 3;
/// ... on networks the lookup does not know.
pub const SPRAY_MIN_USERS_UNKNOWN_NETWORK: usize = 4;
/// ... on residential, business and mobile ISPs (and other networks attackers rarely rent).
pub const SPRAY_MIN_USERS_ON_ISP: usize = 5;
/// Distinct sprayed accounts one anonymising network (ASN) needs across its addresses.
pub const SPRAY_MIN_USERS_PER_ASN: usize = 5;

/// Spraying addresses (any network) and anonymising networks, each with when it sprayed.
pub fn spray_sources(sign_ins: &[SignInEvent]) -> SpraySources {
    let mut by_ip: BTreeMap<IpAddr, Vec<&SignInEvent>> = BTreeMap::new();
    let mut by_asn: BTreeMap<u32, Vec<&SignInEvent>> = BTreeMap::new();
    for s in sign_ins {
        if let Some(ip) = s.ip {
            by_ip.entry(ip).or_default().push(s);
        }
        if let (Some(asn), true) = (s.network.asn, s.network.class().is_anonymising()) {
            by_asn.entry(asn).or_default().push(s);
        }
    }
    SpraySources {
        ips: by_ip
            .into_iter()
            .filter_map(|(ip, events)| {
                let class = events
                    .first()
                    .map_or(NetClass::Unknown, |s| s.network.class());
                spray_period(&events, min_accounts(class)).map(|p| (ip, p))
            })
            .collect(),
        asns: by_asn
            .into_iter()
            .filter_map(|(asn, events)| {
                spray_period(&events, SPRAY_MIN_USERS_PER_ASN).map(|p| (asn, p))
            })
            .collect(),
    }
}

/// Attacker infrastructure needs less to be believed; a home or business line more.
pub fn min_accounts(class: NetClass) -> usize {
    match class {
        NetClass::Hosting | NetClass::Vpn | NetClass::Tor => SPRAY_MIN_USERS_PER_IP,
        NetClass::Unknown => SPRAY_MIN_USERS_UNKNOWN_NETWORK,
        NetClass::Residential
        | NetClass::Mobile
        | NetClass::Business
        | NetClass::Isp
        | NetClass::Microsoft
        | NetClass::MailGateway => SPRAY_MIN_USERS_ON_ISP,
    }
}

fn is_guess(s: &SignInEvent) -> bool {
    matches!(
        s.outcome,
        SignInOutcome::PasswordWrong | SignInOutcome::Locked
    )
}

/// The password was accepted (even if MFA or a policy then stopped the sign-in).
fn got_in(s: &SignInEvent) -> bool {
    matches!(
        s.outcome,
        SignInOutcome::Success | SignInOutcome::PasswordValid
    )
}

/// One place's history: who got in from it and when.
struct Place<'a> {
    /// Per user, the times of successful sign-ins (sorted).
    successes: BTreeMap<&'a str, Vec<DateTime<Utc>>>,
    /// Per user, the times the password was accepted (sorted): a typo's retry.
    accepted: BTreeMap<&'a str, Vec<DateTime<Utc>>>,
    /// Every success, in time order.
    success_log: Vec<(DateTime<Utc>, &'a str)>,
    /// When each user's use of the place became routine, sorted.
    routine_since: Vec<DateTime<Utc>>,
}

impl<'a> Place<'a> {
    fn new(events: &[&'a SignInEvent]) -> Self {
        let mut successes: BTreeMap<&str, Vec<DateTime<Utc>>> = BTreeMap::new();
        let mut accepted: BTreeMap<&str, Vec<DateTime<Utc>>> = BTreeMap::new();
        let mut success_log = Vec::new();
        let mut days: BTreeMap<&str, Vec<chrono::NaiveDate>> = BTreeMap::new();
        let mut routine_since = Vec::new();
        for s in events {
            if got_in(s) {
                accepted.entry(&s.user_id).or_default().push(s.time);
            }
            if !s.succeeded() {
                continue;
            }
            successes.entry(&s.user_id).or_default().push(s.time);
            success_log.push((s.time, s.user_id.as_str()));
            let seen = days.entry(&s.user_id).or_default();
            let day = s.time.date_naive();
            if !seen.contains(&day) {
                seen.push(day);
                if seen.len() == HABIT_DAYS {
                    routine_since.push(s.time);
                }
            }
        }
        Place {
            successes,
            accepted,
            success_log,
            routine_since,
        }
    }

    /// The user had signed in from here before `at`.
    fn known_to(&self, user: &str, at: DateTime<Utc>) -> bool {
        self.successes
            .get(user)
            .and_then(|t| t.first())
            .is_some_and(|first| *first < at)
    }

    /// The user got in from here soon after a wrong password at `at`.
    fn retried(&self, user: &str, at: DateTime<Utc>) -> bool {
        self.accepted.get(user).is_some_and(|times| {
            let i = times.partition_point(|t| *t <= at);
            times
                .get(i)
                .is_some_and(|t| *t - at <= Duration::hours(TYPO_RETRY_HOURS))
        })
    }

    /// Users for whom the place was routine before `at`.
    fn routine_users_before(&self, at: DateTime<Utc>) -> usize {
        self.routine_since.partition_point(|t| *t < at)
    }

    /// Distinct users who signed in successfully between `from` and `to`.
    fn users_in(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> usize {
        let start = self.success_log.partition_point(|(t, _)| *t < from);
        let mut users: Vec<&str> = self.success_log[start..]
            .iter()
            .take_while(|(t, _)| *t <= to)
            .map(|(_, u)| *u)
            .collect();
        users.sort_unstable();
        users.dedup();
        users.len()
    }
}

/// When the place sprayed, if it did: the first and last failure of every window that reached
/// `min_accounts` sprayed accounts.
fn spray_period(events: &[&SignInEvent], min_accounts: usize) -> Option<SprayPeriod> {
    let mut failing: Vec<&str> = events
        .iter()
        .filter(|s| is_guess(s))
        .map(|s| s.user_id.as_str())
        .collect();
    failing.sort_unstable();
    failing.dedup();
    if failing.len() < min_accounts {
        return None;
    }
    let place = Place::new(events);
    // Wrong passwords against accounts that were never here and did not retry: guesses.
    let guesses: Vec<(DateTime<Utc>, &str)> = events
        .iter()
        .filter(|s| is_guess(s))
        .filter(|s| !place.known_to(&s.user_id, s.time) && !place.retried(&s.user_id, s.time))
        .map(|s| (s.time, s.user_id.as_str()))
        .collect();
    let window = Duration::hours(SPRAY_WINDOW_HOURS);
    let mut in_window: BTreeMap<&str, usize> = BTreeMap::new();
    let mut left = 0;
    let mut period: Option<SprayPeriod> = None;
    for &(time, user) in &guesses {
        *in_window.entry(user).or_default() += 1;
        while time - guesses[left].0 > window {
            let gone = guesses[left].1;
            if let Some(n) = in_window.get_mut(gone) {
                *n -= 1;
                if *n == 0 {
                    in_window.remove(gone);
                }
            }
            left += 1;
        }
        let accounts = in_window.len();
        if accounts < min_accounts {
            continue;
        }
        let start = guesses[left].0;
        // Staff who work from here, or as many people getting in as being guessed at: a
        // shared place having a bad morning, not a spray.
        if place.routine_users_before(start) >= SHARED_EGRESS_MIN_USERS
            || place.users_in(start, time) * 2 >= accounts
        {
            continue;
        }
        let p = period.get_or_insert(SprayPeriod {
            first: start,
            last: time,
            accounts,
        });
        p.first = p.first.min(start);
        p.last = p.last.max(time);
        p.accounts = p.accounts.max(accounts);
    }
    period
}
