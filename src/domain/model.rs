//! Declarative fields: what a client may send in a body and the rule each value must follow
//! (SPEC §1 validation, §6 resources). One declaration serves twice: [`super::reader`] validates
//! bodies against it, and the OpenAPI generator (native builds only) turns it into the JSON
//! Schema of the same body, so the documented constraints are the enforced ones.

use super::listing::Arg;

/// The rule for one field's value.
#[derive(Debug, Clone, Copy)]
pub enum Kind {
    /// A string of 1..=n characters once surrounding whitespace is removed.
    Text(usize),
    /// A web address of at most this many characters: `http(s)://` and a host; which hosts
    /// and schemes a deployment calls is the handler's rule (webhooks, SPEC §7).
    Url(usize),
    Email,
    Phone,
    Int(i64, i64),
    Real(f64, f64),
    Bool,
    OneOf(&'static [&'static str]),
    /// The id of another object of the same tenant, in `table` (checked to exist).
    Ref(&'static str, &'static str),
    /// An id with this prefix, which the handler looks up itself.
    Id(&'static str),
    Timezone,
    Currency,
    /// An instant (a date stands for its first second), stored as RFC 3339 UTC.
    Instant,
    /// An instant where a date stands for its last second (inclusive upper bounds).
    EndInstant,
    /// A calendar date, `YYYY-MM-DD` (a local day), stored as written.
    Date,
    /// A short identifier: letters, digits, `-`, `_`, `.`.
    Code(usize),
    /// A clock time: `"HH:MM"` (24 h) or `"H:MMam"`/`"H:MMpm"` (Harvest's, SPEC §9).
    Clock,
    /// Any JSON object of at most this many bytes, kept as text.
    Json(usize),
    /// A JSON object whose shape a domain reader checks (the handler runs it on the text; its
    /// errors are named `field.inner`), bounded only by the body limit. The OpenAPI component
    /// of this name states exactly what that reader accepts.
    Checked(&'static str),
    /// A nested object with fields of its own (errors are named `field.inner`).
    Object(&'static Shape),
    /// A list of at most this many nested objects (errors are named `field[i].inner`).
    List(&'static Shape, usize),
    /// A list of `min..=max` objects of this shape that the handler reads one by one (each item
    /// gets its own outcome); anything but a list is `required`, a count out of bounds `out_of_range`.
    Items(&'static Shape, usize, usize),
    /// A list of 1..=`max` values from `values` (counted as sent; duplicates then dropped),
    /// stored as JSON text. `alone`, if given, is a value that may only be listed by itself
    /// (`*`: all of them); listed with others it is `not_allowed`.
    Names {
        values: &'static [&'static str],
        max: usize,
        alone: Option<&'static str>,
    },
    /// A list of 1..=`max` ids with this prefix (duplicates dropped), stored as JSON text; the
    /// handler looks them up itself.
    IdList(&'static str, usize),
    /// A list of 1..=`max` positive integer ids (at most 2^53 − 1, duplicates dropped), stored as
    /// JSON text; the handler looks them up itself (`/v2`'s `project_ids`, SPEC §9).
    IntList(usize),
    /// Scopes to give: a preset (`read-only`, `read-write`) or a list of 1–64 scopes.
    Scopes,
}

/// Whether a field may be absent or `null`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Presence {
    /// May be absent or `null`; `null` clears it.
    Optional,
    /// Present and not `null` on create; never `null`.
    Required,
    /// May be absent (on create it then takes its default, if it has one); never `null`.
    NotNull,
    /// Absent or `null` on create both take the default; never `null` on update.
    Defaulted,
}

/// A field's value when a create does not give one.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum DefaultValue {
    Int(i64),
    Real(f64),
    Text(&'static str),
    Bool(bool),
}

impl DefaultValue {
    pub fn arg(self) -> Arg {
        match self {
            DefaultValue::Int(v) => Arg::Int(v),
            DefaultValue::Real(v) => Arg::Real(v),
            DefaultValue::Text(v) => Arg::Text(v.to_string()),
            DefaultValue::Bool(v) => Arg::Int(v as i64),
        }
    }
}

#[derive(Debug, Clone, Copy)]
pub struct FieldDef {
    pub name: &'static str,
    pub kind: Kind,
    pub presence: Presence,
    pub default: Option<DefaultValue>,
    /// What the OpenAPI document says of the field beyond its rule (native builds only).
    #[cfg(not(target_arch = "wasm32"))]
    pub doc: &'static str,
}

const fn with(name: &'static str, kind: Kind, presence: Presence, default: Option<DefaultValue>) -> FieldDef {
    FieldDef {
        name,
        kind,
        presence,
        default,
        #[cfg(not(target_arch = "wasm32"))]
        doc: "",
    }
}

/// An optional field: absent leaves it, `null` clears it.
pub const fn field(name: &'static str, kind: Kind) -> FieldDef {
    with(name, kind, Presence::Optional, None)
}

/// A field that must be given on create and can never be cleared.
pub const fn required(name: &'static str, kind: Kind) -> FieldDef {
    with(name, kind, Presence::Required, None)
}

/// A field that may be left out but never cleared.
pub const fn not_null(name: &'static str, kind: Kind) -> FieldDef {
    with(name, kind, Presence::NotNull, None)
}

/// A field that takes `default` when a create leaves it out or sends `null`.
pub const fn defaulted(name: &'static str, kind: Kind, default: DefaultValue) -> FieldDef {
    with(name, kind, Presence::Defaulted, Some(default))
}

impl FieldDef {
    /// The value a create takes when the field is absent.
    pub const fn or(mut self, default: DefaultValue) -> Self {
        self.default = Some(default);
        self
    }
    /// The field's description in the OpenAPI document; nothing of it is compiled into the wasm.
    #[allow(unused_mut, unused_variables)]
    pub const fn doc(mut self, text: &'static str) -> Self {
        #[cfg(not(target_arch = "wasm32"))]
        {
            self.doc = text;
        }
        self
    }
}

/// A rule across the fields of one body or nested object, checked once every field was read.
#[derive(Debug, Clone, Copy)]
pub enum Rule {
    /// At least one of these fields is set (not `null`); else the first is `required`.
    AnyOf(&'static [&'static str]),
    /// When the first field is set, so is the second (else the second is `required`).
    Requires(&'static str, &'static str),
    /// The first field may be set only when the second has this value (else `not_allowed`).
    OnlyWhen(&'static str, &'static str, &'static str),
    /// The first field (an instant) is not before the second (else `out_of_range`).
    NotBefore(&'static str, &'static str),
}

/// The fields of a nested object and the rules across them.
#[derive(Debug)]
pub struct Shape {
    pub fields: &'static [FieldDef],
    pub rules: &'static [Rule],
    /// The OpenAPI component that describes it, and its description (native builds only).
    #[cfg(not(target_arch = "wasm32"))]
    pub schema: (&'static str, &'static str),
}

impl Shape {
    #[allow(unused_variables)]
    pub const fn new(
        fields: &'static [FieldDef],
        rules: &'static [Rule],
        schema: &'static str,
        description: &'static str,
    ) -> Shape {
        Shape {
            fields,
            rules,
            #[cfg(not(target_arch = "wasm32"))]
            schema: (schema, description),
        }
    }
}

/// The names of `fields`, as a body reader allows them.
pub fn names(fields: &[FieldDef]) -> Vec<&'static str> {
    fields.iter().map(|d| d.name).collect()
}

/// ISO 4217 codes accepted for money.
pub const CURRENCIES: &[&str] = &[
    "AED", "ARS", "AUD", "BGN", "BRL", "CAD", "CHF", "CLP", "CNY", "COP", "CZK", "DKK", "EGP", "EUR", "GBP", "HKD",
    "HUF", "IDR", "ILS", "INR", "ISK", "JPY", "KES", "KRW", "MAD", "MXN", "MYR", "NGN", "NOK", "NZD", "PEN", "PHP",
    "PKR", "PLN", "QAR", "RON", "RSD", "SAR", "SEK", "SGD", "THB", "TRY", "TWD", "UAH", "USD", "UYU", "VND", "ZAR",
];

/// A reference that must be checked to exist in the tenant: (field, table, id).
pub type RefCheck = (&'static str, &'static str, String);

/// A validated value that is not one column: a nested object, a list of them, or scopes.
#[derive(Debug, Clone, PartialEq)]
pub enum Nested {
    Null,
    Object(Columns),
    List(Vec<Columns>),
    Scopes(Vec<super::scopes::Scope>),
    /// How many items a [`Kind::Items`] list has.
    Items(usize),
}

/// The validated columns of a create or update, the nested values, and the references to check.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Columns {
    pub values: Vec<(&'static str, Arg)>,
    pub nested: Vec<(&'static str, Nested)>,
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
    pub fn nested(&self, name: &str) -> Option<&Nested> {
        self.nested.iter().find(|(c, _)| *c == name).map(|(_, n)| n)
    }
    /// Whether the field was given a value other than `null`.
    pub fn is_set(&self, name: &str) -> bool {
        match self.get(name) {
            Some(a) => *a != Arg::Null,
            None => matches!(self.nested(name), Some(n) if *n != Nested::Null),
        }
    }
    /// A real number field (integers read as reals too).
    pub fn real(&self, name: &str) -> Option<f64> {
        match self.get(name) {
            Some(Arg::Real(v)) => Some(*v),
            Some(Arg::Int(v)) => Some(*v as f64),
            _ => None,
        }
    }
    pub fn int(&self, name: &str) -> Option<i64> {
        match self.get(name) {
            Some(Arg::Int(v)) => Some(*v),
            _ => None,
        }
    }
    pub fn text(&self, name: &str) -> Option<&str> {
        match self.get(name) {
            Some(Arg::Text(s)) => Some(s),
            _ => None,
        }
    }
}
