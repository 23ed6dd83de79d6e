//! Cost analysis on the sandbox cloud with a hand-moved clock: a VM running 36 hours across
//! three days gives exact per-day figures, stopped time costs storage only, the figures grow
//! while a VM runs, `cost_updated` reaches the workspace's members, and bad input is refused.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use chrono::TimeZone;
use futures_util::StreamExt;
use reqwest::StatusCode;
use serde_json::Value;
use skyclust_sdk::types::costs::{CostAnalysisQuery, CostBreakdownQuery, CostPeriod, CostService};
use skyclust_sdk::types::events::Event;
use skyclust_sdk::types::{
    AddMemberRequest, CreateVmRequest, CreateWorkspaceRequest, MemberRole, Provider, VmStatus,
};
use skyclust_sdk::{ErrorCode, EventStream, SkyClustClient};
use skyclust_server::Config;
use skyclust_server::clock::{Clock, ManualClock};
use skyclust_server::costs::{self, catalog::Catalog, metering::DayCost, metering::daily_costs};
use skyclust_server::storage::costs::MeterScope;
use skyclust_server::storage::vms::{self, NewVm, Observed};
use skyclust_server::storage::{Database, time};
use skyclust_tests::{TestServer, each_backend};

use crate::register;
use crate::vms::{PATIENCE, fast, next_matching, sandbox_vm};

mod roll_up;

fn vm(workspace: uuid::Uuid, instance_type: &str) -> CreateVmRequest {
    let name = format!("{instance_type}-vm");
    CreateVmRequest { instance_type: instance_type.into(), ..sandbox_vm(workspace, &name) }
}

/// Waits until `vm` is announced in `status` (statuses are stored at the clock's time).
async fn reaches(events: &mut EventStream, vm: uuid::Uuid, status: VmStatus) {
    next_matching(events, |event| match event {
        Event::VmStatusChanged { data, .. } if data.vm_id == vm && data.status == status => Some(()),
        _ => None,
    })
    .await
}

/// Waits until every one of `vms` is announced in `status`, in whatever order (the worker
/// runs operations of different VMs side by side).
async fn all_reach(events: &mut EventStream, vms: &[uuid::Uuid], status: VmStatus) {
    let mut waiting: std::collections::HashSet<uuid::Uuid> = vms.iter().copied().collect();
    while !waiting.is_empty() {
        let arrived = next_matching(events, |event| match event {
            Event::VmStatusChanged { data, .. } if data.status == status && waiting.contains(&data.vm_id) => {
                Some(data.vm_id)
            }
            _ => None,
        })
        .await;
        waiting.remove(&arrived);
    }
}

/// Moves the clock a second at a time until `vm` is announced in `status`: the sandbox
/// settles on its clock, after the worker has asked it to (which the test cannot see).
async fn settle(clock: &ManualClock, events: &mut EventStream, vm: uuid::Uuid, status: VmStatus) {
    let deadline = tokio::time::Instant::now() + PATIENCE;
    while tokio::time::Instant::now() < deadline {
        clock.advance(chrono::Duration::seconds(1));
        while let Ok(Some(event)) = tokio::time::timeout(Duration::from_millis(100), events.next()).await {
            if let Ok(Event::VmStatusChanged { data, .. }) = event
                && data.vm_id == vm
                && data.status == status
            {
                return;
            }
        }
    }
    panic!("{vm} did not reach {status:?}");
}

/// Moves the clock forward to `time`.
fn advance_to(clock: &ManualClock, time: chrono::DateTime<chrono::Utc>) {
    clock.advance(time - clock.now());
}

/// The next `cost_updated` on `events`: (workspace, total).
async fn cost_update(events: &mut EventStream) -> (uuid::Uuid, f64) {
    next_matching(events, |event| match event {
        Event::CostUpdated { data, .. } => Some((data.workspace_id, data.total_cost)),
        _ => None,
    })
    .await
}

fn week() -> CostAnalysisQuery {
    CostAnalysisQuery { period: Some(CostPeriod::Week), ..Default::default() }
}

#[tokio::test]
async fn a_vm_running_36_hours_over_three_days_costs_exactly_its_hours() {
    each_backend(|db| async move {
        let clock = ManualClock::new(chrono::Utc.with_ymd_and_hms(2030, 3, 1, 17, 59, 0).unwrap());
        let server = TestServer::start_with_clock(fast(db.config()), Arc::new(clock.clone())).await;
        let admin = server.client();
        register(&admin, "root").await;
        let ada = server.client();
        register(&ada, "ada").await;
        let bob = server.client();
        let bob_id = register(&bob, "bob").await.user.id;
        let workspace = ada
            .workspaces()
            .create(&CreateWorkspaceRequest { name: "prod".into(), description: None })
            .await
            .unwrap()
            .id;
        ada.workspaces()
            .add_member(workspace, &AddMemberRequest::user(bob_id, Some(MemberRole::Viewer)))
            .await
            .unwrap();
        let mut events = ada.events().subscribe().await.unwrap();
        let mut bobs_events = bob.events().subscribe().await.unwrap();

        // Created at 17:59; the instance exists from then on, and runs from 18:00.
        let id = ada.vms().create(&vm(workspace, "t3.micro")).await.unwrap().id;
        reaches(&mut events, id, VmStatus::Starting).await;
        clock.advance(chrono::Duration::minutes(1));
        reaches(&mut events, id, VmStatus::Running).await;
        assert_eq!(cost_update(&mut bobs_events).await.0, workspace, "members hear of the change");

        // While it runs, its cost grows with the clock.
        clock.advance(chrono::Duration::hours(18));
        let midway = ada.cost_analysis().get(&week()).await.unwrap();
        clock.advance(chrono::Duration::hours(6));
        let later = ada.cost_analysis().get(&week()).await.unwrap();
        assert!(later.total_cost > midway.total_cost, "{} then {}", midway.total_cost, later.total_cost);

        // An hourly update is due once an hour at most.
        let state = &server.state;
        assert_eq!(skyclust_server::costs::updates::publish_due(state.publisher()).await.unwrap(), 1);
        assert_eq!(skyclust_server::costs::updates::publish_due(state.publisher()).await.unwrap(), 0);
        clock.advance(chrono::Duration::minutes(59));
        assert_eq!(skyclust_server::costs::updates::publish_due(state.publisher()).await.unwrap(), 0);
        clock.advance(chrono::Duration::minutes(1));
        assert_eq!(skyclust_server::costs::updates::publish_due(state.publisher()).await.unwrap(), 1);

        // Stopped at 06:00 on the third day: 36 hours of running in all.
        clock.advance(chrono::Duration::hours(11));
        ada.vms().stop(id).await.unwrap();
        reaches(&mut events, id, VmStatus::Stopping).await;
        settle(&clock, &mut events, id, VmStatus::Stopped).await;
        advance_to(&clock, chrono::Utc.with_ymd_and_hms(2030, 3, 3, 12, 0, 0).unwrap());
        assert_eq!(
            skyclust_server::costs::updates::publish_due(state.publisher()).await.unwrap(),
            0,
            "nothing runs"
        );

        // Now 12:00 on day three. Per day: compute 6 h / 24 h / 6 h at $0.0104 and the 8 GB
        // volume (6 h 1 min / 24 h / 12 h at $0.64 a month): $0.067675, $0.270641, $0.072921.
        let costs = ada.cost_analysis().get(&week()).await.unwrap();
        assert_eq!(costs.total_cost, 0.41);
        assert_eq!((costs.currency.as_str(), costs.period), ("USD", CostPeriod::Week));
        let trend: Vec<(String, f64)> =
            costs.trend.iter().map(|point| (point.date.to_string(), point.cost)).collect();
        assert_eq!(
            trend,
            [
                ("2030-02-25".to_owned(), 0.0),
                ("2030-02-26".to_owned(), 0.0),
                ("2030-02-27".to_owned(), 0.0),
                ("2030-02-28".to_owned(), 0.0),
                ("2030-03-01".to_owned(), 0.07),
                ("2030-03-02".to_owned(), 0.27),
                ("2030-03-03".to_owned(), 0.07),
            ]
        );
        assert_eq!(costs.breakdown.len(), 1);
        assert_eq!((costs.breakdown[0].provider, costs.breakdown[0].cost), (Provider::Sandbox, 0.41));
        assert_eq!(costs.breakdown[0].percentage, 100.0);
        assert!(costs.unpriced_vms.is_empty());
        assert_eq!(costs.catalog_date, server.state.catalog.date());
        assert_eq!(cost_update(&mut events).await, (workspace, 0.41), "sent when it stopped");

        // Compute $0.3744, storage $0.036837: 37 and 4 cents, 91 % and 9 %.
        let query = CostBreakdownQuery {
            provider: Provider::Sandbox,
            service: None,
            period: None,
            workspace_id: None,
        };
        let breakdown = ada.cost_analysis().breakdown(&query).await.unwrap();
        let services: Vec<(CostService, f64, f64)> = breakdown
            .services
            .iter()
            .map(|service| (service.service, service.cost, service.percentage))
            .collect();
        assert_eq!(services, [(CostService::Compute, 0.37, 91.0), (CostService::BlockStorage, 0.04, 9.0)]);
        assert_eq!(breakdown.total_cost, 0.41);

        // A day later the stopped VM has cost its volume only.
        clock.advance(chrono::Duration::hours(24));
        let day_after = ada.cost_analysis().get(&week()).await.unwrap();
        assert_eq!(day_after.total_cost, 0.43, "plus 24 h of the volume: $0.021041");
        assert_eq!(day_after.trend.last().unwrap().cost, 0.01, "12 h of the volume today");
        let compute = CostBreakdownQuery { service: Some(CostService::Compute), ..query };
        assert_eq!(ada.cost_analysis().breakdown(&compute).await.unwrap().total_cost, 0.37);
    })
    .await;
}

#[tokio::test]
async fn figures_are_scoped_to_what_the_caller_sees_and_unknown_prices_are_listed() {
    each_backend(|db| async move {
        let clock = ManualClock::new(chrono::Utc.with_ymd_and_hms(2030, 6, 1, 0, 0, 0).unwrap());
        let server = TestServer::start_with_clock(fast(db.config()), Arc::new(clock.clone())).await;
        let admin = server.client();
        register(&admin, "root").await;
        let ada = server.client();
        register(&ada, "ada").await;
        let carol = server.client();
        register(&carol, "carol").await;
        let workspace = ada
            .workspaces()
            .create(&CreateWorkspaceRequest { name: "lab".into(), description: None })
            .await
            .unwrap()
            .id;
        let mut events = ada.events().subscribe().await.unwrap();
        let priced = ada.vms().create(&vm(workspace, "m5.large")).await.unwrap().id;
        let unpriced = ada.vms().create(&vm(workspace, "m5.nano")).await.unwrap().id;
        all_reach(&mut events, &[priced, unpriced], VmStatus::Starting).await;
        clock.advance(chrono::Duration::seconds(1));
        all_reach(&mut events, &[priced, unpriced], VmStatus::Running).await;
        clock.advance(chrono::Duration::hours(10));

        // m5.large: 10 h at $0.096 plus 10 h of its volume ($0.008767).
        let mine = ada.cost_analysis().get(&Default::default()).await.unwrap();
        assert_eq!(mine.total_cost, 0.97);
        assert_eq!((mine.period, mine.trend.len()), (CostPeriod::Month, 30));
        let unknown: Vec<(uuid::Uuid, &str)> =
            mine.unpriced_vms.iter().map(|vm| (vm.vm_id, vm.instance_type.as_str())).collect();
        assert_eq!(unknown, [(unpriced, "m5.nano")], "its cost is unknown, not zero");
        let everything = admin.cost_analysis().get(&Default::default()).await.unwrap();
        assert_eq!(everything.total_cost, 0.97, "admins see every workspace");
        let outsider = carol.cost_analysis().get(&Default::default()).await.unwrap();
        assert_eq!((outsider.total_cost, outsider.unpriced_vms.len()), (0.0, 0));
        assert!(outsider.trend.iter().all(|point| point.cost == 0.0));

        let narrowed =
            CostAnalysisQuery { workspace_id: Some(workspace), provider: Some(Provider::Aws), ..week() };
        let aws_only = ada.cost_analysis().get(&narrowed).await.unwrap();
        assert_eq!((aws_only.total_cost, aws_only.breakdown.len()), (0.0, 0));
        let hidden = CostAnalysisQuery { workspace_id: Some(workspace), ..Default::default() };
        let error = carol.cost_analysis().get(&hidden).await.unwrap_err();
        assert_eq!(error.code(), Some(ErrorCode::NotFound));

        let offers = ada.providers().list().await.unwrap();
        let sandbox = offers.providers.iter().find(|offer| offer.provider == Provider::Sandbox).unwrap();
        let east = sandbox.regions.iter().find(|region| region.region == "us-east-1").unwrap();
        let m5 = east.instance_types.iter().find(|price| price.instance_type == "m5.large").unwrap();
        assert_eq!(m5.hourly_cost, 0.096);
        assert!(!m5.source.is_empty());
        assert!(east.instance_types.iter().all(|price| price.instance_type != "m5.metal"), "not offered");
        assert_eq!(east.zones, ["us-east-1a", "us-east-1b", "us-east-1c"]);
        assert_eq!(
            east.storage.as_ref().map(|storage| (storage.gb_month_cost, storage.root_volume_gb)),
            Some((0.08, 8))
        );
    })
    .await;
}

async fn get(http: &reqwest::Client, server: &TestServer, token: &str, path: &str) -> (StatusCode, Value) {
    let response = http.get(format!("{}{path}", server.api_url)).bearer_auth(token).send().await.unwrap();
    (response.status(), response.json().await.unwrap())
}

#[tokio::test]
async fn bad_cost_queries_are_refused_with_the_field_named() {
    let server = TestServer::start(Config::for_database("sqlite::memory:")).await;
    let client: SkyClustClient = server.client();
    let token = register(&client, "root").await.token;
    let http = reqwest::Client::new();
    for (path, field) in [
        ("/cost-analysis?period=2d", "period"),
        ("/cost-analysis?provider=ibm", "provider"),
        ("/cost-analysis?workspace_id=nope", "workspace_id"),
        ("/cost-analysis/breakdown?period=30d", "provider"),
        ("/cost-analysis/breakdown?provider=aws&service=S3", "service"),
        ("/cost-analysis/breakdown?provider=aws&service=", "service"),
    ] {
        let (status, body) = get(&http, &server, &token, path).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{path}: {body}");
        assert_eq!(body["code"], "VALIDATION_ERROR", "{path}");
        assert!(body["data"]["fields"].get(field).is_some(), "{path} names {field}: {body}");
    }
    let unknown = uuid::Uuid::new_v4();
    let (status, body) = get(&http, &server, &token, &format!("/cost-analysis?workspace_id={unknown}")).await;
    assert_eq!((status, body["code"].as_str()), (StatusCode::NOT_FOUND, Some("NOT_FOUND")));
    let (status, body) =
        get(&http, &server, &token, "/cost-analysis/breakdown?provider=aws&service=EBS&period=90d").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["data"]["services"][0]["service"], "EBS");
    let (status, body) =
        get(&http, &server, &token, "/cost-analysis/breakdown?provider=sandbox&service=EC2").await;
    assert_eq!(status, StatusCode::OK, "another provider's service matches nothing: {body}");
    assert_eq!(
        (body["data"]["services"].as_array().map(Vec::len), body["data"]["total_cost"].as_f64()),
        (Some(0), Some(0.0))
    );
    server.stop().await;
}
