use super::*;

fn vm_with(statuses: Value) -> Value {
    json!({"properties": {"instanceView": {"statuses": statuses}}})
}

#[test]
fn statuses_map_as_documented() {
    let with = |codes: &[&str]| {
        let statuses: Vec<Value> = codes.iter().map(|code| json!({"code": code, "level": "Info"})).collect();
        status_of(&vm_with(json!(statuses))).map(|(status, note)| (status, note.is_some()))
    };
    use VmStatus::*;
    let table: [(&[&str], VmStatus); 8] = [
        (&["ProvisioningState/creating"], Starting),
        (&["ProvisioningState/succeeded", "PowerState/starting"], Starting),
        (&["ProvisioningState/succeeded", "PowerState/running"], Running),
        (&["ProvisioningState/updating", "PowerState/stopping"], Stopping),
        (&["ProvisioningState/updating", "PowerState/deallocating"], Stopping),
        (&["ProvisioningState/succeeded", "PowerState/stopped"], Stopped),
        (&["ProvisioningState/succeeded", "PowerState/deallocated"], Stopped),
        (&["ProvisioningState/deleting", "PowerState/running"], Terminating),
    ];
    for (codes, status) in table {
        assert_eq!(with(codes), Ok((status, false)), "{codes:?}");
    }
    assert_eq!(
        with(&["ProvisioningState/succeeded", "PowerState/unknown"]).map(|(_, noted)| noted),
        Ok(true)
    );
    let failed = vm_with(
        json!([{"code": "ProvisioningState/failed/OverconstrainedAllocationRequest", "level": "Error",
            "message": "Allocation failed. VM(s) with the following constraints cannot be allocated"}]),
    );
    let error = status_of(&failed).unwrap_err();
    assert_eq!(
            error,
            ProviderError::InvalidRequest("OverconstrainedAllocationRequest: Allocation failed. VM(s) with the following constraints cannot be allocated".into())
        );
    let quota = vm_with(json!([{"code": "ProvisioningState/failed/QuotaExceeded", "message": "cores"}]));
    assert!(matches!(status_of(&quota), Err(ProviderError::Quota(_))));
    // A failed extension on a VM that runs: it runs.
    let extension =
        vm_with(json!([{"code": "ProvisioningState/failed/VMExtensionProvisioningError", "message": "x"},
            {"code": "PowerState/running"}]));
    assert_eq!(status_of(&extension), Ok((VmStatus::Running, None)));
}

#[test]
fn recorded_ids_keep_their_subscription_and_group() {
    let secrets = Secrets(
            json!({"tenant_id": "t", "client_id": "c", "client_secret": "s3cr3t-value", "subscription_id": "sub", "resource_group": "rg"})
                .as_object()
                .unwrap()
                .clone(),
        );
    let account = Account::of(&secrets).unwrap();
    let names = Names::locate(
        &account,
        "/subscriptions/other/resourceGroups/g2/providers/Microsoft.Compute/virtualMachines/web-1",
    )
    .unwrap();
    assert_eq!(
        names.nic_path(),
        "/subscriptions/other/resourceGroups/g2/providers/Microsoft.Network/networkInterfaces/web-1-nic"
    );
    assert_eq!(Names::locate(&account, "web-2").unwrap().group, "rg");
    assert!(
        Names::locate(
            &account,
            "/subscriptions/x/resourceGroups/y/providers/Microsoft.Network/networkInterfaces/z"
        )
        .is_err()
    );
    let shown = format!("{account:?}");
    assert!(shown.contains("sub") && shown.contains("rg") && !shown.contains("s3cr3t-value"), "{shown}");
}

#[test]
fn image_references_and_keys_are_checked() {
    assert!(is_image_reference(DEFAULT_IMAGE));
    assert!(is_image_reference(
        "MicrosoftWindowsServer:WindowsServer:2022-datacenter-azure-edition:20348.2849.241106"
    ));
    for bad in ["Canonical:ubuntu:server", "a:b:c:d:e", "a:b::d", "a:b:c:d/../x", ""] {
        assert!(!is_image_reference(bad), "{bad}");
    }
    let ed25519 =
        "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl ada@laptop";
    assert!(is_ssh_public_key(ed25519));
    assert!(!is_ssh_public_key(&format!("ada:{ed25519}")));
    assert!(!is_ssh_public_key("ecdsa-sha2-nistp256 AAAA"));
}
