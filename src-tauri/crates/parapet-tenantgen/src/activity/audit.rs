//! Management Activity API records (Exchange mailbox and admin, SharePoint) and Entra
//! directory audits, in the shapes those APIs return.

use chrono::{DateTime, Utc};
use serde_json::{json, Map, Value};

use crate::time::{ms, whole_seconds};
use crate::world::{Person, World};

/// Who performed a directory change.
pub(crate) enum Initiator<'a> {
    User {
        person: &'a Person,
        ip: &'a str,
    },
    App {
        app_id: &'static str,
        name: &'static str,
    },
}

impl World {
    fn originating_server(&mut self) -> String {
        format!(
            "{}{}PR{:02}MB{} (15.20.{}.{:03})\r\n",
            ["SJ0", "MN2", "CH3", "BL1", "IA1", "DM6"][self.ids.below(6)],
            "",
            self.ids.range(10, 20),
            self.ids.range(1000, 9999),
            self.ids.range(9100, 9400),
            self.ids.range(1, 40)
        )
    }

    /// A mailbox (ExchangeItem) record such as `Send`, `MailItemsAccessed`, `MoveToDeletedItems`.
    /// `extra` adds the operation's own fields (`Item`, `Folders`, `AffectedItems`, ...).
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn push_mailbox_audit(
        &mut self,
        operation: &str,
        person: &Person,
        time: DateTime<Utc>,
        ip: &str,
        client_info: &str,
        app_id: Option<&str>,
        session_id: &str,
        extra: Value,
    ) {
        let time = whole_seconds(time);
        let record_type = if operation == "MailItemsAccessed" {
            50
        } else {
            2
        };
        let server = self.originating_server();
        let mut record = json!({
            "CreationTime": ms(time),
            "Id": self.ids.guid(),
            "Operation": operation,
            "OrganizationId": self.tenant_id,
            "RecordType": record_type,
            "ResultStatus": "Succeeded",
            "UserKey": person.puid,
            "UserType": 0,
            "Version": 1,
            "Workload": "Exchange",
            "ClientIP": ip,
            "UserId": person.upn,
            "ClientIPAddress": ip,
            "ClientInfoString": client_info,
            "ExternalAccess": false,
            "InternalLogonType": 0,
            "LogonType": 0,
            "LogonUserSid": person.sid,
            "MailboxGuid": person.mailbox_guid,
            "MailboxOwnerSid": person.sid,
            "MailboxOwnerUPN": person.upn,
            "OrganizationName": self.onmicrosoft,
            "OriginatingServer": server,
            "SessionId": session_id,
        });
        if let (Some(map), Some(app)) = (record.as_object_mut(), app_id) {
            map.insert("AppId".into(), json!(app));
            map.insert("ClientAppId".into(), json!(app));
        }
        merge(&mut record, extra);
        self.audit_records.push((time, record));
    }

    /// An Exchange admin cmdlet record (`New-InboxRule`, `Set-Mailbox`, `New-InboundConnector`).
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn push_exchange_admin(
        &mut self,
        operation: &str,
        actor: &Person,
        time: DateTime<Utc>,
        ip: &str,
        object_id: &str,
        parameters: &[(&str, &str)],
        app_id: &str,
    ) {
        let time = whole_seconds(time);
        let server = self.originating_server();
        let port = self.ids.range(1025, 65000);
        let parameters: Vec<Value> = parameters
            .iter()
            .map(|(name, value)| json!({"Name": name, "Value": value}))
            .collect();
        let record = json!({
            "CreationTime": ms(time),
            "Id": self.ids.guid(),
            "Operation": operation,
            "OrganizationId": self.tenant_id,
            "RecordType": 1,
            "ResultStatus": "True",
            "UserKey": actor.puid,
            "UserType": 2,
            "Version": 1,
            "Workload": "Exchange",
            "ClientIP": format!("{ip}:{port}"),
            "UserId": actor.upn,
            "ObjectId": object_id,
            "AppId": app_id,
            "ClientAppId": "",
            "ExternalAccess": false,
            "OrganizationName": self.onmicrosoft,
            "OriginatingServer": server,
            "Parameters": parameters,
            "SessionId": self.ids.guid(),
        });
        self.audit_records.push((time, record));
    }

    /// The `ObjectId` Exchange gives an inbox rule: the mailbox's path, `\`, the rule name.
    pub(crate) fn rule_object_id(&self, person: &Person, rule_name: &str) -> String {
        format!(
            "NAMPR20A012.prod.outlook.com/Microsoft Exchange Hosted Organizations/{}/{}\\{rule_name}",
            self.onmicrosoft, person.alias
        )
    }

    /// A SharePoint file operation (`FileAccessed`, `FileModified`, `FileDownloaded`).
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn push_file_audit(
        &mut self,
        operation: &str,
        person: &Person,
        time: DateTime<Utc>,
        ip: &str,
        user_agent: &str,
        site: &str,
        file: &str,
    ) {
        let time = whole_seconds(time);
        let host = self
            .spec
            .domain
            .split('.')
            .next()
            .unwrap_or("tenant")
            .to_owned();
        let extension = file.rsplit('.').next().unwrap_or("");
        let record = json!({
            "CreationTime": ms(time),
            "Id": self.ids.guid(),
            "Operation": operation,
            "OrganizationId": self.tenant_id,
            "RecordType": 6,
            "ResultStatus": "Succeeded",
            "UserKey": format!("i:0h.f|membership|{}@live.com", person.puid.to_lowercase()),
            "UserType": 0,
            "Version": 1,
            "Workload": "SharePoint",
            "ClientIP": ip,
            "UserId": person.upn,
            "ObjectId": format!("https://{host}.sharepoint.com/sites/{site}/Shared Documents/{file}"),
            "CorrelationId": self.ids.guid(),
            "EventSource": "SharePoint",
            "ItemType": "File",
            "ListId": self.ids.guid(),
            "ListItemUniqueId": self.ids.guid(),
            "Site": self.ids.guid(),
            "UserAgent": user_agent,
            "WebId": self.ids.guid(),
            "GeoLocation": "NAM",
            "IsManagedDevice": true,
            "SourceFileExtension": extension,
            "SiteUrl": format!("https://{host}.sharepoint.com/sites/{site}/"),
            "SourceFileName": file,
            "SourceRelativeUrl": "Shared Documents",
            "AuthenticationType": "OAuth",
        });
        self.audit_records.push((time, record));
    }

    /// An Entra directory audit. `id_prefix` is the logging service's prefix (`Directory`,
    /// `UserManagement`, `DRS`, `SSPR`); related audits share `correlation`.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn push_directory_audit(
        &mut self,
        time: DateTime<Utc>,
        id_prefix: &str,
        correlation: &str,
        category: &str,
        activity: &str,
        service: &str,
        operation_type: &str,
        initiator: Initiator<'_>,
        targets: Vec<Value>,
        additional: &[(&str, &str)],
        result_reason: &str,
    ) {
        let initiated_by = match initiator {
            Initiator::User { person, ip } => json!({
                "user": {"id": person.id, "displayName": null, "userPrincipalName": person.upn, "ipAddress": ip,
                         "userType": null, "homeTenantId": null, "homeTenantName": null},
                "app": null,
            }),
            Initiator::App { app_id, name } => {
                let sp = self.sp_ids.get(app_id).cloned().unwrap_or_default();
                json!({"user": null, "app": {"appId": app_id, "displayName": name, "servicePrincipalId": sp, "servicePrincipalName": name}})
            }
        };
        let suffix = self.ids.hex_upper(5);
        let number = self.ids.range(10_000_000, 99_999_999);
        let additional: Vec<Value> = additional
            .iter()
            .map(|(key, value)| json!({"key": key, "value": value}))
            .collect();
        let record = json!({
            "id": format!("{id_prefix}_{correlation}_{suffix}_{number}"),
            "category": category,
            "correlationId": correlation,
            "result": "success",
            "resultReason": result_reason,
            "activityDisplayName": activity,
            "activityDateTime": ms(time),
            "loggedByService": service,
            "operationType": operation_type,
            "initiatedBy": initiated_by,
            "targetResources": targets,
            "additionalDetails": additional,
        });
        self.directory_audits.push((time, record));
    }
}

/// A directory audit target.
pub(crate) fn target(
    id: &str,
    display_name: Option<&str>,
    kind: &str,
    upn: Option<&str>,
    modified: Vec<Value>,
) -> Value {
    json!({
        "id": id, "displayName": display_name, "type": kind, "userPrincipalName": upn,
        "groupType": null, "modifiedProperties": modified,
    })
}

/// A modified property; values are JSON text as Graph sends them.
pub(crate) fn modified(name: &str, old: Option<&str>, new: &str) -> Value {
    json!({"displayName": name, "oldValue": old, "newValue": new})
}

/// Adds `extra`'s fields to `record` (both objects).
pub(crate) fn merge(record: &mut Value, extra: Value) {
    if let (Some(map), Value::Object(extra)) = (record.as_object_mut(), extra) {
        let extra: Map<String, Value> = extra;
        for (key, value) in extra {
            map.insert(key, value);
        }
    }
}
