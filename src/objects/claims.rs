//! The idempotency records a `KeyGate` keeps for its key: an in-memory map in front of the
//! object's storage, with decisions taken synchronously after the last `await` so two
//! concurrent duplicates can never both win the claim. Expired records are swept when the
//! gate's alarm finds a sweep due ([`Claims::sweep_at`]).

use std::cell::{Cell, RefCell};
use std::collections::HashMap;

use worker::{ListOptions, Result, State};

use crate::domain::idempotency::{self, Claim, Record, Stored};

const SWEEP_MS: i64 = 60 * 60 * 1000;

#[derive(Default)]
pub struct Claims {
    records: RefCell<HashMap<String, Record>>,
    /// When the next sweep is due (unix ms), if any record may need one.
    sweep_at: Cell<Option<i64>>,
}

impl Claims {
    async fn current(&self, state: &State, name: &str) -> Result<Option<Record>> {
        if let Some(r) = self.records.borrow().get(name) {
            return Ok(Some(r.clone()));
        }
        let stored: Option<Record> = state.storage().get(name).await?;
        // Another request may have claimed while this one read storage: memory wins.
        let mut records = self.records.borrow_mut();
        Ok(match records.get(name) {
            Some(r) => Some(r.clone()),
            None => {
                if let Some(r) = &stored {
                    records.insert(name.to_string(), r.clone());
                }
                stored
            }
        })
    }

    /// Decides and, for a new claim, records it before anything else can run.
    pub async fn claim(&self, state: &State, name: &str, fingerprint: &str, now: i64) -> Result<Claim> {
        let current = self.current(state, name).await?;
        let (claim, new_record) = idempotency::claim(current.as_ref(), fingerprint, now);
        if let Some(r) = new_record {
            self.records.borrow_mut().insert(name.to_string(), r.clone());
            state.storage().put(name, r).await?;
        }
        Ok(claim)
    }

    /// Stores the finished response (and the object it wrote), kept until `now + ttl_ms`.
    pub async fn complete(
        &self,
        state: &State,
        name: &str,
        response: Stored,
        resource_id: Option<String>,
        now: i64,
        ttl_ms: i64,
    ) -> Result<()> {
        let Some(mut r) = self.current(state, name).await? else { return Ok(()) };
        r.response = Some(response);
        r.resource_id = resource_id;
        r.expires_at = now + ttl_ms;
        self.records.borrow_mut().insert(name.to_string(), r.clone());
        state.storage().put(name, r).await?;
        self.want_sweep(now + ttl_ms.min(SWEEP_MS) + 1_000);
        Ok(())
    }

    fn want_sweep(&self, at: i64) {
        if self.sweep_at.get().is_none_or(|s| at < s) {
            self.sweep_at.set(Some(at));
        }
    }

    pub fn sweep_at(&self) -> Option<i64> {
        self.sweep_at.get()
    }

    /// Drops an unfinished claim (a 5xx outcome): the client may retry with the same key.
    pub async fn release(&self, state: &State, name: &str) -> Result<()> {
        let finished = self.records.borrow().get(name).is_some_and(|r| r.response.is_some());
        if !finished {
            self.records.borrow_mut().remove(name);
            state.storage().delete(name).await?;
        }
        Ok(())
    }

    /// Deletes expired records, then notes when the next one expires.
    pub async fn sweep(&self, state: &State, now: i64) -> Result<()> {
        self.sweep_at.set(None);
        self.records.borrow_mut().retain(|_, r| r.expires_at > now);
        let map = state.storage().list_with_options(ListOptions::new().prefix("idem:").limit(1000)).await?;
        let mut expired = Vec::new();
        let mut next: Option<i64> = None;
        for entry in map.entries() {
            let Ok(pair) = entry else { continue };
            let pair = js_sys::Array::from(&pair);
            let Some(key) = pair.get(0).as_string() else { continue };
            match serde_wasm_bindgen::from_value::<Record>(pair.get(1)) {
                Ok(r) if r.expires_at > now => next = Some(next.map_or(r.expires_at, |n: i64| n.min(r.expires_at))),
                _ => expired.push(key),
            }
        }
        if !expired.is_empty() {
            state.storage().delete_multiple(expired).await?;
        }
        if let Some(at) = next {
            self.want_sweep(at.min(now + SWEEP_MS) + 1_000);
        }
        Ok(())
    }
}
