//! Cost analysis and the price catalog.
//!
//! Costs are estimates: each VM's running time × the on-demand hourly price of its instance
//! type in its region, plus its root volume for as long as the instance exists, priced from
//! the catalog the server ships ([`ProviderCatalog`]). Money is in `currency` (US dollars),
//! rounded to cents; every list of costs adds up exactly to its total, and percentages (one
//! decimal) add up to 100 whenever the total is not zero.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::credentials::Provider;
use crate::validation::{FieldErrors, Validate};

/// How far back a cost analysis looks: the last 1, 7, 30 or 90 UTC days, today included.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
pub enum CostPeriod {
    /// Today.
    #[serde(rename = "1d")]
    Day,
    /// The last 7 days.
    #[serde(rename = "7d")]
    Week,
    /// The last 30 days (the default).
    #[default]
    #[serde(rename = "30d")]
    Month,
    /// The last 90 days.
    #[serde(rename = "90d")]
    Quarter,
}

impl CostPeriod {
    /// Every period, shortest first.
    pub const ALL: [CostPeriod; 4] =
        [CostPeriod::Day, CostPeriod::Week, CostPeriod::Month, CostPeriod::Quarter];

    /// How many UTC days the period covers.
    ///
    /// ```
    /// use skyclust_types::costs::CostPeriod;
    /// assert_eq!(CostPeriod::default().days(), 30);
    /// ```
    pub const fn days(self) -> u32 {
        match self {
            CostPeriod::Day => 1,
            CostPeriod::Week => 7,
            CostPeriod::Month => 30,
            CostPeriod::Quarter => 90,
        }
    }

    /// The wire name, e.g. `30d`.
    pub const fn as_str(self) -> &'static str {
        match self {
            CostPeriod::Day => "1d",
            CostPeriod::Week => "7d",
            CostPeriod::Month => "30d",
            CostPeriod::Quarter => "90d",
        }
    }
}

/// How the figures were obtained.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CostSource {
    /// Metered usage priced from the catalog's on-demand list prices; not a bill.
    Estimate,
}

/// A service VMs are billed under: each provider has a compute and a block storage one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
pub enum CostService {
    /// AWS compute.
    #[serde(rename = "EC2")]
    Ec2,
    /// AWS block storage.
    #[serde(rename = "EBS")]
    Ebs,
    /// Google Cloud compute.
    #[serde(rename = "Compute Engine")]
    ComputeEngine,
    /// Google Cloud block storage.
    #[serde(rename = "Persistent Disk")]
    PersistentDisk,
    /// Azure compute.
    #[serde(rename = "Virtual Machines")]
    VirtualMachines,
    /// Azure block storage.
    #[serde(rename = "Managed Disks")]
    ManagedDisks,
    /// Sandbox compute.
    #[serde(rename = "Compute")]
    Compute,
    /// Sandbox block storage.
    #[serde(rename = "Block Storage")]
    BlockStorage,
}

/// A provider's services: compute, then block storage.
///
/// ```
/// use skyclust_types::{Provider, costs::{CostService, services}};
/// assert_eq!(services(Provider::Aws), [CostService::Ec2, CostService::Ebs]);
/// ```
pub const fn services(provider: Provider) -> [CostService; 2] {
    match provider {
        Provider::Aws => [CostService::Ec2, CostService::Ebs],
        Provider::Gcp => [CostService::ComputeEngine, CostService::PersistentDisk],
        Provider::Azure => [CostService::VirtualMachines, CostService::ManagedDisks],
        Provider::Sandbox => [CostService::Compute, CostService::BlockStorage],
    }
}

/// `GET /cost-analysis` query.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CostAnalysisQuery {
    /// `1d`, `7d`, `30d` (default) or `90d`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub period: Option<CostPeriod>,
    /// Only this workspace (one you can see).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub workspace_id: Option<Uuid>,
    /// Only this provider.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provider: Option<Provider>,
}

impl Validate for CostAnalysisQuery {
    fn validate(&self) -> Result<(), FieldErrors> {
        Ok(())
    }
}

/// `GET /cost-analysis/breakdown` query.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CostBreakdownQuery {
    /// The provider to break down.
    pub provider: Provider,
    /// Only this service (for `aws`: `EC2` or `EBS`; see `GET /providers`). Another
    /// provider's service matches nothing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service: Option<CostService>,
    /// `1d`, `7d`, `30d` (default) or `90d`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub period: Option<CostPeriod>,
    /// Only this workspace (one you can see).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub workspace_id: Option<Uuid>,
}

impl Validate for CostBreakdownQuery {
    fn validate(&self) -> Result<(), FieldErrors> {
        Ok(())
    }
}

/// One provider's share of a total.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ProviderCost {
    /// The provider.
    pub provider: Provider,
    /// Its cost.
    pub cost: f64,
    /// Its share of the total, in percent (one decimal).
    pub percentage: f64,
}

/// One UTC day's cost.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct TrendPoint {
    /// The day (UTC).
    pub date: NaiveDate,
    /// What it cost.
    pub cost: f64,
}

/// A VM that ran in the period but whose price the catalog does not know: its cost is
/// unknown, and not counted in any figure.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct UnpricedVm {
    /// The VM.
    pub vm_id: Uuid,
    /// Its provider.
    pub provider: Provider,
    /// Its region.
    pub region: String,
    /// Its instance type.
    pub instance_type: String,
}

/// `GET /cost-analysis` answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({
    "total_cost": 12.5, "currency": "USD", "period": "7d",
    "breakdown": [{"provider": "aws", "cost": 8.0, "percentage": 64.0},
                  {"provider": "sandbox", "cost": 4.5, "percentage": 36.0}],
    "trend": [{"date": "2024-01-01", "cost": 1.5}, {"date": "2024-01-02", "cost": 2.0}],
    "source": "estimate", "catalog_date": "2026-01-19", "unpriced_vms": []
}))]
pub struct CostAnalysis {
    /// Everything in scope over the period.
    pub total_cost: f64,
    /// Currency of every figure, `USD`.
    pub currency: String,
    /// The period.
    pub period: CostPeriod,
    /// Per provider with a cost, largest first; costs add up to `total_cost`.
    pub breakdown: Vec<ProviderCost>,
    /// One point per UTC day of the period, oldest first, zero-cost days included; costs add
    /// up to `total_cost`.
    pub trend: Vec<TrendPoint>,
    /// How the figures were obtained.
    pub source: CostSource,
    /// The date of the price catalog the figures come from.
    pub catalog_date: NaiveDate,
    /// VMs whose cost is unknown (not in the catalog).
    pub unpriced_vms: Vec<UnpricedVm>,
}

/// One service's share of a provider's cost.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ServiceCost {
    /// The service, e.g. `EC2`.
    pub service: CostService,
    /// Its cost.
    pub cost: f64,
    /// Its share of the provider's total, in percent (one decimal).
    pub percentage: f64,
}

/// `GET /cost-analysis/breakdown` answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({
    "provider": "aws", "total_cost": 8.0,
    "services": [{"service": "EC2", "cost": 6.0, "percentage": 75.0},
                 {"service": "EBS", "cost": 2.0, "percentage": 25.0}],
    "currency": "USD", "period": "30d", "source": "estimate", "catalog_date": "2026-01-19",
    "unpriced_vms": []
}))]
pub struct CostBreakdown {
    /// The provider.
    pub provider: Provider,
    /// Its cost over the period (of `service` alone, when asked).
    pub total_cost: f64,
    /// Per service; costs add up to `total_cost`.
    pub services: Vec<ServiceCost>,
    /// Currency of every figure, `USD`.
    pub currency: String,
    /// The period.
    pub period: CostPeriod,
    /// How the figures were obtained.
    pub source: CostSource,
    /// The date of the price catalog the figures come from.
    pub catalog_date: NaiveDate,
    /// VMs of the provider whose cost is unknown (not in the catalog).
    pub unpriced_vms: Vec<UnpricedVm>,
}

/// An instance type's on-demand price.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct InstancePrice {
    /// E.g. `t3.micro`.
    pub instance_type: String,
    /// Per hour of running, in the catalog's currency.
    pub hourly_cost: f64,
    /// Where the price comes from.
    pub source: String,
    /// When the source was read.
    pub as_of: NaiveDate,
}

/// Block storage price of a region: what a VM's root volume costs while its instance exists.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct StoragePrice {
    /// Volume type, e.g. `gp3`.
    pub volume_type: String,
    /// Per GB-month.
    pub gb_month_cost: f64,
    /// The root volume size every VM is metered with, in GB.
    pub root_volume_gb: u32,
    /// Where the price comes from.
    pub source: String,
    /// When the source was read.
    pub as_of: NaiveDate,
}

/// What a region of a provider offers, with prices.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct RegionOffer {
    /// E.g. `us-east-1`.
    pub region: String,
    /// The region's zones a VM may ask for, first the default; empty when the catalog does
    /// not list them (aws: any availability zone of the region).
    pub zones: Vec<String>,
    /// Priced instance types, by family, cheapest first.
    pub instance_types: Vec<InstancePrice>,
    /// Block storage, when priced.
    pub storage: Option<StoragePrice>,
}

/// An enabled provider and its priced regions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ProviderOffer {
    /// The provider.
    pub provider: Provider,
    /// Its services in cost breakdowns: compute, then block storage.
    pub services: Vec<CostService>,
    /// Regions with prices, by name. A VM may use other regions and types the provider
    /// accepts; their cost is reported as unknown.
    pub regions: Vec<RegionOffer>,
}

/// `GET /providers` answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ProviderCatalog {
    /// The enabled providers.
    pub providers: Vec<ProviderOffer>,
    /// Currency of every price, `USD`.
    pub currency: String,
    /// The catalog's date (its newest source).
    pub catalog_date: NaiveDate,
}
