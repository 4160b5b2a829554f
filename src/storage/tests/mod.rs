// Compiled only for tests: `#[cfg(test)] mod tests;` in storage/mod.rs.
//! Native tests of the storage rules (SPEC §1.1–§1.2, §6, §7) on the real `schema.sql`, through
//! the same storage functions the handlers call, on the in-memory SQLite [`Database`]: one file
//! per area, and here the fixture they share (a tenant, a clock, and seeding helpers).
//!
//! [`Database`]: crate::storage::db::Database

mod audit;
mod deliveries;
mod employee_codes;
mod expenses;
mod exports;
mod harvest_ids;
mod invoices;
mod listing;
mod outbox;
mod overlap;
mod positions;
mod references;
mod thresholds;
mod webhooks;

use std::cell::Cell;

use serde_json::Value;

use crate::domain::ids;
use crate::domain::listing::Arg;
use crate::domain::time_entries::Span;
use crate::error::{ApiError, ApiResult, ErrorCode};
use crate::handlers::catalog::SITES;
use crate::storage::db::{self, Database};
use crate::storage::jobs::JOBS;
use crate::storage::resource::{self, Table};
use crate::storage::shifts::{self, SHIFTS};
use crate::storage::sqlite::{block_on, Sqlite};
use crate::storage::time_entries::{self, TIME_ENTRIES};
use crate::storage::workers::WORKERS;

/// 2026-03-01T00:00:00Z: the fixture's clock starts here.
const START_MS: i64 = 1_772_323_200_000;

/// An instant on 2 March 2026, from `"HH:MM"`.
pub fn at(hh_mm: &str) -> String {
    format!("2026-03-02T{hh_mm}:00Z")
}

/// A fresh database holding one tenant, and a clock that moves a second per write (so ids
/// and `updated_at` follow the order of the test's writes).
pub struct Fx {
    pub db: Sqlite,
    pub tenant: String,
    clock: Cell<i64>,
}

impl Fx {
    pub fn new() -> Fx {
        let fx = Fx { db: Sqlite::open(), tenant: String::new(), clock: Cell::new(START_MS) };
        let tenant = fx.add_tenant();
        Fx { tenant, ..fx }
    }

    /// The next instant of the clock, in milliseconds.
    pub fn tick(&self) -> i64 {
        self.clock.set(self.clock.get() + 1_000);
        self.clock.get()
    }

    /// Another tenant in the same database.
    pub fn add_tenant(&self) -> String {
        let id = ids::new_id("ten", self.tick() as u64);
        self.exec(
            "INSERT INTO tenants (id, name, tier, timezone, limits, created_at, updated_at) \
             VALUES (?1, 'Acme', 'standard', 'UTC', '{}', ?2, ?2)",
            [id.clone().into(), crate::domain::time::fmt_ms(self.tick()).into()],
        );
        id
    }

    /// Runs a statement outside the storage code (seeding, or a change behind its back).
    pub fn exec(&self, sql: &str, args: impl Into<Vec<Arg>>) {
        block_on(self.db.batch(vec![db::Statement::new(sql, args)])).expect("statement runs");
    }

    /// A single integer the test wants to look at.
    pub fn count(&self, sql: &str, args: &[Arg]) -> i64 {
        block_on(db::first_raw::<(i64,)>(&self.db, sql, args)).expect("query runs").map_or(0, |(n,)| n)
    }

    /// Creates a row of `t` in `tenant` through [`resource::create`]; returns its id.
    pub fn create_in(&self, tenant: &str, t: &Table, prefix: &str, cols: Vec<(&str, Arg)>) -> ApiResult<String> {
        let id = ids::new_id(prefix, self.tick() as u64);
        block_on(resource::create(&self.db, t, tenant, &id, self.tick(), cols))?;
        Ok(id)
    }

    pub fn site(&self) -> String {
        self.create_in(&self.tenant, &SITES.table, "site", vec![("name", "Depot".into())]).expect("site")
    }

    /// A worker with this employee code (the storage layer does not generate codes).
    pub fn worker_coded(&self, tenant: &str, code: &str) -> ApiResult<String> {
        let cols = vec![("name", "Ada Lovelace".into()), ("employee_code", code.into()), ("status", "active".into())];
        self.create_in(tenant, &WORKERS, "wkr", cols)
    }

    pub fn worker(&self) -> String {
        let code = format!("EMP-{}", self.tick());
        self.worker_coded(&self.tenant, &code).expect("worker")
    }

    pub fn job(&self, cols: Vec<(&str, Arg)>) -> String {
        let mut all = vec![("name", Arg::from("Roof")), ("status", "active".into())];
        all.extend(cols);
        self.create_in(&self.tenant, &JOBS, "job", all).expect("job")
    }

    /// An entry of `worker` over `[started, ended)` (running without an end), written behind
    /// the no-overlap guard as the handlers write it; `None` when the guard refused it.
    pub fn entry(&self, worker: &str, started: &str, ended: Option<&str>) -> Option<String> {
        self.entry_with(worker, started, ended, vec![])
    }

    pub fn entry_with(
        &self,
        worker: &str,
        started: &str,
        ended: Option<&str>,
        extra: Vec<(&str, Arg)>,
    ) -> Option<String> {
        let span = Span { started_at: started.into(), ended_at: ended.map(str::to_string), breaks: vec![] };
        let id = ids::new_id("te", self.tick() as u64);
        let guard = time_entries::guard(&self.tenant, worker, &id, &span, false);
        let mut cols = vec![
            ("worker_id", Arg::from(worker)),
            ("started_at", started.into()),
            ("ended_at", Arg::from(ended.map(str::to_string))),
            ("worked_seconds", Arg::Int(crate::domain::time_entries::worked_seconds(&span))),
            ("status", "pending".into()),
        ];
        cols.extend(extra);
        let now = self.tick();
        let created = block_on(resource::create_if(
            &self.db,
            &TIME_ENTRIES,
            &self.tenant,
            &id,
            now,
            cols,
            resource::Guarded { guard: Some(guard), events: &[] },
        ));
        created.expect("no storage error").map(|_| id)
    }

    /// A shift of `worker` at `site` over `[starts, ends)`, behind the no-overlap guard.
    pub fn shift(&self, worker: &str, site: &str, starts: &str, ends: &str) -> Option<String> {
        let id = ids::new_id("shf", self.tick() as u64);
        let guard = shifts::no_overlap(&self.tenant, worker, &id, starts, ends);
        let cols = vec![
            ("worker_id", worker.into()),
            ("site_id", site.into()),
            ("starts_at", starts.into()),
            ("ends_at", ends.into()),
        ];
        let now = self.tick();
        let created = block_on(resource::create_if(
            &self.db,
            &SHIFTS,
            &self.tenant,
            &id,
            now,
            cols,
            resource::Guarded { guard: Some(guard), events: &[] },
        ));
        created.expect("no storage error").map(|_| id)
    }

    pub fn delete(&self, t: &Table, id: &str) -> ApiResult<Value> {
        let tombstone = block_on(resource::delete(&self.db, t, &self.tenant, id, self.tick()))?;
        Ok(serde_json::from_str(&tombstone).expect("tombstone JSON"))
    }

    /// The tenant's outbox, oldest first: `(type, data)`.
    pub fn events(&self) -> Vec<(String, Value)> {
        let sql = "SELECT type, data FROM events WHERE tenant_id = ? ORDER BY id";
        let rows: Vec<(String, String)> = block_on(self.db.raw(sql, &[self.tenant.as_str().into()])).expect("events");
        rows.into_iter().map(|(t, d)| (t, serde_json::from_str(&d).expect("event data is JSON"))).collect()
    }
}

/// The code of an error, for `assert_eq!`.
pub fn code<T: std::fmt::Debug>(r: ApiResult<T>) -> ErrorCode {
    r.map(|v| panic!("expected an error, got {v:?}")).unwrap_or_else(|e: ApiError| e.code)
}
