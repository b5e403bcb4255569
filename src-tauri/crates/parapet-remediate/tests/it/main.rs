//! Remediation against the Parapet Graph simulator over real HTTP.

mod chain;
mod containment;
mod exchange;
mod guards;
mod isolation;
mod password;
mod persistence;
mod planning;
mod reopen;
mod resume;
mod retract;
mod support;
