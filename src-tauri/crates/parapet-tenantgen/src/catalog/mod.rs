//! Static reference data: real networks, Microsoft apps and licences, names.

pub mod apps;
pub mod names;
pub mod networks;
pub mod remote_networks;
