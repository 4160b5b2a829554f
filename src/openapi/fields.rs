//! Field declarations ([`crate::domain::model`]) as JSON Schema: the request bodies, in create
//! or update (merge-patch) form, the nested objects they carry, and the fields of the objects the
//! API answers. Every constraint comes from the declaration the validator reads.

use utoipa::openapi::schema::{AllOfBuilder, AnyOf, ObjectBuilder, Schema, SchemaType, Type};
use utoipa::openapi::RefOr;

use super::dsl::{self, any_of, or_null, ref_or_null, reference};
use super::patterns::{code_pattern, email_pattern, phone_pattern, url_pattern};
use super::schemas::Registry;
use crate::domain::model::{DefaultValue, FieldDef, Kind, Presence, Rule, Shape};

/// Which body (or object) a field is described for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// A create (or an action): required fields are required; defaults fill what is left out.
    Create,
    /// A merge patch: every field may be left out; only optional ones may be `null`.
    Update,
    /// An object the API answers: every field is present, `null` where it is optional.
    Read,
}

/// A field's value schema before nullability: an inline schema, a named component, a list, or
/// a choice between alternatives.
enum Value {
    Inline(Box<ObjectBuilder>),
    Named(&'static str),
    List(Box<utoipa::openapi::schema::ArrayBuilder>),
    Choice(Box<AnyOf>),
}

impl Value {
    fn inline(b: ObjectBuilder) -> Value {
        Value::Inline(Box::new(b))
    }
    fn list(b: utoipa::openapi::schema::ArrayBuilder) -> Value {
        Value::List(Box::new(b))
    }
}

/// The noun of a referenced table (`cost_codes` → `cost code`).
fn noun(table: &str) -> String {
    table.trim_end_matches('s').replace('_', " ")
}

fn value(kind: Kind, mode: Mode, reg: &mut Registry) -> Value {
    let read = mode == Mode::Read;
    // Text as sent must hold a visible character: it is trimmed, and empty is `invalid`.
    let text = |max: usize| {
        let s = dsl::string().max_length(Some(max));
        if read {
            s
        } else {
            s.min_length(Some(1)).pattern(Some(r"\S"))
        }
    };
    match kind {
        Kind::Text(max) => Value::inline(text(max)),
        Kind::Url(max) => Value::inline(dsl::string().max_length(Some(max)).pattern(Some(url_pattern()))),
        // No `format: email`: the API accepts internationalised addresses (RFC 6531) that
        // validators of that format refuse; the pattern is the rule it applies.
        Kind::Email => Value::inline(dsl::string().max_length(Some(254)).pattern(Some(email_pattern()))),
        Kind::Phone => Value::inline(dsl::string().max_length(Some(32)).pattern(Some(phone_pattern()))),
        Kind::Code(max) => {
            Value::inline(dsl::string().min_length(Some(1)).max_length(Some(max)).pattern(Some(code_pattern())))
        }
        Kind::Clock => {
            Value::inline(dsl::string().max_length(Some(12)).pattern(Some(super::patterns::clock_pattern())))
        }
        Kind::Int(min, max) => Value::inline(dsl::integer(min, max)),
        Kind::Real(min, max) => Value::inline(dsl::number(min, max)),
        Kind::Bool => Value::inline(dsl::boolean()),
        Kind::OneOf(values) => Value::inline(dsl::one_of(values)),
        Kind::Ref(prefix, _) | Kind::Id(prefix) => Value::inline(dsl::id(prefix)),
        Kind::Timezone if read => Value::inline(dsl::string().max_length(Some(64))),
        Kind::Timezone => Value::Named("Timezone"),
        Kind::Currency => Value::Named("Currency"),
        Kind::Instant | Kind::EndInstant if read => Value::inline(dsl::date_time()),
        Kind::Instant => Value::Named("Instant"),
        Kind::EndInstant => Value::Named("EndInstant"),
        Kind::Date => Value::inline(dsl::date().max_length(Some(10)).pattern(Some(r"^\d{4}-\d{2}-\d{2}$"))),
        Kind::Json(_) => Value::inline(dsl::typed(Type::Object)),
        Kind::Checked(component) => Value::Named(component),
        Kind::Object(shape) if read => Value::Named(read_component(shape, reg)),
        Kind::Object(shape) => Value::Named(shape_component(shape, reg)),
        Kind::List(shape, _) if read => Value::list(dsl::array(reference(read_component(shape, reg)), "")),
        Kind::List(shape, max) => {
            Value::list(dsl::array(reference(shape_component(shape, reg)), "").max_items(Some(max)))
        }
        // Each item is judged on its own and answered in the result list, so any value is a
        // valid item of the request; what it should be is said in words.
        Kind::Items(shape, min, max) => {
            let item = ObjectBuilder::new().schema_type(SchemaType::AnyValue).description(Some(format!(
                "A `{}` body, validated on its own: an invalid item gets its own error result.",
                shape_component(shape, reg)
            )));
            Value::list(dsl::array(item.build(), "").min_items(Some(min)).max_items(Some(max)))
        }
        Kind::Names { values, max, alone } => {
            let list = |names: &[&str]| dsl::array(dsl::one_of(names), "").min_items(Some(1)).max_items(Some(max));
            match alone {
                None => Value::list(list(values)),
                // The value that stands alone, by itself (repeats are dropped), or any of the others.
                Some(alone) => {
                    let others: Vec<&str> = values.iter().copied().filter(|v| *v != alone).collect();
                    let branches = vec![Schema::Array(list(&[alone]).build()), Schema::Array(list(&others).build())];
                    Value::Choice(Box::new(any_of(branches.into_iter().map(RefOr::T).collect(), "")))
                }
            }
        }
        Kind::IdList(prefix, max) => {
            Value::list(dsl::array(dsl::id(prefix).build(), "").min_items(Some(1)).max_items(Some(max)))
        }
        Kind::IntList(max) => Value::list(
            dsl::array(dsl::integer(1, 9_007_199_254_740_991).build(), "").min_items(Some(1)).max_items(Some(max)),
        ),
        Kind::Scopes if read => Value::list(dsl::array(reference("Scope"), "")),
        Kind::Scopes => Value::Named("ScopesInput"),
    }
}

/// What the kind itself implies, in words.
fn kind_note(kind: Kind) -> String {
    match kind {
        Kind::Email => "One `@`, a dotted domain, no whitespace.".into(),
        Kind::Phone => "Digits with optional `+`, spaces, dots, dashes and parentheses; at least three digits.".into(),
        Kind::Code(_) => "Letters, digits, `-`, `_` or `.`.".into(),
        Kind::Url(_) => "An `http://` or `https://` address with a host.".into(),
        Kind::Ref(_, table) => {
            format!("Must name a live {} of this tenant, else `422` with `details[].code` `not_found`.", noun(table))
        }
        Kind::Int(..) => "A whole number.".into(),
        Kind::Object(_) => "Replaced as a whole when sent.".into(),
        _ => String::new(),
    }
}

fn default_value(d: DefaultValue) -> serde_json::Value {
    match d {
        DefaultValue::Int(v) => v.into(),
        DefaultValue::Real(v) => v.into(),
        DefaultValue::Text(v) => v.into(),
        DefaultValue::Bool(v) => v.into(),
    }
}

fn default_text(d: DefaultValue) -> String {
    format!("`{}`", default_value(d)).replace("`\"", "`").replace("\"`", "`")
}

/// What presence means for the field in this mode, in words.
fn presence_note(d: &FieldDef, mode: Mode) -> String {
    match (mode, d.presence, d.default) {
        (Mode::Read, ..) => String::new(),
        (Mode::Create, Presence::Required, _) => "Required.".into(),
        (Mode::Create, Presence::NotNull, Some(v)) => format!("Defaults to {}; `null` is refused.", default_text(v)),
        (Mode::Create, Presence::NotNull, None) => "`null` is refused.".into(),
        (Mode::Create, Presence::Defaulted, Some(v)) => {
            format!("Defaults to {} when absent or `null`.", default_text(v))
        }
        (Mode::Create, ..) => String::new(),
        (Mode::Update, Presence::Optional, _) => "`null` clears it.".into(),
        (Mode::Update, ..) => "Cannot be cleared (`null` is `required`).".into(),
    }
}

/// Whether `null` is accepted (or, read back, possible).
fn nullable(d: &FieldDef, mode: Mode) -> bool {
    match mode {
        // A list cleared with `null` reads back empty.
        Mode::Read if matches!(d.kind, Kind::List(..) | Kind::Scopes) => false,
        Mode::Create => matches!(d.presence, Presence::Optional | Presence::Defaulted),
        Mode::Update | Mode::Read => d.presence == Presence::Optional,
    }
}

fn join(parts: &[&str]) -> String {
    parts.iter().filter(|p| !p.is_empty()).copied().collect::<Vec<_>>().join(" ")
}

/// The schema of one field in `mode`.
pub fn field(d: &FieldDef, mode: Mode, reg: &mut Registry) -> RefOr<Schema> {
    let note = if mode == Mode::Read { String::new() } else { kind_note(d.kind) };
    let description = join(&[d.doc, &note, &presence_note(d, mode)]);
    let null = nullable(d, mode);
    let default = d.default.filter(|_| mode == Mode::Create).map(default_value);
    match value(d.kind, mode, reg) {
        Value::Inline(b) => {
            let o = dsl::describe(*b, &description).default(default).build();
            RefOr::T(Schema::Object(if null { or_null(o) } else { o }))
        }
        Value::Named(name) if null => ref_or_null(name, &description),
        Value::Named(name) if default.is_some() => RefOr::T(Schema::AllOf(
            AllOfBuilder::new().item(reference(name)).description(Some(description)).default(default).build(),
        )),
        Value::Named(name) => dsl::described_ref(name, &description),
        Value::List(b) => {
            let mut a = b.description(Some(description).filter(|d| !d.is_empty())).build();
            if null {
                a.schema_type = SchemaType::Array(vec![Type::Array, Type::Null]);
            }
            RefOr::T(Schema::Array(a))
        }
        Value::Choice(mut a) => {
            if null {
                a.items.push(dsl::typed(Type::Null).into());
            }
            a.description = Some(description).filter(|d| !d.is_empty());
            a.default = default;
            RefOr::T(Schema::AnyOf(*a))
        }
    }
}

/// The field as it must be when it is set (the branch of a rule that needs it).
fn set(d: &FieldDef, reg: &mut Registry) -> RefOr<Schema> {
    match value(d.kind, Mode::Create, reg) {
        Value::Inline(b) => RefOr::T(Schema::Object(b.build())),
        Value::Named(name) => reference(name),
        Value::List(b) => RefOr::T(Schema::Array(b.build())),
        Value::Choice(a) => RefOr::T(Schema::AnyOf(*a)),
    }
}

fn find<'a>(parts: &[&'a [FieldDef]], name: &str) -> &'a FieldDef {
    parts
        .iter()
        .flat_map(|p| p.iter())
        .find(|d| d.name == name)
        .unwrap_or_else(|| panic!("rule names {name}, not a field")) // ok: native-only generator, fails the openapi test
}

/// An object constraint: `name` is absent or `null`.
fn absent(name: &str) -> RefOr<Schema> {
    ObjectBuilder::new().property(name, dsl::typed(Type::Null)).into()
}

/// An object constraint: `name` is present and, as `schema`, set.
fn present(name: &str, schema: RefOr<Schema>) -> RefOr<Schema> {
    ObjectBuilder::new().property(name, schema).required(name).into()
}

/// A rule as a schema (when JSON Schema can say it) and in words.
fn rule(r: &Rule, parts: &[&[FieldDef]], reg: &mut Registry) -> (Option<RefOr<Schema>>, String) {
    match *r {
        Rule::AnyOf(names) => {
            let branches = names.iter().map(|n| present(n, set(find(parts, n), reg))).collect();
            let list = names.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(" or ");
            let words = format!("Give {list} (`{}` `required` otherwise).", names[0]);
            (Some(RefOr::T(Schema::AnyOf(any_of(branches, "")))), words)
        }
        Rule::Requires(given, needed) => {
            let branches = vec![absent(given), present(needed, set(find(parts, needed), reg))];
            let words = format!("`{needed}` is required with `{given}`.");
            (Some(RefOr::T(Schema::AnyOf(any_of(branches, "")))), words)
        }
        Rule::OnlyWhen(field, other, value) => {
            let branches = vec![absent(field), present(other, dsl::one_of(&[value]).into())];
            let words = format!("`{field}` only when `{other}` is `{value}` (`not_allowed` otherwise).");
            (Some(RefOr::T(Schema::AnyOf(any_of(branches, "")))), words)
        }
        Rule::NotBefore(later, earlier) => {
            (None, format!("`{later}` must not be before `{earlier}` (`out_of_range`)."))
        }
    }
}

/// The schema of a body or nested object made of `parts`, with its `rules`, in `mode`.
pub fn object(description: &str, parts: &[&[FieldDef]], rules: &[Rule], mode: Mode, reg: &mut Registry) -> Schema {
    let mut b = ObjectBuilder::new()
        .schema_type(Type::Object)
        .additional_properties(Some(utoipa::openapi::schema::AdditionalProperties::FreeForm(false)));
    for d in parts.iter().flat_map(|p| p.iter()) {
        b = b.property(d.name, field(d, mode, reg));
        if mode == Mode::Create && d.presence == Presence::Required {
            b = b.required(d.name);
        }
    }
    let mut words = vec![description.to_string()];
    let mut constraints = Vec::new();
    for r in rules {
        let (schema, said) = rule(r, parts, reg);
        constraints.extend(schema);
        words.push(said);
    }
    let description = join(&words.iter().map(String::as_str).collect::<Vec<_>>());
    if constraints.is_empty() {
        return Schema::Object(b.description(Some(description)).build());
    }
    let mut all = AllOfBuilder::new().description(Some(description)).item(RefOr::T(Schema::Object(b.build())));
    for c in constraints {
        all = all.item(c);
    }
    Schema::AllOf(all.build())
}

/// Registers the component of a nested shape (always in create form: nested objects are
/// replaced whole) and returns its name.
pub fn shape_component(shape: &'static Shape, reg: &mut Registry) -> &'static str {
    let (name, description) = shape.schema;
    if !reg.has(name) {
        let s = object(description, &[shape.fields], shape.rules, Mode::Create, reg);
        reg.add(name, s);
    }
    name
}

/// Registers the component of a nested shape as the API answers it (`GeofenceInput` is read
/// back as `Geofence`: every field present, `null` where optional) and returns its name.
pub fn read_component(shape: &'static Shape, reg: &mut Registry) -> &'static str {
    let (input, description) = shape.schema;
    let name = input.strip_suffix("Input").unwrap_or(input);
    if !reg.has(name) {
        let o = read_props(dsl::object(description), shape.fields, reg);
        reg.add(name, o.build());
    }
    name
}

/// The properties of an object the API answers, from the fields it was written with.
pub fn read_props(b: dsl::Obj, fields: &[FieldDef], reg: &mut Registry) -> dsl::Obj {
    fields.iter().fold(b, |b, d| b.prop(d.name, field(d, Mode::Read, reg)))
}
