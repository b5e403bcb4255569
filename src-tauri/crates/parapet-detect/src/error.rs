//! Errors of the detection crate. Detection itself cannot fail (bad records are skipped, not
//! fatal); these are for callers that hand the engine something it cannot use at all.

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum DetectError {
    /// The snapshot has no tenant id, so incident ids could not be stable.
    #[error("tenant.json has no id: incident ids would not be stable across scans")]
    MissingTenantId,
}

impl DetectError {
    /// Checks the evidence before a scan whose ids will be stored.
    pub fn check(evidence: &crate::Evidence) -> Result<(), DetectError> {
        if evidence.tenant.id.is_empty() {
            return Err(DetectError::MissingTenantId);
        }
        Ok(())
    }
}
