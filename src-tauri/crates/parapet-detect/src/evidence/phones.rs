//! Phone numbers as the directory records them: in `StrongAuthenticationUserDetails` (the "Update
//! user" audit of a security-info change) and on `phoneAuthenticationMethod` objects, which an
//! Authentication Administrator sees masked ("+1 XXXXXXXX34").

use serde_json::Value;

/// The phone numbers in a `StrongAuthenticationUserDetails` value:
/// `[{"PhoneNumber":"+1 4255550100","AlternativePhoneNumber":null,…}]`, possibly JSON-encoded
/// twice, or free text when it is not JSON at all.
pub fn phone_numbers(value: &str) -> Vec<String> {
    let mut out = Vec::new();
    match serde_json::from_str::<Value>(value) {
        Ok(Value::String(inner)) => return phone_numbers(&inner),
        Ok(parsed) => collect(&parsed, &mut out),
        Err(_) => {
            for (i, _) in value.match_indices('+') {
                let number: String = value[i..]
                    .chars()
                    .take_while(|c| *c == '+' || c.is_ascii_digit() || " -()Xx".contains(*c))
                    .collect();
                let number = number.trim();
                if digits(number).len() >= 7 {
                    out.push(number.to_string());
                }
            }
        }
    }
    out.sort();
    out.dedup();
    out
}

fn collect(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::Array(items) => items.iter().for_each(|v| collect(v, out)),
        Value::Object(map) => {
            for (key, v) in map {
                match v {
                    Value::String(s) if key.contains("Phone") && !s.trim().is_empty() => {
                        out.push(s.trim().to_string())
                    }
                    Value::Array(_) | Value::Object(_) => collect(v, out),
                    _ => {}
                }
            }
        }
        _ => {}
    }
}

/// Numbers in `new` that were not in `old`: what a security-info change added.
pub fn added_numbers(old: Option<&str>, new: &str) -> Vec<String> {
    let before = old.map(phone_numbers).unwrap_or_default();
    phone_numbers(new)
        .into_iter()
        .filter(|n| !before.iter().any(|b| same_phone(b, n)))
        .collect()
}

fn digits(s: &str) -> String {
    s.chars().filter(char::is_ascii_digit).collect()
}

/// Digits with masked positions as `None`; spaces, dashes and brackets dropped.
fn shape(s: &str) -> Vec<Option<char>> {
    s.chars()
        .filter_map(|c| match c {
            '0'..='9' => Some(Some(c)),
            'X' | 'x' | '*' | '•' => Some(None),
            _ => None,
        })
        .collect()
}

/// Whether two renderings are the same number: equal digits (one may lack the country code),
/// or, when one is masked, the same length with every visible digit agreeing (at least two).
pub fn same_phone(a: &str, b: &str) -> bool {
    let (sa, sb) = (shape(a), shape(b));
    let masked = sa.iter().chain(sb.iter()).any(Option::is_none);
    if !masked {
        let (da, db) = (digits(a), digits(b));
        let (short, long) = if da.len() <= db.len() {
            (da, db)
        } else {
            (db, da)
        };
        return short.len() >= 7 && long.ends_with(&short);
    }
    if sa.len() != sb.len() {
        return false;
    }
    let mut visible = 0;
    for (x, y) in sa.iter().zip(sb.iter()) {
        if let (Some(x), Some(y)) = (x, y) {
            if x != y {
                return false;
            }
            visible += 1;
        }
    }
    visible >= 2
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_added_by_a_security_info_change() {
        let cases: &[(Option<&str>, &str, &[&str])] = &[
            (
                Some(r#"[{"PhoneNumber":null,"AlternativePhoneNumber":null,"Email":null}]"#),
                r#"[{"PhoneNumber":"+1 4255550123","AlternativePhoneNumber":null,"Email":null}]"#,
                &["+1 4255550123"],
            ),
            (
                Some(r#"[{"PhoneNumber":"+1 4255550123"}]"#),
                r#"[{"PhoneNumber":"+1 4255550123","AlternativePhoneNumber":"+44 7700900456"}]"#,
                &["+44 7700900456"],
            ),
            (
                Some(r#"[{"PhoneNumber":"+1 4255550123"}]"#),
                r#"[{"PhoneNumber":"+1 (425) 555-0123"}]"#,
                &[],
            ),
            (
                None,
                r#""[{\"PhoneNumber\":\"+33 612345678\"}]""#,
                &["+33 612345678"],
            ),
            (
                None,
                "PhoneNumber: +1 4255550199, Email: x",
                &["+1 4255550199"],
            ),
            (None, r#"[{"Email":"a@b.c"}]"#, &[]),
        ];
        for (old, new, want) in cases {
            assert_eq!(added_numbers(*old, new), *want, "{old:?} -> {new}");
        }
    }

    #[test]
    fn same_number_plain_or_masked() {
        let cases = [
            ("+1 4255550123", "+14255550123", true),
            ("+1 4255550123", "4255550123", true),
            ("+1 4255550123", "+1 4255550124", false),
            ("+1 XXXXXXXX23", "+1 4255550123", true),
            ("+1 XXXXXXXX24", "+1 4255550123", false),
            ("+1 XXXXXXX23", "+1 4255550123", false),
            ("+1 XXXXXXXXXX", "+1 4255550123", false),
            ("555", "555", false),
        ];
        for (a, b, want) in cases {
            assert_eq!(same_phone(a, b), want, "{a} vs {b}");
        }
    }
}
