//! Discovery: `GET /credentials/{id}/instances` lists what a credential's account runs, whether
//! SkyClust created it or not, each instance marked managed or unmanaged.
//!
//! Regions are read side by side ([`REGIONS_AT_ONCE`] per request, [`SCANS_AT_ONCE`] across
//! the server), all within [`SCAN_DEADLINE`] (waiting for a slot included, and well inside the
//! request's own time limit): a slow or failing region is reported in `failed_regions` and does
//! not hold up the others. What a region answered is kept for [`FRESH_FOR`] by the server clock,
//! so paging through a list reads the provider once; a failure is kept for [`FAILURE_FRESH_FOR`],
//! so a burst of requests does not ask a failing provider again each time.

use std::cmp::Ordering;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use futures_util::StreamExt;
use parking_lot::Mutex;
use skyclust_types::instances::{DiscoveredInstance, InstanceList, InstanceListing, RegionFailure};
use skyclust_types::list::{ListQuery, SortDirection};
use skyclust_types::operations::credentials::ListCredentialInstances;
use skyclust_types::{ErrorCode, Provider};
use tokio::sync::Semaphore;
use uuid::Uuid;

use crate::access;
use crate::auth::Principal;
use crate::clock::Clock;
use crate::costs::catalog::Catalog;
use crate::crypto::Vault;
use crate::error::{ApiError, ApiResult};
use crate::http::{Api, Ctx, Input};
use crate::providers::{Discovered, ProviderError, ProviderResult, Registry, Secrets};
use crate::storage::adoption;
use crate::storage::credentials::{self as stored_credentials, CredentialRecord};

/// Most instances read of one region; more are reported as a region failure.
pub const MAX_LISTED: usize = 5000;
/// Regions one request reads at once.
const REGIONS_AT_ONCE: usize = 4;
/// Region reads under way across the server.
const SCANS_AT_ONCE: usize = 16;
/// How long one discovery waits for its regions.
const SCAN_DEADLINE: Duration = Duration::from_secs(20);
/// How long a region's answer is reused.
pub const FRESH_FOR: chrono::Duration = chrono::Duration::seconds(30);
/// How long a region's failure is reused.
pub const FAILURE_FRESH_FOR: chrono::Duration = chrono::Duration::seconds(5);
/// Region answers kept at once.
const CACHED: usize = 1024;

/// The discovery endpoint.
pub fn api() -> Api {
    Api::default().endpoint::<ListCredentialInstances, _>(list)
}

/// What one region answered, and when.
#[derive(Debug, Clone)]
struct Scan {
    at: DateTime<Utc>,
    /// The credential as it was (a changed credential may reach another account).
    version: DateTime<Utc>,
    outcome: Result<Arc<Vec<Discovered>>, RegionFailure>,
}

/// Region answers and the server-wide bound on region reads.
#[derive(Debug)]
pub struct Discovery {
    scans: Mutex<HashMap<(Uuid, String), Scan>>,
    slots: Semaphore,
}

impl Default for Discovery {
    fn default() -> Self {
        Discovery { scans: Mutex::new(HashMap::new()), slots: Semaphore::new(SCANS_AT_ONCE) }
    }
}

impl Discovery {
    /// Forgets what the regions of `credential` answered (its instances were just tagged or
    /// untagged).
    pub fn forget(&self, credential: Uuid) {
        self.lock().retain(|(id, _), _| *id != credential);
    }

    fn lock(&self) -> parking_lot::MutexGuard<'_, HashMap<(Uuid, String), Scan>> {
        self.scans.lock()
    }

    fn cached(&self, credential: &CredentialRecord, region: &str, now: DateTime<Utc>) -> Option<Scan> {
        let scans = self.lock();
        let scan = scans.get(&(credential.id, region.to_owned()))?;
        let fresh_for = if scan.outcome.is_ok() { FRESH_FOR } else { FAILURE_FRESH_FOR };
        (scan.version == credential.updated_at && now - scan.at < fresh_for).then(|| scan.clone())
    }

    fn keep(&self, credential: Uuid, region: &str, scan: Scan) {
        let mut scans = self.lock();
        if scans.len() >= CACHED {
            let now = scan.at;
            scans.retain(|_, kept| now - kept.at < FRESH_FOR);
            if scans.len() >= CACHED
                && let Some(oldest) = scans.iter().min_by_key(|(_, kept)| kept.at).map(|(key, _)| key.clone())
            {
                scans.remove(&oldest);
            }
        }
        scans.insert((credential, region.to_owned()), scan);
    }
}

/// The decrypted fields of `credential`, as its provider's driver takes them.
pub fn driver_secrets(vault: &Vault, credential: &CredentialRecord) -> ApiResult<Secrets> {
    let secrets = crate::credentials::secrets(vault, credential)?;
    Ok(match credential.provider {
        Provider::Sandbox => crate::providers::sandbox::with_account(secrets, credential.user_id),
        _ => secrets,
    })
}

/// Why `region` is not one of `provider`'s, if it is not.
pub fn region_problem(catalog: &Catalog, provider: Provider, region: &str) -> Option<String> {
    let known = match provider {
        Provider::Aws => skyclust_types::credentials::is_aws_region(region),
        _ => catalog.regions(provider).contains(&region),
    };
    (!known).then(|| match provider {
        Provider::Aws => "must be an AWS region such as us-east-1".to_owned(),
        _ => format!("must be a {} region SkyClust prices: {}", provider.as_str(), {
            let mut regions = catalog.regions(provider);
            regions.sort_unstable();
            regions.join(", ")
        }),
    })
}

/// The regions read when none are named: the credential's own, else every region priced.
pub fn default_regions(catalog: &Catalog, credential: &CredentialRecord) -> Vec<String> {
    match &credential.region {
        Some(region) => vec![region.clone()],
        None => {
            let mut regions: Vec<String> =
                catalog.regions(credential.provider).into_iter().map(str::to_owned).collect();
            regions.sort_unstable();
            regions
        }
    }
}

/// The answer when `provider`'s driver is not enabled on this server.
pub fn not_enabled(provider: Provider) -> ApiError {
    ApiError::unavailable(format!("Provider {} is not enabled on this server", provider.as_str()))
}

/// What the provider's message says, as an API error.
pub fn provider_failure(error: &ProviderError) -> ApiError {
    ApiError::new(ErrorCode::ProviderError, format!("The provider refused: {error}"))
}

/// Reads `regions` of `credential`'s account (or reuses what they answered lately).
async fn scan(
    (providers, discovery, clock): (&Registry, &Discovery, &dyn Clock),
    credential: &CredentialRecord,
    secrets: &Secrets,
    regions: &[String],
) -> Vec<(String, Result<Arc<Vec<Discovered>>, RegionFailure>)> {
    let Some(driver) = providers.get(credential.provider).cloned() else { return Vec::new() };
    let deadline = tokio::time::Instant::now() + SCAN_DEADLINE;
    let reads = regions.iter().cloned().map(|region| {
        let driver = driver.clone();
        async move {
            let region = region.as_str();
            let now = clock.now();
            if let Some(scan) = discovery.cached(credential, region, now) {
                return (region.to_owned(), scan.outcome);
            }
            let read = async {
                match discovery.slots.acquire().await {
                    Ok(_slot) => Some(driver.list(secrets, region, MAX_LISTED + 1).await),
                    Err(_) => None,
                }
            };
            let outcome = match tokio::time::timeout_at(deadline, read).await {
                Ok(None) => {
                    Err(failure(region, ErrorCode::ServiceUnavailable, "the server is stopping".into()))
                }
                Ok(Some(read)) => region_outcome(region, Some(read), MAX_LISTED),
                Err(_) => region_outcome(region, None, MAX_LISTED),
            };
            let scan = Scan { at: now, version: credential.updated_at, outcome: outcome.clone() };
            discovery.keep(credential.id, region, scan);
            (region.to_owned(), outcome)
        }
    });
    futures_util::stream::iter(reads).buffered(REGIONS_AT_ONCE).collect().await
}

fn failure(region: &str, code: ErrorCode, message: String) -> RegionFailure {
    RegionFailure { region: region.to_owned(), code: code.as_str().to_owned(), message }
}

/// What a region's read (`None`: it ran out of time) comes to, when at most `most` instances
/// are kept (the read asked for one more, to tell a full region from a larger one).
fn region_outcome(
    region: &str,
    read: Option<ProviderResult<Vec<Discovered>>>,
    most: usize,
) -> Result<Arc<Vec<Discovered>>, RegionFailure> {
    match read {
        None => Err(failure(
            region,
            ErrorCode::ServiceUnavailable,
            format!("the provider did not answer within {} s", SCAN_DEADLINE.as_secs()),
        )),
        Some(Err(error)) => Err(failure(region, ErrorCode::ProviderError, error.to_string())),
        Some(Ok(found)) if found.len() > most => Err(failure(
            region,
            ErrorCode::ProviderError,
            format!("more than {most} instances: name fewer regions or filter at the provider"),
        )),
        Some(Ok(found)) => Ok(Arc::new(found)),
    }
}

async fn list(ctx: Ctx, caller: Principal, input: Input<ListCredentialInstances>) -> ApiResult<InstanceList> {
    let credential = stored_credentials::find_owned(&ctx.state.db, caller.user.id, input.path.id)
        .await?
        .ok_or_else(|| ApiError::not_found("No such credential"))?;
    if ctx.state.providers.get(credential.provider).is_none() {
        return Err(not_enabled(credential.provider));
    }
    let query = input.query;
    let regions = if query.filters.region.is_empty() {
        default_regions(&ctx.state.catalog, &credential)
    } else {
        let mut named: Vec<String> = Vec::new();
        for region in &query.filters.region {
            if let Some(problem) = region_problem(&ctx.state.catalog, credential.provider, region) {
                return Err(ApiError::invalid_field("region", format!("{region}: {problem}")));
            }
            if !named.contains(region) {
                named.push(region.clone());
            }
        }
        named
    };
    let secrets = driver_secrets(&ctx.state.vault, &credential)?;
    let scans = scan(
        (&ctx.state.providers, &ctx.state.discovery, ctx.state.clock.as_ref()),
        &credential,
        &secrets,
        &regions,
    )
    .await;
    let mut read = Vec::new();
    let mut failed = Vec::new();
    let mut found = Vec::new();
    for (region, outcome) in scans {
        match outcome {
            Ok(instances) => {
                read.push(region);
                found.extend(instances.iter().cloned());
            }
            Err(failure) => failed.push(failure),
        }
    }
    if read.is_empty()
        && let Some(first) = failed.first()
    {
        return Err(ApiError::new(ErrorCode::ProviderError, format!("{}: {}", first.region, first.message))
            .with_data(serde_json::json!({ "failed_regions": failed })));
    }
    let ids: Vec<&str> = found.iter().map(|instance| instance.instance_id.as_str()).collect();
    let managers = adoption::managing(&ctx.state.db, credential.provider, &ids).await?;
    let mut visible_workspaces: HashMap<Uuid, bool> = HashMap::new();
    let mut instances = Vec::new();
    for instance in found {
        let manager = managers.get(&instance.instance_id).copied();
        let vm_id = match manager {
            Some((vm, workspace)) => {
                let visible = match visible_workspaces.get(&workspace) {
                    Some(visible) => *visible,
                    None => {
                        let visible = access::can_read(&ctx.state.db, &caller, workspace).await?;
                        visible_workspaces.insert(workspace, visible);
                        visible
                    }
                };
                visible.then_some(vm)
            }
            None => None,
        };
        instances.push(DiscoveredInstance {
            managed: manager.is_some(),
            vm_id,
            instance_id: instance.instance_id,
            name: instance.name,
            tags: instance.tags,
            instance_type: instance.instance_type,
            region: instance.region,
            zone: instance.zone,
            status: instance.status,
            provider_status: instance.provider_status,
            public_ip: instance.public_ip,
            private_ip: instance.private_ip,
            launched_at: instance.launched_at,
        });
    }
    let page = select(instances, &query);
    let total = page.1;
    Ok(InstanceList {
        instances: page.0,
        regions: read,
        failed_regions: failed,
        pagination: query.pagination(total),
    })
}

/// Filters, sorts and pages the instances as `query` asks; with how many matched.
fn select(
    mut instances: Vec<DiscoveredInstance>,
    query: &ListQuery<InstanceListing>,
) -> (Vec<DiscoveredInstance>, u64) {
    let filters = &query.filters;
    let statuses: HashSet<_> = filters.status.iter().collect();
    instances.retain(|instance| {
        (statuses.is_empty() || statuses.contains(&instance.status))
            && filters.managed.is_none_or(|managed| instance.managed == managed)
            && query.created_from.is_none_or(|from| instance.launched_at.is_some_and(|at| at >= from))
            && query.created_to.is_none_or(|to| instance.launched_at.is_some_and(|at| at <= to))
    });
    let sort = query.effective_sort();
    instances.sort_by(|a, b| {
        let order = match sort.field {
            "instance_id" => a.instance_id.cmp(&b.instance_id),
            "name" => a.name.cmp(&b.name),
            "instance_type" => a.instance_type.cmp(&b.instance_type),
            "region" => a.region.cmp(&b.region),
            "status" => a.status.as_str().cmp(b.status.as_str()),
            "launched_at" => a.launched_at.cmp(&b.launched_at),
            _ => Ordering::Equal,
        };
        let order = if sort.direction == SortDirection::Desc { order.reverse() } else { order };
        order.then_with(|| a.instance_id.cmp(&b.instance_id))
    });
    let total = instances.len() as u64;
    let offset = usize::try_from(query.effective_offset()).unwrap_or(usize::MAX);
    let limit = query.effective_limit() as usize;
    (instances.into_iter().skip(offset).take(limit).collect(), total)
}

#[cfg(test)]
mod tests {
    use skyclust_types::VmStatus;

    use super::*;

    fn instance(id: &str, launched: i64, status: VmStatus, managed: bool) -> DiscoveredInstance {
        DiscoveredInstance {
            instance_id: id.into(),
            name: Some(format!("name-{id}")),
            tags: Default::default(),
            instance_type: "t3.micro".into(),
            region: "us-east-1".into(),
            zone: None,
            status,
            provider_status: status.as_str().into(),
            public_ip: None,
            private_ip: None,
            launched_at: DateTime::from_timestamp(launched, 0),
            managed,
            vm_id: None,
        }
    }

    #[test]
    fn a_region_too_large_slow_or_failing_is_reported() {
        let found = |count: usize| {
            let one = crate::providers::Discovered::running("i-1");
            Some(Ok(vec![one; count]))
        };
        assert_eq!(region_outcome("r", found(2), 2).unwrap().len(), 2);
        let large = region_outcome("r", found(3), 2).unwrap_err();
        assert!(large.message.starts_with("more than 2 instances"), "{large:?}");
        assert_eq!(region_outcome("r", None, 2).unwrap_err().code, "SERVICE_UNAVAILABLE");
        let refused = region_outcome("r", Some(Err(ProviderError::Auth("no".into()))), 2).unwrap_err();
        assert_eq!((refused.code.as_str(), refused.region.as_str()), ("PROVIDER_ERROR", "r"));
    }

    #[test]
    fn lists_are_filtered_sorted_and_paged() {
        let all = vec![
            instance("i-a", 30, VmStatus::Running, false),
            instance("i-b", 10, VmStatus::Stopped, true),
            instance("i-c", 20, VmStatus::Running, false),
            instance("i-d", 20, VmStatus::Running, true),
        ];
        let ids = |(page, total): (Vec<DiscoveredInstance>, u64)| {
            (page.into_iter().map(|i| i.instance_id).collect::<Vec<_>>(), total)
        };
        let newest_first = ListQuery::<InstanceListing>::default();
        assert_eq!(
            ids(select(all.clone(), &newest_first)),
            (["i-a", "i-c", "i-d", "i-b"].map(String::from).to_vec(), 4)
        );
        let paged = ListQuery::<InstanceListing>::default().limit(2).offset(1);
        assert_eq!(ids(select(all.clone(), &paged)).0, ["i-c", "i-d"]);
        let mut unmanaged_running =
            ListQuery::<InstanceListing>::default().sort_by("name", SortDirection::Asc);
        unmanaged_running.filters.managed = Some(false);
        unmanaged_running.filters.status = vec![VmStatus::Running];
        assert_eq!(
            ids(select(all.clone(), &unmanaged_running)),
            (vec!["i-a".to_owned(), "i-c".to_owned()], 2)
        );
        let launched_late =
            ListQuery::<InstanceListing>::default().created_between(DateTime::from_timestamp(20, 0), None);
        assert_eq!(ids(select(all, &launched_late)).1, 3);
    }
}
