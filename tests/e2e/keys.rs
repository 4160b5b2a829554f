//! API keys: scoped creation, secrets shown once, scope enforcement, no escalation,
//! immediate revocation, expiry, last use.

use serde_json::json;

use crate::client::{eventually, req, tenant};

#[test]
fn a_new_key_is_shown_once_and_listed_without_its_secret() {
    let t = tenant();
    let r = t.post("/v1/api-keys", json!({"label": "payroll sync", "scopes": "read-only"})).expect(201);
    let k = r.data();
    let secret = k["key"].as_str().unwrap();
    assert!(secret.starts_with("ec_live_") && secret.len() == 40);
    assert_eq!(k["label"], "payroll sync");
    assert_eq!(k["scopes"], json!(["read:*"]));
    assert_eq!(k["last_four"], &secret[36..]);
    let id = k["id"].as_str().unwrap();
    let list = t.get("/v1/api-keys").expect(200);
    assert!(!list.text.contains(secret), "list never shows the secret");
    assert!(list.data().as_array().unwrap().iter().any(|x| x["id"] == id));
    let one = t.get(&format!("/v1/api-keys/{id}")).expect(200);
    assert!(!one.text.contains(secret));
    assert!(!one.text.contains("key_hash") && !one.text.contains("hash"));
    assert_eq!(one.data()["prefix"], "ec_live_");
    assert_eq!(one.data()["last_four"], &secret[36..]);
    assert!(one.data()["revoked_at"].is_null());
}

#[test]
fn scopes_are_enforced_and_named_in_the_403() {
    let t = tenant();
    let ro = t.as_key(&t.mint(json!({"scopes": "read-only"})));
    ro.get("/v1/workers").expect(200);
    let r = ro.post("/v1/workers", json!({"name": "x"})).expect_error(403, "forbidden");
    assert!(r.body["error"]["message"].as_str().unwrap().contains("write:workers"), "{}", r.text);

    let narrow = t.as_key(&t.mint(json!({"scopes": ["read:jobs", "write:time-entries"]})));
    let r = narrow.get("/v1/workers").expect_error(403, "forbidden");
    assert!(r.text.contains("read:workers"));
    narrow.get("/v1/me").expect(200);

    let all = t.as_key(&t.mint(json!({"scopes": ["read:all", "write:workers"]})));
    all.get("/v1/audit-log").expect(200);
    all.post("/v1/workers", json!({"name": "ok"})).expect(201);
    all.post("/v1/api-keys", json!({"scopes": "read-only"})).expect_error(403, "forbidden");
}

#[test]
fn a_key_cannot_grant_more_than_it_holds() {
    let t = tenant();
    let k = t.as_key(&t.mint(json!({"scopes": ["read:*", "write:api-keys"]})));
    k.post("/v1/api-keys", json!({"scopes": "read-write"})).expect_error(403, "forbidden");
    k.post("/v1/api-keys", json!({"scopes": ["write:workers"]})).expect_error(403, "forbidden");
    k.post("/v1/api-keys", json!({"scopes": ["write:*"]})).expect_error(403, "forbidden");
    k.post("/v1/api-keys", json!({"scopes": ["read:workers"]})).expect(201);
    k.post("/v1/api-keys", json!({"scopes": ["read:all", "write:api-keys"]})).expect(201);
}

#[test]
fn key_requests_are_validated() {
    let t = tenant();
    t.post("/v1/api-keys", json!({"label": "no scopes"})).expect_error(422, "validation_failed");
    t.post("/v1/api-keys", json!({"scopes": "superuser"})).expect_error(422, "validation_failed");
    t.post("/v1/api-keys", json!({"scopes": ["read:nothing"]})).expect_error(422, "validation_failed");
    t.post("/v1/api-keys", json!({"scopes": "read-only", "expires_at": "2001-01-01T00:00:00Z"}))
        .expect_error(422, "validation_failed");
    let r = t
        .post("/v1/api-keys", json!({"scopes": "read-only", "limits": {"per_second": 1_000_000}}))
        .expect_error(422, "validation_failed");
    assert_eq!(r.detail_fields(), vec!["limits.per_second"]);
    // An empty body reads as `{}`: it lacks the scopes, on every route that mints a key.
    let r = req("POST", "/v1/api-keys").key(&t.key).send().expect_error(422, "validation_failed");
    assert_eq!(r.detail_fields(), vec!["scopes"]);
    let path = format!("/v1/operator/tenants/{}/api-keys", t.id);
    let r = req("POST", &path).operator().send().expect_error(422, "validation_failed");
    assert_eq!(r.detail_fields(), vec!["scopes"]);
}

#[test]
fn integers_may_carry_a_zero_fraction() {
    let t = tenant();
    let r = t.post("/v1/api-keys", json!({"scopes": "read-only", "limits": {"per_minute": 60.0, "per_day": 1e3}}));
    let r = r.expect(201);
    let limits = &r.data()["limits"];
    assert_eq!((limits["per_minute"].as_u64(), limits["per_day"].as_u64()), (Some(60), Some(1000)));
    t.post("/v1/api-keys", json!({"scopes": "read-only", "limits": {"per_minute": 60.5}}))
        .expect_error(422, "validation_failed");
}

#[test]
fn revocation_takes_effect_on_the_very_next_request() {
    let t = tenant();
    let r = t.post("/v1/api-keys", json!({"scopes": "read-write"})).expect(201);
    let (secret, id) = (r.data()["key"].as_str().unwrap().to_string(), r.data()["id"].as_str().unwrap().to_string());
    req("GET", "/v1/workers").key(&secret).send().expect(200);
    let d = t.delete(&format!("/v1/api-keys/{id}")).expect(200);
    assert_eq!(d.data()["deleted"], true);
    assert!(d.data()["revoked_at"].is_string());
    for _ in 0..3 {
        req("GET", "/v1/workers").key(&secret).send().expect_error(401, "unauthorized");
        req("GET", "/v1/me").header("X-API-Key", &secret).send().expect_error(401, "unauthorized");
    }
    t.get(&format!("/v1/api-keys/{id}")).expect_error(404, "not_found");
    t.delete(&format!("/v1/api-keys/{id}")).expect_error(404, "not_found");
    let with = t.get("/v1/api-keys?include_deleted=true").expect(200);
    assert!(with.data().as_array().unwrap().iter().any(|k| k["id"] == id.as_str() && k["deleted"] == true));
}

#[test]
fn a_key_can_revoke_itself() {
    let t = tenant();
    let r = t.post("/v1/api-keys", json!({"scopes": "read-write"})).expect(201);
    let me = t.as_key(r.data()["key"].as_str().unwrap());
    me.delete(&format!("/v1/api-keys/{}", r.data()["id"].as_str().unwrap())).expect(200);
    me.get("/v1/me").expect_error(401, "unauthorized");
}

#[test]
fn expired_keys_are_401() {
    let t = tenant();
    let soon = crate::client::instant_in(3_000);
    let k = t.mint(json!({"scopes": "read-only", "expires_at": soon}));
    req("GET", "/v1/me").key(&k).send().expect(200);
    std::thread::sleep(std::time::Duration::from_millis(4_200));
    req("GET", "/v1/me").key(&k).send().expect_error(401, "unauthorized");
}

#[test]
fn last_used_at_is_kept_up_to_date() {
    let t = tenant();
    let r = t.post("/v1/api-keys", json!({"scopes": "read-only"})).expect(201);
    let id = r.data()["id"].as_str().unwrap().to_string();
    assert!(r.data()["last_used_at"].is_null());
    req("GET", "/v1/workers").key(r.data()["key"].as_str().unwrap()).send().expect(200);
    eventually(|| {
        let k = t.get(&format!("/v1/api-keys/{id}")).expect(200);
        k.data()["last_used_at"].as_str().map(str::to_string)
    });
}
