//! The AWS provider, through `aws-sdk-ec2`: a client built from the VM's stored credential
//! (access key, secret, optional session token) and region for each call; RunInstances with the
//! image (without one, the newest Amazon Linux 2023 image for the type's architecture, found by
//! DescribeImages and recorded on the VM), type, key pair, availability zone (EC2 chooses when
//! none is given; the placement is reported back), a `Name` tag and a `skyclust-vm-id` tag (so an
//! instance can be found again after a crash; instances launched before release 19 carry
//! `skyclust:vm-id`); DescribeInstances, also paginated over a region for discovery;
//! Start/Stop/Reboot/TerminateInstances; CreateTags/DeleteTags for adoption. Every call has
//! a time limit. The endpoint follows `AWS_ENDPOINT_URL_EC2` / `AWS_ENDPOINT_URL` like every AWS
//! SDK, or `SKYCLUST_AWS_ENDPOINT_URL` when set (tests point it at moto's server).

use std::time::Duration;

use aws_config::BehaviorVersion;
use aws_config::retry::RetryConfig;
use aws_config::timeout::TimeoutConfig;
use aws_sdk_ec2::Client;
use aws_sdk_ec2::config::{Credentials, Region};
use aws_sdk_ec2::error::{ProvideErrorMetadata, SdkError};
use aws_sdk_ec2::types::{Filter, Instance, InstanceType, Placement, ResourceType, Tag, TagSpecification};
use skyclust_types::Provider as ProviderKind;

use super::client_cache::{self, ClientCache};
use super::{
    Change, Check, CloudProvider, Discovered, InstanceDiscovery, InstanceRef, InstanceSpec, InstanceState,
    LEGACY_OWNER_TAG, OWNER_TAG, ProviderError, ProviderResult, Secrets, StateResult,
};

/// Whether `zone` is an availability zone of the EC2-shaped `region`: the region's name and
/// one letter (`us-east-1a`).
fn is_availability_zone(region: &str, zone: &str) -> bool {
    zone.strip_prefix(region)
        .is_some_and(|letter| letter.len() == 1 && letter.bytes().all(|b| b.is_ascii_lowercase()))
}

/// Whether EC2 has an instance type of this name, by the list aws-sdk-ec2 was built with (so a
/// typo is refused before anything is sent; a type newer than the SDK needs an SDK update).
pub fn offers(instance_type: &str) -> bool {
    InstanceType::values().contains(&instance_type)
}

/// The CPU architecture of an EC2 instance type: Graviton families (`a1`, and those whose
/// letters after the generation begin with `g`: `t4g`, `m7gd`, `c7gn`, `im4gn`) are `arm64`.
pub fn architecture(instance_type: &str) -> &'static str {
    let family = instance_type.split('.').next().unwrap_or_default();
    let after_generation = family.trim_start_matches(|c: char| c.is_ascii_alphabetic());
    let suffix = after_generation.trim_start_matches(|c: char| c.is_ascii_digit());
    if family == "a1" || suffix.starts_with('g') { "arm64" } else { "x86_64" }
}

/// What an absent `image_id` means on EC2: the region's newest Amazon Linux 2023 image for the
/// instance type's architecture, as Amazon publishes it.
async fn default_image(client: &Client, instance_type: &str) -> ProviderResult<String> {
    let architecture = architecture(instance_type);
    let filter = |name: &str, value: String| Filter::builder().name(name).values(value).build();
    let output = client
        .describe_images()
        .owners("amazon")
        .filters(filter("name", format!("al2023-ami-2023.*-kernel-*-{architecture}")))
        .filters(filter("architecture", architecture.to_owned()))
        .filters(filter("state", "available".to_owned()))
        .send()
        .await
        .map_err(classify)?;
    output
        .images()
        .iter()
        .filter_map(|image| Some((image.creation_date()?, image.name()?, image.image_id()?)))
        .max()
        .map(|(_, _, id)| id.to_owned())
        .ok_or_else(|| {
            ProviderError::InvalidRequest(format!(
                "no Amazon Linux 2023 image for {architecture} in this region; give an image_id"
            ))
        })
}

/// The EC2 driver.
#[derive(Debug)]
pub struct Aws {
    endpoint: Option<String>,
    timeout: Duration,
    clients: ClientCache<Client>,
}

impl Aws {
    /// A driver calling `endpoint` (the SDK's own resolution when `None`), each call limited to
    /// `timeout`.
    pub fn new(endpoint: Option<String>, timeout: Duration) -> Aws {
        Aws {
            endpoint,
            timeout,
            clients: ClientCache::new(client_cache::MAX_CLIENTS, client_cache::CLIENT_IDLE),
        }
    }

    /// How many clients are kept (tests check reuse).
    pub fn cached_clients(&self) -> usize {
        self.clients.len()
    }

    /// The client for this credential in `region`, built once and reused (a re-keyed credential
    /// has other secrets, so another key here).
    async fn client(&self, secrets: &Secrets, region: &str) -> ProviderResult<Client> {
        let (Some(access_key), Some(secret_key)) = (secrets.get("access_key"), secrets.get("secret_key"))
        else {
            return Err(ProviderError::Auth("the credential has no access key and secret".into()));
        };
        let session_token = secrets.get("session_token").unwrap_or_default();
        let key = client_cache::key(&[
            access_key.as_bytes(),
            secret_key.as_bytes(),
            session_token.as_bytes(),
            region.as_bytes(),
        ]);
        if let Some(client) = self.clients.get(&key) {
            return Ok(client);
        }
        let credentials = Credentials::new(
            access_key,
            secret_key,
            secrets.get("session_token").map(str::to_owned),
            None,
            "skyclust-credential",
        );
        let timeouts = TimeoutConfig::builder()
            .connect_timeout(self.timeout.min(Duration::from_secs(5)))
            .operation_timeout(self.timeout)
            .build();
        let mut loader = aws_config::defaults(BehaviorVersion::latest())
            .region(Region::new(region.to_owned()))
            .credentials_provider(credentials)
            .timeout_config(timeouts)
            // SkyClust's durable operations retry with their own backoff.
            .retry_config(RetryConfig::standard().with_max_attempts(1));
        if let Some(endpoint) = &self.endpoint {
            loader = loader.endpoint_url(endpoint);
        }
        let client = Client::new(&loader.load().await);
        self.clients.insert(key, client.clone());
        Ok(client)
    }

    async fn describe_one(&self, client: &Client, instance_id: &str) -> StateResult {
        observed(&find(client, instance_id).await?)
    }
}

/// The instance `id` as EC2 describes it.
async fn find(client: &Client, id: &str) -> ProviderResult<Instance> {
    let output = client.describe_instances().instance_ids(id).send().await.map_err(classify)?;
    output
        .reservations()
        .iter()
        .flat_map(|reservation| reservation.instances())
        .find(|instance| instance.instance_id() == Some(id))
        .cloned()
        .ok_or_else(|| ProviderError::NotFound(format!("no instance {id}")))
}

fn observed(instance: &Instance) -> StateResult {
    let name = instance.state().and_then(|state| state.name()).map(|name| name.as_str()).unwrap_or("pending");
    Ok(InstanceState {
        instance_id: instance.instance_id().unwrap_or_default().to_owned(),
        status: super::status_from_ec2(name)
            .ok_or_else(|| ProviderError::Retryable(format!("unknown EC2 state {name}")))?,
        public_ip: instance.public_ip_address().map(str::to_owned),
        private_ip: instance.private_ip_address().map(str::to_owned),
        zone: instance.placement().and_then(|placement| placement.availability_zone()).map(str::to_owned),
        image_id: instance.image_id().map(str::to_owned),
        note: None,
    })
}

/// What discovery shows of an EC2 instance found in `region`.
fn discovered(instance: &Instance, region: &str) -> ProviderResult<Discovered> {
    let state = observed(instance)?;
    let provider_status =
        instance.state().and_then(|state| state.name()).map(|name| name.as_str()).unwrap_or("pending");
    let tags: std::collections::BTreeMap<String, String> = instance
        .tags()
        .iter()
        .filter_map(|tag| Some((tag.key()?.to_owned(), tag.value().unwrap_or_default().to_owned())))
        .collect();
    let launched_at = instance
        .launch_time()
        .and_then(|time| chrono::DateTime::from_timestamp(time.secs(), time.subsec_nanos()));
    Ok(Discovered {
        instance_id: state.instance_id,
        name: tags.get("Name").cloned(),
        instance_type: instance.instance_type().map(|kind| kind.as_str().to_owned()).unwrap_or_default(),
        region: region.to_owned(),
        zone: state.zone,
        image_id: state.image_id,
        key_pair: instance.key_name().map(str::to_owned),
        provider_status: provider_status.to_owned(),
        status: state.status,
        public_ip: state.public_ip,
        private_ip: state.private_ip,
        launched_at,
        tags,
    })
}

/// Instances DescribeInstances returns per page (its largest page).
const PAGE: usize = 1000;

/// Sorts an SDK failure into the provider error classes.
fn classify<E: ProvideErrorMetadata + std::fmt::Debug, R: std::fmt::Debug>(
    error: SdkError<E, R>,
) -> ProviderError {
    match &error {
        SdkError::TimeoutError(_) => ProviderError::Retryable("EC2 did not answer in time".into()),
        SdkError::DispatchFailure(_) => ProviderError::Retryable("cannot reach EC2".into()),
        SdkError::ConstructionFailure(_) => ProviderError::InvalidRequest(format!("{error:?}")),
        _ => {
            let code = error.code().unwrap_or("Unknown");
            let message = format!("{code}: {}", error.message().unwrap_or("no message"));
            match code {
                "RequestLimitExceeded"
                | "Throttling"
                | "ThrottlingException"
                | "InternalError"
                | "Unavailable"
                | "ServiceUnavailable"
                | "InsufficientInstanceCapacity" => ProviderError::Retryable(message),
                "AuthFailure"
                | "UnauthorizedOperation"
                | "InvalidClientTokenId"
                | "SignatureDoesNotMatch"
                | "OptInRequired"
                | "Blocked" => ProviderError::Auth(message),
                "InstanceLimitExceeded" | "VcpuLimitExceeded" | "MaxSpotInstanceCountExceeded" => {
                    ProviderError::Quota(message)
                }
                code if code.starts_with("InvalidInstanceID") => ProviderError::NotFound(message),
                _ => ProviderError::InvalidRequest(message),
            }
        }
    }
}

#[async_trait::async_trait]
impl CloudProvider for Aws {
    fn kind(&self) -> ProviderKind {
        ProviderKind::Aws
    }

    /// What EC2 would refuse, refused first: an instance type it does not have, a region name
    /// that is not one, a key pair name too long, a zone not of the region.
    fn check_request(&self, Check { request, problems, .. }: Check<'_>) -> Option<String> {
        if !offers(&request.instance_type) {
            problems.add("instance_type", "is not an EC2 instance type (e.g. t3.micro)");
        }
        if !skyclust_types::credentials::is_aws_region(&request.region) {
            problems.add("region", "must be an AWS region such as us-east-1");
        }
        if request.key_pair.as_deref().is_some_and(|name| name.chars().count() > 255) {
            problems.add("key_pair", "must be an EC2 key pair name of at most 255 characters");
        }
        let zone = request.zone.clone()?;
        if is_availability_zone(&request.region, &zone) {
            Some(zone)
        } else {
            let region = &request.region;
            problems.add("zone", format!("must be an availability zone of {region}, such as {region}a"));
            None
        }
    }

    async fn create(&self, secrets: &Secrets, spec: &InstanceSpec) -> StateResult {
        let client = self.client(secrets, &spec.region).await?;
        let image = match &spec.image_id {
            Some(image) => image.clone(),
            None => default_image(&client, &spec.instance_type).await?,
        };
        let tags = TagSpecification::builder()
            .resource_type(ResourceType::Instance)
            .tags(Tag::builder().key("Name").value(&spec.name).build())
            .tags(Tag::builder().key(OWNER_TAG).value(spec.vm_id.to_string()).build())
            .build();
        let output = client
            .run_instances()
            .image_id(image)
            .instance_type(InstanceType::from(spec.instance_type.as_str()))
            .set_key_name(spec.key_pair.clone())
            .set_placement(
                spec.zone.as_ref().map(|zone| Placement::builder().availability_zone(zone).build()),
            )
            .min_count(1)
            .max_count(1)
            .tag_specifications(tags)
            .send()
            .await
            .map_err(classify)?;
        output
            .instances()
            .first()
            .map(observed)
            .transpose()?
            .ok_or_else(|| ProviderError::Retryable("RunInstances returned no instance".into()))
    }

    async fn describe(&self, secrets: &Secrets, instance: &InstanceRef) -> StateResult {
        let client = self.client(secrets, &instance.region).await?;
        self.describe_one(&client, &instance.instance_id).await
    }

    async fn change(&self, secrets: &Secrets, instance: &InstanceRef, change: Change) -> StateResult {
        let client = self.client(secrets, &instance.region).await?;
        let id = &instance.instance_id;
        // Each call answers its own error type, hence a classify per arm.
        match change {
            Change::Start => drop(client.start_instances().instance_ids(id).send().await.map_err(classify)?),
            Change::Stop => drop(client.stop_instances().instance_ids(id).send().await.map_err(classify)?),
            Change::Reboot => {
                drop(client.reboot_instances().instance_ids(id).send().await.map_err(classify)?)
            }
        }
        self.describe_one(&client, id).await
    }

    async fn terminate(&self, secrets: &Secrets, instance: &InstanceRef) -> StateResult {
        let client = self.client(secrets, &instance.region).await?;
        client.terminate_instances().instance_ids(&instance.instance_id).send().await.map_err(classify)?;
        self.describe_one(&client, &instance.instance_id).await
    }
}

#[async_trait::async_trait]
impl InstanceDiscovery for Aws {
    async fn list(&self, secrets: &Secrets, region: &str, limit: usize) -> ProviderResult<Vec<Discovered>> {
        let client = self.client(secrets, region).await?;
        let live = Filter::builder()
            .name("instance-state-name")
            .set_values(Some(
                ["pending", "running", "stopping", "stopped", "shutting-down"].map(str::to_owned).to_vec(),
            ))
            .build();
        let mut found = Vec::new();
        let mut next = None;
        loop {
            // EC2 takes 5 to 1000 per page.
            let page = (limit - found.len()).clamp(5, PAGE);
            let output = client
                .describe_instances()
                .filters(live.clone())
                .max_results(i32::try_from(page).unwrap_or(1000))
                .set_next_token(next.take())
                .send()
                .await
                .map_err(classify)?;
            for instance in output.reservations().iter().flat_map(|reservation| reservation.instances()) {
                if found.len() < limit {
                    found.push(discovered(instance, region)?);
                }
            }
            next = output.next_token().filter(|token| !token.is_empty()).map(str::to_owned);
            if next.is_none() || found.len() >= limit {
                return Ok(found);
            }
        }
    }

    async fn inspect(&self, secrets: &Secrets, instance: &InstanceRef) -> ProviderResult<Discovered> {
        let client = self.client(secrets, &instance.region).await?;
        discovered(&find(&client, &instance.instance_id).await?, &instance.region)
    }

    async fn set_owner(
        &self,
        secrets: &Secrets,
        instance: &InstanceRef,
        owner: Option<uuid::Uuid>,
    ) -> ProviderResult<()> {
        let client = self.client(secrets, &instance.region).await?;
        match owner {
            Some(owner) => {
                let tag = Tag::builder().key(OWNER_TAG).value(owner.to_string()).build();
                client
                    .create_tags()
                    .resources(&instance.instance_id)
                    .tags(tag)
                    .send()
                    .await
                    .map_err(classify)?;
            }
            None => {
                let keys = [OWNER_TAG, LEGACY_OWNER_TAG].map(|key| Tag::builder().key(key).build());
                client
                    .delete_tags()
                    .resources(&instance.instance_id)
                    .set_tags(Some(keys.to_vec()))
                    .send()
                    .await
                    .map_err(classify)?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests;
