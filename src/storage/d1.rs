//! D1 helpers: binding [`Arg`]s (nulls as JS `null`, integers as exact JS numbers) and
//! reading rows that SQLite already rendered as JSON text, so objects reach the response
//! without a round of deserialising and re-serialising.

use wasm_bindgen::JsValue;
use worker::{D1Database, D1PreparedStatement, Env};

use crate::domain::listing::Arg;
use crate::error::{ApiError, ApiResult};
use crate::i18n::Msg;

pub fn db(env: &Env) -> ApiResult<D1Database> {
    Ok(env.d1("DB")?)
}

fn js(arg: &Arg) -> JsValue {
    match arg {
        Arg::Text(s) => JsValue::from_str(s),
        // Exact up to 2^53; callers keep integers well inside that range.
        Arg::Int(i) => JsValue::from_f64(*i as f64),
        Arg::Real(f) => JsValue::from_f64(*f),
        Arg::Null => JsValue::NULL,
    }
}

/// A prepared statement with its arguments bound.
pub fn stmt(db: &D1Database, sql: &str, args: &[Arg]) -> ApiResult<D1PreparedStatement> {
    let values: Vec<JsValue> = args.iter().map(js).collect();
    Ok(db.prepare(sql).bind(&values)?)
}

/// Rows of `(id, json)` text pairs, as list queries select them.
pub async fn id_json_rows(db: &D1Database, sql: &str, args: &[Arg]) -> ApiResult<Vec<(String, String)>> {
    let rows: Vec<Vec<String>> = stmt(db, sql, args)?.raw().await?;
    Ok(rows
        .into_iter()
        .filter_map(|r| {
            let mut it = r.into_iter();
            Some((it.next()?, it.next()?))
        })
        .collect())
}

/// The single text column of the first row, if any.
pub async fn first_text(db: &D1Database, sql: &str, args: &[Arg]) -> ApiResult<Option<String>> {
    let rows: Vec<Vec<Option<String>>> = stmt(db, sql, args)?.raw().await?;
    Ok(rows.into_iter().next().and_then(|r| r.into_iter().next().flatten()))
}

/// Maps a failed write: a unique-constraint violation is a 409 naming `unique_field`; a
/// `null` that reached a NOT NULL column (validation should have caught it) is a 422 on that
/// column rather than a 500.
pub fn write_error(e: worker::Error, unique_field: &str) -> ApiError {
    let text = e.to_string();
    if text.contains("UNIQUE constraint failed") {
        return ApiError::conflict(Msg::Duplicate(unique_field.to_string()));
    }
    if let Some(rest) = text.split("NOT NULL constraint failed: ").nth(1) {
        let column: String = rest
            .split('.')
            .nth(1)
            .unwrap_or("")
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        return ApiError::invalid_field(column, crate::i18n::FieldCode::Required);
    }
    e.into()
}

/// Runs statements atomically (D1 batches are transactions).
pub async fn write(
    db: &D1Database,
    stmts: Vec<D1PreparedStatement>,
    unique_field: &str,
) -> ApiResult<Vec<worker::D1Result>> {
    db.batch(stmts).await.map_err(|e| write_error(e, unique_field))
}
