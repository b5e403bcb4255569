//! The tenant's directory: people and their objects.

pub(crate) mod apps;
pub(crate) mod directory;
pub(crate) mod people;
