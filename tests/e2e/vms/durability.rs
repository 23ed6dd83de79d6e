//! What survives restarts and replicas: an interrupted operation resumes, two servers run each
//! operation once, and the reconciler shows changes made outside SkyClust.

use super::*;

#[tokio::test]
async fn an_operation_interrupted_by_a_restart_resumes() {
    each_backend(|db| async move {
        // The first server accepts the VM but its worker never gets to it.
        let mut idle = fast(db.config());
        idle.worker_poll_ms = 3_600_000;
        let first = TestServer::start(idle).await;
        let ada = first.client();
        let session = register(&ada, "ada").await;
        let prod = workspace(&ada, "prod").await;
        let vm = ada.vms().create(&sandbox_vm(prod, "survivor")).await.unwrap();
        first.stop().await;

        let second = TestServer::start(fast(db.config())).await;
        let client = second.client();
        client.set_token(Some(session.token));
        assert_eq!(
            client.vms().wait_until(vm.id, VmStatus::Running, PATIENCE).await.unwrap().status,
            VmStatus::Running
        );
        second.stop().await;
        db.drop_now().await;
    })
    .await;
}

#[tokio::test]
async fn two_servers_on_one_database_run_each_operation_once() {
    const VMS: usize = 8;
    let backends = skyclust_tests::backends();
    let backend = if backends.contains(&Backend::Postgres) { Backend::Postgres } else { Backend::Sqlite };
    let db = TestDatabase::create(backend).await;
    // With Redis (when this run has one), as replicas are deployed.
    let mut config = fast(db.config());
    if let Ok(url) = std::env::var(skyclust_tests::REDIS_ENV) {
        config.redis_url = Some(skyclust_tests::secret(url));
        config.redis_prefix = format!("skyclust-test:{}:", uuid::Uuid::new_v4().simple());
    }
    let one = TestServer::start(config.clone()).await;
    let two = TestServer::start(config).await;
    let ada = one.client();
    let session = register(&ada, "ada").await;
    let prod = workspace(&ada, "prod").await;
    let mut ids = Vec::new();
    for n in 0..VMS {
        ids.push(ada.vms().create(&sandbox_vm(prod, &format!("vm-{n}"))).await.unwrap().id);
    }
    let other = two.client();
    other.set_token(Some(session.token));
    for id in &ids {
        assert_eq!(
            other.vms().wait_until(*id, VmStatus::Running, PATIENCE).await.unwrap().status,
            VmStatus::Running
        );
    }
    // Had a create run twice, the sandbox would hold two instances for one VM.
    let instances: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM sandbox_instances")
        .fetch_one(one.state.db.pool())
        .await
        .unwrap();
    assert_eq!(instances, VMS as i64);
    // Each operation closes just after its VM shows `running`: wait for the last to close.
    let succeeded = || async {
        sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM vm_operations WHERE state = 'succeeded'")
            .fetch_one(one.state.db.pool())
            .await
            .unwrap()
    };
    let runs = tokio::time::timeout(PATIENCE, async {
        loop {
            let runs = succeeded().await;
            if runs >= VMS as i64 {
                return runs;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    })
    .await
    .expect("every operation closes");
    assert_eq!(runs, VMS as i64, "each operation ran once");
    one.stop().await;
    two.stop().await;
    db.drop_now().await;
}

#[tokio::test]
async fn the_reconciler_shows_changes_made_outside_skyclust() {
    each_backend(|db| async move {
        let server = TestServer::start(fast(db.config())).await;
        let ada = server.client();
        register(&ada, "ada").await;
        let prod = workspace(&ada, "prod").await;
        let vm = ada.vms().create(&sandbox_vm(prod, "web-1")).await.unwrap();
        let running = ada.vms().wait_until(vm.id, VmStatus::Running, PATIENCE).await.unwrap();
        let instance_id = running.instance_id.unwrap();
        let mut events = ada.events().subscribe().await.unwrap();

        // Someone stops the instance from the cloud's own console…
        sqlx::query(
            "UPDATE sandbox_instances SET state = 'stopped', settles_at = NULL WHERE instance_id = $1",
        )
        .bind(instance_id.clone())
        .execute(server.state.db.pool())
        .await
        .unwrap();
        assert_eq!(ada.vms().get(vm.id).await.unwrap().status, VmStatus::Running, "not noticed yet");
        let stopped = reconciled(&server, &ada, vm.id, VmStatus::Stopped).await;
        assert_eq!(stopped.public_ip, None);
        assert_eq!(status_change(&mut events, vm.id).await, VmStatus::Stopped);

        // …then deletes it there: the VM is terminated and its creator told.
        sqlx::query("DELETE FROM sandbox_instances WHERE instance_id = $1")
            .bind(instance_id.clone())
            .execute(server.state.db.pool())
            .await
            .unwrap();
        reconciled(&server, &ada, vm.id, VmStatus::Terminated).await;
        let history = skyclust_server::storage::vms::history(&server.state.db, vm.id).await.unwrap();
        let tail: Vec<VmStatus> = history.iter().rev().take(2).map(|(status, _)| *status).collect();
        assert_eq!(tail, [VmStatus::Terminated, VmStatus::Stopped]);
        notified(&mut events, "VM terminated").await;
        server.stop().await;
        db.drop_now().await;
    })
    .await;
}
