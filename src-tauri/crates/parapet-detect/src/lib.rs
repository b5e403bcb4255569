//! Parapet's detection engine: from a tenant's six months of evidence it finds active attackers,
//! past compromises, leftover persistence and frequently targeted users, and explains every
//! finding with the ids of the records a technician can check.
//!
//! Detection families (`rules/`):
//! - sign-ins (`signin`): new anonymising infrastructure, AiTM kits (OfficeHome or the
//!   Authentication Broker driven by scripted clients), token replay (one session from several
//!   networks), device-code phishing, legacy protocols, spray/brute-force and MFA-fatigue
//!   successes, each judged against the user's own history (`baseline`);
//! - password spray and failed attacks per user (`spray`, the Failed Attacks view); a spray
//!   source is judged by its shape (`spray_source`): wrong passwords within a day against
//!   accounts that were never there and did not retry, few successes beside them, not a place
//!   where staff routinely get in (the office NAT), with less needed on hosting/VPN networks and
//!   more on home and business lines;
//! - inbox rules that hide, delete or forward mail (`inbox_rules`), mailbox forwarding to outside
//!   domains (`forwarding`);
//! - illicit consent to rogue or mail-reading apps, and those apps' use of the grant (`consent`):
//!   their sign-ins, or without Entra ID P1 the mail they read (`MailItemsAccessed` with their
//!   app id); use up to the snapshot keeps the compromise active;
//! - MFA methods and devices registered from the attacker's network (`registration`); a phone
//!   method (no creation time in Graph) is tied to the registration by the number the "Update
//!   user" record shows being added, so the user's own older phones are never blamed;
//! - inbound connectors, transport rules, mailbox permissions, audit-log tampering (`mailflow`);
//! - internal phishing bursts and outbound mass mail (`mail_volume`);
//! - mailbox access, deletions and file downloads from the attacker's network (`data_access`).
//!
//! Baselines (what is normal, learned only from history before the event judged):
//! - per user (`baseline`), from the user's benign successful sign-ins: networks (ASNs),
//!   countries, devices, protocols, scripted clients, whether they usually carry a device id and
//!   complete MFA, and their working hours (UTC hour of day, counted only after
//!   [`HOURS_MIN_SUCCESSES`] successes over [`HOURS_MIN_DAYS`] days). A sign-in far outside those
//!   hours adds at most 1 point, and only to a sign-in that already scores 2 from other factors:
//!   an odd hour alone, or with one weak anomaly, never makes a sign-in the attacker's;
//! - per tenant (`tenant_baseline`): the ASNs and countries that at least
//!   [`TENANT_COMMON_USERS`] other users signed in from routinely (with a device id, on
//!   [`TENANT_ROUTINE_DAYS`] days) before the day judged: the office, the company VPN, the MSP.
//!   It only ever lowers suspicion (no "new network" or "new country" point; never for Tor).
//!
//! `correlate` chains a user's signals into one incident (`active_compromise`,
//! `past_compromise`, `leftover_persistence`) only when they corroborate each other: a lone
//! unusual sign-in never becomes an incident.
//!
//! Invariants:
//! - **Pure.** No I/O, no async, no clock (`now` is a parameter), no randomness. The same
//!   evidence gives the same report, byte for byte: every collection is ordered.
//! - Network knowledge comes only through [`NetworkLookup`], so tests can supply their own table.
//! - "New" means new for this user: baselines learn only from history before the event judged,
//!   and never from sign-ins judged to be the attacker's.
//! - Attacker-controlled strings (rule names, subjects, user agents) are data, never markup.

mod baseline;
mod correlate;
mod error;
pub mod evidence;
mod knowledge;
mod network;
mod reasons;
mod report;
pub mod rules;
mod scan;
mod tenant_baseline;

pub use baseline::{UserBaseline, HOURS_MIN_DAYS, HOURS_MIN_SUCCESSES, WARMUP_DAYS};
pub use correlate::incident_id;
pub use error::DetectError;
pub use evidence::{evidence_from_snapshot, Evidence, RawSnapshot};
pub use network::{NetClass, Network, NetworkLookup, StaticLookup};
pub use report::{
    format_table, Confidence, Coverage, Incident, IncidentKind, PersistenceOut, ScanReport,
    Severity, SignalOut, TargetedUser, TenantSummary,
};
pub use scan::{detect, scan, scan_raw};
pub use tenant_baseline::{TenantBaseline, TENANT_COMMON_USERS, TENANT_ROUTINE_DAYS};
