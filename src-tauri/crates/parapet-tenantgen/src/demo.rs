//! The demo workspace: three small, varied, fictional tenants a new user sees first.

use chrono::{DateTime, Utc};

use crate::spec::{AttackFamily, Licences, LookalikeFamily, TenantSpec};
use crate::{generate, Generated, TenantGenError};

/// The specs of the demo tenants ending at `end` (180 days each): a P1 dental group near
/// Boston, a free-licence landscaping firm near Phoenix, a P2 logistics company near Dallas.
pub fn demo_specs(end: DateTime<Utc>) -> Vec<TenantSpec> {
    let mut dental = TenantSpec::new(
        0x5EED_0001,
        "Bayside Family Dental",
        "baysidefamilydental.com",
        24,
        180,
        end,
    );
    dental.attacks = vec![
        AttackFamily::AitmInboxRulePhish,
        AttackFamily::TargetedFailedSignIns,
    ];
    dental.benign_lookalikes = vec![
        LookalikeFamily::Traveller,
        LookalikeFamily::InternalForwarding,
        LookalikeFamily::NewPhone,
    ];

    let mut landscaping = TenantSpec::new(
        0x5EED_0002,
        "Desert Bloom Landscaping",
        "desertbloomlandscaping.com",
        16,
        180,
        end,
    );
    landscaping.licences = Licences {
        entra_id_p1: false,
        entra_id_p2: false,
    };
    landscaping.metro = 2;
    landscaping.attacks = vec![AttackFamily::PasswordSprayForwarding];
    landscaping.benign_lookalikes = vec![
        LookalikeFamily::LeaverForwardToManager,
        LookalikeFamily::AllStaffMail,
    ];

    let mut logistics = TenantSpec::new(
        0x5EED_0003,
        "Redline Freight Logistics",
        "redlinefreight.com",
        58,
        180,
        end,
    );
    logistics.licences = Licences {
        entra_id_p1: true,
        entra_id_p2: true,
    };
    logistics.metro = 1;
    logistics.attacks = vec![
        AttackFamily::IllicitConsent,
        AttackFamily::RemediatedWithLeftoverRule,
    ];
    logistics.benign_lookalikes = vec![
        LookalikeFamily::DailyVpnUser,
        LookalikeFamily::DeveloperGraphScript,
        LookalikeFamily::LegitimateConsent,
        LookalikeFamily::MailGatewayConnector,
    ];
    vec![dental, landscaping, logistics]
}

/// The demo tenants, generated. The dental group's compromised account also mailed its phish
/// to three people at the landscaping firm, so the Cross-Tenant Phish panel has work to do.
pub fn demo_tenants(end: DateTime<Utc>) -> Result<Vec<Generated>, TenantGenError> {
    let mut tenants: Vec<Generated> = demo_specs(end)
        .iter()
        .map(generate)
        .collect::<Result<_, _>>()?;
    if let [dental, landscaping, ..] = tenants.as_mut_slice() {
        for victim in &dental.truth.compromised {
            let sent = crate::deliver_phish(
                &dental.snapshot,
                &victim.user_principal_name,
                &mut landscaping.snapshot,
                3,
            )?;
            if sent.is_some() {
                break;
            }
        }
    }
    Ok(tenants)
}
