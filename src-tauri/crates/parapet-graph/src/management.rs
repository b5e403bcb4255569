//! Office 365 Management Activity API: subscriptions, content listing (paged by the
//! `NextPageUri` header) and content blobs.

use chrono::{DateTime, Utc};
use reqwest::Method;

use crate::client::{ApiRequest, TenantClient};
use crate::endpoints::Resource;
use crate::error::GraphError;
use crate::graph::query::encode;
use crate::model::management::{AuditRecord, ContentBlob, Subscription};
use crate::transport::paging::{PageStyle, Pager};

/// The documented content types.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ContentType {
    AzureActiveDirectory,
    Exchange,
    SharePoint,
    General,
    DlpAll,
}

impl ContentType {
    pub fn as_str(self) -> &'static str {
        match self {
            ContentType::AzureActiveDirectory => "Audit.AzureActiveDirectory",
            ContentType::Exchange => "Audit.Exchange",
            ContentType::SharePoint => "Audit.SharePoint",
            ContentType::General => "Audit.General",
            ContentType::DlpAll => "DLP.All",
        }
    }
}

impl TenantClient {
    fn management_request(
        &self,
        method: Method,
        operation: &str,
        query: &[(&str, String)],
    ) -> ApiRequest {
        let mut pairs: Vec<String> = query
            .iter()
            .map(|(k, v)| format!("{k}={}", encode(v)))
            .collect();
        if let Some(publisher) = &self.shared.config.publisher_identifier {
            pairs.push(format!("PublisherIdentifier={}", encode(publisher)));
        }
        let mut url = self.management_url(operation);
        if !pairs.is_empty() {
            url = format!("{url}?{}", pairs.join("&"));
        }
        ApiRequest::new(method, Resource::Management, url)
    }

    /// `POST subscriptions/start?contentType=…` → 200 with the subscription. Starting an
    /// already-enabled subscription is harmless, so it is retried like a read.
    pub async fn start_subscription(
        &self,
        content_type: ContentType,
    ) -> Result<Subscription, GraphError> {
        let request = self
            .management_request(
                Method::POST,
                "subscriptions/start",
                &[("contentType", content_type.as_str().to_string())],
            )
            .idempotent(true);
        self.send_json(&request).await
    }

    pub async fn list_subscriptions(&self) -> Result<Vec<Subscription>, GraphError> {
        self.send_json(&self.management_request(Method::GET, "subscriptions/list", &[]))
            .await
    }

    /// `GET subscriptions/content` for `[start, end)` (≤ 24 h, start ≤ 7 days ago).
    pub fn list_content(
        &self,
        content_type: ContentType,
        start: DateTime<Utc>,
        end: DateTime<Utc>,
    ) -> Pager<ContentBlob> {
        let format = |t: DateTime<Utc>| t.format("%Y-%m-%dT%H:%M:%SZ").to_string();
        let request = self.management_request(
            Method::GET,
            "subscriptions/content",
            &[
                ("contentType", content_type.as_str().to_string()),
                ("startTime", format(start)),
                ("endTime", format(end)),
            ],
        );
        Pager::new(self.clone(), request, PageStyle::NextPageUriHeader)
    }

    /// `GET {contentUri}`: the records of one blob. The URI comes from Microsoft, so it goes
    /// through the tenant check like every other URL.
    pub async fn fetch_content(&self, blob: &ContentBlob) -> Result<Vec<AuditRecord>, GraphError> {
        let mut url = blob.content_uri.clone();
        if let Some(publisher) = &self.shared.config.publisher_identifier {
            if !url.contains("PublisherIdentifier=") {
                let sep = if url.contains('?') { '&' } else { '?' };
                url = format!("{url}{sep}PublisherIdentifier={}", encode(publisher));
            }
        }
        self.send_json(&ApiRequest::new(Method::GET, Resource::Management, url))
            .await
    }
}
