//! `tenant.json`: the tenant itself (a simplified organization resource).

use chrono::{DateTime, Utc};

use crate::record::record;

record! {
    /// `tenant.json`: who the tenant is and when the snapshot was taken.
    pub struct TenantInfo {
        required {
            /// Tenant (directory) id.
            id: String = "id",
            display_name: String = "displayName",
            default_domain_name: String = "defaultDomainName",
            verified_domains: Vec<String> = "verifiedDomains",
            /// The moment the snapshot describes: "now" for every time-based judgement.
            snapshot_time: DateTime<Utc> = "snapshotTime",
            licenses: Licenses = "licenses",
        }
        optional {}
    }
}

record! {
    /// Which Entra ID premium licences the tenant has (sign-in logs need P1; risk data needs P2).
    pub struct Licenses {
        required {
            entra_id_p1: bool = "entraIdP1",
            entra_id_p2: bool = "entraIdP2",
        }
        optional {}
    }
}
