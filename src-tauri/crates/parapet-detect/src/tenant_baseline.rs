//! What is normal for the tenant as a whole: the networks (ASNs) and countries that several of
//! its users sign in from routinely, such as the office line, the company VPN or the MSP. A
//! network common in the tenant is not "new infrastructure" for a user who just started using
//! it. This only ever lowers suspicion, and it learns only from before the event judged.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, NaiveDate, Utc};

use crate::evidence::{SignInEvent, SignInOutcome};
use crate::knowledge::scripted_agent;

/// Other users who must use a network routinely before it is the tenant's.
pub const TENANT_COMMON_USERS: usize = 3;
/// Distinct days a user must have used a network (with a device id, from an ordinary client) to
/// count as using it routinely: an attacker's one-off sign-ins never make a network common.
pub const TENANT_ROUTINE_DAYS: usize = 3;

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum NetKey {
    Asn(u32),
    Country(String),
}

#[derive(Debug, Clone, Default)]
pub struct TenantBaseline {
    /// Per network, the day each routine user first had [`TENANT_ROUTINE_DAYS`] days on it,
    /// in (day, user) order.
    routine: BTreeMap<NetKey, Vec<(NaiveDate, String)>>,
}

impl TenantBaseline {
    /// Learns from successful sign-ins that carry a device id and an ordinary client.
    pub fn from_sign_ins(sign_ins: &[SignInEvent]) -> TenantBaseline {
        let mut days: BTreeMap<NetKey, BTreeMap<&str, BTreeSet<NaiveDate>>> = BTreeMap::new();
        for s in sign_ins {
            if s.outcome != SignInOutcome::Success
                || s.device_id.is_none()
                || scripted_agent(&s.user_agent).is_some()
            {
                continue;
            }
            let keys = s
                .network
                .asn
                .map(NetKey::Asn)
                .into_iter()
                .chain(s.network.country.clone().map(NetKey::Country));
            for key in keys {
                days.entry(key)
                    .or_default()
                    .entry(s.user_id.as_str())
                    .or_default()
                    .insert(s.time.date_naive());
            }
        }
        let mut routine: BTreeMap<NetKey, Vec<(NaiveDate, String)>> = BTreeMap::new();
        for (key, users) in days {
            let mut since: Vec<(NaiveDate, String)> = users
                .into_iter()
                .filter_map(|(user, dates)| {
                    dates
                        .into_iter()
                        .nth(TENANT_ROUTINE_DAYS - 1)
                        .map(|d| (d, user.to_string()))
                })
                .collect();
            if since.len() >= TENANT_COMMON_USERS {
                since.sort();
                routine.insert(key, since);
            }
        }
        TenantBaseline { routine }
    }

    /// At least [`TENANT_COMMON_USERS`] users other than `user` used `asn` routinely before the
    /// day of `at`.
    pub fn common_asn(&self, asn: Option<u32>, user: &str, at: DateTime<Utc>) -> bool {
        asn.is_some_and(|a| self.common(&NetKey::Asn(a), user, at))
    }

    /// As [`TenantBaseline::common_asn`], for a country.
    pub fn common_country(&self, country: Option<&str>, user: &str, at: DateTime<Utc>) -> bool {
        country.is_some_and(|c| self.common(&NetKey::Country(c.to_string()), user, at))
    }

    fn common(&self, key: &NetKey, user: &str, at: DateTime<Utc>) -> bool {
        let day = at.date_naive();
        self.routine.get(key).is_some_and(|since| {
            since
                .iter()
                .take_while(|(d, _)| *d < day)
                .filter(|(_, u)| u != user)
                .take(TENANT_COMMON_USERS)
                .count()
                >= TENANT_COMMON_USERS
        })
    }
}
