//! Handlers, one module per resource: each turns a [`Call`] into a [`Reply`] using domain
//! rules and storage adapters.

pub mod docs;
pub mod me;
pub mod operator;
pub mod workers;

use crate::error::ApiResult;
use crate::pipeline::call::Call;
use crate::pipeline::envelope::Reply;
use crate::pipeline::router::Route;

pub async fn dispatch(route: Route, call: &Call<'_>) -> ApiResult<Reply> {
    match route {
        Route::OpenApi => Ok(docs::openapi()),
        Route::Docs => Ok(docs::swagger_ui()),
        Route::OperatorTenantCreate => operator::create_tenant(call).await,
        Route::OperatorTenantList => operator::list_tenants(call).await,
        Route::OperatorTenantGet => operator::get_tenant(call).await,
        Route::Me => me::show(call).await,
        Route::WorkerList => workers::list(call).await,
        Route::WorkerCreate => workers::create(call).await,
        Route::WorkerGet => workers::show(call).await,
        Route::WorkerUpdate => workers::update(call).await,
        Route::WorkerDelete => workers::delete(call).await,
        Route::WorkerSetStatus => workers::set_status(call).await,
    }
}
