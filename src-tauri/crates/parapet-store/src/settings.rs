use crate::{Store, StoreError};
use rusqlite::OptionalExtension;

/// The settings the store knows; a closed set so a typo cannot create a stray key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SettingKey {
    /// The MSP's name as shown on white-labeled reports.
    MspDisplayName,
    /// Upper bounds (inclusive) of the billable-user volume tiers, comma-separated.
    VolumeTierBounds,
    /// The MSP's own (partner) tenant id, learned at sign-in.
    PartnerTenantId,
    /// The technician who signed in (UPN), for display.
    TechnicianUpn,
    /// Application (client) id of the MSP's own multi-tenant app that customers consent to.
    MspAppId,
    /// Object id of that application in the partner tenant.
    MspAppObjectId,
    /// Object ids of break-glass accounts that a step-1 block policy must never include.
    BreakGlassAccounts,
    /// A random id of this workspace, naming its keyring namespace.
    WorkspaceId,
}

impl SettingKey {
    fn as_str(self) -> &'static str {
        match self {
            Self::MspDisplayName => "msp_display_name",
            Self::VolumeTierBounds => "volume_tier_bounds",
            Self::PartnerTenantId => "partner_tenant_id",
            Self::TechnicianUpn => "technician_upn",
            Self::MspAppId => "msp_app_id",
            Self::MspAppObjectId => "msp_app_object_id",
            Self::BreakGlassAccounts => "break_glass_accounts",
            Self::WorkspaceId => "workspace_id",
        }
    }
}

impl Store {
    /// A setting's value, or `None` when it was never set.
    pub fn setting(&self, key: SettingKey) -> Result<Option<String>, StoreError> {
        Ok(self
            .connection()
            .query_row(
                "SELECT value FROM settings WHERE key = ?1",
                [key.as_str()],
                |row| row.get(0),
            )
            .optional()?)
    }

    /// Forgets a setting.
    pub fn remove_setting(&self, key: SettingKey) -> Result<(), StoreError> {
        self.connection()
            .execute("DELETE FROM settings WHERE key = ?1", [key.as_str()])?;
        Ok(())
    }

    /// Sets a setting, replacing any previous value.
    pub fn set_setting(&self, key: SettingKey, value: &str) -> Result<(), StoreError> {
        self.connection().execute(
            "INSERT INTO settings (key, value) VALUES (?1, ?2)
             ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            [key.as_str(), value],
        )?;
        Ok(())
    }
}
