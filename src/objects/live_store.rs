//! Where a `LiveFeed` keeps its feed between restarts: the object's own SQLite storage, written
//! as the feed changes (a few statements per publish or release, whatever its size) and read
//! back once when the object starts, so a restart or an eviction loses no position that was
//! not yet released, nor the resume ring, nor each worker's latest position.

use std::rc::Rc;

use serde::Deserialize;
use worker::{Result, SqlStorage};

use crate::domain::live::{Bounds, Feed, Item, Published};

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS pending (id TEXT PRIMARY KEY, worker_id TEXT NOT NULL, site_id TEXT,
  due_ms INTEGER NOT NULL, json TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS pending_due ON pending (due_ms);
CREATE TABLE IF NOT EXISTS released (n INTEGER PRIMARY KEY, id TEXT NOT NULL, worker_id TEXT NOT NULL,
  site_id TEXT, due_ms INTEGER NOT NULL, json TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS latest (worker_id TEXT PRIMARY KEY, id TEXT NOT NULL, site_id TEXT,
  due_ms INTEGER NOT NULL, json TEXT NOT NULL);";

#[derive(Deserialize)]
struct Row {
    id: String,
    worker_id: String,
    site_id: Option<String>,
    due_ms: f64,
    json: String,
}

impl From<Row> for Item {
    fn from(r: Row) -> Item {
        Item { id: r.id, worker_id: r.worker_id, site_id: r.site_id, due_ms: r.due_ms as i64, json: Rc::from(r.json) }
    }
}

const COLUMNS: &str = "id, worker_id, site_id, due_ms, json";

/// Creates the tables (once) and reads the feed they hold.
pub fn load(sql: &SqlStorage, bounds: &Bounds) -> Result<Feed> {
    sql.exec(SCHEMA, None)?;
    let mut feed = Feed::default();
    for row in sql.exec(&format!("SELECT {COLUMNS} FROM pending ORDER BY due_ms, rowid"), None)?.to_array::<Row>()? {
        feed.add(row.into(), bounds);
    }
    for row in sql.exec(&format!("SELECT {COLUMNS} FROM released ORDER BY n"), None)?.to_array::<Row>()? {
        feed.push_released(row.into(), bounds);
    }
    for row in sql.exec(&format!("SELECT {COLUMNS} FROM latest"), None)?.to_array::<Row>()? {
        feed.note_latest(row.into(), bounds);
    }
    Ok(feed)
}

/// Stores positions the feed accepted.
pub fn add(sql: &SqlStorage, items: &[Published]) -> Result<()> {
    if items.is_empty() {
        return Ok(());
    }
    let text = serde_json::to_string(items).map_err(|e| worker::Error::RustError(e.to_string()))?;
    sql.exec(
        "INSERT OR IGNORE INTO pending (id, worker_id, site_id, due_ms, json) \
         SELECT value ->> 'id', value ->> 'worker_id', value ->> 'site_id', value ->> 'due_ms', value ->> 'json' \
         FROM json_each(?)",
        vec![text.into()],
    )?;
    Ok(())
}

/// Moves the positions due at `now_ms` from pending to released and latest, as
/// [`Feed::release`] does in memory, and trims the ring to its bound.
pub fn release(sql: &SqlStorage, now_ms: i64, bounds: &Bounds) -> Result<()> {
    let now = now_ms as f64;
    sql.exec(
        &format!(
            "INSERT INTO released ({COLUMNS}) SELECT {COLUMNS} FROM pending WHERE due_ms <= ? ORDER BY due_ms, rowid"
        ),
        vec![now.into()],
    )?;
    sql.exec(
        &format!(
            "INSERT INTO latest ({COLUMNS}) SELECT {COLUMNS} FROM pending WHERE due_ms <= ? ORDER BY due_ms, rowid \
             ON CONFLICT (worker_id) DO UPDATE SET id = excluded.id, site_id = excluded.site_id, \
             due_ms = excluded.due_ms, json = excluded.json WHERE excluded.due_ms >= latest.due_ms"
        ),
        vec![now.into()],
    )?;
    sql.exec("DELETE FROM pending WHERE due_ms <= ?", vec![now.into()])?;
    sql.exec(
        "DELETE FROM released WHERE n <= (SELECT max(n) FROM released) - ?",
        vec![(bounds.released as f64).into()],
    )?;
    Ok(())
}

/// Forgets the latest positions of all but the `keep` workers seen most recently.
pub fn trim_latest(sql: &SqlStorage, keep: usize) -> Result<()> {
    sql.exec(
        "DELETE FROM latest WHERE worker_id NOT IN (SELECT worker_id FROM latest ORDER BY due_ms DESC LIMIT ?)",
        vec![(keep as f64).into()],
    )?;
    Ok(())
}
