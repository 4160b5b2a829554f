//! `KeyGate`: one Durable Object per API key, the strongly consistent home of that key's
//! rate-limit windows, revocation state and idempotency claims (SPEC §2, §3, §4). Every
//! authenticated request makes exactly one call here, so a revoked key is refused on its
//! very next request everywhere, concurrent requests from any number of isolates are counted
//! exactly, and concurrent duplicates of an idempotent request run once.
//!
//! Routes (internal): `GET /check?k=<key_id>&s=&m=&d=[&i=<record>&f=<fingerprint>]`,
//! `POST /complete?i=&ttl=` (body: the stored response), `POST /release?i=`, `POST /revoke`.

use std::cell::{Cell, RefCell};

use worker::{durable_object, Date, DurableObject, Env, Request, Response, Result, State};

use super::claims::Claims;
use crate::domain::gate::{self, Verdict};
use crate::domain::idempotency::Stored;
use crate::domain::rate::Counters;
use crate::domain::tenants::Limits;

/// How often `last_used_at` is copied to D1 (it is not written on every request).
const LAST_USED_FLUSH_MS: i64 = 60_000;
/// How often the counters are written to storage. Decisions are taken in memory, which is
/// the truth while the object lives; an object is only evicted after it has been idle, by
/// which time the trailing write (by alarm) has happened.
const COUNTER_PERSIST_MS: i64 = 1_000;

#[durable_object]
pub struct KeyGate {
    state: State,
    env: Env,
    loaded: Cell<bool>,
    revoked: Cell<bool>,
    counters: RefCell<Counters>,
    last_flush_ms: Cell<i64>,
    last_persist_ms: Cell<i64>,
    counters_dirty: Cell<bool>,
    /// The alarm currently set (unix ms), if any.
    alarm_at: Cell<Option<i64>>,
    claims: Claims,
}

fn param(url: &worker::Url, name: &str) -> Option<String> {
    url.query_pairs().find(|(k, _)| k == name).map(|(_, v)| v.into_owned())
}

fn num<T: std::str::FromStr + Default>(url: &worker::Url, name: &str) -> T {
    param(url, name).and_then(|v| v.parse().ok()).unwrap_or_default()
}

fn now_ms() -> i64 {
    Date::now().as_millis() as i64
}

impl KeyGate {
    async fn load(&self) -> Result<()> {
        if self.loaded.get() {
            return Ok(());
        }
        let storage = self.state.storage();
        let revoked: Option<bool> = storage.get("revoked").await?;
        let counters: Option<Counters> = storage.get("counters").await?;
        self.revoked.set(revoked.unwrap_or(false));
        if let Some(c) = counters {
            *self.counters.borrow_mut() = c;
        }
        self.loaded.set(true);
        Ok(())
    }

    async fn check(&self, url: &worker::Url) -> Result<String> {
        self.load().await?;
        if self.revoked.get() {
            return Ok(gate::format_reply(&Verdict::Revoked, None));
        }
        let limits = Limits { per_second: num(url, "s"), per_minute: num(url, "m"), per_day: num(url, "d") };
        let now = now_ms();
        // Decide and count synchronously: no other request can interleave before this line.
        let decision = self.counters.borrow_mut().admit(now, &limits);
        if !decision.allowed {
            return Ok(gate::format_reply(&Verdict::Limited(decision), None));
        }
        self.counters_dirty.set(true);
        if now - self.last_persist_ms.get() >= COUNTER_PERSIST_MS {
            self.persist_counters(now).await?;
        } else {
            self.arm(self.last_persist_ms.get() + COUNTER_PERSIST_MS, now).await?;
        }
        if now - self.last_flush_ms.get() >= LAST_USED_FLUSH_MS {
            self.last_flush_ms.set(now);
            if let Some(key_id) = param(url, "k") {
                self.flush_last_used(key_id, now);
            }
        }
        let claim = match (param(url, "i"), param(url, "f")) {
            (Some(name), Some(fp)) => Some(self.claims.claim(&self.state, &name, &fp, now).await?),
            _ => None,
        };
        Ok(gate::format_reply(&Verdict::Pass(decision), claim.as_ref()))
    }

    /// Copies the last-use time to the key's D1 row, off the request's path.
    fn flush_last_used(&self, key_id: String, now: i64) {
        let Ok(db) = self.env.d1("DB") else { return };
        self.state.wait_until(async move {
            let at = crate::domain::time::fmt_ms(now);
            let args = [at.into(), key_id.into()];
            if let Ok(stmt) = crate::storage::d1::stmt(&db, "UPDATE api_keys SET last_used_at = ? WHERE id = ?", &args)
            {
                if let Err(e) = stmt.run().await {
                    worker::console_error!("last_used_at flush failed: {e}");
                }
            }
        });
    }

    async fn persist_counters(&self, now: i64) -> Result<()> {
        self.last_persist_ms.set(now);
        self.counters_dirty.set(false);
        let snapshot = *self.counters.borrow();
        self.state.storage().put("counters", snapshot).await
    }

    /// Makes sure an alarm fires no later than `at` (one alarm serves every purpose).
    async fn arm(&self, at: i64, now: i64) -> Result<()> {
        if self.alarm_at.get().is_none_or(|current| at < current) {
            self.alarm_at.set(Some(at));
            self.state.storage().set_alarm((at - now).max(1)).await?;
        }
        Ok(())
    }

    async fn revoke(&self) -> Result<()> {
        self.load().await?;
        self.state.storage().put("revoked", true).await?;
        self.revoked.set(true);
        Ok(())
    }
}

impl DurableObject for KeyGate {
    fn new(state: State, env: Env) -> Self {
        KeyGate {
            state,
            env,
            loaded: Cell::new(false),
            revoked: Cell::new(false),
            counters: RefCell::new(Counters::default()),
            last_flush_ms: Cell::new(0),
            last_persist_ms: Cell::new(0),
            counters_dirty: Cell::new(false),
            alarm_at: Cell::new(None),
            claims: Claims::default(),
        }
    }

    async fn fetch(&self, mut req: Request) -> Result<Response> {
        let url = req.url()?;
        let name = param(&url, "i").unwrap_or_default();
        match url.path() {
            "/check" => Response::ok(self.check(&url).await?),
            "/complete" => {
                let stored: Stored = req.json().await?;
                let now = now_ms();
                self.claims.complete(&self.state, &name, stored, now, num(&url, "ttl")).await?;
                if let Some(at) = self.claims.sweep_at() {
                    self.arm(at, now).await?;
                }
                Response::ok("stored")
            }
            "/release" => {
                self.claims.release(&self.state, &name).await?;
                Response::ok("released")
            }
            "/revoke" => {
                self.revoke().await?;
                Response::ok("revoked")
            }
            _ => Ok(Response::ok("unknown")?.with_status(404)),
        }
    }

    async fn alarm(&self) -> Result<Response> {
        self.alarm_at.set(None);
        let now = now_ms();
        if self.counters_dirty.get() {
            self.persist_counters(now).await?;
        }
        if self.claims.sweep_at().is_some_and(|at| at <= now) {
            self.claims.sweep(&self.state, now).await?;
        }
        if let Some(at) = self.claims.sweep_at() {
            self.arm(at, now).await?;
        }
        Response::ok("done")
    }
}
