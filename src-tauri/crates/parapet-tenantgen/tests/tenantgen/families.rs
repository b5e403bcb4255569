//! Every attack family and look-alike leaves the trail it should.

use parapet_snapshot::Snapshot;
use parapet_tenantgen::{AttackFamily, Generated, LookalikeFamily};

use crate::support::{generate, is_attacker_network, only, user_id, FREE, P1};

fn attack(family: AttackFamily) -> (Generated, String) {
    let generated = generate(&only(Some(family), None, P1));
    let upn = generated
        .truth
        .compromised
        .first()
        .map(|c| c.user_principal_name.clone())
        .or_else(|| generated.truth.targeted.first().cloned())
        .expect("a victim");
    (generated, upn)
}

fn audits<'a>(
    snapshot: &'a Snapshot,
    operation: &'a str,
    upn: &'a str,
) -> impl Iterator<Item = &'a parapet_snapshot::model::AuditRecord> + 'a {
    snapshot
        .audit_records
        .iter()
        .filter(move |r| r.operation == operation && r.user_id.eq_ignore_ascii_case(upn))
}

fn directory<'a>(
    snapshot: &'a Snapshot,
    activity: &'a str,
) -> impl Iterator<Item = &'a parapet_snapshot::model::DirectoryAudit> + 'a {
    snapshot
        .directory_audits
        .iter()
        .filter(move |d| d.activity_display_name.as_deref() == Some(activity))
}

#[test]
fn aitm_leaves_token_replay_and_a_hiding_rule() {
    let (generated, upn) = attack(AttackFamily::AitmInboxRulePhish);
    let snapshot = &generated.snapshot;
    let user = user_id(snapshot, &upn);
    let replay = snapshot
        .sign_ins
        .iter()
        .find(|s| s.user_id == user && s.user_agent.as_deref() == Some("axios/1.7.9"))
        .expect("an axios sign-in");
    assert_eq!(replay.app_display_name.as_deref(), Some("OfficeHome"));
    assert_eq!(
        replay
            .device_detail
            .as_ref()
            .and_then(|d| d.device_id.as_deref()),
        Some("")
    );
    assert!(replay
        .authentication_details
        .iter()
        .flatten()
        .any(|d| d.authentication_step_result_detail.as_deref()
            == Some("MFA requirement satisfied by claim in the token")));
    assert!(is_attacker_network(replay.ip_address.as_deref().unwrap()));
    let rule_audit = audits(snapshot, "New-InboxRule", &upn)
        .next()
        .expect("New-InboxRule");
    assert!(rule_audit.parameter("MoveToFolder").is_some());
    let name = rule_audit.parameter("Name").unwrap();
    assert!(snapshot
        .message_rules_of(&user)
        .iter()
        .any(|r| r.display_name.as_deref() == Some(name)));
    assert!(audits(snapshot, "Send", &upn)
        .any(|r| r.client_info_string.as_deref() == Some("Client=OWA;Action=ViaProxy")));
    // The attacker is still there at snapshot time.
    let last = snapshot
        .sign_ins
        .iter()
        .find(|s| s.user_id == user && s.ip_address == replay.ip_address)
        .unwrap();
    assert!(snapshot.tenant.snapshot_time - last.created_date_time < chrono::Duration::days(1));
}

#[test]
fn spray_fails_across_users_then_forwards_mail() {
    let (generated, upn) = attack(AttackFamily::PasswordSprayForwarding);
    let snapshot = &generated.snapshot;
    let user = user_id(snapshot, &upn);
    let success = snapshot
        .sign_ins
        .iter()
        .find(|s| {
            s.user_id == user
                && s.succeeded()
                && s.authentication_protocol.as_deref() == Some("ropc")
        })
        .expect("a ROPC success");
    let ip = success.ip_address.clone().unwrap();
    assert!(is_attacker_network(&ip));
    let sprayed: std::collections::BTreeSet<&str> = snapshot
        .sign_ins
        .iter()
        .filter(|s| {
            s.status.error_code == 50126
                && s.autonomous_system_number == success.autonomous_system_number
        })
        .map(|s| s.user_id.as_str())
        .collect();
    assert!(sprayed.len() >= 15, "spray hit {} users", sprayed.len());
    let set_mailbox = audits(snapshot, "Set-Mailbox", &upn)
        .next()
        .expect("Set-Mailbox");
    let forwarding = set_mailbox.parameter("ForwardingSmtpAddress").unwrap();
    assert_eq!(
        snapshot
            .mailbox(&user)
            .unwrap()
            .forwarding_smtp_address
            .as_deref(),
        Some(forwarding)
    );
}

#[test]
fn illicit_consent_grants_mail_scopes_to_a_rogue_app() {
    let (generated, upn) = attack(AttackFamily::IllicitConsent);
    let snapshot = &generated.snapshot;
    let user = user_id(snapshot, &upn);
    let grant = snapshot
        .oauth2_permission_grants
        .iter()
        .find(|g| g.principal_id.as_deref() == Some(user.as_str()))
        .unwrap();
    assert!(grant.scopes().any(|s| s == "Mail.Read"));
    let consent = directory(snapshot, "Consent to application")
        .next()
        .expect("consent audit");
    let target = consent.target_resources.as_ref().unwrap()[0]
        .id
        .clone()
        .unwrap();
    assert_eq!(target, grant.client_id);
    let sp = snapshot.service_principal(&grant.client_id).unwrap();
    assert!(audits(snapshot, "MailItemsAccessed", &upn)
        .any(|r| r.app_id.as_deref() == Some(sp.app_id.as_str())
            && is_attacker_network(r.client_ip.as_deref().unwrap())));
}

#[test]
fn remediation_leaves_the_rule_behind() {
    let (generated, upn) = attack(AttackFamily::RemediatedWithLeftoverRule);
    let snapshot = &generated.snapshot;
    let user = user_id(snapshot, &upn);
    let rule = audits(snapshot, "New-InboxRule", &upn)
        .next()
        .expect("New-InboxRule");
    let reset = directory(snapshot, "Reset user password")
        .find(|d| d.target_resources.as_ref().unwrap()[0].id.as_deref() == Some(user.as_str()))
        .expect("reset");
    let revoke = directory(snapshot, "Update StsRefreshTokenValidFrom Timestamp")
        .next()
        .expect("revoke");
    assert!(
        reset.activity_date_time > rule.creation_time
            && revoke.activity_date_time >= reset.activity_date_time
    );
    assert_eq!(generated.truth.leftover_persistence.len(), 1);
    assert!(snapshot
        .message_rules_of(&user)
        .iter()
        .any(|r| r.id == generated.truth.leftover_persistence[0].id));
    // No successful attacker sign-in after the revocation.
    let attacker_after = snapshot.sign_ins.iter().filter(|s| {
        s.user_id == user
            && s.created_date_time > revoke.activity_date_time
            && s.succeeded()
            && is_attacker_network(s.ip_address.as_deref().unwrap())
    });
    assert_eq!(attacker_after.count(), 0);
}

#[test]
fn targeted_executive_never_falls() {
    let (generated, upn) = attack(AttackFamily::TargetedFailedSignIns);
    let snapshot = &generated.snapshot;
    let user = user_id(snapshot, &upn);
    let hostile: Vec<_> = snapshot
        .sign_ins
        .iter()
        .filter(|s| s.user_id == user && is_attacker_network(s.ip_address.as_deref().unwrap()))
        .collect();
    assert!(hostile.len() >= 15, "{} attempts", hostile.len());
    assert!(hostile.iter().all(|s| !s.succeeded()));
    assert!(generated.truth.compromised.is_empty());
    assert_eq!(
        snapshot.user(&user).unwrap().department.as_deref(),
        Some("Executive")
    );
}

#[test]
fn device_code_phish_registers_a_device() {
    let (generated, upn) = attack(AttackFamily::DeviceCodePhish);
    let snapshot = &generated.snapshot;
    let user = user_id(snapshot, &upn);
    let code = snapshot
        .sign_ins
        .iter()
        .find(|s| s.user_id == user && s.authentication_protocol.as_deref() == Some("deviceCode"))
        .expect("deviceCode sign-in");
    assert_eq!(
        code.original_transfer_method.as_deref(),
        Some("deviceCodeFlow")
    );
    assert!(is_attacker_network(code.ip_address.as_deref().unwrap()));
    let device_id = &generated.truth.compromised[0].persistence[0].id;
    assert!(
        directory(snapshot, "Register device")
            .any(|d| d.target_resources.as_ref().unwrap()[0].id.as_deref()
                == Some(device_id.as_str()))
    );
    assert!(snapshot.devices_of(&user).any(|d| &d.id == device_id));
}

#[test]
fn attacker_registers_their_own_phone() {
    let (generated, upn) = attack(AttackFamily::MfaMethodRegistration);
    let snapshot = &generated.snapshot;
    let user = user_id(snapshot, &upn);
    let registered = directory(snapshot, "User registered security info")
        .find(|d| d.target_resources.as_ref().unwrap()[0].id.as_deref() == Some(user.as_str()))
        .expect("registration audit");
    let ip = registered
        .initiated_by
        .as_ref()
        .unwrap()
        .user
        .as_ref()
        .unwrap()
        .ip_address
        .clone()
        .unwrap();
    assert!(is_attacker_network(&ip));
    let method = &generated.truth.compromised[0].persistence[0].id;
    assert!(snapshot
        .authentication_methods_of(&user)
        .iter()
        .any(|m| &m.id == method));
}

#[test]
fn free_tenants_show_sign_ins_only_in_the_audit_log() {
    let generated = generate(&only(Some(AttackFamily::AitmInboxRulePhish), None, FREE));
    let snapshot = &generated.snapshot;
    assert!(snapshot.sign_ins.is_empty());
    let upn = &generated.truth.compromised[0].user_principal_name;
    assert!(audits(snapshot, "UserLoggedIn", upn).any(|r| r
        .extended_properties
        .iter()
        .flatten()
        .any(|p| p.value.as_deref() == Some("axios/1.7.9"))));
    assert!(snapshot.conditional_access_policies.is_empty());
}

#[test]
fn every_lookalike_is_listed_benign_with_its_trail() {
    for family in LookalikeFamily::ALL {
        let generated = generate(&only(None, Some(*family), P1));
        assert_eq!(generated.truth.benign.len(), 1, "{family:?}");
        assert!(generated.truth.compromised.is_empty());
        let upn = &generated.truth.benign[0];
        let snapshot = &generated.snapshot;
        let user = user_id(snapshot, upn);
        let trail = match family {
            LookalikeFamily::Traveller => snapshot.sign_ins.iter().any(|s| {
                s.user_id == user
                    && s.location
                        .as_ref()
                        .and_then(|l| l.country_or_region.as_deref())
                        != Some("US")
            }),
            LookalikeFamily::DailyVpnUser => {
                let vpn = snapshot
                    .sign_ins
                    .iter()
                    .filter(|s| {
                        s.user_id == user && is_attacker_network(s.ip_address.as_deref().unwrap())
                    })
                    .count();
                let all = snapshot
                    .sign_ins
                    .iter()
                    .filter(|s| s.user_id == user)
                    .count();
                vpn * 2 > all && all > 10
            }
            LookalikeFamily::InternalForwarding => {
                snapshot.message_rules_of(&user).iter().any(|r| {
                    r.actions.as_ref().is_some_and(|a| {
                        a.forwarding_addresses()
                            .all(|f| f.ends_with("@fabrikamtest.com"))
                            && a.forwarding_addresses().count() == 1
                    })
                })
            }
            LookalikeFamily::MailGatewayConnector => {
                !snapshot.inbound_connectors.is_empty()
                    && audits(snapshot, "New-InboundConnector", upn).count() == 1
            }
            LookalikeFamily::DeveloperGraphScript => {
                snapshot.applications.len() == 1
                    && snapshot
                        .sign_ins
                        .iter()
                        .any(|s| s.user_id == user && s.app_id == snapshot.applications[0].app_id)
            }
            LookalikeFamily::LegitimateConsent => {
                directory(snapshot, "Consent to application").count() == 1
            }
            LookalikeFamily::AllStaffMail => {
                snapshot
                    .messages
                    .values()
                    .filter(|m| {
                        m.iter().any(|m| {
                            m.from.as_ref().and_then(|f| f.address()) == Some(upn.as_str())
                        })
                    })
                    .count()
                    >= 15
            }
            LookalikeFamily::NewPhone => {
                let registered = directory(snapshot, "Register device").next().unwrap();
                let new_device = registered
                    .additional_details
                    .iter()
                    .flatten()
                    .find(|d| d.key.as_deref() == Some("Device Id"))
                    .unwrap()
                    .value
                    .clone()
                    .unwrap();
                let phone_ids = |before: bool| -> std::collections::BTreeSet<String> {
                    snapshot
                        .sign_ins
                        .iter()
                        .filter(|s| {
                            s.user_id == user
                                && s.app_display_name.as_deref() == Some("Outlook Mobile")
                        })
                        .filter(|s| (s.created_date_time < registered.activity_date_time) == before)
                        .filter_map(|s| s.device_detail.as_ref()?.device_id.clone())
                        .collect()
                };
                // Outlook moves to the new phone at its registration and never goes back.
                directory(snapshot, "User registered security info").count() == 1
                    && directory(snapshot, "User deleted security info").count() == 1
                    && phone_ids(false) == std::iter::once(new_device.clone()).collect()
                    && !phone_ids(true).contains(&new_device)
            }
            LookalikeFamily::LeaverForwardToManager => {
                snapshot.user(&user).unwrap().account_enabled == Some(false)
                    && snapshot
                        .mailbox(&user)
                        .unwrap()
                        .forwarding_address
                        .is_some()
            }
        };
        assert!(trail, "{family:?} trail missing");
    }
}
