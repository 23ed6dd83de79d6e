//! Discovery in the sandbox: the instances of the caller's sandbox account, SkyClust's or not,
//! and the `vm_id` column that stands for the owner tag.

use super::*;

#[async_trait::async_trait]
impl InstanceDiscovery for Sandbox {
    async fn list(&self, secrets: &Secrets, region: &str, limit: usize) -> ProviderResult<Vec<Discovered>> {
        self.injected(Call::List)?;
        let account = account_of(secrets)?;
        self.settle("account = $2 AND region = $3", &[account, region]).await?;
        let sql = format!(
            "SELECT {DISCOVERED_COLUMNS} FROM sandbox_instances WHERE account = $1 AND region = $2 \
             AND state <> 'terminated' ORDER BY created_at, instance_id LIMIT $3"
        );
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(account)
            .bind(region)
            .bind(i64::try_from(limit).unwrap_or(i64::MAX))
            .fetch_all(self.db.pool())
            .await
            .map_err(unavailable)?;
        rows.iter().map(discovered).collect()
    }

    async fn inspect(&self, secrets: &Secrets, instance: &InstanceRef) -> ProviderResult<Discovered> {
        self.injected(Call::Describe)?;
        let account = account_of(secrets)?;
        self.settle("instance_id = $2 AND account = $3", &[&instance.instance_id, account]).await?;
        let sql = format!(
            "SELECT {DISCOVERED_COLUMNS} FROM sandbox_instances WHERE instance_id = $1 AND account = $2 \
             AND region = $3"
        );
        let row = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(&instance.instance_id)
            .bind(account)
            .bind(&instance.region)
            .fetch_optional(self.db.pool())
            .await
            .map_err(unavailable)?
            .ok_or_else(|| {
                ProviderError::NotFound(format!(
                    "no sandbox instance {} in {} of this account",
                    instance.instance_id, instance.region
                ))
            })?;
        discovered(&row)
    }

    async fn set_owner(
        &self,
        secrets: &Secrets,
        instance: &InstanceRef,
        owner: Option<Uuid>,
    ) -> ProviderResult<()> {
        self.injected(Call::Tag)?;
        let account = account_of(secrets)?;
        let tagged =
            sqlx::query("UPDATE sandbox_instances SET vm_id = $3 WHERE instance_id = $1 AND account = $2")
                .bind(&instance.instance_id)
                .bind(account)
                .bind(owner.map(|owner| owner.to_string()))
                .execute(self.db.pool())
                .await
                .map_err(unavailable)?;
        if tagged.rows_affected() == 0 {
            return Err(ProviderError::NotFound(format!(
                "no sandbox instance {} of this account",
                instance.instance_id
            )));
        }
        Ok(())
    }
}
