//! Closed sets of values that travel as strings — statuses, event names, scopes' resources,
//! tiers (SPEC §2, §3, §6, §7) — declared once as enums with the one spelling each value has
//! on the wire, in the database and in SQL. A value is parsed at the edge (body validation,
//! list filters, stored rows) and is an enum everywhere inside, so a misspelt status is a
//! compile error rather than a silent mismatch.
//!
//! [`named!`] declares such an enum with `as_str()`, `parse()`, the list of all values and
//! their names (for validators and filters), `Display`, serde as the plain string, and its
//! binding as a SQL argument.

use crate::domain::listing::Arg;

/// What every [`named!`] enum offers, for code generic over them (such as body validation).
pub trait Named: Sized + Copy + Eq + 'static {
    /// Every value, in declaration order.
    const ALL: &'static [Self];
    /// Every value's spelling, in the same order.
    const NAMES: &'static [&'static str];
    fn as_str(self) -> &'static str;
    fn parse(s: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|v| v.as_str() == s)
    }
}

/// Declares an enum whose values are spelt as given: `named! { pub enum Tier { Standard = "standard", … } }`.
macro_rules! named {
    ($(#[$meta:meta])* $vis:vis enum $name:ident { $($(#[$vmeta:meta])* $variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        $vis enum $name {
            $($(#[$vmeta])* $variant),+
        }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            /// Every value's spelling, in declaration order.
            pub const NAMES: &'static [&'static str] = &[$($text),+];

            /// The value's one spelling (on the wire, in the database, in SQL).
            pub const fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text),+
                }
            }

            /// The value spelt `s`, if it is one.
            pub fn parse(s: &str) -> Option<Self> {
                match s {
                    $($text => Some($name::$variant),)+
                    _ => None,
                }
            }
        }

        impl $crate::domain::named::Named for $name {
            const ALL: &'static [Self] = $name::ALL;
            const NAMES: &'static [&'static str] = $name::NAMES;
            fn as_str(self) -> &'static str {
                $name::as_str(self)
            }
            fn parse(s: &str) -> Option<Self> {
                $name::parse(s)
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                $crate::domain::named::deserialize(deserializer)
            }
        }

        impl From<$name> for $crate::domain::listing::Arg {
            fn from(v: $name) -> Self {
                $crate::domain::listing::Arg::Text(v.as_str().to_string())
            }
        }
    };
}

pub(crate) use named;

/// Reads a [`Named`] value from its spelling; any other string is an error naming the
/// accepted ones.
pub fn deserialize<'de, T: Named, D: serde::Deserializer<'de>>(deserializer: D) -> Result<T, D::Error> {
    struct Spelling<T>(std::marker::PhantomData<T>);
    impl<T: Named> serde::de::Visitor<'_> for Spelling<T> {
        type Value = T;
        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            write!(f, "one of {}", T::NAMES.join(", "))
        }
        fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<T, E> {
            T::parse(s).ok_or_else(|| E::unknown_variant(s, T::NAMES))
        }
    }
    deserializer.deserialize_str(Spelling(std::marker::PhantomData))
}

/// The values as SQL arguments, for `IN (…)` lists bound as parameters.
pub fn args<T: Named>(values: &[T]) -> Vec<Arg> {
    values.iter().map(|v| Arg::Text(v.as_str().to_string())).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::attendance::{MarkKind, Presence};
    use crate::domain::events::Event;
    use crate::domain::jobs::JobStatus;
    use crate::domain::scopes::{Action, Preset, Resource, Wildcard};
    use crate::domain::tenants::{Tier, WeekStart};
    use crate::domain::time_entries::{EntrySource, EntryStatus};
    use crate::domain::workers::WorkerStatus;

    /// Every value of `T` has one spelling, reads back from it (as text and as JSON), binds as
    /// that text, and nothing else reads as a value.
    fn check<T>()
    where
        T: Named + std::fmt::Debug + std::fmt::Display + serde::Serialize + serde::de::DeserializeOwned + Into<Arg>,
    {
        assert_eq!(T::ALL.len(), T::NAMES.len());
        for (i, (value, name)) in T::ALL.iter().zip(T::NAMES).enumerate() {
            assert_eq!(value.as_str(), *name);
            assert!(!T::NAMES[..i].contains(name), "{name} is spelt twice");
            assert_eq!(T::parse(name), Some(*value));
            assert_eq!(value.to_string(), *name);
            let json = serde_json::to_string(value).unwrap();
            assert_eq!(json, format!("\"{name}\""));
            assert_eq!(serde_json::from_str::<T>(&json).unwrap(), *value);
            assert_eq!((*value).into(), Arg::Text(name.to_string()));
            if name.to_uppercase() != *name {
                assert_eq!(T::parse(&name.to_uppercase()), None, "spellings are exact");
            }
        }
        assert_eq!(T::parse(""), None);
        let err = serde_json::from_str::<T>("\"nope\"").unwrap_err().to_string();
        assert!(err.contains(T::NAMES[0]), "the error names what is accepted: {err}");
        assert!(serde_json::from_str::<T>("1").is_err());
    }

    #[test]
    fn every_named_set_round_trips() {
        check::<Event>();
        check::<WorkerStatus>();
        check::<JobStatus>();
        check::<EntryStatus>();
        check::<EntrySource>();
        check::<Tier>();
        check::<WeekStart>();
        check::<Action>();
        check::<Resource>();
        check::<Wildcard>();
        check::<Preset>();
        check::<Presence>();
        check::<MarkKind>();
    }
}
