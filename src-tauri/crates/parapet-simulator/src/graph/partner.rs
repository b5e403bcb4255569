//! Partner-tenant resources: the customers (`contracts`, GDAP relationships) are the loaded
//! tenants; `organization` describes the token's tenant.

use super::collection::{list, ListSpec};
use super::users::method_not_allowed;
use super::Ctx;
use crate::http::{GraphRequest, SimResponse};
use crate::state::tenant::{Record, TenantData};
use crate::state::SimState;
use serde_json::{json, Value};

pub fn route(
    st: &mut SimState,
    ctx: &Ctx,
    req: &GraphRequest,
    segs: &[&str],
) -> Option<SimResponse> {
    if req.method != "GET" {
        return Some(method_not_allowed(ctx));
    }
    let is_partner = st.is_partner(&ctx.tenant_id);
    let customers: Vec<&TenantData> = if is_partner {
        st.tenants.values().collect()
    } else {
        Vec::new()
    };
    Some(match segs {
        ["contracts"] => {
            let items = customers.iter().map(|t| contract(t)).collect();
            list(ctx, req, items, &ListSpec::new("contracts", 999, 999))
        }
        ["tenantRelationships", "delegatedAdminRelationships"] => {
            // Every second customer came through an indirect provider (a reseller relationship),
            // so clients meet both documented item types.
            let items = customers
                .iter()
                .enumerate()
                .map(|(i, t)| relationship(t, &st.partner.id, i % 2 == 1))
                .collect();
            list(
                ctx,
                req,
                items,
                &ListSpec::new("delegatedAdminRelationships", 300, 300).strict_top(),
            )
        }
        ["organization"] => {
            let org = st
                .data(&ctx.tenant_id)
                .map(organization)
                .into_iter()
                .collect();
            list(ctx, req, org, &ListSpec::new("organization", 1, 1))
        }
        _ => return None,
    })
}

fn contract(t: &TenantData) -> Record {
    obj(json!({
        "id": t.id, "contractType": "ResellerPartner", "customerId": t.id,
        "defaultDomainName": t.default_domain, "displayName": t.display_name,
    }))
}

fn relationship(t: &TenantData, partner_id: &str, reseller: bool) -> Record {
    let mut r = obj(json!({
        "@odata.type": "#microsoft.graph.delegatedAdminRelationship",
        "@odata.etag": "W/\"JyIwMDAwMDAwMC0wMDAwLTAwMDAtMDAwMC0wMDAwMDAwMDAwMDAiJw==\"",
        "id": format!("{}-{}", &partner_id[..8.min(partner_id.len())], t.id),
        "displayName": format!("{} admin relationship", t.display_name),
        "duration": "P730D",
        "customer": {"tenantId": t.id, "displayName": t.display_name},
        "accessDetails": {"unifiedRoles": [
            {"roleDefinitionId": "62e90394-69f5-4237-9190-012177145e10"},
            {"roleDefinitionId": "fe930be7-5e62-47db-91af-98c3a49a38b1"},
        ]},
        "status": "active",
        "autoExtendDuration": "P180D",
        "createdDateTime": "2026-01-05T09:00:00Z",
        "lastModifiedDateTime": "2026-01-05T09:10:00Z",
        "activatedDateTime": "2026-01-05T09:10:00Z",
        "endDateTime": "2028-01-05T09:00:00Z",
    }));
    if reseller {
        r.insert(
            "@odata.type".into(),
            json!("#microsoft.graph.resellerDelegatedAdminRelationship"),
        );
        r.insert("isPartnerConsentPending".into(), json!(false));
        r.insert(
            "indirectProviderTenantId".into(),
            json!("8a1c5f3e-2b7d-4e9a-9c61-0d4f2e8b7a15"),
        );
    }
    r
}

fn organization(t: &TenantData) -> Record {
    let domains: Vec<Value> = t
        .verified_domains
        .iter()
        .map(|d| json!({"capabilities": "Email, OfficeCommunicationsOnline", "isDefault": d.eq_ignore_ascii_case(&t.default_domain), "isInitial": d.ends_with(".onmicrosoft.com"), "name": d, "type": "Managed"}))
        .collect();
    obj(json!({
        "id": t.id, "displayName": t.display_name, "verifiedDomains": domains,
        "tenantType": "AAD", "countryLetterCode": "US",
    }))
}

fn obj(v: Value) -> Record {
    match v {
        Value::Object(o) => o,
        _ => Record::new(),
    }
}
