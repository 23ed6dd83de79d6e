//! Discovery on Compute Engine: `instances.aggregatedList` over the project, page by page,
//! keeping the region's zones, and adoption's labels (`instances.setLabels` under the label
//! fingerprint).

use super::*;

/// What discovery shows of an instance in `zone` of `region`; `None` for a status SkyClust
/// does not know (logged, so a new Compute Engine status does not fail the whole list).
fn discovered(instance: &Instance, at: &Place<'_>, region: &str) -> Option<Discovered> {
    let name = instance.name.clone().unwrap_or_default();
    let state = match observed(instance, at, &name) {
        Ok(state) => state,
        Err(error) => {
            tracing::warn!(instance = %name, error = %error, "an instance with an unknown status was left out");
            return None;
        }
    };
    let provider_status = instance.status.as_ref().and_then(|status| status.name()).unwrap_or("PROVISIONING");
    // The first `ssh-keys` entry, as SkyClust sets one (the metadata may hold many).
    let key_pair = instance.metadata.as_ref().and_then(|metadata| {
        let item = metadata.items.iter().find(|item| item.key.as_deref() == Some("ssh-keys"))?;
        item.value.as_deref()?.lines().next().filter(|entry| entry.len() <= 4096).map(str::to_owned)
    });
    Some(Discovered {
        instance_id: state.instance_id,
        name: instance.name.clone(),
        tags: instance.labels.iter().map(|(key, value)| (key.clone(), value.clone())).collect(),
        instance_type: instance
            .machine_type
            .as_deref()
            .and_then(|machine_type| machine_type.rsplit('/').next())
            .unwrap_or_default()
            .to_owned(),
        region: region.to_owned(),
        zone: Some(at.zone.to_owned()),
        image_id: None,
        key_pair,
        provider_status: provider_status.to_owned(),
        status: state.status,
        public_ip: state.public_ip,
        private_ip: state.private_ip,
        launched_at: instance
            .creation_timestamp
            .as_deref()
            .and_then(|at| chrono::DateTime::parse_from_rfc3339(at).ok())
            .map(|at| at.with_timezone(&chrono::Utc)),
    })
}

/// The region of a zone (`us-central1-a` → `us-central1`).
fn region_of(zone: &str) -> Option<&str> {
    zone.rsplit_once('-').map(|(region, _)| region)
}

/// How often a label change is tried when someone else keeps changing the labels.
const LABEL_ATTEMPTS: usize = 3;

#[async_trait::async_trait]
impl InstanceDiscovery for Gcp {
    async fn list(&self, secrets: &Secrets, region: &str, limit: usize) -> ProviderResult<Vec<Discovered>> {
        let project = secrets
            .get("project_id")
            .ok_or_else(|| ProviderError::Auth("the credential has no project_id".into()))?;
        let client = self.client(secrets).await?;
        let mut found = Vec::new();
        let mut token: Option<String> = None;
        loop {
            let mut request = client.aggregated_list().set_project(project).set_max_results(500_u32);
            if let Some(token) = token.take() {
                request = request.set_page_token(token);
            }
            let page = request.send().await.map_err(|error| classify(&error))?;
            let mut scopes: Vec<_> = page.items.into_iter().collect();
            scopes.sort_by(|a, b| a.0.cmp(&b.0));
            for (scope, listed) in scopes {
                let Some(zone) = scope.strip_prefix("zones/") else { continue };
                if region_of(zone) != Some(region) {
                    continue;
                }
                let at = Place { project, zone };
                for instance in &listed.instances {
                    if found.len() < limit
                        && let Some(discovered) = discovered(instance, &at, region)
                    {
                        found.push(discovered);
                    }
                }
            }
            token = page.next_page_token.filter(|token| !token.is_empty());
            if token.is_none() || found.len() >= limit {
                return Ok(found);
            }
        }
    }

    async fn inspect(&self, secrets: &Secrets, instance: &InstanceRef) -> ProviderResult<Discovered> {
        let (at, name) = Place::locate(secrets, instance)?;
        if region_of(at.zone) != Some(instance.region.as_str()) {
            return Err(ProviderError::NotFound(format!(
                "{} is not in {}",
                instance.instance_id, instance.region
            )));
        }
        let client = self.client(secrets).await?;
        let found = at.get(&client, name).await.map_err(|error| classify(&error))?;
        discovered(&found, &at, &instance.region).ok_or_else(|| {
            ProviderError::Retryable(format!("{} has a status SkyClust does not know", instance.instance_id))
        })
    }

    async fn set_owner(
        &self,
        secrets: &Secrets,
        instance: &InstanceRef,
        owner: Option<uuid::Uuid>,
    ) -> ProviderResult<()> {
        let (at, name) = Place::locate(secrets, instance)?;
        let client = self.client(secrets).await?;
        for _ in 0..LABEL_ATTEMPTS {
            let current = at.get(&client, name).await.map_err(|error| classify(&error))?;
            let mut labels = current.labels.clone();
            match owner {
                Some(owner) => labels.insert(OWNER_TAG.to_owned(), owner.to_string()),
                None => labels.remove(OWNER_TAG),
            };
            let body = InstancesSetLabelsRequest::new()
                .set_labels(labels)
                .set_or_clear_label_fingerprint(current.label_fingerprint.clone());
            let sent = client
                .set_labels()
                .set_project(at.project)
                .set_zone(at.zone)
                .set_instance(name)
                .set_request_id(uuid::Uuid::new_v4().to_string())
                .set_body(body)
                .send()
                .await;
            match sent {
                // The labels changed since they were read: read them again.
                Err(error) if error.http_status_code() == Some(412) => continue,
                Err(error) => return Err(classify(&error)),
                Ok(operation) => {
                    return match self.settle(&client, &at, operation).await? {
                        true => Ok(()),
                        false => Err(ProviderError::Retryable(
                            "Compute Engine did not finish changing the labels in time".into(),
                        )),
                    };
                }
            }
        }
        Err(ProviderError::Retryable("the instance's labels kept changing; try again".into()))
    }
}
