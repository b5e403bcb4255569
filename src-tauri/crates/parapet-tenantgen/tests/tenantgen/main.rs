//! Integration tests of the tenant generator.

mod determinism;
mod families;
mod networks;
mod support;
mod truth;
mod validity;
mod volumes;
