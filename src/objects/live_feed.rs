//! `LiveFeed`: one Durable Object per tenant that holds the live position buffer and fans
//! released positions out to every connected client (SPEC §6 positions).
//!
//! - `POST /publish` (a JSON list of [`Published`]): one call per request that recorded
//!   positions. Each waits until its due time; one already due is released at once.
//! - `POST /subscribe` ([`Subscribe`]): a Server-Sent Events stream. Streams are held in
//!   memory, each with a small bounded queue: a client that stops reading is dropped (it
//!   reconnects with `Last-Event-ID` and resumes from the ring).
//! - `GET /subscribe` with `Upgrade: websocket` (the subscription in a header): a WebSocket
//!   accepted through the hibernation API, its filter kept as the socket's attachment, so an
//!   idle subscriber costs nothing and survives the object's eviction.
//! - `GET /stats`: what the feed holds (the benchmark's memory check).
//!
//! One alarm drives everything: it is set to the next due time (or the next SSE heartbeat,
//! whichever is first), never a loop per client.

use std::cell::{Cell, RefCell};

use futures_channel::mpsc;
use futures_util::StreamExt;
use worker::{
    durable_object, Date, DurableObject, Env, Headers, Request, Response, Result, ScheduledTime, State, WebSocket,
    WebSocketIncomingMessage, WebSocketPair,
};

use super::live_store as store;
use crate::domain::live::{self, Feed, Filter, Item, Published, Stats, Subscribe, BOUNDS};

/// The header that carries a WebSocket subscription (a GET has no body).
pub const SUBSCRIPTION_HEADER: &str = "Edgeclock-Live-Subscription";
/// Chunks an SSE stream may have waiting before its client counts as gone.
const STREAM_QUEUE: usize = 64;

/// One Server-Sent Events client.
struct Stream {
    tx: mpsc::Sender<Vec<u8>>,
    filter: Filter,
}

#[durable_object]
pub struct LiveFeed {
    state: State,
    feed: RefCell<Option<Feed>>,
    streams: RefCell<Vec<Stream>>,
    /// The alarm currently set (unix ms), if any.
    alarm_at: Cell<Option<i64>>,
    /// When the SSE streams next get a heartbeat.
    heartbeat_at: Cell<i64>,
}

fn now_ms() -> i64 {
    Date::now().as_millis() as i64
}

fn bad(e: impl std::fmt::Display) -> Result<Response> {
    Response::error(format!("unreadable live feed call: {e}"), 400)
}

impl LiveFeed {
    /// Runs `f` on the feed, loading it from storage the first time.
    fn with_feed<T>(&self, f: impl FnOnce(&mut Feed) -> T) -> Result<T> {
        let mut slot = self.feed.borrow_mut();
        if slot.is_none() {
            *slot = Some(store::load(&self.state.storage().sql(), &BOUNDS)?);
        }
        match slot.as_mut() {
            Some(feed) => Ok(f(feed)),
            None => Err(worker::Error::RustError("live feed not loaded".into())),
        }
    }

    async fn publish(&self, items: Vec<Published>) -> Result<Response> {
        let accepted: Vec<Published> =
            self.with_feed(|feed| items.into_iter().filter(|p| feed.add(p.clone().into(), &BOUNDS)).collect())?;
        store::add(&self.state.storage().sql(), &accepted)?;
        self.release_due().await?;
        Response::ok(format!("{{\"accepted\":{}}}", accepted.len()))
    }

    /// Releases what is due, writes it to subscribers, and sets the alarm for what is next.
    async fn release_due(&self) -> Result<()> {
        let now = now_ms();
        let (released, latest_count) = self.with_feed(|feed| {
            let released = feed.release(now, &BOUNDS);
            (released, feed.sizes().2)
        })?;
        if !released.is_empty() {
            let sql = self.state.storage().sql();
            store::release(&sql, now, &BOUNDS)?;
            if latest_count >= BOUNDS.workers {
                store::trim_latest(&sql, BOUNDS.workers)?;
            }
            self.fan_out(&released);
        }
        if now >= self.heartbeat_at.get() {
            self.heartbeat_at.set(now + live::HEARTBEAT_MS);
            self.send_to_streams(|_| Some(live::SSE_HEARTBEAT.to_string()));
        }
        self.schedule().await
    }

    /// Writes released positions to every subscriber whose filter matches. Each position's
    /// frame is formatted once, and the whole release once for the streams without a filter.
    fn fan_out(&self, items: &[Item]) {
        let frames: Vec<String> = items.iter().map(live::sse_position).collect();
        let all: String = frames.concat();
        self.send_to_streams(|filter| {
            if *filter == Filter::default() {
                return Some(all.clone());
            }
            let mine: String =
                items.iter().zip(&frames).filter(|(i, _)| filter.matches(i)).map(|(_, f)| f.as_str()).collect();
            (!mine.is_empty()).then_some(mine)
        });
        for ws in self.state.get_websockets() {
            let filter: Filter = ws.deserialize_attachment().ok().flatten().unwrap_or_default();
            for item in items.iter().filter(|i| filter.matches(i)) {
                // A socket closing meanwhile fails the send; its close handler tidies up.
                let _ = ws.send_with_str(&item.json);
            }
        }
    }

    /// Sends each SSE stream what `frames` makes of its filter; drops streams that are gone or
    /// too far behind (their queue is full).
    fn send_to_streams(&self, frames: impl Fn(&Filter) -> Option<String>) {
        self.streams.borrow_mut().retain_mut(|s| match frames(&s.filter) {
            Some(text) => s.tx.try_send(text.into_bytes()).is_ok(),
            None => !s.tx.is_closed(),
        });
    }

    /// Sets the alarm to the next due time, or the next heartbeat while SSE streams are open.
    async fn schedule(&self) -> Result<()> {
        let due = self.with_feed(|feed| feed.next_due())?;
        let beat = (!self.streams.borrow().is_empty()).then(|| self.heartbeat_at.get());
        let next = match (due, beat) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        if next != self.alarm_at.get() {
            let storage = self.state.storage();
            match next {
                // An instant, not an offset (an `i64` would be read as one).
                Some(at) => storage.set_alarm(ScheduledTime::new(js_sys::Date::new(&(at as f64).into()))).await?,
                None => storage.delete_alarm().await?,
            }
            self.alarm_at.set(next);
        }
        Ok(())
    }

    fn backlog(&self, sub: &Subscribe) -> Result<Vec<Item>> {
        self.with_feed(|feed| live::backlog(feed, sub).into_iter().cloned().collect())
    }

    async fn subscribe_sse(&self, sub: Subscribe) -> Result<Response> {
        let mut first = String::from(live::SSE_RETRY);
        first.push_str(sub.head.as_deref().unwrap_or_default());
        for item in self.backlog(&sub)? {
            first.push_str(&live::sse_position(&item));
        }
        let (mut tx, rx) = mpsc::channel::<Vec<u8>>(STREAM_QUEUE);
        // The channel has room for its first message: this cannot fail.
        let _ = tx.try_send(first.into_bytes());
        if self.streams.borrow().is_empty() {
            self.heartbeat_at.set(now_ms() + live::HEARTBEAT_MS);
        }
        self.streams.borrow_mut().push(Stream { tx, filter: sub.filter });
        self.schedule().await?;
        let headers = Headers::new();
        headers.set("Content-Type", "text/event-stream; charset=utf-8")?;
        headers.set("Cache-Control", "no-store")?;
        Ok(Response::from_stream(rx.map(Ok::<Vec<u8>, worker::Error>))?.with_headers(headers))
    }

    fn subscribe_websocket(&self, sub: Subscribe) -> Result<Response> {
        let WebSocketPair { client, server } = WebSocketPair::new()?;
        self.state.accept_web_socket(&server);
        server.serialize_attachment(&sub.filter)?;
        for item in self.backlog(&sub)? {
            server.send_with_str(&item.json)?;
        }
        Response::from_websocket(client)
    }

    fn stats(&self) -> Result<Response> {
        let (pending, released, workers, skipped) = self.with_feed(|f| {
            let (p, r, w) = f.sizes();
            (p, r, w, f.skipped)
        })?;
        let stats = Stats {
            pending,
            released,
            workers,
            skipped,
            sse_streams: self.streams.borrow().len(),
            websockets: self.state.get_websockets().len(),
            memory_bytes: memory_bytes(),
        };
        Response::from_json(&stats)
    }
}

/// The size of this isolate's wasm linear memory.
fn memory_bytes() -> u64 {
    use wasm_bindgen::JsCast;
    wasm_bindgen::memory()
        .dyn_into::<js_sys::WebAssembly::Memory>()
        .map(|m| m.buffer().unchecked_into::<js_sys::ArrayBuffer>().byte_length() as u64)
        .unwrap_or(0)
}

impl DurableObject for LiveFeed {
    fn new(state: State, _env: Env) -> Self {
        LiveFeed {
            state,
            feed: RefCell::new(None),
            streams: RefCell::new(Vec::new()),
            alarm_at: Cell::new(None),
            heartbeat_at: Cell::new(0),
        }
    }

    async fn fetch(&self, mut req: Request) -> Result<Response> {
        let path = req.path();
        let websocket = req.headers().get("Upgrade")?.is_some_and(|u| u.eq_ignore_ascii_case("websocket"));
        match (req.method(), path.as_str()) {
            (worker::Method::Post, "/publish") => match req.json::<Vec<Published>>().await {
                Ok(items) => self.publish(items).await,
                Err(e) => bad(e),
            },
            (worker::Method::Post, "/subscribe") => match req.json::<Subscribe>().await {
                Ok(sub) => self.subscribe_sse(sub).await,
                Err(e) => bad(e),
            },
            (worker::Method::Get, "/subscribe") if websocket => {
                let text = req.headers().get(SUBSCRIPTION_HEADER)?.unwrap_or_default();
                match serde_json::from_str::<Subscribe>(&text) {
                    Ok(sub) => self.subscribe_websocket(sub),
                    Err(e) => bad(e),
                }
            }
            (worker::Method::Get, "/stats") => self.stats(),
            _ => Response::error("no such live feed call", 404),
        }
    }

    async fn alarm(&self) -> Result<Response> {
        self.alarm_at.set(None);
        self.release_due().await?;
        Response::ok("")
    }

    async fn websocket_message(&self, ws: WebSocket, message: WebSocketIncomingMessage) -> Result<()> {
        // The stream is one way; a `ping` gets a `pong` so clients can check the line.
        if let WebSocketIncomingMessage::String(text) = message {
            if text == "ping" {
                let _ = ws.send_with_str("pong");
            }
        }
        Ok(())
    }

    async fn websocket_close(&self, ws: WebSocket, _code: usize, _reason: String, _clean: bool) -> Result<()> {
        // Completes the closing handshake; the runtime forgets the socket.
        let _ = ws.close(Some(1000), Some("closed"));
        Ok(())
    }

    async fn websocket_error(&self, _ws: WebSocket, _error: worker::Error) -> Result<()> {
        Ok(())
    }
}
