//! What an endpoint subscribes to and the values its other fields take (SPEC §7): `events` is
//! a non-empty list of event names or `["*"]` alone. `ping` is not subscribable: it is sent
//! only by the endpoint's `test` route, whatever the endpoint subscribes to, so listing it
//! would promise deliveries that never come from anything else (a 422 says so).

use serde_json::Value;

use crate::domain::events::Event;
use crate::i18n::FieldCode;

/// Delivery body formats.
pub const FORMATS: &[&str] = &["json", "slack"];
/// Endpoint statuses.
pub const STATUSES: &[&str] = &["enabled", "disabled"];
/// Longest Slack template.
pub const MAX_TEMPLATE: usize = 1000;
/// Longest description.
pub const MAX_DESCRIPTION: usize = 1000;
/// Why a tenant's `status: disabled` disabled the endpoint.
pub const DISABLED_BY_TENANT: &str = "disabled by the tenant";
/// Longest overlap of a rotated secret, in seconds.
pub const MAX_EXPIRE_PREVIOUS: i64 = 86_400;

/// The subscribable event names, for the document and for checks.
pub fn subscribable() -> impl Iterator<Item = &'static str> {
    Event::ALL.iter().filter(|e| **e != Event::Ping).map(|e| e.as_str())
}

/// Reads `events`: the names in order, duplicates dropped.
pub fn read_events(value: &Value) -> Result<Vec<String>, FieldCode> {
    let Value::Array(items) = value else { return Err(FieldCode::WrongType) };
    if items.is_empty() {
        return Err(FieldCode::Required);
    }
    let mut out: Vec<String> = Vec::with_capacity(items.len());
    for item in items {
        let Some(name) = item.as_str() else { return Err(FieldCode::WrongType) };
        let known = name == "*" || subscribable().any(|n| n == name);
        if !known {
            return Err(if name == Event::Ping.as_str() { FieldCode::NotAllowed } else { FieldCode::Invalid });
        }
        if !out.iter().any(|x| x == name) {
            out.push(name.to_string());
        }
    }
    if out.len() > 1 && out.iter().any(|n| n == "*") {
        return Err(FieldCode::NotAllowed);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn events_are_names_or_star_alone() {
        assert_eq!(read_events(&json!(["*"])), Ok(vec!["*".to_string()]));
        assert_eq!(
            read_events(&json!(["job.created", "worker.created", "job.created"])),
            Ok(vec!["job.created".to_string(), "worker.created".to_string()])
        );
        assert_eq!(read_events(&json!([])), Err(FieldCode::Required));
        assert_eq!(read_events(&json!("*")), Err(FieldCode::WrongType));
        assert_eq!(read_events(&json!([1])), Err(FieldCode::WrongType));
        assert_eq!(read_events(&json!(["job.deleted"])), Err(FieldCode::Invalid));
        assert_eq!(read_events(&json!(["*", "job.created"])), Err(FieldCode::NotAllowed));
        assert_eq!(read_events(&json!(["ping"])), Err(FieldCode::NotAllowed));
        assert_eq!(subscribable().count(), Event::ALL.len() - 1);
    }
}
