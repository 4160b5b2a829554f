//! Domain rules as pure functions: no Workers types here, so all of it is tested natively.

pub mod attendance;
pub mod budget;
pub mod cursor;
pub mod events;
pub mod fields;
pub mod filters;
pub mod gate;
pub mod geo;
pub mod idempotency;
pub mod ids;
pub mod jobs;
pub mod key_request;
pub mod keys;
pub mod listing;
pub mod model;
pub mod named;
pub mod overtime;
pub mod rate;
pub mod scopes;
pub mod shifts;
pub mod tenants;
pub mod time;
pub mod time_entries;
pub mod webhooks;
pub mod workers;
