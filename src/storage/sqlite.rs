// Compiled only for tests: `#[cfg(test)] pub mod sqlite;` in storage/mod.rs.
//! The [`Database`] of native tests: an in-memory SQLite (rusqlite, bundled) on the real
//! `schema.sql`, so storage code runs natively on the very statements D1 runs. Calls are
//! synchronous inside the async methods; tests drive them with [`block_on`].

use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll, Waker};

use rusqlite::types::{ToSqlOutput, ValueRef};
use rusqlite::{Connection, ToSql};
use serde::de::DeserializeOwned;
use serde_json::{Map, Number, Value};

use crate::domain::listing::Arg;
use crate::storage::db::{Database, DbError, DbResult, Statement, Written};

/// A fresh in-memory database with the whole schema applied.
pub struct Sqlite {
    conn: Connection,
}

impl Sqlite {
    pub fn open() -> Self {
        let conn = Connection::open_in_memory().expect("in-memory sqlite");
        conn.execute_batch(include_str!("../../schema.sql")).expect("schema.sql applies");
        Sqlite { conn }
    }

    /// The connection itself, for a test that looks under the storage code.
    pub fn conn(&self) -> &Connection {
        &self.conn
    }

    /// Runs `sql` and returns its rows, each as a JSON object (`by_name`) or array.
    fn rows(&self, sql: &str, args: &[Arg], by_name: bool) -> DbResult<Vec<Value>> {
        let mut stmt = self.conn.prepare(sql)?;
        let names: Vec<String> = stmt.column_names().into_iter().map(str::to_string).collect();
        let mut rows = stmt.query(rusqlite::params_from_iter(args))?;
        let mut out = Vec::new();
        while let Some(row) = rows.next()? {
            let cells = (0..names.len()).map(|i| row.get_ref(i).map(json)).collect::<Result<Vec<_>, _>>()?;
            out.push(if by_name {
                Value::Object(names.iter().cloned().zip(cells).collect::<Map<_, _>>())
            } else {
                Value::Array(cells)
            });
        }
        Ok(out)
    }
}

impl From<rusqlite::Error> for DbError {
    fn from(e: rusqlite::Error) -> Self {
        DbError(e.to_string())
    }
}

impl ToSql for Arg {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(match self {
            Arg::Text(s) => ToSqlOutput::Borrowed(ValueRef::Text(s.as_bytes())),
            Arg::Int(i) => ToSqlOutput::Borrowed(ValueRef::Integer(*i)),
            Arg::Real(f) => ToSqlOutput::Borrowed(ValueRef::Real(*f)),
            Arg::Null => ToSqlOutput::Borrowed(ValueRef::Null),
        })
    }
}

/// A cell as D1 would hand it over: numbers, text or null (the schema has no blobs).
fn json(cell: ValueRef<'_>) -> Value {
    match cell {
        ValueRef::Null | ValueRef::Blob(_) => Value::Null,
        ValueRef::Integer(i) => Value::Number(i.into()),
        ValueRef::Real(f) => Number::from_f64(f).map_or(Value::Null, Value::Number),
        ValueRef::Text(t) => Value::String(String::from_utf8_lossy(t).into_owned()),
    }
}

fn from_rows<T: DeserializeOwned>(rows: Vec<Value>) -> DbResult<Vec<T>> {
    rows.into_iter().map(|r| serde_json::from_value(r).map_err(DbError::from)).collect()
}

impl Database for Sqlite {
    async fn first<T: DeserializeOwned>(&self, sql: &str, args: &[Arg]) -> DbResult<Option<T>> {
        Ok(from_rows(self.rows(sql, args, true)?)?.into_iter().next())
    }

    async fn raw<T: DeserializeOwned>(&self, sql: &str, args: &[Arg]) -> DbResult<Vec<T>> {
        from_rows(self.rows(sql, args, false)?)
    }

    async fn batch(&self, stmts: Vec<Statement>) -> DbResult<Vec<Written>> {
        // Dropped without `commit` on the first error, which rolls everything back (as D1 does).
        let tx = self.conn.unchecked_transaction()?;
        let mut written = Vec::with_capacity(stmts.len());
        for s in &stmts {
            let before = self.conn.total_changes();
            let rows = self.rows(&s.sql, &s.args, true)?;
            written.push(Written { rows, changes: self.conn.total_changes() - before });
        }
        tx.commit()?;
        Ok(written)
    }
}

/// Drives a storage future to completion. The SQLite adapter never waits, so one poll does.
pub fn block_on<F: Future>(future: F) -> F::Output {
    match pin!(future).poll(&mut Context::from_waker(Waker::noop())) {
        Poll::Ready(output) => output,
        Poll::Pending => panic!("a storage future waited on something other than SQLite"),
    }
}
