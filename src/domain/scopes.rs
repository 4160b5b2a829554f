//! Scopes (SPEC §2): `read:<resource>` / `write:<resource>`, the wildcards `read:*`,
//! `read:all`, `write:*`, `write:all`, presets, and the no-escalation rule.
//!
//! A scope is parsed once, where it enters (a key request, a grant, a stored key record) and
//! is a [`Scope`] value everywhere inside; it is written back with the spelling it came with.

use std::fmt;

use super::named::named;

named! {
    /// What a scope allows: reading (GET/HEAD) or changing (every other method).
    pub enum Action {
        Read = "read",
        Write = "write",
    }
}

named! {
    /// Resources a scope can name: the first path segment after `/v1`.
    pub enum Resource {
        Workers = "workers",
        Jobs = "jobs",
        TimeEntries = "time-entries",
        Attendance = "attendance",
        Customers = "customers",
        Sites = "sites",
        Departments = "departments",
        CostCodes = "cost-codes",
        Shifts = "shifts",
        Tasks = "tasks",
        Positions = "positions",
        Reports = "reports",
        Exports = "exports",
        Expenses = "expenses",
        Invoices = "invoices",
        AuditLog = "audit-log",
        ApiKeys = "api-keys",
        Webhooks = "webhooks",
        Divisions = "divisions",
        Partnerships = "partnerships",
    }
}

named! {
    /// The two spellings of "every resource".
    pub enum Wildcard {
        Star = "*",
        All = "all",
    }
}

named! {
    /// Names that stand for a list of scopes when a key is created.
    pub enum Preset {
        ReadOnly = "read-only",
        ReadWrite = "read-write",
    }
}

/// Resources that govern access itself: vendors may read them but never change them.
pub const GOVERNANCE: &[Resource] =
    &[Resource::ApiKeys, Resource::Divisions, Resource::Partnerships, Resource::Webhooks];

/// What a scope covers: one resource, or all of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Target {
    Every(Wildcard),
    One(Resource),
}

/// One scope: an action on a target (`read:jobs`, `write:*`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Scope {
    pub action: Action,
    pub target: Target,
}

pub const READ_ALL: Scope = Scope { action: Action::Read, target: Target::Every(Wildcard::Star) };
pub const WRITE_ALL: Scope = Scope { action: Action::Write, target: Target::Every(Wildcard::Star) };

impl Action {
    /// The action a request's method needs: `write` for anything but GET/HEAD.
    pub fn of(is_write: bool) -> Action {
        if is_write {
            Action::Write
        } else {
            Action::Read
        }
    }
}

impl Scope {
    /// `action:resource`, as written in keys and grants; `None` if it is not a scope.
    pub fn parse(s: &str) -> Option<Scope> {
        let (action, target) = s.split_once(':')?;
        let target = match Wildcard::parse(target) {
            Some(w) => Target::Every(w),
            None => Target::One(Resource::parse(target)?),
        };
        Some(Scope { action: Action::parse(action)?, target })
    }

    /// Whether this held scope covers a wanted one: a wildcard covers its action's resources
    /// and the other wildcard spelling; a resource scope covers only itself.
    pub fn covers(self, wanted: Scope) -> bool {
        self.action == wanted.action
            && match (self.target, wanted.target) {
                (Target::Every(_), _) => true,
                (Target::One(held), Target::One(wanted)) => held == wanted,
                (Target::One(_), Target::Every(_)) => false,
            }
    }
}

impl fmt::Display for Scope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let target = match self.target {
            Target::Every(w) => w.as_str(),
            Target::One(r) => r.as_str(),
        };
        write!(f, "{}:{target}", self.action)
    }
}

impl serde::Serialize for Scope {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for Scope {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Scope::parse(&text).ok_or_else(|| serde::de::Error::custom(format!("not a scope: {text}")))
    }
}

/// The scope a request needs: `read:` for GET/HEAD, `write:` otherwise, on its resource.
pub fn required(is_write: bool, resource: Resource) -> Scope {
    Scope { action: Action::of(is_write), target: Target::One(resource) }
}

/// Whether the scopes `held` allow `wanted`.
pub fn allows(held: &[Scope], wanted: Scope) -> bool {
    held.iter().any(|h| h.covers(wanted))
}

/// No escalation: every scope in `wanted` must be covered by `held`. Returns the first one
/// that is not.
pub fn first_not_held(held: &[Scope], wanted: &[Scope]) -> Option<Scope> {
    wanted.iter().copied().find(|w| !allows(held, *w))
}

impl Preset {
    /// The scopes the preset stands for.
    pub fn scopes(self) -> Vec<Scope> {
        match self {
            Preset::ReadOnly => vec![READ_ALL],
            Preset::ReadWrite => vec![READ_ALL, WRITE_ALL],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &[&str]) -> Vec<Scope> {
        s.iter().map(|x| Scope::parse(x).unwrap()).collect()
    }

    fn s(x: &str) -> Scope {
        Scope::parse(x).unwrap()
    }

    #[test]
    fn wildcards_cover_their_action_only() {
        assert!(allows(&v(&["read:*"]), s("read:jobs")));
        assert!(allows(&v(&["read:all"]), s("read:audit-log")));
        assert!(!allows(&v(&["read:*"]), s("write:jobs")));
        assert!(allows(&v(&["write:all"]), s("write:time-entries")));
        assert!(!allows(&v(&["write:*"]), s("read:jobs")), "write does not imply read");
        assert!(allows(&v(&["read:jobs"]), s("read:jobs")));
        assert!(!allows(&v(&["read:jobs"]), s("read:workers")));
        // An unknown resource is not a scope, so no key can hold or need one.
        assert_eq!(Scope::parse("read:bogus"), None);
    }

    #[test]
    fn no_escalation() {
        let held = v(&["read:*", "write:jobs"]);
        assert_eq!(first_not_held(&held, &v(&["read:workers", "write:jobs"])), None);
        assert_eq!(first_not_held(&held, &v(&["read:all"])), None);
        assert_eq!(first_not_held(&held, &v(&["write:workers"])), Some(s("write:workers")));
        assert_eq!(first_not_held(&v(&["write:jobs"]), &v(&["write:*"])), Some(s("write:*")));
        assert_eq!(first_not_held(&v(&["read:jobs"]), &v(&["read:all"])), Some(s("read:all")));
    }

    #[test]
    fn validity_and_presets() {
        for valid in ["read:time-entries", "write:*", "read:all"] {
            assert_eq!(Scope::parse(valid).map(|x| x.to_string()).as_deref(), Some(valid), "kept as spelt");
        }
        for invalid in ["admin:*", "read", "read:nope", "read:", ":jobs", "read:jobs:x", "READ:jobs"] {
            assert_eq!(Scope::parse(invalid), None, "{invalid}");
        }
        assert_eq!(Preset::ReadOnly.scopes(), v(&["read:*"]));
        assert_eq!(Preset::ReadWrite.scopes(), v(&["read:*", "write:*"]));
        assert_eq!(Preset::parse("root"), None);
        assert_eq!(required(false, Resource::Jobs).to_string(), "read:jobs");
        assert_eq!(required(true, Resource::ApiKeys).to_string(), "write:api-keys");
    }

    #[test]
    fn scopes_travel_as_their_strings() {
        let held = v(&["read:*", "write:time-entries", "read:all"]);
        let json = serde_json::to_string(&held).unwrap();
        assert_eq!(json, r#"["read:*","write:time-entries","read:all"]"#);
        assert_eq!(serde_json::from_str::<Vec<Scope>>(&json).unwrap(), held);
        assert!(serde_json::from_str::<Vec<Scope>>(r#"["read:nope"]"#).is_err());
    }
}
