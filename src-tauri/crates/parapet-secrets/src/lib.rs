//! Secrets: tokens, client secrets and generated passwords.
//!
//! Invariant: a secret lives only in the OS keyring ([`Keyring`]) or in memory inside
//! [`Sensitive`]. `Sensitive` prints `<redacted>` from `Debug` and `Display` and refuses to be
//! serialized, so a secret cannot reach a log line, an error message, SQLite or an export by
//! accident: getting at the value takes an explicit [`Sensitive::expose`].

mod error;
mod keyring_store;
mod sensitive;

pub use error::SecretsError;
pub use keyring_store::{Keyring, SecretKey};
pub use sensitive::Sensitive;
