//! `GET /metrics` on the metrics listener: what a short session of traffic leaves in it, read
//! back from the exposition exactly, with every label value from a closed set.

use std::collections::HashMap;

use skyclust_sdk::types::VmStatus;
use skyclust_server::providers::ProviderError;
use skyclust_server::providers::sandbox::Call;
use skyclust_tests::{Backend, TestServer, each_backend};

use crate::register;
use crate::vms::{fast, sandbox_vm, status_change, workspace};

/// The samples of an OpenMetrics exposition, keyed by name and labels as written.
fn samples(text: &str) -> HashMap<String, f64> {
    text.lines()
        .filter(|line| !line.starts_with('#') && !line.is_empty())
        .filter_map(|line| {
            let (series, value) = line.rsplit_once(' ')?;
            Some((series.to_owned(), value.parse().ok()?))
        })
        .collect()
}

pub(crate) async fn scrape(server: &TestServer) -> (String, HashMap<String, f64>) {
    let url = server.metrics_url.as_deref().expect("the metrics listener is configured");
    let response = reqwest::get(url).await.expect("the metrics listener answers");
    assert_eq!(response.status(), 200);
    let kind = response.headers()["content-type"].to_str().unwrap().to_owned();
    assert!(kind.starts_with("application/openmetrics-text"), "{kind}");
    let text = response.text().await.unwrap();
    assert!(text.ends_with("# EOF\n"));
    let samples = samples(&text);
    (text, samples)
}

pub(crate) fn value(samples: &HashMap<String, f64>, series: &str) -> f64 {
    *samples.get(series).unwrap_or_else(|| panic!("no sample {series}"))
}

#[tokio::test]
async fn traffic_is_counted_by_operation_outcome_and_provider() {
    each_backend(|db| async move {
        let mut config = fast(db.config());
        config.metrics_bind = Some("127.0.0.1:0".parse().unwrap());
        config.rate_limit_anonymous = 4;
        let server = TestServer::start(config).await;
        let ada = server.client();
        register(&ada, "ada").await;
        let http = reqwest::Client::new();
        let api = |path: &str| format!("{}{path}", server.api_url);

        // A socket (its upgrade is anonymous: the budget's second request, after the
        // registration), two good gets, one of a missing workspace, and anonymous calls until
        // the anonymous budget of 4 runs out.
        let mut events = ada.events().subscribe().await.unwrap();
        let own = workspace(&ada, "metrics").await;
        ada.workspaces().get(own).await.unwrap();
        ada.workspaces().get(own).await.unwrap();
        assert!(ada.workspaces().get(uuid::Uuid::new_v4()).await.is_err());
        let mut refused = 0;
        for _ in 0..5 {
            let status = http.get(api("/workspaces")).send().await.unwrap().status();
            refused += u32::from(status == 429);
        }
        assert_eq!(refused, 3, "2 anonymous requests fit after the registration and the upgrade");

        // A VM's life on the sandbox, watched over the socket; its stop fails at the provider.
        let vm = ada.vms().create(&sandbox_vm(own, "metered")).await.unwrap();
        while status_change(&mut events, vm.id).await != VmStatus::Running {}
        server.state.sandbox.inject(Call::Stop, ProviderError::Quota("no stopping today".into()));
        ada.vms().stop(vm.id).await.unwrap();
        while status_change(&mut events, vm.id).await != VmStatus::Error {}

        // The worker counts an operation just after announcing its status: wait for the count.
        let stop_failed = r#"skyclust_vm_operations_total{provider="sandbox",kind="stop",outcome="failed"}"#;
        let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(10);
        let samples = loop {
            let (_, samples) = scrape(&server).await;
            if samples.contains_key(stop_failed)
                && samples.get("skyclust_vm_operations_unfinished") == Some(&0.0)
            {
                break samples;
            }
            assert!(tokio::time::Instant::now() < deadline, "the failed stop was never counted");
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        };
        let database = if db.backend == Backend::Postgres { "postgres" } else { "sqlite" };
        let build = format!(
            "skyclust_build_info{{version=\"{}\",database=\"{database}\",event_bus=\"{}\"}}",
            env!("CARGO_PKG_VERSION"),
            if server.state.redis.is_some() { "redis" } else { "in-process" }
        );
        assert_eq!(value(&samples, &build), 1.0);
        assert_eq!(
            value(&samples, r#"skyclust_http_requests_total{operation="get_workspace",status_class="2xx"}"#),
            2.0
        );
        assert_eq!(
            value(&samples, r#"skyclust_http_requests_total{operation="get_workspace",status_class="4xx"}"#),
            1.0
        );
        assert_eq!(
            value(
                &samples,
                r#"skyclust_http_requests_total{operation="list_workspaces",status_class="4xx"}"#
            ),
            5.0,
            "two 401s and three 429s"
        );
        assert_eq!(value(&samples, r#"skyclust_rate_limit_refusals_total{tier="anonymous"}"#), 3.0);
        assert_eq!(
            value(&samples, r#"skyclust_http_request_duration_seconds_count{operation="get_workspace"}"#),
            3.0
        );
        assert_eq!(
            value(
                &samples,
                r#"skyclust_vm_operations_total{provider="sandbox",kind="create",outcome="succeeded"}"#
            ),
            1.0
        );
        assert_eq!(value(&samples, stop_failed), 1.0);
        assert_eq!(
            value(
                &samples,
                r#"skyclust_provider_calls_total{provider="sandbox",call="create",outcome="ok"}"#
            ),
            1.0
        );
        assert_eq!(
            value(
                &samples,
                r#"skyclust_provider_calls_total{provider="sandbox",call="stop",outcome="quota"}"#
            ),
            1.0
        );
        let published = value(&samples, r#"skyclust_events_published_total{type="vm_status_changed"}"#);
        let delivered = value(&samples, r#"skyclust_events_delivered_total{type="vm_status_changed"}"#);
        assert!(published >= 2.0 && delivered >= 2.0, "published {published}, delivered {delivered}");
        assert_eq!(value(&samples, "skyclust_websocket_sessions"), 1.0);
        assert_eq!(value(&samples, "skyclust_db_up"), 1.0);
        assert_eq!(value(&samples, "skyclust_vm_operations_unfinished"), 0.0);
        assert!(value(&samples, "skyclust_db_pool_connections") >= 1.0);
        assert_eq!(value(&samples, "skyclust_db_pool_max_connections"), 4.0);
        assert!(value(&samples, "process_resident_memory_bytes") > 1e6);
        assert!(value(&samples, "process_open_fds") > 3.0);

        // The listener serves nothing else.
        let root = server.metrics_url.as_deref().unwrap().replace("/metrics", "/api/v1/health");
        assert_eq!(reqwest::get(root).await.unwrap().status(), 404);
        drop(events);
        server.stop().await;
        db.drop_now().await;
    })
    .await;
}
