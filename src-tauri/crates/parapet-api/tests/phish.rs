//! Step 2 copy by copy and across tenants: the phish a compromised account of one tenant sent
//! also reached a second tenant; both are searched with their own credentials and the selected
//! copies end up in Deleted Items there, each move in the incident's log.

mod support;

use parapet_api::dto::{MessageRef, PhishScope, StepRequest};
use serde_json::Value;
use support::{keyring_available, signed_in_to_all};

fn folder_of(messages: &[Value], internet_message_id: &str) -> Vec<String> {
    messages
        .iter()
        .filter(|m| m["internetMessageId"] == internet_message_id)
        .map(|m| m["parentFolderId"].as_str().unwrap_or_default().to_string())
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn the_phish_is_found_and_retracted_in_every_tenant() {
    if !keyring_available() {
        return;
    }
    let now = chrono::Utc::now();
    let mut home =
        parapet_tenantgen::TenantSpec::new(7, "Phish Home", "phishhome.example", 10, 30, now);
    home.attacks = vec![parapet_tenantgen::AttackFamily::AitmInboxRulePhish];
    let home = parapet_tenantgen::generate(&home).unwrap();
    let other =
        parapet_tenantgen::TenantSpec::new(8, "Phish Other", "phishother.example", 10, 30, now);
    let mut other = parapet_tenantgen::generate(&other).unwrap();
    let victim = home.truth.compromised[0].user_principal_name.clone();
    let delivered =
        parapet_tenantgen::deliver_phish(&home.snapshot, &victim, &mut other.snapshot, 3)
            .unwrap()
            .expect("the victim sent mail");
    // Look-alikes that must stay: the same subject from someone else, and mail from the
    // victim with another subject and Message-ID.
    let decoy_user = other.snapshot.users[5].clone();
    for (sender, subject, id) in [
        (
            "someone@elsewhere.example",
            delivered.subject.as_str(),
            "<decoy-1@elsewhere.example>",
        ),
        (
            victim.as_str(),
            "Lunch on Friday?",
            "<decoy-2@phishhome.example>",
        ),
    ] {
        let decoy: parapet_snapshot::model::Message = serde_json::from_value(serde_json::json!({
            "id": format!("AAMkADdecoy{}", id.len() + sender.len()),
            "internetMessageId": id,
            "subject": subject,
            "receivedDateTime": now.to_rfc3339(),
            "parentFolderId": "inbox",
            "from": {"emailAddress": {"address": sender}},
        }))
        .unwrap();
        other
            .snapshot
            .messages
            .entry(decoy_user.id.clone())
            .or_default()
            .insert(0, decoy);
    }
    // The same sender and subject under another Message-ID (the attacker sent it again) is a
    // copy too.
    let resent_to = other.snapshot.users[6].clone();
    let resent: parapet_snapshot::model::Message = serde_json::from_value(serde_json::json!({
        "id": "AAMkADresent",
        "internetMessageId": "<resent@phishhome.example>",
        "subject": delivered.subject,
        "receivedDateTime": now.to_rfc3339(),
        "parentFolderId": "junkemail",
        "from": {"emailAddress": {"address": victim}},
    }))
    .unwrap();
    other
        .snapshot
        .messages
        .entry(resent_to.id.clone())
        .or_default()
        .insert(0, resent);
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
    let refused =
        parapet_api::retraction::find_copies(&context, &incident.id, PhishScope::OtherTenants)
            .await;
    assert!(
        published.phish.is_some() || refused.is_err(),
        "without a known phish there is nothing to search for"
    );
    let widest = published
        .mail
        .iter()
        .find(|m| m.internet_message_id.as_deref() == Some(&delivered.internet_message_id))
        .expect("the delivered phish is in the victim's Exchange log");
    parapet_api::incidents::mark_phish(&context, &incident.id, &widest.id).unwrap();

    let own = parapet_api::retraction::find_copies(&context, &incident.id, PhishScope::Home)
        .await
        .unwrap();
    assert_eq!(own.len(), 1);
    assert!(own[0].home && own[0].tenant_id == home_id && own[0].error.is_none());
    assert_eq!(
        own[0].copies.len() as u32,
        widest.mailboxes,
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
    let mut mailboxes: Vec<&str> = found.copies.iter().map(|c| c.mailbox.as_str()).collect();
    mailboxes.sort_unstable();
    let mut expected: Vec<&str> = delivered.recipients.iter().map(String::as_str).collect();
    expected.push(&resent_to.user_principal_name);
    expected.sort_unstable();
    assert_eq!(mailboxes, expected, "exactly the copies, no look-alike");
    assert!(found.copies.iter().all(|c| c.sender == victim));
    let folders: Vec<&str> = found.copies.iter().map(|c| c.folder.as_str()).collect();
    assert_eq!(
        folders.iter().filter(|f| **f == "Junk Email").count(),
        1,
        "{folders:?}"
    );
    let copies_elsewhere = delivered.recipients.len() + 1;

    // A crafted selection naming a look-alike moves nothing.
    let decoy_message = control
        .messages(&other_id, &decoy_user.id)
        .into_iter()
        .find(|m| m["subject"] == "Lunch on Friday?")
        .unwrap();
    let mut messages: Vec<MessageRef> = found.copies.iter().map(|c| c.reference.clone()).collect();
    messages.push(MessageRef {
        tenant_id: other_id.clone(),
        mailbox_id: decoy_user.id.clone(),
        message_id: decoy_message["id"].as_str().unwrap().to_string(),
    });
    // One home copy is selected; the others stay for a later run.
    messages.push(own[0].copies[0].reference.clone());
    let request = StepRequest {
        step: 2,
        messages,
        ..Default::default()
    };
    let result = parapet_api::remediation::run_step_as_technician(&context, &incident.id, &request)
        .await
        .unwrap();
    let succeeded = result
        .objects
        .iter()
        .filter(|o| o.outcome == "succeeded")
        .count();
    assert_eq!(succeeded, copies_elsewhere + 1, "{:?}", result.objects);
    assert_eq!(
        result
            .objects
            .iter()
            .filter(|o| o.outcome == "already_done")
            .count(),
        1,
        "the look-alike is reported, not moved: {:?}",
        result.objects
    );
    for upn in &delivered.recipients {
        let folders = folder_of(
            &control.messages(&other_id, upn),
            &delivered.internet_message_id,
        );
        assert_eq!(folders, vec!["deleteditems"], "{upn}");
    }
    let decoys = control.messages(&other_id, &decoy_user.id);
    assert!(
        decoys
            .iter()
            .filter(|m| m["id"]
                .as_str()
                .unwrap_or_default()
                .starts_with("AAMkADdecoy"))
            .all(|m| m["parentFolderId"] == "inbox"),
        "look-alikes stay where they were"
    );

    // The log holds each move under the tenant it touched, and the chain verifies.
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
    let elsewhere_moves = moves.iter().filter(|a| a.tenant_id == other_id).count();
    assert_eq!(elsewhere_moves, copies_elsewhere);
    let resent_folders: Vec<Value> = control
        .messages(&other_id, &resent_to.id)
        .into_iter()
        .filter(|m| m["internetMessageId"] == "<resent@phishhome.example>")
        .map(|m| m["parentFolderId"].clone())
        .collect();
    assert_eq!(resent_folders, vec![Value::from("deleteditems")]);

    // What is left: the other home copies, and nothing in the other tenant.
    let left =
        parapet_api::retraction::find_copies(&context, &incident.id, PhishScope::OtherTenants)
            .await
            .unwrap();
    assert!(left[0].copies.is_empty(), "{left:?}");
    let own_left = parapet_api::retraction::find_copies(&context, &incident.id, PhishScope::Home)
        .await
        .unwrap();
    assert_eq!(own_left[0].copies.len(), own[0].copies.len() - 1);
    // The whole-tenant run clears the rest, and step 2 is done.
    let rest = parapet_api::remediation::run_step_as_technician(
        &context,
        &incident.id,
        &StepRequest {
            step: 2,
            ..Default::default()
        },
    )
    .await
    .unwrap();
    assert!(
        rest.objects.iter().all(|o| o.outcome == "succeeded"),
        "{:?}",
        rest.objects
    );
    let state = parapet_api::remediation::state(&context, &incident.id)
        .await
        .unwrap();
    assert!(
        state.completed_steps.contains(&2),
        "{:?}",
        state.completed_steps
    );
    simulator.shutdown().await;
}
