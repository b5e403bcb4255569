//! Exchange Online cmdlets through the (undocumented) `adminapi` InvokeCommand endpoint, the
//! only API for mailbox forwarding, hidden inbox rules, connectors and transport rules.

use reqwest::Method;
use serde::de::DeserializeOwned;
use serde_json::{json, Map, Value};

use crate::client::{ApiRequest, TenantClient};
use crate::endpoints::Resource;
use crate::error::GraphError;
use crate::model::exchange::{
    InboundConnector, InboxRule, Mailbox, MailboxPermission, TransportRule,
};
use crate::transport::paging::{PageStyle, Pager};

impl TenantClient {
    /// Any cmdlet, every page of its output.
    pub async fn invoke(&self, cmdlet: &str, parameters: Value) -> Result<Vec<Value>, GraphError> {
        self.invoke_pages(cmdlet, parameters).collect_all().await
    }

    /// Any cmdlet, page by page (`@odata.nextLink`, re-POSTing the same body).
    pub fn invoke_pages<T: DeserializeOwned>(&self, cmdlet: &str, parameters: Value) -> Pager<T> {
        let parameters = match parameters {
            Value::Null => Value::Object(Map::new()),
            other => other,
        };
        // Reads and "set to this value" cmdlets can be repeated; New-/Add- cannot.
        let idempotent = !(cmdlet.starts_with("New-") || cmdlet.starts_with("Add-"));
        let request = ApiRequest::new(
            Method::POST,
            Resource::Exchange,
            self.exchange_url("InvokeCommand"),
        )
        .json(json!({ "CmdletInput": { "CmdletName": cmdlet, "Parameters": parameters } }))
        .header(
            "X-AnchorMailbox",
            format!(
                "APP:SystemMailbox{{bb558c35-97f1-4cb9-8ff7-d53741dc928c}}@{}",
                self.tenant()
            ),
        )
        .header("Prefer", "odata.maxpagesize=1000")
        .idempotent(idempotent);
        Pager::new(self.clone(), request, PageStyle::ODataRepost)
    }

    async fn invoke_typed<T: DeserializeOwned>(
        &self,
        cmdlet: &str,
        parameters: Value,
    ) -> Result<Vec<T>, GraphError> {
        self.invoke_pages(cmdlet, parameters).collect_all().await
    }

    /// `Get-Mailbox -Identity x`; `None` when Exchange returns no object.
    pub async fn mailbox(&self, identity: &str) -> Result<Option<Mailbox>, GraphError> {
        let mut all: Vec<Mailbox> = self
            .invoke_typed("Get-Mailbox", json!({ "Identity": identity }))
            .await?;
        Ok(if all.is_empty() {
            None
        } else {
            Some(all.remove(0))
        })
    }

    /// `Get-Mailbox -ResultSize Unlimited`, paged.
    pub fn mailboxes(&self) -> Pager<Mailbox> {
        self.invoke_pages("Get-Mailbox", json!({ "ResultSize": "Unlimited" }))
    }

    /// `Set-Mailbox` forwarding; `None` clears both forwarding properties.
    pub async fn set_mailbox_forwarding(
        &self,
        identity: &str,
        forwarding_smtp_address: Option<&str>,
        deliver_to_mailbox_and_forward: bool,
    ) -> Result<(), GraphError> {
        let mut parameters = json!({
            "Identity": identity,
            "ForwardingSmtpAddress": forwarding_smtp_address,
            "DeliverToMailboxAndForward": deliver_to_mailbox_and_forward,
        });
        if forwarding_smtp_address.is_none() {
            parameters["ForwardingAddress"] = Value::Null;
        }
        self.invoke("Set-Mailbox", parameters).await.map(drop)
    }

    /// `Get-InboxRule -Mailbox x -IncludeHidden` (finds rules Graph does not show).
    pub async fn exchange_inbox_rules(&self, mailbox: &str) -> Result<Vec<InboxRule>, GraphError> {
        self.invoke_typed(
            "Get-InboxRule",
            json!({ "Mailbox": mailbox, "IncludeHidden": true }),
        )
        .await
    }

    /// `Remove-InboxRule -Identity x -Confirm:$false`
    pub async fn remove_exchange_inbox_rule(&self, identity: &str) -> Result<(), GraphError> {
        self.invoke(
            "Remove-InboxRule",
            json!({ "Identity": identity, "Confirm": false }),
        )
        .await
        .map(drop)
    }

    pub async fn inbound_connectors(&self) -> Result<Vec<InboundConnector>, GraphError> {
        self.invoke_typed("Get-InboundConnector", json!({})).await
    }

    /// `Set-InboundConnector -Identity x -Enabled:$false` (or true).
    pub async fn set_inbound_connector_enabled(
        &self,
        identity: &str,
        enabled: bool,
    ) -> Result<(), GraphError> {
        self.invoke(
            "Set-InboundConnector",
            json!({ "Identity": identity, "Enabled": enabled }),
        )
        .await
        .map(drop)
    }

    pub async fn remove_inbound_connector(&self, identity: &str) -> Result<(), GraphError> {
        self.invoke(
            "Remove-InboundConnector",
            json!({ "Identity": identity, "Confirm": false }),
        )
        .await
        .map(drop)
    }

    pub async fn transport_rules(&self) -> Result<Vec<TransportRule>, GraphError> {
        self.invoke_typed("Get-TransportRule", json!({})).await
    }

    pub async fn disable_transport_rule(&self, identity: &str) -> Result<(), GraphError> {
        self.invoke(
            "Disable-TransportRule",
            json!({ "Identity": identity, "Confirm": false }),
        )
        .await
        .map(drop)
    }

    pub async fn remove_transport_rule(&self, identity: &str) -> Result<(), GraphError> {
        self.invoke(
            "Remove-TransportRule",
            json!({ "Identity": identity, "Confirm": false }),
        )
        .await
        .map(drop)
    }

    /// `Get-MailboxPermission -Identity x` (FullAccess grants and their holders).
    pub async fn mailbox_permissions(
        &self,
        identity: &str,
    ) -> Result<Vec<MailboxPermission>, GraphError> {
        self.invoke_typed("Get-MailboxPermission", json!({ "Identity": identity }))
            .await
    }

    /// `Remove-MailboxPermission -Identity x -User y -AccessRights … -Confirm:$false`
    pub async fn remove_mailbox_permission(
        &self,
        identity: &str,
        user: &str,
        access_rights: &[&str],
    ) -> Result<(), GraphError> {
        self.invoke(
            "Remove-MailboxPermission",
            json!({ "Identity": identity, "User": user, "AccessRights": access_rights, "Confirm": false }),
        )
        .await
        .map(drop)
    }
}
