//! The request pipeline: envelope, request ids, routing errors, body rules, languages.

use serde_json::json;

use crate::client::{req, tenant};

#[test]
fn unknown_route_is_404_with_envelope_and_request_id() {
    let r = req("GET", "/v1/nope").send().expect_error(404, "not_found");
    let rid = r.header("X-Request-Id").unwrap();
    assert!(rid.starts_with("req_"), "{rid}");
    assert!(r.body["error"]["message"].is_string());
    assert!(r.body["error"].get("details").is_none());
    req("GET", "/").send().expect_error(404, "not_found");
    req("GET", "/v1/workers/").send().expect_error(404, "not_found");
}

#[test]
fn wrong_method_is_405_with_allow() {
    let r = req("PUT", "/v1/workers").send().expect_error(405, "method_not_allowed");
    assert_eq!(r.header("Allow"), Some("GET, HEAD, POST"));
    let r = req("POST", "/v1/me").send().expect_error(405, "method_not_allowed");
    assert_eq!(r.header("Allow"), Some("GET, HEAD"));
    // A static segment is its own resource, not an id: no time entry is called `batch`.
    let r = req("GET", "/v1/time-entries/batch").send().expect_error(405, "method_not_allowed");
    assert_eq!(r.header("Allow"), Some("POST"));
}

#[test]
fn request_id_is_echoed_or_generated() {
    let t = tenant();
    let r = req("GET", "/v1/workers").key(&t.key).header("X-Request-Id", "my-trace-42").send().expect(200);
    assert_eq!(r.header("X-Request-Id"), Some("my-trace-42"));
    assert_eq!(r.body["meta"]["request_id"], "my-trace-42");
    assert!(r.body["meta"]["took_ms"].is_u64());

    let long = "x".repeat(65);
    let r = req("GET", "/v1/workers").key(&t.key).header("X-Request-Id", &long).send().expect(200);
    let rid = r.header("X-Request-Id").unwrap().to_string();
    assert!(rid.starts_with("req_") && rid != long);
    assert_eq!(r.body["meta"]["request_id"], rid.as_str());

    let max = "y".repeat(64);
    let r = req("GET", "/v1/workers").key(&t.key).header("X-Request-Id", &max).send().expect(200);
    assert_eq!(r.header("X-Request-Id"), Some(max.as_str()));

    let r = req("GET", "/v1/workers").key(&t.key).header("X-Request-Id", "has space").send().expect(200);
    assert!(r.header("X-Request-Id").unwrap().starts_with("req_"));

    // Errors carry it too.
    let r = req("GET", "/v1/me").header("X-Request-Id", "err-1").send().expect_error(401, "unauthorized");
    assert_eq!(r.body["error"]["request_id"], "err-1");
}

#[test]
fn malformed_json_is_400() {
    let t = tenant();
    req("POST", "/v1/workers")
        .key(&t.key)
        .raw(b"{\"name\": ".to_vec(), "application/json")
        .send()
        .expect_error(400, "bad_request");
    req("PATCH", "/v1/workers/wkr_x")
        .key(&t.key)
        .raw(b"nope".to_vec(), "application/json")
        .send()
        .expect_error(400, "bad_request");
}

#[test]
fn bodies_over_one_mib_are_413() {
    let t = tenant();
    let mut big = b"{\"name\":\"".to_vec();
    big.extend(std::iter::repeat_n(b'a', 1024 * 1024));
    big.extend(b"\"}");
    req("POST", "/v1/workers").key(&t.key).raw(big, "application/json").send().expect_error(413, "payload_too_large");
    // Exactly at the limit is still read (and then judged on its content).
    let mut at = b"{\"name\":\"".to_vec();
    at.extend(std::iter::repeat_n(b'a', 1024 * 1024 - 11));
    at.extend(b"\"}");
    assert_eq!(at.len(), 1024 * 1024);
    req("POST", "/v1/workers").key(&t.key).raw(at, "application/json").send().expect_error(422, "validation_failed");
}

#[test]
fn non_json_bodies_are_415() {
    let t = tenant();
    req("POST", "/v1/workers")
        .key(&t.key)
        .raw(b"name=Ana".to_vec(), "application/x-www-form-urlencoded")
        .send()
        .expect_error(415, "unsupported_media_type");
    req("POST", "/v1/workers")
        .key(&t.key)
        .raw(b"{\"name\":\"Ana\"}".to_vec(), "text/plain")
        .send()
        .expect_error(415, "unsupported_media_type");
    // A JSON type with parameters is fine.
    req("POST", "/v1/workers")
        .key(&t.key)
        .raw(b"{\"name\":\"Ana\"}".to_vec(), "application/json; charset=utf-8")
        .send()
        .expect(201);
}

#[test]
fn json_that_is_not_an_object_is_422() {
    let t = tenant();
    let r = t.post("/v1/workers", json!([1, 2])).expect_error(422, "validation_failed");
    assert_eq!(r.detail_fields(), vec!["body"]);
    // `null` is not an object either (an empty body is, and reads as `{}`).
    let id = t.worker(json!({"name": "Ana"}))["id"].as_str().unwrap().to_string();
    let r = t.patch(&format!("/v1/workers/{id}"), json!(null)).expect_error(422, "validation_failed");
    assert_eq!(r.detail_fields(), vec!["body"]);
    req("PATCH", &format!("/v1/workers/{id}")).key(&t.key).send().expect(200);
}

#[test]
fn error_messages_follow_accept_language() {
    let cases =
        [("es", "es"), ("fr-CA, en;q=0.5", "fr"), ("ja, de;q=0.7", "de"), ("ja", "en"), ("es;q=0.2, fr;q=0.9", "fr")];
    let en = req("GET", "/v1/me").send().expect_error(401, "unauthorized").body["error"]["message"].clone();
    for (accept, lang) in cases {
        let r = req("GET", "/v1/me").header("Accept-Language", accept).send().expect_error(401, "unauthorized");
        assert_eq!(r.header("Content-Language"), Some(lang), "{accept}");
        if lang != "en" {
            assert_ne!(r.body["error"]["message"], en, "{accept}");
        }
    }
    let t = tenant();
    let r = req("POST", "/v1/workers").key(&t.key).header("Accept-Language", "de").json(&json!({})).send();
    let r = r.expect_error(422, "validation_failed");
    assert_eq!(r.body["error"]["details"][0]["code"], "required");
    assert_eq!(r.header("Content-Language"), Some("de"));
}

#[test]
fn head_answers_without_a_body() {
    let t = tenant();
    let r = req("HEAD", "/v1/workers").key(&t.key).send().expect(200);
    assert!(r.text.is_empty());
}

#[test]
fn docs_are_public() {
    let r = req("GET", "/openapi.json").send().expect(200);
    assert!(r.body["openapi"].as_str().unwrap().starts_with("3.1"));
    assert!(r.body["paths"]["/v1/workers"]["get"].is_object());
    assert!(r.header("X-Request-Id").is_some());
    let r = req("GET", "/docs").send().expect(200);
    assert!(r.header("Content-Type").unwrap().starts_with("text/html"));
    assert!(r.header("Content-Security-Policy").unwrap().starts_with("default-src 'self'"));
    // Every file the page loads is same-origin and served; the start-up script names the document.
    let files: Vec<&str> = r.text.split(['"', '\'']).filter(|s| s.ends_with(".js") || s.ends_with(".css")).collect();
    assert_eq!(files.len(), 3, "{}", r.text);
    for f in files {
        assert!(f.starts_with("/docs/"), "{f} is not same-origin");
        let asset = req("GET", f).send().expect(200);
        assert!(!asset.text.contains("https://unpkg.com"));
        if f.ends_with("init.js") {
            assert!(asset.text.contains("\"/openapi.json\""));
        }
    }
    req("GET", "/docs/nope.js").send().expect(404);
    // The asset directory itself is reached only through the worker's routes.
    for raw in ["/_assets/openapi.json", "/_assets/docs/index.html"] {
        req("GET", raw).send().expect_error(404, "not_found");
    }
    let r = req("POST", "/docs").send().expect(405);
    assert_eq!(r.header("Allow"), Some("GET, HEAD"));
}
