//! The `record!` macro and the serde plumbing behind every snapshot record type.
//!
//! A record is a struct of typed fields (the ones the product reasons about) plus `extra`, a JSON
//! object holding everything else verbatim. The serde impls are generated here rather than
//! derived because derive cannot do three things the snapshot needs:
//! - keep an explicit `null` of a typed optional field apart from an absent one (the `null` is kept
//!   in `extra`, so re-emitting the record gives back exactly the fields Microsoft sent);
//! - read only the typed fields into types and everything else into `extra` in one pass, without
//!   `#[serde(flatten)]`'s buffering;
//! - write times in Microsoft's style (`Z`, no trailing fractional zeros) instead of chrono's.

use std::fmt;

use serde::de::{Deserialize, Deserializer, Error as _};
use serde::ser::{Serialize, Serializer};

/// A type that can appear as a typed record field.
pub(crate) trait Field: Sized {
    fn deserialize_field<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error>;
    fn serialize_field<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error>;
}

/// Deserializes a `T: Field`; lets `Option<FieldIn<T>>` tell `null` apart from a value.
pub(crate) struct FieldIn<T>(pub T);

impl<'de, T: Field> Deserialize<'de> for FieldIn<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        T::deserialize_field(deserializer).map(FieldIn)
    }
}

/// Serializes a `&T: Field`.
pub(crate) struct FieldOut<'a, T>(pub &'a T);

impl<T: Field> Serialize for FieldOut<'_, T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize_field(serializer)
    }
}

macro_rules! plain_field {
    ($($ty:ty),* $(,)?) => {$(
        impl Field for $ty {
            fn deserialize_field<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                <$ty as Deserialize>::deserialize(deserializer)
            }
            fn serialize_field<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                <$ty as Serialize>::serialize(self, serializer)
            }
        }
    )*};
}

plain_field!(String, bool, i64, f64, serde_json::Value);

impl<T: Field> Field for Vec<T> {
    fn deserialize_field<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let items = Vec::<FieldIn<T>>::deserialize(deserializer)?;
        Ok(items.into_iter().map(|item| item.0).collect())
    }
    fn serialize_field<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.iter().map(FieldOut))
    }
}

impl Field for chrono::DateTime<chrono::Utc> {
    fn deserialize_field<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        crate::time::parse(&text).ok_or_else(|| {
            D::Error::custom(format!(
                "invalid time {text:?}, expected ISO 8601 UTC such as 2026-05-01T08:15:30Z"
            ))
        })
    }
    fn serialize_field<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(&crate::time::Display(*self))
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

/// `Debug` for a record's `extra`, with secret-looking values replaced.
pub(crate) struct ExtraDebug<'a>(pub &'a serde_json::Map<String, serde_json::Value>);

impl fmt::Debug for ExtraDebug<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut map = f.debug_map();
        for (key, value) in self.0 {
            if SECRET_KEYS.contains(&key.as_str()) && !value.is_null() {
                map.entry(key, &"<redacted>");
            } else {
                map.entry(key, value);
            }
        }
        map.finish()
    }
}

/// Declares a snapshot record: typed `required` and `optional` fields with their JSON names, and
/// an `extra` map with every other field. See the module docs for why serde is hand-rolled.
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
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, PartialEq)]
        pub struct $name {
            $( $(#[$rmeta])* #[doc = concat!("JSON `", $rjson, "` (required).")] pub $rfield: $rty, )*
            $( $(#[$ometa])* #[doc = concat!("JSON `", $ojson, "`.")] pub $ofield: Option<$oty>, )*
            /// Every other field of the record as Microsoft sent it, including explicit `null`s of
            /// the optional fields above, so that serializing the record re-emits all of it.
            pub extra: serde_json::Map<String, serde_json::Value>,
        }

        impl $name {
            /// JSON names of the typed fields.
            pub const TYPED_FIELDS: &'static [&'static str] = &[$($rjson,)* $($ojson,)*];
        }

        impl ::std::fmt::Debug for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.debug_struct(stringify!($name))
                    $( .field(stringify!($rfield), &self.$rfield) )*
                    $( .field(stringify!($ofield), &self.$ofield) )*
                    .field("extra", &$crate::record::ExtraDebug(&self.extra))
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
                    #[allow(unused_mut)]
                    fn visit_map<A: ::serde::de::MapAccess<'de>>(self, mut map: A) -> Result<$name, A::Error> {
                        $( let mut $rfield: Option<$rty> = None; )*
                        $( let mut $ofield: Option<$oty> = None; )*
                        let mut extra = ::serde_json::Map::new();
                        while let Some(key) = map.next_key::<String>()? {
                            match key.as_str() {
                                $( $rjson => {
                                    let value = map.next_value::<$crate::record::FieldIn<$rty>>()?;
                                    $rfield = Some(value.0);
                                } )*
                                $( $ojson => {
                                    let value = map.next_value::<Option<$crate::record::FieldIn<$oty>>>()?;
                                    match value {
                                        Some(value) => {
                                            $ofield = Some(value.0);
                                            extra.remove($ojson);
                                        }
                                        None => {
                                            $ofield = None;
                                            extra.insert(key, ::serde_json::Value::Null);
                                        }
                                    }
                                } )*
                                _ => {
                                    let value = map.next_value::<::serde_json::Value>()?;
                                    extra.insert(key, value);
                                }
                            }
                        }
                        Ok($name {
                            $( $rfield: $rfield.ok_or_else(|| <A::Error as ::serde::de::Error>::missing_field($rjson))?, )*
                            $( $ofield, )*
                            extra,
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
                $( map.serialize_entry($rjson, &$crate::record::FieldOut(&self.$rfield))?; )*
                $( if let Some(value) = &self.$ofield {
                    map.serialize_entry($ojson, &$crate::record::FieldOut(value))?;
                } )*
                for (key, value) in &self.extra {
                    // A typed value wins over a stale entry of the same name in `extra`.
                    let shadowed = match key.as_str() {
                        $( $rjson => true, )*
                        $( $ojson => self.$ofield.is_some(), )*
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
            fn deserialize_field<'de, D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                <$name as ::serde::Deserialize>::deserialize(deserializer)
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
