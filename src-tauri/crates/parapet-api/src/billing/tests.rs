use super::{billable_users, volume_tier};
use parapet_snapshot::model::{Mailbox, SubscribedSku, User};
use serde_json::json;

fn users(values: serde_json::Value) -> Vec<User> {
    serde_json::from_value(values).unwrap()
}

fn skus() -> Vec<SubscribedSku> {
    serde_json::from_value(json!([
        {"skuId": "paid-e3", "skuPartNumber": "SPE_E3"},
        {"skuId": "free-flow", "skuPartNumber": "FLOW_FREE"},
    ]))
    .unwrap()
}

#[test]
fn counts_enabled_members_with_a_paid_licence_only() {
    let users = users(json!([
        {"id": "1", "userPrincipalName": "a@x", "accountEnabled": true, "userType": "Member",
         "assignedLicenses": [{"skuId": "paid-e3", "disabledPlans": []}]},
        {"id": "2", "userPrincipalName": "b@x", "accountEnabled": false, "userType": "Member",
         "assignedLicenses": [{"skuId": "paid-e3"}]},
        {"id": "3", "userPrincipalName": "c@x", "accountEnabled": true, "userType": "Member",
         "assignedLicenses": [{"skuId": "free-flow"}]},
        {"id": "4", "userPrincipalName": "d#EXT#@x", "accountEnabled": true, "userType": "Guest",
         "assignedLicenses": [{"skuId": "paid-e3"}]},
        {"id": "5", "userPrincipalName": "shared@x", "accountEnabled": true, "userType": "Member",
         "assignedLicenses": [{"skuId": "paid-e3"}]},
        {"id": "6", "userPrincipalName": "f@x", "accountEnabled": true, "userType": "Member",
         "assignedLicenses": []},
        {"id": "7", "userPrincipalName": "g@x", "accountEnabled": true,
         "assignedLicenses": [{"skuId": "free-flow"}, {"skuId": "paid-e3"}]},
    ]));
    let mailboxes: Vec<Mailbox> = serde_json::from_value(json!([
        {"userId": "5", "recipientTypeDetails": "SharedMailbox"},
        {"userId": "1", "recipientTypeDetails": "UserMailbox"},
    ]))
    .unwrap();
    assert_eq!(billable_users(&users, &skus(), &mailboxes), 2);
}

#[test]
fn tiers_follow_inclusive_bounds() {
    let bounds = [250, 1_000, 5_000];
    assert_eq!(volume_tier(0, &bounds), 1);
    assert_eq!(volume_tier(250, &bounds), 1);
    assert_eq!(volume_tier(251, &bounds), 2);
    assert_eq!(volume_tier(5_000, &bounds), 3);
    assert_eq!(volume_tier(5_001, &bounds), 4);
}
