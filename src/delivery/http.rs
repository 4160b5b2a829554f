//! One HTTP attempt of a delivery (SPEC §7): `POST` of the stored body with its headers, no
//! redirects followed (a 3xx is an answer like any other), and a 10 s limit on the whole
//! exchange — connection, headers and the first kilobyte of the response, which is all that
//! is read.

use std::pin::pin;
use std::time::Duration;

use futures_util::future::{select, Either};
use futures_util::StreamExt;
use wasm_bindgen::JsValue;
use worker::{AbortController, Delay, Fetch, Headers, Method, Request, RequestInit, RequestRedirect};

use crate::domain::webhooks::delivery::{excerpt, Answer, RESPONSE_EXCERPT_BYTES, TIMEOUT_MS};

async fn exchange(url: &str, headers: &[(&str, String)], body: &str, signal: &worker::AbortSignal) -> Answer {
    let sent = async {
        let h = Headers::new();
        h.set("Content-Type", "application/json")?;
        h.set("User-Agent", "edgeclock-webhooks")?;
        for (name, value) in headers {
            h.set(name, value)?;
        }
        let mut init = RequestInit::new();
        init.with_method(Method::Post)
            .with_headers(h)
            .with_body(Some(JsValue::from_str(body)))
            .with_redirect(RequestRedirect::Manual);
        let request = Request::new_with_init(url, &init)?;
        let mut response = Fetch::Request(request).send_with_signal(signal).await?;
        let code = response.status_code();
        let mut read = Vec::new();
        if let Ok(mut stream) = response.stream() {
            while read.len() < RESPONSE_EXCERPT_BYTES {
                match stream.next().await {
                    Some(Ok(chunk)) => read.extend_from_slice(&chunk),
                    _ => break,
                }
            }
        }
        Ok::<Answer, worker::Error>(Answer::Status { code, body: excerpt(&read) })
    };
    sent.await.unwrap_or_else(|e| Answer::Error(format!("request failed: {e}")))
}

/// Posts `body` to `url`; a response, or why there was none.
pub async fn post(url: &str, headers: &[(&str, String)], body: &str) -> Answer {
    let controller = AbortController::default();
    let signal = controller.signal();
    let attempt = pin!(exchange(url, headers, body, &signal));
    let limit = pin!(Delay::from(Duration::from_millis(TIMEOUT_MS as u64)));
    match select(attempt, limit).await {
        Either::Left((answer, _)) => answer,
        Either::Right(_) => {
            controller.abort();
            Answer::Error(format!("timed out after {} s", TIMEOUT_MS / 1000))
        }
    }
}
