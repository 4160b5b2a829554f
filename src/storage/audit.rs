//! The audit log (SPEC §5): one row per authenticated request, written after the response.

use std::cell::{Cell, RefCell};
use std::time::Duration;

use worker::{Delay, Env};

use crate::domain::listing::{Arg, Filter, FilterKind, ListSpec};
use crate::domain::scopes::Resource;
use crate::domain::{ids, time};
use crate::storage::d1;
use crate::storage::db::{Database, Statement};

pub struct Entry {
    pub tenant_id: Option<String>,
    pub key_id: String,
    pub key_label: String,
    pub vendor_id: Option<String>,
    pub method: String,
    pub path: String,
    pub query: Option<String>,
    pub status: u16,
    pub request_id: String,
    pub ip: Option<String>,
    pub resource: Option<String>,
    pub resource_id: Option<String>,
    pub replay: bool,
    pub at_ms: i64,
}

const METHODS: &[&str] = &["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"];

pub static AUDIT_LOG: ListSpec = ListSpec {
    table: "audit_log",
    scope: "tenant_id",
    json: "json_object('id', id, 'harvest_id', harvest_id, 'occurred_at', created_at, 'tenant_id', tenant_id, \
           'key_id', key_id, 'key_label', key_label, 'vendor_id', vendor_id, 'method', method, 'path', path, \
           'query', query, \
           'status', status, 'request_id', request_id, 'ip', ip, 'resource', resource, \
           'resource_id', resource_id, 'replay', json(CASE WHEN replay THEN 'true' ELSE 'false' END))",
    filters: &[
        Filter { param: "key_id", column: "key_id", kind: FilterKind::Ids("key") },
        Filter { param: "method", column: "method", kind: FilterKind::OneOf(METHODS) },
        Filter { param: "status", column: "status", kind: FilterKind::Ints(100, 599) },
        Filter { param: "resource", column: "resource", kind: FilterKind::OneOf(Resource::NAMES) },
    ],
    date_column: Some("created_at"),
};

thread_local! {
    static PENDING: RefCell<Vec<Entry>> = const { RefCell::new(Vec::new()) };
    static FLUSHING: Cell<bool> = const { Cell::new(false) };
}

/// How long entries gather in the isolate before one batch writes them all.
const GATHER_MS: u64 = 100;

/// Records one entry after the response (call from `waitUntil`). Entries from concurrent
/// requests are gathered for a moment and written in one D1 batch; the request that starts a
/// gathering writes it, and keeps writing until nothing is left, so no entry waits for a
/// later request. Failures are logged (the response has already gone).
pub async fn record(env: &Env, e: Entry) {
    PENDING.with(|p| p.borrow_mut().push(e));
    if FLUSHING.with(|f| f.replace(true)) {
        return;
    }
    Delay::from(Duration::from_millis(GATHER_MS)).await;
    loop {
        let batch: Vec<Entry> = PENDING.with(|p| std::mem::take(&mut *p.borrow_mut()));
        if batch.is_empty() {
            FLUSHING.with(|f| f.set(false));
            return;
        }
        write(env, batch).await;
    }
}

async fn write(env: &Env, entries: Vec<Entry>) {
    let Ok(db) = d1::db(env) else { return };
    if let Err(e) = insert(&db, entries).await {
        worker::console_error!("audit write failed: {e}");
    }
}

/// Entries per statement: a statement's one argument stays far below D1's size limits.
const PER_STATEMENT: usize = 200;

/// Writes entries with one statement per [`PER_STATEMENT`] (in one batch): each statement
/// inserts the rows of a JSON array through `json_each`, so a gathering of a hundred requests
/// costs one statement to prepare and one argument to bind, not a hundred and fifteen hundred.
pub async fn insert(db: &impl Database, entries: Vec<Entry>) -> Result<(), crate::storage::db::DbError> {
    let mut rows: Vec<serde_json::Value> = entries.into_iter().map(row).collect();
    let mut stmts = Vec::new();
    while !rows.is_empty() {
        let rest = rows.split_off(rows.len().min(PER_STATEMENT));
        stmts.push(Statement::new(INSERT, [Arg::Text(serde_json::Value::Array(rows).to_string())]));
        rows = rest;
    }
    if !stmts.is_empty() {
        // The trait's batch, not D1's inherent one: the statements are plain [`Statement`]s.
        Database::batch(db, stmts).await?;
    }
    Ok(())
}

const INSERT: &str = "INSERT INTO audit_log (id, tenant_id, key_id, key_label, vendor_id, method, path, query, \
    status, request_id, ip, resource, resource_id, replay, created_at, updated_at) \
    SELECT json_extract(value, '$.id'), json_extract(value, '$.tenant_id'), json_extract(value, '$.key_id'), \
    json_extract(value, '$.key_label'), json_extract(value, '$.vendor_id'), json_extract(value, '$.method'), \
    json_extract(value, '$.path'), json_extract(value, '$.query'), json_extract(value, '$.status'), \
    json_extract(value, '$.request_id'), json_extract(value, '$.ip'), json_extract(value, '$.resource'), \
    json_extract(value, '$.resource_id'), json_extract(value, '$.replay'), json_extract(value, '$.at'), \
    json_extract(value, '$.at') FROM json_each(?1)";

fn row(e: Entry) -> serde_json::Value {
    serde_json::json!({
        "id": ids::new_id("aud", e.at_ms as u64),
        "tenant_id": e.tenant_id,
        "key_id": e.key_id,
        "key_label": e.key_label,
        "vendor_id": e.vendor_id,
        "method": e.method,
        "path": e.path,
        "query": e.query,
        "status": e.status,
        "request_id": e.request_id,
        "ip": e.ip,
        "resource": e.resource,
        "resource_id": e.resource_id,
        "replay": e.replay as i64,
        "at": time::fmt_ms(e.at_ms),
    })
}
