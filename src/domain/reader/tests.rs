//! The body reader's rules, kind by kind, natively.

use super::*;
use crate::domain::model::{defaulted, field, required, DefaultValue};
use serde_json::json;

const DEFS: &[FieldDef] = &[
    required("name", Kind::Text(10)),
    field("latitude", Kind::Real(-90.0, 90.0)),
    field("billable", Kind::Bool),
    field("currency", Kind::Currency),
    field("site_id", Kind::Ref("site", "sites")),
    field("starts_at", Kind::Instant),
    field("code", Kind::Code(8)),
];

#[test]
fn reads_every_kind() {
    let c = parse(
        &json!({"name": "A", "latitude": 41.5, "billable": true, "currency": "EUR",
                "site_id": "site_0193c2aa000070008000000000000001", "starts_at": "2026-05-30T16:00:00+02:00", "code": "X-1"}),
        DEFS,
        &[],
        true,
    )
    .unwrap();
    assert_eq!(c.get("latitude"), Some(&Arg::Real(41.5)));
    assert_eq!(c.get("billable"), Some(&Arg::Int(1)));
    assert_eq!(c.get("starts_at"), Some(&Arg::Text("2026-05-30T14:00:00Z".into())));
    assert_eq!(c.refs, vec![("site_id", "sites", "site_0193c2aa000070008000000000000001".to_string())]);
}

#[test]
fn reports_each_bad_field() {
    let e = parse(
        &json!({"latitude": 91, "billable": "yes", "currency": "XXX", "site_id": "job_1", "starts_at": "soon", "code": "a b"}),
        DEFS,
        &[],
        true,
    )
    .unwrap_err();
    let fields: Vec<_> = e.details.iter().map(|d| d.field.as_str()).collect();
    assert_eq!(fields, vec!["name", "latitude", "billable", "currency", "site_id", "starts_at", "code"]);
}

#[test]
fn update_keeps_absent_and_clears_null() {
    let c = parse(&json!({"latitude": null}), DEFS, &[], false).unwrap();
    assert_eq!(c.values, vec![("latitude", Arg::Null)]);
    assert!(parse(&json!({"name": null}), DEFS, &[], false).is_err());
    assert!(parse(&json!({"budget": 1}), DEFS, &["budget"], false).is_ok());
}

const POINT: Shape = Shape::new(
    &[required("latitude", Kind::Real(-90.0, 90.0)), required("longitude", Kind::Real(-180.0, 180.0))],
    &[],
    "Point",
    "",
);
const NESTED: &[FieldDef] = &[
    field("at", Kind::Object(&POINT)),
    field("stops", Kind::List(&POINT, 2)),
    defaulted("tier", Kind::OneOf(&["standard", "enterprise"]), DefaultValue::Text("standard")),
    field("limit", Kind::Int(1, 9)),
];
const RULES: &[Rule] = &[Rule::OnlyWhen("limit", "tier", "enterprise")];

#[test]
fn nested_objects_lists_defaults_and_rules() {
    let c =
        parse_with(&json!({"at": {"latitude": 1, "longitude": 2}, "stops": null}), NESTED, RULES, &[], true).unwrap();
    assert!(matches!(c.nested("at"), Some(Nested::Object(p)) if p.real("longitude") == Some(2.0)));
    assert_eq!(c.nested("stops"), Some(&Nested::Null));
    assert_eq!(c.text("tier"), Some("standard"));
    let e = parse_with(
        &json!({"at": {"latitude": 100, "x": 1}, "stops": [{"latitude": 1, "longitude": 1}, 5], "limit": 3}),
        NESTED,
        RULES,
        &[],
        true,
    )
    .unwrap_err();
    let fields: Vec<_> = e.details.iter().map(|d| d.field.as_str()).collect();
    assert_eq!(fields, vec!["at.x", "at.latitude", "at.longitude", "stops[1]", "limit"]);
    assert!(parse_with(&json!({"limit": 3, "tier": "enterprise"}), NESTED, RULES, &[], true).is_ok());
    assert!(parse_with(&json!({"tier": null}), NESTED, RULES, &[], false).is_err());
}

#[test]
fn a_checked_object_is_bounded_by_its_reader_not_by_a_size() {
    const OBJECTS: &[FieldDef] = &[field("free", Kind::Json(100)), field("checked", Kind::Checked("Shape"))];
    let big: Vec<String> = (0..300).map(|i| format!("site_{i:032x}")).collect();
    let c = parse(&json!({ "checked": { "site_ids": big } }), OBJECTS, &[], true).unwrap();
    assert!(c.text("checked").is_some_and(|t| t.len() > 10_000));
    let code = |v: Value| parse(&v, OBJECTS, &[], true).unwrap_err().details[0].code;
    assert_eq!(code(json!({ "free": { "site_ids": big } })), FieldCode::TooLong);
    assert_eq!(code(json!({ "checked": [] })), FieldCode::WrongType);
}

#[test]
fn names_are_a_non_empty_list_of_known_values() {
    const NAMES: &[FieldDef] =
        &[required("events", Kind::Names { values: &["*", "a", "b", "c"], max: 4, alone: Some("*") })];
    let c = parse(&json!({"events": ["b", "a", "b"]}), NAMES, &[], true).unwrap();
    assert_eq!(c.text("events"), Some(r#"["b","a"]"#));
    // The value that stands alone may be repeated, but not listed with another.
    let c = parse(&json!({"events": ["*", "*"]}), NAMES, &[], true).unwrap();
    assert_eq!(c.text("events"), Some(r#"["*"]"#));
    let code = |v: Value| parse(&v, NAMES, &[], true).unwrap_err().details[0].code;
    assert_eq!(code(json!({"events": ["*", "a"]})), FieldCode::NotAllowed);
    assert_eq!(code(json!({"events": ["a", "*", "a"]})), FieldCode::NotAllowed);
    assert_eq!(code(json!({"events": []})), FieldCode::OutOfRange);
    // The count is judged as sent (the documented `maxItems`), before duplicates are dropped.
    assert_eq!(code(json!({"events": ["a", "b", "c", "a", "b"]})), FieldCode::OutOfRange);
    assert_eq!(code(json!({"events": ["d"]})), FieldCode::Invalid);
    assert_eq!(code(json!({"events": [1]})), FieldCode::Invalid);
    assert_eq!(code(json!({"events": "a"})), FieldCode::WrongType);
    assert_eq!(code(json!({})), FieldCode::Required);
}

#[test]
fn int_lists_are_integer_ids() {
    const INTS: &[FieldDef] = &[required("project_ids", Kind::IntList(3))];
    let c = parse(&json!({"project_ids": [7, 3, 7]}), INTS, &[], true).unwrap();
    assert_eq!(c.text("project_ids"), Some("[7,3]"));
    let c = parse(&json!({"project_ids": [7.0, 3]}), INTS, &[], true).unwrap();
    assert_eq!(c.text("project_ids"), Some("[7,3]"), "a zero fraction is an integer (JSON Schema)");
    let code = |v: Value| parse(&v, INTS, &[], true).unwrap_err().details[0].code;
    assert_eq!(code(json!({"project_ids": []})), FieldCode::OutOfRange);
    assert_eq!(code(json!({"project_ids": [1, 2, 3, 4]})), FieldCode::OutOfRange);
    for bad in [json!([0]), json!([-1]), json!([1.5]), json!(["7"]), json!([9_007_199_254_740_992_i64])] {
        assert_eq!(code(json!({ "project_ids": bad })), FieldCode::Invalid, "{bad}");
    }
    assert_eq!(code(json!({"project_ids": 7})), FieldCode::WrongType);
}
