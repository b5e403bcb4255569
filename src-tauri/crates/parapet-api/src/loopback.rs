//! The loopback redirect: a one-shot HTTP listener on 127.0.0.1 that receives the browser's
//! redirect after sign-in or admin consent (Entra ignores the port of loopback redirect URIs
//! for native apps, so any free port works).

use crate::ApiError;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// A bound listener waiting for one redirect.
#[derive(Debug)]
pub struct LoopbackRedirect {
    listener: TcpListener,
    redirect_uri: String,
}

const PAGE: &str = "<!doctype html><html><head><meta charset=\"utf-8\"><title>Parapet</title></head>\
<body style=\"font-family:sans-serif\"><h1>Parapet</h1><p>Done. You can close this tab and return to Parapet.</p></body></html>";

impl LoopbackRedirect {
    /// Binds a free port on 127.0.0.1.
    pub async fn bind() -> Result<Self, ApiError> {
        let listener = TcpListener::bind(("127.0.0.1", 0)).await.map_err(|e| {
            ApiError::new(
                crate::ErrorCode::Internal,
                format!("cannot listen on 127.0.0.1 for the sign-in redirect: {e}"),
            )
        })?;
        let port = listener
            .local_addr()
            .map_err(|e| ApiError::new(crate::ErrorCode::Internal, e.to_string()))?
            .port();
        Ok(Self {
            listener,
            // The literal loopback address, as RFC 8252 advises: `localhost` may resolve to
            // ::1, where another process could listen.
            redirect_uri: format!("http://127.0.0.1:{port}/"),
        })
    }

    /// The URI to register in the authorize or consent request.
    pub fn redirect_uri(&self) -> &str {
        &self.redirect_uri
    }

    /// Waits for the redirect that carries `state` and returns its full URL. Other requests
    /// (a browser's favicon, a stray connection) are answered and ignored.
    pub async fn wait(self, expected_state: &str, timeout: Duration) -> Result<url::Url, ApiError> {
        let waiting = async {
            loop {
                let (mut stream, _) = self.listener.accept().await.map_err(|e| {
                    ApiError::new(
                        crate::ErrorCode::Internal,
                        format!("redirect listener: {e}"),
                    )
                })?;
                let mut buffer = vec![0u8; 16 * 1024];
                let mut filled = 0;
                // A browser's idle pre-connection must not hold up the real redirect.
                let reading = async {
                    while filled < buffer.len() {
                        match stream.read(&mut buffer[filled..]).await {
                            Ok(0) | Err(_) => break,
                            Ok(n) => filled += n,
                        }
                        if buffer[..filled].windows(4).any(|w| w == b"\r\n\r\n") {
                            break;
                        }
                    }
                };
                if tokio::time::timeout(Duration::from_secs(2), reading)
                    .await
                    .is_err()
                {
                    continue;
                }
                let request = String::from_utf8_lossy(&buffer[..filled]);
                let target = request
                    .lines()
                    .next()
                    .and_then(|line| line.split_whitespace().nth(1))
                    .unwrap_or("/");
                let response = format!(
                    "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{PAGE}",
                    PAGE.len()
                );
                let _ = stream.write_all(response.as_bytes()).await;
                let _ = stream.shutdown().await;
                let Ok(url) = url::Url::parse(&format!(
                    "{}{}",
                    self.redirect_uri.trim_end_matches('/'),
                    target
                )) else {
                    continue;
                };
                let state = url
                    .query_pairs()
                    .find(|(key, _)| key == "state")
                    .map(|(_, value)| value.into_owned());
                if state.as_deref() == Some(expected_state) {
                    return Ok(url);
                }
            }
        };
        tokio::time::timeout(timeout, waiting).await.map_err(|_| {
            ApiError::new(
                crate::ErrorCode::Timeout,
                format!(
                    "no answer from the browser within {} minutes; start again",
                    timeout.as_secs() / 60
                ),
            )
        })?
    }
}
