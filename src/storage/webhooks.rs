//! STAND-IN for the API engineer's module (branch `webhooks-api`, seam 1 of the webhooks
//! contract): the same public items, so delivery compiles and is tested before that branch is
//! merged; replaced by its version at the merge.
//!
//! A tenant's webhook endpoints as delivery reads them (SPEC §7).

use serde::Deserialize;

use crate::domain::webhooks::filters::Filters;
use crate::error::ApiResult;
use crate::storage::db::{self, Database, Statement};

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

pub async fn enabled_endpoints(db: &impl Database, tenant: &str) -> ApiResult<Vec<Endpoint>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM webhooks WHERE tenant_id = ? AND status = 'enabled' AND deleted_at IS NULL ORDER BY id"
    );
    Ok(rows(db.raw(&sql, &[tenant.into()]).await?))
}

pub async fn endpoint(db: &impl Database, tenant: &str, id: &str) -> ApiResult<Option<Endpoint>> {
    let sql = format!("SELECT {COLUMNS} FROM webhooks WHERE tenant_id = ? AND id = ? AND deleted_at IS NULL");
    Ok(rows(db.raw(&sql, &[tenant.into(), id.into()]).await?).pop())
}

pub async fn disable(db: &impl Database, id: &str, reason: &str, now_ms: i64) -> ApiResult<()> {
    let now = crate::domain::time::fmt_ms(now_ms);
    let sql = "UPDATE webhooks SET status = 'disabled', disabled_reason = ?, updated_at = ? WHERE id = ?";
    db::write(db, vec![Statement::new(sql, [reason.into(), now.into(), id.into()])], "id").await?;
    Ok(())
}
