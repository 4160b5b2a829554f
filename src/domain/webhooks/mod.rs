//! Webhooks (SPEC §7) as pure rules, tested natively: which URLs an endpoint may name, what
//! it subscribes to and which events its filters let through, its secrets, how deliveries are
//! signed, when they are retried, what their bodies say (JSON or Slack text), and what an
//! attempt's answer means.

pub mod delivery;
pub mod endpoint;
pub mod filters;
pub mod payload;
pub mod schedule;
pub mod secret;
pub mod signing;
pub mod slack;
pub mod url;
