//! The database seam: the one trait storage code is written against. D1 implements it in the
//! Worker (`d1.rs`, where Workers types stop); an in-memory SQLite on the real `schema.sql`
//! implements it in native tests (`sqlite.rs`), so the guarded writes of SPEC §6–§7 (no
//! overlap, references, tombstones, outbox rows, compare-and-set) are tested in milliseconds.
//!
//! The trait is deliberately thin: a statement is still one SQL text with bound [`Arg`]s, and
//! list pages still come back as `(id, json)` text pairs rendered by SQLite, so the hot path
//! costs what it did before.

use std::fmt;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer};

use crate::domain::listing::Arg;
use crate::error::{ApiError, ApiResult};
use crate::i18n::{FieldCode, Msg};

/// A failure reported by the database, with its message (never sent to clients).
#[derive(Debug, Clone, PartialEq)]
pub struct DbError(pub String);

impl fmt::Display for DbError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<serde_json::Error> for DbError {
    fn from(e: serde_json::Error) -> Self {
        DbError(format!("row shape: {e}"))
    }
}

pub type DbResult<T> = Result<T, DbError>;

/// An unexpected database failure is a bare 500; the cause goes to the log only.
impl From<DbError> for ApiError {
    fn from(e: DbError) -> Self {
        #[cfg(target_arch = "wasm32")]
        worker::console_error!("database error: {e}");
        #[cfg(not(target_arch = "wasm32"))]
        eprintln!("database error: {e}");
        ApiError::internal()
    }
}

/// One SQL statement and the values of its `?` placeholders, in order.
#[derive(Debug, Clone)]
pub struct Statement {
    pub sql: String,
    pub args: Vec<Arg>,
    /// For an insert into the `events` outbox: the id of the event it inserts (when it changes
    /// a row), so the request can hand what it committed to webhook delivery.
    pub event_id: Option<String>,
}

impl Statement {
    pub fn new(sql: impl Into<String>, args: impl Into<Vec<Arg>>) -> Self {
        Statement { sql: sql.into(), args: args.into(), event_id: None }
    }
    /// Marks this statement as the outbox insert of event `id`.
    pub fn inserting_event(mut self, id: &str) -> Self {
        self.event_id = Some(id.to_string());
        self
    }
}

/// What one statement of a batch did: the rows its `RETURNING` clause gave (columns by name)
/// and how many rows it inserted, updated or deleted.
#[derive(Debug, Default)]
pub struct Written {
    pub rows: Vec<serde_json::Value>,
    pub changes: u64,
}

impl Written {
    /// The returned rows as `T`s.
    pub fn into_rows<T: DeserializeOwned>(self) -> DbResult<Vec<T>> {
        self.rows.into_iter().map(|r| serde_json::from_value(r).map_err(DbError::from)).collect()
    }
}

/// A SQLite database as storage code sees it. Futures are not `Send`: on Workers nothing is.
#[allow(async_fn_in_trait)]
pub trait Database {
    /// The first row of a query, its columns by name; `None` when there is none.
    async fn first<T: DeserializeOwned>(&self, sql: &str, args: &[Arg]) -> DbResult<Option<T>>;

    /// Every row of a query, its columns by position (a tuple, or a `Vec` of one type).
    async fn raw<T: DeserializeOwned>(&self, sql: &str, args: &[Arg]) -> DbResult<Vec<T>>;

    /// Runs the statements in order as one transaction: all take effect or none does.
    async fn batch(&self, stmts: Vec<Statement>) -> DbResult<Vec<Written>>;
}

/// A borrowed database is one too (a wrapper such as the request's may hold either).
impl<D: Database> Database for &D {
    async fn first<T: DeserializeOwned>(&self, sql: &str, args: &[Arg]) -> DbResult<Option<T>> {
        (*self).first(sql, args).await
    }
    async fn raw<T: DeserializeOwned>(&self, sql: &str, args: &[Arg]) -> DbResult<Vec<T>> {
        (*self).raw(sql, args).await
    }
    async fn batch(&self, stmts: Vec<Statement>) -> DbResult<Vec<Written>> {
        (*self).batch(stmts).await
    }
}

/// The first row of a query, its columns by position.
pub async fn first_raw<T: DeserializeOwned>(db: &impl Database, sql: &str, args: &[Arg]) -> ApiResult<Option<T>> {
    Ok(db.raw(sql, args).await?.into_iter().next())
}

/// The single text column of the first row, if any.
pub async fn first_text(db: &impl Database, sql: &str, args: &[Arg]) -> ApiResult<Option<String>> {
    Ok(first_raw::<(Option<String>,)>(db, sql, args).await?.and_then(|(text,)| text))
}

/// Rows of `(id, json)` text pairs, as list queries select them.
pub async fn id_json_rows(db: &impl Database, sql: &str, args: &[Arg]) -> ApiResult<Vec<(String, String)>> {
    Ok(db.raw(sql, args).await?)
}

/// Runs statements atomically; a failure becomes the client's error (see [`write_error`]).
pub async fn write(db: &impl Database, stmts: Vec<Statement>, unique_field: &str) -> ApiResult<Vec<Written>> {
    db.batch(stmts).await.map_err(|e| write_error(e, unique_field))
}

/// Maps a failed write: a unique-constraint violation is a 409 naming `unique_field`; a
/// `null` that reached a NOT NULL column (validation should have caught it) is a 422 on that
/// column rather than a 500.
pub fn write_error(e: DbError, unique_field: &str) -> ApiError {
    if e.0.contains("UNIQUE constraint failed") {
        return ApiError::conflict(Msg::Duplicate(unique_field.to_string()));
    }
    if let Some(rest) = e.0.split("NOT NULL constraint failed: ").nth(1) {
        let column: String = rest
            .split('.')
            .nth(1)
            .unwrap_or("")
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        return ApiError::invalid_field(column, FieldCode::Required);
    }
    e.into()
}

/// Reads a column holding JSON text (SQLite has no JSON type) as the value it encodes; for
/// `#[serde(deserialize_with = "json_text")]` on typed rows.
pub fn json_text<'de, D: Deserializer<'de>, T: DeserializeOwned>(d: D) -> Result<T, D::Error> {
    let text = String::deserialize(d)?;
    serde_json::from_str(&text).map_err(serde::de::Error::custom)
}
