//! The `/v2` invoice body and the `/v1` body it becomes, natively.

use serde_json::json;

use super::*;

fn fields(e: ApiError) -> Vec<(String, &'static str)> {
    e.details.iter().map(|d| (d.field.clone(), d.code.as_str())).collect()
}

#[test]
fn lines_become_v1_lines_in_minor_units() {
    let body = json!({"client_id": 4, "subject": "March", "number": "H-1", "line_items": [
        {"kind": "Service", "description": "Design", "quantity": 2.5, "unit_price": 80.125, "project_id": 9},
        {"kind": "Product", "unit_price": 12, "taxed": false}]});
    let req = parse(&body).unwrap();
    assert_eq!((req.client, req.projects()), (4, vec![9]));
    let v1 = v1_body(&req, "cus_1", "EUR", &[(9, "job_9".into())]).unwrap();
    assert_eq!(
        v1,
        json!({"customer_id": "cus_1", "subject": "March", "number": "H-1", "line_items": [
            {"kind": "service", "description": "Design", "quantity": 2.5, "unit_price": 8012, "job_id": "job_9"},
            {"kind": "product", "description": "Product", "quantity": 1.0, "unit_price": 1200, "job_id": null}]})
    );
    let yen = v1_body(&req, "cus_1", "JPY", &[]).unwrap();
    assert_eq!(yen["line_items"][1]["unit_price"], 12);
    // No lines and no import: an empty draft.
    assert_eq!(parse(&json!({"client_id": 4})).unwrap().billing, Billing::Lines(vec![]));
}

#[test]
fn bad_lines_and_bodies_are_named() {
    let e = parse(&json!({"line_items": [{"kind": "Expense", "unit_price": 1}]})).unwrap_err();
    assert_eq!(fields(e), [("client_id".to_string(), "required"), ("line_items[0].kind".to_string(), "not_allowed")]);
    let taxed = json!({"client_id": 1, "line_items": [{"kind": "Service", "unit_price": 1}, {"kind": "Service", "unit_price": 1, "taxed2": true}]});
    assert_eq!(fields(parse(&taxed).unwrap_err()), [("line_items[1].taxed2".to_string(), "not_allowed")]);
    let both = json!({"client_id": 1, "line_items": [], "line_items_import": {"project_ids": [1], "time": {"from": "2026-03-01", "to": "2026-03-31"}}});
    assert_eq!(fields(parse(&both).unwrap_err()), [("line_items_import".to_string(), "not_allowed")]);
}

#[test]
fn an_import_is_one_range_of_some_projects() {
    let range = json!({"summary_type": "people", "from": "2026-03-01", "to": "2026-03-31"});
    let body =
        json!({"client_id": 4, "line_items_import": {"project_ids": [9, 3, 9], "time": range, "expenses": range}});
    let req = parse(&body).unwrap();
    let expect = ImportIn {
        projects: vec![9, 3],
        from: "2026-03-01".into(),
        to: "2026-03-31".into(),
        time: true,
        expenses: true,
    };
    assert_eq!(req.billing, Billing::Import(expect));
    let v1 = v1_body(&req, "cus_1", "USD", &[(9, "job_9".into()), (3, "job_3".into())]).unwrap();
    assert_eq!(
        v1,
        json!({"customer_id": "cus_1", "from": "2026-03-01", "to": "2026-03-31",
               "include": {"time": true, "expenses": true}, "job_ids": ["job_9", "job_3"]})
    );
    let only_expenses = json!({"client_id": 4, "line_items_import": {"project_ids": [9], "expenses": {"summary_type": "category", "from": "2026-03-01", "to": "2026-03-02"}}});
    let req = parse(&only_expenses).unwrap();
    assert!(matches!(&req.billing, Billing::Import(i) if !i.time && i.expenses));
    // `/v1`'s names of a failed create, as this body names them.
    let v1_error = ApiError::validation(vec![
        crate::error::FieldError::new("to", FieldCode::OutOfRange),
        crate::error::FieldError::new("job_ids", FieldCode::NotFound),
        crate::error::FieldError::new("customer_id", FieldCode::NotFound),
    ]);
    assert_eq!(
        fields(harvest_names(v1_error, &req)),
        [
            ("line_items_import.expenses.to".to_string(), "out_of_range"),
            ("line_items_import.project_ids".to_string(), "not_found"),
            ("client_id".to_string(), "not_found")
        ]
    );
}

#[test]
fn an_import_needs_projects_a_part_and_one_range() {
    let e = |imp: serde_json::Value| fields(parse(&json!({"client_id": 1, "line_items_import": imp})).unwrap_err());
    assert_eq!(
        e(json!({"time": {"from": "2026-03-01", "to": "2026-03-02"}})),
        [("line_items_import.project_ids".to_string(), "required")]
    );
    assert_eq!(e(json!({"project_ids": [1]})), [("line_items_import.time".to_string(), "required")]);
    assert_eq!(
        e(json!({"project_ids": [1], "time": {"from": "2026-03-01"}})),
        [("line_items_import.time.to".to_string(), "required"), ("line_items_import.time".to_string(), "required")]
    );
    assert_eq!(
        e(
            json!({"project_ids": [1], "time": {"from": "2026-03-01", "to": "2026-03-02"}, "expenses": {"from": "2026-03-01", "to": "2026-03-09"}})
        ),
        [("line_items_import.expenses.to".to_string(), "invalid")]
    );
    assert_eq!(
        e(json!({"project_ids": [1], "time": {"summary_type": "category", "from": "2026-03-01", "to": "2026-03-02"}})),
        [
            ("line_items_import.time.summary_type".to_string(), "not_allowed"),
            ("line_items_import.time".to_string(), "required")
        ]
    );
}
