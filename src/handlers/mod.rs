//! Handlers, one module per resource: each turns a [`Call`] into a [`Reply`] using domain
//! rules and storage adapters, and declares its routes (`ROUTES`) beside the handlers.

pub mod api_keys;
pub mod assets;
pub mod attendance;
pub mod attendance_views;
pub mod audit;
pub mod catalog;
pub mod catalog_routes;
pub mod contacts;
pub mod crud;
pub mod deliveries;
pub mod divisions;
pub mod docs;
pub mod embed;
pub mod expense_routes;
pub mod expenses;
pub mod exports;
pub mod harvest;
pub mod invoice_routes;
pub mod invoices;
pub mod jobs;
pub mod live;
pub mod me;
pub mod operator;
pub mod partnerships;
pub mod positions;
pub mod reports;
pub mod shifts;
pub mod time_entries;
pub mod time_entry_routes;
pub mod webhooks;
pub mod workers;

use crate::pipeline::router::RouteDef;

/// Every module's routes, in documentation order. A new module adds its `ROUTES` here; a new
/// route in an existing module is only its declaration beside its handler.
pub static ROUTES: &[&[RouteDef]] = &[
    docs::ROUTES,
    embed::ROUTES,
    operator::ROUTES,
    me::ROUTES,
    api_keys::ROUTES,
    divisions::ROUTES,
    partnerships::ROUTES,
    audit::ROUTES,
    workers::ROUTES,
    catalog_routes::ROUTES,
    contacts::ROUTES,
    jobs::ROUTES,
    shifts::ROUTES,
    time_entry_routes::ROUTES,
    attendance::ROUTES,
    attendance_views::ROUTES,
    expense_routes::ROUTES,
    positions::ROUTES,
    live::ROUTES,
    webhooks::ROUTES,
    deliveries::ROUTES,
    reports::ROUTES,
    exports::ROUTES,
    invoice_routes::ROUTES,
    harvest::account::ROUTES,
    harvest::catalog::ROUTES,
    harvest::time_entries::ROUTES,
    harvest::expenses::ROUTES,
    harvest::invoices::ROUTES,
    harvest::reports::ROUTES,
];
