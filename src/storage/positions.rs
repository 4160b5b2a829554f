//! Positions in D1 (SPEC §6): the worker lookup that decides which positions of a request may
//! be recorded, the one statement that records them all (read back in its batch, each rendered as
//! the API shows it), the history list, the retention sweep, and the map's context (sites and
//! workers).

use serde::Deserialize;
use serde_json::{json, Value};

use crate::domain::filters::{Filter, FilterKind};
use crate::domain::listing::{Arg, ListSpec};
use crate::domain::live;
use crate::domain::positions::{NewPosition, WorkerState};
use crate::error::ApiResult;
use crate::storage::db::{self, Database, Statement};

/// A position as the API shows it.
pub const POSITION_JSON: &str =
    "json_object('id', id, 'harvest_id', harvest_id, 'worker_id', worker_id, 'site_id', site_id, 'latitude', latitude, \
     'longitude', longitude, 'accuracy_m', accuracy_m, 'heading', heading, 'speed_mps', speed_mps, \
     'recorded_at', recorded_at, 'created_at', created_at)";

/// `GET /v1/positions`: in the order they were recorded, by worker and by `recorded_at`.
pub static POSITIONS: ListSpec = ListSpec {
    table: "positions",
    scope: "tenant_id",
    json: POSITION_JSON,
    filters: &[Filter { param: "worker_id", column: "worker_id", kind: FilterKind::Ids("wkr") }],
    date_column: Some("recorded_at"),
};

/// The live (not deleted) workers of `tenant` among `ids`, with their status and site.
pub async fn workers(db: &impl Database, tenant: &str, ids: &[&str]) -> ApiResult<Vec<WorkerState>> {
    let sql = "SELECT id, status, site_id FROM workers \
               WHERE tenant_id = ?1 AND deleted_at IS NULL AND id IN (SELECT value FROM json_each(?2))";
    let rows: Vec<(String, String, Option<String>)> =
        db.raw(sql, &[tenant.into(), json!(ids).to_string().into()]).await?;
    Ok(rows.into_iter().map(|(id, status, site_id)| WorkerState { id, status, site_id }).collect())
}

/// One position to record: its id, what was sent, and its worker's site.
pub struct Row<'a> {
    pub id: String,
    pub position: &'a NewPosition,
    pub site_id: Option<String>,
}

const INSERT: &str = "INSERT INTO positions \
    (id, tenant_id, worker_id, site_id, latitude, longitude, accuracy_m, heading, speed_mps, recorded_at, created_at) \
    SELECT value ->> 'id', ?1, value ->> 'worker_id', value ->> 'site_id', value ->> 'latitude', \
    value ->> 'longitude', value ->> 'accuracy_m', value ->> 'heading', value ->> 'speed_mps', \
    value ->> 'recorded_at', ?2 FROM json_each(?3)";

/// The positions [`INSERT`] just recorded, read back in its batch: an insert's `RETURNING` is
/// computed before the trigger gives each row its `harvest_id` (SPEC §9). Probes of
/// `positions_tenant` by id.
pub fn read_back_sql() -> String {
    format!(
        "SELECT id, {POSITION_JSON} AS j FROM positions \
         WHERE tenant_id = ?1 AND id IN (SELECT value FROM json_each(?2))"
    )
}

#[derive(Deserialize)]
struct Recorded {
    id: String,
    j: String,
}

/// Records `rows` in one statement and returns each one's JSON, by id, as the list shows it (one
/// batch: the insert and its read-back).
pub async fn insert(db: &impl Database, tenant: &str, now: &str, rows: &[Row<'_>]) -> ApiResult<Vec<(String, String)>> {
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let values: Vec<Value> = rows
        .iter()
        .map(|r| {
            let p = r.position;
            json!({"id": r.id, "worker_id": p.worker_id, "site_id": r.site_id, "latitude": p.latitude,
                   "longitude": p.longitude, "accuracy_m": p.accuracy_m, "heading": p.heading,
                   "speed_mps": p.speed_mps, "recorded_at": p.recorded_at})
        })
        .collect();
    let insert = Statement::new(INSERT, [tenant.into(), now.into(), Arg::Text(Value::Array(values).to_string())]);
    let ids: Vec<&str> = rows.iter().map(|r| r.id.as_str()).collect();
    let read_back = Statement::new(read_back_sql(), [tenant.into(), Arg::Text(json!(ids).to_string())]);
    let written = db::write(db, vec![insert, read_back], "id").await?;
    let recorded: Vec<Recorded> = written.into_iter().nth(1).map(|w| w.into_rows()).transpose()?.unwrap_or_default();
    Ok(recorded.into_iter().map(|r| (r.id, r.j)).collect())
}

/// How many positions one sweep statement deletes: small enough to stay well inside D1's
/// per-statement limits, so a sweep is many short statements rather than one long one.
pub const SWEEP_CHUNK: usize = 5_000;

/// Deletes up to [`SWEEP_CHUNK`] positions recorded before `cutoff`; returns how many.
pub async fn sweep_chunk(db: &impl Database, cutoff: &str) -> ApiResult<u64> {
    let sql = format!(
        "DELETE FROM positions WHERE rowid IN (SELECT rowid FROM positions WHERE recorded_at < ?1 LIMIT {SWEEP_CHUNK})"
    );
    let written = db::write(db, vec![Statement::new(sql, [cutoff.into()])], "id").await?;
    Ok(written.first().map_or(0, |w| w.changes))
}

/// Most chunks one sweep deletes, so a sweep after a long pause stays short; the next one
/// continues.
pub const SWEEP_MAX_CHUNKS: usize = 20;

/// Deletes the positions recorded more than [`RETENTION_DAYS`] before `now_ms`, a chunk at a
/// time; returns how many.
///
/// [`RETENTION_DAYS`]: crate::domain::positions::RETENTION_DAYS
pub async fn sweep_expired(db: &impl Database, now_ms: i64) -> ApiResult<u64> {
    let cutoff = crate::domain::time::fmt_ms(now_ms - crate::domain::positions::RETENTION_DAYS * 86_400_000);
    let mut total = 0;
    for _ in 0..SWEEP_MAX_CHUNKS {
        let gone = sweep_chunk(db, &cutoff).await?;
        total += gone;
        if gone < SWEEP_CHUNK as u64 {
            break;
        }
    }
    Ok(total)
}

/// Most sites and workers a map's context carries.
pub const CONTEXT_LIMIT: usize = 1_000;

/// What a live map draws besides positions: the tenant's sites (with geofences) and workers
/// (names), as `filter` narrows them — sites to `site_ids`, workers to `worker_ids` and to
/// those sites. JSON text of `{"sites": [...], "workers": [...]}`.
pub async fn context(db: &impl Database, tenant: &str, filter: &live::Filter) -> ApiResult<String> {
    let list = |ids: &Option<Vec<String>>| ids.as_ref().map(|l| Arg::Text(json!(l).to_string())).unwrap_or(Arg::Null);
    let sites = format!(
        "SELECT json_object('id', id, 'name', name, 'latitude', latitude, 'longitude', longitude, \
         'geofence_radius_m', geofence_radius_m) FROM sites WHERE tenant_id = ?1 AND deleted_at IS NULL \
         AND (?2 IS NULL OR id IN (SELECT value FROM json_each(?2))) ORDER BY id LIMIT {CONTEXT_LIMIT}"
    );
    let workers = format!(
        "SELECT json_object('id', id, 'name', name, 'site_id', site_id) FROM workers \
         WHERE tenant_id = ?1 AND deleted_at IS NULL \
         AND (?2 IS NULL OR site_id IN (SELECT value FROM json_each(?2))) \
         AND (?3 IS NULL OR id IN (SELECT value FROM json_each(?3))) ORDER BY id LIMIT {CONTEXT_LIMIT}"
    );
    let site_args = [tenant.into(), list(&filter.site_ids)];
    let worker_args = [tenant.into(), list(&filter.site_ids), list(&filter.worker_ids)];
    let sites: Vec<(String,)> = db.raw(&sites, &site_args).await?;
    let workers: Vec<(String,)> = db.raw(&workers, &worker_args).await?;
    let join = |rows: Vec<(String,)>| rows.into_iter().map(|(j,)| j).collect::<Vec<_>>().join(",");
    Ok(format!("{{\"sites\":[{}],\"workers\":[{}]}}", join(sites), join(workers)))
}

/// The ids among `ids` that are not live objects of `tenant` in `table` (`workers`, `sites`).
pub async fn unknown_ids(db: &impl Database, table: &str, tenant: &str, ids: &[String]) -> ApiResult<Vec<String>> {
    let sql = format!(
        "SELECT value FROM json_each(?2) WHERE value NOT IN \
         (SELECT id FROM {table} WHERE tenant_id = ?1 AND deleted_at IS NULL)"
    );
    let rows: Vec<(String,)> = db.raw(&sql, &[tenant.into(), json!(ids).to_string().into()]).await?;
    Ok(rows.into_iter().map(|(id,)| id).collect())
}
