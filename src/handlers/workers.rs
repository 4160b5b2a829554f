//! `/v1/workers`: employees (SPEC §6).

use crate::domain::fields::Patch;
use crate::domain::ids;
use crate::domain::listing::Arg;
use crate::domain::model::RefCheck;
use crate::domain::workers::{self, WorkerInput};
use crate::error::ApiResult;
use crate::pipeline::call::Call;
use crate::pipeline::envelope::Reply;
use crate::storage::resource;
use crate::storage::workers::WORKERS;

/// The department and site a worker input points at, to check they exist in the tenant.
fn references(input: &WorkerInput) -> Vec<RefCheck> {
    let mut refs = Vec::new();
    if let Patch::Set(d) = &input.department_id {
        refs.push(("department_id", "departments", d.clone()));
    }
    if let Patch::Set(s) = &input.site_id {
        refs.push(("site_id", "sites", s.clone()));
    }
    refs
}

/// The columns an input sets: `Set` writes the value, `Null` clears, `Absent` leaves it.
fn columns(input: WorkerInput) -> Vec<(&'static str, Arg)> {
    let fields = [
        ("name", input.name.map(Arg::Text)),
        ("email", input.email.map(Arg::Text)),
        ("phone", input.phone.map(Arg::Text)),
        ("employee_code", input.employee_code.map(Arg::Text)),
        ("position", input.position.map(Arg::Text)),
        ("department_id", input.department_id.map(Arg::Text)),
        ("site_id", input.site_id.map(Arg::Text)),
        ("pay_rate", input.pay_rate.map(Arg::Int)),
        ("status", input.status.map(Arg::Text)),
    ];
    fields
        .into_iter()
        .filter_map(|(name, p)| match p {
            Patch::Set(v) => Some((name, v)),
            Patch::Null => Some((name, Arg::Null)),
            Patch::Absent => None,
        })
        .collect()
}

pub async fn list(call: &Call<'_>) -> ApiResult<Reply> {
    let page = resource::list(&call.db()?, &WORKERS, call.tenant_id()?, &call.query).await?;
    Ok(Reply::page(page))
}

pub async fn create(call: &Call<'_>) -> ApiResult<Reply> {
    let mut input = workers::parse(&call.body, true)?;
    let id = ids::new_id("wkr", call.now_ms as u64);
    if !input.employee_code.is_set() {
        input.employee_code = Patch::Set(workers::generated_employee_code(&id));
    }
    if !input.status.is_set() {
        input.status = Patch::Set("active".into());
    }
    let (db, tenant) = (call.db()?, call.tenant_id()?);
    resource::check_refs(&db, tenant, &references(&input)).await?;
    let json = resource::create(&db, &WORKERS, tenant, &id, call.now_ms, columns(input)).await?;
    Ok(Reply::created(json))
}

pub async fn show(call: &Call<'_>) -> ApiResult<Reply> {
    Ok(Reply::ok(resource::get(&call.db()?, &WORKERS, call.tenant_id()?, call.param(0)).await?))
}

pub async fn update(call: &Call<'_>) -> ApiResult<Reply> {
    let input = workers::parse(&call.body, false)?;
    let (db, tenant) = (call.db()?, call.tenant_id()?);
    let refs = references(&input);
    if !refs.is_empty() {
        // A missing worker is a 404 before its references are judged.
        resource::get(&db, &WORKERS, tenant, call.param(0)).await?;
        resource::check_refs(&db, tenant, &refs).await?;
    }
    let json = resource::update(&db, &WORKERS, tenant, call.param(0), call.now_ms, columns(input)).await?;
    Ok(Reply::ok(json))
}

pub async fn delete(call: &Call<'_>) -> ApiResult<Reply> {
    Ok(Reply::ok(resource::delete(&call.db()?, &WORKERS, call.tenant_id()?, call.param(0), call.now_ms).await?))
}

pub async fn set_status(call: &Call<'_>) -> ApiResult<Reply> {
    let status = workers::parse_status(&call.body)?;
    let sets = vec![("status", Arg::Text(status))];
    let json = resource::update(&call.db()?, &WORKERS, call.tenant_id()?, call.param(0), call.now_ms, sets).await?;
    Ok(Reply::ok(json))
}
