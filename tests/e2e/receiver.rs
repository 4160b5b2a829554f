//! A real HTTP receiver for webhook deliveries, inside the test process: a `TcpListener` on a
//! free 127.0.0.1 port, one thread per connection, HTTP/1.1 read by hand (request line,
//! headers, a `Content-Length` or chunked body). It records every request it is sent — headers
//! and exact body bytes — and answers as told: 200, fail the first N attempts of each
//! `webhook-id`, fail half of all attempts (a seeded pseudo-random choice), 410 always, or
//! answer only after a delay.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

/// How the receiver answers.
#[derive(Debug, Clone)]
pub enum Behaviour {
    /// 200 to everything.
    Ok,
    /// 500 to the first `n` attempts of each `webhook-id`, then 200.
    FailFirst(usize),
    /// 500 to about half of all attempts, chosen pseudo-randomly from `seed`.
    FailHalf { seed: u64 },
    /// 500 to everything.
    FailAll,
    /// 410 Gone to everything.
    Gone,
    /// The first attempt of each `webhook-id` is answered 200 only after this long; later
    /// attempts at once.
    SlowFirst(Duration),
}

/// One request the receiver got.
#[derive(Debug, Clone)]
pub struct Received {
    /// Header names in lower case.
    pub headers: HashMap<String, String>,
    pub body: Vec<u8>,
    /// What it answered.
    pub status: u16,
}

impl Received {
    pub fn header(&self, name: &str) -> &str {
        self.headers.get(&name.to_ascii_lowercase()).map(String::as_str).unwrap_or("")
    }
    pub fn id(&self) -> &str {
        self.header("webhook-id")
    }
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).unwrap_or(serde_json::Value::Null)
    }
    pub fn ok(&self) -> bool {
        (200..300).contains(&self.status)
    }
}

struct State {
    behaviour: Behaviour,
    received: Vec<Received>,
    /// Attempts seen per `webhook-id`.
    per_id: HashMap<String, usize>,
    rng: u64,
}

pub struct Receiver {
    pub url: String,
    shared: Arc<(Mutex<State>, Condvar)>,
}

/// A failure's body: longer than the 1 KB an attempt keeps of it.
pub const FAILURE_BODY_LEN: usize = 1500;

impl Receiver {
    pub fn start(behaviour: Behaviour) -> Receiver {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind receiver");
        let port = listener.local_addr().expect("receiver address").port();
        let rng = match behaviour {
            Behaviour::FailHalf { seed } => seed | 1,
            _ => 1,
        };
        let state = State { behaviour, received: Vec::new(), per_id: HashMap::new(), rng };
        let shared = Arc::new((Mutex::new(state), Condvar::new()));
        let for_thread = Arc::clone(&shared);
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let shared = Arc::clone(&for_thread);
                std::thread::spawn(move || {
                    let _ = serve(stream, &shared);
                });
            }
        });
        Receiver { url: format!("http://127.0.0.1:{port}/hook"), shared }
    }

    /// Answers differently from now on.
    pub fn set(&self, behaviour: Behaviour) {
        self.shared.0.lock().unwrap().behaviour = behaviour;
    }

    /// Everything received so far.
    pub fn received(&self) -> Vec<Received> {
        self.shared.0.lock().unwrap().received.clone()
    }

    /// Waits until `done` holds for what was received, or `timeout` passes; returns it either way.
    pub fn wait_until(&self, timeout: Duration, done: impl Fn(&[Received]) -> bool) -> Vec<Received> {
        let deadline = Instant::now() + timeout;
        let (lock, cond) = &*self.shared;
        let mut state = lock.lock().unwrap();
        while !done(&state.received) {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                break;
            }
            state = cond.wait_timeout(state, left).unwrap().0;
        }
        state.received.clone()
    }

    /// Waits for `n` requests answered 2xx.
    pub fn wait_delivered(&self, n: usize, timeout: Duration) -> Vec<Received> {
        let all = self.wait_until(timeout, |r| r.iter().filter(|x| x.ok()).count() >= n);
        let ok: Vec<Received> = all.into_iter().filter(Received::ok).collect();
        assert!(ok.len() >= n, "{} of {n} deliveries arrived within {timeout:?}", ok.len());
        ok
    }
}

/// Decides the answer for one attempt of `id` (and notes the attempt).
fn decide(state: &mut State, id: &str) -> (u16, Option<Duration>) {
    let seen = state.per_id.entry(id.to_string()).or_insert(0);
    *seen += 1;
    let nth = *seen;
    match state.behaviour.clone() {
        Behaviour::Ok => (200, None),
        Behaviour::FailFirst(n) => (if nth <= n { 500 } else { 200 }, None),
        Behaviour::FailAll => (500, None),
        Behaviour::Gone => (410, None),
        Behaviour::SlowFirst(delay) => (200, (nth == 1).then_some(delay)),
        Behaviour::FailHalf { .. } => {
            // xorshift64: the same sequence of answers for the same seed.
            let mut x = state.rng;
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            state.rng = x;
            (if x & 1 == 0 { 500 } else { 200 }, None)
        }
    }
}

fn serve(stream: TcpStream, shared: &(Mutex<State>, Condvar)) -> std::io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(30)))?;
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut line = String::new();
    reader.read_line(&mut line)?;
    let mut headers = HashMap::new();
    loop {
        let mut h = String::new();
        if reader.read_line(&mut h)? == 0 || h == "\r\n" || h == "\n" {
            break;
        }
        if let Some((name, value)) = h.split_once(':') {
            headers.insert(name.trim().to_ascii_lowercase(), value.trim().to_string());
        }
    }
    let body = if headers.get("transfer-encoding").is_some_and(|v| v.eq_ignore_ascii_case("chunked")) {
        read_chunked(&mut reader)?
    } else {
        let len = headers.get("content-length").and_then(|v| v.parse::<usize>().ok()).unwrap_or(0);
        let mut body = vec![0; len];
        reader.read_exact(&mut body)?;
        body
    };
    let id = headers.get("webhook-id").cloned().unwrap_or_default();
    let (status, delay) = decide(&mut shared.0.lock().unwrap(), &id);
    if let Some(d) = delay {
        std::thread::sleep(d);
    }
    let answer = if (200..300).contains(&status) { "ok".to_string() } else { "x".repeat(FAILURE_BODY_LEN) };
    let mut stream = stream;
    let head = format!("HTTP/1.1 {status} Answer\r\nContent-Length: {}\r\nConnection: close\r\n\r\n", answer.len());
    // The sender may have given up (a timeout): the request still counts as received.
    let _ = stream.write_all(head.as_bytes()).and_then(|_| stream.write_all(answer.as_bytes()));
    let (lock, cond) = shared;
    lock.lock().unwrap().received.push(Received { headers, body, status });
    cond.notify_all();
    Ok(())
}

fn read_chunked(reader: &mut BufReader<TcpStream>) -> std::io::Result<Vec<u8>> {
    let mut body = Vec::new();
    loop {
        let mut size = String::new();
        reader.read_line(&mut size)?;
        let n = usize::from_str_radix(size.trim().split(';').next().unwrap_or("0"), 16).unwrap_or(0);
        let mut chunk = vec![0; n + 2];
        reader.read_exact(&mut chunk)?;
        if n == 0 {
            return Ok(body);
        }
        body.extend_from_slice(&chunk[..n]);
    }
}
