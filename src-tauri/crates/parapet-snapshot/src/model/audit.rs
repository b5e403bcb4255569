//! Audit logs: Entra directory audits and Office 365 Management Activity records.

use chrono::{DateTime, Utc};

use crate::record::record;

record! {
    /// `directoryAudits.json`: one item of `GET /auditLogs/directoryAudits`.
    pub struct DirectoryAudit {
        required {
            id: String = "id",
            activity_date_time: DateTime<Utc> = "activityDateTime",
        }
        optional {
            /// e.g. `UserManagement`, `ApplicationManagement`, `GroupManagement`.
            category: String = "category",
            correlation_id: String = "correlationId",
            /// `success`, `failure`, `timeout`, `unknownFutureValue`.
            result: String = "result",
            result_reason: String = "resultReason",
            /// e.g. `Consent to application`, `User registered security info`.
            activity_display_name: String = "activityDisplayName",
            logged_by_service: String = "loggedByService",
            operation_type: String = "operationType",
            initiated_by: AuditActivityInitiator = "initiatedBy",
            target_resources: Vec<TargetResource> = "targetResources",
            additional_details: Vec<KeyValue> = "additionalDetails",
        }
    }
}

record! {
    /// A directory audit's `initiatedBy`: a user or an app.
    pub struct AuditActivityInitiator {
        required {}
        optional {
            user: AuditUserIdentity = "user",
            app: AppIdentity = "app",
        }
    }
}

record! {
    /// `initiatedBy.user`.
    pub struct AuditUserIdentity {
        required {}
        optional {
            id: String = "id",
            display_name: String = "displayName",
            user_principal_name: String = "userPrincipalName",
            ip_address: String = "ipAddress",
            user_type: String = "userType",
            home_tenant_id: String = "homeTenantId",
            home_tenant_name: String = "homeTenantName",
        }
    }
}

record! {
    /// `initiatedBy.app`.
    pub struct AppIdentity {
        required {}
        optional {
            app_id: String = "appId",
            display_name: String = "displayName",
            service_principal_id: String = "servicePrincipalId",
            service_principal_name: String = "servicePrincipalName",
        }
    }
}

record! {
    /// One of a directory audit's `targetResources`.
    pub struct TargetResource {
        required {}
        optional {
            id: String = "id",
            display_name: String = "displayName",
            /// `type`; older records spell it `Type`, see [`TargetResource::kind`].
            resource_type: String = "type",
            user_principal_name: String = "userPrincipalName",
            group_type: String = "groupType",
            modified_properties: Vec<ModifiedProperty> = "modifiedProperties",
        }
    }
}

impl TargetResource {
    /// The resource type (`User`, `Group`, `ServicePrincipal`, ...), whether spelt `type` or, as
    /// in older records, `Type`.
    pub fn kind(&self) -> Option<&str> {
        self.resource_type
            .as_deref()
            .or_else(|| self.extra.get("Type").and_then(serde_json::Value::as_str))
    }
}

record! {
    /// A changed property in a directory audit. Values are JSON-encoded strings as Graph sends them.
    pub struct ModifiedProperty {
        required {}
        optional {
            display_name: String = "displayName",
            old_value: String = "oldValue",
            new_value: String = "newValue",
        }
    }
}

record! {
    /// A `{key, value}` pair (directory audit `additionalDetails`).
    pub struct KeyValue {
        required {}
        optional {
            key: String = "key",
            value: String = "value",
        }
    }
}

record! {
    /// `auditRecords.json`: one record in the Office 365 Management Activity API schema
    /// (PascalCase), as a content blob or the `auditData` of a Purview audit query returns it.
    pub struct AuditRecord {
        required {
            /// UTC; the Management Activity API writes it without an offset.
            creation_time: DateTime<Utc> = "CreationTime",
            id: String = "Id",
            /// e.g. `New-InboxRule`, `Set-Mailbox`, `MailItemsAccessed`, `UserLoggedIn`.
            operation: String = "Operation",
            /// 1 ExchangeAdmin, 2 ExchangeItem, 3 ExchangeItemGroup, 8 AzureActiveDirectory,
            /// 15 AzureActiveDirectoryStsLogon, ...
            record_type: i64 = "RecordType",
            /// Usually the acting user's UPN.
            user_id: String = "UserId",
        }
        optional {
            client_ip: String = "ClientIP",
            /// `Exchange`, `AzureActiveDirectory`, `SharePoint`, `OneDrive`, ...
            workload: String = "Workload",
            result_status: String = "ResultStatus",
            organization_id: String = "OrganizationId",
            user_key: String = "UserKey",
            user_type: i64 = "UserType",
            object_id: String = "ObjectId",
            /// Cmdlet parameters of Exchange admin records (`New-InboxRule`, `Set-Mailbox`, ...).
            parameters: Vec<NameValue> = "Parameters",
            extended_properties: Vec<NameValue> = "ExtendedProperties",
            operation_properties: Vec<NameValue> = "OperationProperties",
            client_ip_address: String = "ClientIPAddress",
            client_info_string: String = "ClientInfoString",
            /// 0 Owner, 1 Admin, 2 Delegated, ...
            logon_type: i64 = "LogonType",
            external_access: bool = "ExternalAccess",
            mailbox_owner_upn: String = "MailboxOwnerUPN",
            mailbox_guid: String = "MailboxGuid",
            session_id: String = "SessionId",
            app_id: String = "AppId",
            client_app_id: String = "ClientAppId",
            user_agent: String = "UserAgent",
        }
        tolerant {
            /// Entra logons (`UserLoggedIn`): `Id`, `SessionId`, `OS`, `BrowserType`, ...
            device_properties: Vec<NameValue> = "DeviceProperties",
            /// Entra records: who acted and on what, as `{ID, Type}` pairs.
            actor: Vec<IdentityTypeValue> = "Actor",
            target: Vec<IdentityTypeValue> = "Target",
            // The mailbox items and folders below are most of a tenant's audit log (every
            // `MailItemsAccessed` lists the items read); typed records take a fraction of the
            // memory of the same objects kept as JSON in `extra`. Single ones are boxed: most
            // records have none.
            /// The item acted on (`Send`, `Create`, `Update`, ...).
            item: Box<ExchangeItem> = "Item",
            /// The items acted on (`MoveToDeletedItems`, `SoftDelete`, `HardDelete`, ...).
            affected_items: Vec<ExchangeItem> = "AffectedItems",
            /// `MailItemsAccessed`: the folders read, each with the items read in it.
            folders: Vec<ExchangeFolder> = "Folders",
            folder: Box<ExchangeFolder> = "Folder",
            dest_folder: Box<ExchangeFolder> = "DestFolder",
        }
    }
}

record! {
    /// A mailbox item in a Management Activity record (`ExchangeItem` of the schema).
    pub struct ExchangeItem {
        required {}
        optional {
            id: String = "Id",
            internet_message_id: String = "InternetMessageId",
            subject: String = "Subject",
            size_in_bytes: serde_json::Number = "SizeInBytes",
            parent_folder: Box<ExchangeFolder> = "ParentFolder",
        }
    }
}

record! {
    /// A mailbox folder in a Management Activity record (`ExchangeFolder` of the schema).
    pub struct ExchangeFolder {
        required {}
        optional {
            id: String = "Id",
            /// e.g. `\Inbox`, `\Sent Items`.
            path: String = "Path",
            /// `MailItemsAccessed`: the items read in the folder.
            folder_items: Vec<ExchangeItem> = "FolderItems",
        }
    }
}

record! {
    /// An `{ID, Type}` pair of an Entra Management Activity record's `Actor` or `Target`.
    pub struct IdentityTypeValue {
        required {}
        optional {
            id: String = "ID",
            /// 0 Claim, 1 Name, 2 Other, 3 PUID, 4 SPN, 5 UPN.
            id_type: i64 = "Type",
        }
    }
}

impl AuditRecord {
    /// The value of the cmdlet parameter `name` (compared case-insensitively, as PowerShell does).
    pub fn parameter(&self, name: &str) -> Option<&str> {
        self.parameters
            .as_deref()?
            .iter()
            .find(|parameter| {
                parameter
                    .name
                    .as_deref()
                    .is_some_and(|n| n.eq_ignore_ascii_case(name))
            })
            .and_then(|parameter| parameter.value.as_deref())
    }
}

record! {
    /// A `{Name, Value}` pair of a Management Activity record.
    pub struct NameValue {
        required {}
        optional {
            name: String = "Name",
            value: String = "Value",
        }
    }
}
