//! Key-structure comparison of a JSON answer with a documented example.

use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

#[derive(Clone, Copy, Debug)]
pub enum Mode {
    Full,
    /// Full, but only paths up to this many segments deep.
    FullTo(usize),
    Envelope,
    StatusOnly,
    /// Full key coverage, no type comparison (documents whose values are type placeholders).
    KeysOnly,
}

pub fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "bool",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// Key paths (`value[].status.errorCode`) with the JSON kinds seen there.
pub fn paths(v: &Value, prefix: &str, out: &mut BTreeMap<String, BTreeSet<&'static str>>) {
    match v {
        Value::Object(o) => {
            for (k, child) in o {
                let p = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}.{k}")
                };
                out.entry(p.clone()).or_default().insert(kind(child));
                paths(child, &p, out);
            }
        }
        Value::Array(items) => {
            for item in items {
                let p = format!("{prefix}[]");
                out.entry(p.clone()).or_default().insert(kind(item));
                paths(item, &p, out);
            }
        }
        _ => {}
    }
}

pub fn compare(name: &str, mode: Mode, doc: &Value, ours: &Value) {
    let (mut d, mut o) = (BTreeMap::new(), BTreeMap::new());
    paths(doc, "", &mut d);
    paths(ours, "", &mut o);
    let depth = |p: &str| p.split('.').count();
    let covered = |p: &str| {
        if o.contains_key(p) {
            return true;
        }
        // A documented child of an array that is empty in our answer cannot be compared.
        p.match_indices("[]").any(|(i, _)| {
            o.get(&p[..i]).is_some_and(|k| k.contains("array")) && !o.contains_key(&p[..i + 2])
        })
    };
    let missing: Vec<&String> = match mode {
        Mode::Full | Mode::KeysOnly => d.keys().filter(|p| !covered(p)).collect(),
        Mode::FullTo(n) => d.keys().filter(|p| depth(p) <= n && !covered(p)).collect(),
        Mode::Envelope => d
            .keys()
            .filter(|p| {
                (p.starts_with("@odata.") || *p == "value")
                    && *p != "@odata.nextLink"
                    && *p != "@odata.count"
                    && !covered(p)
            })
            .collect(),
        Mode::StatusOnly => Vec::new(),
    };
    assert!(
        missing.is_empty(),
        "{name}: documented keys missing from the simulator's answer: {missing:?}\nours: {ours}"
    );
    if matches!(mode, Mode::KeysOnly) {
        return;
    }
    for (p, kinds) in &d {
        if let Some(ours_kinds) = o.get(p) {
            let (a, b): (BTreeSet<_>, BTreeSet<_>) = (
                kinds - &BTreeSet::from(["null"]),
                ours_kinds - &BTreeSet::from(["null"]),
            );
            assert!(
                a.is_empty() || b.is_empty() || !a.is_disjoint(&b),
                "{name}: {p} is {a:?} in the docs but {b:?} here"
            );
        }
    }
}
