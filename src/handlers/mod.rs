//! Handlers, one module per resource: each turns a [`Call`] into a [`Reply`] using domain
//! rules and storage adapters.

pub mod api_keys;
pub mod attendance;
pub mod attendance_views;
pub mod audit;
pub mod catalog;
pub mod crud;
pub mod divisions;
pub mod docs;
pub mod jobs;
pub mod me;
pub mod operator;
pub mod partnerships;
pub mod shifts;
pub mod time_entries;
pub mod workers;

use crate::error::ApiResult;
use crate::pipeline::call::Call;
use crate::pipeline::envelope::Reply;
use crate::pipeline::router::{Res, Route};

fn resource(res: Res) -> &'static catalog::Resource {
    match res {
        Res::Sites => &catalog::SITES,
        Res::Departments => &catalog::DEPARTMENTS,
        Res::CostCodes => &catalog::COST_CODES,
        Res::Tasks => &catalog::TASKS,
        Res::Customers => &catalog::CUSTOMERS,
    }
}

pub async fn dispatch(route: Route, call: &Call<'_>) -> ApiResult<Reply> {
    match route {
        Route::OpenApi => Ok(docs::openapi()),
        Route::Docs => Ok(docs::swagger_ui()),
        Route::OperatorTenantCreate => operator::create_tenant(call).await,
        Route::OperatorTenantList => operator::list_tenants(call).await,
        Route::OperatorTenantGet => operator::get_tenant(call).await,
        Route::OperatorTenantUpdate => operator::update_tenant(call).await,
        Route::OperatorTenantKeyCreate => operator::create_tenant_key(call).await,
        Route::OperatorVendorCreate => operator::create_vendor(call).await,
        Route::OperatorVendorList => operator::list_vendors(call).await,
        Route::OperatorVendorKeyCreate => operator::create_vendor_key(call).await,
        Route::OperatorAuditList => audit::operator_list(call).await,
        Route::Me => me::show(call).await,
        Route::ApiKeyCreate => api_keys::create(call).await,
        Route::ApiKeyList => api_keys::list(call).await,
        Route::ApiKeyGet => api_keys::show(call).await,
        Route::ApiKeyRevoke => api_keys::revoke(call).await,
        Route::DivisionCreate => divisions::create(call).await,
        Route::DivisionList => divisions::list(call).await,
        Route::DivisionGet => divisions::show(call).await,
        Route::DivisionKeyCreate => divisions::create_key(call).await,
        Route::PartnershipCreate => partnerships::create(call).await,
        Route::PartnershipList => partnerships::list(call).await,
        Route::PartnershipGet => partnerships::show(call).await,
        Route::PartnershipRevoke => partnerships::revoke(call).await,
        Route::AuditList => audit::list(call).await,
        Route::Crud(res, op) => crud::serve(call, op, resource(res)).await,
        Route::JobList => crud::list(call, &crate::storage::jobs::JOBS).await,
        Route::JobCreate => jobs::create(call).await,
        Route::JobGet => jobs::show(call).await,
        Route::JobUpdate => jobs::update(call).await,
        Route::JobDelete => crud::delete(call, &crate::storage::jobs::JOBS).await,
        Route::ShiftList => crud::list(call, &crate::storage::shifts::SHIFTS).await,
        Route::ShiftCreate => shifts::create(call).await,
        Route::ShiftGet => crud::get(call, &crate::storage::shifts::SHIFTS).await,
        Route::ShiftUpdate => shifts::update(call).await,
        Route::ShiftDelete => crud::delete(call, &crate::storage::shifts::SHIFTS).await,
        Route::ShiftPublish => shifts::publish(call).await,
        Route::TimeEntryList => crud::list(call, &crate::storage::time_entries::TIME_ENTRIES).await,
        Route::TimeEntryCreate => time_entries::create(call).await,
        Route::TimeEntryBatch => time_entries::batch(call).await,
        Route::TimeEntryGet => crud::get(call, &crate::storage::time_entries::TIME_ENTRIES).await,
        Route::TimeEntryUpdate => time_entries::update(call).await,
        Route::TimeEntryDelete => time_entries::delete(call).await,
        Route::TimeEntryStop => time_entries::stop(call).await,
        Route::TimeEntryApprove => time_entries::approve(call).await,
        Route::TimeEntryReject => time_entries::reject(call).await,
        Route::TimeEntryUnapprove => time_entries::unapprove(call).await,
        Route::ClockIn => attendance::clock_in(call).await,
        Route::ClockOut => attendance::clock_out(call).await,
        Route::BreakStart => attendance::break_start(call).await,
        Route::BreakEnd => attendance::break_end(call).await,
        Route::AttendanceDaily => attendance_views::daily(call).await,
        Route::AttendanceRange => attendance_views::range(call).await,
        Route::AttendanceWorker => attendance_views::worker(call).await,
        Route::AttendanceSummary => attendance_views::summary(call).await,
        Route::AttendanceToday => attendance_views::today(call).await,
        Route::WorkerList => workers::list(call).await,
        Route::WorkerCreate => workers::create(call).await,
        Route::WorkerGet => workers::show(call).await,
        Route::WorkerUpdate => workers::update(call).await,
        Route::WorkerDelete => workers::delete(call).await,
        Route::WorkerSetStatus => workers::set_status(call).await,
    }
}
