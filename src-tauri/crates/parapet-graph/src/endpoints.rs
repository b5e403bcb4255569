use std::fmt;

use crate::error::GraphError;

/// Base URLs of the four Microsoft services; configuration, never constants at call sites.
///
/// In production they are [`Endpoints::microsoft`]; in tests they point at the local simulator,
/// which serves all four under one port with path prefixes ([`Endpoints::under_prefix`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoints {
    login: String,
    graph: String,
    exchange: String,
    management: String,
}

impl Endpoints {
    /// Microsoft's global (commercial) cloud.
    pub fn microsoft() -> Self {
        Endpoints {
            login: "https://login.microsoftonline.com".into(),
            graph: "https://graph.microsoft.com".into(),
            exchange: "https://outlook.office365.com".into(),
            management: "https://manage.office.com".into(),
        }
    }

    /// Explicit base URLs (scheme + host + optional path prefix, no trailing slash needed).
    pub fn new(
        login: &str,
        graph: &str,
        exchange: &str,
        management: &str,
    ) -> Result<Self, GraphError> {
        Ok(Endpoints {
            login: normalise("login", login)?,
            graph: normalise("graph", graph)?,
            exchange: normalise("exchange", exchange)?,
            management: normalise("management", management)?,
        })
    }

    /// `{base}/login`, `{base}/graph`, `{base}/exchange`, `{base}/management`: the layout the
    /// Parapet simulator serves on one port.
    pub fn under_prefix(base: &str) -> Result<Self, GraphError> {
        let base = normalise("simulator", base)?;
        Endpoints::new(
            &format!("{base}/login"),
            &format!("{base}/graph"),
            &format!("{base}/exchange"),
            &format!("{base}/management"),
        )
    }

    pub fn login(&self) -> &str {
        &self.login
    }
    pub fn graph(&self) -> &str {
        &self.graph
    }
    pub fn exchange(&self) -> &str {
        &self.exchange
    }
    pub fn management(&self) -> &str {
        &self.management
    }
}

fn normalise(which: &str, raw: &str) -> Result<String, GraphError> {
    let parsed = url::Url::parse(raw).map_err(|e| GraphError::Config {
        what: format!("the {which} base URL {raw:?} is not a URL: {e}"),
    })?;
    if !matches!(parsed.scheme(), "https" | "http") {
        return Err(GraphError::Config {
            what: format!("the {which} base URL {raw:?} must be http(s)"),
        });
    }
    if parsed.query().is_some() || parsed.fragment().is_some() {
        return Err(GraphError::Config {
            what: format!("the {which} base URL {raw:?} must not have a query or fragment"),
        });
    }
    Ok(parsed.as_str().trim_end_matches('/').to_string())
}

/// The Microsoft service a token is issued for. Each has its own token (audience).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Resource {
    Graph,
    Exchange,
    Management,
}

impl Resource {
    /// The v2 `/.default` scope. These are audience identifiers, the same in production and
    /// against the simulator, so they do not come from [`Endpoints`].
    pub fn default_scope(self) -> &'static str {
        match self {
            Resource::Graph => "https://graph.microsoft.com/.default",
            Resource::Exchange => "https://outlook.office365.com/.default",
            Resource::Management => "https://manage.office.com/.default",
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Resource::Graph => "Microsoft Graph",
            Resource::Exchange => "Exchange Online",
            Resource::Management => "Management Activity API",
        }
    }
}

/// A customer tenant: a GUID or a verified domain. Validated so it can only ever be one path
/// segment of a URL.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TenantId(String);

impl TenantId {
    pub fn new(raw: &str) -> Result<Self, GraphError> {
        let ok = !raw.is_empty()
            && raw.len() <= 253
            && raw
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.')
            && !raw.starts_with('.')
            && !raw.contains("..");
        if ok {
            Ok(TenantId(raw.to_ascii_lowercase()))
        } else {
            Err(GraphError::Config {
                what: format!("{raw:?} is not a tenant id or domain"),
            })
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for TenantId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes_and_trailing_slashes() {
        let e = Endpoints::under_prefix("http://127.0.0.1:8080/").unwrap();
        assert_eq!(e.graph(), "http://127.0.0.1:8080/graph");
        assert_eq!(e.management(), "http://127.0.0.1:8080/management");
        assert_eq!(
            Endpoints::microsoft().login(),
            "https://login.microsoftonline.com"
        );
        assert!(Endpoints::new("ftp://x", "http://a", "http://a", "http://a").is_err());
    }

    #[test]
    fn tenant_ids_are_single_segments() {
        for bad in ["", "a/b", "..", "a?b", "x y", "a%2fb", ".x"] {
            assert!(TenantId::new(bad).is_err(), "{bad}");
        }
        for good in [
            "contoso.onmicrosoft.com",
            "52EAAD04-13a2-4a2f-9ce8-93a294fadf36",
        ] {
            assert!(TenantId::new(good).is_ok(), "{good}");
        }
        assert_eq!(TenantId::new("ABC").unwrap().as_str(), "abc");
    }
}
