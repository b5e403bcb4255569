//! The file names of a snapshot.

/// `tenant.json`, the one required file.
pub const TENANT_FILE: &str = "tenant.json";

/// Ground truth for tests; the product never reads it.
pub const EXPECTED_FILE: &str = "expected.json";

/// Every file the format defines (besides `expected.json`), in the order of the spec table.
pub const SNAPSHOT_FILES: &[&str] = &[
    TENANT_FILE,
    "users.json",
    "subscribedSkus.json",
    "signIns.json",
    "directoryAudits.json",
    "auditRecords.json",
    "mailboxes.json",
    "messageRules.json",
    "messages.json",
    "authenticationMethods.json",
    "servicePrincipals.json",
    "applications.json",
    "oauth2PermissionGrants.json",
    "appRoleAssignments.json",
    "devices.json",
    "mailboxPermissions.json",
    "recipientPermissions.json",
    "inboundConnectors.json",
    "transportRules.json",
    "conditionalAccessPolicies.json",
];

/// The files holding `{userId: [record]}` objects rather than arrays.
pub const PER_USER_FILES: &[&str] = &[
    "messageRules.json",
    "messages.json",
    "authenticationMethods.json",
];
