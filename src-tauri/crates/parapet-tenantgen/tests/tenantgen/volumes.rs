use parapet_snapshot::Snapshot;
use parapet_tenantgen::TenantSpec;

use crate::support::{end, generate};

fn background_rate(snapshot: &Snapshot, users: usize, days: u32) -> f64 {
    snapshot.sign_ins.len() as f64 / (users as f64 * f64::from(days) / 7.0)
}

#[test]
fn sign_in_volume_follows_the_spec() {
    for rate in [1.5, 12.0] {
        let mut spec = TenantSpec::new(5, "Volume", "volume.com", 60, 120, end());
        spec.sign_ins_per_user_week = rate;
        let generated = generate(&spec);
        let observed = background_rate(&generated.snapshot, 60, 120);
        assert!(
            (observed - rate).abs() < rate * 0.15,
            "asked {rate} per user-week, got {observed:.2}"
        );
        let non_interactive = generated
            .snapshot
            .sign_ins
            .iter()
            .filter(|s| s.is_interactive == Some(false))
            .count();
        assert!(
            non_interactive * 10 > generated.snapshot.sign_ins.len() * 6,
            "most sign-ins are token refreshes"
        );
    }
}

#[test]
fn company_shape_is_realistic() {
    let generated = generate(&TenantSpec::new(9, "Shape", "shape.com", 80, 90, end()));
    let snapshot = &generated.snapshot;
    // Staff plus two shared, one room mailbox and the MSP admin.
    assert_eq!(snapshot.users.len(), 84);
    let kinds: Vec<&str> = snapshot
        .mailboxes
        .iter()
        .filter_map(|m| m.recipient_type_details.as_deref())
        .collect();
    assert_eq!(kinds.iter().filter(|k| **k == "SharedMailbox").count(), 2);
    assert_eq!(kinds.iter().filter(|k| **k == "RoomMailbox").count(), 1);
    // Every assigned licence is a subscribed SKU.
    let skus: Vec<&str> = snapshot
        .subscribed_skus
        .iter()
        .map(|s| s.sku_id.as_str())
        .collect();
    for user in &snapshot.users {
        for licence in user.assigned_licenses.iter().flatten() {
            assert!(
                skus.contains(&licence.sku_id.as_deref().unwrap_or("")),
                "{} has an unknown SKU",
                user.user_principal_name
            );
        }
    }
    assert!(snapshot
        .subscribed_skus
        .iter()
        .any(|s| s.sku_part_number.as_deref() == Some("FLOW_FREE")));
    // Sign-ins happen mostly in local working hours (Boston, UTC-5): 13:00-22:30 UTC.
    let working = snapshot
        .sign_ins
        .iter()
        .filter(|s| {
            use chrono::Timelike;
            (13..23).contains(&s.created_date_time.hour())
        })
        .count();
    assert!(
        working * 10 > snapshot.sign_ins.len() * 7,
        "{working} of {} in working hours",
        snapshot.sign_ins.len()
    );
    assert!(snapshot.messages.len() > 60 && snapshot.devices.len() >= 160);
    assert!(snapshot
        .service_principals
        .iter()
        .any(|sp| sp.display_name.as_deref() == Some("OfficeHome")));
    assert!(snapshot
        .audit_records
        .iter()
        .any(|r| r.operation == "MailItemsAccessed"));
    assert!(snapshot
        .audit_records
        .iter()
        .any(|r| r.operation == "UserLoggedIn"));
    assert!(snapshot
        .audit_records
        .iter()
        .any(|r| r.operation == "FileAccessed"));
}

#[test]
fn new_hires_are_onboarded_and_active_only_after_joining() {
    let generated = generate(&TenantSpec::new(12, "Hires", "hires.com", 200, 180, end()));
    let snapshot = &generated.snapshot;
    let start = end() - chrono::Duration::days(180);
    let hires: Vec<_> = snapshot
        .users
        .iter()
        .filter(|u| u.created_date_time.is_some_and(|c| c > start))
        .collect();
    assert!(
        !hires.is_empty(),
        "200 staff over 180 days should include new hires"
    );
    for hire in &hires {
        let created = hire.created_date_time.unwrap();
        let onboarded = snapshot.directory_audits.iter().any(|d| {
            d.activity_display_name.as_deref() == Some("Add user")
                && d.target_resources
                    .iter()
                    .flatten()
                    .any(|t| t.id.as_deref() == Some(hire.id.as_str()))
        });
        assert!(
            onboarded,
            "{} has no Add user audit",
            hire.user_principal_name
        );
        let early = snapshot
            .sign_ins
            .iter()
            .filter(|s| s.user_id == hire.id && s.created_date_time < created)
            .count();
        assert_eq!(
            early, 0,
            "{} signs in before joining",
            hire.user_principal_name
        );
    }
    // Shared mailboxes are delegated to staff.
    assert!(snapshot
        .mailbox_permissions
        .iter()
        .any(|p| p.user != "NT AUTHORITY\\SELF"));
    assert!(snapshot
        .recipient_permissions
        .iter()
        .all(|p| p.access_rights.as_deref() == Some(&["SendAs".to_owned()][..])));
}
