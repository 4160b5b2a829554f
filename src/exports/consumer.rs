//! The exports queue's consumer: one [`Step`] per message. A step reads the export and does
//! nothing unless the export is still in progress and stands where the step begins (a late or
//! repeated message); then it computes pages of [`PAGE`] workers — one read of their approved
//! entries in the range each — until [`BUDGET_MS`] is spent, so each invocation
//! stays far inside the Workers limits at any size, and sends the next step.

use std::collections::HashMap;

use chrono::NaiveDate;
use serde_json::Value;
use worker::{console_error, console_log, Env, MessageBatch, MessageExt};

use super::files;
use crate::domain::exports::{file_key, Step, MAX_FAILURES};
use crate::domain::formats::Format;
use crate::domain::listing::Arg;
use crate::domain::payroll::{self, Payee, Terms, Worked};
use crate::domain::time;
use crate::domain::time_entries::EntryStatus;
use crate::error::{ApiError, ApiResult};
use crate::pipeline::now_ms;
use crate::storage::counted::Counted;
use crate::storage::d1;
use crate::storage::exports::{self as store, Export};
use crate::storage::outbox::{Committed, Recorded};
use crate::storage::reports::{self as tenant_context, TenantContext};

/// Workers per page: one read of their entries, one batch storing their rows.
const PAGE: usize = 50;
/// A step starts no new page after this long; the next step carries on.
const BUDGET_MS: i64 = 5_000;
/// Stored rows read at a time when the file is put together.
const GATHER: usize = 1_000;

/// Handles a batch of the exports queue: each message is acknowledged once its step is done
/// (or is not a step), retried when it failed, and its export marked `failed` once it has
/// failed [`MAX_FAILURES`] times in a row.
pub async fn consume(batch: MessageBatch<Value>, env: Env) -> worker::Result<()> {
    for message in batch.messages()? {
        let Ok(step) = serde_json::from_value::<Step>(message.body().clone()) else {
            console_error!("exports: dropping a message that is not a step: {}", message.body());
            message.ack();
            continue;
        };
        match run(&env, &step).await {
            Ok(()) => message.ack(),
            Err(e) => {
                console_error!("exports: step of {} after {:?} failed: {:?}", step.export_id, step.after, e.code);
                if give_up(&env, &step).await {
                    message.ack();
                } else {
                    message.retry();
                }
            }
        }
    }
    Ok(())
}

/// Counts the failure; once there have been too many in a row, marks the export `failed`.
async fn give_up(env: &Env, step: &Step) -> bool {
    let Ok(db) = d1::db(env) else { return false };
    match store::failed_once(&db, &step.export_id, now_ms()).await {
        Ok(n) if n >= MAX_FAILURES => {
            let error = "The export could not be computed; create a new one.";
            store::fail(&db, &step.export_id, error, now_ms()).await.is_ok()
        }
        // Not in progress any more (0): nothing left to retry.
        Ok(n) => n == 0,
        Err(_) => false,
    }
}

fn day(s: &str) -> ApiResult<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| ApiError::internal())
}

/// One step: pages until the budget is spent, then the next step or the file.
async fn run(env: &Env, step: &Step) -> ApiResult<()> {
    let started = now_ms();
    let db = d1::db(env)?;
    let Some(mut export) = store::find(&db, Some(&step.tenant_id), &step.export_id).await? else { return Ok(()) };
    if export.status.is_final() || export.last_worker_id != step.after {
        return Ok(());
    }
    let context = tenant_context::context(&db, &export.tenant_id).await?;
    let terms = Terms {
        rules: context.settings.overtime_rules(),
        overtime_multiplier: context.settings.overtime_multiplier,
        currency: context.settings.currency.clone(),
    };
    let (mut pages, mut entries) = (0, 0);
    loop {
        let page = store::payees(&db, &export.tenant_id, export.last_worker_id.as_deref(), PAGE).await?;
        let Some(last) = page.last().map(|p| p.id.clone()) else { break };
        let (rows, counted) = page_rows(&db, &export, &context, &terms, &page).await?;
        entries += counted;
        pages += 1;
        if !store::commit_page(&db, &export, &last, &rows, now_ms()).await? {
            return Ok(()); // Another run of this step got there first.
        }
        export.last_worker_id = Some(last.clone());
        if page.len() < PAGE {
            break;
        }
        if now_ms() - started >= BUDGET_MS {
            console_log!("exports: {} {pages} pages, {entries} entries in {} ms", export.id, now_ms() - started);
            return super::send(env, &Step { after: Some(last), ..step.clone() }).await;
        }
    }
    finish(env, &db, &export).await?;
    console_log!("exports: {} {pages} pages, {entries} entries and the file in {} ms", export.id, now_ms() - started);
    Ok(())
}

/// The rows of a page of payees (those with approved time), and how many entries they had.
async fn page_rows(
    db: &worker::D1Database,
    export: &Export,
    context: &TenantContext,
    terms: &Terms,
    page: &[Payee],
) -> ApiResult<(Vec<(String, Vec<Value>)>, usize)> {
    let ids = serde_json::to_string(&page.iter().map(|p| p.id.as_str()).collect::<Vec<_>>())?;
    let counted = Counted {
        tenant: export.tenant_id.clone(),
        tenant_zone: context.timezone.clone(),
        site_zones: context.site_zones.clone(),
        from: day(&export.range_from)?,
        to: day(&export.range_to)?,
        conditions: vec![
            ("te.status = ?".into(), vec![EntryStatus::Approved.into()]),
            ("te.worker_id IN (SELECT value FROM json_each(?))".into(), vec![Arg::Text(ids)]),
        ],
    };
    let worked = store::worked(db, &counted).await?;
    let count = worked.len();
    let mut by_worker: HashMap<String, Vec<Worked>> = HashMap::new();
    for (worker, started_at, seconds, zone) in worked {
        let entry = Worked {
            started_ms: time::parse_instant(&started_at, false).unwrap_or(0),
            worked_ms: seconds.saturating_mul(1_000),
            zone: zone.parse().unwrap_or(chrono_tz::Tz::UTC),
        };
        by_worker.entry(worker).or_default().push(entry);
    }
    let rows = page
        .iter()
        .filter_map(|p| {
            let mine = by_worker.get(&p.id).map(Vec::as_slice).unwrap_or_default();
            payroll::row(p, mine, terms).map(|values| (p.id.clone(), values))
        })
        .collect();
    Ok((rows, count))
}

/// Puts the stored rows together into the file, stores it under the export's key, and marks
/// the export `completed` (with its event). Repeated, it writes the same file to the same key.
async fn finish(env: &Env, db: &worker::D1Database, export: &Export) -> ApiResult<()> {
    let mut rows: Vec<Vec<Value>> = Vec::new();
    let mut after = String::new();
    loop {
        let chunk = store::rows(db, &export.id, &after, GATHER).await?;
        let full = chunk.len() == GATHER;
        for (worker, data) in chunk {
            rows.push(serde_json::from_str(&data)?);
            after = worker;
        }
        if !full {
            break;
        }
    }
    let table = payroll::table(rows);
    let count = table.rows.len() as i64;
    let body = match export.format {
        Format::Csv => table.csv(),
        Format::Json => Value::Array(table.objects()).to_string(),
    };
    let key = file_key(&export.tenant_id, &export.id, export.format);
    files::put(env, &key, body, export.format).await?;
    // The completion event goes to webhook endpoints at once, as a request's events do (the
    // sweeper remains the safety net if this fan-out fails).
    let committed = Committed::default();
    store::complete(&Recorded { db, committed: &committed }, export, count, &key, now_ms()).await?;
    let events = committed.take();
    if !events.is_empty() {
        crate::delivery::fanout::after_write(env.clone(), events).await;
    }
    Ok(())
}
