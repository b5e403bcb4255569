//! The OData `$filter` subset the simulator understands: `eq ne gt ge lt le`, `and or not`,
//! parentheses, `startswith/endswith/contains`, `any/all` lambdas, nested paths (`a/b/c`).
//! String comparisons are case-insensitive, as Graph's are for the properties clients filter on.

mod parse;

pub use parse::parse;

use crate::clock::parse_time;
use serde_json::{Map, Value};
use std::cmp::Ordering;

#[derive(Debug, Clone)]
pub enum Filter {
    And(Box<Filter>, Box<Filter>),
    Or(Box<Filter>, Box<Filter>),
    Not(Box<Filter>),
    Cmp {
        path: Vec<String>,
        op: CmpOp,
        lit: Literal,
    },
    Func {
        name: String,
        path: Vec<String>,
        arg: String,
    },
    Lambda {
        path: Vec<String>,
        all: bool,
        var: String,
        body: Box<Filter>,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CmpOp {
    Eq,
    Ne,
    Gt,
    Ge,
    Lt,
    Le,
}

#[derive(Debug, Clone)]
pub enum Literal {
    Str(String),
    /// Unquoted words: numbers, GUIDs, datetimes.
    Bare(String),
    Bool(bool),
    Null,
}

impl Filter {
    pub fn matches(&self, record: &Map<String, Value>) -> bool {
        self.eval(record, None)
    }

    fn eval(&self, record: &Map<String, Value>, var: Option<(&str, &Value)>) -> bool {
        match self {
            Filter::And(a, b) => a.eval(record, var) && b.eval(record, var),
            Filter::Or(a, b) => a.eval(record, var) || b.eval(record, var),
            Filter::Not(a) => !a.eval(record, var),
            Filter::Cmp { path, op, lit } => {
                let v = resolve(record, path, var);
                compare(v, *op, lit)
            }
            Filter::Func { name, path, arg } => {
                let Some(s) = resolve(record, path, var).and_then(Value::as_str) else {
                    return false;
                };
                let (s, arg) = (s.to_lowercase(), arg.to_lowercase());
                match name.as_str() {
                    "startswith" => s.starts_with(&arg),
                    "endswith" => s.ends_with(&arg),
                    _ => s.contains(&arg),
                }
            }
            Filter::Lambda {
                path,
                all,
                var: name,
                body,
            } => {
                let Some(items) = resolve(record, path, var).and_then(Value::as_array) else {
                    return false;
                };
                if *all {
                    items
                        .iter()
                        .all(|item| body.eval(record, Some((name, item))))
                } else {
                    items
                        .iter()
                        .any(|item| body.eval(record, Some((name, item))))
                }
            }
        }
    }
}

fn resolve<'a>(
    record: &'a Map<String, Value>,
    path: &[String],
    var: Option<(&str, &'a Value)>,
) -> Option<&'a Value> {
    let (mut cur, rest) = match (var, path.first()) {
        (Some((name, v)), Some(first)) if first == name => (v, &path[1..]),
        (_, Some(first)) => (lookup(record, first)?, &path[1..]),
        _ => return None,
    };
    for seg in rest {
        cur = cur.as_object().and_then(|o| lookup(o, seg))?;
    }
    Some(cur)
}

/// Property names are case-insensitive in OData URLs.
fn lookup<'a>(o: &'a Map<String, Value>, key: &str) -> Option<&'a Value> {
    o.get(key).or_else(|| {
        o.iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(key))
            .map(|(_, v)| v)
    })
}

fn compare(v: Option<&Value>, op: CmpOp, lit: &Literal) -> bool {
    let ord = match (v, lit) {
        (None | Some(Value::Null), Literal::Null) => Some(Ordering::Equal),
        (None | Some(Value::Null), _) | (Some(_), Literal::Null) => None,
        (Some(Value::Bool(b)), Literal::Bool(l)) => Some(b.cmp(l)),
        (Some(Value::Number(n)), Literal::Bare(l)) => match (n.as_f64(), l.parse::<f64>().ok()) {
            (Some(a), Some(b)) => a.partial_cmp(&b),
            _ => None,
        },
        (Some(Value::String(s)), Literal::Str(l) | Literal::Bare(l)) => {
            let times = if looks_like_time(l) {
                parse_time(s).zip(parse_time(l))
            } else {
                None
            };
            match times {
                Some((a, b)) => Some(a.cmp(&b)),
                None => Some(s.to_lowercase().cmp(&l.to_lowercase())),
            }
        }
        _ => None,
    };
    match ord {
        None => op == CmpOp::Ne,
        Some(o) => match op {
            CmpOp::Eq => o == Ordering::Equal,
            CmpOp::Ne => o != Ordering::Equal,
            CmpOp::Gt => o == Ordering::Greater,
            CmpOp::Ge => o != Ordering::Less,
            CmpOp::Lt => o == Ordering::Less,
            CmpOp::Le => o != Ordering::Greater,
        },
    }
}

fn looks_like_time(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() >= 10 && b[4] == b'-' && b[7] == b'-' && b[..4].iter().all(u8::is_ascii_digit)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn filters_match_like_graph() {
        let rec = json!({
            "userPrincipalName": "Jane@Contoso.com", "accountEnabled": true,
            "createdDateTime": "2026-11-01T10:00:00.1234567Z",
            "status": {"errorCode": 50126},
            "from": {"emailAddress": {"address": "x@evil.com"}},
            "signInEventTypes": ["interactiveUser"], "subject": "It's here",
        });
        let cases = [
            ("userPrincipalName eq 'jane@contoso.com'", true),
            ("accountEnabled eq false", false),
            ("startswith(userPrincipalName,'JANE')", true),
            ("createdDateTime ge 2026-11-01T00:00:00Z and createdDateTime lt 2026-11-02T00:00:00Z", true),
            ("createdDateTime gt 2026-11-01T10:00:01Z", false),
            ("status/errorCode eq 50126", true),
            ("from/emailAddress/address eq 'X@EVIL.COM'", true),
            ("signInEventTypes/any(t: t eq 'nonInteractiveUser')", false),
            ("signInEventTypes/any(t:t eq 'interactiveUser')", true),
            ("subject eq 'It''s here'", true),
            ("not (accountEnabled eq true) or status/errorCode ne 0", true),
            ("missing eq null", true),
        ];
        for (f, want) in cases {
            let parsed = parse(f).unwrap_or_else(|e| panic!("{f}: {e}"));
            assert_eq!(
                parsed.matches(rec.as_object().expect("object")),
                want,
                "{f}"
            );
        }
    }

    #[test]
    fn bad_filters_are_rejected() {
        for f in [
            "userPrincipalName",
            "a eq",
            "foo(a,'b')",
            "(a eq 1",
            "a eq 'x",
        ] {
            assert!(parse(f).is_err(), "{f} should not parse");
        }
    }
}
