//! Clients of the live position stream for the end-to-end tests: a Server-Sent Events reader
//! and a WebSocket reader, each on its own thread, handing what arrives (with the moment it
//! arrived) to the test through a channel.

use std::io::{BufRead, BufReader};
use std::sync::mpsc::{channel, Receiver};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::harness::server;

/// One SSE event as received.
#[derive(Debug, Clone)]
pub struct Event {
    pub event: String,
    pub id: Option<String>,
    pub data: String,
    pub at: Instant,
}

impl Event {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.data).unwrap_or(Value::Null)
    }
}

/// An open stream: what arrived so far comes out of `rx`.
pub struct Stream {
    rx: Receiver<Event>,
}

impl Stream {
    /// The next event (heartbeats skipped) within `timeout`, if any.
    pub fn next_within(&self, timeout: Duration) -> Option<Event> {
        let deadline = Instant::now() + timeout;
        loop {
            let left = deadline.checked_duration_since(Instant::now())?;
            let e = self.rx.recv_timeout(left).ok()?;
            if e.event != "heartbeat" {
                return Some(e);
            }
        }
    }

    /// The next `position` event within `timeout`.
    pub fn position_within(&self, timeout: Duration) -> Option<Event> {
        let deadline = Instant::now() + timeout;
        loop {
            let left = deadline.checked_duration_since(Instant::now())?;
            let e = self.next_within(left)?;
            if e.event == "position" {
                return Some(e);
            }
        }
    }

    /// Every position that arrives within `window`.
    pub fn positions_during(&self, window: Duration) -> Vec<Event> {
        let deadline = Instant::now() + window;
        let mut out = Vec::new();
        while let Some(left) = deadline.checked_duration_since(Instant::now()) {
            match self.position_within(left) {
                Some(e) => out.push(e),
                None => break,
            }
        }
        out
    }
}

/// What opening a stream answered when it was not a stream.
#[derive(Debug)]
pub struct Refused {
    pub status: u16,
    pub body: Value,
}

/// Opens `GET <path>` as an event stream with these headers (a key, `Last-Event-ID`); the
/// connection lasts at most `life`.
pub fn sse(path: &str, headers: &[(&str, &str)], life: Duration) -> Result<Stream, Refused> {
    sse_on(&server().base, path, headers, life)
}

/// [`sse`] on the server at `base`.
pub fn sse_on(base: &str, path: &str, headers: &[(&str, &str)], life: Duration) -> Result<Stream, Refused> {
    let url = format!("{base}{path}");
    let mut r = ureq::AgentBuilder::new().timeout(life).build().get(&url).set("Accept", "text/event-stream");
    for (k, v) in headers {
        r = r.set(k, v);
    }
    let resp = match r.call() {
        Ok(resp) => resp,
        Err(ureq::Error::Status(status, resp)) => {
            let body = serde_json::from_str(&resp.into_string().unwrap_or_default()).unwrap_or(Value::Null);
            return Err(Refused { status, body });
        }
        Err(e) => panic!("GET {path}: {e}"),
    };
    assert_eq!(resp.content_type(), "text/event-stream");
    let (tx, rx) = channel();
    std::thread::spawn(move || {
        let reader = BufReader::new(resp.into_reader());
        let (mut event, mut id, mut data) = (String::new(), None, String::new());
        for line in reader.lines() {
            let Ok(line) = line else { return };
            if line.is_empty() {
                if !data.is_empty() || !event.is_empty() {
                    let kind = if event.is_empty() { "message".to_string() } else { std::mem::take(&mut event) };
                    let e = Event { event: kind, id: id.take(), data: std::mem::take(&mut data), at: Instant::now() };
                    if tx.send(e).is_err() {
                        return;
                    }
                }
                continue;
            }
            if line.starts_with(':') {
                let beat = Event { event: "heartbeat".into(), id: None, data: String::new(), at: Instant::now() };
                let _ = tx.send(beat);
            } else if let Some(v) = line.strip_prefix("event: ") {
                event = v.to_string();
            } else if let Some(v) = line.strip_prefix("id: ") {
                id = Some(v.to_string());
            } else if let Some(v) = line.strip_prefix("data: ") {
                data.push_str(v);
            }
        }
    });
    Ok(Stream { rx })
}

/// Opens `path` as a WebSocket with a key; each text message arrives as a `position` event.
pub fn websocket(path: &str, key: &str) -> Stream {
    use tungstenite::client::IntoClientRequest;
    let url = format!("{}{path}", server().base.replacen("http://", "ws://", 1));
    let mut request = url.into_client_request().expect("a WebSocket request");
    request.headers_mut().insert("Authorization", format!("Bearer {key}").parse().expect("header"));
    let (mut socket, response) = tungstenite::connect(request).expect("WebSocket opens");
    assert_eq!(response.status().as_u16(), 101);
    assert!(response.headers().contains_key("x-request-id"), "the pipeline's headers are on the 101");
    let (tx, rx) = channel();
    std::thread::spawn(move || {
        while let Ok(message) = socket.read() {
            if let tungstenite::Message::Text(text) = message {
                let e = Event { event: "position".into(), id: None, data: text.to_string(), at: Instant::now() };
                if tx.send(e).is_err() {
                    return;
                }
            }
        }
    });
    Stream { rx }
}
