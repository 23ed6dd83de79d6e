//! The price catalog: on-demand list prices as data (`catalog/prices.json`, embedded in the
//! binary; `SKYCLUST_PRICE_CATALOG` names a replacement file). Prices are decimal strings,
//! read into integer micro-dollars, so no binary fraction ever enters a cost.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use chrono::NaiveDate;
use serde::Deserialize;
use skyclust_types::Provider;
use skyclust_types::costs::{
    InstancePrice, ProviderCatalog, ProviderOffer, RegionOffer, StoragePrice, services,
};

use super::metering::{Micros, Rate, Rates};

/// The catalog the server ships.
const EMBEDDED: &str = include_str!("../../catalog/prices.json");

/// Why a catalog could not be used.
#[derive(Debug, thiserror::Error)]
pub enum CatalogError {
    /// The file could not be read.
    #[error("cannot read the price catalog {path}: {source}")]
    Read {
        /// The file.
        path: String,
        /// The cause.
        source: std::io::Error,
    },
    /// The file is not a catalog.
    #[error("the price catalog is malformed: {0}")]
    Malformed(String),
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(rename = "about")]
    _about: Option<String>,
    currency: String,
    hours_per_month: i64,
    root_volume_gb: u32,
    compute: Vec<ComputeRow>,
    storage: Vec<StorageRow>,
    #[serde(default)]
    zones: Vec<ZoneRow>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ComputeRow {
    provider: Provider,
    region: String,
    instance_type: String,
    hourly: String,
    source: String,
    as_of: NaiveDate,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct StorageRow {
    provider: Provider,
    region: String,
    volume_type: String,
    gb_month: String,
    /// The boot volume this provider's VMs get, when not the file's `root_volume_gb`.
    #[serde(default)]
    root_volume_gb: Option<u32>,
    source: String,
    as_of: NaiveDate,
}

/// A region's zones, the default first.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ZoneRow {
    provider: Provider,
    region: String,
    zones: Vec<String>,
    #[serde(rename = "source")]
    _source: String,
    #[serde(rename = "as_of")]
    _as_of: NaiveDate,
}

#[derive(Debug, Clone)]
struct Price {
    micros: Micros,
    source: String,
    as_of: NaiveDate,
}

#[derive(Debug, Clone)]
struct Storage {
    volume_type: String,
    root_volume_gb: u32,
    price: Price,
}

type Place = (Provider, String);

/// Prices by provider, region and instance type.
#[derive(Debug, Clone)]
pub struct Catalog {
    currency: String,
    hours_per_month: i64,
    compute: BTreeMap<Place, BTreeMap<String, Price>>,
    storage: BTreeMap<Place, Storage>,
    zones: BTreeMap<Place, Vec<String>>,
    date: NaiveDate,
}

impl Catalog {
    /// The catalog shipped with the server.
    pub fn embedded() -> Catalog {
        Catalog::parse(EMBEDDED).expect("the embedded price catalog is valid (tested)")
    }

    /// The catalog at `path`, or the embedded one.
    pub fn load(path: Option<&Path>) -> Result<Catalog, CatalogError> {
        let Some(path) = path else {
            return Ok(Catalog::embedded());
        };
        let text = std::fs::read_to_string(path)
            .map_err(|source| CatalogError::Read { path: path.display().to_string(), source })?;
        Catalog::parse(&text)
    }

    /// Reads a catalog document.
    pub fn parse(text: &str) -> Result<Catalog, CatalogError> {
        let file: File =
            serde_json::from_str(text).map_err(|error| CatalogError::Malformed(error.to_string()))?;
        if file.hours_per_month <= 0 || file.root_volume_gb == 0 {
            return Err(CatalogError::Malformed(
                "hours_per_month and root_volume_gb must be positive".into(),
            ));
        }
        let price = |text: &str, source: String, as_of: NaiveDate| {
            parse_micros(text)
                .map(|micros| Price { micros, source, as_of })
                .ok_or_else(|| CatalogError::Malformed(format!("{text:?} is not a price (up to 6 decimals)")))
        };
        let mut compute: BTreeMap<Place, BTreeMap<String, Price>> = BTreeMap::new();
        let mut date = NaiveDate::MIN;
        for row in file.compute {
            date = date.max(row.as_of);
            let entry = price(&row.hourly, row.source, row.as_of)?;
            let place = (row.provider, row.region);
            if compute.entry(place.clone()).or_default().insert(row.instance_type.clone(), entry).is_some() {
                return Err(CatalogError::Malformed(format!(
                    "{} {} {} is priced twice",
                    place.0.as_str(),
                    place.1,
                    row.instance_type
                )));
            }
        }
        let mut storage = BTreeMap::new();
        for row in file.storage {
            date = date.max(row.as_of);
            let entry = Storage {
                volume_type: row.volume_type,
                root_volume_gb: row.root_volume_gb.unwrap_or(file.root_volume_gb),
                price: price(&row.gb_month, row.source, row.as_of)?,
            };
            if storage.insert((row.provider, row.region.clone()), entry).is_some() {
                return Err(CatalogError::Malformed(format!("storage in {} is priced twice", row.region)));
            }
        }
        if compute.is_empty() {
            return Err(CatalogError::Malformed("no compute prices".into()));
        }
        let mut zones = BTreeMap::new();
        for row in file.zones {
            // Azure numbers a region's availability zones (`1`, `2`, `3`); the others name
            // them after the region (`us-central1-a`).
            let zone_ok = |zone: &String| match row.provider {
                Provider::Azure => (1..=2).contains(&zone.len()) && zone.bytes().all(|b| b.is_ascii_digit()),
                _ => zone.strip_prefix(row.region.as_str()).is_some_and(|rest| rest.len() >= 2),
            };
            if row.zones.is_empty() || !row.zones.iter().all(zone_ok) {
                let rule = if row.provider == Provider::Azure { "numbered" } else { "named after it" };
                return Err(CatalogError::Malformed(format!("the zones of {} must be {rule}", row.region)));
            }
            if zones.insert((row.provider, row.region.clone()), row.zones).is_some() {
                return Err(CatalogError::Malformed(format!("the zones of {} are listed twice", row.region)));
            }
        }
        Ok(Catalog {
            currency: file.currency,
            hours_per_month: file.hours_per_month,
            compute,
            storage,
            zones,
            date,
        })
    }

    /// A digest of every rate metering uses: the stored cost roll-up was priced with the
    /// catalog of this fingerprint, and is priced again when it changes.
    pub fn fingerprint(&self) -> String {
        use std::fmt::Write;
        let mut rates = format!("hours_per_month {}\n", self.hours_per_month);
        for ((provider, region), types) in &self.compute {
            for (instance_type, price) in types {
                let _ = writeln!(
                    rates,
                    "compute {} {region} {instance_type} {}",
                    provider.as_str(),
                    price.micros
                );
            }
        }
        for ((provider, region), storage) in &self.storage {
            let (gb, micros) = (storage.root_volume_gb, storage.price.micros);
            let _ = writeln!(rates, "storage {} {region} {gb} {micros}", provider.as_str());
        }
        crate::crypto::sha256_hex(rates.as_bytes())
    }

    /// The currency of every price, e.g. `USD`.
    pub fn currency(&self) -> &str {
        &self.currency
    }

    /// The newest source date.
    pub fn date(&self) -> NaiveDate {
        self.date
    }

    /// What a VM of `instance_type` in `region` costs; `None` when the catalog does not know
    /// (the compute or the storage price). The sandbox is priced as AWS.
    pub fn rates(&self, provider: Provider, region: &str, instance_type: &str) -> Option<Rates> {
        let place = (priced_as(provider), region.to_owned());
        let compute = self.compute.get(&place)?.get(instance_type)?;
        let storage = self.storage.get(&place)?;
        Some(Rates {
            compute: Rate { micros: compute.micros, per_hours: 1 },
            storage: Rate {
                micros: storage.price.micros * i64::from(storage.root_volume_gb),
                per_hours: self.hours_per_month,
            },
        })
    }

    /// What `vm` costs (`None`: unpriced).
    pub fn rates_of(&self, vm: &crate::storage::vms::VmRecord) -> Option<Rates> {
        self.rates(vm.provider, &vm.region, &vm.instance_type)
    }

    /// What the catalog lists of `provider`, as its driver's request checks read it.
    pub fn offered(&self, provider: Provider) -> OfferedBy<'_> {
        OfferedBy { catalog: self, provider }
    }

    /// The zones the catalog lists for `region`, the default first (empty when it lists none).
    pub fn zones(&self, provider: Provider, region: &str) -> &[String] {
        self.zones.get(&(priced_as(provider), region.to_owned())).map_or(&[], Vec::as_slice)
    }

    /// Whether the catalog prices `instance_type` in `region`.
    pub fn prices(&self, provider: Provider, region: &str, instance_type: &str) -> bool {
        self.compute
            .get(&(priced_as(provider), region.to_owned()))
            .is_some_and(|types| types.contains_key(instance_type))
    }

    /// The regions the catalog prices for `provider`.
    pub fn regions(&self, provider: Provider) -> Vec<&str> {
        let source = priced_as(provider);
        self.compute.keys().filter(|(owner, _)| *owner == source).map(|(_, region)| region.as_str()).collect()
    }

    /// The `GET /providers` answer for the `enabled` providers; `offers` says which instance
    /// types a provider accepts (the sandbox offers fewer than AWS prices).
    pub fn offers(&self, enabled: &[Provider], offers: impl Fn(Provider, &str) -> bool) -> ProviderCatalog {
        let providers = enabled
            .iter()
            .map(|&provider| {
                let source = priced_as(provider);
                let regions: BTreeSet<&String> = self
                    .compute
                    .keys()
                    .chain(self.storage.keys())
                    .filter(|(owner, _)| *owner == source)
                    .map(|(_, region)| region)
                    .collect();
                let regions = regions
                    .into_iter()
                    .map(|region| {
                        let place = (source, region.clone());
                        let mut priced: Vec<(&String, &Price)> = self
                            .compute
                            .get(&place)
                            .into_iter()
                            .flatten()
                            .filter(|(instance_type, _)| offers(provider, instance_type))
                            .collect();
                        // By family, smallest size first.
                        priced.sort_by_key(|(instance_type, price)| (family(instance_type), price.micros));
                        let instance_types = priced
                            .into_iter()
                            .map(|(instance_type, price)| InstancePrice {
                                instance_type: instance_type.clone(),
                                hourly_cost: to_decimal(price.micros),
                                source: price.source.clone(),
                                as_of: price.as_of,
                            })
                            .collect();
                        let storage = self.storage.get(&place).map(|storage| StoragePrice {
                            volume_type: storage.volume_type.clone(),
                            gb_month_cost: to_decimal(storage.price.micros),
                            root_volume_gb: storage.root_volume_gb,
                            source: storage.price.source.clone(),
                            as_of: storage.price.as_of,
                        });
                        let zones = self.zones.get(&(source, region.clone())).cloned().unwrap_or_default();
                        RegionOffer { region: region.clone(), zones, instance_types, storage }
                    })
                    .collect();
                ProviderOffer { provider, services: services(provider).to_vec(), regions }
            })
            .collect();
        ProviderCatalog { providers, currency: self.currency.clone(), catalog_date: self.date }
    }
}

/// `m5` of `m5.large`, `e2` of `e2-standard-2`.
fn family(instance_type: &str) -> &str {
    instance_type.split(['.', '-']).next().unwrap_or(instance_type)
}

/// Whose prices a provider uses: the sandbox simulates AWS and is priced like it.
fn priced_as(provider: Provider) -> Provider {
    match provider {
        Provider::Sandbox => Provider::Aws,
        other => other,
    }
}

/// Micro-dollars as a JSON number (exact to the micro-dollar for any real price).
pub fn to_decimal(micros: Micros) -> f64 {
    micros as f64 / 1_000_000.0
}

/// `"0.0104"` → 10 400 micro-dollars; at most six decimals, no sign, no exponent.
fn parse_micros(text: &str) -> Option<Micros> {
    let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
    let digits = |part: &str| part.bytes().all(|b| b.is_ascii_digit());
    if whole.is_empty() || fraction.len() > 6 || !digits(whole) || !digits(fraction) {
        return None;
    }
    let scale = 10_i64.pow(6 - fraction.len() as u32);
    let whole: i64 = whole.parse().ok()?;
    let fraction: i64 = if fraction.is_empty() { 0 } else { fraction.parse().ok()? };
    whole.checked_mul(1_000_000)?.checked_add(fraction * scale)
}

/// One provider's part of the catalog ([`Catalog::offered`]).
#[derive(Debug, Clone, Copy)]
pub struct OfferedBy<'a> {
    catalog: &'a Catalog,
    provider: Provider,
}

impl crate::providers::Offered for OfferedBy<'_> {
    fn regions(&self) -> Vec<&str> {
        self.catalog.regions(self.provider)
    }

    fn zones(&self, region: &str) -> &[String] {
        self.catalog.zones(self.provider, region)
    }

    fn prices(&self, region: &str, instance_type: &str) -> bool {
        self.catalog.prices(self.provider, region, instance_type)
    }
}

#[cfg(test)]
mod tests {
    use skyclust_types::costs::CostService;

    use super::*;

    #[test]
    fn the_embedded_catalog_prices_every_sandbox_type_in_its_regions() {
        let catalog = Catalog::embedded();
        assert_eq!(catalog.currency(), "USD");
        let t3_micro = catalog.rates(Provider::Aws, "us-east-1", "t3.micro").expect("t3.micro is priced");
        assert_eq!(t3_micro.compute, Rate { micros: 10_400, per_hours: 1 });
        assert_eq!(t3_micro.storage, Rate { micros: 8 * 80_000, per_hours: 730 }, "8 GB of gp3 at $0.08");
        assert_eq!(catalog.rates(Provider::Sandbox, "us-east-1", "t3.micro"), Some(t3_micro));
        for family in ["t3", "t3a", "m5", "m6i", "c5", "c6i", "r5"] {
            for region in ["us-east-1", "us-east-2", "us-west-2"] {
                let large = format!("{family}.large");
                assert!(catalog.rates(Provider::Aws, region, &large).is_some(), "{large} in {region}");
            }
        }
        assert_eq!(catalog.rates(Provider::Aws, "us-east-1", "m5.nano"), None, "no such EC2 type");
        assert_eq!(catalog.rates(Provider::Aws, "eu-north-9", "t3.micro"), None);
        assert_eq!(catalog.rates(Provider::Gcp, "us-east-1", "t3.micro"), None);
    }

    #[test]
    fn offers_list_priced_regions_and_the_types_a_provider_accepts() {
        let catalog = Catalog::embedded();
        let answer = catalog.offers(&[Provider::Sandbox, Provider::Aws], |provider, instance_type| {
            provider == Provider::Aws || instance_type.starts_with("t3.")
        });
        assert_eq!(answer.providers.len(), 2);
        let sandbox = &answer.providers[0];
        assert_eq!(sandbox.services, [CostService::Compute, CostService::BlockStorage]);
        let regions: Vec<&str> = sandbox.regions.iter().map(|region| region.region.as_str()).collect();
        assert_eq!(regions, ["us-east-1", "us-east-2", "us-west-2"]);
        assert!(sandbox.regions[0].instance_types.iter().all(|price| price.instance_type.starts_with("t3.")));
        let aws_east = &answer.providers[1].regions[0];
        let c5: Vec<&str> = aws_east
            .instance_types
            .iter()
            .map(|price| price.instance_type.as_str())
            .filter(|name| name.starts_with("c5."))
            .take(3)
            .collect();
        assert_eq!(c5, ["c5.large", "c5.xlarge", "c5.2xlarge"], "smallest first");
        let m5 = aws_east.instance_types.iter().find(|price| price.instance_type == "m5.large").unwrap();
        assert_eq!(m5.hourly_cost, 0.096);
        assert_eq!(aws_east.storage.as_ref().map(|storage| storage.gb_month_cost), Some(0.08));
    }

    #[test]
    fn prices_are_read_exactly() {
        assert_eq!(parse_micros("0.0104"), Some(10_400));
        assert_eq!(parse_micros("4.608"), Some(4_608_000));
        assert_eq!(parse_micros("12"), Some(12_000_000));
        for bad in ["", ".5", "-1", "1e3", "0.0000001", "1.2.3", "abc"] {
            assert_eq!(parse_micros(bad), None, "{bad}");
        }
    }

    #[test]
    fn malformed_catalogs_are_refused_with_a_reason() {
        let row = r#"{"provider": "aws", "region": "r", "instance_type": "t", "hourly": "x", "source": "s", "as_of": "2026-01-01"}"#;
        let doc = format!(
            r#"{{"currency": "USD", "hours_per_month": 730, "root_volume_gb": 8, "compute": [{row}], "storage": []}}"#
        );
        let error = Catalog::parse(&doc).unwrap_err().to_string();
        assert!(error.contains("\"x\" is not a price"), "{error}");
        assert!(Catalog::parse("{}").is_err());
        let missing = Catalog::load(Some(Path::new("/nonexistent/prices.json"))).unwrap_err();
        assert!(missing.to_string().contains("/nonexistent/prices.json"));
    }
}
