use super::*;
use axum::http::Method;

#[test]
fn requests_are_labelled_by_operation_id_never_by_path() {
    assert_eq!(operation_of(&Method::GET, "/api/v1/workspaces"), "list_workspaces");
    let workspace = "/api/v1/workspaces/0f1e2d3c-4b5a-4978-8877-665544332211";
    assert_eq!(operation_of(&Method::GET, workspace), "get_workspace");
    assert_eq!(operation_of(&Method::HEAD, "/api/v1/health"), operation_of(&Method::GET, "/api/v1/health"));
    assert_eq!(operation_of(&Method::GET, "/ws"), "websocket");
    assert_eq!(operation_of(&Method::GET, "/swagger-ui/index.html"), "documentation");
    assert_eq!(operation_of(&Method::GET, "/api/v1/workspaces/a/b/c/d"), "unmatched");
    assert_eq!(operation_of(&Method::GET, "/etc/passwd"), "unmatched");
    assert_eq!(operation_of(&Method::GET, "/api/v1/workspaces/"), "unmatched");
    // Every declared operation is found at its own path.
    for operation in skyclust_types::operations::ALL {
        let path = format!("{}{}", crate::http::API_PREFIX, operation.path.replace("{id}", "x"));
        let method = Method::from_bytes(operation.method.as_str().as_bytes()).unwrap();
        let path = path.replace(['{', '}'], "");
        assert_eq!(operation_of(&method, &path), operation.id, "{path}");
    }
}

/// The sample names of an exposition: each `# TYPE` name with its type's suffixes.
fn exported(text: &str) -> std::collections::HashSet<String> {
    text.lines()
        .filter_map(|line| line.strip_prefix("# TYPE "))
        .filter_map(|line| line.split_once(' '))
        .flat_map(|(name, kind)| {
            let suffixes: &[&str] = match kind {
                "counter" => &["_total"],
                "histogram" => &["_bucket", "_count", "_sum"],
                "info" => &["_info"],
                _ => &[""],
            };
            suffixes.iter().map(move |suffix| format!("{name}{suffix}"))
        })
        .collect()
}

/// The metric names in `text`: words starting `skyclust_` or `process_`.
fn metric_names(text: &str) -> Vec<&str> {
    text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .filter(|word| word.starts_with("skyclust_") || word.starts_with("process_"))
        .collect()
}

#[test]
fn every_metric_the_dashboard_and_alert_rules_name_is_exported() {
    let metrics = Metrics::new("postgres", "redis");
    // One sample in every family (a family without one is not in the exposition).
    metrics.request("list_workspaces", 500, Duration::from_millis(1));
    metrics.rate_limited("user");
    metrics.database_error(DatabaseFailure::Unavailable);
    metrics.event_published(EventType::CostUpdated);
    metrics.event_delivered(EventType::CostUpdated);
    metrics.events_dropped("cost_updated", DropReason::SlowClient, 1);
    metrics.vm_operation(ProviderKind::Aws, "stop", VmOutcome::Failed, Duration::from_secs(1));
    metrics.provider_call(ProviderKind::Aws, "stop", None, Duration::from_secs(1));
    metrics.job_run("purge_expired", true, Instant::now());
    let mut text = String::new();
    prometheus_client::encoding::text::encode(&mut text, &metrics.registry).unwrap();
    let exported = exported(&text);

    let dashboard: serde_json::Value =
        serde_json::from_str(include_str!("../../../deploy/grafana/skyclust-dashboard.json")).unwrap();
    let mut queries = Vec::new();
    for panel in dashboard["panels"].as_array().unwrap() {
        let targets = panel["targets"].as_array().unwrap();
        assert!(!targets.is_empty(), "{} has no query", panel["title"]);
        queries.extend(targets.iter().map(|target| target["expr"].as_str().unwrap().to_owned()));
    }
    let alerts = include_str!("../../../deploy/prometheus/skyclust-alerts.yml");
    let mut named = 0;
    for text in queries.iter().map(String::as_str).chain([alerts]) {
        for name in metric_names(text) {
            assert!(exported.contains(name), "{name} is named in deploy/ but not exported");
            named += 1;
        }
    }
    assert!(named > 40, "only {named} metric names found");
}

#[test]
fn the_exposition_is_openmetrics_with_typed_units() {
    let metrics = Metrics::new("sqlite", "in-process");
    metrics.request("list_workspaces", 200, Duration::from_millis(20));
    metrics.request("list_workspaces", 503, Duration::from_millis(2));
    metrics.vm_operation(ProviderKind::Sandbox, "create", VmOutcome::Succeeded, Duration::from_secs(3));
    let mut text = String::new();
    prometheus_client::encoding::text::encode(&mut text, &metrics.registry).unwrap();
    assert!(
        text.contains(r#"skyclust_http_requests_total{operation="list_workspaces",status_class="2xx"} 1"#)
    );
    assert!(
        text.contains(r#"skyclust_http_requests_total{operation="list_workspaces",status_class="5xx"} 1"#)
    );
    assert!(text.contains(r#"skyclust_http_request_duration_seconds_count{operation="list_workspaces"} 2"#));
    assert!(text.contains("# UNIT skyclust_http_request_duration_seconds seconds"));
    assert!(
        text.contains(
            r#"skyclust_vm_operations_total{provider="sandbox",kind="create",outcome="succeeded"} 1"#
        )
    );
    assert!(text.contains(r#"skyclust_build_info{version=""#), "{text}");
    // Closed sets alerts watch are there at 0 before their first event.
    assert!(text.contains(r#"skyclust_events_dropped_total{type="cost_updated",reason="slow_client"} 0"#));
    assert!(text.contains(r#"skyclust_db_errors_total{class="unavailable"} 0"#));
    assert!(text.contains(r#"skyclust_rate_limit_refusals_total{tier="api_key"} 0"#));
    assert!(text.ends_with("# EOF\n"));
}
