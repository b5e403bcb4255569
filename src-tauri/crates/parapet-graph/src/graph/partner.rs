use crate::client::{ApiVersion, TenantClient};
use crate::graph::query::ODataQuery;
use crate::model::directory::{Contract, DelegatedAdminRelationship};
use crate::transport::paging::Pager;

impl TenantClient {
    /// `GET /contracts`: the partner's customers (only in partner tenants).
    pub fn contracts(&self, query: &ODataQuery) -> Pager<Contract> {
        self.graph_collection(ApiVersion::V1, "contracts", query)
    }

    /// `GET /tenantRelationships/delegatedAdminRelationships` (GDAP; `$top` up to 300).
    pub fn delegated_admin_relationships(
        &self,
        query: &ODataQuery,
    ) -> Pager<DelegatedAdminRelationship> {
        self.graph_collection(
            ApiVersion::V1,
            "tenantRelationships/delegatedAdminRelationships",
            query,
        )
    }
}
