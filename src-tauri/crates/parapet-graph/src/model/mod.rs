//! Microsoft-shaped response records. Each keeps the properties Parapet reads as typed fields
//! and every other property in `extra`, so nothing Microsoft sends is lost or rejected.
//! Timestamps stay as Microsoft's text (precision and offsets vary by service); the caller
//! parses them where it compares times.
//!
//! Where `parapet-snapshot` has the record type (sign-ins, audits, mail, apps, devices, CA
//! policies, audit records) it is re-exported and used, so fetched records go into a snapshot
//! unchanged. This crate keeps its own types where the snapshot's are stricter than what the
//! API may return (user `$select` projections without `id`, applications, `phoneMethods`
//! items without `@odata.type`, loosely typed Exchange cmdlet output) or where the snapshot has
//! no such file (risk, GDAP, Purview queries, subscriptions, operations).

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
