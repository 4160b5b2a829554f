//! Small helpers over utoipa's schema builders, so that the schemas of this document read as
//! declarations: `string()`, `id("wkr")`, `nullable(…)`, `object(…)` and the like.

use serde_json::Value;
use utoipa::openapi::schema::{
    AnyOf, AnyOfBuilder, ArrayBuilder, KnownFormat, Object, ObjectBuilder, Schema, SchemaFormat, SchemaType, Type,
};
use utoipa::openapi::{Ref, RefOr};

/// A reference to the component schema `name`.
pub fn reference(name: &str) -> RefOr<Schema> {
    RefOr::Ref(Ref::from_schema_name(name))
}

/// A reference with a description of its own (OpenAPI 3.1 allows it beside `$ref`).
pub fn described_ref(name: &str, description: &str) -> RefOr<Schema> {
    let mut r = Ref::from_schema_name(name);
    r.description = description.to_string();
    RefOr::Ref(r)
}

pub fn typed(t: Type) -> ObjectBuilder {
    ObjectBuilder::new().schema_type(t)
}

pub fn string() -> ObjectBuilder {
    typed(Type::String)
}

pub fn boolean() -> ObjectBuilder {
    typed(Type::Boolean)
}

pub fn integer(min: i64, max: i64) -> ObjectBuilder {
    typed(Type::Integer).minimum(Some(min)).maximum(Some(max))
}

/// An integer with only a lower bound.
pub fn count(min: i64) -> ObjectBuilder {
    typed(Type::Integer).minimum(Some(min))
}

pub fn number(min: f64, max: f64) -> ObjectBuilder {
    // Bounds that are whole numbers print as integers, as a reader would write them.
    let n = |v: f64| if v.fract() == 0.0 && v.abs() < 1e15 { Value::from(v as i64) } else { Value::from(v) };
    // "Above 0" is written as the least positive number in code; a reader wants `> 0`.
    let above_zero = min == crate::domain::fields::ABOVE_ZERO;
    let (min, max) = (n(min), n(max));
    let mut b = typed(Type::Number);
    b = match min.as_i64() {
        _ if above_zero => b.exclusive_minimum(Some(0)),
        Some(i) => b.minimum(Some(i)),
        None => b.minimum(min.as_f64()),
    };
    match max.as_i64() {
        Some(i) => b.maximum(Some(i)),
        None => b.maximum(max.as_f64()),
    }
}

/// A non-negative number (hours, amounts computed by the API).
pub fn amount() -> ObjectBuilder {
    typed(Type::Number).minimum(Some(0))
}

/// An instant as the API writes it: RFC 3339 in UTC with `Z`, whole seconds.
pub fn date_time() -> ObjectBuilder {
    string().format(Some(SchemaFormat::KnownFormat(KnownFormat::DateTime)))
}

/// A calendar date, `YYYY-MM-DD`.
pub fn date() -> ObjectBuilder {
    string().format(Some(SchemaFormat::KnownFormat(KnownFormat::Date)))
}

/// The pattern of an id with `prefix`: the prefix, `_`, 32 lower-case hex digits.
pub fn id_pattern(prefix: &str) -> String {
    format!("^{prefix}_[0-9a-f]{{32}}$")
}

pub fn id(prefix: &str) -> ObjectBuilder {
    string().pattern(Some(id_pattern(prefix)))
}

/// One of a fixed set of strings.
pub fn one_of(values: &[&str]) -> ObjectBuilder {
    string().enum_values(Some(values.iter().copied()))
}

/// A string that can only be `value`.
pub fn constant(t: Type, value: impl Into<Value>) -> ObjectBuilder {
    typed(t).enum_values(Some([value.into()]))
}

pub fn describe(b: ObjectBuilder, description: &str) -> ObjectBuilder {
    if description.is_empty() {
        b
    } else {
        b.description(Some(description))
    }
}

/// The same schema, also admitting `null` (and `null` among its allowed values, if it has some).
pub fn or_null(mut o: Object) -> Object {
    o.schema_type = match o.schema_type {
        SchemaType::Type(t) => SchemaType::Array(vec![t, Type::Null]),
        SchemaType::Array(mut ts) => {
            if !ts.contains(&Type::Null) {
                ts.push(Type::Null);
            }
            SchemaType::Array(ts)
        }
        any => any,
    };
    if let Some(values) = o.enum_values.as_mut() {
        if !values.contains(&Value::Null) {
            values.push(Value::Null);
        }
    }
    o
}

/// `null`, or the component `name`.
pub fn ref_or_null(name: &str, description: &str) -> RefOr<Schema> {
    let mut any = AnyOfBuilder::new().item(reference(name)).item(typed(Type::Null));
    if !description.is_empty() {
        any = any.description(Some(description));
    }
    RefOr::T(Schema::AnyOf(any.build()))
}

/// An object whose every property is always present (how the API writes its objects).
pub struct Obj(ObjectBuilder);

pub fn object(description: &str) -> Obj {
    Obj(describe(typed(Type::Object), description))
}

impl Obj {
    /// A property that is always present.
    pub fn prop(self, name: &str, schema: impl Into<RefOr<Schema>>) -> Obj {
        Obj(self.0.property(name, schema).required(name))
    }
    /// A property that may be left out.
    pub fn optional(self, name: &str, schema: impl Into<RefOr<Schema>>) -> Obj {
        Obj(self.0.property(name, schema))
    }
    pub fn closed(self) -> Obj {
        Obj(self.0.additional_properties(Some(utoipa::openapi::schema::AdditionalProperties::FreeForm(false))))
    }
    pub fn example(self, json: &str) -> Obj {
        Obj(self.0.examples([parse(json)]))
    }
    pub fn build(self) -> Object {
        self.0.build()
    }
    pub fn builder(self) -> ObjectBuilder {
        self.0
    }
}

impl From<Obj> for RefOr<Schema> {
    fn from(o: Obj) -> Self {
        RefOr::T(Schema::Object(o.build()))
    }
}

/// An array of `items`.
pub fn array(items: impl Into<RefOr<Schema>>, description: &str) -> ArrayBuilder {
    let b = ArrayBuilder::new().items(utoipa::openapi::schema::ArrayItems::RefOrSchema(Box::new(items.into())));
    if description.is_empty() {
        b
    } else {
        b.description(Some(description))
    }
}

/// An example written as JSON text (kept readable in the declarations).
pub fn parse(json: &str) -> Value {
    // A bad example fails the OpenAPI test; this generator is never compiled into the wasm.
    let parsed = serde_json::from_str(json);
    parsed.unwrap_or_else(|e| panic!("example is not JSON ({e}): {json}")) // ok: native-only
}

/// Any of the given schemas.
pub fn any_of(items: Vec<RefOr<Schema>>, description: &str) -> AnyOf {
    let mut b = AnyOfBuilder::new();
    for i in items {
        b = b.item(i);
    }
    if !description.is_empty() {
        b = b.description(Some(description));
    }
    b.build()
}
