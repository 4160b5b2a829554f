//! Webhook delivery at run time (SPEC §7), off every request's path: the fan-out of committed
//! outbox events to endpoints, the `WEBHOOKS` queue and its consumer (the attempts), and the
//! sweeper that makes "committed" imply "delivered or failed" even when an isolate dies or a
//! local queue is emptied. The rules they follow are pure ([`crate::domain::webhooks`]); the
//! rows they change are in [`crate::storage::deliveries`] and [`crate::storage::events`].

pub mod consumer;
pub mod fanout;
pub mod http;
pub mod queue;
pub mod settings;
pub mod sweep;
