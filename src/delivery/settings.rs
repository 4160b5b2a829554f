//! The delivery settings read from the environment (`[vars]` in `wrangler.toml`, `--var`
//! locally): the retry schedule and the sweeper's period.

use worker::Env;

use crate::domain::webhooks::schedule::Schedule;

fn var(env: &Env, name: &str) -> Option<String> {
    env.var(name).ok().map(|v| v.to_string())
}

/// `WEBHOOK_RETRY_SCHEDULE`: comma-separated seconds (SPEC §7); the default when unset or
/// unreadable.
pub fn schedule(env: &Env) -> Schedule {
    Schedule::from_setting(var(env, "WEBHOOK_RETRY_SCHEDULE").as_deref())
}

/// `WEBHOOK_SWEEP_SECONDS` (1–3600, default 60), in ms: how often the sweeper runs, and how long
/// an event may stay undispatched, or a pending delivery past due, before it takes them over.
pub fn sweep_period_ms(env: &Env) -> i64 {
    let seconds = var(env, "WEBHOOK_SWEEP_SECONDS").and_then(|v| v.trim().parse::<i64>().ok());
    seconds.filter(|s| (1..=3600).contains(s)).unwrap_or(60) * 1000
}
