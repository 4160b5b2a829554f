//! `/v1/exports` (SPEC §6): payroll exports — created `queued` and computed by the exports
//! queue's consumer ([`crate::exports`]), listed, read with a fresh signed `download_url` once
//! completed, and downloaded through that link with no key.

use serde_json::{json, Value};

use super::crud;
use crate::domain::exports::{self, ExportStatus, Step};
use crate::domain::params::{self, Param, ParamKind};
use crate::domain::{ids, links, time};
use crate::error::{ApiError, ApiResult};
use crate::exports::{files, RESEND_AFTER_MS};
use crate::i18n::{Msg, Noun};
use crate::pipeline::call::Call;
use crate::pipeline::envelope::Reply;
#[cfg(not(target_arch = "wasm32"))]
use crate::pipeline::route_doc::{Body, Media, QueryDoc};
use crate::pipeline::router::RouteDef;
use crate::route;
use crate::storage::exports::{self as store, Export, EXPORTS};

/// The query of a download link.
const LINK: &[Param] = &[
    Param::required("expires", ParamKind::Int(0, 253_402_300_799)).doc("When the link stops working, in unix seconds."),
    Param::required("signature", ParamKind::Hex(64)).doc("The link's signature."),
];

fn not_found() -> ApiError {
    ApiError::not_found(Msg::NotFound(Noun::Export))
}

/// The key download links are signed with (`EXPORT_LINK_SECRET`, else one derived from
/// `OPERATOR_TOKEN`).
fn link_secret(call: &Call<'_>) -> ApiResult<Vec<u8>> {
    let var = |name: &str| call.env.secret(name).ok().map(|s| s.to_string());
    links::secret(var("EXPORT_LINK_SECRET").as_deref(), var("OPERATOR_TOKEN").as_deref()).ok_or_else(|| {
        worker::console_error!("neither EXPORT_LINK_SECRET nor OPERATOR_TOKEN is configured");
        ApiError::internal()
    })
}

pub async fn create(call: &Call<'_>) -> ApiResult<Reply> {
    let request = exports::parse(&call.body)?;
    let (db, tenant) = (call.db()?, call.tenant_id()?);
    let id = ids::new_id("exp", call.now_ms as u64);
    let export = store::create(&db, tenant, &id, &request, call.now_ms).await?;
    let step = Step { export_id: id.clone(), tenant_id: tenant.to_string(), after: None };
    if crate::exports::send(call.env, &step).await.is_err() {
        // The export is recorded; its first read after a minute sends the step again.
        worker::console_error!("exports: could not enqueue {id}");
    }
    Ok(Reply::written(202, &id, export))
}

/// Sends the next step of an export in progress that has stood still too long (its message
/// was lost); at most one reader does so. A failure here only delays the export.
async fn resend_if_stuck(call: &Call<'_>, export: &Export) {
    let stale_before = time::fmt_ms(call.now_ms - RESEND_AFTER_MS);
    if export.status.is_final() || export.updated_at >= stale_before {
        return;
    }
    let Ok(db) = call.db() else { return };
    if let Ok(Some(after)) = store::claim_resend(&db, &export.tenant_id, &export.id, &stale_before, call.now_ms).await {
        let step = Step { export_id: export.id.clone(), tenant_id: export.tenant_id.clone(), after };
        if crate::exports::send(call.env, &step).await.is_err() {
            worker::console_error!("exports: could not re-send {}", export.id);
        }
    }
}

pub async fn show(call: &Call<'_>, id: &str) -> ApiResult<Reply> {
    let export = store::find(&call.db()?, Some(call.tenant_id()?), id).await?.ok_or_else(not_found)?;
    resend_if_stuck(call, &export).await;
    let mut data: Value = serde_json::from_str(&export.j)?;
    let (url, expires) = match export.status {
        ExportStatus::Completed => {
            let (query, expires) = links::query(&link_secret(call)?, id, call.now_ms / 1000);
            let url = format!("{}/v1/exports/{id}/download?{query}", call.origin);
            (json!(url), json!(time::fmt_ms(expires.saturating_mul(1000))))
        }
        _ => (Value::Null, Value::Null),
    };
    data["download_url"] = url;
    data["download_expires_at"] = expires;
    Ok(Reply::value(200, &data))
}

pub async fn download(call: &Call<'_>, id: &str) -> ApiResult<Reply> {
    params::only(&call.query, LINK)?;
    let expires = params::int(&call.query, &LINK[0])?.unwrap_or_default();
    let signature = params::hex(&call.query, &LINK[1])?.unwrap_or_default();
    if !links::valid(&link_secret(call)?, id, expires, signature, call.now_ms / 1000) {
        return Err(ApiError::forbidden(Msg::LinkInvalid));
    }
    let export = store::find(&call.db()?, None, id).await?.ok_or_else(not_found)?;
    let key = match (export.status, &export.file_key) {
        (ExportStatus::Completed, Some(key)) => key,
        _ => return Err(not_found()),
    };
    let body = files::get(call.env, key).await?.ok_or_else(not_found)?;
    let name = exports::file_name(&export.range_from, &export.range_to, export.format);
    let disposition = format!("attachment; filename=\"{name}\"");
    Ok(Reply::raw(export.format.content_type().into(), body, vec![("Content-Disposition", disposition)]))
}

/// The routes this module serves.
pub static ROUTES: &[RouteDef] = &[
    route!(POST "/v1/exports/payroll", Key, |call| create(call), {
        id: "createPayrollExport",
        tag: "Exports",
        summary: "Start a payroll export",
        description: "Records a payroll export of the local days `from`…`to` and answers `202` with it, `queued`; it is computed off the request path (`processing`), then `completed` with its `row_count`, or `failed` with an `error`. Poll `GET /v1/exports/{export_id}` for its status and, once completed, a download link. The file has one row per worker with `approved` entries whose local day (in the entry's site's zone, else its job's site's, else its worker's site's, else the tenant's) falls in the range: `worker_id`, `employee_code`, `name`, `regular_hours`, `overtime_hours` (over the tenant's `daily_overtime_hours` in a day, or `weekly_overtime_hours` in a week starting on `week_start`, counting only the export's days), `total_hours`, `pay_rate`, `gross_pay` = regular hours × rate + overtime hours × rate × the tenant's `overtime_multiplier` (in minor units, rounded half to even) and `currency` (the tenant's). Completion emits `payroll.export_completed`. `to` before `from`, or a range over 366 days, is `422` (`to` `out_of_range`). Needs `write:exports`.",
        body: Some(Body::create("PayrollExportCreate", &[exports::NEW_PAYROLL])),
        ok: 202,
        response: "ExportResponse",
    }),
    route!(GET "/v1/exports", Key, |call| crud::list(call, &EXPORTS), {
        id: "listExports",
        tag: "Exports",
        summary: "List exports",
        description: "The tenant's exports in creation order, a page at a time, filtered by `status`. List items carry no `download_url`; get an export for one. Unknown parameters and unacceptable values are `400`. Needs `read:exports`.",
        query: QueryDoc::list(&EXPORTS.list),
        ok: 200,
        response: "ExportListResponse",
    }),
    route!(GET "/v1/exports/{export_id}", Key, |call| show(call, call.param("export_id")), {
        id: "getExport",
        tag: "Exports",
        summary: "Get an export",
        description: "One export of the tenant. Once `completed` it carries `download_url`, a link to its file that needs no key and works for 15 minutes (`download_expires_at`); each read signs a fresh one. An export of another tenant is `404`. Needs `read:exports`.",
        ok: 200,
        response: "ExportDetailResponse",
    }),
    route!(GET "/v1/exports/{export_id}/download", Signed, |call| download(call, call.param("export_id")), {
        id: "downloadExport",
        tag: "Exports",
        summary: "Download an export's file",
        description: "The file of a completed export, through the signed link its detail gives (`download_url`): no key is needed. An altered or expired link is `403`; a link to an export that is not completed (or whose file is gone) is `404`. Missing, repeated, unknown or malformed parameters are `400`. CSV: RFC 4180 with a header row and CRLF, a field starting with `=`, `+`, `-`, `@`, tab or CR prefixed with `'`; JSON: an array of the same rows.",
        query: QueryDoc::params(LINK),
        ok: 200,
        response: "PayrollFile",
        media: Media::File("One record per worker under a header row: `worker_id`, `employee_code`, `name`, `regular_hours`, `overtime_hours`, `total_hours`, `pay_rate`, `gross_pay`, `currency` (an empty field for `null`)."),
        errors: &[403],
    }),
];
