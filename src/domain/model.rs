//! Declarative resource fields: what a client may send for each resource and the rule each
//! value must follow, read by one validator into database columns. Handlers for simple
//! resources are then the same code for every resource.

use serde_json::Value;

use super::fields::{is_email, is_phone, Fields, Patch};
use super::listing::Arg;
use super::{ids, tenants, time};
use crate::error::ApiResult;
use crate::i18n::FieldCode;

/// The rule for one field's value.
#[derive(Debug, Clone, Copy)]
pub enum Kind {
    Text(usize),
    Email,
    Phone,
    Int(i64, i64),
    Real(f64, f64),
    Bool,
    OneOf(&'static [&'static str]),
    /// The id of another object of the same tenant, in `table` (checked to exist).
    Ref(&'static str, &'static str),
    Timezone,
    Currency,
    Instant,
    /// A short identifier: letters, digits, `-`, `_`, `.`.
    Code(usize),
}

#[derive(Debug, Clone, Copy)]
pub struct FieldDef {
    pub name: &'static str,
    pub kind: Kind,
    /// Must be present (and non-null) on create.
    pub required: bool,
}

pub const fn field(name: &'static str, kind: Kind) -> FieldDef {
    FieldDef { name, kind, required: false }
}

pub const fn required(name: &'static str, kind: Kind) -> FieldDef {
    FieldDef { name, kind, required: true }
}

/// ISO 4217 codes accepted for money.
pub const CURRENCIES: &[&str] = &[
    "AED", "ARS", "AUD", "BGN", "BRL", "CAD", "CHF", "CLP", "CNY", "COP", "CZK", "DKK", "EGP", "EUR", "GBP", "HKD",
    "HUF", "IDR", "ILS", "INR", "ISK", "JPY", "KES", "KRW", "MAD", "MXN", "MYR", "NGN", "NOK", "NZD", "PEN", "PHP",
    "PKR", "PLN", "QAR", "RON", "RSD", "SAR", "SEK", "SGD", "THB", "TRY", "TWD", "UAH", "USD", "UYU", "VND", "ZAR",
];

/// A reference that must be checked to exist in the tenant: (field, table, id).
pub type RefCheck = (&'static str, &'static str, String);

/// The validated columns of a create or update, and the references to check.
#[derive(Debug, Default, PartialEq)]
pub struct Columns {
    pub values: Vec<(&'static str, Arg)>,
    pub refs: Vec<RefCheck>,
}

impl Columns {
    pub fn get(&self, name: &str) -> Option<&Arg> {
        self.values.iter().find(|(c, _)| *c == name).map(|(_, a)| a)
    }
    pub fn set(&mut self, name: &'static str, arg: Arg) {
        self.values.retain(|(c, _)| *c != name);
        self.values.push((name, arg));
    }
}

fn is_code(s: &str) -> bool {
    s.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b))
}

fn read(f: &mut Fields, d: &FieldDef, refs: &mut Vec<RefCheck>) -> Patch<Arg> {
    let text = |p: Patch<String>| p.map(Arg::Text);
    match d.kind {
        Kind::Text(max) => text(f.text(d.name, max)),
        Kind::Email => text(f.text_where(d.name, 254, is_email)),
        Kind::Phone => text(f.text_where(d.name, 32, is_phone)),
        Kind::Code(max) => text(f.text_where(d.name, max, is_code)),
        Kind::Int(min, max) => f.int(d.name, min, max).map(Arg::Int),
        Kind::Real(min, max) => f.real(d.name, min, max).map(Arg::Real),
        Kind::Bool => f.boolean(d.name).map(|b| Arg::Int(b as i64)),
        Kind::OneOf(values) => text(f.one_of(d.name, values)),
        Kind::Timezone => text(f.text_where(d.name, 64, tenants::is_timezone)),
        Kind::Currency => text(f.one_of(d.name, CURRENCIES)),
        Kind::Instant => match f.text(d.name, 40) {
            Patch::Set(s) => match time::normalize(&s, false) {
                Some(t) => Patch::Set(Arg::Text(t)),
                None => {
                    f.fail(d.name, FieldCode::Invalid);
                    Patch::Absent
                }
            },
            other => other.map(Arg::Text),
        },
        Kind::Ref(prefix, table) => match f.text_where(d.name, 64, |s| ids::is_id(prefix, s)) {
            Patch::Set(id) => {
                refs.push((d.name, table, id.clone()));
                Patch::Set(Arg::Text(id))
            }
            other => other.map(Arg::Text),
        },
    }
}

/// Validates `body` against `defs` (plus any `extra` field names a handler reads itself) and
/// returns the columns it sets. On create, required fields must be present; on update,
/// required fields may not be cleared with `null`.
pub fn parse(body: &Value, defs: &[FieldDef], extra: &[&str], create: bool) -> ApiResult<Columns> {
    let names: Vec<&str> = defs.iter().map(|d| d.name).chain(extra.iter().copied()).collect();
    let mut f = Fields::new(body, &names);
    let mut cols = Columns::default();
    for d in defs {
        let value = read(&mut f, d, &mut cols.refs);
        match value {
            Patch::Set(v) => cols.values.push((d.name, v)),
            Patch::Null | Patch::Absent if d.required && (create || matches!(value, Patch::Null)) => {
                if !f.has_error(d.name) {
                    f.fail(d.name, FieldCode::Required);
                }
            }
            Patch::Null => cols.values.push((d.name, Arg::Null)),
            Patch::Absent => {}
        }
    }
    f.finish()?;
    Ok(cols)
}

#[cfg(test)]
mod tests {
    use super::*;
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
}
