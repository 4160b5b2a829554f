//! Scopes (SPEC §2): `read:<resource>` / `write:<resource>`, the wildcards `read:*`,
//! `read:all`, `write:*`, `write:all`, presets, and the no-escalation rule.

/// Resources a scope can name (the first path segment after `/v1`).
pub const RESOURCES: &[&str] = &[
    "workers",
    "jobs",
    "time-entries",
    "attendance",
    "customers",
    "sites",
    "departments",
    "cost-codes",
    "shifts",
    "tasks",
    "positions",
    "reports",
    "exports",
    "audit-log",
    "api-keys",
    "webhooks",
    "divisions",
    "partnerships",
];

/// Resources that govern access itself: vendors may read them but never change them.
pub const GOVERNANCE: &[&str] = &["api-keys", "divisions", "partnerships", "webhooks"];

pub const READ_ONLY: &[&str] = &["read:*"];
pub const READ_WRITE: &[&str] = &["read:*", "write:*"];

/// The scope a request needs: `read:` for GET/HEAD, `write:` otherwise.
pub fn required(is_write: bool, resource: &str) -> String {
    format!("{}:{resource}", if is_write { "write" } else { "read" })
}

fn split(scope: &str) -> Option<(&str, &str)> {
    let (action, resource) = scope.split_once(':')?;
    let action_ok = action == "read" || action == "write";
    let resource_ok = resource == "*" || resource == "all" || RESOURCES.contains(&resource);
    (action_ok && resource_ok).then_some((action, resource))
}

/// Whether `scope` is well formed.
pub fn is_valid(scope: &str) -> bool {
    split(scope).is_some()
}

fn is_wild(resource: &str) -> bool {
    resource == "*" || resource == "all"
}

/// Whether one held scope covers a wanted one (a wildcard covers its action's resources
/// and the other wildcard spelling; a resource scope covers only itself).
fn covers(held: &str, wanted: &str) -> bool {
    match (split(held), split(wanted)) {
        (Some((ha, hr)), Some((wa, wr))) => ha == wa && (is_wild(hr) || (hr == wr && !is_wild(wr))),
        _ => false,
    }
}

/// Whether the scopes `held` allow `wanted`.
pub fn allows(held: &[String], wanted: &str) -> bool {
    held.iter().any(|h| covers(h, wanted))
}

/// No escalation: every scope in `wanted` must be covered by `held`. Returns the first one
/// that is not.
pub fn first_not_held<'a>(held: &[String], wanted: &'a [String]) -> Option<&'a str> {
    wanted.iter().find(|w| !allows(held, w)).map(String::as_str)
}

/// Expands a preset name, or `None` if `name` is not one.
pub fn preset(name: &str) -> Option<Vec<String>> {
    let list = match name {
        "read-only" => READ_ONLY,
        "read-write" => READ_WRITE,
        _ => return None,
    };
    Some(list.iter().map(|s| s.to_string()).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &[&str]) -> Vec<String> {
        s.iter().map(|x| x.to_string()).collect()
    }

    #[test]
    fn wildcards_cover_their_action_only() {
        assert!(allows(&v(&["read:*"]), "read:jobs"));
        assert!(allows(&v(&["read:all"]), "read:audit-log"));
        assert!(!allows(&v(&["read:*"]), "write:jobs"));
        assert!(allows(&v(&["write:all"]), "write:time-entries"));
        assert!(!allows(&v(&["write:*"]), "read:jobs"), "write does not imply read");
        assert!(allows(&v(&["read:jobs"]), "read:jobs"));
        assert!(!allows(&v(&["read:jobs"]), "read:workers"));
        assert!(!allows(&v(&["read:bogus"]), "read:bogus"));
    }

    #[test]
    fn no_escalation() {
        let held = v(&["read:*", "write:jobs"]);
        assert_eq!(first_not_held(&held, &v(&["read:workers", "write:jobs"])), None);
        assert_eq!(first_not_held(&held, &v(&["read:all"])), None);
        assert_eq!(first_not_held(&held, &v(&["write:workers"])), Some("write:workers"));
        assert_eq!(first_not_held(&v(&["write:jobs"]), &v(&["write:*"])), Some("write:*"));
        assert_eq!(first_not_held(&v(&["read:jobs"]), &v(&["read:all"])), Some("read:all"));
    }

    #[test]
    fn validity_and_presets() {
        assert!(is_valid("read:time-entries") && is_valid("write:*") && is_valid("read:all"));
        assert!(!is_valid("admin:*") && !is_valid("read") && !is_valid("read:nope"));
        assert_eq!(preset("read-only").unwrap(), v(&["read:*"]));
        assert_eq!(preset("read-write").unwrap(), v(&["read:*", "write:*"]));
        assert_eq!(preset("root"), None);
        assert_eq!(required(false, "jobs"), "read:jobs");
        assert_eq!(required(true, "api-keys"), "write:api-keys");
    }
}
