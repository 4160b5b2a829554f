//! The body that asks for a new API key (SPEC §2, §6 api-keys): a label, scopes as a preset
//! or an explicit list, an optional expiry in the future, and optional limits that may only
//! be lower than the owner's.

use serde_json::Value;

use super::fields::Fields;
use super::scopes::{Preset, Scope};
use super::tenants::{read_limits, Limits};
use super::time;
use crate::error::ApiResult;
use crate::i18n::FieldCode;

#[derive(Debug, Clone, PartialEq)]
pub struct KeyRequest {
    pub label: String,
    pub scopes: Vec<Scope>,
    pub expires_at_ms: Option<i64>,
    pub limits: Limits,
}

/// Reads `scopes`: `"read-only"`, `"read-write"` or a non-empty list of valid scopes.
pub fn read_scopes(f: &mut Fields, body: &Value, field: &str) -> Option<Vec<Scope>> {
    match body.get(field) {
        None | Some(Value::Null) => {
            f.fail(field, FieldCode::Required);
            None
        }
        Some(Value::String(p)) => {
            let expanded = Preset::parse(p).map(Preset::scopes);
            if expanded.is_none() {
                f.fail(field, FieldCode::NotAllowed);
            }
            expanded
        }
        Some(Value::Array(items)) => {
            let list: Vec<Scope> = items.iter().filter_map(|v| v.as_str().and_then(Scope::parse)).collect();
            if list.is_empty() || list.len() != items.len() || list.len() > 64 {
                f.fail(field, FieldCode::Invalid);
                return None;
            }
            let mut unique: Vec<Scope> = Vec::with_capacity(list.len());
            for s in list {
                if !unique.contains(&s) {
                    unique.push(s);
                }
            }
            Some(unique)
        }
        Some(_) => {
            f.fail(field, FieldCode::WrongType);
            None
        }
    }
}

/// Validates a key request against the owner's limits at `now_ms`.
pub fn parse(body: &Value, owner_limits: Limits, now_ms: i64) -> ApiResult<KeyRequest> {
    let mut f = Fields::new(body, &["label", "scopes", "expires_at", "limits"]);
    let label = f.text("label", 100).into_option().unwrap_or_else(|| "API key".to_string());
    let scopes = if body.is_object() { read_scopes(&mut f, body, "scopes") } else { None };
    let expires_at_ms = match f.text("expires_at", 40).into_option() {
        Some(s) => match time::parse_instant(&s, false) {
            Some(t) if t > now_ms => Some(t),
            Some(_) => {
                f.fail("expires_at", FieldCode::OutOfRange);
                None
            }
            None => {
                f.fail("expires_at", FieldCode::Invalid);
                None
            }
        },
        None => None,
    };
    let limits = read_limits(&mut f, "limits", owner_limits).unwrap_or(owner_limits);
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
    Ok(KeyRequest { label, scopes: scopes.unwrap_or_default(), expires_at_ms, limits })
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
