//! Integration tests of the tenant generator.

mod at_scale;
mod detect;
mod determinism;
mod families;
mod networks;
mod support;
mod truth;
mod validity;
mod volumes;
