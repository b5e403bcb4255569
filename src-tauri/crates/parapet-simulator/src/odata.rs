//! The OData `$filter` subset the simulator understands: `eq ne gt ge lt le`, `and or not`,
//! parentheses, `startswith/endswith/contains`, `any/all` lambdas, nested paths (`a/b/c`).
//! String comparisons are case-insensitive, as Graph's are for the properties clients filter on.

use crate::clock::parse_time;
use serde_json::Value;
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

/// Parses a `$filter` value; the error text is safe to echo in a 400 response.
pub fn parse(input: &str) -> Result<Filter, String> {
    let tokens = tokenize(input)?;
    let mut p = Parser { tokens, pos: 0 };
    let f = p.or_expr()?;
    if p.pos != p.tokens.len() {
        return Err(format!(
            "Invalid filter clause: unexpected '{}'",
            p.tokens[p.pos].text()
        ));
    }
    Ok(f)
}

impl Filter {
    pub fn matches(&self, record: &Value) -> bool {
        self.eval(record, None)
    }

    fn eval(&self, record: &Value, var: Option<(&str, &Value)>) -> bool {
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
    record: &'a Value,
    path: &[String],
    var: Option<(&str, &'a Value)>,
) -> Option<&'a Value> {
    let (mut cur, rest) = match (var, path.first()) {
        (Some((name, v)), Some(first)) if first == name => (v, &path[1..]),
        _ => (record, path),
    };
    for seg in rest {
        cur = cur.as_object().and_then(|o| {
            o.get(seg).or_else(|| {
                o.iter()
                    .find(|(k, _)| k.eq_ignore_ascii_case(seg))
                    .map(|(_, v)| v)
            })
        })?;
    }
    Some(cur)
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
            match (
                parse_time(s),
                looks_like_time(l).then(|| parse_time(l)).flatten(),
            ) {
                (Some(a), Some(b)) => Some(a.cmp(&b)),
                _ => Some(s.to_lowercase().cmp(&l.to_lowercase())),
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

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Word(String),
    Str(String),
    Open,
    Close,
    Comma,
    Colon,
}

impl Token {
    fn text(&self) -> String {
        match self {
            Token::Word(w) => w.clone(),
            Token::Str(s) => format!("'{s}'"),
            Token::Open => "(".into(),
            Token::Close => ")".into(),
            Token::Comma => ",".into(),
            Token::Colon => ":".into(),
        }
    }
}

fn tokenize(input: &str) -> Result<Vec<Token>, String> {
    let mut out = Vec::new();
    let chars: Vec<char> = input.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            c if c.is_whitespace() => i += 1,
            '(' => {
                out.push(Token::Open);
                i += 1
            }
            ')' => {
                out.push(Token::Close);
                i += 1
            }
            ',' => {
                out.push(Token::Comma);
                i += 1
            }
            '\'' => {
                let mut s = String::new();
                i += 1;
                loop {
                    match chars.get(i) {
                        None => return Err("Invalid filter clause: unterminated string".into()),
                        Some('\'') if chars.get(i + 1) == Some(&'\'') => {
                            s.push('\'');
                            i += 2
                        }
                        Some('\'') => {
                            i += 1;
                            break;
                        }
                        Some(ch) => {
                            s.push(*ch);
                            i += 1
                        }
                    }
                }
                out.push(Token::Str(s));
            }
            _ => {
                let start = i;
                while i < chars.len() && !matches!(chars[i], ' ' | '\t' | '(' | ')' | ',' | '\'') {
                    i += 1;
                }
                let word: String = chars[start..i].iter().collect();
                // A lambda variable is written `t:` or `t:t eq ..`; a datetime keeps its colons
                // (its part before the first colon is not an identifier).
                let lambda_var = word.split_once(':').filter(|(var, _)| {
                    var.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
                        && var.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
                });
                match lambda_var {
                    Some((var, rest)) => {
                        out.push(Token::Word(var.to_string()));
                        out.push(Token::Colon);
                        if !rest.is_empty() {
                            out.push(Token::Word(rest.to_string()));
                        }
                    }
                    None => out.push(Token::Word(word)),
                }
            }
        }
    }
    Ok(out)
}

struct Parser {
    tokens: Vec<Token>,
    pos: usize,
}

impl Parser {
    fn peek_word(&self) -> Option<String> {
        match self.tokens.get(self.pos) {
            Some(Token::Word(w)) => Some(w.to_ascii_lowercase()),
            _ => None,
        }
    }

    fn expect(&mut self, t: Token) -> Result<(), String> {
        if self.tokens.get(self.pos) == Some(&t) {
            self.pos += 1;
            Ok(())
        } else {
            Err(format!("Invalid filter clause: expected '{}'", t.text()))
        }
    }

    fn or_expr(&mut self) -> Result<Filter, String> {
        let mut left = self.and_expr()?;
        while self.peek_word().as_deref() == Some("or") {
            self.pos += 1;
            left = Filter::Or(Box::new(left), Box::new(self.and_expr()?));
        }
        Ok(left)
    }

    fn and_expr(&mut self) -> Result<Filter, String> {
        let mut left = self.unary()?;
        while self.peek_word().as_deref() == Some("and") {
            self.pos += 1;
            left = Filter::And(Box::new(left), Box::new(self.unary()?));
        }
        Ok(left)
    }

    fn unary(&mut self) -> Result<Filter, String> {
        if self.peek_word().as_deref() == Some("not") {
            self.pos += 1;
            return Ok(Filter::Not(Box::new(self.unary()?)));
        }
        self.primary()
    }

    fn primary(&mut self) -> Result<Filter, String> {
        match self.tokens.get(self.pos).cloned() {
            Some(Token::Open) => {
                self.pos += 1;
                let f = self.or_expr()?;
                self.expect(Token::Close)?;
                Ok(f)
            }
            Some(Token::Word(w)) => {
                self.pos += 1;
                let lower = w.to_ascii_lowercase();
                if self.tokens.get(self.pos) == Some(&Token::Open) {
                    if matches!(lower.as_str(), "startswith" | "endswith" | "contains") {
                        return self.function(lower);
                    }
                    if let Some(base) = lower.strip_suffix("/any").or(lower.strip_suffix("/all")) {
                        let path = split_path(&w[..base.len()]);
                        return self.lambda(path, lower.ends_with("/all"));
                    }
                    return Err(format!("Invalid filter clause: unsupported function '{w}'"));
                }
                let op = match self.peek_word().as_deref() {
                    Some("eq") => CmpOp::Eq,
                    Some("ne") => CmpOp::Ne,
                    Some("gt") => CmpOp::Gt,
                    Some("ge") => CmpOp::Ge,
                    Some("lt") => CmpOp::Lt,
                    Some("le") => CmpOp::Le,
                    _ => {
                        return Err(format!(
                            "Invalid filter clause: expected an operator after '{w}'"
                        ))
                    }
                };
                self.pos += 1;
                let lit = self.literal()?;
                Ok(Filter::Cmp {
                    path: split_path(&w),
                    op,
                    lit,
                })
            }
            Some(t) => Err(format!("Invalid filter clause: unexpected '{}'", t.text())),
            None => Err("Invalid filter clause: unexpected end".into()),
        }
    }

    fn literal(&mut self) -> Result<Literal, String> {
        let t = self.tokens.get(self.pos).cloned();
        self.pos += 1;
        match t {
            Some(Token::Str(s)) => Ok(Literal::Str(s)),
            Some(Token::Word(w)) => Ok(match w.to_ascii_lowercase().as_str() {
                "true" => Literal::Bool(true),
                "false" => Literal::Bool(false),
                "null" => Literal::Null,
                _ => Literal::Bare(w),
            }),
            _ => Err("Invalid filter clause: expected a value".into()),
        }
    }

    fn function(&mut self, name: String) -> Result<Filter, String> {
        self.expect(Token::Open)?;
        let path = match self.tokens.get(self.pos).cloned() {
            Some(Token::Word(w)) => split_path(&w),
            _ => return Err(format!("Invalid filter clause: {name} needs a property")),
        };
        self.pos += 1;
        self.expect(Token::Comma)?;
        let arg = match self.literal()? {
            Literal::Str(s) | Literal::Bare(s) => s,
            _ => return Err(format!("Invalid filter clause: {name} needs a string")),
        };
        self.expect(Token::Close)?;
        Ok(Filter::Func { name, path, arg })
    }

    fn lambda(&mut self, path: Vec<String>, all: bool) -> Result<Filter, String> {
        self.expect(Token::Open)?;
        let var = match self.tokens.get(self.pos).cloned() {
            Some(Token::Word(w)) => w,
            _ => return Err("Invalid filter clause: lambda needs a variable".into()),
        };
        self.pos += 1;
        self.expect(Token::Colon)?;
        let body = self.or_expr()?;
        self.expect(Token::Close)?;
        Ok(Filter::Lambda {
            path,
            all,
            var,
            body: Box::new(body),
        })
    }
}

fn split_path(w: &str) -> Vec<String> {
    w.split('/').map(String::from).collect()
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
            assert_eq!(parsed.matches(&rec), want, "{f}");
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
