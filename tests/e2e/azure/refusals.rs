//! What Azure would refuse is refused first, and what it refuses or throttles anyway becomes
//! the VM's error or is waited out.

use super::*;

#[tokio::test]
async fn azure_requests_azure_would_refuse_are_refused_first() {
    let Lab { fake, db, server, ada, prod } = Lab::open(None).await;

    // The resource group is required and checked, and named in the 400.
    let mut no_group = fake.service_principal(SUBSCRIPTION, GROUP);
    no_group.remove("resource_group");
    let request =
        CreateCredentialRequest { name: "azure".into(), provider: Provider::Azure, data: no_group.clone() };
    let error = ada.credentials().create(&request).await.unwrap_err();
    assert_eq!(error.code(), Some(ErrorCode::ValidationError));
    assert_eq!(field(error), ["data.resource_group"]);
    no_group.insert("resource_group".into(), json!("bad/group"));
    no_group.insert("tenant_id".into(), json!("contoso.onmicrosoft.com"));
    let request = CreateCredentialRequest { name: "azure".into(), provider: Provider::Azure, data: no_group };
    assert_eq!(
        field(ada.credentials().create(&request).await.unwrap_err()),
        ["data.resource_group", "data.tenant_id"]
    );

    let refused = [
        (CreateVmRequest { region: "us-east-1".into(), ..azure_vm(prod, "x") }, "region"),
        (CreateVmRequest { region: "westus2".into(), ..azure_vm(prod, "x") }, "region"),
        (CreateVmRequest { instance_type: "standard_b1s".into(), ..azure_vm(prod, "x") }, "instance_type"),
        (
            CreateVmRequest { instance_type: "Standard_M416ms_v2".into(), ..azure_vm(prod, "x") },
            "instance_type",
        ),
        (CreateVmRequest { instance_type: "Standard B1s".into(), ..azure_vm(prod, "x") }, "instance_type"),
        (CreateVmRequest { zone: Some("4".into()), ..azure_vm(prod, "x") }, "zone"),
        (CreateVmRequest { image_id: Some("ami-12345678".into()), ..azure_vm(prod, "x") }, "image_id"),
        (CreateVmRequest { key_pair: None, ..azure_vm(prod, "x") }, "key_pair"),
        (CreateVmRequest { key_pair: Some("my-key-pair".into()), ..azure_vm(prod, "x") }, "key_pair"),
    ];
    for (request, named) in refused {
        assert_eq!(field(ada.vms().create(&request).await.unwrap_err()), [named], "{request:?}");
    }
    // Upper-case sizes are Azure's alone.
    let sandbox = CreateVmRequest { instance_type: "T3.micro".into(), ..crate::vms::sandbox_vm(prod, "x") };
    assert_eq!(field(ada.vms().create(&sandbox).await.unwrap_err()), ["instance_type"]);
    assert!(fake.requests().is_empty(), "nothing reached Azure: {:?}", fake.requests());

    // A zone and an image of one's choosing are used as given.
    let chosen = CreateVmRequest {
        zone: Some("2".into()),
        image_id: Some("Canonical:0001-com-ubuntu-server-jammy:22_04-lts-gen2:latest".into()),
        region: "westeurope".into(),
        instance_type: "Standard_D2s_v5".into(),
        ..azure_vm(prod, "chosen")
    };
    let vm = ada.vms().create(&chosen).await.unwrap();
    let running = ada.vms().wait_until(vm.id, VmStatus::Running, PATIENCE).await.unwrap();
    assert_eq!(running.zone.as_deref(), Some("2"));
    let created = fake.vm_of(vm.id).unwrap();
    assert_eq!((created["zones"].clone(), created["location"].clone()), (json!(["2"]), json!("westeurope")));
    assert_eq!(
        created["properties"]["storageProfile"]["imageReference"]["offer"],
        "0001-com-ubuntu-server-jammy"
    );
    let name = created["name"].as_str().unwrap();
    let address = fake
        .resource(&format!("{}/providers/Microsoft.Network/publicIPAddresses/{name}-ip", group_path()))
        .unwrap();
    assert_eq!(address["zones"], json!(["2"]), "the address is in the VM's zone");

    // VMs created at once in a region without a network yet all get one network and subnet.
    let creating = (0..3).map(|n| {
        let request =
            CreateVmRequest { region: "northeurope".into(), ..azure_vm(prod, &format!("north-{n}")) };
        let ada = ada.clone();
        async move { ada.vms().create(&request).await.unwrap().id }
    });
    for id in futures_util::future::join_all(creating).await {
        ada.vms().wait_until(id, VmStatus::Running, PATIENCE).await.unwrap();
    }
    let north: Vec<String> = fake
        .resources()
        .into_iter()
        .filter(|id| id.contains("/virtualNetworks/skyclust-northeurope"))
        .collect();
    assert_eq!(north.len(), 2, "{north:?}");
    Lab { fake, db, server, ada, prod }.close().await;
}

#[tokio::test]
async fn azures_refusals_become_errors_and_throttling_is_waited_out() {
    let Lab { fake, db, server, ada, prod } = Lab::open(None).await;

    // A quota Azure refuses the VM with: `error` with Azure's reason, and deleting the VM
    // removes the interface and address made before the refusal.
    let quota = "Operation could not be completed as it results in exceeding approved Total Regional Cores quota. Current Limit: 4, Current Usage: 4, Additional Required: 1.";
    fake.fail_next(
        Call::PutVm,
        Fault::Http { status: 409, code: "OperationNotAllowed", message: quota.into(), retry_after: None },
    );
    let vm = ada.vms().create(&azure_vm(prod, "over-quota")).await.unwrap();
    let failed = ada.vms().wait_until(vm.id, VmStatus::Error, PATIENCE).await.unwrap();
    let reason = failed.status_reason.unwrap_or_default();
    assert_eq!(reason, format!("quota exceeded: 409 OperationNotAllowed: {quota}"));
    assert_eq!(leftovers(&fake).len(), 2, "the address and interface were made: {:?}", leftovers(&fake));
    ada.vms().delete(vm.id).await.unwrap();
    ada.vms().wait_until(vm.id, VmStatus::Terminated, PATIENCE).await.unwrap();
    assert_eq!(leftovers(&fake), Vec::<String>::new(), "nothing leaks from a create that failed half way");

    // Throttling is waited out as Azure asks (`Retry-After`), inside the same call.
    fake.fail_next(
        Call::PutAddress,
        Fault::Http {
            status: 429,
            code: "TooManyRequests",
            message: "Too many requests.".into(),
            retry_after: Some(1),
        },
    );
    let vm = ada.vms().create(&azure_vm(prod, "throttled")).await.unwrap();
    ada.vms().wait_until(vm.id, VmStatus::Running, PATIENCE).await.unwrap();
    let name = fake.vm_of(vm.id).unwrap()["name"].as_str().unwrap().to_owned();
    let address_puts = fake
        .requests()
        .iter()
        .filter(|line| {
            *line == &format!("PUT {}/providers/Microsoft.Network/publicIPAddresses/{name}-ip", group_path())
        })
        .count();
    assert_eq!(address_puts, 2);
    let retried: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM vm_operations WHERE vm_id = $1 AND last_error IS NOT NULL")
            .bind(vm.id.to_string())
            .fetch_one(server.state.db.pool())
            .await
            .unwrap();
    assert_eq!(retried, 0, "waited out inside the call, not retried by the operation");

    // A VM whose PUT was carried out but whose answer was lost: the retry finds it (by its
    // tag) and reads it instead of PUTting it again.
    fake.fail_next(Call::PutVm, Fault::AnswerLost);
    let vm = ada.vms().create(&azure_vm(prod, "lost-answer")).await.unwrap();
    ada.vms().wait_until(vm.id, VmStatus::Running, PATIENCE).await.unwrap();
    let lost = fake.vm_of(vm.id).unwrap()["name"].as_str().unwrap().to_owned();
    let vm_puts = fake
        .requests()
        .iter()
        .filter(|line| line.starts_with("PUT") && line.ends_with(&format!("/virtualMachines/{lost}")))
        .count();
    assert_eq!(vm_puts, 1);
    ada.vms().delete(vm.id).await.unwrap();
    ada.vms().wait_until(vm.id, VmStatus::Terminated, PATIENCE).await.unwrap();

    // An allocation failure reported by the VM's operation: the VM is `error` with Azure's
    // message, and its delete removes the failed VM and all it holds.
    let allocation =
        "Allocation failed. We do not have sufficient capacity for the requested VM size in this region.";
    fake.fail_next(Call::PutVm, Fault::Operation { code: "AllocationFailed", message: allocation.into() });
    let vm = ada.vms().create(&azure_vm(prod, "no-capacity")).await.unwrap();
    let failed = ada.vms().wait_until(vm.id, VmStatus::Error, PATIENCE).await.unwrap();
    assert_eq!(
        failed.status_reason.unwrap_or_default(),
        format!("invalid request: AllocationFailed: {allocation}")
    );
    ada.vms().delete(vm.id).await.unwrap();
    ada.vms().wait_until(vm.id, VmStatus::Terminated, PATIENCE).await.unwrap();

    // A delete that fails half way (the interface refused once) is resumed to the end.
    fake.fail_next(
        Call::DeleteInterface,
        Fault::Http {
            status: 503,
            code: "ServiceUnavailable",
            message: "Try again.".into(),
            retry_after: None,
        },
    );
    let other = ada.vms().create(&azure_vm(prod, "half-deleted")).await.unwrap();
    ada.vms().wait_until(other.id, VmStatus::Running, PATIENCE).await.unwrap();
    ada.vms().delete(other.id).await.unwrap();
    ada.vms().wait_until(other.id, VmStatus::Terminated, PATIENCE).await.unwrap();
    let throttled_vm = vm_resources(&fake, &name);
    assert_eq!(leftovers(&fake), throttled_vm, "only the throttled VM's resources remain");

    // A secret Entra ID refuses (rotated in the portal): a clear reason, without the secret.
    let mut rotated = fake.service_principal(SUBSCRIPTION, GROUP);
    let secret = "an-old-secret-value-0123456789";
    rotated.insert("client_secret".into(), json!(secret));
    let stale = store_principal(&ada, "stale", rotated).await;
    let vm = ada
        .vms()
        .create(&CreateVmRequest { credential_id: Some(stale.id), ..azure_vm(prod, "stale") })
        .await
        .unwrap();
    let failed = ada.vms().wait_until(vm.id, VmStatus::Error, PATIENCE).await.unwrap();
    let reason = failed.status_reason.unwrap_or_default();
    assert!(reason.starts_with("authentication failed: Microsoft Entra ID refused the credential: invalid_client: AADSTS7000215: Invalid client secret provided."), "{reason}");
    assert!(!reason.contains(secret) && !reason.contains("Trace ID"));
    let mut refused = vec![vm.id];
    // A principal of another subscription may not touch this one.
    let mut elsewhere = fake.service_principal("0e0e0e0e-0000-4000-8000-000000000000", GROUP);
    elsewhere.insert("subscription_id".into(), json!(SUBSCRIPTION));
    let foreign = store_principal(&ada, "foreign", elsewhere).await;
    let vm = ada
        .vms()
        .create(&CreateVmRequest { credential_id: Some(foreign.id), ..azure_vm(prod, "foreign") })
        .await
        .unwrap();
    let failed = ada.vms().wait_until(vm.id, VmStatus::Error, PATIENCE).await.unwrap();
    assert!(
        failed
            .status_reason
            .unwrap_or_default()
            .starts_with("authentication failed: 403 AuthorizationFailed")
    );
    refused.push(vm.id);
    // A resource group that does not exist is the credential's problem, said so.
    let missing = fake.service_principal(SUBSCRIPTION, GROUP);
    let mut missing = missing;
    missing.insert("resource_group".into(), json!("no-such-group"));
    let lost = store_principal(&ada, "lost", missing).await;
    let vm = ada
        .vms()
        .create(&CreateVmRequest { credential_id: Some(lost.id), ..azure_vm(prod, "lost") })
        .await
        .unwrap();
    let failed = ada.vms().wait_until(vm.id, VmStatus::Error, PATIENCE).await.unwrap();
    assert!(
        failed.status_reason.unwrap_or_default().starts_with("invalid request: 404 ResourceGroupNotFound")
    );
    refused.push(vm.id);
    // None of them made anything Azure would let them remove: each can still be deleted.
    for id in refused {
        ada.vms().delete(id).await.unwrap();
        ada.vms().wait_until(id, VmStatus::Terminated, PATIENCE).await.unwrap();
    }
    Lab { fake, db, server, ada, prod }.close().await;
}
