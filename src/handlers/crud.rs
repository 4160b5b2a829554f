//! The shared handlers of every declared resource: list, create, detail, update, delete.
//! Resources with rules of their own (jobs, shifts, workers) reuse the pieces.

use super::catalog::{Default, Resource};
use crate::domain::listing::Arg;
use crate::domain::{ids, model};
use crate::error::ApiResult;
use crate::pipeline::call::Call;
use crate::pipeline::envelope::Reply;
use crate::storage::resource::{self, Table};

pub use crate::pipeline::router::Op;

pub async fn list(call: &Call<'_>, t: &Table) -> ApiResult<Reply> {
    Ok(Reply::page(resource::list(&call.db()?, t, call.tenant_id()?, &call.query).await?))
}

pub async fn get(call: &Call<'_>, t: &Table) -> ApiResult<Reply> {
    Ok(Reply::ok(resource::get(&call.db()?, t, call.tenant_id()?, call.param(0)).await?))
}

pub async fn delete(call: &Call<'_>, t: &Table) -> ApiResult<Reply> {
    Ok(Reply::ok(resource::delete(&call.db()?, t, call.tenant_id()?, call.param(0), call.now_ms).await?))
}

/// Inserts validated columns as a new object (after checking its references).
pub async fn insert(call: &Call<'_>, t: &Table, prefix: &str, cols: model::Columns) -> ApiResult<Reply> {
    let db = call.db()?;
    let tenant = call.tenant_id()?;
    resource::check_refs(&db, tenant, &cols.refs).await?;
    let id = ids::new_id(prefix, call.now_ms as u64);
    Ok(Reply::created(resource::create(&db, t, tenant, &id, call.now_ms, cols.values).await?))
}

/// Applies validated columns to the object in the path (after checking its references).
pub async fn apply(call: &Call<'_>, t: &Table, cols: model::Columns) -> ApiResult<Reply> {
    let db = call.db()?;
    let tenant = call.tenant_id()?;
    if !cols.refs.is_empty() {
        // A missing object is a 404 before its references are judged.
        resource::get(&db, t, tenant, call.param(0)).await?;
        resource::check_refs(&db, tenant, &cols.refs).await?;
    }
    Ok(Reply::ok(resource::update(&db, t, tenant, call.param(0), call.now_ms, cols.values).await?))
}

pub async fn serve(call: &Call<'_>, op: Op, r: &Resource) -> ApiResult<Reply> {
    match op {
        Op::List => list(call, &r.table).await,
        Op::Get => get(call, &r.table).await,
        Op::Delete => delete(call, &r.table).await,
        Op::Create => {
            let mut cols = model::parse(&call.body, r.fields, &[], true)?;
            for (name, default) in r.defaults {
                if cols.get(name).is_none_or(|a| *a == Arg::Null) {
                    cols.set(
                        name,
                        match default {
                            Default::Int(v) => Arg::Int(*v),
                            Default::Real(v) => Arg::Real(*v),
                            Default::Text(v) => Arg::Text(v.to_string()),
                        },
                    );
                }
            }
            insert(call, &r.table, r.prefix, cols).await
        }
        Op::Update => {
            let cols = model::parse(&call.body, r.fields, &[], false)?;
            // A field with a default cannot be cleared: it always has a value.
            if let Some((name, _)) = r.defaults.iter().find(|(n, _)| cols.get(n) == Some(&Arg::Null)) {
                return Err(crate::error::ApiError::invalid_field(*name, crate::i18n::FieldCode::Required));
            }
            apply(call, &r.table, cols).await
        }
    }
}
