//! `GET /v1/audit-log` (SPEC §5): the tenant's own entries; the operator reads any tenant's.

use crate::domain::listing;
use crate::domain::params::{self, Param, ParamKind};
use crate::error::ApiResult;
use crate::pipeline::call::Call;
use crate::pipeline::envelope::Reply;
#[cfg(not(target_arch = "wasm32"))]
use crate::pipeline::route_doc::QueryDoc;
use crate::pipeline::router::RouteDef;
use crate::route;
use crate::storage::audit::AUDIT_LOG;

async fn page(call: &Call<'_>, tenant: Option<&str>, query: &listing::Query) -> ApiResult<Reply> {
    super::crud::page_of(call, &AUDIT_LOG, tenant, query).await
}

pub async fn list(call: &Call<'_>) -> ApiResult<Reply> {
    page(call, Some(call.tenant_id()?), &call.query).await
}

/// Whose log the operator reads.
const TENANT: &[Param] =
    &[Param::required("tenant_id", ParamKind::Id("ten")).doc("Whose log to read: a tenant (or division) id.")];

/// The operator's view: `tenant_id` (required) selects whose log.
pub async fn operator_list(call: &Call<'_>) -> ApiResult<Reply> {
    let tenant = params::id(&call.query, &TENANT[0])?.unwrap_or_default().to_string();
    page(call, Some(&tenant), &call.query.without("tenant_id")).await
}

/// The routes this module serves.
pub static ROUTES: &[RouteDef] = &[
    route!(GET "/v1/operator/audit-log", Operator, |call| operator_list(call), {
        id: "listTenantAuditLog",
        tag: "Operator",
        summary: "Read a tenant's audit log",
        description: "The operator's view of one tenant's audit log: `tenant_id` (required) names the tenant or division; the filters and pagination are those of `GET /v1/audit-log`. Operator token required.",
        query: QueryDoc::list(&AUDIT_LOG).with(TENANT),
        ok: 200,
        response: "AuditLogListResponse",
    }),
    route!(GET "/v1/audit-log", Key, |call| list(call), {
        id: "listAuditLog",
        tag: "Audit log",
        summary: "Read the audit log",
        description: "The tenant's audit log: one entry per request made with one of its keys (or by a vendor acting for it), refusals included, recorded after the response was sent, oldest first and cursor-paginated. Filter by `from`/`to` (inclusive, on `occurred_at`), `key_id`, `method`, `status` and `resource` (writes only). A division's log is its own; the parent does not see it. Needs `read:audit-log`.",
        query: QueryDoc::list(&AUDIT_LOG),
        ok: 200,
        response: "AuditLogListResponse",
    }),
];
