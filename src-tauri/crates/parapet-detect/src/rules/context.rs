//! What the follow-on rules ask about an activity: was it done from the attacker's footprint
//! (address, network, session window), or from somewhere unfamiliar to the user?

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, Utc};

use super::signin::AccessFindings;
use crate::evidence::{Activity, Evidence, SignInEvent};

/// How long after the attacker's last sign-in an action is still read as theirs when it comes
/// from an unfamiliar network.
pub const FOLLOW_ON_HOURS: i64 = 24;

pub struct Context<'a> {
    pub evidence: &'a Evidence,
    pub access: &'a AccessFindings,
    id_by_upn: BTreeMap<&'a str, &'a str>,
    upn_by_id: BTreeMap<&'a str, &'a str>,
}

impl<'a> Context<'a> {
    pub fn new(evidence: &'a Evidence, access: &'a AccessFindings) -> Self {
        let mut id_by_upn = BTreeMap::new();
        let mut upn_by_id = BTreeMap::new();
        for u in &evidence.users {
            id_by_upn.insert(u.upn.as_str(), u.id.as_str());
            if let Some(mail) = &u.mail {
                id_by_upn.entry(mail.as_str()).or_insert(u.id.as_str());
            }
            upn_by_id.insert(u.id.as_str(), u.upn.as_str());
        }
        Context {
            evidence,
            access,
            id_by_upn,
            upn_by_id,
        }
    }

    /// The object id of the user with this (lower-case) UPN or primary address.
    pub fn user_id_of(&self, upn: &str) -> Option<String> {
        self.id_by_upn.get(upn).map(|s| s.to_string())
    }

    pub fn attacker_sign_ins(&self, user_id: &str) -> impl Iterator<Item = &'a SignInEvent> + '_ {
        self.access
            .footprints
            .get(user_id)
            .into_iter()
            .flat_map(|f| f.sign_ins.iter())
            .map(|&i| &self.evidence.sign_ins[i])
    }

    /// The activity came from an address or anonymising network the attacker used for this user.
    pub fn from_attacker_network(&self, user_id: &str, activity: &Activity) -> bool {
        let Some(footprint) = self.access.footprints.get(user_id) else {
            return false;
        };
        if activity.ip.is_some_and(|ip| footprint.ips.contains(&ip)) {
            return true;
        }
        activity.network.class().is_anonymising()
            && activity
                .network
                .asn
                .is_some_and(|a| footprint.asns.contains(&a))
    }

    /// The activity came from anonymising infrastructure this user never used legitimately.
    pub fn from_unfamiliar_anonymiser(&self, user_id: &str, activity: &Activity) -> bool {
        let known = self
            .access
            .baselines
            .get(user_id)
            .is_some_and(|b| b.knows_asn(activity.network.asn));
        activity.network.class().is_anonymising() && !known
    }

    /// Within the attacker's active period for this user (first attacker sign-in to a day after
    /// the last one).
    pub fn in_attack_window(&self, user_id: &str, time: DateTime<Utc>) -> bool {
        let mut times = self.attacker_sign_ins(user_id).map(|s| s.time);
        let Some(first) = times.next() else {
            return false;
        };
        let last = times.last().unwrap_or(first);
        time >= first - Duration::minutes(5) && time <= last + Duration::hours(FOLLOW_ON_HOURS)
    }

    /// The attacker-context test every follow-on rule uses: the attacker's own network, or an
    /// unfamiliar anonymiser while the attacker was active.
    pub fn is_attacker_activity(&self, user_id: &str, activity: &Activity) -> bool {
        self.from_attacker_network(user_id, activity)
            || (self.from_unfamiliar_anonymiser(user_id, activity)
                && self.in_attack_window(user_id, activity.time))
    }

    pub fn upn(&self, user_id: &str) -> String {
        self.upn_by_id
            .get(user_id)
            .map(|s| s.to_string())
            .unwrap_or_else(|| user_id.to_string())
    }

    pub fn where_(&self, activity: &Activity) -> String {
        match activity.ip {
            Some(ip) => format!("{ip} {}", activity.network.describe()),
            None => "an unknown address".to_string(),
        }
    }
}
