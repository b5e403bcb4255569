//! Directory objects: users, licences (SKUs) and users' authentication methods.

use chrono::{DateTime, Utc};

use crate::record::record;

record! {
    /// `users.json`: one item of `GET /users`.
    pub struct User {
        required {
            /// Object id; the key of every per-user collection.
            id: String = "id",
            user_principal_name: String = "userPrincipalName",
        }
        optional {
            display_name: String = "displayName",
            given_name: String = "givenName",
            surname: String = "surname",
            mail: String = "mail",
            account_enabled: bool = "accountEnabled",
            /// `Member` or `Guest`.
            user_type: String = "userType",
            /// `true` for users synced from on-premises AD; `null` (not `false`) for cloud users.
            on_premises_sync_enabled: bool = "onPremisesSyncEnabled",
            usage_location: String = "usageLocation",
            created_date_time: DateTime<Utc> = "createdDateTime",
            assigned_licenses: Vec<AssignedLicense> = "assignedLicenses",
            job_title: String = "jobTitle",
            department: String = "department",
        }
    }
}

record! {
    /// One entry of a user's `assignedLicenses`.
    pub struct AssignedLicense {
        required {}
        optional {
            sku_id: String = "skuId",
            disabled_plans: Vec<String> = "disabledPlans",
        }
    }
}

record! {
    /// `subscribedSkus.json`: one item of `GET /subscribedSkus`.
    pub struct SubscribedSku {
        required {
            sku_id: String = "skuId",
        }
        optional {
            id: String = "id",
            sku_part_number: String = "skuPartNumber",
            /// `Enabled`, `Warning`, `Suspended`, `Deleted`, `LockedOut`.
            capability_status: String = "capabilityStatus",
            consumed_units: i64 = "consumedUnits",
            prepaid_units: LicenseUnits = "prepaidUnits",
            service_plans: Vec<ServicePlanInfo> = "servicePlans",
            applies_to: String = "appliesTo",
            account_id: String = "accountId",
            account_name: String = "accountName",
            subscription_ids: Vec<String> = "subscriptionIds",
        }
    }
}

record! {
    /// A SKU's `prepaidUnits`.
    pub struct LicenseUnits {
        required {}
        optional {
            enabled: i64 = "enabled",
            locked_out: i64 = "lockedOut",
            suspended: i64 = "suspended",
            warning: i64 = "warning",
        }
    }
}

record! {
    /// One of a SKU's `servicePlans`.
    pub struct ServicePlanInfo {
        required {}
        optional {
            service_plan_id: String = "servicePlanId",
            service_plan_name: String = "servicePlanName",
            provisioning_status: String = "provisioningStatus",
            applies_to: String = "appliesTo",
        }
    }
}

record! {
    /// `authenticationMethods.json`: one item of `GET /users/{id}/authentication/methods`, a
    /// polymorphic collection told apart by `@odata.type`.
    pub struct AuthenticationMethod {
        required {
            /// e.g. `#microsoft.graph.microsoftAuthenticatorAuthenticationMethod`.
            odata_type: String = "@odata.type",
            /// Not unique across users: the password method and the phone methods have fixed ids.
            id: String = "id",
        }
        optional {
            /// Device name for Authenticator and Windows Hello methods, key name for FIDO2.
            display_name: String = "displayName",
            /// Null for an Authenticator unless it is registered for passwordless sign-in, so an
            /// added Authenticator often cannot be dated from here. FIDO2 keys use
            /// `creationDateTime` instead; see [`AuthenticationMethod::created`].
            created_date_time: DateTime<Utc> = "createdDateTime",
            phone_number: String = "phoneNumber",
            /// `mobile`, `alternateMobile`, `office`.
            phone_type: String = "phoneType",
            device_tag: String = "deviceTag",
            phone_app_version: String = "phoneAppVersion",
            email_address: String = "emailAddress",
        }
    }
}

impl AuthenticationMethod {
    /// The method's type without the `#microsoft.graph.` prefix, e.g. `phoneAuthenticationMethod`.
    pub fn kind(&self) -> &str {
        let odata_type = self.odata_type.as_str();
        odata_type
            .strip_prefix("#microsoft.graph.")
            .or_else(|| odata_type.strip_prefix("microsoft.graph."))
            .unwrap_or(odata_type)
    }

    /// When the method was registered: `createdDateTime`, or the FIDO2 spelling
    /// `creationDateTime` (kept in `extra`), when either holds a valid time.
    pub fn created(&self) -> Option<DateTime<Utc>> {
        self.created_date_time.or_else(|| {
            self.extra
                .get("creationDateTime")
                .and_then(serde_json::Value::as_str)
                .and_then(crate::time::parse)
        })
    }
}

impl User {
    /// Whether `upn` is this user's UPN, compared case-insensitively as Entra does.
    pub fn has_upn(&self, upn: &str) -> bool {
        self.user_principal_name.eq_ignore_ascii_case(upn)
    }
}
