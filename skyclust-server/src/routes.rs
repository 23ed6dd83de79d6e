//! Every operation the server serves, assembled from each resource's module. A drift test
//! checks this list against `skyclust_types::operations::ALL`.

use crate::http::Api;

/// All operations.
pub fn api() -> Api {
    Api::default()
        .merge(crate::auth::routes::api())
        .merge(crate::api_keys::api())
        .merge(crate::users::api())
        .merge(crate::audit::routes::api())
        .merge(crate::workspaces::api())
        .merge(crate::credentials::api())
        .merge(crate::notifications::api())
        .merge(crate::vms::api())
        .merge(crate::vms::discovery::api())
        .merge(crate::costs::api())
        .merge(crate::health::api())
}
