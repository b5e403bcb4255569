//! Microsoft's documented example responses (shared/reference/graph-examples) parse as the
//! matching record types and re-emit every field. Every file of that folder is classified here,
//! so a new example fails this test until someone decides what it is.

use std::path::Path;

use parapet_snapshot::model::{
    AppRoleAssignment, Application, AuditRecord, AuthenticationMethod, ConditionalAccessPolicy,
    Device, DirectoryAudit, Message, MessageRule, OAuth2PermissionGrant, ServicePrincipal, SignIn,
    SubscribedSku, User,
};
use serde::{de::DeserializeOwned, Serialize};
use serde_json::Value;

use crate::support::{json_difference, read_json, shared_dir};

/// Where the records are in `responseBody`.
#[derive(Clone, Copy)]
enum Body {
    /// `responseBody.value[]` (a Graph collection).
    List,
    /// `responseBody` itself is one record.
    Single,
    /// `responseBody` is a bare JSON array (Management Activity API).
    Array,
}

type Check = fn(&str, &Value) -> Result<(), String>;

/// Examples that must parse: file, type, where the records are.
const PARSED: &[(&str, Check, Body)] = &[
    ("beta__signin-list.json", check::<SignIn>, Body::List),
    ("v1.0__signin-list.json", check::<SignIn>, Body::List),
    (
        "v1.0__directoryaudit-list.json",
        check::<DirectoryAudit>,
        Body::List,
    ),
    (
        "v1.0__directoryaudit-list-filter-initiatedby.json",
        check::<DirectoryAudit>,
        Body::List,
    ),
    ("v1.0__user-list.json", check::<User>, Body::List),
    (
        "v1.0__user-list-signinactivity.json",
        check::<User>,
        Body::List,
    ),
    ("v1.0__user-get.json", check::<User>, Body::Single),
    (
        "v1.0__subscribedsku-list.json",
        check::<SubscribedSku>,
        Body::List,
    ),
    (
        "v1.0__messagerule-get.json",
        check::<MessageRule>,
        Body::Single,
    ),
    (
        "v1.0__messagerule-list.json",
        check::<MessageRule>,
        Body::List,
    ),
    (
        "v1.0__messagerule-update.json",
        check::<MessageRule>,
        Body::Single,
    ),
    ("v1.0__message-list.json", check::<Message>, Body::List),
    ("v1.0__message-move.json", check::<Message>, Body::Single),
    (
        "v1.0__authentication-methods-list.json",
        check::<AuthenticationMethod>,
        Body::List,
    ),
    (
        "v1.0__serviceprincipal-list.json",
        check::<ServicePrincipal>,
        Body::List,
    ),
    (
        "v1.0__oauth2permissiongrant-list.json",
        check::<OAuth2PermissionGrant>,
        Body::List,
    ),
    (
        "v1.0__serviceprincipal-approleassignments-list.json",
        check::<AppRoleAssignment>,
        Body::List,
    ),
    ("v1.0__device-list.json", check::<Device>, Body::List),
    (
        "v1.0__user-registereddevices-list.json",
        check::<Device>,
        Body::List,
    ),
    (
        "v1.0__mgmt-content-blob.json",
        check::<AuditRecord>,
        Body::Array,
    ),
    (
        "v1.0__conditionalaccesspolicy-create-block.json",
        check::<ConditionalAccessPolicy>,
        Body::Single,
    ),
    (
        "v1.0__conditionalaccesspolicy-create-mfa.json",
        check::<ConditionalAccessPolicy>,
        Body::Single,
    ),
];

/// Examples of a snapshot record type that must be rejected, with the fragment of the error
/// and why: they lack a field the snapshot format requires.
const REJECTED: &[(&str, Check, Body, &str, &str)] = &[
    (
        "v1.0__user-list-count-filter.json",
        check::<User>,
        Body::List,
        "missing field `id`",
        "a $select projection without id; a snapshot user needs its object id",
    ),
    (
        "v1.0__application-list.json",
        check::<Application>,
        Body::List,
        "missing field `id`",
        "the published example is abbreviated and omits the object id",
    ),
    (
        "v1.0__phoneauthenticationmethod-list.json",
        check::<AuthenticationMethod>,
        Body::List,
        "missing field `@odata.type`",
        "the phoneMethods endpoint omits @odata.type, which the snapshot format requires",
    ),
];

/// Examples not checked as records, and why.
const SKIPPED: &[(&str, &str)] = &[
    (
        "v1.0__auditlogquery-list-records.json",
        "placeholder values (\"String\"); auditData is a stub",
    ),
    (
        "v1.0__auditlogquery-create.json",
        "placeholder values; a query, not a record",
    ),
    (
        "v1.0__auditlogquery-get.json",
        "placeholder values; a query, not a record",
    ),
    (
        "v1.0__riskyuser-list.json",
        "placeholder values; risky users are not a snapshot file",
    ),
    (
        "v1.0__contract-list.json",
        "placeholder values (\"id-value\"); contracts are not a snapshot file",
    ),
    (
        "v1.0__user-update-accountenabled.json",
        "placeholder values; a PATCH without a response body",
    ),
    (
        "beta__riskyuser-list.json",
        "risky users are not a snapshot file",
    ),
    (
        "beta__riskyuser-list-filter-medium.json",
        "risky users are not a snapshot file",
    ),
    (
        "v1.0__riskdetection-list.json",
        "risk detections are not a snapshot file",
    ),
    (
        "v1.0__delegatedadminrelationship-list.json",
        "GDAP relationships are not a snapshot file",
    ),
    (
        "v1.0__riskyuser-confirmcompromised.json",
        "an action without a response body",
    ),
    (
        "v1.0__authenticationmethod-resetpassword.json",
        "an action response, not a record",
    ),
    (
        "v1.0__authenticationmethod-resetpassword-systemgenerated.json",
        "an action response, not a record",
    ),
    ("v1.0__batch.json", "a $batch envelope"),
    ("v1.0__error-response.json", "an error body"),
    ("v1.0__throttling-429.json", "an error body"),
    ("v1.0__mgmt-error.json", "an error body"),
    (
        "v2.0__entra-token-client-credentials.json",
        "a token response",
    ),
    (
        "v2.0__entra-token-error-invalid-scope.json",
        "an error body",
    ),
    ("v1.0__messagerule-delete.json", "204, no body"),
    (
        "v1.0__microsoftauthenticatorauthenticationmethod-delete.json",
        "204, no body",
    ),
    (
        "v1.0__phoneauthenticationmethod-delete.json",
        "204, no body",
    ),
    ("v1.0__oauth2permissiongrant-delete.json", "204, no body"),
    ("v1.0__serviceprincipal-update.json", "204, no body"),
    (
        "v1.0__user-revokesigninsessions.json",
        "an action response, not a record",
    ),
    ("v1.0__user-update.json", "204, no body"),
    ("v1.0__user-update-passwordprofile.json", "204, no body"),
    ("v1.0__device-update.json", "204, no body"),
    (
        "v1.0__mgmt-subscriptions-start.json",
        "a subscription, not a record",
    ),
    ("v1.0__mgmt-subscriptions-stop.json", "no body"),
    (
        "v1.0__mgmt-subscriptions-list.json",
        "subscriptions, not records",
    ),
    (
        "v1.0__mgmt-subscriptions-content.json",
        "content blob listings, not records",
    ),
    (
        "v1.0__mgmt-subscriptions-notifications.json",
        "notifications, not records",
    ),
    (
        "v1.0__mgmt-webhook-notification.json",
        "a webhook notification, not a record",
    ),
];

/// Parses every record of `body` as `T` and checks it re-emits the original.
fn check<T: DeserializeOwned + Serialize>(file: &str, records: &Value) -> Result<(), String> {
    let items = records
        .as_array()
        .ok_or_else(|| format!("{file}: records are not an array"))?;
    if items.is_empty() {
        return Err(format!("{file}: no records"));
    }
    for (index, item) in items.iter().enumerate() {
        let record: T =
            serde_json::from_value(item.clone()).map_err(|e| format!("{file}[{index}]: {e}"))?;
        let emitted = serde_json::to_value(&record).map_err(|e| format!("{file}[{index}]: {e}"))?;
        if let Some(difference) = json_difference(item, &emitted, "") {
            return Err(format!(
                "{file}[{index}]: re-emitted differently: {difference}"
            ));
        }
    }
    Ok(())
}

fn records(examples: &Path, file: &str, body: Body) -> Value {
    let response = read_json(&examples.join(file))["responseBody"].clone();
    match body {
        Body::List => response["value"].clone(),
        Body::Single => Value::Array(vec![response]),
        Body::Array => response,
    }
}

#[test]
fn documented_examples_parse_as_snapshot_records() {
    let Some(shared) = shared_dir() else { return };
    let examples = shared.join("reference/graph-examples");
    for (file, check, body) in PARSED {
        if let Err(problem) = check(file, &records(&examples, file, *body)) {
            panic!("{problem}");
        }
    }
}

#[test]
fn examples_lacking_required_fields_are_rejected_for_that_reason() {
    let Some(shared) = shared_dir() else { return };
    let examples = shared.join("reference/graph-examples");
    for (file, check, body, fragment, why) in REJECTED {
        match check(file, &records(&examples, file, *body)) {
            Ok(()) => panic!("{file} parsed, but was listed as rejected because {why}"),
            Err(problem) => assert!(
                problem.contains(fragment),
                "{file}: {problem} (expected {fragment})"
            ),
        }
    }
}

#[test]
fn every_example_file_is_classified() {
    let Some(shared) = shared_dir() else { return };
    let examples = shared.join("reference/graph-examples");
    let classified: Vec<&str> = PARSED
        .iter()
        .map(|(file, ..)| *file)
        .chain(REJECTED.iter().map(|(file, ..)| *file))
        .chain(SKIPPED.iter().map(|(file, _)| *file))
        .collect();
    let mut unclassified = Vec::new();
    for entry in std::fs::read_dir(&examples).expect("read examples") {
        let name = entry
            .expect("entry")
            .file_name()
            .to_string_lossy()
            .into_owned();
        if name.ends_with(".json") && !classified.contains(&name.as_str()) {
            unclassified.push(name);
        }
    }
    assert!(
        unclassified.is_empty(),
        "unclassified examples: {unclassified:?}"
    );
    for file in &classified {
        assert!(
            examples.join(file).is_file(),
            "{file} is listed but does not exist"
        );
    }
}
