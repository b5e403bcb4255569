use serde_json::json;

use crate::client::{ApiVersion, TenantClient};
use crate::error::GraphError;
use crate::graph::query::{segment, ODataQuery};
use crate::model::identity::Device;
use crate::transport::paging::Pager;

impl TenantClient {
    pub fn devices(&self, query: &ODataQuery) -> Pager<Device> {
        self.graph_collection(ApiVersion::V1, "devices", query)
    }

    /// Devices the user registered (directoryObjects; device-typed in practice).
    pub fn registered_devices(&self, user: &str) -> Pager<Device> {
        self.graph_collection(
            ApiVersion::V1,
            &format!("users/{}/registeredDevices", segment(user)),
            &ODataQuery::new(),
        )
    }

    /// `PATCH /devices/{objectId}` `{"accountEnabled": …}` → 204. Takes the object `id`,
    /// not `deviceId`.
    pub async fn set_device_enabled(
        &self,
        object_id: &str,
        enabled: bool,
    ) -> Result<(), GraphError> {
        self.graph_patch(
            &format!("devices/{}", segment(object_id)),
            json!({ "accountEnabled": enabled }),
            None,
        )
        .await
    }

    pub async fn delete_device(&self, object_id: &str) -> Result<(), GraphError> {
        self.graph_delete(&format!("devices/{}", segment(object_id)), None)
            .await
    }
}
