use reqwest::Method;
use serde_json::{json, Value};

use crate::client::{ApiVersion, TenantClient};
use crate::error::GraphError;
use crate::graph::query::{odata_string, segment, ODataQuery};
use crate::model::mail::{Message, MessageRule};
use crate::transport::batch::BatchRequest;
use crate::transport::paging::Pager;

/// Which messages to find. Values are quoted as OData literals, never spliced raw.
#[derive(Debug, Clone)]
pub enum MessageFilter {
    /// The RFC 5322 Message-ID, angle brackets included.
    InternetMessageId(String),
    Subject(String),
    FromAddress(String),
    /// Both at once (one query, filtered by Exchange rather than by the client).
    FromAddressAndSubject {
        address: String,
        subject: String,
    },
}

const MESSAGE_FIELDS: &[&str] = &[
    "id",
    "internetMessageId",
    "subject",
    "from",
    "sender",
    "receivedDateTime",
    "parentFolderId",
];

impl TenantClient {
    /// `GET /users/{id}/messages?$filter=…` (within the mailbox concurrency limit).
    pub fn messages(&self, user: &str, filter: &MessageFilter) -> Pager<Message> {
        let clause = match filter {
            MessageFilter::InternetMessageId(id) => {
                format!("internetMessageId eq {}", odata_string(id))
            }
            MessageFilter::Subject(s) => format!("subject eq {}", odata_string(s)),
            MessageFilter::FromAddress(a) => {
                format!("from/emailAddress/address eq {}", odata_string(a))
            }
            MessageFilter::FromAddressAndSubject { address, subject } => format!(
                "from/emailAddress/address eq {} and subject eq {}",
                odata_string(address),
                odata_string(subject)
            ),
        };
        let query = ODataQuery::new()
            .select(MESSAGE_FIELDS)
            .filter(clause)
            .top(100);
        let mut pager_request = self.graph_request(
            Method::GET,
            ApiVersion::V1,
            &format!(
                "users/{}/messages{}",
                segment(user),
                query.to_query_string()
            ),
        );
        pager_request = pager_request.mailbox(user);
        crate::transport::paging::Pager::new(
            self.clone(),
            pager_request,
            crate::transport::paging::PageStyle::ODataGet,
        )
    }

    /// `POST /users/{id}/messages/{id}/move` → 201 with the moved copy, which has a new id.
    pub async fn move_message(
        &self,
        user: &str,
        message_id: &str,
        destination: &str,
    ) -> Result<Message, GraphError> {
        let request = self
            .graph_request(
                Method::POST,
                ApiVersion::V1,
                &format!(
                    "users/{}/messages/{}/move",
                    segment(user),
                    segment(message_id)
                ),
            )
            .json(json!({ "destinationId": destination }))
            .mailbox(user);
        self.send_json(&request).await
    }

    /// `GET /users/{id}/mailFolders/inbox/messageRules`
    pub async fn inbox_rules(&self, user: &str) -> Result<Vec<MessageRule>, GraphError> {
        let request = self
            .graph_request(Method::GET, ApiVersion::V1, &inbox_rules_path(user))
            .mailbox(user);
        Pager::new(
            self.clone(),
            request,
            crate::transport::paging::PageStyle::ODataGet,
        )
        .collect_all()
        .await
    }

    /// Inbox rules of many users in `$batch` round trips; one result per user, in order.
    pub async fn inbox_rules_of_users(
        &self,
        users: &[String],
    ) -> Result<crate::graph::PerUser<MessageRule>, GraphError> {
        self.collections_of_users(users, |u| format!("/{}", inbox_rules_path(u)), Some(true))
            .await
    }

    /// `PATCH …/messageRules/{id}` → 200 with the rule (unconfirmed; a 204 is followed by a GET).
    pub async fn update_inbox_rule(
        &self,
        user: &str,
        rule_id: &str,
        patch: Value,
    ) -> Result<MessageRule, GraphError> {
        let path = format!("{}/{}", inbox_rules_path(user), segment(rule_id));
        let request = self
            .graph_request(Method::PATCH, ApiVersion::V1, &path)
            .json(patch)
            .idempotent(true)
            .mailbox(user);
        let response = self.send_ok(&request).await?;
        if response.status == 204 || response.body.is_empty() {
            let get = self
                .graph_request(Method::GET, ApiVersion::V1, &path)
                .mailbox(user);
            return self.send_json(&get).await;
        }
        crate::client::decode(&request.method, &request.url, &response.body)
    }

    /// `DELETE …/messageRules/{id}` → 204.
    pub async fn delete_inbox_rule(&self, user: &str, rule_id: &str) -> Result<(), GraphError> {
        self.graph_delete(
            &format!("{}/{}", inbox_rules_path(user), segment(rule_id)),
            Some(user),
        )
        .await
    }

    /// Fetches one collection per user through `$batch`, following any inner nextLink.
    pub(crate) async fn collections_of_users<T, F>(
        &self,
        users: &[String],
        relative_url: F,
        per_mailbox: Option<bool>,
    ) -> Result<crate::graph::PerUser<T>, GraphError>
    where
        T: serde::de::DeserializeOwned,
        F: Fn(&str) -> String,
    {
        let requests: Vec<BatchRequest> = users
            .iter()
            .enumerate()
            .map(|(i, u)| BatchRequest::get(i.to_string(), relative_url(u)))
            .collect();
        let answers = self.batch(ApiVersion::V1, requests).await?;
        let mut out = Vec::with_capacity(users.len());
        for (user, answer) in users.iter().zip(answers) {
            let result = match answer {
                Err(e) => Err(e),
                Ok(item) => {
                    let body = item.body.unwrap_or(Value::Null);
                    let next = body
                        .get("@odata.nextLink")
                        .and_then(Value::as_str)
                        .map(str::to_string);
                    let first: Result<Vec<T>, GraphError> = serde_json::from_value(
                        body.get("value").cloned().unwrap_or(Value::Array(vec![])),
                    )
                    .map_err(|e| GraphError::Decode {
                        what: format!("GET {} (in $batch)", relative_url(user)),
                        message: e.to_string(),
                    });
                    match (first, next) {
                        (Ok(mut items), Some(next)) => {
                            let mut request = crate::client::ApiRequest::new(
                                Method::GET,
                                crate::endpoints::Resource::Graph,
                                next,
                            );
                            if per_mailbox == Some(true) {
                                request = request.mailbox(user);
                            }
                            match Pager::<T>::new(
                                self.clone(),
                                request,
                                crate::transport::paging::PageStyle::ODataGet,
                            )
                            .collect_all()
                            .await
                            {
                                Ok(rest) => {
                                    items.extend(rest);
                                    Ok(items)
                                }
                                Err(e) => Err(e),
                            }
                        }
                        (first, _) => first,
                    }
                }
            };
            out.push((user.clone(), result));
        }
        Ok(out)
    }
}

fn inbox_rules_path(user: &str) -> String {
    format!("users/{}/mailFolders/inbox/messageRules", segment(user))
}
