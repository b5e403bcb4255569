//! Remediation against the Parapet Graph simulator over real HTTP.

mod containment;
mod isolation;
mod password;
mod persistence;
mod resume;
mod support;
