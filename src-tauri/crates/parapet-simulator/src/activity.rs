//! Background sign-in activity generated as the sim clock is advanced (opt-in). Each user keeps
//! signing in at their snapshot rate, from the context of their latest interactive and
//! non-interactive sign-ins (same IP, app, device). Whoever held a session at snapshot time keeps
//! refreshing it, so an attacker's session stays visible until it is revoked; every generated
//! record passes through the containment rules of [`crate::events`].

use crate::clock::graph_time;
use crate::events::prepare_sign_in;
use crate::state::tenant::{str_field, time_field, Record, TenantData};
use chrono::{DateTime, Duration, Utc};
use rand::rngs::StdRng;
use rand::Rng;
use serde_json::{json, Value};
use std::collections::BTreeMap;

/// At most this many records per user and advance, so a jump of weeks stays cheap.
const MAX_PER_USER: usize = 200;

/// Sign-ins generated for `tenant` between `from` and `to`, newest first not required.
pub fn generate(
    d: &TenantData,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    rng: &mut StdRng,
    mut new_id: impl FnMut() -> String,
) -> Vec<Record> {
    if to <= from || d.sign_ins.is_empty() {
        return Vec::new();
    }
    let span_days = match (
        d.sign_ins
            .last()
            .and_then(|r| time_field(r, "createdDateTime")),
        d.sign_ins
            .first()
            .and_then(|r| time_field(r, "createdDateTime")),
    ) {
        (Some(oldest), Some(newest)) if newest > oldest => {
            (newest - oldest).num_seconds() as f64 / 86_400.0
        }
        _ => return Vec::new(),
    };
    // Per user and kind (interactive or not): the latest record and how many there were.
    let mut templates: BTreeMap<(String, bool), (Record, usize)> = BTreeMap::new();
    for r in &d.sign_ins {
        let Some(user) = str_field(r, "userId") else {
            continue;
        };
        let interactive = r
            .get("isInteractive")
            .and_then(Value::as_bool)
            .unwrap_or(true);
        let succeeded = r
            .get("status")
            .and_then(|s| s.get("errorCode"))
            .and_then(Value::as_i64)
            == Some(0);
        let entry = templates
            .entry((user.to_ascii_lowercase(), interactive))
            .or_insert_with(|| (Record::new(), 0));
        if entry.0.is_empty() && succeeded {
            entry.0 = r.clone();
        }
        entry.1 += 1;
    }
    let hours = (to - from).num_seconds() as f64 / 3600.0;
    let mut out = Vec::new();
    for ((_, _), (template, count)) in templates {
        if template.is_empty() {
            continue;
        }
        let expected = count as f64 / (span_days * 24.0) * hours;
        let mut n = expected.floor() as usize;
        if rng.gen::<f64>() < expected.fract() {
            n += 1;
        }
        for _ in 0..n.min(MAX_PER_USER) {
            let offset = rng.gen_range(0..=(to - from).num_milliseconds().max(0));
            let at = from + Duration::milliseconds(offset);
            let mut r = template.clone();
            r.insert("id".into(), json!(new_id()));
            r.insert("correlationId".into(), json!(new_id()));
            r.insert("createdDateTime".into(), json!(graph_time(at)));
            r.insert(
                "status".into(),
                json!({"errorCode": 0, "failureReason": null, "additionalDetails": null}),
            );
            r.remove("uniqueTokenIdentifier");
            let id = str_field(&r, "id").unwrap_or_default().to_string();
            out.push(prepare_sign_in(d, r, id, to));
        }
    }
    out
}
