//! Divisions (isolated child tenants) and vendors acting through partnerships.

use serde_json::{json, Value};

use crate::client::{req, tenant, Tenant};

/// A division of `parent`, with an owner key minted inside it by the parent.
pub fn division(parent: &Tenant, name: &str) -> Tenant {
    let d = parent.post("/v1/divisions", json!({"name": name})).expect(201).data().clone();
    let id = d["id"].as_str().unwrap().to_string();
    let k = parent
        .post(&format!("/v1/divisions/{id}/api-keys"), json!({"scopes": "read-write", "label": "div owner"}))
        .expect(201);
    let k = k.data()["key"].as_str().unwrap().to_string();
    let k2 = req("POST", &format!("/v1/divisions/{id}/api-keys"))
        .key(&parent.key)
        .json(&json!({"scopes": ["read:*", "write:*"]}))
        .send();
    assert_eq!(k2.status, 201);
    Tenant { id, key: k, body: d }
}

/// A vendor made by the operator, as a caller with its key.
pub fn vendor() -> (String, String) {
    let r = req("POST", "/v1/operator/vendors").operator().json(&json!({"name": "Payroll Partner", "tier": "enterprise", "limits": {"per_second": 10000, "per_minute": 100000, "per_day": 1000000}})).send().expect(201);
    (r.data()["id"].as_str().unwrap().to_string(), r.data()["api_key"]["key"].as_str().unwrap().to_string())
}

pub fn as_vendor(key: &str, tenant_id: &str, method: &str, path: &str, body: Option<Value>) -> crate::client::Resp {
    let mut r = req(method, path).key(key).header("Edgeclock-Tenant-Id", tenant_id);
    if let Some(b) = body {
        r = r.json(&b);
    }
    r.send()
}

#[test]
fn divisions_are_isolated_from_parent_and_siblings() {
    let parent = tenant();
    let (a, b) = (division(&parent, "North"), division(&parent, "South"));
    assert_eq!(a.body["parent_id"], parent.id.as_str());
    for inherited in ["tier", "limits", "timezone", "settings"] {
        assert_eq!(a.body[inherited], parent.body[inherited], "{inherited} comes from the parent");
    }
    assert_eq!(a.get("/v1/me").expect(200).data()["tenant"]["id"], a.id.as_str());

    let wa = a.worker(json!({"name": "North Nora"}));
    let wp = parent.worker(json!({"name": "Parent Pat"}));
    let pa = format!("/v1/workers/{}", wa["id"].as_str().unwrap());
    let pp = format!("/v1/workers/{}", wp["id"].as_str().unwrap());
    parent.get(&pa).expect_error(404, "not_found");
    b.get(&pa).expect_error(404, "not_found");
    a.get(&pp).expect_error(404, "not_found");
    parent.patch(&pa, json!({"name": "x"})).expect_error(404, "not_found");
    for (who, t) in [("parent", &parent), ("sibling", &b)] {
        let l = t.get("/v1/workers").expect(200);
        assert!(!l.text.contains("North Nora"), "{who} sees the division's worker");
    }
    assert!(!a.get("/v1/workers").expect(200).text.contains("Parent Pat"));

    // The parent lists and reads its divisions; a division does not see its siblings.
    let ids: Vec<_> =
        parent.get("/v1/divisions").expect(200).data().as_array().unwrap().iter().map(|d| d["id"].clone()).collect();
    assert!(ids.contains(&json!(a.id)) && ids.contains(&json!(b.id)));
    a.get(&format!("/v1/divisions/{}", b.id)).expect_error(404, "not_found");
    a.post(&format!("/v1/divisions/{}/api-keys", b.id), json!({"scopes": "read-only"})).expect_error(404, "not_found");
    // Another tenant cannot mint keys in this parent's division.
    let other = tenant();
    other
        .post(&format!("/v1/divisions/{}/api-keys", a.id), json!({"scopes": "read-only"}))
        .expect_error(404, "not_found");
}

#[test]
fn division_keys_cannot_exceed_the_parents_scopes() {
    let parent = tenant();
    let limited = parent.as_key(&parent.mint(json!({"scopes": ["read:*", "write:divisions"]})));
    let d = limited.post("/v1/divisions", json!({"name": "Ops"})).expect(201).data().clone();
    let path = format!("/v1/divisions/{}/api-keys", d["id"].as_str().unwrap());
    limited.post(&path, json!({"scopes": "read-write"})).expect_error(403, "forbidden");
    limited.post(&path, json!({"scopes": "read-only"})).expect(201);
    let ro = parent.as_key(&parent.mint(json!({"scopes": "read-only"})));
    ro.post("/v1/divisions", json!({"name": "Nope"})).expect_error(403, "forbidden");
}

#[test]
fn vendors_act_only_where_granted() {
    let t = tenant();
    let (vendor_id, vkey) = vendor();
    let w = t.worker(json!({"name": "Granted Gina"}));
    let wpath = format!("/v1/workers/{}", w["id"].as_str().unwrap());

    // No header, unknown tenant, no partnership: 403.
    req("GET", "/v1/workers").key(&vkey).send().expect_error(403, "forbidden");
    as_vendor(&vkey, "ten_00000000000000000000000000000000", "GET", "/v1/workers", None).expect_error(403, "forbidden");
    as_vendor(&vkey, &t.id, "GET", "/v1/workers", None).expect_error(403, "forbidden");
    // /v1/me works without a tenant.
    let me = req("GET", "/v1/me").key(&vkey).send().expect(200);
    assert_eq!(me.data()["vendor"]["id"], vendor_id.as_str());

    let p = t.post("/v1/partnerships", json!({"vendor_id": vendor_id, "scopes": ["read:workers"]})).expect(201);
    let pid = p.data()["id"].as_str().unwrap().to_string();
    assert_eq!(p.data()["scopes"], json!(["read:workers"]));
    t.post("/v1/partnerships", json!({"vendor_id": vendor_id, "scopes": ["read:jobs"]})).expect_error(409, "conflict");

    let l = as_vendor(&vkey, &t.id, "GET", "/v1/workers", None).expect(200);
    assert!(l.text.contains("Granted Gina"));
    as_vendor(&vkey, &t.id, "GET", &wpath, None).expect(200);
    // Effective scopes are the key's intersected with the grant.
    as_vendor(&vkey, &t.id, "POST", "/v1/workers", Some(json!({"name": "x"}))).expect_error(403, "forbidden");
    as_vendor(&vkey, &t.id, "GET", "/v1/api-keys", None).expect_error(403, "forbidden");
    let me = as_vendor(&vkey, &t.id, "GET", "/v1/me", None).expect(200);
    assert_eq!(me.data()["tenant"]["id"], t.id.as_str());
    assert_eq!(me.data()["granted_scopes"], json!(["read:workers"]));

    // Even a full grant does not let a vendor mint keys, divisions or grants.
    let all = tenant();
    all.post("/v1/partnerships", json!({"vendor_id": vendor_id, "scopes": "read-write"})).expect(201);
    for path in ["/v1/api-keys", "/v1/divisions", "/v1/partnerships"] {
        as_vendor(
            &vkey,
            &all.id,
            "POST",
            path,
            Some(json!({"scopes": "read-only", "name": "x", "vendor_id": vendor_id})),
        )
        .expect_error(403, "forbidden");
    }
    as_vendor(&vkey, &all.id, "GET", "/v1/api-keys", None).expect(200);

    // Another tenant that granted nothing stays closed.
    let other = tenant();
    as_vendor(&vkey, &other.id, "GET", "/v1/workers", None).expect_error(403, "forbidden");

    t.delete(&format!("/v1/partnerships/{pid}")).expect(200);
    as_vendor(&vkey, &t.id, "GET", "/v1/workers", None).expect_error(403, "forbidden");
}

#[test]
fn partnerships_are_validated_and_cannot_escalate() {
    let t = tenant();
    let (vendor_id, _) = vendor();
    let r = t
        .post(
            "/v1/partnerships",
            json!({"vendor_id": "ven_00000000000000000000000000000000", "scopes": ["read:workers"]}),
        )
        .expect_error(422, "validation_failed");
    assert_eq!(r.body["error"]["details"][0]["code"], "not_found", "an unknown vendor: {}", r.text);
    t.post("/v1/partnerships", json!({"vendor_id": vendor_id})).expect_error(422, "validation_failed");
    let r = req("POST", "/v1/partnerships").key(&t.key).send().expect_error(422, "validation_failed");
    assert_eq!(r.detail_fields(), vec!["vendor_id", "scopes"]);
    let k = t.as_key(&t.mint(json!({"scopes": ["read:*", "write:partnerships"]})));
    k.post("/v1/partnerships", json!({"vendor_id": vendor_id, "scopes": ["write:workers"]}))
        .expect_error(403, "forbidden");
    k.post("/v1/partnerships", json!({"vendor_id": vendor_id, "scopes": "read-only"})).expect(201);
    let other = tenant();
    let list = other.get("/v1/partnerships").expect(200);
    assert_eq!(list.data().as_array().unwrap().len(), 0);
}
