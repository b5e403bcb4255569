//! The `/oauth2/v2.0/token` response and error shapes, and the AADSTS code → error mapping.

use std::time::Duration;

use parapet_secrets::Sensitive;
use serde::Deserialize;

use crate::error::{scrub, GraphError};

/// A token issued by Entra. Every token-bearing field is [`Sensitive`].
#[derive(Debug)]
pub struct IssuedToken {
    pub access_token: Sensitive<String>,
    pub expires_in: Duration,
    /// Present for delegated grants that asked for `offline_access`. Entra may rotate it on
    /// every refresh, so the caller must store the newest one.
    pub refresh_token: Option<Sensitive<String>>,
    pub id_token: Option<Sensitive<String>>,
    pub scope: Option<String>,
}

// Not Debug on purpose: it holds raw token strings until they are wrapped.
#[derive(Deserialize)]
struct RawToken {
    access_token: String,
    #[serde(default)]
    token_type: Option<String>,
    expires_in: NumberOrString,
    #[serde(default)]
    refresh_token: Option<String>,
    #[serde(default)]
    id_token: Option<String>,
    #[serde(default)]
    scope: Option<String>,
}

/// v1 endpoints send `expires_in` as a string; v2 as a number. Accept both.
#[derive(Deserialize)]
#[serde(untagged)]
enum NumberOrString {
    Number(u64),
    Text(String),
}

/// The documented token error body (`error`, `error_description`, `error_codes`, …).
#[derive(Debug, Clone, Deserialize)]
pub struct TokenErrorBody {
    pub error: String,
    #[serde(default)]
    pub error_description: Option<String>,
    #[serde(default)]
    pub error_codes: Vec<u64>,
    #[serde(default)]
    pub trace_id: Option<String>,
    #[serde(default)]
    pub correlation_id: Option<String>,
    #[serde(default)]
    pub timestamp: Option<String>,
}

/// Parses a successful token response.
pub fn parse_token_response(body: &[u8]) -> Result<IssuedToken, GraphError> {
    let raw: RawToken = serde_json::from_slice(body).map_err(|e| GraphError::Decode {
        what: "the token response".into(),
        // serde's message names the field, never the value.
        message: e.to_string(),
    })?;
    if let Some(kind) = &raw.token_type {
        if !kind.eq_ignore_ascii_case("bearer") {
            return Err(GraphError::Decode {
                what: "the token response".into(),
                message: format!("token_type {kind:?} is not Bearer"),
            });
        }
    }
    let seconds = match raw.expires_in {
        NumberOrString::Number(n) => n,
        NumberOrString::Text(t) => t.trim().parse().map_err(|_| GraphError::Decode {
            what: "the token response".into(),
            message: "expires_in is not a number".into(),
        })?,
    };
    Ok(IssuedToken {
        access_token: Sensitive::new(raw.access_token),
        expires_in: Duration::from_secs(seconds),
        refresh_token: raw.refresh_token.map(Sensitive::new),
        id_token: raw.id_token.map(Sensitive::new),
        scope: raw.scope,
    })
}

/// Parses a token error body into the typed error, scrubbing every secret that was sent.
pub fn token_error(tenant: &str, status: u16, body: &[u8], sent_secrets: &[&str]) -> GraphError {
    let parsed: Option<TokenErrorBody> = serde_json::from_slice(body).ok();
    let Some(parsed) = parsed else {
        return GraphError::TokenRejected {
            tenant: tenant.to_string(),
            error: format!("HTTP {status}"),
            description: scrub(&String::from_utf8_lossy(body), sent_secrets)
                .chars()
                .take(500)
                .collect(),
        };
    };
    let description = scrub(
        parsed.error_description.as_deref().unwrap_or(""),
        sent_secrets,
    );
    let has = |code: u64| {
        parsed.error_codes.contains(&code) || description.starts_with(&format!("AADSTS{code}:"))
    };
    let tenant = tenant.to_string();
    if has(700016) || has(65001) {
        GraphError::NotConsented {
            tenant,
            description,
        }
    } else if has(7000215) || has(7000222) || parsed.error == "invalid_client" {
        GraphError::InvalidClient {
            tenant,
            description,
        }
    } else if has(90002) {
        GraphError::TenantNotFound {
            tenant,
            description,
        }
    } else if parsed.error == "interaction_required"
        || parsed.error == "consent_required"
        || has(50076)
        || has(50079)
        || has(53003)
    {
        GraphError::InteractionRequired {
            tenant,
            description,
        }
    } else if parsed.error == "invalid_grant" {
        GraphError::SignInExpired {
            tenant,
            description,
        }
    } else {
        GraphError::TokenRejected {
            tenant,
            error: parsed.error,
            description,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(error: &str, code: u64, description: &str) -> Vec<u8> {
        serde_json::to_vec(&serde_json::json!({
            "error": error, "error_description": description, "error_codes": [code],
            "trace_id": "t", "correlation_id": "c", "timestamp": "2026-01-01 00:00:00Z"
        }))
        .unwrap()
    }

    #[test]
    fn aadsts_codes_map_to_typed_errors() {
        let cases: &[(&str, u64, &str)] = &[
            ("unauthorized_client", 700016, "NotConsented"),
            ("invalid_client", 7000215, "InvalidClient"),
            ("invalid_request", 90002, "TenantNotFound"),
            ("invalid_grant", 70043, "SignInExpired"),
            ("interaction_required", 50076, "InteractionRequired"),
            ("invalid_scope", 70011, "TokenRejected"),
        ];
        for (error, code, want) in cases {
            let text = format!("AADSTS{code}: something happened.\r\nTrace ID: x");
            let got = token_error("t1", 400, &body(error, *code, &text), &[]);
            let name = format!("{got:?}");
            assert!(name.starts_with(want), "{code}: {name}");
            assert!(got.to_string().contains(&format!("AADSTS{code}")), "{got}");
        }
    }

    #[test]
    fn secrets_echoed_by_microsoft_are_scrubbed() {
        let secret = "s3cr3t-value-abc";
        let b = body(
            "invalid_client",
            7000215,
            &format!("AADSTS7000215: Invalid client secret provided: {secret}"),
        );
        let got = token_error("t1", 401, &b, &[secret]);
        assert!(!got.to_string().contains(secret));
        assert!(!format!("{got:?}").contains(secret));
        assert!(got.to_string().contains("<redacted>"));
    }

    #[test]
    fn token_debug_is_redacted() {
        let t = parse_token_response(
            br#"{"token_type":"Bearer","expires_in":"3599","access_token":"eyJ-abc-secret","refresh_token":"rt-secret"}"#,
        )
        .unwrap();
        let printed = format!("{t:?}");
        assert!(
            !printed.contains("eyJ-abc") && !printed.contains("rt-secret"),
            "{printed}"
        );
        assert_eq!(t.expires_in, Duration::from_secs(3599));
    }
}
