//! The resources themselves: creating, acting on, deleting, listing and tagging them, with the
//! refusals Azure gives.

use super::*;

pub(super) fn exists(world: &World, id: Option<&str>, kind: Kind) -> bool {
    id.and_then(|id| world.resources.get(&id.to_ascii_lowercase()))
        .is_some_and(|resource| resource.kind == kind)
}

pub(super) fn put(
    world: &mut World,
    kind: Kind,
    id: &str,
    mut body: Value,
    location: &str,
    failure: Option<(String, String)>,
) -> Response {
    let key = id.to_ascii_lowercase();
    let subscription = id.split('/').nth(2).unwrap_or_default().to_owned();
    let name = id.rsplit('/').next().unwrap_or_default().to_owned();
    let existing = world.resources.get(&key).cloned();
    body["id"] = json!(id);
    body["name"] = json!(name);
    match kind {
        Kind::SecurityGroup => {}
        Kind::Vnet => {
            let groups: Vec<String> = body["properties"]["subnets"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|subnet| subnet["properties"]["networkSecurityGroup"]["id"].as_str())
                .map(str::to_owned)
                .collect();
            if let Some(missing) =
                groups.iter().find(|group| !exists(world, Some(group), Kind::SecurityGroup))
            {
                return arm_error(
                    400,
                    "InvalidResourceReference",
                    &format!("Resource {missing} referenced by the subnet was not found."),
                );
            }
            if body["properties"]["addressSpace"]["addressPrefixes"].as_array().is_none_or(Vec::is_empty) {
                return arm_error(400, "InvalidRequestFormat", "addressSpace.addressPrefixes is required.");
            }
            // A network PUT replaces its subnets with those it lists: one it leaves out is
            // deleted, unless an interface uses it.
            let listed: Vec<String> = body["properties"]["subnets"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|subnet| subnet["name"].as_str())
                .map(|name| format!("{key}/subnets/{}", name.to_ascii_lowercase()))
                .collect();
            let dropped: Vec<String> = world
                .resources
                .keys()
                .filter(|other| other.starts_with(&format!("{key}/subnets/")) && !listed.contains(other))
                .cloned()
                .collect();
            for subnet in dropped {
                let in_use = world.resources.values().any(|resource| {
                    resource.body["properties"]["ipConfigurations"][0]["properties"]["subnet"]["id"]
                        .as_str()
                        .is_some_and(|id| id.to_ascii_lowercase() == subnet)
                });
                if in_use {
                    return arm_error(
                        400,
                        "InUseSubnetCannotBeDeleted",
                        &format!("Subnet {subnet} is in use and cannot be deleted."),
                    );
                }
                world.resources.remove(&subnet);
            }
        }
        Kind::Subnet => {
            let group = body["properties"]["networkSecurityGroup"]["id"].as_str();
            if group.is_some() && !exists(world, group, Kind::SecurityGroup) {
                return arm_error(
                    400,
                    "InvalidResourceReference",
                    "The subnet's network security group was not found.",
                );
            }
            let vnet = id.rsplit_once("/subnets/").map(|(vnet, _)| vnet).unwrap_or_default();
            if !exists(world, Some(vnet), Kind::Vnet) {
                return arm_error(
                    404,
                    "ParentResourceNotFound",
                    &format!(
                        "Can not perform requested operation on nested resource. Parent resource '{vnet}' not found."
                    ),
                );
            }
        }
        Kind::Address => {
            let sku = body["sku"]["name"].as_str();
            let method = body["properties"]["publicIPAllocationMethod"].as_str();
            if sku != Some("Standard") || method != Some("Static") {
                return arm_error(
                    400,
                    "StandardSkuPublicIPAddressesMustBeStatic",
                    "Public IPs must be of Standard SKU and statically allocated (Basic public IPs are retired).",
                );
            }
            let address = existing
                .as_ref()
                .and_then(|old| old.body["properties"]["ipAddress"].as_str().map(str::to_owned))
                .unwrap_or_else(|| {
                    world.serial += 1;
                    format!(
                        "20.{}.{}.{}",
                        100 + world.serial / 65536 % 100,
                        world.serial / 256 % 256,
                        world.serial % 256
                    )
                });
            body["properties"]["ipAddress"] = json!(address);
        }
        Kind::Interface => {
            let configuration = &body["properties"]["ipConfigurations"][0]["properties"];
            if !exists(world, configuration["subnet"]["id"].as_str(), Kind::Subnet) {
                return arm_error(
                    400,
                    "InvalidResourceReference",
                    "Resource referenced by the network interface's subnet was not found.",
                );
            }
            if let Some(address) = configuration["publicIPAddress"]["id"].as_str() {
                if !exists(world, Some(address), Kind::Address) {
                    return arm_error(
                        400,
                        "InvalidResourceReference",
                        &format!("Resource {address} referenced by the network interface was not found."),
                    );
                }
                let used = world.resources.iter().any(|(other, resource)| {
                    *other != key
                        && resource.kind == Kind::Interface
                        && resource.body["properties"]["ipConfigurations"][0]["properties"]["publicIPAddress"]
                            ["id"]
                            .as_str()
                            .map(str::to_ascii_lowercase)
                            == Some(address.to_ascii_lowercase())
                });
                if used {
                    return arm_error(
                        400,
                        "PublicIPAddressInUse",
                        &format!("Public IP address {address} is already in use."),
                    );
                }
            }
            let private = existing
                .as_ref()
                .and_then(|old| {
                    old.body["properties"]["ipConfigurations"][0]["properties"]["privateIPAddress"]
                        .as_str()
                        .map(str::to_owned)
                })
                .unwrap_or_else(|| {
                    world.serial += 1;
                    format!("10.0.0.{}", 4 + world.serial % 250)
                });
            body["properties"]["ipConfigurations"][0]["properties"]["privateIPAddress"] = json!(private);
            if let Some(vm) =
                existing.as_ref().and_then(|old| old.body["properties"].get("virtualMachine").cloned())
            {
                body["properties"]["virtualMachine"] = vm;
            }
        }
        Kind::Vm => {
            if existing.is_some() {
                return arm_error(
                    409,
                    "PropertyChangeNotAllowed",
                    "Changing property 'osProfile' is not allowed.",
                );
            }
            let properties = body["properties"].clone();
            let interface = properties["networkProfile"]["networkInterfaces"][0]["id"]
                .as_str()
                .unwrap_or_default()
                .to_owned();
            if !exists(world, Some(&interface), Kind::Interface) {
                return arm_error(
                    400,
                    "InvalidResourceReference",
                    &format!("Resource {interface} referenced by the virtual machine was not found."),
                );
            }
            if world.resources[&interface.to_ascii_lowercase()].body["properties"]["virtualMachine"]
                .is_object()
            {
                return arm_error(
                    400,
                    "NicInUse",
                    &format!("Network Interface {interface} is used by an existing VM."),
                );
            }
            let image = properties["storageProfile"]["imageReference"].clone();
            let size_ok = properties["hardwareProfile"]["vmSize"]
                .as_str()
                .is_some_and(|size| size.starts_with("Standard_"));
            let key_ok = properties["osProfile"]["linuxConfiguration"]["ssh"]["publicKeys"][0]["keyData"]
                .as_str()
                .is_some();
            if !size_ok
                || !key_ok
                || ["publisher", "offer", "sku", "version"].iter().any(|part| image[*part].as_str().is_none())
            {
                return arm_error(
                    400,
                    "InvalidParameter",
                    "The VM's size, image reference or SSH key is missing.",
                );
            }
            let disk_name =
                properties["storageProfile"]["osDisk"]["name"].as_str().unwrap_or("osdisk").to_owned();
            let group_path = id.split("/providers/").next().unwrap_or_default();
            let disk_id = format!("{group_path}/providers/Microsoft.Compute/disks/{disk_name}");
            let size = properties["storageProfile"]["osDisk"]["diskSizeGB"].clone();
            let disk_sku =
                properties["storageProfile"]["osDisk"]["managedDisk"]["storageAccountType"].clone();
            world.resources.insert(disk_id.to_ascii_lowercase(), Resource {
                kind: Kind::Disk,
                body: json!({"id": disk_id, "name": disk_name, "location": location, "managedBy": id, "sku": {"name": disk_sku}, "properties": {"diskSizeGB": size}}),
                power: None, next: VecDeque::new(), provisioning: "Succeeded".into(), failure: None,
            });
            body["properties"]["storageProfile"]["osDisk"]["managedDisk"]["id"] = json!(disk_id);
            if let Some(nic) = world.resources.get_mut(&interface.to_ascii_lowercase()) {
                nic.body["properties"]["virtualMachine"] = json!({"id": id});
            }
            if image["version"] == "latest" {
                body["properties"]["storageProfile"]["imageReference"]["exactVersion"] =
                    json!("24.04.202411030");
            }
            world.resources.insert(
                key.clone(),
                Resource {
                    kind,
                    body: body.clone(),
                    power: None,
                    next: VecDeque::from(["starting", "running"]),
                    provisioning: "Creating".into(),
                    failure: None,
                },
            );
            let shown = render(&world.resources[&key]);
            let started = Started {
                status: 201,
                effect: Effect::Provisioned(key),
                failure,
                by_location: false,
                body: shown,
            };
            return start_operation(world, location, &subscription, started);
        }
        Kind::Disk => return arm_error(400, "InvalidRequest", "Disks are created with their VM here."),
    }
    let status = if existing.is_some() { 200 } else { 201 };
    world.resources.insert(
        key.clone(),
        Resource {
            kind,
            body,
            power: None,
            next: VecDeque::new(),
            provisioning: "Succeeded".into(),
            failure: None,
        },
    );
    if kind == Kind::Vnet {
        // Subnets given inline become resources of their own.
        let subnets =
            world.resources[&key].body["properties"]["subnets"].as_array().cloned().unwrap_or_default();
        for subnet in subnets {
            let subnet_id = format!("{id}/subnets/{}", subnet["name"].as_str().unwrap_or("default"));
            world.resources.insert(
                subnet_id.to_ascii_lowercase(),
                Resource {
                    kind: Kind::Subnet,
                    body: json!({"id": subnet_id, "properties": subnet["properties"]}),
                    power: None,
                    next: VecDeque::new(),
                    provisioning: "Succeeded".into(),
                    failure: None,
                },
            );
        }
    }
    let shown = render(&world.resources[&key]);
    let started = Started { status, effect: Effect::Nothing, failure, by_location: false, body: shown };
    start_operation(world, location, &subscription, started)
}

pub(super) fn act(
    world: &mut World,
    key: &str,
    action: &str,
    location: &str,
    failure: Option<(String, String)>,
) -> Response {
    let subscription = key.split('/').nth(2).unwrap_or_default().to_owned();
    let Some(vm) = world.resources.get_mut(key).filter(|resource| resource.kind == Kind::Vm) else {
        return arm_error(404, "ResourceNotFound", "The Resource was not found.");
    };
    let next: &[&'static str] = match action {
        "start" => &["starting", "running"],
        "deallocate" => &["deallocating", "deallocated"],
        "restart" => &["starting", "running"],
        _ => return arm_error(400, "InvalidResourceType", &format!("No action {action}.")),
    };
    if action == "restart" && vm.power != Some("running") {
        return arm_error(409, "OperationNotAllowed", "Cannot restart the VM: it is not running.");
    }
    if failure.is_none() {
        vm.next = next.iter().copied().collect();
    }
    let started = Started {
        status: 202,
        effect: Effect::Nothing,
        failure,
        by_location: action == "deallocate",
        body: Value::Null,
    };
    start_operation(world, location, &subscription, started)
}

pub(super) fn delete(world: &mut World, kind: Kind, key: &str, location: &str) -> Response {
    let subscription = key.split('/').nth(2).unwrap_or_default().to_owned();
    let Some(resource) = world.resources.get(key).cloned() else {
        return StatusCode::NO_CONTENT.into_response();
    };
    let attached_vm = |field: &Value| {
        field.as_str().is_some_and(|vm| world.resources.contains_key(&vm.to_ascii_lowercase()))
    };
    match kind {
        Kind::Interface if attached_vm(&resource.body["properties"]["virtualMachine"]["id"]) => {
            return arm_error(
                400,
                "NicInUse",
                "Network Interface is used by existing resource. In order to delete the network interface, it must be dissociated from the resource.",
            );
        }
        Kind::Address => {
            let in_use = world.resources.values().any(|other| {
                other.kind == Kind::Interface
                    && other.body["properties"]["ipConfigurations"][0]["properties"]["publicIPAddress"]["id"]
                        .as_str()
                        .map(str::to_ascii_lowercase)
                        .as_deref()
                        == Some(key)
            });
            if in_use {
                return arm_error(
                    400,
                    "PublicIPAddressCannotBeDeleted",
                    "Public IP address can not be deleted since it is still allocated to a resource.",
                );
            }
        }
        Kind::Disk if attached_vm(&resource.body["managedBy"]) => {
            return arm_error(
                409,
                "OperationNotAllowed",
                "Disk is attached to VM. Disks cannot be deleted while attached.",
            );
        }
        Kind::Vm => {
            if let Some(vm) = world.resources.get_mut(key) {
                vm.provisioning = "Deleting".into();
            }
        }
        _ => {}
    }
    let started = Started {
        status: 202,
        effect: Effect::Remove(key.to_owned()),
        failure: None,
        by_location: false,
        body: Value::Null,
    };
    start_operation(world, location, &subscription, started)
}

/// `GET …/virtualMachines`: the group's VMs, a page at a time when a page size is set.
pub(super) async fn list_vms(
    shared: &Shared,
    headers: &HeaderMap,
    (subscription, group): (&str, &str),
    query: &HashMap<String, String>,
    path: &str,
) -> Response {
    if let Some(refusal) = wait_or_fail(shared, Call::ListVms).await {
        return refusal;
    }
    let mut world = lock(shared);
    if let Some(refusal) = refusal(&mut world, headers, subscription) {
        return refusal;
    }
    if query.get("api-version").map(String::as_str) != Some(COMPUTE_API) {
        return arm_error(400, "InvalidApiVersionParameter", "The api-version is invalid.");
    }
    if !world.groups.contains(&(subscription.to_ascii_lowercase(), group.to_ascii_lowercase())) {
        return arm_error(
            404,
            "ResourceGroupNotFound",
            &format!("Resource group '{group}' could not be found."),
        );
    }
    let prefix = format!("{}/", path.to_ascii_lowercase());
    let all: Vec<Value> = world
        .resources
        .iter()
        .filter(|(key, resource)| resource.kind == Kind::Vm && key.starts_with(&prefix))
        .map(|(_, resource)| render(resource))
        .collect();
    let start = query.get("$skiptoken").and_then(|token| token.parse::<usize>().ok()).unwrap_or(0);
    let size = world.page_size.unwrap_or(usize::MAX);
    let mut body = json!({"value": all.iter().skip(start).take(size).cloned().collect::<Vec<_>>()});
    if start.saturating_add(size) < all.len() {
        body["nextLink"] =
            json!(format!("{}{path}?api-version={COMPUTE_API}&$skiptoken={}", world.origin, start + size));
    }
    Json(body).into_response()
}

/// `PATCH` of a VM: its `tags` replaced when the body has them.
pub(super) fn patch(
    world: &mut World,
    key: &str,
    body: &Value,
    failure: Option<(String, String)>,
) -> Response {
    let subscription = key.split('/').nth(2).unwrap_or_default().to_owned();
    let Some(vm) = world.resources.get_mut(key).filter(|resource| resource.kind == Kind::Vm) else {
        return arm_error(404, "ResourceNotFound", "The Resource was not found.");
    };
    if failure.is_none()
        && let Some(tags) = body.get("tags").filter(|tags| tags.is_object())
    {
        vm.body["tags"] = tags.clone();
    }
    let location = vm.body["location"].as_str().unwrap_or("eastus").to_owned();
    let shown = render(vm);
    start_operation(
        world,
        &location,
        &subscription,
        Started { status: 200, effect: Effect::Nothing, failure, by_location: false, body: shown },
    )
}
