//! End-to-end suite: drives the real worker under `wrangler dev` over HTTP.
//! Each test makes its own tenants, so tests are independent and run in parallel.

mod client;
mod contacts;
mod harness;
mod live_stream;
mod receiver;
mod webhook_endpoints;
mod webhook_verify;

mod attendance;
mod audit;
mod auth;
mod docs_page;
mod expenses;
mod exports;
mod harvest;
mod harvest_expenses;
mod harvest_invoices;
mod idempotency;
mod invoice_expenses;
mod invoices;
mod isolation;
mod jobs;
mod keys;
mod limits;
mod live_map;
mod operator;
mod pipeline;
mod positions;
mod positions_restart;
mod reports;
mod resources;
mod sdks;
mod shifts;
mod tenancy;
mod time_entries;
mod upgrade;
mod webhooks_api;
mod webhooks_delivery;
mod webhooks_log;
mod webhooks_recovery;
mod workers;
