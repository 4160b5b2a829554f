//! Reading and validating JSON request bodies field by field, collecting every problem so a
//! 422 lists all invalid fields at once (`details`), not just the first.

use serde_json::{Map, Value};

use super::named::Named;
use crate::error::{ApiError, ApiResult, FieldError};
use crate::i18n::FieldCode;

/// A field of a PATCH body: absent (leave as is), `null` (clear) or a new value. Create
/// bodies use the same reader and treat absent and `null` alike.
#[derive(Debug, Clone, PartialEq)]
pub enum Patch<T> {
    Absent,
    Null,
    Set(T),
}

impl<T> Patch<T> {
    pub fn into_option(self) -> Option<T> {
        match self {
            Patch::Set(v) => Some(v),
            _ => None,
        }
    }
    pub fn is_absent(&self) -> bool {
        matches!(self, Patch::Absent)
    }
    pub fn is_set(&self) -> bool {
        matches!(self, Patch::Set(_))
    }
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Patch<U> {
        match self {
            Patch::Set(v) => Patch::Set(f(v)),
            Patch::Null => Patch::Null,
            Patch::Absent => Patch::Absent,
        }
    }
}

static EMPTY: std::sync::OnceLock<Map<String, Value>> = std::sync::OnceLock::new();

/// The least number above 0 (the smallest subnormal), so `real(name, ABOVE_ZERO, max)` reads
/// "above 0 and at most max", as the documentation says; `f64::MIN_POSITIVE` would refuse the
/// positive numbers below it.
pub const ABOVE_ZERO: f64 = 5e-324;

/// A validating reader over one JSON object.
pub struct Fields<'a> {
    obj: &'a Map<String, Value>,
    errors: Vec<FieldError>,
    /// The body was not an object: that is the one error worth reporting.
    not_an_object: bool,
}

impl<'a> Fields<'a> {
    /// Starts reading `body`, which must be an object (`null` is not one; an empty request body
    /// already reads as `{}`); any key not in `allowed` is reported as `unknown_field`.
    pub fn new(body: &'a Value, allowed: &[&str]) -> Self {
        let mut errors = Vec::new();
        let not_an_object = !body.is_object();
        let obj = match body {
            Value::Object(m) => m,
            _ => EMPTY.get_or_init(Map::new),
        };
        if not_an_object {
            errors.push(FieldError::new("body", FieldCode::WrongType));
        }
        for k in obj.keys() {
            if !allowed.contains(&k.as_str()) {
                errors.push(FieldError::new(k.clone(), FieldCode::UnknownField));
            }
        }
        Fields { obj, errors, not_an_object }
    }

    pub fn fail(&mut self, field: &str, code: FieldCode) {
        if !self.not_an_object {
            self.errors.push(FieldError::new(field, code));
        }
    }

    pub fn has_error(&self, field: &str) -> bool {
        self.errors.iter().any(|e| e.field == field)
    }

    fn raw(&self, name: &str) -> Patch<&'a Value> {
        match self.obj.get(name) {
            None => Patch::Absent,
            Some(Value::Null) => Patch::Null,
            Some(v) => Patch::Set(v),
        }
    }

    /// Reads a present, non-null value with `read`; its error code is reported on the field.
    fn typed<T>(&mut self, name: &str, read: impl FnOnce(&'a Value) -> Result<T, FieldCode>) -> Patch<T> {
        match self.raw(name) {
            Patch::Set(v) => match read(v) {
                Ok(t) => Patch::Set(t),
                Err(code) => {
                    self.fail(name, code);
                    Patch::Absent
                }
            },
            Patch::Null => Patch::Null,
            Patch::Absent => Patch::Absent,
        }
    }

    /// A string of at most `max` characters as sent (the documented `maxLength`), not blank;
    /// surrounding whitespace is removed from what is kept.
    pub fn text(&mut self, name: &str, max: usize) -> Patch<String> {
        self.typed(name, |v| match v {
            Value::String(s) if s.trim().is_empty() => Err(FieldCode::Invalid),
            Value::String(s) if s.chars().count() > max => Err(FieldCode::TooLong),
            Value::String(s) => Ok(s.trim().to_string()),
            _ => Err(FieldCode::WrongType),
        })
    }

    /// A string that must also pass `valid`.
    pub fn text_where(&mut self, name: &str, max: usize, valid: impl Fn(&str) -> bool) -> Patch<String> {
        match self.text(name, max) {
            Patch::Set(s) if !valid(&s) => {
                self.fail(name, FieldCode::Invalid);
                Patch::Absent
            }
            other => other,
        }
    }

    /// One of a fixed set of strings.
    pub fn one_of(&mut self, name: &str, allowed: &[&str]) -> Patch<String> {
        self.typed(name, |v| match v {
            Value::String(s) if allowed.contains(&s.as_str()) => Ok(s.clone()),
            Value::String(_) => Err(FieldCode::NotAllowed),
            _ => Err(FieldCode::WrongType),
        })
    }

    /// One value of a named set (a status, a tier, …), parsed here once.
    pub fn choice<T: Named>(&mut self, name: &str) -> Patch<T> {
        self.typed(name, |v| match v {
            Value::String(s) => T::parse(s).ok_or(FieldCode::NotAllowed),
            _ => Err(FieldCode::WrongType),
        })
    }

    /// An integer in `min..=max`. JSON has one number type, so `3.0` and `3e2` are the integers
    /// 3 and 300 (as JSON Schema's `integer` says); a number with a fraction is the wrong type.
    pub fn int(&mut self, name: &str, min: i64, max: i64) -> Patch<i64> {
        self.typed(name, |v| match v {
            Value::Number(n) => match (n.as_i64(), n.as_f64()) {
                (Some(v), _) if (min..=max).contains(&v) => Ok(v),
                (Some(_), _) => Err(FieldCode::OutOfRange),
                (None, Some(x)) if x.is_finite() && x.fract() == 0.0 => {
                    // Compared as floats first, so the cast below cannot saturate.
                    if x >= min as f64 && x <= max as f64 {
                        Ok(x as i64)
                    } else {
                        Err(FieldCode::OutOfRange)
                    }
                }
                (None, _) => Err(FieldCode::WrongType),
            },
            _ => Err(FieldCode::WrongType),
        })
    }

    /// A number in `min..=max`.
    pub fn real(&mut self, name: &str, min: f64, max: f64) -> Patch<f64> {
        self.typed(name, |v| match v {
            Value::Number(n) => match n.as_f64() {
                Some(v) if v.is_finite() && (min..=max).contains(&v) => Ok(v),
                _ => Err(FieldCode::OutOfRange),
            },
            _ => Err(FieldCode::WrongType),
        })
    }

    /// `true` or `false`.
    pub fn boolean(&mut self, name: &str) -> Patch<bool> {
        self.typed(name, |v| v.as_bool().ok_or(FieldCode::WrongType))
    }

    /// A nested object, handed back raw for its own reader.
    pub fn object(&mut self, name: &str) -> Patch<&'a Value> {
        self.typed(name, |v| if v.is_object() { Ok(v) } else { Err(FieldCode::WrongType) })
    }

    /// A list, handed back raw for its items' reader.
    pub fn array(&mut self, name: &str) -> Patch<&'a Vec<Value>> {
        self.typed(name, |v| v.as_array().ok_or(FieldCode::WrongType))
    }

    /// Any value, for a reader that judges its shape itself.
    pub fn value(&mut self, name: &str) -> Patch<&'a Value> {
        self.typed(name, Ok)
    }

    /// Marks a field required: absent or `null` is an error (unless already reported).
    pub fn require<T>(&mut self, name: &str, p: Patch<T>) -> Option<T> {
        match p {
            Patch::Set(v) => Some(v),
            _ => {
                if !self.has_error(name) {
                    self.fail(name, FieldCode::Required);
                }
                None
            }
        }
    }

    /// A field that may not be cleared with `null` on update.
    pub fn not_null<T>(&mut self, name: &str, p: Patch<T>) -> Patch<T> {
        if matches!(p, Patch::Null) {
            self.fail(name, FieldCode::Required);
            return Patch::Absent;
        }
        p
    }

    /// Ends reading: `Ok` when every field was valid, else a 422 listing them all.
    pub fn finish(self) -> ApiResult<()> {
        if self.errors.is_empty() {
            Ok(())
        } else {
            Err(ApiError::validation(self.errors))
        }
    }
}

/// A plausible e-mail address: one `@`, something before it, a dotted domain after, no spaces.
pub fn is_email(s: &str) -> bool {
    let Some((local, domain)) = s.split_once('@') else { return false };
    !local.is_empty()
        && !domain.contains('@')
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !s.chars().any(|c| c.is_whitespace() || c.is_control())
}

/// A phone number: digits with optional `+`, spaces, dots, dashes and parentheses.
pub fn is_phone(s: &str) -> bool {
    s.chars().filter(|c| c.is_ascii_digit()).count() >= 3
        && s.chars().all(|c| c.is_ascii_digit() || " +-().".contains(c))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn collects_every_invalid_field() {
        let body = json!({"name": "", "pay_rate": 1.5, "status": "gone", "extra": 1});
        let mut f = Fields::new(&body, &["name", "pay_rate", "status", "email"]);
        let name = f.text("name", 10);
        f.require("name", name);
        f.int("pay_rate", 0, 100);
        f.one_of("status", &["active"]);
        let email = f.text("email", 10);
        f.require("email", email);
        let err = f.finish().unwrap_err();
        let got: Vec<_> = err.details.iter().map(|d| (d.field.as_str(), d.code)).collect();
        assert_eq!(
            got,
            vec![
                ("extra", FieldCode::UnknownField),
                ("name", FieldCode::Invalid),
                ("pay_rate", FieldCode::WrongType),
                ("status", FieldCode::NotAllowed),
                ("email", FieldCode::Required),
            ]
        );
    }

    #[test]
    fn null_is_not_an_object() {
        let err = Fields::new(&Value::Null, &["name"]).finish().unwrap_err();
        let got: Vec<_> = err.details.iter().map(|d| (d.field.as_str(), d.code)).collect();
        assert_eq!(got, vec![("body", FieldCode::WrongType)]);
        assert!(Fields::new(&json!({}), &["name"]).finish().is_ok());
    }

    #[test]
    fn above_zero_means_any_positive_number() {
        let body: Value =
            serde_json::from_str(r#"{"a": 5e-324, "b": 2.2250738585e-313, "c": 0.0, "d": -0.0}"#).unwrap();
        let mut f = Fields::new(&body, &["a", "b", "c", "d"]);
        assert_eq!(f.real("a", ABOVE_ZERO, 1.0), Patch::Set(5e-324));
        assert!(f.real("b", ABOVE_ZERO, 1.0).is_set());
        f.real("c", ABOVE_ZERO, 1.0);
        f.real("d", ABOVE_ZERO, 1.0);
        let got: Vec<_> = f.finish().unwrap_err().details.into_iter().map(|d| d.field).collect();
        assert_eq!(got, vec!["c", "d"]);
    }

    #[test]
    fn integers_may_be_written_with_a_zero_fraction_or_an_exponent() {
        let body: Value = serde_json::from_str(
            r#"{"a": 301.0, "b": 3e2, "c": 1e300, "d": -0.0, "e": 2.5, "f": 18446744073709551615}"#,
        )
        .unwrap();
        let mut f = Fields::new(&body, &["a", "b", "c", "d", "e", "f"]);
        assert_eq!(f.int("a", 1, 1000), Patch::Set(301));
        assert_eq!(f.int("b", 1, 1000), Patch::Set(300));
        assert_eq!(f.int("d", 0, 1), Patch::Set(0));
        f.int("c", 1, 1000);
        f.int("e", 1, 1000);
        f.int("f", 1, 1000);
        let got: Vec<_> = f.finish().unwrap_err().details.into_iter().map(|d| (d.field, d.code)).collect();
        let want = [("c", FieldCode::OutOfRange), ("e", FieldCode::WrongType), ("f", FieldCode::OutOfRange)];
        assert_eq!(got, want.map(|(f, c)| (f.to_string(), c)));
    }

    #[test]
    fn distinguishes_absent_null_and_set() {
        let body = json!({"a": null, "b": "x"});
        let mut f = Fields::new(&body, &["a", "b", "c"]);
        assert_eq!(f.text("a", 5), Patch::Null);
        assert_eq!(f.text("b", 5), Patch::Set("x".into()));
        assert_eq!(f.text("c", 5), Patch::Absent);
        assert!(f.finish().is_ok());
    }

    #[test]
    fn non_object_bodies_are_wrong_type() {
        let body = json!([1, 2]);
        let mut f = Fields::new(&body, &["name"]);
        let name = f.text("name", 5);
        f.require("name", name);
        let details = f.finish().unwrap_err().details;
        assert_eq!(details, vec![FieldError::new("body", FieldCode::WrongType)]);
    }

    #[test]
    fn email_and_phone_shapes() {
        assert!(is_email("ana@example.com"));
        assert!(!is_email("ana@example"));
        assert!(!is_email("an a@example.com"));
        assert!(!is_email("@example.com"));
        assert!(is_phone("+1 (555) 010-2030"));
        assert!(!is_phone("call me"));
    }
}
