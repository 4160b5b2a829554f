//! Durable Objects, one file each.

pub mod claims;
pub mod key_gate;
pub mod live_feed;
pub mod live_store;
pub mod webhook_sweeper;
