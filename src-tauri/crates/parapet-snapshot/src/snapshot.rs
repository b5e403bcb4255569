//! The in-memory snapshot: every collection of one tenant at one moment.

use std::collections::{BTreeMap, HashMap};

use crate::model::{
    AppRoleAssignment, Application, AuditRecord, AuthenticationMethod, ConditionalAccessPolicy,
    Device, DirectoryAudit, InboundConnector, Mailbox, MailboxPermission, Message, MessageRule,
    OAuth2PermissionGrant, RecipientPermission, ServicePrincipal, SignIn, SubscribedSku,
    TenantInfo, TransportRule, User,
};

/// Per-user collections: user object id to that user's records.
pub type PerUser<T> = BTreeMap<String, Vec<T>>;

/// A whole tenant snapshot. Collections keep file order; a missing file reads as empty.
///
/// A `Snapshot` that came from [`crate::read`] is consistent: per-user keys, device owners and
/// mailbox users all name users in `users`, and ids are unique within each collection.
#[derive(Debug, Clone, PartialEq)]
pub struct Snapshot {
    pub tenant: TenantInfo,
    pub users: Vec<User>,
    pub subscribed_skus: Vec<SubscribedSku>,
    pub sign_ins: Vec<SignIn>,
    pub directory_audits: Vec<DirectoryAudit>,
    pub audit_records: Vec<AuditRecord>,
    pub mailboxes: Vec<Mailbox>,
    pub message_rules: PerUser<MessageRule>,
    pub messages: PerUser<Message>,
    pub authentication_methods: PerUser<AuthenticationMethod>,
    pub service_principals: Vec<ServicePrincipal>,
    pub applications: Vec<Application>,
    pub oauth2_permission_grants: Vec<OAuth2PermissionGrant>,
    pub app_role_assignments: Vec<AppRoleAssignment>,
    pub devices: Vec<Device>,
    pub mailbox_permissions: Vec<MailboxPermission>,
    pub recipient_permissions: Vec<RecipientPermission>,
    pub inbound_connectors: Vec<InboundConnector>,
    pub transport_rules: Vec<TransportRule>,
    pub conditional_access_policies: Vec<ConditionalAccessPolicy>,
}

/// How many records each file of a snapshot holds (per-user files: summed over users).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordCount {
    /// `(file name, records)` for every file of [`crate::SNAPSHOT_FILES`] but `tenant.json`,
    /// in that order.
    pub per_file: Vec<(&'static str, usize)>,
}

impl RecordCount {
    /// All records together.
    pub fn total(&self) -> usize {
        self.per_file.iter().map(|(_, count)| count).sum()
    }

    /// The count for one file, `None` for a name that is not a collection file.
    pub fn get(&self, file: &str) -> Option<usize> {
        self.per_file
            .iter()
            .find(|(name, _)| *name == file)
            .map(|(_, count)| *count)
    }
}

impl std::fmt::Display for RecordCount {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for (file, count) in &self.per_file {
            writeln!(f, "{file:32} {count:>9}")?;
        }
        write!(f, "{:32} {:>9}", "total", self.total())
    }
}

impl Snapshot {
    /// An empty snapshot of `tenant`.
    pub fn new(tenant: TenantInfo) -> Self {
        Snapshot {
            tenant,
            users: Vec::new(),
            subscribed_skus: Vec::new(),
            sign_ins: Vec::new(),
            directory_audits: Vec::new(),
            audit_records: Vec::new(),
            mailboxes: Vec::new(),
            message_rules: PerUser::new(),
            messages: PerUser::new(),
            authentication_methods: PerUser::new(),
            service_principals: Vec::new(),
            applications: Vec::new(),
            oauth2_permission_grants: Vec::new(),
            app_role_assignments: Vec::new(),
            devices: Vec::new(),
            mailbox_permissions: Vec::new(),
            recipient_permissions: Vec::new(),
            inbound_connectors: Vec::new(),
            transport_rules: Vec::new(),
            conditional_access_policies: Vec::new(),
        }
    }

    /// Hash lookups of users by id and UPN, for callers that look users up per record.
    pub fn user_index(&self) -> UserIndex<'_> {
        UserIndex {
            by_id: self
                .users
                .iter()
                .map(|user| (user.id.as_str(), user))
                .collect(),
            by_upn: self
                .users
                .iter()
                .map(|user| (user.user_principal_name.to_ascii_lowercase(), user))
                .collect(),
        }
    }

    /// The user with object id `id` (a linear scan; see [`Snapshot::user_index`]).
    pub fn user(&self, id: &str) -> Option<&User> {
        self.users.iter().find(|user| user.id == id)
    }

    /// The user whose UPN is `upn`, compared case-insensitively (a linear scan).
    pub fn user_by_upn(&self, upn: &str) -> Option<&User> {
        self.users.iter().find(|user| user.has_upn(upn))
    }

    /// The mailbox of the user with object id `user_id`.
    pub fn mailbox(&self, user_id: &str) -> Option<&Mailbox> {
        self.mailboxes
            .iter()
            .find(|mailbox| mailbox.user_id == user_id)
    }

    /// The service principal with object id `id`.
    pub fn service_principal(&self, id: &str) -> Option<&ServicePrincipal> {
        self.service_principals.iter().find(|sp| sp.id == id)
    }

    /// The service principal of the application with app id `app_id`.
    pub fn service_principal_by_app_id(&self, app_id: &str) -> Option<&ServicePrincipal> {
        self.service_principals
            .iter()
            .find(|sp| sp.app_id.eq_ignore_ascii_case(app_id))
    }

    /// A user's inbox rules (empty when none).
    pub fn message_rules_of(&self, user_id: &str) -> &[MessageRule] {
        self.message_rules.get(user_id).map_or(&[], Vec::as_slice)
    }

    /// A user's messages (empty when none).
    pub fn messages_of(&self, user_id: &str) -> &[Message] {
        self.messages.get(user_id).map_or(&[], Vec::as_slice)
    }

    /// A user's authentication methods (empty when none).
    pub fn authentication_methods_of(&self, user_id: &str) -> &[AuthenticationMethod] {
        self.authentication_methods
            .get(user_id)
            .map_or(&[], Vec::as_slice)
    }

    /// Devices whose registered owners include the user `user_id`.
    pub fn devices_of<'a>(&'a self, user_id: &'a str) -> impl Iterator<Item = &'a Device> + 'a {
        self.devices.iter().filter(move |device| {
            device
                .registered_owners
                .as_deref()
                .unwrap_or_default()
                .iter()
                .any(|owner| owner == user_id)
        })
    }

    /// Records per file.
    pub fn record_count(&self) -> RecordCount {
        fn per_user<T>(map: &PerUser<T>) -> usize {
            map.values().map(Vec::len).sum()
        }
        RecordCount {
            per_file: vec![
                ("users.json", self.users.len()),
                ("subscribedSkus.json", self.subscribed_skus.len()),
                ("signIns.json", self.sign_ins.len()),
                ("directoryAudits.json", self.directory_audits.len()),
                ("auditRecords.json", self.audit_records.len()),
                ("mailboxes.json", self.mailboxes.len()),
                ("messageRules.json", per_user(&self.message_rules)),
                ("messages.json", per_user(&self.messages)),
                (
                    "authenticationMethods.json",
                    per_user(&self.authentication_methods),
                ),
                ("servicePrincipals.json", self.service_principals.len()),
                ("applications.json", self.applications.len()),
                (
                    "oauth2PermissionGrants.json",
                    self.oauth2_permission_grants.len(),
                ),
                ("appRoleAssignments.json", self.app_role_assignments.len()),
                ("devices.json", self.devices.len()),
                ("mailboxPermissions.json", self.mailbox_permissions.len()),
                (
                    "recipientPermissions.json",
                    self.recipient_permissions.len(),
                ),
                ("inboundConnectors.json", self.inbound_connectors.len()),
                ("transportRules.json", self.transport_rules.len()),
                (
                    "conditionalAccessPolicies.json",
                    self.conditional_access_policies.len(),
                ),
            ],
        }
    }
}

/// Users of a snapshot by object id and by UPN (case-insensitive). [`crate::read`] guarantees
/// both are unique, so no user shadows another.
#[derive(Debug, Clone)]
pub struct UserIndex<'a> {
    by_id: HashMap<&'a str, &'a User>,
    by_upn: HashMap<String, &'a User>,
}

impl<'a> UserIndex<'a> {
    /// The user with object id `id`.
    pub fn by_id(&self, id: &str) -> Option<&'a User> {
        self.by_id.get(id).copied()
    }

    /// The user whose UPN is `upn`, compared case-insensitively.
    pub fn by_upn(&self, upn: &str) -> Option<&'a User> {
        self.by_upn.get(&upn.to_ascii_lowercase()).copied()
    }
}
