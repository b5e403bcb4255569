//! The `record!` macro and the serde plumbing behind every snapshot record type.
//!
//! A record is a struct of typed fields (the ones the product reasons about) plus `extra`, a JSON
//! object holding everything else verbatim. The serde impls are generated here rather than
//! derived because derive cannot do what the snapshot needs:
//! - keep an explicit `null` of a typed optional field apart from an absent one (the `null` is kept
//!   in `extra`, so re-emitting the record gives back exactly the fields Microsoft sent);
//! - re-emit a time in the spelling it was read in (Microsoft writes both `.0509580Z` and
//!   `.050958Z`), which [`Spellings`] remembers when it differs from [`crate::time::Display`];
//! - read the typed fields into types and everything else into `extra` in one pass, without
//!   `#[serde(flatten)]`'s buffering.

use std::fmt;

use serde::de::{Deserialize, Deserializer, Error as _};
use serde::ser::{Serialize, SerializeMap, Serializer};

/// A type that can appear as a typed record field.
pub(crate) trait Field: Sized {
    /// The value, and its original text when re-emitting the value would spell it differently.
    fn deserialize_field<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<(Self, Option<String>), D::Error>;
    fn serialize_field<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error>;
    /// Whether `text` is a spelling of this value (so it may be emitted instead).
    fn is_spelt(&self, _text: &str) -> bool {
        false
    }
}

/// Deserializes a `T: Field`; lets `Option<FieldIn<T>>` tell `null` apart from a value.
pub(crate) struct FieldIn<T>(pub T, pub Option<String>);

impl<'de, T: Field> Deserialize<'de> for FieldIn<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        T::deserialize_field(deserializer).map(|(value, spelling)| FieldIn(value, spelling))
    }
}

/// Serializes a `&T: Field`.
pub(crate) struct FieldOut<'a, T>(pub &'a T);

impl<T: Field> Serialize for FieldOut<'_, T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize_field(serializer)
    }
}

/// Writes one typed field, in its remembered spelling when that still spells the value.
pub(crate) fn serialize_typed<M: SerializeMap, T: Field>(
    map: &mut M,
    key: &'static str,
    value: &T,
    spellings: &Spellings,
) -> Result<(), M::Error> {
    match spellings.get(key) {
        Some(text) if value.is_spelt(text) => map.serialize_entry(key, text),
        _ => map.serialize_entry(key, &FieldOut(value)),
    }
}

macro_rules! plain_field {
    ($($ty:ty),* $(,)?) => {$(
        impl Field for $ty {
            fn deserialize_field<'de, D: Deserializer<'de>>(deserializer: D) -> Result<(Self, Option<String>), D::Error> {
                <$ty as Deserialize>::deserialize(deserializer).map(|value| (value, None))
            }
            fn serialize_field<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                <$ty as Serialize>::serialize(self, serializer)
            }
        }
    )*};
}

plain_field!(String, bool, i64, serde_json::Number, serde_json::Value);

/// Lists of times would lose their spellings; no record has one.
impl<T: Field> Field for Vec<T> {
    fn deserialize_field<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<(Self, Option<String>), D::Error> {
        let items = Vec::<FieldIn<T>>::deserialize(deserializer)?;
        Ok((items.into_iter().map(|item| item.0).collect(), None))
    }
    fn serialize_field<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.iter().map(FieldOut))
    }
}

/// For nested records that are large and mostly absent: a record without one stays small.
impl<T: Field> Field for Box<T> {
    fn deserialize_field<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<(Self, Option<String>), D::Error> {
        T::deserialize_field(deserializer).map(|(value, spelling)| (Box::new(value), spelling))
    }
    fn serialize_field<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        T::serialize_field(self, serializer)
    }
    fn is_spelt(&self, text: &str) -> bool {
        T::is_spelt(self, text)
    }
}

impl Field for chrono::DateTime<chrono::Utc> {
    fn deserialize_field<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<(Self, Option<String>), D::Error> {
        let text = String::deserialize(deserializer)?;
        let time = crate::time::parse(&text).ok_or_else(|| {
            D::Error::custom(format!(
                "invalid time {text:?}, expected ISO 8601 UTC such as 2026-05-01T08:15:30Z"
            ))
        })?;
        let spelling = (crate::time::format(time) != text).then_some(text);
        Ok((time, spelling))
    }
    fn serialize_field<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(&crate::time::Display(*self))
    }
    fn is_spelt(&self, text: &str) -> bool {
        crate::time::parse(text) == Some(*self)
    }
}

/// The original text of a record's typed times, for those whose standard spelling
/// ([`crate::time::Display`]) differs from what was read, so that serializing the record gives
/// back that text. A spelling is used only while it still denotes the field's value: after a
/// field is changed in code, the standard spelling is written. Empty (allocation-free) for
/// records built in code or read from times already in the standard form.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Spellings(Vec<(&'static str, String)>);

impl Spellings {
    /// The remembered spelling of the field with JSON name `key`.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(name, _)| *name == key)
            .map(|(_, text)| text.as_str())
    }

    /// Remembers (`Some`) or forgets (`None`) the spelling of `key`.
    pub(crate) fn set(&mut self, key: &'static str, spelling: Option<String>) {
        self.0.retain(|(name, _)| *name != key);
        if let Some(text) = spelling {
            self.0.push((key, text));
        }
    }
}

impl fmt::Debug for Spellings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map()
            .entries(self.0.iter().map(|(k, v)| (k, v)))
            .finish()
    }
}

/// Keys whose values are secrets: never printed by a record's `Debug`.
const SECRET_KEYS: &[&str] = &[
    "secretText",
    "password",
    "newPassword",
    "access_token",
    "refresh_token",
];

/// `Debug` for a record's `extra`, with the values of secret-named keys replaced at any depth.
pub(crate) struct ExtraDebug<'a>(pub &'a serde_json::Map<String, serde_json::Value>);

impl fmt::Debug for ExtraDebug<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut map = f.debug_map();
        for (key, value) in self.0 {
            if SECRET_KEYS.contains(&key.as_str()) && !value.is_null() {
                map.entry(key, &"<redacted>");
            } else {
                map.entry(key, &ValueDebug(value));
            }
        }
        map.finish()
    }
}

struct ValueDebug<'a>(&'a serde_json::Value);

impl fmt::Debug for ValueDebug<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            serde_json::Value::Object(object) => ExtraDebug(object).fmt(f),
            serde_json::Value::Array(items) => f
                .debug_list()
                .entries(items.iter().map(ValueDebug))
                .finish(),
            other => other.fmt(f),
        }
    }
}

/// Declares a snapshot record: typed `required` and `optional` fields with their JSON names, and
/// an `extra` map with every other field. See the module docs for why serde is hand-rolled.
///
/// An optional `tolerant` block declares optional fields typed for memory rather than for
/// reasoning (nested detail of large logs): a value that does not fit its type is kept in
/// `extra` as sent instead of refusing the record, so an unexpected shape from Microsoft never
/// costs the evidence.
macro_rules! record {
    (
        $(#[$meta:meta])*
        pub struct $name:ident {
            required {
                $( $(#[$rmeta:meta])* $rfield:ident : $rty:ty = $rjson:literal, )*
            }
            optional {
                $( $(#[$ometa:meta])* $ofield:ident : $oty:ty = $ojson:literal, )*
            }
            $( tolerant {
                $( $(#[$tmeta:meta])* $tfield:ident : $tty:ty = $tjson:literal, )*
            } )?
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, PartialEq)]
        pub struct $name {
            $( $(#[$rmeta])* #[doc = concat!("JSON `", $rjson, "` (required).")] pub $rfield: $rty, )*
            $( $(#[$ometa])* #[doc = concat!("JSON `", $ojson, "`.")] pub $ofield: Option<$oty>, )*
            $( $( $(#[$tmeta])* #[doc = concat!("JSON `", $tjson, "` (kept in `extra` when it does not fit).")] pub $tfield: Option<$tty>, )* )?
            /// Every other field of the record as Microsoft sent it, including explicit `null`s of
            /// the optional fields above, so that serializing the record re-emits all of it.
            pub extra: serde_json::Map<String, serde_json::Value>,
            /// Original spellings of typed times (see [`Spellings`](crate::model::Spellings));
            /// `Default::default()` when building a record in code.
            pub spellings: $crate::record::Spellings,
        }

        impl $name {
            /// JSON names of the typed fields.
            pub const TYPED_FIELDS: &'static [&'static str] = &[$($rjson,)* $($ojson,)* $( $($tjson,)* )?];
        }

        impl ::std::fmt::Debug for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.debug_struct(stringify!($name))
                    $( .field(stringify!($rfield), &self.$rfield) )*
                    $( .field(stringify!($ofield), &self.$ofield) )*
                    $( $( .field(stringify!($tfield), &self.$tfield) )* )?
                    .field("extra", &$crate::record::ExtraDebug(&self.extra))
                    .field("spellings", &self.spellings)
                    .finish()
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                struct RecordVisitor;
                impl<'de> ::serde::de::Visitor<'de> for RecordVisitor {
                    type Value = $name;
                    fn expecting(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        f.write_str(concat!("a JSON object (", stringify!($name), ")"))
                    }
                    fn visit_map<A: ::serde::de::MapAccess<'de>>(self, mut map: A) -> Result<$name, A::Error> {
                        $( let mut $rfield: Option<$rty> = None; )*
                        $( let mut $ofield: Option<$oty> = None; )*
                        $( $( let mut $tfield: Option<$tty> = None; )* )?
                        let mut extra = ::serde_json::Map::new();
                        let mut spellings = $crate::record::Spellings::default();
                        while let Some(key) = map.next_key::<String>()? {
                            match key.as_str() {
                                $( $rjson => {
                                    let value = map.next_value::<$crate::record::FieldIn<$rty>>()?;
                                    $rfield = Some(value.0);
                                    spellings.set($rjson, value.1);
                                } )*
                                $( $ojson => {
                                    let value = map.next_value::<Option<$crate::record::FieldIn<$oty>>>()?;
                                    match value {
                                        Some(value) => {
                                            $ofield = Some(value.0);
                                            spellings.set($ojson, value.1);
                                            extra.remove($ojson);
                                        }
                                        None => {
                                            $ofield = None;
                                            spellings.set($ojson, None);
                                            extra.insert(key, ::serde_json::Value::Null);
                                        }
                                    }
                                } )*
                                $( $( $tjson => {
                                    let value = map.next_value::<::serde_json::Value>()?;
                                    let typed = <Option<$crate::record::FieldIn<$tty>> as ::serde::Deserialize>::deserialize(&value);
                                    match typed {
                                        Ok(Some(typed)) => {
                                            $tfield = Some(typed.0);
                                            spellings.set($tjson, typed.1);
                                            extra.remove($tjson);
                                        }
                                        // `null`, or a shape the type does not know: kept as sent.
                                        Ok(None) | Err(_) => {
                                            $tfield = None;
                                            spellings.set($tjson, None);
                                            extra.insert(key, value);
                                        }
                                    }
                                } )* )?
                                _ => {
                                    let value = map.next_value::<::serde_json::Value>()?;
                                    extra.insert(key, value);
                                }
                            }
                        }
                        Ok($name {
                            $( $rfield: $rfield.ok_or_else(|| <A::Error as ::serde::de::Error>::missing_field($rjson))?, )*
                            $( $ofield, )*
                            $( $( $tfield, )* )?
                            extra,
                            spellings,
                        })
                    }
                }
                deserializer.deserialize_map(RecordVisitor)
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                use ::serde::ser::SerializeMap as _;
                let mut map = serializer.serialize_map(None)?;
                $( $crate::record::serialize_typed(&mut map, $rjson, &self.$rfield, &self.spellings)?; )*
                $( if let Some(value) = &self.$ofield {
                    $crate::record::serialize_typed(&mut map, $ojson, value, &self.spellings)?;
                } )*
                $( $( if let Some(value) = &self.$tfield {
                    $crate::record::serialize_typed(&mut map, $tjson, value, &self.spellings)?;
                } )* )?
                for (key, value) in &self.extra {
                    // A typed value wins over a stale entry of the same name in `extra`.
                    let shadowed = match key.as_str() {
                        $( $rjson => true, )*
                        $( $ojson => self.$ofield.is_some(), )*
                        $( $( $tjson => self.$tfield.is_some(), )* )?
                        _ => false,
                    };
                    if !shadowed {
                        map.serialize_entry(key, value)?;
                    }
                }
                map.end()
            }
        }

        impl $crate::record::Field for $name {
            fn deserialize_field<'de, D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<(Self, Option<String>), D::Error> {
                <$name as ::serde::Deserialize>::deserialize(deserializer).map(|record| (record, None))
            }
            fn serialize_field<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                <$name as ::serde::Serialize>::serialize(self, serializer)
            }
        }
    };
}

pub(crate) use record;

#[cfg(test)]
mod tests;
