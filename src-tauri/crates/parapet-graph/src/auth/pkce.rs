//! Authorization code + PKCE (S256) for the desktop sign-in of the technician.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use parapet_secrets::Sensitive;
use rand::RngCore;
use sha2::{Digest, Sha256};

use crate::endpoints::Endpoints;
use crate::error::GraphError;

/// A PKCE verifier and its S256 challenge. The verifier is secret until the code is redeemed.
#[derive(Debug)]
pub struct Pkce {
    pub verifier: Sensitive<String>,
    pub challenge: String,
}

impl Pkce {
    /// 32 random bytes → a 43-character base64url verifier (RFC 7636 allows 43–128).
    pub fn generate() -> Self {
        let mut bytes = [0u8; 32];
        rand::thread_rng().fill_bytes(&mut bytes);
        Pkce::from_verifier(URL_SAFE_NO_PAD.encode(bytes))
    }

    pub fn from_verifier(verifier: String) -> Self {
        let challenge = URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()));
        Pkce {
            verifier: Sensitive::new(verifier),
            challenge,
        }
    }
}

/// A random `state` value for CSRF protection of the redirect.
pub fn random_state() -> String {
    let mut bytes = [0u8; 16];
    rand::thread_rng().fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// What goes into the authorize URL.
#[derive(Debug, Clone)]
pub struct AuthorizeRequest<'a> {
    /// `organizations`, `common` or a tenant id.
    pub tenant: &'a str,
    pub client_id: &'a str,
    pub redirect_uri: &'a str,
    pub scopes: &'a [&'a str],
    pub state: &'a str,
    pub code_challenge: &'a str,
    pub prompt: Option<&'a str>,
    pub login_hint: Option<&'a str>,
}

/// Builds `{login}/{tenant}/oauth2/v2.0/authorize?...&code_challenge_method=S256`.
pub fn authorize_url(
    endpoints: &Endpoints,
    request: &AuthorizeRequest<'_>,
) -> Result<url::Url, GraphError> {
    let tenant = crate::endpoints::TenantId::new(request.tenant)?;
    let mut url = url::Url::parse(&format!(
        "{}/{}/oauth2/v2.0/authorize",
        endpoints.login(),
        tenant
    ))
    .map_err(|e| GraphError::Config {
        what: format!("authorize URL: {e}"),
    })?;
    {
        let mut q = url.query_pairs_mut();
        q.append_pair("client_id", request.client_id)
            .append_pair("response_type", "code")
            .append_pair("redirect_uri", request.redirect_uri)
            .append_pair("response_mode", "query")
            .append_pair("scope", &request.scopes.join(" "))
            .append_pair("state", request.state)
            .append_pair("code_challenge", request.code_challenge)
            .append_pair("code_challenge_method", "S256");
        if let Some(prompt) = request.prompt {
            q.append_pair("prompt", prompt);
        }
        if let Some(hint) = request.login_hint {
            q.append_pair("login_hint", hint);
        }
    }
    Ok(url)
}

/// Extracts the authorization code from the redirect, checking `state` first.
pub fn code_from_redirect(
    redirect: &str,
    expected_state: &str,
) -> Result<Sensitive<String>, GraphError> {
    let url = url::Url::parse(redirect).map_err(|e| GraphError::SignInRedirect {
        reason: format!("not a URL: {e}"),
    })?;
    let mut code = None;
    let mut state = None;
    let mut error = None;
    let mut description = None;
    for (k, v) in url.query_pairs() {
        match k.as_ref() {
            "code" => code = Some(v.into_owned()),
            "state" => state = Some(v.into_owned()),
            "error" => error = Some(v.into_owned()),
            "error_description" => description = Some(v.into_owned()),
            _ => {}
        }
    }
    if state.as_deref() != Some(expected_state) {
        return Err(GraphError::SignInRedirect {
            reason: "the state parameter does not match this sign-in".into(),
        });
    }
    if let Some(error) = error {
        return Err(GraphError::SignInRedirect {
            reason: format!("{error}: {}", description.unwrap_or_default()),
        });
    }
    code.map(Sensitive::new)
        .ok_or_else(|| GraphError::SignInRedirect {
            reason: "the redirect carries no code".into(),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn s256_challenge_matches_an_independent_implementation() {
        // Expected value computed with Python: base64.urlsafe_b64encode(sha256(v)).rstrip("=").
        let p = Pkce::from_verifier("dBjftJeZ4CVP-mB92K27uhbUJU1p1r0wW1gFWFOEjXk".into());
        assert_eq!(p.challenge, "RCtbqyFn6Dv6GL6UC4xrWL6mHZBJowIOtGzu8O97GYg");
        let g = Pkce::generate();
        assert_eq!(g.verifier.expose().len(), 43);
        assert_ne!(g.verifier.expose(), Pkce::generate().verifier.expose());
    }

    #[test]
    fn authorize_url_carries_pkce_and_state() {
        let url = authorize_url(
            &Endpoints::under_prefix("http://127.0.0.1:9").unwrap(),
            &AuthorizeRequest {
                tenant: "organizations",
                client_id: "cid",
                redirect_uri: "http://localhost:5555",
                scopes: &["offline_access", "https://graph.microsoft.com/.default"],
                state: "st8",
                code_challenge: "chal",
                prompt: Some("select_account"),
                login_hint: None,
            },
        )
        .unwrap();
        assert!(url
            .as_str()
            .starts_with("http://127.0.0.1:9/login/organizations/oauth2/v2.0/authorize?"));
        let pairs: std::collections::HashMap<_, _> = url.query_pairs().into_owned().collect();
        assert_eq!(pairs["code_challenge_method"], "S256");
        assert_eq!(pairs["code_challenge"], "chal");
        assert_eq!(pairs["state"], "st8");
        assert_eq!(
            pairs["scope"],
            "offline_access https://graph.microsoft.com/.default"
        );
        assert_eq!(pairs["prompt"], "select_account");
    }

    #[test]
    fn redirect_state_and_errors() {
        let ok = code_from_redirect("http://localhost:1/?code=abc&state=s1", "s1").unwrap();
        assert_eq!(ok.expose(), "abc");
        assert!(code_from_redirect("http://localhost:1/?code=abc&state=evil", "s1").is_err());
        let e = code_from_redirect(
            "http://localhost/?error=access_denied&error_description=the+user+canceled&state=s1",
            "s1",
        )
        .unwrap_err();
        assert!(
            e.to_string().contains("access_denied: the user canceled"),
            "{e}"
        );
    }
}
