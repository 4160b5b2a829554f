//! D1, the [`Database`] of the Worker: binding [`Arg`]s (nulls as JS `null`, integers as
//! exact JS numbers) and reading rows straight from the JS values D1 answers with. Workers
//! types stop here; the rest of storage speaks [`Database`].

use serde::de::DeserializeOwned;
use wasm_bindgen::JsValue;
use worker::{D1Database, D1PreparedStatement, Env};

use crate::domain::listing::Arg;
use crate::error::ApiResult;
use crate::storage::db::{Database, DbError, DbResult, Statement, Written};

pub fn db(env: &Env) -> ApiResult<D1Database> {
    Ok(env.d1("DB")?)
}

impl From<worker::Error> for DbError {
    fn from(e: worker::Error) -> Self {
        DbError(e.to_string())
    }
}

impl From<serde_wasm_bindgen::Error> for DbError {
    fn from(e: serde_wasm_bindgen::Error) -> Self {
        DbError(format!("row shape: {e}"))
    }
}

fn js(arg: &Arg) -> JsValue {
    match arg {
        Arg::Text(s) => JsValue::from_str(s),
        // Exact up to 2^53; callers keep integers well inside that range.
        Arg::Int(i) => JsValue::from_f64(*i as f64),
        Arg::Real(f) => JsValue::from_f64(*f),
        // D1 rejects `undefined`; a SQL NULL is JS `null`.
        Arg::Null => JsValue::NULL,
    }
}

/// A prepared statement with its arguments bound.
pub fn stmt(db: &D1Database, sql: &str, args: &[Arg]) -> ApiResult<D1PreparedStatement> {
    Ok(bind(db, sql, args)?)
}

fn bind(db: &D1Database, sql: &str, args: &[Arg]) -> DbResult<D1PreparedStatement> {
    let values: Vec<JsValue> = args.iter().map(js).collect();
    Ok(db.prepare(sql).bind(&values)?)
}

impl Database for D1Database {
    async fn first<T: DeserializeOwned>(&self, sql: &str, args: &[Arg]) -> DbResult<Option<T>> {
        Ok(bind(self, sql, args)?.first::<T>(None).await?)
    }

    async fn raw<T: DeserializeOwned>(&self, sql: &str, args: &[Arg]) -> DbResult<Vec<T>> {
        let rows = bind(self, sql, args)?.raw_js_value().await?;
        rows.into_iter().map(|row| serde_wasm_bindgen::from_value(row).map_err(DbError::from)).collect()
    }

    async fn batch(&self, stmts: Vec<Statement>) -> DbResult<Vec<Written>> {
        let prepared = stmts.iter().map(|s| bind(self, &s.sql, &s.args)).collect::<DbResult<Vec<_>>>()?;
        // The inherent `D1Database::batch`: D1 runs a batch as one transaction.
        let results = D1Database::batch(self, prepared).await?;
        results
            .iter()
            .map(|r| {
                let changes = r.meta()?.and_then(|m| m.changes).unwrap_or(0) as u64;
                Ok(Written { rows: r.results()?, changes })
            })
            .collect()
    }
}
