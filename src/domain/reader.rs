//! Reading a JSON body against its field declarations ([`super::model`], SPEC §1): each value
//! by its kind, absent and `null` by the field's presence, nested objects and lists with their
//! errors named by path, then the rules across fields — every problem collected into one 422.

use serde_json::Value;

use super::fields::{is_email, is_phone, Fields, Patch};
use super::listing::Arg;
use super::model::{names, Columns, FieldDef, Kind, Nested, Presence, Rule, Shape, CURRENCIES};
use super::scopes::{Preset, Scope};
use super::{ids, tenants, time};
use crate::error::ApiResult;
use crate::i18n::FieldCode;

/// The largest integer id ([`Kind::IntList`]): what a JavaScript number holds exactly.
const MAX_INT_ID: i64 = (1 << 53) - 1;

/// Most scopes one body may give.
pub const MAX_SCOPES: usize = 64;

/// One field's validated value.
enum Val {
    Arg(Arg),
    Nested(Nested),
}

/// A [`Kind::Code`]: letters, digits, `-`, `_` and `.` only.
pub fn is_code(s: &str) -> bool {
    s.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b))
}

fn instant(f: &mut Fields, name: &str, end_of_day: bool) -> Patch<Val> {
    match f.text(name, 40) {
        Patch::Set(s) => match time::normalize(&s, end_of_day) {
            Some(t) => Patch::Set(Val::Arg(Arg::Text(t))),
            None => {
                f.fail(name, FieldCode::Invalid);
                Patch::Absent
            }
        },
        other => other.map(|s| Val::Arg(Arg::Text(s))),
    }
}

/// `"read-only"`, `"read-write"` or a non-empty list of at most 64 valid scopes (duplicates
/// dropped), each parsed once here.
fn scope_list(f: &mut Fields, name: &str, value: &Value) -> Option<Vec<Scope>> {
    match value {
        Value::String(p) => {
            let expanded = Preset::parse(p).map(Preset::scopes);
            if expanded.is_none() {
                f.fail(name, FieldCode::NotAllowed);
            }
            expanded
        }
        Value::Array(items) => {
            let list: Vec<Scope> = items.iter().filter_map(|v| v.as_str().and_then(Scope::parse)).collect();
            if list.is_empty() || list.len() != items.len() || list.len() > MAX_SCOPES {
                f.fail(name, FieldCode::Invalid);
                return None;
            }
            let mut unique: Vec<Scope> = Vec::with_capacity(list.len());
            for s in list {
                if !unique.contains(&s) {
                    unique.push(s);
                }
            }
            Some(unique)
        }
        _ => {
            f.fail(name, FieldCode::WrongType);
            None
        }
    }
}

/// Reads `value` as an object of `shape` (create semantics: nested objects are replaced whole);
/// its errors are reported on `f` under `prefix`.
fn nested(f: &mut Fields, prefix: &str, value: &Value, shape: &Shape) -> Option<Columns> {
    // A value that is not an object is wrong as a whole: reported as itself, not as its body.
    if !value.is_object() {
        f.fail(prefix, FieldCode::WrongType);
        return None;
    }
    let mut inner = Fields::new(value, &names(shape.fields));
    let cols = read_fields(&mut inner, shape.fields, shape.rules, true);
    match inner.finish() {
        Ok(()) => Some(cols),
        Err(e) => {
            e.details.iter().for_each(|d| f.fail(&format!("{prefix}.{}", d.field), d.code));
            None
        }
    }
}

/// `YYYY-MM-DD`, a real day, with four-digit years and two-digit months and days.
fn is_date(s: &str) -> bool {
    s.len() == 10 && chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").is_ok()
}

fn read(f: &mut Fields, d: &FieldDef, refs: &mut Vec<super::model::RefCheck>) -> Patch<Val> {
    let arg = |p: Patch<String>| p.map(|s| Val::Arg(Arg::Text(s)));
    let id = |f: &mut Fields, prefix: &str| f.text_where(d.name, 64, |s| ids::is_id(prefix, s));
    match d.kind {
        Kind::Text(max) | Kind::Url(max) => arg(f.text(d.name, max)),
        Kind::Email => arg(f.text_where(d.name, 254, is_email)),
        Kind::Phone => arg(f.text_where(d.name, 32, is_phone)),
        Kind::Code(max) => arg(f.text_where(d.name, max, is_code)),
        Kind::Clock => arg(f.text_where(d.name, 12, |s| super::harvest::wire::parse_clock(s).is_some())),
        Kind::Int(min, max) => f.int(d.name, min, max).map(|v| Val::Arg(Arg::Int(v))),
        Kind::Real(min, max) => f.real(d.name, min, max).map(|v| Val::Arg(Arg::Real(v))),
        Kind::Bool => f.boolean(d.name).map(|b| Val::Arg(Arg::Int(b as i64))),
        Kind::OneOf(values) => arg(f.one_of(d.name, values)),
        Kind::Timezone => arg(f.text_where(d.name, 64, tenants::is_timezone)),
        Kind::Currency => arg(f.one_of(d.name, CURRENCIES)),
        Kind::Instant => instant(f, d.name, false),
        Kind::EndInstant => instant(f, d.name, true),
        Kind::Date => arg(f.text_where(d.name, 10, is_date)),
        Kind::Id(prefix) => arg(id(f, prefix)),
        Kind::Ref(prefix, table) => match id(f, prefix) {
            Patch::Set(id) => {
                refs.push((d.name, table, id.clone()));
                Patch::Set(Val::Arg(Arg::Text(id)))
            }
            other => arg(other),
        },
        Kind::Json(_) | Kind::Checked(_) => match f.object(d.name) {
            Patch::Set(obj) => {
                let text = obj.to_string();
                if matches!(d.kind, Kind::Json(max) if text.len() > max) {
                    f.fail(d.name, FieldCode::TooLong);
                    return Patch::Absent;
                }
                Patch::Set(Val::Arg(Arg::Text(text)))
            }
            other => other.map(|_| Val::Arg(Arg::Null)),
        },
        Kind::Object(shape) => match f.object(d.name) {
            Patch::Set(obj) => match nested(f, d.name, obj, shape) {
                Some(cols) => Patch::Set(Val::Nested(Nested::Object(cols))),
                None => Patch::Absent,
            },
            other => other.map(|_| Val::Arg(Arg::Null)),
        },
        Kind::List(shape, max) => match f.array(d.name) {
            Patch::Set(items) if items.len() > max => {
                f.fail(d.name, FieldCode::TooLong);
                Patch::Absent
            }
            Patch::Set(items) => {
                let read: Vec<Option<Columns>> = items
                    .iter()
                    .enumerate()
                    .map(|(i, item)| nested(f, &format!("{}[{i}]", d.name), item, shape))
                    .collect();
                match read.into_iter().collect::<Option<Vec<_>>>() {
                    Some(list) => Patch::Set(Val::Nested(Nested::List(list))),
                    None => Patch::Absent,
                }
            }
            other => other.map(|_| Val::Arg(Arg::Null)),
        },
        Kind::Items(_, min, max) => match f.value(d.name) {
            Patch::Set(Value::Array(items)) if (min..=max).contains(&items.len()) => {
                Patch::Set(Val::Nested(Nested::Items(items.len())))
            }
            Patch::Set(Value::Array(_)) => {
                f.fail(d.name, FieldCode::OutOfRange);
                Patch::Absent
            }
            Patch::Set(_) => {
                f.fail(d.name, FieldCode::Required);
                Patch::Absent
            }
            other => other.map(|_| Val::Arg(Arg::Null)),
        },
        Kind::Names { values, max, alone } => match f.array(d.name) {
            Patch::Set(items) if items.is_empty() || items.len() > max => {
                f.fail(d.name, FieldCode::OutOfRange);
                Patch::Absent
            }
            Patch::Set(items) => match names_of(items, values) {
                Some(list) if list.len() > 1 && alone.is_some_and(|a| list.iter().any(|n| n == a)) => {
                    f.fail(d.name, FieldCode::NotAllowed);
                    Patch::Absent
                }
                Some(list) => Patch::Set(Val::Arg(Arg::Text(Value::from(list).to_string()))),
                None => {
                    f.fail(d.name, FieldCode::Invalid);
                    Patch::Absent
                }
            },
            other => other.map(|_| Val::Arg(Arg::Null)),
        },
        Kind::IdList(prefix, max) => match f.array(d.name) {
            Patch::Set(items) if items.is_empty() || items.len() > max => {
                f.fail(d.name, FieldCode::OutOfRange);
                Patch::Absent
            }
            Patch::Set(items) => match ids_of(items, prefix) {
                Some(list) => Patch::Set(Val::Arg(Arg::Text(Value::from(list).to_string()))),
                None => {
                    f.fail(d.name, FieldCode::Invalid);
                    Patch::Absent
                }
            },
            other => other.map(|_| Val::Arg(Arg::Null)),
        },
        Kind::IntList(max) => match f.array(d.name) {
            Patch::Set(items) if items.is_empty() || items.len() > max => {
                f.fail(d.name, FieldCode::OutOfRange);
                Patch::Absent
            }
            Patch::Set(items) => match ints_of(items) {
                Some(list) => Patch::Set(Val::Arg(Arg::Text(Value::from(list).to_string()))),
                None => {
                    f.fail(d.name, FieldCode::Invalid);
                    Patch::Absent
                }
            },
            other => other.map(|_| Val::Arg(Arg::Null)),
        },
        Kind::Scopes => match f.value(d.name) {
            Patch::Set(v) => match scope_list(f, d.name, v) {
                Some(list) => Patch::Set(Val::Nested(Nested::Scopes(list))),
                None => Patch::Absent,
            },
            other => other.map(|_| Val::Arg(Arg::Null)),
        },
    }
}

/// The items as values of `allowed`, in order, duplicates dropped; `None` if any is not one.
fn names_of(items: &[Value], allowed: &[&str]) -> Option<Vec<String>> {
    let mut out: Vec<String> = Vec::with_capacity(items.len());
    for item in items {
        let name = item.as_str().filter(|n| allowed.contains(n))?;
        if !out.iter().any(|x| x == name) {
            out.push(name.to_string());
        }
    }
    Some(out)
}

/// The ids of a list, each with `prefix`, in order, repeats dropped; `None` if any is not one.
fn ids_of(items: &[Value], prefix: &str) -> Option<Vec<String>> {
    let mut out: Vec<String> = Vec::with_capacity(items.len());
    for item in items {
        let id = item.as_str().filter(|s| ids::is_id(prefix, s))?;
        if !out.iter().any(|x| x == id) {
            out.push(id.to_string());
        }
    }
    Some(out)
}

/// The items as integer ids (1 to 2^53 − 1), in order, repeats dropped; `None` if any is not one.
fn ints_of(items: &[Value]) -> Option<Vec<i64>> {
    let mut out: Vec<i64> = Vec::with_capacity(items.len());
    for item in items {
        // A JSON number with a zero fraction (`7.0`) is an integer too, as JSON Schema says.
        let n = item.as_i64().or_else(|| {
            let x = item.as_f64().filter(|x| x.fract() == 0.0 && (1.0..=MAX_INT_ID as f64).contains(x))?;
            Some(x as i64)
        });
        let n = n.filter(|n| (1..=MAX_INT_ID).contains(n))?;
        if !out.contains(&n) {
            out.push(n);
        }
    }
    Some(out)
}

fn put(cols: &mut Columns, name: &'static str, value: Val) {
    match value {
        Val::Arg(a) => cols.values.push((name, a)),
        Val::Nested(n) => cols.nested.push((name, n)),
    }
}

fn check(f: &mut Fields, rule: &Rule, cols: &Columns) {
    match *rule {
        Rule::AnyOf(fields) => {
            if !fields.iter().any(|n| cols.is_set(n) || f.has_error(n)) {
                f.fail(fields[0], FieldCode::Required);
            }
        }
        Rule::Requires(given, needed) => {
            if cols.is_set(given) && !cols.is_set(needed) && !f.has_error(needed) {
                f.fail(needed, FieldCode::Required);
            }
        }
        Rule::OnlyWhen(field, other, value) => {
            if cols.is_set(field) && cols.text(other) != Some(value) {
                f.fail(field, FieldCode::NotAllowed);
            }
        }
        Rule::NotBefore(later, earlier) => {
            if let (Some(a), Some(b)) = (cols.text(later), cols.text(earlier)) {
                if a < b {
                    f.fail(later, FieldCode::OutOfRange);
                }
            }
        }
    }
}

fn read_fields(f: &mut Fields, defs: &[FieldDef], rules: &[Rule], create: bool) -> Columns {
    let mut cols = Columns::default();
    for d in defs {
        let value = read(f, d, &mut cols.refs);
        let refused = match value {
            Patch::Set(_) => false,
            Patch::Null => match d.presence {
                Presence::Optional => false,
                Presence::Defaulted => !create,
                Presence::Required | Presence::NotNull => true,
            },
            Patch::Absent => create && d.presence == Presence::Required,
        };
        if refused {
            if !f.has_error(d.name) {
                f.fail(d.name, FieldCode::Required);
            }
            continue;
        }
        match (value, d.default) {
            (Patch::Set(v), _) => put(&mut cols, d.name, v),
            (Patch::Null, Some(default)) if create => cols.values.push((d.name, default.arg())),
            (Patch::Null, _) if matches!(d.kind, Kind::Object(_) | Kind::List(..) | Kind::Items(..) | Kind::Scopes) => {
                cols.nested.push((d.name, Nested::Null))
            }
            (Patch::Null, _) => cols.values.push((d.name, Arg::Null)),
            (Patch::Absent, Some(default)) if create && !f.has_error(d.name) => {
                cols.values.push((d.name, default.arg()))
            }
            (Patch::Absent, _) => {}
        }
    }
    for rule in rules {
        check(f, rule, &cols);
    }
    cols
}

/// Reads `body` against `defs` and `rules`, allowing `extra` field names read elsewhere. The
/// columns come back with the reader, so a handler can add checks of its own before
/// [`Fields::finish`] reports every problem at once. On create, required fields must be
/// present and defaults fill what is left out; on update, only `Optional` fields may be `null`.
pub fn read_body<'a>(
    body: &'a Value,
    defs: &[FieldDef],
    rules: &[Rule],
    extra: &[&str],
    create: bool,
) -> (Columns, Fields<'a>) {
    let mut allowed = names(defs);
    allowed.extend_from_slice(extra);
    let mut f = Fields::new(body, &allowed);
    let cols = read_fields(&mut f, defs, rules, create);
    (cols, f)
}

/// Validates `body` against `defs` (plus any `extra` field names a handler reads itself) and
/// returns what it sets.
pub fn parse(body: &Value, defs: &[FieldDef], extra: &[&str], create: bool) -> ApiResult<Columns> {
    parse_with(body, defs, &[], extra, create)
}

/// [`parse`] with rules across the fields.
pub fn parse_with(body: &Value, defs: &[FieldDef], rules: &[Rule], extra: &[&str], create: bool) -> ApiResult<Columns> {
    let (cols, f) = read_body(body, defs, rules, extra, create);
    f.finish()?;
    Ok(cols)
}

#[cfg(test)]
mod tests;
