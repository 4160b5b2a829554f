//! `KeyGate`: one Durable Object per API key, the strongly consistent home of that key's
//! rate-limit windows, revocation state and idempotency claims (SPEC §2, §3, §4). Every
//! authenticated request makes exactly one call here, so a revoked key is refused on its
//! very next request everywhere, concurrent requests from any number of isolates are counted
//! exactly, and concurrent duplicates of an idempotent request run once.
//!
//! It speaks the typed protocol of [`crate::domain::gate`]: a `POST` to each call's path with
//! the call as JSON, answered with its reply as JSON; a message that does not read (an
//! unknown or missing field) is a 400, never a guess.

use std::cell::{Cell, RefCell};

use std::future::Future;

use worker::{durable_object, Date, DurableObject, Env, Request, Response, Result, State};

use super::claims::Claims;
use crate::domain::gate::{
    self, Ack, CheckGroup, CheckGroupReply, CheckReply, CheckRequest, CompleteRequest, GateCall, ReleaseRequest,
    RevokeRequest, Verdict,
};
use crate::domain::rate::Counters;

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

/// Serves one call: reads its message (400 if it does not read), runs it, writes its reply.
async fn serve<C, F, Fut>(body: &str, run: F) -> Result<Response>
where
    C: GateCall,
    F: FnOnce(C) -> Fut,
    Fut: Future<Output = Result<C::Reply>>,
{
    match gate::decode::<C>(body) {
        Ok(call) => {
            let reply = run(call).await?;
            Response::ok(gate::encode(&reply)?)
        }
        Err(e) => {
            worker::console_error!("unreadable gate call {}: {e}", C::PATH);
            Response::error(format!("unreadable {} call: {e}", C::PATH), 400)
        }
    }
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

    /// Decides each check of a group in turn, as if they had come one by one; the counters
    /// are persisted (or their write armed) once for the group.
    async fn check_group(&self, group: CheckGroup) -> Result<CheckGroupReply> {
        self.load().await?;
        let mut replies = Vec::with_capacity(group.checks.len());
        for request in &group.checks {
            replies.push(self.check(request).await?);
        }
        let admitted = replies.iter().any(|r| matches!(r.verdict, Verdict::Pass(_)));
        // Every check of a group is for this object's key.
        let key_id = group.checks.into_iter().next().map(|c| c.key_id);
        let now = now_ms();
        if admitted {
            if now - self.last_persist_ms.get() >= COUNTER_PERSIST_MS {
                self.persist_counters(now).await?;
            } else {
                self.arm(self.last_persist_ms.get() + COUNTER_PERSIST_MS, now).await?;
            }
            if let Some(key_id) = key_id.filter(|_| now - self.last_flush_ms.get() >= LAST_USED_FLUSH_MS) {
                self.last_flush_ms.set(now);
                self.flush_last_used(key_id, now);
            }
        }
        Ok(CheckGroupReply { replies })
    }

    async fn check(&self, request: &CheckRequest) -> Result<CheckReply> {
        if self.revoked.get() {
            return Ok(CheckReply { verdict: Verdict::Revoked, claim: None });
        }
        let now = now_ms();
        // Decide and count synchronously: no other request can interleave before this line.
        let decision = self.counters.borrow_mut().admit(now, &request.limits);
        if !decision.allowed {
            return Ok(CheckReply { verdict: Verdict::Limited(decision), claim: None });
        }
        // Counted: dirty now, even if the claim below fails and the group's write never comes.
        self.counters_dirty.set(true);
        let claim = match &request.claim {
            Some(c) => Some(self.claims.claim(&self.state, &c.record, &c.fingerprint, now).await?),
            None => None,
        };
        Ok(CheckReply { verdict: Verdict::Pass(decision), claim })
    }

    async fn complete(&self, request: CompleteRequest) -> Result<Ack> {
        let now = now_ms();
        let CompleteRequest { record, ttl_ms, response, resource_id } = request;
        self.claims.complete(&self.state, &record, response, resource_id, now, ttl_ms).await?;
        if let Some(at) = self.claims.sweep_at() {
            self.arm(at, now).await?;
        }
        Ok(Ack {})
    }

    async fn release(&self, request: ReleaseRequest) -> Result<Ack> {
        self.claims.release(&self.state, &request.record).await?;
        Ok(Ack {})
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

    async fn revoke(&self, _: RevokeRequest) -> Result<Ack> {
        self.load().await?;
        self.state.storage().put("revoked", true).await?;
        self.revoked.set(true);
        Ok(Ack {})
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
        let path = req.path();
        let body = match req.headers().get(gate::MESSAGE_HEADER)? {
            Some(message) => message,
            None => req.text().await?,
        };
        match path.as_str() {
            CheckGroup::PATH => serve(&body, |r| self.check_group(r)).await,
            CompleteRequest::PATH => serve(&body, |r| self.complete(r)).await,
            ReleaseRequest::PATH => serve(&body, |r| self.release(r)).await,
            RevokeRequest::PATH => serve(&body, |r| self.revoke(r)).await,
            _ => Response::error("unknown gate call", 404),
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
