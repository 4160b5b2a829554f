//! The operator API: creating and listing tenants, each with a first owner key.

use serde_json::json;

use crate::client::{req, tenant_with, walk, Tenant};

#[test]
fn operator_routes_need_the_operator_token() {
    req("GET", "/v1/operator/tenants").send().expect_error(401, "unauthorized");
    req("GET", "/v1/operator/tenants").key("wrong-token").send().expect_error(401, "unauthorized");
    let t = tenant_with(json!({"name": "Keyholder"}));
    // A tenant key is not an operator token.
    req("GET", "/v1/operator/tenants").key(&t.key).send().expect_error(401, "unauthorized");
    req("POST", "/v1/operator/tenants").json(&json!({"name": "x"})).send().expect_error(401, "unauthorized");
}

#[test]
fn creating_a_tenant_returns_it_with_an_owner_key_once() {
    let t = tenant_with(json!({"name": "Acme Builders", "tier": "pro", "timezone": "America/New_York"}));
    let d = &t.body;
    assert!(t.id.starts_with("ten_"));
    assert_eq!(d["name"], "Acme Builders");
    assert_eq!(d["tier"], "pro");
    assert_eq!(d["timezone"], "America/New_York");
    assert_eq!(d["limits"], json!({"per_second": 10, "per_minute": 600, "per_day": 200000}));
    assert!(d["created_at"].as_str().unwrap().ends_with('Z'));
    let key = &d["api_key"];
    assert!(key["id"].as_str().unwrap().starts_with("key_"));
    let secret = key["key"].as_str().unwrap();
    assert!(secret.starts_with("ec_live_") && secret.len() == 40, "{secret}");
    assert!(secret[8..].bytes().all(|b| b.is_ascii_alphanumeric()));
    assert_eq!(key["prefix"], "ec_live_");
    assert_eq!(key["last_four"], &secret[36..]);
    assert_eq!(key["scopes"], json!(["read:*", "write:*"]));

    // The key works, and the secret is never shown again.
    let me = t.get("/v1/me").expect(200);
    assert_eq!(me.data()["tenant"]["id"], t.id.as_str());
    let shown = req("GET", &format!("/v1/operator/tenants/{}", t.id)).operator().send().expect(200);
    assert!(!shown.text.contains(secret));
    assert!(shown.data().get("api_key").is_none());
}

#[test]
fn defaults_are_standard_and_utc() {
    let t = tenant_with(json!({"name": "Plain"}));
    assert_eq!(t.body["tier"], "standard");
    assert_eq!(t.body["timezone"], "UTC");
    assert_eq!(t.body["limits"]["per_second"], 5);
}

#[test]
fn tenant_validation_lists_every_bad_field() {
    let r = req("POST", "/v1/operator/tenants")
        .operator()
        .json(&json!({"tier": "gold", "timezone": "Mars/Olympus", "colour": "red"}))
        .send()
        .expect_error(422, "validation_failed");
    let mut fields = r.detail_fields();
    fields.sort();
    assert_eq!(fields, vec!["colour", "name", "tier", "timezone"]);
    let r = req("POST", "/v1/operator/tenants")
        .operator()
        .json(&json!({"name": "x", "tier": "standard", "limits": {"per_second": 100}}))
        .send()
        .expect_error(422, "validation_failed");
    assert_eq!(r.detail_fields(), vec!["limits"]);
}

#[test]
fn enterprise_tenants_get_custom_limits() {
    let t = tenant_with(
        json!({"name": "Big", "tier": "enterprise", "limits": {"per_second": 99, "per_minute": 999, "per_day": 9999}}),
    );
    assert_eq!(t.body["limits"], json!({"per_second": 99, "per_minute": 999, "per_day": 9999}));
}

#[test]
fn tenants_are_listed_and_found() {
    let mine: Vec<Tenant> = (0..3).map(|i| tenant_with(json!({"name": format!("Listed {i}")}))).collect();
    let all = walk_operator("/v1/operator/tenants", 2);
    for t in &mine {
        assert!(all.iter().any(|x| x["id"] == t.id.as_str()), "{} missing", t.id);
    }
    let ids: Vec<_> = all.iter().map(|x| x["id"].as_str().unwrap().to_string()).collect();
    let mut sorted = ids.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(ids, sorted, "ordered by id, no repeats");
    req("GET", "/v1/operator/tenants/ten_00000000000000000000000000000000")
        .operator()
        .send()
        .expect_error(404, "not_found");
    req("GET", "/v1/operator/tenants?limit=0").operator().send().expect_error(400, "bad_request");
}

fn walk_operator(path: &str, limit: usize) -> Vec<serde_json::Value> {
    // The operator token stands in for a tenant key in the shared walker.
    let op = Tenant { id: String::new(), key: crate::harness::operator_token().to_string(), body: json!(null) };
    walk(&op, path, limit)
}
