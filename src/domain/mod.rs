//! Domain rules as pure functions: no Workers types here, so all of it is tested natively.

pub mod cursor;
pub mod fields;
pub mod ids;
pub mod keys;
pub mod listing;
pub mod tenants;
pub mod time;
pub mod workers;
