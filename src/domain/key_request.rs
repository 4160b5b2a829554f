//! The body that asks for a new API key (SPEC §2, §6 api-keys): a label, scopes as a preset
//! or an explicit list, an optional expiry in the future, and optional limits that may only
//! be lower than the owner's.

use serde_json::Value;

use super::model::{defaulted, field, required, Columns, DefaultValue, FieldDef, Kind, Nested};
use super::scopes::Scope;
use super::tenants::{limits_over, Limits, LIMITS};
use super::{reader, time};
use crate::error::ApiResult;
use crate::i18n::FieldCode;

/// The scopes a body gives: `"read-only"`, `"read-write"` or an explicit list.
pub const SCOPES: FieldDef = required("scopes", Kind::Scopes);

/// What a body that asks for a new key may say.
pub const FIELDS: &[FieldDef] = &[
    defaulted("label", Kind::Text(100), DefaultValue::Text("API key")).doc("A name to recognise the key by."),
    SCOPES.doc("A preset or an explicit list; only scopes the calling key holds (else `403`)."),
    field("expires_at", Kind::Instant)
        .doc("When the key stops working; in the future (`out_of_range` otherwise). Absent or `null`: never."),
    field("limits", Kind::Object(&LIMITS))
        .doc("Lower limits for this key: each window at most the owner's (`out_of_range` as `limits.<window>`)."),
];

#[derive(Debug, Clone, PartialEq)]
pub struct KeyRequest {
    pub label: String,
    pub scopes: Vec<Scope>,
    pub expires_at_ms: Option<i64>,
    pub limits: Limits,
}

/// The scopes `field` gave, once validated.
pub fn scopes_of(cols: &Columns, field: &str) -> Option<Vec<Scope>> {
    match cols.nested(field) {
        Some(Nested::Scopes(list)) => Some(list.clone()),
        _ => None,
    }
}

/// Validates a key request against the owner's limits at `now_ms`.
pub fn parse(body: &Value, owner_limits: Limits, now_ms: i64) -> ApiResult<KeyRequest> {
    let (cols, mut f) = reader::read_body(body, FIELDS, &[], &[], true);
    // The instant as sent, to the millisecond (the column form keeps whole seconds).
    let expires_at_ms = cols
        .is_set("expires_at")
        .then(|| body["expires_at"].as_str())
        .flatten()
        .and_then(|s| time::parse_instant(s.trim(), false));
    if expires_at_ms.is_some_and(|t| t <= now_ms) {
        f.fail("expires_at", FieldCode::OutOfRange);
    }
    let limits = limits_over(&cols, "limits", owner_limits);
    for (name, mine, owner) in [
        ("per_second", limits.per_second, owner_limits.per_second),
        ("per_minute", limits.per_minute, owner_limits.per_minute),
        ("per_day", limits.per_day, owner_limits.per_day),
    ] {
        if mine > owner {
            f.fail(&format!("limits.{name}"), FieldCode::OutOfRange);
        }
    }
    f.finish()?;
    Ok(KeyRequest {
        label: cols.text("label").unwrap_or("API key").to_string(),
        scopes: scopes_of(&cols, "scopes").unwrap_or_default(),
        expires_at_ms,
        limits,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const OWNER: Limits = Limits { per_second: 10, per_minute: 600, per_day: 200_000 };
    const NOW: i64 = 1_800_000_000_000;

    fn spelt(scopes: &[Scope]) -> Vec<String> {
        scopes.iter().map(Scope::to_string).collect()
    }

    #[test]
    fn presets_and_lists() {
        let k = parse(&json!({"label": "ci", "scopes": "read-only"}), OWNER, NOW).unwrap();
        assert_eq!(spelt(&k.scopes), vec!["read:*"]);
        assert_eq!(k.limits, OWNER);
        let k = parse(&json!({"scopes": ["read:jobs", "write:time-entries", "read:jobs"]}), OWNER, NOW).unwrap();
        assert_eq!(k.label, "API key");
        assert_eq!(spelt(&k.scopes), vec!["read:jobs", "write:time-entries"]);
    }

    #[test]
    fn rejects_bad_scopes_expiry_and_higher_limits() {
        for body in [
            json!({}),
            json!({"scopes": "admin"}),
            json!({"scopes": []}),
            json!({"scopes": ["read:nope"]}),
            json!({"scopes": [1]}),
            json!({"scopes": "read-only", "expires_at": "2020-01-01T00:00:00Z"}),
            json!({"scopes": "read-only", "expires_at": "tomorrow"}),
            json!({"scopes": "read-only", "limits": {"per_second": 11}}),
        ] {
            assert!(parse(&body, OWNER, NOW).is_err(), "{body}");
        }
    }

    #[test]
    fn lower_limits_and_future_expiry_are_kept() {
        let k = parse(
            &json!({"scopes": "read-write", "limits": {"per_minute": 60}, "expires_at": "2030-01-01T00:00:00Z"}),
            OWNER,
            NOW,
        )
        .unwrap();
        assert_eq!(k.limits, Limits { per_minute: 60, ..OWNER });
        assert!(k.expires_at_ms.is_some());
    }
}
