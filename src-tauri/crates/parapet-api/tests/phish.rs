//! Step 2 copy by copy and across tenants: the phish a compromised account of one tenant sent
//! also reached a second tenant; both are searched with their own credentials and the selected
//! copies end up in Deleted Items there, each move in the incident's log.

mod support;

use chrono::{DateTime, Duration, Utc};
use parapet_api::dto::{CopyMatch, MessageRef, PhishScope, StepRequest};
use parapet_api::ErrorCode;
use serde_json::{json, Value};
use support::{aitm_tenant, keyring_available, signed_in_to_all};

fn folders_of(messages: &[Value], internet_message_id: &str) -> Vec<String> {
    messages
        .iter()
        .filter(|m| m["internetMessageId"] == internet_message_id)
        .map(|m| m["parentFolderId"].as_str().unwrap_or_default().to_string())
        .collect()
}

/// A message in `user`'s inbox of `snapshot`.
fn plant(
    snapshot: &mut parapet_snapshot::Snapshot,
    user: &str,
    id: &str,
    internet_message_id: &str,
    (sender, subject): (&str, &str),
    received: DateTime<Utc>,
    folder: &str,
) {
    let message: parapet_snapshot::model::Message = serde_json::from_value(json!({
        "id": id,
        "internetMessageId": internet_message_id,
        "subject": subject,
        "receivedDateTime": received.to_rfc3339(),
        "parentFolderId": folder,
        "from": {"emailAddress": {"address": sender}},
    }))
    .unwrap();
    snapshot
        .messages
        .entry(user.to_string())
        .or_default()
        .insert(0, message);
}

#[tokio::test(flavor = "multi_thread")]
async fn the_phish_is_found_and_retracted_in_every_tenant() {
    if !keyring_available() {
        return;
    }
    let now = Utc::now();
    let home = aitm_tenant(7, "Phish Home", "phishhome.example");
    let other =
        parapet_tenantgen::TenantSpec::new(8, "Phish Other", "phishother.example", 10, 30, now);
    let mut other = parapet_tenantgen::generate(&other).unwrap();
    let victim = home.truth.compromised[0].user_principal_name.clone();
    let delivered =
        parapet_tenantgen::deliver_phish(&home.snapshot, &victim, &mut other.snapshot, 3)
            .unwrap()
            .expect("the victim sent mail");
    let phish_time = home
        .snapshot
        .messages
        .values()
        .flatten()
        .find(|m| m.internet_message_id.as_deref() == Some(&delivered.internet_message_id))
        .and_then(|m| m.sent_date_time.or(m.received_date_time))
        .unwrap();
    let subject = delivered.subject.clone();
    let (decoy_user, resent_to) = (
        other.snapshot.users[5].id.clone(),
        other.snapshot.users[6].clone(),
    );
    // Look-alikes that must stay: the same subject from someone else; mail from the victim
    // with another subject; and the same sender and subject three weeks earlier (ordinary
    // mail with a common subject, not the phish).
    let near = phish_time + Duration::hours(2);
    let earlier = phish_time - Duration::days(21);
    let s = &mut other.snapshot;
    plant(
        s,
        &decoy_user,
        "AAMkADdecoy-someone-else",
        "<d1@elsewhere.example>",
        ("someone@elsewhere.example", &subject),
        near,
        "inbox",
    );
    plant(
        s,
        &decoy_user,
        "AAMkADdecoy-lunch",
        "<d2@phishhome.example>",
        (&victim, "Lunch on Friday?"),
        near,
        "inbox",
    );
    plant(
        s,
        &decoy_user,
        "AAMkADdecoy-earlier",
        "<d3@phishhome.example>",
        (&victim, &subject),
        earlier,
        "inbox",
    );
    // The same sender and subject under another Message-ID near the phish (the attacker sent
    // it again): a likely copy, offered but not ticked.
    plant(
        s,
        &resent_to.id,
        "AAMkADresent",
        "<resent@phishhome.example>",
        (&victim, &subject),
        near,
        "junkemail",
    );
    let home_id = home.snapshot.tenant.id.clone();
    let other_id = other.snapshot.tenant.id.clone();
    let dirs = tempfile::tempdir().unwrap();
    let (context, simulator) =
        signed_in_to_all(vec![home.snapshot, other.snapshot], dirs.path()).await;
    let control = simulator.control();
    for tenant in [&home_id, &other_id] {
        parapet_api::onboarding::onboard(&context, tenant)
            .await
            .unwrap();
    }
    parapet_api::live_scan::scan_tenant(&context, &home_id, &|_| {})
        .await
        .unwrap();
    let incident = parapet_api::incidents::list(&context, Some(&home_id))
        .unwrap()
        .into_iter()
        .find(|i| i.user_principal_name == victim)
        .expect("an incident for the victim");
    let published = parapet_api::incidents::publish(&context, &incident.id).unwrap();
    assert!(
        published.phish.is_none(),
        "too few colleagues for an evident phishing burst"
    );
    let refused =
        parapet_api::retraction::find_copies(&context, &incident.id, PhishScope::OtherTenants)
            .await
            .unwrap_err();
    assert_eq!(refused.code, ErrorCode::InvalidInput, "{}", refused.message);
    let row = published
        .mail
        .iter()
        .find(|m| m.internet_message_id.as_deref() == Some(&delivered.internet_message_id))
        .expect("the delivered phish is in the victim's Exchange log");
    parapet_api::incidents::mark_phish(&context, &incident.id, &row.id).unwrap();

    let own = parapet_api::retraction::find_copies(&context, &incident.id, PhishScope::Home)
        .await
        .unwrap();
    assert_eq!(own.len(), 1);
    assert!(own[0].home && own[0].tenant_id == home_id && own[0].error.is_none());
    assert_eq!(
        own[0].copies.len() as u32,
        row.mailboxes,
        "{:?}",
        own[0].copies
    );

    let elsewhere =
        parapet_api::retraction::find_copies(&context, &incident.id, PhishScope::OtherTenants)
            .await
            .unwrap();
    assert_eq!(elsewhere.len(), 1, "{elsewhere:?}");
    let found = &elsewhere[0];
    assert_eq!(
        (found.tenant_id.as_str(), found.home),
        (other_id.as_str(), false)
    );
    let listed = |by: CopyMatch| {
        let mut upns: Vec<&str> = found
            .copies
            .iter()
            .filter(|c| c.matched_by == by)
            .map(|c| c.mailbox.as_str())
            .collect();
        upns.sort_unstable();
        upns
    };
    let mut expected: Vec<&str> = delivered.recipients.iter().map(String::as_str).collect();
    expected.sort_unstable();
    assert_eq!(
        listed(CopyMatch::MessageId),
        expected,
        "the delivered copies"
    );
    assert_eq!(
        listed(CopyMatch::SenderAndSubject),
        vec![resent_to.user_principal_name.as_str()],
        "the resent copy near the phish, not the ordinary mail three weeks earlier"
    );
    let resent = found
        .copies
        .iter()
        .find(|c| c.matched_by == CopyMatch::SenderAndSubject)
        .unwrap();
    assert_eq!(
        (resent.folder.as_str(), resent.sender.as_str()),
        ("Junk Email", victim.as_str())
    );

    // A crafted selection naming a look-alike moves nothing; one home copy is selected too.
    let mut messages: Vec<MessageRef> = found.copies.iter().map(|c| c.reference.clone()).collect();
    messages.push(MessageRef {
        tenant_id: other_id.clone(),
        mailbox_id: decoy_user.clone(),
        message_id: "AAMkADdecoy-lunch".into(),
    });
    messages.push(own[0].copies[0].reference.clone());
    let request = StepRequest {
        step: 2,
        messages,
        ..Default::default()
    };
    let result = parapet_api::remediation::run_step_as_technician(&context, &incident.id, &request)
        .await
        .unwrap();
    let copies_elsewhere = found.copies.len();
    let outcome_count = |outcome: &str| {
        result
            .objects
            .iter()
            .filter(|o| o.outcome == outcome)
            .count()
    };
    assert_eq!(
        outcome_count("succeeded"),
        copies_elsewhere + 1,
        "{:?}",
        result.objects
    );
    assert_eq!(
        outcome_count("already_done"),
        1,
        "the look-alike is reported, not moved: {:?}",
        result.objects
    );
    for upn in delivered
        .recipients
        .iter()
        .chain([&resent_to.user_principal_name])
    {
        let messages = control.messages(&other_id, upn);
        let moved: Vec<&Value> = messages
            .iter()
            .filter(|m| {
                m["subject"] == subject.as_str()
                    && m["from"]["emailAddress"]["address"] == victim.as_str()
            })
            .collect();
        assert_eq!(moved.len(), 1, "{upn}");
        assert_eq!(moved[0]["parentFolderId"], "deleteditems", "{upn}");
    }
    for decoy in control.messages(&other_id, &decoy_user).iter().filter(|m| {
        m["id"]
            .as_str()
            .is_some_and(|id| id.starts_with("AAMkADdecoy"))
    }) {
        assert_eq!(
            decoy["parentFolderId"], "inbox",
            "look-alikes stay: {decoy}"
        );
    }

    // The log holds each move under the tenant it touched, and the chain verifies; moves in
    // the other tenant do not finish this incident's step 2, home copies are left.
    let state = parapet_api::remediation::state(&context, &incident.id)
        .await
        .unwrap();
    assert!(state.tampered.is_none());
    let moves: Vec<_> = state
        .actions
        .iter()
        .filter(|a| a.step == 2 && a.result == "succeeded")
        .collect();
    assert_eq!(moves.len(), copies_elsewhere + 1);
    assert_eq!(
        moves.iter().filter(|a| a.tenant_id == other_id).count(),
        copies_elsewhere
    );
    let left =
        parapet_api::retraction::find_copies(&context, &incident.id, PhishScope::OtherTenants)
            .await
            .unwrap();
    assert!(left[0].copies.is_empty(), "{left:?}");
    let own_left = parapet_api::retraction::find_copies(&context, &incident.id, PhishScope::Home)
        .await
        .unwrap();
    assert_eq!(own_left[0].copies.len(), own[0].copies.len() - 1);
    if !own_left[0].copies.is_empty() {
        assert!(
            !state.completed_steps.contains(&2),
            "home copies are left: {:?}",
            state.completed_steps
        );
    }
    // The whole-tenant run clears the rest and finishes step 2; running it again searches
    // again (and finds nothing) rather than trusting the log.
    let whole = StepRequest {
        step: 2,
        ..Default::default()
    };
    let rest = parapet_api::remediation::run_step_as_technician(&context, &incident.id, &whole)
        .await
        .unwrap();
    assert!(
        rest.objects.iter().all(|o| o.outcome == "succeeded"),
        "{:?}",
        rest.objects
    );
    for copy in &own[0].copies {
        let folders = folders_of(
            &control.messages(&home_id, &copy.reference.mailbox_id),
            &delivered.internet_message_id,
        );
        assert_eq!(folders, vec!["deleteditems"], "{}", copy.mailbox);
    }
    let state = parapet_api::remediation::state(&context, &incident.id)
        .await
        .unwrap();
    assert!(
        state.completed_steps.contains(&2),
        "{:?}",
        state.completed_steps
    );
    let again = parapet_api::remediation::run_step_as_technician(&context, &incident.id, &whole)
        .await
        .unwrap();
    let why = again.objects[0].message.clone().unwrap_or_default();
    assert!(why.contains("no copy"), "searched again: {why}");
    simulator.shutdown().await;
}
