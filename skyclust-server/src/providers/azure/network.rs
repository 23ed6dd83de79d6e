//! The virtual network SkyClust creates once per region for its VMs.

use super::*;

impl Azure {
    /// The network a VM of `region` joins, created once per region: the subnet's id. The
    /// network is PUT with its subnet inline, so two creates racing in a new region send the
    /// same body (a network PUT without `subnets` would remove the other's subnet).
    pub(super) async fn subnet(
        &self,
        account: &Account<'_>,
        region: &str,
        deadline: Instant,
    ) -> ProviderResult<String> {
        let network = format!("{}/providers/Microsoft.Network", account.group_path());
        // A Standard public address takes no inbound traffic unless a security group lets it:
        // the region's group lets SSH in, as `az vm create` does, and nothing else.
        let security = format!("{network}/networkSecurityGroups/skyclust-{region}");
        let security_body = json!({
            "location": region,
            "tags": {"skyclust-managed": "true"},
            "properties": {"securityRules": [{
                "name": "allow-ssh",
                "properties": {
                    "priority": 1000,
                    "direction": "Inbound",
                    "access": "Allow",
                    "protocol": "Tcp",
                    "sourceAddressPrefix": "*",
                    "sourcePortRange": "*",
                    "destinationAddressPrefix": "*",
                    "destinationPortRange": "22"
                }
            }]}
        });
        let subnet_body = json!({"addressPrefix": SUBNET_PREFIX, "networkSecurityGroup": {"id": security}});
        let vnet = format!("{network}/virtualNetworks/skyclust-{region}");
        let vnet_body = json!({
            "location": region,
            "tags": {"skyclust-managed": "true"},
            "properties": {
                "addressSpace": {"addressPrefixes": [VNET_SPACE]},
                "subnets": [{"name": "default", "properties": subnet_body}]
            }
        });
        let subnet = format!("{vnet}/subnets/default");
        // In order, each once the one before it exists; what still is being created is
        // retried later.
        let steps =
            [(&security, security_body), (&vnet, vnet_body), (&subnet, json!({"properties": subnet_body}))];
        for (path, body) in steps {
            if !self.put(account, (path, NETWORK_API), &body, deadline, Existing::Keep).await? {
                return Err(ProviderError::Retryable(format!(
                    "the virtual network of {region} is still being created"
                )));
            }
        }
        Ok(subnet)
    }
}
