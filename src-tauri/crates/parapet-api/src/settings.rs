//! Workspace settings.

use crate::dto::Settings;
use crate::{ApiError, AppContext};
use parapet_store::SettingKey;

/// Tier bounds used until the technician sets their own (billable users per tier).
pub const DEFAULT_TIER_BOUNDS: [u32; 4] = [250, 1_000, 5_000, 20_000];

const MAX_NAME_CHARS: usize = 120;

/// The current settings, with defaults for what was never set.
pub fn get(context: &AppContext) -> Result<Settings, ApiError> {
    let store = context.store();
    let msp_display_name = store
        .setting(SettingKey::MspDisplayName)?
        .unwrap_or_default();
    let volume_tier_bounds = match store.setting(SettingKey::VolumeTierBounds)? {
        Some(text) => parse_bounds(&text)?,
        None => DEFAULT_TIER_BOUNDS.to_vec(),
    };
    Ok(Settings {
        msp_display_name,
        volume_tier_bounds,
    })
}

/// Validates and saves the settings; nothing is saved when any value is invalid.
pub fn update(context: &AppContext, settings: &Settings) -> Result<Settings, ApiError> {
    let name = settings.msp_display_name.trim();
    if name.chars().count() > MAX_NAME_CHARS {
        return Err(ApiError::invalid_input(format!(
            "the MSP name is longer than {MAX_NAME_CHARS} characters"
        )));
    }
    if name.chars().any(char::is_control) {
        return Err(ApiError::invalid_input(
            "the MSP name contains control characters",
        ));
    }
    let bounds = &settings.volume_tier_bounds;
    if bounds.is_empty() || bounds.windows(2).any(|pair| pair[0] >= pair[1]) || bounds[0] == 0 {
        return Err(ApiError::invalid_input(
            "volume tier bounds must be positive and strictly ascending",
        ));
    }
    let joined = bounds
        .iter()
        .map(u32::to_string)
        .collect::<Vec<_>>()
        .join(",");
    {
        let store = context.store();
        store.set_setting(SettingKey::MspDisplayName, name)?;
        store.set_setting(SettingKey::VolumeTierBounds, &joined)?;
    }
    get(context)
}

fn parse_bounds(text: &str) -> Result<Vec<u32>, ApiError> {
    text.split(',')
        .map(|part| {
            part.trim().parse::<u32>().map_err(|_| {
                ApiError::storage(format!("stored volume tier bounds are corrupt: {text:?}"))
            })
        })
        .collect()
}
