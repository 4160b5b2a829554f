//! `KeyGate`: one Durable Object per API key, the strongly consistent home of that key's
//! rate-limit windows and revocation state (SPEC §2, §3). Every authenticated request makes
//! exactly one call here, so a revoked key is refused on its very next request everywhere
//! and concurrent requests from any number of isolates are counted exactly.
//!
//! Routes (internal): `GET /check?k=<key_id>&s=&m=&d=` (limits per second, minute, day) and
//! `POST /revoke`.

use std::cell::{Cell, RefCell};

use worker::{durable_object, Date, DurableObject, Env, Request, Response, Result, State};

use crate::domain::gate::{self, Verdict};
use crate::domain::rate::Counters;
use crate::domain::tenants::Limits;

/// How often `last_used_at` is copied to D1 (it is not written on every request).
const LAST_USED_FLUSH_MS: i64 = 60_000;

#[durable_object]
pub struct KeyGate {
    state: State,
    env: Env,
    loaded: Cell<bool>,
    revoked: Cell<bool>,
    counters: RefCell<Counters>,
    last_flush_ms: Cell<i64>,
}

fn limit_param(url: &worker::Url, name: &str) -> u32 {
    url.query_pairs().find(|(k, _)| k == name).and_then(|(_, v)| v.parse().ok()).unwrap_or(0)
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

    async fn check(&self, url: &worker::Url) -> Result<Verdict> {
        self.load().await?;
        if self.revoked.get() {
            return Ok(Verdict::Revoked);
        }
        let limits = Limits { per_second: limit_param(url, "s"), per_minute: limit_param(url, "m"), per_day: limit_param(url, "d") };
        let now = Date::now().as_millis() as i64;
        // Decide and count synchronously: no other request can interleave before this line.
        let decision = self.counters.borrow_mut().admit(now, &limits);
        if !decision.allowed {
            return Ok(Verdict::Limited(decision));
        }
        let snapshot = *self.counters.borrow();
        self.state.storage().put("counters", snapshot).await?;
        if now - self.last_flush_ms.get() >= LAST_USED_FLUSH_MS {
            self.last_flush_ms.set(now);
            if let Some(key_id) = url.query_pairs().find(|(k, _)| k == "k").map(|(_, v)| v.into_owned()) {
                self.flush_last_used(key_id, now);
            }
        }
        Ok(Verdict::Pass(decision))
    }

    /// Copies the last-use time to the key's D1 row, off the request's path.
    fn flush_last_used(&self, key_id: String, now: i64) {
        let Ok(db) = self.env.d1("DB") else { return };
        self.state.wait_until(async move {
            let at = crate::domain::time::fmt_ms(now);
            let args = [at.into(), key_id.into()];
            if let Ok(stmt) = crate::storage::d1::stmt(&db, "UPDATE api_keys SET last_used_at = ? WHERE id = ?", &args) {
                if let Err(e) = stmt.run().await {
                    worker::console_error!("last_used_at flush failed: {e}");
                }
            }
        });
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
        }
    }

    async fn fetch(&self, req: Request) -> Result<Response> {
        let url = req.url()?;
        match url.path() {
            "/check" => Response::ok(gate::format(&self.check(&url).await?)),
            "/revoke" => {
                self.revoke().await?;
                Response::ok("revoked")
            }
            _ => Ok(Response::ok("unknown")?.with_status(404)),
        }
    }
}
