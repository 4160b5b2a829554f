//! `GET /v1/audit-log` (SPEC §5): the tenant's own entries; the operator reads any tenant's.

use crate::domain::listing;
use crate::error::ApiResult;
use crate::pipeline::call::Call;
use crate::pipeline::envelope::Reply;
use crate::storage::audit::AUDIT_LOG;
use crate::storage::d1;

async fn page(call: &Call<'_>, tenant: Option<&str>, query: &listing::Query) -> ApiResult<Reply> {
    let lq = listing::compile(&AUDIT_LOG, tenant, query)?;
    let rows = d1::id_json_rows(&call.db()?, &lq.sql, &lq.args).await?;
    Ok(Reply::page(listing::paginate(rows, lq.limit)))
}

pub async fn list(call: &Call<'_>) -> ApiResult<Reply> {
    page(call, Some(call.tenant_id()?), &call.query).await
}

/// The operator's view: `tenant_id` (required) selects whose log.
pub async fn operator_list(call: &Call<'_>) -> ApiResult<Reply> {
    let tenant = call.query.get("tenant_id").unwrap_or_default().to_string();
    if !crate::domain::ids::is_id("ten", &tenant) {
        return Err(crate::error::ApiError::bad_request(crate::i18n::Msg::InvalidQuery("tenant_id".into())));
    }
    page(call, Some(&tenant), &call.query.without("tenant_id")).await
}
