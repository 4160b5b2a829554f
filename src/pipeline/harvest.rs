//! The Harvest-compatible `/v2` at the pipeline's edge (SPEC §9): the same request path as
//! `/v1` — key, gate, scopes, idempotency, audit — with Harvest's wire around it. Paths are
//! also served under `/api/v2` and with a trailing slash; a repeated query parameter takes its
//! last value; the account header names the tenant (by `ten_…` id or integer account id);
//! success bodies are bare (no envelope) and errors are `{"message", "code"}` with Harvest's
//! statuses (a `400` or a `409` of `/v1` is a `422` here).

use std::borrow::Cow;

use crate::error::{ApiError, ErrorCode};
use crate::i18n::{render, Lang};

/// Whether a route pattern is one of `/v2`'s.
pub fn is_harvest(pattern: &str) -> bool {
    pattern.starts_with("/v2/")
}

/// The path as the route table knows it: `/api/v2/…` is `/v2/…`, and a trailing slash on a
/// `/v2` path is dropped.
pub fn normalize_path(path: &str) -> Cow<'_, str> {
    let path = path.strip_prefix("/api").filter(|p| p.starts_with("/v2/")).unwrap_or(path);
    if path.starts_with("/v2/") && path.len() > 4 && path.ends_with('/') {
        return Cow::Owned(path.trim_end_matches('/').to_string());
    }
    Cow::Borrowed(path)
}

/// The scope resource a `/v2` path needs (SPEC §9): `users` → `workers`, `clients` and
/// `contacts` → `customers`, `projects` → `jobs`, `time_entries` → `time-entries`, and so on;
/// `company` and `users/me` need only a valid key (`me`).
pub fn scope_resource(pattern: &str) -> &'static str {
    let rest = pattern.trim_start_matches("/v2/");
    if rest == "users/me" {
        return "me";
    }
    match rest.split('/').next().unwrap_or("") {
        "company" => "me",
        "users" => "workers",
        "clients" | "contacts" => "customers",
        "projects" => "jobs",
        "tasks" => "tasks",
        "time_entries" => "time-entries",
        "expenses" | "expense_categories" => "expenses",
        "invoices" => "invoices",
        "reports" => "reports",
        _ => "",
    }
}

/// The query's pairs with only the last value of each name (Harvest's clients repeat
/// parameters; the last one counts).
pub fn last_wins(pairs: Vec<(String, String)>) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::with_capacity(pairs.len());
    for (k, v) in pairs {
        out.retain(|(name, _)| *name != k);
        out.push((k, v));
    }
    out
}

/// The headers that may name the account, in the order they are read.
pub const ACCOUNT_HEADERS: &[&str] = &["Harvest-Account-Id", "Keito-Account-Id", "Edgeclock-Tenant-Id"];

/// The status Harvest gives for an error of `/v1`'s kind.
pub fn status(code: ErrorCode) -> u16 {
    match code {
        ErrorCode::BadRequest | ErrorCode::Conflict => 422,
        other => other.status(),
    }
}

/// `{"message": "…", "code": "<§1 code>"}` in `lang`; a validation error names its fields in
/// the message, since Harvest's body has no `details`.
pub fn error_body(err: &ApiError, lang: Lang) -> String {
    let mut message = render(&err.msg, err.code, lang);
    if !err.details.is_empty() {
        let fields: Vec<String> = err.details.iter().map(|d| format!("{} ({})", d.field, d.code.as_str())).collect();
        message = format!("{message} {}", fields.join(", "));
    }
    serde_json::json!({"message": message, "code": err.code.as_str()}).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths() {
        assert_eq!(normalize_path("/api/v2/users/me"), "/v2/users/me");
        assert_eq!(normalize_path("/v2/time_entries/"), "/v2/time_entries");
        assert_eq!(normalize_path("/api/v2/clients/"), "/v2/clients");
        assert_eq!(normalize_path("/v1/workers/"), "/v1/workers/");
        assert_eq!(normalize_path("/api/v1/workers"), "/api/v1/workers");
        assert_eq!(normalize_path("/v2/"), "/v2/");
    }

    #[test]
    fn scopes() {
        assert_eq!(scope_resource("/v2/users/me"), "me");
        assert_eq!(scope_resource("/v2/users/{user_id}"), "workers");
        assert_eq!(scope_resource("/v2/time_entries/{time_entry_id}/stop"), "time-entries");
        assert_eq!(scope_resource("/v2/reports/time/team"), "reports");
        assert_eq!(scope_resource("/v2/contacts"), "customers");
    }

    #[test]
    fn the_last_value_counts() {
        let pairs = vec![("page".to_string(), "1".to_string()), ("x".into(), "a".into()), ("page".into(), "3".into())];
        assert_eq!(last_wins(pairs), vec![("x".to_string(), "a".to_string()), ("page".into(), "3".into())]);
    }

    #[test]
    fn errors() {
        let e = ApiError::validation(vec![crate::error::FieldError::new("hours", crate::i18n::FieldCode::Invalid)]);
        let body: serde_json::Value = serde_json::from_str(&error_body(&e, Lang::En)).unwrap();
        assert_eq!(body["code"], "validation_failed");
        assert!(body["message"].as_str().unwrap().contains("hours (invalid)"));
        assert_eq!(status(ErrorCode::Conflict), 422);
        assert_eq!(status(ErrorCode::NotFound), 404);
    }
}
