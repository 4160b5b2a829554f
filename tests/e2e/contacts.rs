//! Customer contacts (SPEC §6 customers, §9 `/v2/contacts`): list, create and delete under a
//! customer on `/v1`, the same contacts on `/v2` by integer ids, and the customer they hold.

use serde_json::json;

use crate::client::{req, tenant};

#[test]
fn contacts_live_under_their_customer_on_both_sides() {
    let t = tenant();
    let cus = t.post("/v1/customers", json!({"name": "Acme"})).expect(201).data().clone();
    let cid = cus["id"].as_str().unwrap();
    let path = format!("/v1/customers/{cid}/contacts");
    let c =
        t.post(&path, json!({"first_name": "Rosa", "last_name": "Díaz", "email": "rosa@acme.example", "title": "CFO"}));
    let c = c.expect(201).data().clone();
    assert!(c["id"].as_str().unwrap().starts_with("ctc_"));
    assert_eq!((c["customer_id"].as_str(), c["title"].as_str()), (Some(cid), Some("CFO")));
    assert!(c["harvest_id"].as_i64().unwrap() > 0);
    let fields = t.post(&path, json!({"email": "not-an-email"})).expect(422).detail_fields();
    assert_eq!(fields, ["first_name", "email"]);
    let unknown = format!("/v1/customers/cus_{}/contacts", "0".repeat(32));
    t.get(&unknown).expect_error(404, "not_found");
    // The customer cannot go while it has contacts.
    t.delete(&format!("/v1/customers/{cid}")).expect_error(409, "conflict");

    // /v2: create by the client's integer id; list by it.
    let v2 = |method: &str, p: &str| req(method, p).key(&t.key).header("Harvest-Account-Id", &t.id);
    let body = json!({"client_id": cus["harvest_id"], "first_name": "Ivo", "last_name": "Petrov", "phone_office": "+34 600 000 000"});
    let made = v2("POST", "/v2/contacts").json(&body).send().expect(201).body;
    assert_eq!(
        (made["client"]["id"].clone(), made["phone_office"].as_str()),
        (cus["harvest_id"].clone(), Some("+34 600 000 000"))
    );
    let listed = v2("GET", &format!("/v2/contacts?client_id={}", cus["harvest_id"])).send().expect(200).body;
    assert_eq!(listed["total_entries"], 2);
    let on_v1 = t.get(&path).expect(200);
    let names: Vec<&str> = on_v1.data().as_array().unwrap().iter().map(|c| c["first_name"].as_str().unwrap()).collect();
    assert_eq!(names, ["Rosa", "Ivo"]);
    let r = v2("POST", "/v2/contacts").json(&json!({"client_id": 999_999_999, "first_name": "X"})).send();
    assert_eq!(r.status, 422, "{}", r.text);

    // Deleting both frees the customer.
    for c in on_v1.data().as_array().unwrap() {
        t.delete(&format!("{path}/{}", c["id"].as_str().unwrap())).expect(200);
    }
    t.delete(&format!("{path}/{}", c["id"].as_str().unwrap())).expect_error(404, "not_found");
    t.delete(&format!("/v1/customers/{cid}")).expect(200);
    // Another tenant sees nothing of it.
    let other = tenant();
    other.get(&path).expect_error(404, "not_found");
}
