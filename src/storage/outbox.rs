//! Which outbox events a request committed (SPEC §7: "a message per (event, endpoint) is then
//! enqueued"). Every event insert is marked with its id ([`Statement::inserting_event`]); the
//! request's database, [`Recorded`], notes the ids of those that landed in a batch that
//! committed, so after the response the request can hand exactly its own events to webhook
//! fan-out — without a query, and without a read on requests that wrote no event.

use std::cell::RefCell;

use serde::de::DeserializeOwned;

use crate::domain::listing::Arg;
use crate::storage::db::{Database, DbResult, Statement, Written};

/// The events one request has committed so far, in order.
#[derive(Debug, Default)]
pub struct Committed(RefCell<Vec<String>>);

impl Committed {
    /// Takes the ids noted so far.
    pub fn take(&self) -> Vec<String> {
        std::mem::take(&mut *self.0.borrow_mut())
    }
}

/// A database that notes, in `committed`, each outbox event its batches inserted.
pub struct Recorded<'a, D> {
    pub db: D,
    pub committed: &'a Committed,
}

impl<D: Database> Database for Recorded<'_, D> {
    async fn first<T: DeserializeOwned>(&self, sql: &str, args: &[Arg]) -> DbResult<Option<T>> {
        self.db.first(sql, args).await
    }

    async fn raw<T: DeserializeOwned>(&self, sql: &str, args: &[Arg]) -> DbResult<Vec<T>> {
        self.db.raw(sql, args).await
    }

    async fn batch(&self, stmts: Vec<Statement>) -> DbResult<Vec<Written>> {
        let events: Vec<Option<String>> = stmts.iter().map(|s| s.event_id.clone()).collect();
        let written = self.db.batch(stmts).await?;
        // Only after the batch committed; an event insert whose guard refused changed nothing.
        let landed = events.into_iter().zip(&written).filter_map(|(id, w)| id.filter(|_| w.changes > 0));
        self.committed.0.borrow_mut().extend(landed);
        Ok(written)
    }
}
