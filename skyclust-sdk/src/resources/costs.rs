//! Cost analysis and the provider catalog.

use skyclust_types::operations::costs;

use super::*;

/// Cost analysis; from [`SkyClustClient::cost_analysis`]. Figures are estimates priced from
/// the server's catalog (`source: "estimate"`, with its `catalog_date`).
#[derive(Debug, Clone, Copy)]
pub struct CostAnalysisHandle<'a> {
    client: &'a SkyClustClient,
}

impl<'a> CostAnalysisHandle<'a> {
    pub(crate) fn new(client: &'a SkyClustClient) -> Self {
        CostAnalysisHandle { client }
    }

    /// `GET /cost-analysis`: total, per provider and per day (needs `cost:read`).
    ///
    /// ```no_run
    /// # async fn run(client: skyclust_sdk::SkyClustClient) -> skyclust_sdk::Result<()> {
    /// use skyclust_sdk::types::{CostAnalysisQuery, CostPeriod};
    /// let query = CostAnalysisQuery { period: Some(CostPeriod::Week), ..Default::default() };
    /// let costs = client.cost_analysis().get(&query).await?;
    /// for day in &costs.trend {
    ///     println!("{}: {:.2} {}", day.date, day.cost, costs.currency);
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn get(&self, query: &CostAnalysisQuery) -> Result<CostAnalysis> {
        self.client.send::<costs::GetCostAnalysis>(&Empty {}, query, &Empty {}).await
    }

    /// `GET /cost-analysis/breakdown`: one provider's cost per service (needs `cost:read`).
    ///
    /// ```no_run
    /// # async fn run(client: skyclust_sdk::SkyClustClient) -> skyclust_sdk::Result<()> {
    /// use skyclust_sdk::types::{CostBreakdownQuery, Provider};
    /// let query = CostBreakdownQuery { provider: Provider::Aws, service: None, period: None, workspace_id: None };
    /// let aws = client.cost_analysis().breakdown(&query).await?;
    /// println!("EC2 and EBS: {:?}", aws.services);
    /// # Ok(()) }
    /// ```
    pub async fn breakdown(&self, query: &CostBreakdownQuery) -> Result<CostBreakdown> {
        self.client.send::<costs::GetCostBreakdown>(&Empty {}, query, &Empty {}).await
    }
}

impl SkyClustClient {
    /// Cost analysis.
    pub fn cost_analysis(&self) -> CostAnalysisHandle<'_> {
        CostAnalysisHandle::new(self)
    }
}

/// The enabled providers and their prices; from [`SkyClustClient::providers`].
#[derive(Debug, Clone, Copy)]
pub struct ProvidersHandle<'a> {
    client: &'a SkyClustClient,
}

impl<'a> ProvidersHandle<'a> {
    pub(crate) fn new(client: &'a SkyClustClient) -> Self {
        ProvidersHandle { client }
    }

    /// `GET /providers`: regions, instance types and their on-demand prices.
    ///
    /// ```no_run
    /// # async fn run(client: skyclust_sdk::SkyClustClient) -> skyclust_sdk::Result<()> {
    /// let catalog = client.providers().list().await?;
    /// for provider in &catalog.providers {
    ///     for region in &provider.regions {
    ///         println!("{:?} {}: {} priced types", provider.provider, region.region, region.instance_types.len());
    ///     }
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn list(&self) -> Result<ProviderCatalog> {
        self.client.send::<costs::ListProviders>(&Empty {}, &Empty {}, &Empty {}).await
    }
}

impl SkyClustClient {
    /// The enabled providers, their regions, instance types and prices.
    pub fn providers(&self) -> ProvidersHandle<'_> {
        ProvidersHandle::new(self)
    }
}
