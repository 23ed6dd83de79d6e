//! `GET /audit-logs`.

use skyclust_types::AuditLogList;
use skyclust_types::operations::audit::ListAuditLogs;

use crate::error::ApiResult;
use crate::http::{Api, Ctx, Input};
use crate::storage::audit;

/// The audit operations.
pub fn api() -> Api {
    Api::default().endpoint::<ListAuditLogs, _>(list)
}

async fn list(ctx: Ctx, input: Input<ListAuditLogs>) -> ApiResult<AuditLogList> {
    let query = input.query;
    let (audit_logs, total) = audit::list(&ctx.state.db, &query).await?;
    Ok(AuditLogList { audit_logs, pagination: query.pagination(total) })
}
