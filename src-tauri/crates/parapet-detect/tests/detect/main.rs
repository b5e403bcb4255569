//! Data-driven detection cases (each family, attack and look-alike) and the quality bar over
//! the shared example tenants.

mod baseline_cases;
mod consent_cases;
mod fixture;
mod followon_cases;
mod lookalikes;
mod mfa_phone_cases;
mod persistence_cases;
mod scenarios;
mod signin_cases;
mod spray_cases;
