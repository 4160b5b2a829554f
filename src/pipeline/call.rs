//! One authenticated, parsed request as handlers see it.

use serde_json::Value;
use worker::{Context, Env};

use crate::domain::keys::KeyRecord;
use crate::domain::listing::Query;
use crate::domain::time;
use crate::error::{ApiError, ApiResult};
use crate::i18n::Msg;
use crate::pipeline::auth::Principal;
use crate::storage::outbox::{Committed, Recorded};

pub struct Call<'a> {
    pub env: &'a Env,
    pub ctx: &'a Context,
    pub request_id: &'a str,
    pub now_ms: i64,
    /// Path parameters by name.
    pub params: Vec<(&'static str, String)>,
    pub query: Query,
    /// The JSON body of a write (`Null` when empty or for reads).
    pub body: Value,
    /// The caller, on key-authenticated routes.
    pub principal: Option<Principal>,
    /// The language errors are written in (for errors inside a 207 body).
    pub lang: crate::i18n::Lang,
    /// The outbox events this request's writes have committed, for webhook fan-out.
    pub committed: &'a Committed,
    /// The `Accept` header, for routes that can answer CSV as well as JSON.
    pub accept: Option<String>,
    /// The request's headers, for the few handlers that read one of their own (`Upgrade`,
    /// `Last-Event-ID`).
    pub headers: &'a worker::Headers,
    /// The request's scheme, host and port (`http://127.0.0.1:8787`), for absolute links.
    pub origin: String,
}

impl<'a> Call<'a> {
    /// The path parameter `name` of the route's pattern (empty if the pattern has none: a
    /// declaration naming a parameter its path lacks fails the route-table test).
    pub fn param(&self, name: &str) -> &str {
        self.params.iter().find(|(n, _)| *n == name).map_or("", |(_, v)| v.as_str())
    }

    /// The header `name`, if sent.
    pub fn header(&self, name: &str) -> Option<String> {
        self.headers.get(name).ok().flatten()
    }

    /// The current instant in the stored form.
    pub fn now(&self) -> String {
        time::fmt_ms(self.now_ms)
    }

    pub fn principal(&self) -> ApiResult<&Principal> {
        self.principal.as_ref().ok_or_else(ApiError::unauthorized)
    }

    pub fn key(&self) -> ApiResult<&KeyRecord> {
        Ok(&self.principal()?.key)
    }

    /// The tenant every lookup of this request is scoped to.
    pub fn tenant_id(&self) -> ApiResult<&str> {
        self.principal()?.tenant_id.as_deref().ok_or_else(|| ApiError::forbidden(Msg::TenantHeaderRequired))
    }

    /// The database, noting the outbox events each committed write inserts.
    pub fn db(&self) -> ApiResult<Recorded<'a, worker::D1Database>> {
        Ok(Recorded { db: crate::storage::d1::db(self.env)?, committed: self.committed })
    }
}
