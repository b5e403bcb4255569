//! `devices.json`: Entra device objects with their registered owners.

use chrono::{DateTime, Utc};

use crate::record::record;

record! {
    /// One item of `GET /devices`, plus `registeredOwners` (user object ids) from
    /// `GET /users/{id}/registeredDevices`.
    pub struct Device {
        required {
            /// Object id (not `deviceId`).
            id: String = "id",
        }
        optional {
            device_id: String = "deviceId",
            display_name: String = "displayName",
            operating_system: String = "operatingSystem",
            operating_system_version: String = "operatingSystemVersion",
            account_enabled: bool = "accountEnabled",
            /// `Workplace` (registered), `AzureAd` (joined), `ServerAd` (hybrid joined).
            trust_type: String = "trustType",
            approximate_last_sign_in_date_time: DateTime<Utc> = "approximateLastSignInDateTime",
            registration_date_time: DateTime<Utc> = "registrationDateTime",
            is_compliant: bool = "isCompliant",
            is_managed: bool = "isManaged",
            profile_type: String = "profileType",
            manufacturer: String = "manufacturer",
            model: String = "model",
            /// Object ids of the users who registered the device; each must be in `users.json`.
            registered_owners: Vec<String> = "registeredOwners",
        }
    }
}
