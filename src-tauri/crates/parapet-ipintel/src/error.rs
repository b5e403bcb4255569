use thiserror::Error;

/// Why the embedded IP-intelligence data could not be loaded.
///
/// The data is checked when the crate is built, so these mean a corrupted build artefact or a
/// malformed curated list, never bad user input.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum IpIntelError {
    #[error("embedded IP data could not be inflated: {0}")]
    Inflate(String),
    #[error("embedded IP data has an unknown header (expected PIPINTL1)")]
    BadMagic,
    #[error("embedded IP data ends early in the {section} table")]
    Truncated { section: &'static str },
    #[error("embedded IP data has unsorted or overlapping ranges in the {section} table")]
    Unsorted { section: &'static str },
    #[error("curated list {file} line {line}: {reason}")]
    List {
        file: &'static str,
        line: usize,
        reason: String,
    },
}
