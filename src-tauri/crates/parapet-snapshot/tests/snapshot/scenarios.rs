//! The example scenarios read cleanly, completely and faithfully.

use parapet_snapshot::{read, Snapshot, PER_USER_FILES, SNAPSHOT_FILES, TENANT_FILE};
use serde_json::Value;

use crate::support::{json_difference, raw_records, read_json, scenario_dirs, shared_dir};

#[test]
fn every_scenario_reads_with_the_record_counts_of_its_files() {
    let Some(shared) = shared_dir() else { return };
    for dir in scenario_dirs(&shared) {
        let snapshot = read(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
        let counts = snapshot.record_count();
        for file in SNAPSHOT_FILES.iter().filter(|f| **f != TENANT_FILE) {
            let path = dir.join(file);
            let expected = if path.exists() {
                raw_records(&read_json(&path)).len()
            } else {
                0
            };
            assert_eq!(
                counts.get(file),
                Some(expected),
                "{}: {file}",
                dir.display()
            );
        }
        assert!(counts.total() > 0, "{}: empty snapshot", dir.display());
    }
}

#[test]
fn every_record_re_emits_all_its_original_fields() {
    let Some(shared) = shared_dir() else { return };
    for dir in scenario_dirs(&shared) {
        let snapshot = read(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
        let tenant = serde_json::to_value(&snapshot.tenant).expect("serialize tenant");
        if let Some(difference) = json_difference(&read_json(&dir.join(TENANT_FILE)), &tenant, "") {
            panic!("{}: tenant.json: {difference}", dir.display());
        }
        for file in SNAPSHOT_FILES.iter().filter(|f| **f != TENANT_FILE) {
            let path = dir.join(file);
            if !path.exists() {
                continue;
            }
            let original = read_json(&path);
            let emitted = emitted_file(&snapshot, file);
            if let Some(difference) = json_difference(&original, &emitted, "") {
                panic!("{}: {file}: {difference}", dir.display());
            }
        }
    }
}

/// One collection of `snapshot` serialized as its file would be.
fn emitted_file(snapshot: &Snapshot, file: &str) -> Value {
    let value = match file {
        "users.json" => serde_json::to_value(&snapshot.users),
        "subscribedSkus.json" => serde_json::to_value(&snapshot.subscribed_skus),
        "signIns.json" => serde_json::to_value(&snapshot.sign_ins),
        "directoryAudits.json" => serde_json::to_value(&snapshot.directory_audits),
        "auditRecords.json" => serde_json::to_value(&snapshot.audit_records),
        "mailboxes.json" => serde_json::to_value(&snapshot.mailboxes),
        "messageRules.json" => serde_json::to_value(&snapshot.message_rules),
        "messages.json" => serde_json::to_value(&snapshot.messages),
        "authenticationMethods.json" => serde_json::to_value(&snapshot.authentication_methods),
        "servicePrincipals.json" => serde_json::to_value(&snapshot.service_principals),
        "applications.json" => serde_json::to_value(&snapshot.applications),
        "oauth2PermissionGrants.json" => serde_json::to_value(&snapshot.oauth2_permission_grants),
        "appRoleAssignments.json" => serde_json::to_value(&snapshot.app_role_assignments),
        "devices.json" => serde_json::to_value(&snapshot.devices),
        "mailboxPermissions.json" => serde_json::to_value(&snapshot.mailbox_permissions),
        "recipientPermissions.json" => serde_json::to_value(&snapshot.recipient_permissions),
        "inboundConnectors.json" => serde_json::to_value(&snapshot.inbound_connectors),
        "transportRules.json" => serde_json::to_value(&snapshot.transport_rules),
        "conditionalAccessPolicies.json" => {
            serde_json::to_value(&snapshot.conditional_access_policies)
        }
        other => panic!("no collection for {other}"),
    };
    value.expect("serialize collection")
}

#[test]
fn typed_fields_hold_the_values_of_the_files() {
    let Some(shared) = shared_dir() else { return };
    for dir in scenario_dirs(&shared) {
        let snapshot = read(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
        let raw_tenant = read_json(&dir.join(TENANT_FILE));
        assert_eq!(
            snapshot.tenant.id,
            raw_tenant["id"].as_str().expect("tenant id")
        );

        let raw_sign_ins = read_json(&dir.join("signIns.json"));
        for (sign_in, raw) in snapshot.sign_ins.iter().zip(raw_records(&raw_sign_ins)) {
            assert_eq!(sign_in.id, raw["id"].as_str().expect("id"));
            assert_eq!(sign_in.user_id, raw["userId"].as_str().expect("userId"));
            assert_eq!(
                Some(sign_in.status.error_code),
                raw["status"]["errorCode"].as_i64()
            );
            assert_eq!(sign_in.user_agent.as_deref(), raw["userAgent"].as_str());
            assert_eq!(sign_in.ip_address.as_deref(), raw["ipAddress"].as_str());
            assert_eq!(
                sign_in.autonomous_system_number,
                raw["autonomousSystemNumber"].as_i64()
            );
            let country = sign_in
                .location
                .as_ref()
                .and_then(|l| l.country_or_region.as_deref());
            assert_eq!(country, raw["location"]["countryOrRegion"].as_str());
            let created =
                parapet_snapshot::time::parse(raw["createdDateTime"].as_str().expect("time"));
            assert_eq!(Some(sign_in.created_date_time), created);
        }

        let raw_audit = read_json(&dir.join("auditRecords.json"));
        for (record, raw) in snapshot.audit_records.iter().zip(raw_records(&raw_audit)) {
            assert_eq!(
                record.operation,
                raw["Operation"].as_str().expect("Operation")
            );
            assert_eq!(Some(record.record_type), raw["RecordType"].as_i64());
            let parameters = raw["Parameters"].as_array().map_or(0, Vec::len);
            assert_eq!(record.parameters.as_ref().map_or(0, Vec::len), parameters);
        }

        // Per-user keys and lookups agree with users.json.
        for file in PER_USER_FILES {
            let raw = read_json(&dir.join(file));
            for user_id in raw.as_object().expect("per-user object").keys() {
                assert!(snapshot.user(user_id).is_some(), "{file}: {user_id}");
            }
        }
        for user in &snapshot.users {
            let shouted = user.user_principal_name.to_uppercase();
            assert_eq!(
                snapshot.user_by_upn(&shouted).map(|u| &u.id),
                Some(&user.id)
            );
        }
    }
}

#[test]
fn expected_json_is_never_read() {
    let Some(shared) = shared_dir() else { return };
    let dir = &scenario_dirs(&shared)[0];
    let copy = crate::support::copy_snapshot(dir);
    std::fs::write(
        copy.path().join(parapet_snapshot::EXPECTED_FILE),
        b"{ this is not JSON",
    )
    .expect("write");
    std::fs::write(copy.path().join("notes.txt"), b"not a snapshot file").expect("write");
    let original = read(dir).expect("original reads");
    let with_junk = read(copy.path()).expect("snapshot with a broken expected.json still reads");
    assert_eq!(original, with_junk);
}
