//! The shared handlers of every declared resource: list, create, detail, update, delete.
//! Resources with rules of their own (jobs, shifts, workers) reuse the pieces.

use super::catalog::Resource;
use crate::domain::listing::{self, ListSpec, Query};
use crate::domain::{ids, model, reader};
use crate::error::ApiResult;
use crate::pipeline::call::Call;
use crate::pipeline::envelope::Reply;
use crate::storage::resource::{self, Table};

pub async fn list(call: &Call<'_>, t: &Table) -> ApiResult<Reply> {
    Ok(Reply::page(resource::list(&call.db()?, t, call.tenant_id()?, &call.query).await?))
}

/// One page of a list declared by `spec` alone (no `Table`), scoped to `tenant` (`None`: the
/// operator's views across tenants).
pub async fn page_of(call: &Call<'_>, spec: &ListSpec, tenant: Option<&str>, query: &Query) -> ApiResult<Reply> {
    let lq = listing::compile(spec, tenant, query)?;
    let rows = crate::storage::db::id_json_rows(&call.db()?, &lq.sql, &lq.args).await?;
    Ok(Reply::page(listing::paginate(rows, lq.limit)))
}

pub async fn get(call: &Call<'_>, t: &Table, id: &str) -> ApiResult<Reply> {
    Ok(Reply::ok(resource::get(&call.db()?, t, call.tenant_id()?, id).await?))
}

pub async fn delete(call: &Call<'_>, t: &Table, id: &str) -> ApiResult<Reply> {
    Ok(Reply::changed(id, resource::delete(&call.db()?, t, call.tenant_id()?, id, call.now_ms).await?))
}

/// Inserts validated columns as a new object (after checking its references).
pub async fn insert(call: &Call<'_>, t: &Table, prefix: &str, cols: model::Columns) -> ApiResult<Reply> {
    let db = call.db()?;
    let tenant = call.tenant_id()?;
    resource::check_refs(&db, tenant, &cols.refs).await?;
    let id = ids::new_id(prefix, call.now_ms as u64);
    Ok(Reply::created(&id, resource::create(&db, t, tenant, &id, call.now_ms, cols.values).await?))
}

/// Applies validated columns to object `id` (after checking its references).
pub async fn apply(call: &Call<'_>, t: &Table, id: &str, cols: model::Columns) -> ApiResult<Reply> {
    let db = call.db()?;
    let tenant = call.tenant_id()?;
    if !cols.refs.is_empty() {
        // A missing object is a 404 before its references are judged.
        resource::get(&db, t, tenant, id).await?;
        resource::check_refs(&db, tenant, &cols.refs).await?;
    }
    Ok(Reply::changed(id, resource::update(&db, t, tenant, id, call.now_ms, cols.values).await?))
}

/// Creates an object of a declared resource (its declaration fills the defaults).
pub async fn create(call: &Call<'_>, r: &Resource) -> ApiResult<Reply> {
    insert(call, &r.table, r.prefix, reader::parse(&call.body, r.fields, &[], true)?).await
}

/// Updates object `id` of a declared resource; a field with a default cannot be cleared.
pub async fn update(call: &Call<'_>, r: &Resource, id: &str) -> ApiResult<Reply> {
    apply(call, &r.table, id, reader::parse(&call.body, r.fields, &[], false)?).await
}
