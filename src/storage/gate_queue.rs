//! Coalesces one key's gate checks within this isolate: while a check of a key is on its way
//! to the key's `KeyGate`, the key's next requests queue here, and the first of them, once
//! that call is back, takes the whole queue to the gate in one call ([`CheckGroup`]). An
//! integration that syncs with many parallel requests on one key thus costs one object call
//! per round, not one per request.
//!
//! Nothing is decided here: the gate decides every check of a group in arrival order, exactly
//! as if they had come one by one, so "N concurrent requests over a limit L → exactly L pass"
//! and idempotency claims hold as before. A request waits for at most the call in flight
//! before its own group leaves.
//!
//! Each group is sent by one of its own requests (the first), and every queued request is
//! woken through a promise it made itself ([`Mailbox`]): the runtime ties I/O to the request
//! whose code is running, so a request must resume in its own context — woken directly by
//! another request's code, it would run (and send its call, and read its reply) in that
//! request's context, which the runtime refuses.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::future::Future;
use std::time::Duration;

use std::rc::Rc;

use futures_util::future::{select, Either};
use worker::js_sys::{Function, Promise};
use worker::wasm_bindgen::JsValue;
use worker::wasm_bindgen_futures::JsFuture;
use worker::{Date, Delay};

use crate::domain::gate::{CheckReply, CheckRequest};
use crate::error::{ApiError, ApiResult};

/// How long a call may be on its way before the line stops waiting for it: a request whose
/// call never comes back (its client went away and the runtime dropped it) must not hold up
/// its key in this isolate. A healthy call takes milliseconds.
const STALE_MS: i64 = 5_000;

/// What a queued request is told: its reply, or that it leads the next group (the requests
/// queued behind it, which it sends along with its own check).
enum Wake {
    Decided(Box<ApiResult<CheckReply>>),
    Lead(Vec<Waiter>),
}

struct Waiter {
    id: u64,
    check: CheckRequest,
    wake: Mailbox,
}

/// Where a waiting request is told its [`Wake`]: a slot, and the resolver of a promise the
/// waiting request created (and awaits) in its own context.
struct Mailbox {
    slot: Rc<RefCell<Option<Wake>>>,
    /// Always set: a promise's executor runs at once.
    resolve: Option<Function>,
}

impl Mailbox {
    /// A mailbox, and the future its owner awaits (`None` if the mailbox went unused).
    fn new() -> (Mailbox, impl Future<Output = Option<Wake>>) {
        let slot = Rc::new(RefCell::new(None));
        let mut resolve = None;
        let promise = Promise::new(&mut |res, _| resolve = Some(res));
        let read = Rc::clone(&slot);
        let opened = async move {
            let _ = JsFuture::from(promise).await;
            read.borrow_mut().take()
        };
        (Mailbox { slot, resolve }, opened)
    }

    /// Delivers `wake`; gives it back if the owner went away (it holds the slot no more).
    fn send(self, wake: Wake) -> Result<(), Wake> {
        if Rc::strong_count(&self.slot) < 2 {
            return Err(wake);
        }
        *self.slot.borrow_mut() = Some(wake);
        if let Some(resolve) = &self.resolve {
            let _ = resolve.call0(&JsValue::UNDEFINED);
        }
        Ok(())
    }
}

/// One key's queue: since when a call is on its way (if one is), and who waits for the next.
#[derive(Default)]
struct Line {
    busy_since: Option<i64>,
    waiting: Vec<Waiter>,
}

thread_local! {
    static LINES: RefCell<HashMap<String, Line>> = RefCell::new(HashMap::new());
    static NEXT_ID: Cell<u64> = const { Cell::new(0) };
}

/// Decides `check` through the gate, in a group with the key's other requests that queue
/// meanwhile. `send` makes one gate call for a group and returns its replies in order.
pub async fn check<F, Fut>(key_id: &str, check: CheckRequest, send: F) -> ApiResult<CheckReply>
where
    F: Fn(Vec<CheckRequest>) -> Fut,
    Fut: Future<Output = ApiResult<Vec<CheckReply>>>,
{
    let now_ms = Date::now().as_millis() as i64;
    let id = NEXT_ID.with(|n| n.replace(n.get().wrapping_add(1)));
    let queued = LINES.with(|lines| {
        let mut lines = lines.borrow_mut();
        let line = lines.entry(key_id.to_string()).or_default();
        match line.busy_since {
            // A call is on its way: queue behind it.
            Some(since) if now_ms - since < STALE_MS => {
                let (wake, woken) = Mailbox::new();
                line.waiting.push(Waiter { id, check: check.clone(), wake });
                Ok(woken)
            }
            // None is, or it is lost: lead, with whoever waits.
            _ => {
                line.busy_since = Some(now_ms);
                Err(std::mem::take(&mut line.waiting))
            }
        }
    });
    let followers = match queued {
        Err(followers) => followers,
        Ok(woken) => {
            let timeout = Delay::from(Duration::from_millis(STALE_MS as u64));
            let woken = match select(Box::pin(woken), timeout).await {
                Either::Left((woken, _)) => woken,
                Either::Right((_, woken)) => {
                    if leave(key_id, id) {
                        // Still queued when the call before it was given up: go alone.
                        return decide_alone(check, &send).await;
                    }
                    // Already handed its reply or its lead: it is on its way.
                    woken.await
                }
            };
            match woken {
                Some(Wake::Decided(reply)) => return *reply,
                Some(Wake::Lead(followers)) => followers,
                // Cannot happen: the promise is only resolved after the slot is filled.
                None => return Err(ApiError::internal()),
            }
        }
    };
    lead(key_id, check, followers, &send).await
}

async fn decide_alone<F, Fut>(check: CheckRequest, send: &F) -> ApiResult<CheckReply>
where
    F: Fn(Vec<CheckRequest>) -> Fut,
    Fut: Future<Output = ApiResult<Vec<CheckReply>>>,
{
    let replies = send(vec![check]).await?;
    replies.into_iter().next().ok_or_else(ApiError::internal)
}

/// Takes waiter `id` out of its line; false if it is no longer there.
fn leave(key_id: &str, id: u64) -> bool {
    LINES.with(|lines| {
        let mut lines = lines.borrow_mut();
        let Some(line) = lines.get_mut(key_id) else { return false };
        let before = line.waiting.len();
        line.waiting.retain(|w| w.id != id);
        before != line.waiting.len()
    })
}

/// Sends the group (`check` first, then `followers` in arrival order), hands the queue that
/// formed meanwhile to its first request, and gives each follower its reply.
async fn lead<F, Fut>(key_id: &str, check: CheckRequest, followers: Vec<Waiter>, send: &F) -> ApiResult<CheckReply>
where
    F: Fn(Vec<CheckRequest>) -> Fut,
    Fut: Future<Output = ApiResult<Vec<CheckReply>>>,
{
    let mut group = Vec::with_capacity(followers.len() + 1);
    group.push(check);
    group.extend(followers.iter().map(|w| w.check.clone()));
    let size = group.len();
    let result = send(group).await;
    hand_over(key_id);
    let replies: Vec<ApiResult<CheckReply>> = match result {
        Ok(replies) if replies.len() == size => replies.into_iter().map(Ok).collect(),
        Ok(replies) => {
            worker::console_error!("the gate answered {} checks of {size}", replies.len());
            vec![Err(ApiError::internal()); size]
        }
        Err(e) => vec![Err(e); size],
    };
    let mut replies = replies.into_iter();
    let own = replies.next().unwrap_or_else(|| Err(ApiError::internal()));
    for (waiter, reply) in followers.into_iter().zip(replies) {
        // A follower that went away needs no reply.
        let _ = waiter.wake.send(Wake::Decided(Box::new(reply)));
    }
    own
}

/// After a call: the first request still waiting leads the next group (with a fresh start
/// time); with none, the line is free.
fn hand_over(key_id: &str) {
    let mut waiting = LINES.with(|lines| {
        let mut lines = lines.borrow_mut();
        match lines.get_mut(key_id) {
            Some(line) if !line.waiting.is_empty() => {
                line.busy_since = Some(Date::now().as_millis() as i64);
                std::mem::take(&mut line.waiting)
            }
            _ => {
                lines.remove(key_id);
                Vec::new()
            }
        }
    });
    while !waiting.is_empty() {
        let rest = waiting.split_off(1);
        let Some(first) = waiting.pop() else { break };
        match first.wake.send(Wake::Lead(rest)) {
            Ok(()) => return,
            // That request went away: the next one leads.
            Err(Wake::Lead(rest)) => waiting = rest,
            Err(Wake::Decided(_)) => return,
        }
    }
    // Nobody is left to lead: the line is free (nothing could queue meanwhile: no await).
    LINES.with(|lines| lines.borrow_mut().remove(key_id));
}
