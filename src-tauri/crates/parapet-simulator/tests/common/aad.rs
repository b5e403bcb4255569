//! Entra token endpoint helpers: raw token requests and the AADSTS error shape.

use super::client;
use serde_json::{json, Value};

/// Token request form fields.
pub type Form<'a> = Vec<(&'a str, &'a str)>;

pub fn assert_aad_error(body: &Value, code: u64) {
    for key in [
        "error",
        "error_description",
        "error_codes",
        "timestamp",
        "trace_id",
        "correlation_id",
    ] {
        assert!(body.get(key).is_some(), "missing {key} in {body}");
    }
    let desc = body["error_description"].as_str().unwrap_or_default();
    assert!(desc.starts_with(&format!("AADSTS{code}:")), "{desc}");
    for line in ["\r\nTrace ID: ", "\r\nCorrelation ID: ", "\r\nTimestamp: "] {
        assert!(desc.contains(line), "{desc} lacks {line:?}");
    }
    assert_eq!(body["error_codes"], json!([code]));
}

pub async fn token_raw(
    sim: &parapet_simulator::RunningSimulator,
    tenant: &str,
    form: &[(&str, &str)],
) -> (u16, Value) {
    let url = format!("{}/{tenant}/oauth2/v2.0/token", sim.base_urls().login);
    let resp = client()
        .post(url)
        .form(form)
        .send()
        .await
        .expect("token request");
    (
        resp.status().as_u16(),
        resp.json().await.unwrap_or(Value::Null),
    )
}
