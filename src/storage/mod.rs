//! Storage adapters: the only code that touches D1, KV, Durable Objects and Queues. Above
//! this line everything is plain Rust values. SQL is written against [`db::Database`]: D1
//! implements it in the Worker, an in-memory SQLite on `schema.sql` in native tests.

pub mod api_keys;
pub mod attendance;
pub mod audit;
pub mod counted;
pub mod d1;
pub mod db;
pub mod deliveries;
pub mod events;
pub mod expenses;
pub mod exports;
pub mod gate;
pub mod gate_queue;
pub mod harvest;
pub mod harvest_ids;
pub mod invoices;
pub mod jobs;
pub mod keys;
pub mod live;
pub mod outbox;
pub mod partnerships;
pub mod positions;
pub mod reports;
pub mod resource;
pub mod shifts;
pub mod tenants;
pub mod time_entries;
pub mod vendors;
pub mod webhooks;
pub mod workers;

#[cfg(test)]
mod migrations;
#[cfg(test)]
mod query_plans;
#[cfg(test)]
pub mod sqlite;
#[cfg(test)]
mod tests;
