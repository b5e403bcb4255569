//! Page-at-a-time iteration over Graph `@odata.nextLink`, Exchange InvokeCommand nextLink and
//! the Management Activity API `NextPageUri` header, so a large result never has to sit in
//! memory whole (and never twice).

use std::marker::PhantomData;

use serde::de::DeserializeOwned;
use serde::Deserialize;

use crate::client::{decode, path_of, ApiRequest, TenantClient};
use crate::error::GraphError;

/// Where the link to the next page lives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PageStyle {
    /// `{"value":[...], "@odata.nextLink": "..."}`, next page by GET.
    ODataGet,
    /// Exchange InvokeCommand: same body shape, next page by POSTing the same body again.
    ODataRepost,
    /// Management Activity API: a bare JSON array, next page in the `NextPageUri` header.
    NextPageUriHeader,
}

/// One page of a Graph (or InvokeCommand) collection.
#[derive(Debug, Deserialize)]
pub struct ODataPage<T> {
    #[serde(default = "Vec::new")]
    pub value: Vec<T>,
    #[serde(rename = "@odata.nextLink", default)]
    pub next_link: Option<String>,
    /// Exchange InvokeCommand's non-fatal messages.
    #[serde(rename = "@adminapi.warnings", default)]
    pub warnings: Option<serde_json::Value>,
}

/// Pages of `T`, fetched one request at a time as the caller asks.
pub struct Pager<T> {
    client: TenantClient,
    request: Option<ApiRequest>,
    style: PageStyle,
    pages: u32,
    previous_url: Option<String>,
    warnings: Vec<String>,
    _items: PhantomData<fn() -> T>,
}

impl<T: DeserializeOwned> Pager<T> {
    pub(crate) fn new(client: TenantClient, first: ApiRequest, style: PageStyle) -> Self {
        Pager {
            client,
            request: Some(first),
            style,
            pages: 0,
            previous_url: None,
            warnings: Vec::new(),
            _items: PhantomData,
        }
    }

    /// The next page, or `None` after the last. Empty pages in the middle are returned as
    /// empty vectors (Microsoft sends them; the link after them still counts).
    pub async fn next_page(&mut self) -> Result<Option<Vec<T>>, GraphError> {
        let Some(request) = self.request.take() else {
            return Ok(None);
        };
        let response = self.client.send_ok(&request).await?;
        self.pages += 1;
        let (items, next) = match self.style {
            PageStyle::ODataGet | PageStyle::ODataRepost => {
                let page: ODataPage<T> = decode(&request.method, &request.url, &response.body)
                    .map_err(|e| self.explain(e, &request, &response.body))?;
                self.keep_warnings(page.warnings);
                (page.value, page.next_link)
            }
            PageStyle::NextPageUriHeader => {
                let items: Vec<T> = if response.body.iter().all(u8::is_ascii_whitespace) {
                    Vec::new()
                } else {
                    decode(&request.method, &request.url, &response.body)
                        .map_err(|e| self.explain(e, &request, &response.body))?
                };
                (items, response.header("NextPageUri").map(str::to_string))
            }
        };
        if let Some(next) = next.filter(|n| !n.is_empty()) {
            if self.previous_url.as_deref() == Some(next.as_str()) || next == request.url {
                return Err(GraphError::Decode {
                    what: format!("{} {}", request.method, path_of(&request.url)),
                    message: format!(
                        "the next-page link repeats itself after page {}",
                        self.pages
                    ),
                });
            }
            let mut following = request.clone();
            if self.style == PageStyle::ODataGet || self.style == PageStyle::NextPageUriHeader {
                following.method = reqwest::Method::GET;
                following.body = None;
            }
            self.previous_url = Some(request.url);
            following.url = next;
            self.request = Some(following);
        }
        Ok(Some(items))
    }

    /// Calls `each` with every page in order; stops at the first error (from Microsoft or
    /// from `each`).
    pub async fn for_each_page<F>(mut self, mut each: F) -> Result<u64, GraphError>
    where
        F: FnMut(Vec<T>) -> Result<(), GraphError>,
    {
        let mut count = 0u64;
        while let Some(page) = self.next_page().await? {
            count += page.len() as u64;
            each(page)?;
        }
        Ok(count)
    }

    /// Every item of every page. Use [`Pager::for_each_page`] for large logs.
    pub async fn collect_all(mut self) -> Result<Vec<T>, GraphError> {
        let mut all = Vec::new();
        while let Some(page) = self.next_page().await? {
            all.extend(page);
        }
        Ok(all)
    }

    /// Names the record that failed to decode (index and id), which serde's line/column
    /// does not; only runs on failure, so the happy path parses once.
    fn explain(&self, error: GraphError, request: &ApiRequest, body: &[u8]) -> GraphError {
        let Ok(value) = serde_json::from_slice::<serde_json::Value>(body) else {
            return error;
        };
        let items = match &value {
            serde_json::Value::Array(items) => items,
            other => match other.get("value").and_then(serde_json::Value::as_array) {
                Some(items) => items,
                None => return error,
            },
        };
        for (index, item) in items.iter().enumerate() {
            if let Err(e) = serde_json::from_value::<T>(item.clone()) {
                let id = ["id", "Id", "Identity", "contentId"]
                    .iter()
                    .find_map(|k| item.get(*k).and_then(serde_json::Value::as_str))
                    .unwrap_or("without id");
                return GraphError::Decode {
                    what: format!("{} {}", request.method, path_of(&request.url)),
                    message: format!("record {index} ({id}) on page {}: {e}", self.pages),
                };
            }
        }
        error
    }

    fn keep_warnings(&mut self, warnings: Option<serde_json::Value>) {
        let texts: Vec<String> = match warnings {
            Some(serde_json::Value::Array(items)) => items
                .into_iter()
                .map(|w| match w {
                    serde_json::Value::String(s) => s,
                    other => other.to_string(),
                })
                .collect(),
            Some(serde_json::Value::String(s)) => vec![s],
            _ => Vec::new(),
        };
        if !texts.is_empty() {
            tracing::warn!(count = texts.len(), "Exchange returned warnings");
            self.warnings.extend(texts);
        }
    }

    /// Non-fatal messages Exchange sent with the pages so far (`@adminapi.warnings`).
    pub fn warnings(&self) -> &[String] {
        &self.warnings
    }

    /// Pages fetched so far.
    pub fn pages_fetched(&self) -> u32 {
        self.pages
    }
}
