//! A tenant's webhook endpoints (SPEC §7): the table as the API shows it (never the secrets),
//! a secret rotation, and the reads delivery makes (seam 1 of the webhooks work: the endpoints
//! fan-out sends to, one endpoint with its secrets, and disabling one after a 410).

use serde::Deserialize;

use crate::domain::listing::{Arg, Filter, FilterKind, ListSpec};
use crate::domain::time::fmt_ms;
use crate::domain::webhooks::endpoint::STATUSES;
use crate::domain::webhooks::filters::Filters;
use crate::error::ApiResult;
use crate::i18n::Noun;
use crate::storage::db::{self, Database, Statement};
use crate::storage::resource::Table;

/// One endpoint as the API answers it: everything but its secrets.
const JSON: &str = "json_object('id', id, 'harvest_id', harvest_id, 'url', url, 'events', json(events), \
     'description', description, 'filters', json(filters), 'format', format, 'template', template, 'status', status, \
     'disabled_reason', disabled_reason, 'previous_secret_expires_at', previous_secret_expires_at, \
     'created_at', created_at, 'updated_at', updated_at)";

/// The endpoints table, listed by `webhooks_tenant (tenant_id, id)`, filtered by `status`.
pub static WEBHOOKS: Table = Table {
    list: ListSpec {
        table: "webhooks",
        scope: "tenant_id",
        json: JSON,
        filters: &[Filter { param: "status", column: "status", kind: FilterKind::OneOf(STATUSES) }],
        date_column: None,
    },
    noun: Noun::Webhook,
    unique_field: "id",
    created_event: None,
    updated_event: None,
    referenced_by: &[],
};

/// An endpoint as delivery reads it, secrets included.
#[derive(Debug, Clone)]
pub struct Endpoint {
    pub id: String,
    pub tenant_id: String,
    pub url: String,
    pub events: Vec<String>,
    pub filters: Option<Filters>,
    pub format: String,
    pub template: Option<String>,
    pub status: String,
    pub secret: String,
    pub previous_secret: Option<String>,
    pub previous_secret_expires_at: Option<String>,
}

#[derive(Deserialize)]
struct Row {
    id: String,
    tenant_id: String,
    url: String,
    events: String,
    filters: Option<String>,
    format: String,
    template: Option<String>,
    status: String,
    secret: String,
    previous_secret: Option<String>,
    previous_secret_expires_at: Option<String>,
}

impl From<Row> for Endpoint {
    fn from(r: Row) -> Self {
        Endpoint {
            id: r.id,
            tenant_id: r.tenant_id,
            url: r.url,
            // Written only by the API after validation; an unreadable value subscribes to nothing.
            events: serde_json::from_str(&r.events).unwrap_or_default(),
            filters: r.filters.and_then(|f| serde_json::from_str(&f).ok()),
            format: r.format,
            template: r.template,
            status: r.status,
            secret: r.secret,
            previous_secret: r.previous_secret,
            previous_secret_expires_at: r.previous_secret_expires_at,
        }
    }
}

const COLUMNS: &str =
    "json_object('id', id, 'tenant_id', tenant_id, 'url', url, 'events', events, 'filters', filters, \
     'format', format, 'template', template, 'status', status, 'secret', secret, 'previous_secret', previous_secret, \
     'previous_secret_expires_at', previous_secret_expires_at)";

fn rows(texts: Vec<(String,)>) -> Vec<Endpoint> {
    texts.into_iter().filter_map(|(t,)| serde_json::from_str::<Row>(&t).ok()).map(Endpoint::from).collect()
}

/// The tenant's live, enabled endpoints (what fan-out matches events against).
pub async fn enabled_endpoints(db: &impl Database, tenant: &str) -> ApiResult<Vec<Endpoint>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM webhooks WHERE tenant_id = ? AND status = 'enabled' AND deleted_at IS NULL ORDER BY id"
    );
    Ok(rows(db.raw(&sql, &[tenant.into()]).await?))
}

/// The tenant's live endpoint `id`, whatever its status.
pub async fn endpoint(db: &impl Database, tenant: &str, id: &str) -> ApiResult<Option<Endpoint>> {
    let sql = format!("SELECT {COLUMNS} FROM webhooks WHERE tenant_id = ? AND id = ? AND deleted_at IS NULL");
    Ok(rows(db.raw(&sql, &[tenant.into(), id.into()]).await?).pop())
}

/// Disables a live endpoint with `reason` (a 410 from it).
pub async fn disable(db: &impl Database, id: &str, reason: &str, now_ms: i64) -> ApiResult<()> {
    let sql = "UPDATE webhooks SET status = 'disabled', disabled_reason = ?, updated_at = ? \
               WHERE id = ? AND deleted_at IS NULL";
    db::write(db, vec![Statement::new(sql, [reason.into(), fmt_ms(now_ms).into(), id.into()])], "id").await?;
    Ok(())
}

#[derive(Deserialize)]
struct JsonRow {
    j: Option<String>,
}

/// Makes `secret` the endpoint's signing secret; the current one keeps signing until
/// `expire_previous_in_seconds` from now (0: not at all). Any earlier previous secret stops at
/// once, so at most one previous secret signs. One statement: the old secret is the row's own.
/// The endpoint as shown, or `None` when there is no such live endpoint.
pub async fn rotate(
    db: &impl Database,
    tenant: &str,
    id: &str,
    secret: &str,
    expire_previous_in_seconds: i64,
    now_ms: i64,
) -> ApiResult<Option<String>> {
    let keep = expire_previous_in_seconds > 0;
    let until = keep.then(|| fmt_ms(now_ms + expire_previous_in_seconds * 1000));
    let sql = format!(
        "UPDATE webhooks SET previous_secret = CASE WHEN ?1 THEN secret END, previous_secret_expires_at = ?2, \
         secret = ?3, updated_at = ?4 WHERE tenant_id = ?5 AND id = ?6 AND deleted_at IS NULL RETURNING {JSON} AS j"
    );
    let args = [
        Arg::Int(keep as i64),
        until.map(Arg::Text).unwrap_or(Arg::Null),
        secret.into(),
        fmt_ms(now_ms).into(),
        tenant.into(),
        id.into(),
    ];
    let Some(written) = db::write(db, vec![Statement::new(sql, args)], "id").await?.into_iter().next() else {
        return Ok(None);
    };
    let rows: Vec<JsonRow> = written.into_rows()?;
    Ok(rows.into_iter().next().and_then(|r| r.j))
}
