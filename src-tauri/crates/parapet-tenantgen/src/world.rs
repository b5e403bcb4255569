//! The tenant being generated: its people, networks and every collection under construction.
//! Builders append JSON records in Microsoft's shapes; [`World::finish`] types, sorts (logs
//! newest first) and validates them into a `Snapshot`.

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, Utc};
use serde_json::Value;

use crate::catalog::networks::{Block, Metro, Network, Place};
use crate::rng::Gen;
use crate::spec::TenantSpec;

/// Where a sign-in or audited action came from.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Spot {
    pub ip: String,
    pub asn: u32,
    pub place: Place,
}

impl Spot {
    pub(crate) fn draw(gen: &mut Gen, network: &Network, place: Place) -> Spot {
        let block: Block = *gen.pick(network.blocks);
        let c = gen.range(i64::from(block.c_low), i64::from(block.c_high));
        let d = gen.range(1, 254);
        Spot {
            ip: format!("{}.{}.{c}.{d}", block.a, block.b),
            asn: network.asn,
            place,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PersonKind {
    Staff,
    /// A shared mailbox (disabled user object, no licence).
    Shared,
    /// A room mailbox.
    Room,
    /// The MSP's admin account on the tenant's onmicrosoft.com domain.
    MspAdmin,
}

/// A registered Windows or Mac computer.
#[derive(Debug, Clone)]
pub(crate) struct Desktop {
    pub object_id: String,
    pub device_id: String,
    pub name: String,
    pub os: &'static str,
    pub browser_ua: &'static str,
    pub browser: &'static str,
    pub windows: bool,
    pub registered: DateTime<Utc>,
}

/// A phone with Outlook and the Authenticator app.
#[derive(Debug, Clone)]
pub(crate) struct Phone {
    pub object_id: String,
    pub device_id: String,
    pub model: &'static str,
    pub os: &'static str,
    pub os_version: &'static str,
    pub outlook_ua: &'static str,
    pub browser: &'static str,
    pub authenticator_id: String,
    pub registered: DateTime<Utc>,
}

#[derive(Debug, Clone)]
pub(crate) struct Person {
    pub id: String,
    pub given: String,
    pub surname: String,
    pub display: String,
    pub upn: String,
    /// Exchange alias (`identity` in mailboxes.json).
    pub alias: String,
    pub kind: PersonKind,
    pub department: &'static str,
    pub job: &'static str,
    pub created: DateTime<Utc>,
    pub home: Spot,
    /// Index into `MOBILE_CARRIERS`: phones get a fresh carrier address per sign-in.
    pub carrier: usize,
    pub desktop: Desktop,
    pub phone: Phone,
    /// Share of working days spent at the office.
    pub office_days: f64,
    /// Has the Authenticator registered (MFA).
    pub mfa: bool,
    pub puid: String,
    pub sid: String,
    pub mailbox_guid: String,
    pub synced: bool,
    pub sku: Option<&'static crate::catalog::apps::Sku>,
    pub manager: Option<usize>,
    /// When the person left the company (account disabled): no activity after it.
    pub left: Option<DateTime<Utc>>,
    /// A replacement phone and when it took over (the new-phone look-alike).
    pub new_phone: Option<(DateTime<Utc>, Phone)>,
}

impl Person {
    /// The phone in use at `time`.
    pub(crate) fn phone_at(&self, time: DateTime<Utc>) -> &Phone {
        match &self.new_phone {
            Some((from, phone)) if time >= *from => phone,
            _ => &self.phone,
        }
    }

    pub(crate) fn is_staff(&self) -> bool {
        self.kind == PersonKind::Staff
    }
}

/// A log record waiting to be sorted by time.
pub(crate) type Timed = (DateTime<Utc>, Value);

pub(crate) struct World {
    pub spec: TenantSpec,
    pub tenant_id: String,
    pub onmicrosoft: String,
    pub metro: Metro,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    pub people: Vec<Person>,
    pub office: Spot,
    pub msp_office: Spot,
    /// Draws for ids and record details that are not per-person activity.
    pub ids: Gen,
    pub sign_ins: Vec<Timed>,
    pub audit_records: Vec<Timed>,
    pub directory_audits: Vec<Timed>,
    pub messages: BTreeMap<String, Vec<Timed>>,
    pub message_rules: BTreeMap<String, Vec<Value>>,
    pub auth_methods: BTreeMap<String, Vec<Value>>,
    pub users: Vec<Value>,
    pub skus: Vec<Value>,
    pub mailboxes: Vec<Value>,
    pub devices: Vec<Value>,
    pub service_principals: Vec<Value>,
    pub applications: Vec<Value>,
    pub grants: Vec<Value>,
    pub app_role_assignments: Vec<Value>,
    pub mailbox_permissions: Vec<Value>,
    pub recipient_permissions: Vec<Value>,
    pub inbound_connectors: Vec<Value>,
    pub transport_rules: Vec<Value>,
    pub ca_policies: Vec<Value>,
    /// Object ids of first-party service principals by app id.
    pub sp_ids: BTreeMap<&'static str, String>,
    /// People already given an attack or look-alike role.
    pub cast: Vec<usize>,
}

impl World {
    pub(crate) fn new(spec: &TenantSpec, metro: Metro) -> World {
        let mut ids = Gen::new(spec.seed, "ids");
        let tenant_id = ids.guid();
        let label: String = spec
            .domain
            .split('.')
            .next()
            .unwrap_or("tenant")
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .collect();
        let office_place = metro.places[0];
        let office = Spot::draw(&mut ids, &metro.office_isp, office_place);
        let msp_office = Spot::draw(&mut ids, &metro.office_isp, office_place);
        World {
            spec: spec.clone(),
            tenant_id,
            onmicrosoft: format!("{label}.onmicrosoft.com"),
            metro,
            start: spec.end - Duration::days(i64::from(spec.days)),
            end: spec.end,
            people: Vec::new(),
            office,
            msp_office,
            ids,
            sign_ins: Vec::new(),
            audit_records: Vec::new(),
            directory_audits: Vec::new(),
            messages: BTreeMap::new(),
            message_rules: BTreeMap::new(),
            auth_methods: BTreeMap::new(),
            users: Vec::new(),
            skus: Vec::new(),
            mailboxes: Vec::new(),
            devices: Vec::new(),
            service_principals: Vec::new(),
            applications: Vec::new(),
            grants: Vec::new(),
            app_role_assignments: Vec::new(),
            mailbox_permissions: Vec::new(),
            recipient_permissions: Vec::new(),
            inbound_connectors: Vec::new(),
            transport_rules: Vec::new(),
            ca_policies: Vec::new(),
            sp_ids: BTreeMap::new(),
            cast: Vec::new(),
        }
    }

    pub(crate) fn local_offset(&self) -> Duration {
        Duration::hours(self.metro.utc_offset_hours)
    }

    /// A UTC time on local calendar day `day` (days since the window start) at local `hour`
    /// plus a random minute and second.
    pub(crate) fn local_time(&self, gen: &mut Gen, day: i64, hour: f64) -> DateTime<Utc> {
        let local_midnight = (self.start + self.local_offset())
            .date_naive()
            .and_hms_opt(0, 0, 0)
            .map(|naive| naive.and_utc())
            .unwrap_or(self.start);
        let seconds = (hour * 3600.0) as i64 + gen.range(0, 59);
        local_midnight + Duration::days(day) + Duration::seconds(seconds) - self.local_offset()
            + gen.ticks()
    }

    /// Whether local day `day` is a Saturday or Sunday.
    pub(crate) fn is_weekend(&self, day: i64) -> bool {
        use chrono::Datelike;
        let date = (self.start + self.local_offset() + Duration::days(day)).date_naive();
        matches!(date.weekday(), chrono::Weekday::Sat | chrono::Weekday::Sun)
    }

    pub(crate) fn push_message(&mut self, user_id: &str, time: DateTime<Utc>, message: Value) {
        self.messages
            .entry(user_id.to_owned())
            .or_default()
            .push((time, message));
    }

    /// Days available in the window, at least one.
    pub(crate) fn days(&self) -> i64 {
        i64::from(self.spec.days).max(1)
    }

    /// A random time between `low` and `high` days before the end (clamped to the window).
    pub(crate) fn days_before_end(&self, gen: &mut Gen, low: i64, high: i64) -> DateTime<Utc> {
        let days = self.days();
        let high = high.min(days - 1).max(0);
        let low = low.min(high);
        let back = gen.range(low, high);
        let day = days - 1 - back;
        let hour = 9.0 + gen.unit() * 7.0;
        self.local_time(gen, day, hour)
            .min(self.end - Duration::minutes(90))
    }
}
