//! Microsoft-shaped response records. Each keeps the properties Parapet reads as typed fields
//! and every other property in `extra`, so nothing Microsoft sends is lost or rejected.
//! Timestamps stay as Microsoft's text (precision and offsets vary by service); the caller
//! parses them where it compares times.
//!
//! These are this crate's own types until `parapet-snapshot` offers equivalents.

pub mod apps;
pub mod directory;
pub mod exchange;
pub mod identity;
pub mod logs;
pub mod mail;
pub mod management;

/// Defines a record: `req` fields must be present, `opt` fields become `Option<T>`, and all
/// unknown properties land in `extra`.
macro_rules! record {
    (
        $(#[$meta:meta])*
        pub struct $name:ident {
            $( req $(#[$rmeta:meta])* $rfield:ident : $rty:ty, )*
            $( opt $(#[$ometa:meta])* $ofield:ident : $oty:ty, )*
        }
    ) => {
        #[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
        $(#[$meta])*
        pub struct $name {
            $( $(#[$rmeta])* pub $rfield: $rty, )*
            $(
                $(#[$ometa])*
                #[serde(default, skip_serializing_if = "Option::is_none")]
                pub $ofield: Option<$oty>,
            )*
            /// Properties without a typed field, kept verbatim.
            #[serde(flatten)]
            pub extra: serde_json::Map<String, serde_json::Value>,
        }
    };
}
pub(crate) use record;

record! {
    /// `{"emailAddress":{"name","address"}}`
    #[serde(rename_all = "camelCase")]
    pub struct Recipient {
        opt email_address: EmailAddress,
    }
}

record! {
    #[serde(rename_all = "camelCase")]
    pub struct EmailAddress {
        opt name: String,
        opt address: String,
    }
}

/// Accepts a single recipient object where a collection is documented (the messageRule
/// `redirectTo` property is documented as one recipient but sent as a collection).
pub(crate) fn one_or_many<'de, D>(deserializer: D) -> Result<Option<Vec<Recipient>>, D::Error>
where
    D: serde::Deserializer<'de>,
{
    #[derive(serde::Deserialize)]
    #[serde(untagged)]
    enum Shape {
        Many(Vec<Recipient>),
        One(Recipient),
    }
    let shape: Option<Shape> = serde::Deserialize::deserialize(deserializer)?;
    Ok(shape.map(|s| match s {
        Shape::Many(v) => v,
        Shape::One(r) => vec![r],
    }))
}
