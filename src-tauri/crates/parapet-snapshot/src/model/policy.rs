//! `conditionalAccessPolicies.json`: Conditional Access policies.

use chrono::{DateTime, Utc};

use crate::record::record;

record! {
    /// One item of `GET /identity/conditionalAccess/policies`.
    pub struct ConditionalAccessPolicy {
        required {
            id: String = "id",
        }
        optional {
            display_name: String = "displayName",
            /// `enabled`, `disabled`, `enabledForReportingButNotEnforced`.
            state: String = "state",
            created_date_time: DateTime<Utc> = "createdDateTime",
            modified_date_time: DateTime<Utc> = "modifiedDateTime",
            conditions: ConditionalAccessConditions = "conditions",
            grant_controls: ConditionalAccessGrantControls = "grantControls",
        }
    }
}

record! {
    /// A policy's `conditions` (who and what it applies to).
    pub struct ConditionalAccessConditions {
        required {}
        optional {
            users: ConditionalAccessUsers = "users",
            applications: ConditionalAccessApplications = "applications",
            locations: ConditionalAccessLocations = "locations",
            /// e.g. `all`, `browser`, `mobileAppsAndDesktopClients`, `exchangeActiveSync`, `other`.
            client_app_types: Vec<String> = "clientAppTypes",
            user_risk_levels: Vec<String> = "userRiskLevels",
            sign_in_risk_levels: Vec<String> = "signInRiskLevels",
        }
    }
}

record! {
    /// `conditions.users`: ids, or `All` / `GuestsOrExternalUsers` / `None`.
    pub struct ConditionalAccessUsers {
        required {}
        optional {
            include_users: Vec<String> = "includeUsers",
            exclude_users: Vec<String> = "excludeUsers",
            include_groups: Vec<String> = "includeGroups",
            exclude_groups: Vec<String> = "excludeGroups",
            include_roles: Vec<String> = "includeRoles",
            exclude_roles: Vec<String> = "excludeRoles",
        }
    }
}

record! {
    /// `conditions.applications`: app ids, or `All` / `Office365` / `None`.
    pub struct ConditionalAccessApplications {
        required {}
        optional {
            include_applications: Vec<String> = "includeApplications",
            exclude_applications: Vec<String> = "excludeApplications",
            include_user_actions: Vec<String> = "includeUserActions",
        }
    }
}

record! {
    /// `conditions.locations`: named-location ids, or `All` / `AllTrusted`.
    pub struct ConditionalAccessLocations {
        required {}
        optional {
            include_locations: Vec<String> = "includeLocations",
            exclude_locations: Vec<String> = "excludeLocations",
        }
    }
}

record! {
    /// A policy's `grantControls`.
    pub struct ConditionalAccessGrantControls {
        required {}
        optional {
            /// `AND` or `OR`.
            operator: String = "operator",
            /// e.g. `block`, `mfa`, `compliantDevice`, `domainJoinedDevice`.
            built_in_controls: Vec<String> = "builtInControls",
        }
    }
}
