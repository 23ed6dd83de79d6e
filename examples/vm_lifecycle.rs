//! A VM's life on the built-in sandbox cloud: create it, wait for it to run, stop, start, and
//! delete it, printing the events as they arrive.
//!
//! Start a server (`cargo run -p skyclust-server`), then:
//!
//! ```text
//! cargo run -p skyclust-examples --example vm_lifecycle -- http://127.0.0.1:8080/api/v1
//! ```

use std::time::Duration;

use futures_util::StreamExt;
use skyclust_sdk::types::{
    CreateVmRequest, CreateWorkspaceRequest, LoginRequest, Provider, RegisterRequest, VmStatus,
};
use skyclust_sdk::{ErrorCode, SkyClustClient};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let base_url = std::env::args().nth(1).unwrap_or_else(|| "http://127.0.0.1:8080/api/v1".to_owned());
    let client = SkyClustClient::new(base_url)?;
    let account = RegisterRequest {
        username: "vm-example".into(),
        email: "vm-example@example.com".into(),
        password: "vm-example-password".into(),
    };
    if let Err(error) = client.auth().register(&account).await {
        if error.code() != Some(ErrorCode::Conflict) {
            return Err(error.into());
        }
        client
            .auth()
            .login(&LoginRequest { email: account.email.clone(), password: account.password.clone() })
            .await?;
    }

    // Print every VM event in the background.
    let mut events = client.events().subscribe().await?;
    tokio::spawn(async move {
        while let Some(Ok(event)) = events.next().await {
            if let skyclust_sdk::types::events::Event::VmStatusChanged { data, .. } = event {
                println!("  event: {:?} → {:?}", data.previous_status, data.status);
            }
        }
    });

    let name = format!("lab-{}", std::process::id());
    let workspace =
        client.workspaces().create(&CreateWorkspaceRequest { name: name.clone(), description: None }).await?;
    let vm = client
        .vms()
        .create(&CreateVmRequest {
            name: "web-1".into(),
            provider: Provider::Sandbox,
            instance_type: "t3.micro".into(),
            region: "us-east-1".into(),
            zone: None,
            workspace_id: Some(workspace.id),
            image_id: None,
            key_pair: None,
            credential_id: None,
        })
        .await?;
    println!("created {} ({:?})", vm.id, vm.status);
    let patience = Duration::from_secs(120);
    let running = client.vms().wait_until(vm.id, VmStatus::Running, patience).await?;
    println!(
        "running at {} / {}",
        running.public_ip.unwrap_or_default(),
        running.private_ip.unwrap_or_default()
    );
    client.vms().stop(vm.id).await?;
    client.vms().wait_until(vm.id, VmStatus::Stopped, patience).await?;
    println!("stopped");
    client.vms().start(vm.id).await?;
    client.vms().wait_until(vm.id, VmStatus::Running, patience).await?;
    println!("running again");
    client.vms().delete(vm.id).await?;
    let gone = client.vms().wait_until(vm.id, VmStatus::Terminated, patience).await?;
    println!("{:?}", gone.status);
    client.workspaces().delete(workspace.id).await?;
    Ok(())
}
