//! An incident worked from Publish to Mark as Remediated in the real webview, against the
//! simulator, verifying the tenant's state after the steps.

use crate::e2e::App;

#[tokio::test(flavor = "multi_thread")]
async fn incident_from_publish_to_remediated() {
    let mut spec = parapet_tenantgen::TenantSpec::new(
        11,
        "Stepper Test Dental",
        "steppertest.example",
        10,
        30,
        chrono::Utc::now(),
    );
    spec.attacks = vec![parapet_tenantgen::AttackFamily::AitmInboxRulePhish];
    let generated = parapet_tenantgen::generate(&spec).unwrap();
    let victim = generated.truth.compromised[0].clone();
    let rule_id = victim.persistence[0].id.clone();
    let tenant_id = generated.snapshot.tenant.id.clone();
    // The victim's phish also reached a second client of the MSP.
    let neighbour_spec = parapet_tenantgen::TenantSpec::new(
        12,
        "Stepper Neighbour Supply",
        "stepperneighbour.example",
        8,
        30,
        chrono::Utc::now(),
    );
    let mut neighbour = parapet_tenantgen::generate(&neighbour_spec).unwrap();
    let neighbour_id = neighbour.snapshot.tenant.id.clone();
    let delivered = parapet_tenantgen::deliver_phish(
        &generated.snapshot,
        &victim.user_principal_name,
        &mut neighbour.snapshot,
        2,
    )
    .unwrap()
    .expect("the victim sent mail");
    // The Exchange log's row for the phish carries the id of its first copy.
    let phish_row = generated
        .snapshot
        .messages
        .values()
        .flatten()
        .find(|m| m.internet_message_id.as_deref() == Some(&delivered.internet_message_id))
        .map(|m| m.id.clone())
        .unwrap();
    let simulator = parapet_simulator::start(parapet_simulator::SimConfig {
        snapshots: vec![generated.snapshot, neighbour.snapshot],
        consented: true,
        ..parapet_simulator::SimConfig::default()
    })
    .await
    .unwrap();
    let control = simulator.control();
    let origin = simulator.origin().to_string();
    let urls = tempfile::NamedTempFile::new().unwrap();
    let Some(app) = App::start_with(&[
        ("PARAPET_MICROSOFT_BASE", origin),
        ("PARAPET_OPEN_URLS_TO", urls.path().display().to_string()),
    ])
    .await
    else {
        return;
    };

    // Sign in and onboard: the tenant has consented already, so no consent page.
    app.click("#add-tenant").await;
    app.click("#sign-in").await;
    let sign_in_url = crate::onboarding::next_opened_url(urls.path(), 0).await;
    crate::onboarding::follow(&sign_in_url).await;
    let customer = format!("tr[data-customer-id=\"{tenant_id}\"]");
    app.wait_for(&customer).await;
    app.click(&format!("{customer} .onboard-customer")).await;
    app.wait_for_text("#add-tenant-notice", |t| t.starts_with("Onboarded"))
        .await;
    let neighbour_row = format!("tr[data-customer-id=\"{neighbour_id}\"]");
    app.click(&format!("{neighbour_row} .onboard-customer"))
        .await;
    app.wait_for_text("#add-tenant-notice", |t| t.contains("Stepper Neighbour"))
        .await;
    app.click("#close-add-tenant").await;

    // Scan the tenant from its page, as the technician would.
    let row = format!("tr[data-tenant-id=\"{tenant_id}\"]");
    app.click(&format!("{row} .tenant-name")).await;
    app.click("#scan-now").await;
    app.wait_for_text("#scan-coverage", |t| !t.is_empty()).await;

    app.click("#nav-incidents").await;
    app.wait_for_text("#incident-badge", |t| !t.is_empty())
        .await;
    let row = app
        .wait_for_text(".incident-table tbody", |t| {
            t.contains(&victim.user_principal_name)
        })
        .await;
    assert!(row.contains("Unpublished"), "{row}");
    app.click(".incident-table .open-incident").await;
    app.wait_for_text("#incident-heading", |t| t == victim.user_principal_name)
        .await;
    app.click("#publish-incident").await;
    app.wait_for_text("#incident-status", |t| t == "Active")
        .await;

    app.click("#step-1-run").await;
    app.wait_for(r#"[data-step="1"] .step-done"#).await;
    let user = control
        .user(&tenant_id, &victim.user_principal_name)
        .unwrap();
    assert_eq!(user["accountEnabled"], false, "step 1 disabled the account");

    // Tag the phish in the Exchange log, retract it in the neighbour tenant from the
    // Cross-Tenant Phish panel, then everywhere in the incident's own tenant.
    app.click(&format!(
        "#exchange-log tr[data-message-id=\"{phish_row}\"] .mark-phish"
    ))
    .await;
    app.wait_for_text("#exchange-log .phish-badge", |t| t == "Phish")
        .await;
    app.click("#cross-tenant-search").await;
    let group = format!("#cross-tenant [data-tenant-id=\"{neighbour_id}\"]");
    let listed = app
        .wait_for_text(&group, |t| t.contains("mailboxes affected"))
        .await;
    assert!(listed.contains("2 mailboxes affected"), "{listed}");
    for upn in &delivered.recipients {
        assert!(listed.contains(upn.as_str()), "{upn} in {listed}");
    }
    app.click("#cross-tenant-retract").await;
    let outcomes = app
        .wait_for_text("#cross-tenant-outcomes", |t| !t.is_empty())
        .await;
    assert_eq!(
        outcomes.matches("succeeded").count(),
        delivered.recipients.len(),
        "{outcomes}"
    );
    app.wait_for("#cross-tenant-none").await;
    for upn in &delivered.recipients {
        let folders: Vec<serde_json::Value> = control
            .messages(&neighbour_id, upn)
            .into_iter()
            .filter(|m| m["internetMessageId"] == delivered.internet_message_id.as_str())
            .map(|m| m["parentFolderId"].clone())
            .collect();
        assert_eq!(folders, vec![serde_json::json!("deleteditems")], "{upn}");
    }
    // Moves in another tenant do not finish this incident's step 2.
    assert!(!app.exists(r#"[data-step="2"] .step-done"#).await);
    app.click("#step-2-run").await;
    app.wait_for(r#"[data-step="2"] .step-done"#).await;
    let home_copies = state_messages(&control, &tenant_id, &delivered.internet_message_id);
    assert!(!home_copies.is_empty());
    assert!(
        home_copies
            .iter()
            .all(|(_, folder)| folder == "deleteditems" || folder == "sentitems"),
        "{home_copies:?}"
    );

    app.click("#step-3-run").await;
    app.wait_for(r#"[data-step="3"] .step-done"#).await;
    let state = control.state();
    let tenant = state["tenants"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["id"] == tenant_id.as_str())
        .unwrap()
        .clone();
    let rules_left = tenant["counts"]["messageRules"].as_u64().unwrap();
    let outcomes = app
        .wait_for_text("#step-3-outcomes", |t| !t.is_empty())
        .await;
    assert!(
        outcomes.contains(&rule_id) || outcomes.contains("rule"),
        "{outcomes}"
    );

    app.click("#step-4-run").await;
    let answer = app
        .wait_for_text("#new-password, #step-error", |t| !t.is_empty())
        .await;
    assert!(
        answer.len() >= 16 && !answer.contains(' '),
        "step 4 failed: {answer}"
    );
    let password = answer;
    app.click("#dismiss-password").await;

    app.click("#step-5-run").await;
    let outcomes = app
        .wait_for_text("#step-5-outcomes, #step-error", |t| !t.is_empty())
        .await;
    assert!(!outcomes.contains("failed"), "step 5: {outcomes}");
    app.wait_for(r#"[data-step="5"] .step-done"#).await;
    let user = control
        .user(&tenant_id, &victim.user_principal_name)
        .unwrap();
    assert_eq!(
        user["accountEnabled"], true,
        "step 5 re-enabled the account"
    );

    app.click("#step-6-run").await;
    app.wait_for_text("#incident-status", |t| t == "Remediated")
        .await;
    let log = app.wait_for_text("#action-log", |t| !t.is_empty()).await;
    assert!(
        !log.contains(&password),
        "the action log never shows the password"
    );

    // The password is in no file of the workspace.
    for entry in std::fs::read_dir(app.data_dir()).unwrap().flatten() {
        let bytes = std::fs::read(entry.path()).unwrap_or_default();
        assert!(
            !bytes
                .windows(password.len())
                .any(|w| w == password.as_bytes()),
            "{} contains the password",
            entry.path().display()
        );
    }
    let _ = rules_left;
    app.close().await;
    simulator.shutdown().await;
}

/// Every copy of a message in a tenant, as (mailbox, folder), straight from the simulator.
fn state_messages(
    control: &parapet_simulator::SimControl,
    tenant: &str,
    internet_message_id: &str,
) -> Vec<(String, String)> {
    control
        .user_ids(tenant)
        .iter()
        .flat_map(|user| {
            control
                .messages(tenant, user)
                .into_iter()
                .filter(|m| m["internetMessageId"] == internet_message_id)
                .map(|m| {
                    (
                        user.clone(),
                        m["parentFolderId"].as_str().unwrap_or_default().to_string(),
                    )
                })
                .collect::<Vec<_>>()
        })
        .collect()
}
