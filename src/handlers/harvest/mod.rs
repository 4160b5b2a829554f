//! The Harvest-compatible `/v2` (SPEC §9): one module per Harvest resource, each a thin
//! mapping over `/v1`'s storage and rules; the wire (bare objects, Harvest's errors, the
//! account header, `/api/v2`) is the pipeline's ([`crate::pipeline::harvest`]).

pub mod account;
pub mod catalog;
pub mod expenses;
pub mod invoices;
pub mod reports;
pub mod time_entries;

use crate::domain::harvest::paging::{self, ListPage};
use crate::domain::harvest::unprocessable;
use crate::domain::listing::Query;
use crate::error::{ApiError, ApiResult, FieldError};
use crate::i18n::{FieldCode, Msg, Noun};
use crate::pipeline::call::Call;
use crate::pipeline::envelope::Reply;
use crate::storage::harvest::{self as store, Conditions, Resource};
use crate::storage::harvest_ids::{self, Kind};
use serde_json::Value;

const MAX_ID: i64 = harvest_ids::MAX;

use crate::domain::params::{Param, ParamKind};

/// The parameters of every `/v2` list (documentation; the handlers read them leniently, as
/// Harvest does: unknown parameters are ignored).
pub const LIST_PARAMS: &[Param] = &[
    Param::optional("page", ParamKind::Int(1, paging::MAX_PAGE as i64)).doc("The page, from 1."),
    Param::optional("per_page", ParamKind::Int(1, paging::MAX_PER_PAGE as i64)).doc("1–2000, default 100."),
    Param::optional("updated_since", ParamKind::Instant)
        .doc("Only objects updated at or after this ISO 8601 date-time (or date)."),
    Param::optional(paging::CEILING, ParamKind::Int(0, i64::MAX))
        .doc("Set by the list's own links: keeps later pages to the set the first one saw."),
];

/// [`LIST_PARAMS`] and `is_active`.
pub const ACTIVE_LIST_PARAMS: &[Param] = &[
    LIST_PARAMS[0],
    LIST_PARAMS[1],
    LIST_PARAMS[2],
    LIST_PARAMS[3],
    Param::optional("is_active", ParamKind::OneOf(&["true", "false"])).doc("Only active (or inactive) ones."),
];

/// The parameters pages and links are made of (not repeated in a link's own query).
const PAGING: &[&str] = &["page", "per_page", paging::CEILING];

/// The integer id in a `/v2` path: anything else names nothing (404).
pub fn int_id(raw: &str, noun: Noun) -> ApiResult<i64> {
    raw.parse::<i64>().ok().filter(|n| *n > 0).ok_or_else(|| ApiError::not_found(Msg::NotFound(noun)))
}

/// `true`/`false` of a Harvest filter (422 otherwise).
pub fn flag(call: &Call<'_>, name: &str) -> ApiResult<Option<bool>> {
    query_flag(&call.query, name)
}

/// [`flag`] of a query.
pub fn query_flag(query: &Query, name: &str) -> ApiResult<Option<bool>> {
    match query.get(name) {
        None => Ok(None),
        Some("true") => Ok(Some(true)),
        Some("false") => Ok(Some(false)),
        Some(_) => Err(unprocessable(name)),
    }
}

/// `updated_since` as Harvest sends it (an ISO 8601 date-time), as a condition.
pub fn updated_since(call: &Call<'_>, cond: &mut Conditions) -> ApiResult<()> {
    if let Some(v) = call.query.get("updated_since") {
        let t = crate::domain::time::normalize(v, false).ok_or_else(|| unprocessable("updated_since"))?;
        cond.add("t.updated_at >= ?", [t.into()]);
    }
    Ok(())
}

/// A page of `r` as Harvest's list body, links absolute on `path`.
pub async fn list(call: &Call<'_>, r: &Resource, path: &str, cond: Conditions) -> ApiResult<Reply> {
    list_mapped(call, r, path, cond, &|row| row.to_string()).await
}

/// [`list`], each object passed through `map` (for what SQL cannot render itself).
pub async fn list_mapped(
    call: &Call<'_>,
    r: &Resource,
    path: &str,
    mut cond: Conditions,
    map: &dyn Fn(&str) -> String,
) -> ApiResult<Reply> {
    let req = paging::request(&call.query)?;
    updated_since(call, &mut cond)?;
    if let (Some(active), Some(want)) = (r.active, flag(call, "is_active")?) {
        cond.add(format!("{active} = {}", i32::from(want)), []);
    }
    let (items, total, ceiling) = store::page(&call.db()?, r, call.tenant_id()?, &cond, &req).await?;
    let mut query = worker::url::form_urlencoded::Serializer::new(String::new());
    for (k, v) in call.query.pairs() {
        if !PAGING.contains(&k.as_str()) {
            query.append_pair(k, v);
        }
    }
    let (query, base) = (query.finish(), format!("{}{path}", call.origin));
    let items = items.iter().map(|i| map(i)).collect();
    let page =
        ListPage { name: r.name, items, total_entries: total, request: req, ceiling, base: &base, query: &query };
    Ok(Reply::ok(page.render()))
}

/// One object of `r` by its integer id.
pub async fn detail(call: &Call<'_>, r: &Resource, raw_id: &str, noun: Noun) -> ApiResult<Reply> {
    let id = int_id(raw_id, noun)?;
    match store::one(&call.db()?, r, call.tenant_id()?, id).await? {
        Some(json) => Ok(Reply::ok(json)),
        None => Err(ApiError::not_found(Msg::NotFound(noun))),
    }
}

/// The text id of the object of `kind` a body or filter names by integer (`0` or `null`:
/// none); 422 naming `field` when there is no such live object in the tenant.
pub async fn named(call: &Call<'_>, kind: Kind, field: &str, v: Option<&Value>) -> ApiResult<Option<String>> {
    let n = match v {
        None | Some(Value::Null) => return Ok(None),
        // An integer, also as JSON may write it with a zero fraction (`7.0`).
        Some(v) => v
            .as_i64()
            .or_else(|| v.as_f64().filter(|f| f.fract() == 0.0 && f.abs() <= MAX_ID as f64).map(|f| f as i64))
            .ok_or_else(|| unprocessable(field))?,
    };
    if n == 0 {
        return Ok(None);
    }
    match harvest_ids::id_for(&call.db()?, kind, call.tenant_id()?, n).await? {
        Some(id) => Ok(Some(id)),
        None => Err(ApiError::validation(vec![FieldError::new(field, FieldCode::NotFound)])),
    }
}

/// A condition on an integer-id filter: `column` is the row of `table` with that integer.
pub fn by_int(query: &Query, cond: &mut Conditions, param: &str, sql: &str) -> ApiResult<()> {
    if let Some(v) = query.get(param) {
        let n = v.parse::<i64>().map_err(|_| unprocessable(param))?;
        cond.add(sql, [n.into()]);
    }
    Ok(())
}
