//! Key authentication: both header forms, and a uniform 401 for every bad credential.

use crate::client::{req, tenant};

#[test]
fn bearer_and_x_api_key_both_work() {
    let t = tenant();
    let a = req("GET", "/v1/me").key(&t.key).send().expect(200);
    let b = req("GET", "/v1/me").header("X-API-Key", &t.key).send().expect(200);
    assert_eq!(a.data()["id"], b.data()["id"]);
    let me = a.data();
    assert!(me["id"].as_str().unwrap().starts_with("key_"));
    assert_eq!(me["label"], "Owner");
    assert_eq!(me["tier"], "enterprise");
    assert_eq!(me["tenant"]["id"], t.id.as_str());
    assert!(me["vendor"].is_null());
    assert!(!a.text.contains(&t.key), "the secret is never echoed");
}

#[test]
fn bad_credentials_are_401() {
    let t = tenant();
    let unknown = format!("ec_live_{}", "A".repeat(32));
    let cases: Vec<(&str, String)> = vec![
        ("none", String::new()),
        ("malformed", "ec_live_short".into()),
        ("unknown", unknown.clone()),
        ("wrong prefix", format!("ec_test_{}", &t.key[8..])),
        ("one char off", format!("{}{}", &t.key[..39], if t.key.ends_with('a') { 'b' } else { 'a' })),
    ];
    for (what, key) in cases {
        let r = if key.is_empty() { req("GET", "/v1/me").send() } else { req("GET", "/v1/me").key(&key).send() };
        r.expect_error(401, "unauthorized");
        let _ = what;
    }
    req("GET", "/v1/workers")
        .header("Authorization", &format!("Basic {}", t.key))
        .send()
        .expect_error(401, "unauthorized");
    req("GET", "/v1/workers").header("X-API-Key", &unknown).send().expect_error(401, "unauthorized");
    req("GET", "/v1/me").key(crate::harness::operator_token()).send().expect_error(401, "unauthorized");
}
