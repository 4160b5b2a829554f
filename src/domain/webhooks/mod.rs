//! Webhooks (SPEC §7) as pure rules, tested natively: how deliveries are signed, when they are
//! retried, what their bodies say (JSON or Slack text), and what an attempt's answer means.

pub mod delivery;
pub mod filters;
pub mod payload;
pub mod schedule;
pub mod signing;
pub mod slack;
