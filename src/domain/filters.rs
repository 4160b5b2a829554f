//! List filters (SPEC §1.1): how one filter parameter becomes one SQL condition. Several
//! comma-separated values are bound as one JSON array (`json_each`), so a request stays within
//! D1's 100 bound parameters however many values and filters it sends: the only limits are
//! the documented per-filter ones. `q` matches with `instr`, which has no pattern-length limit
//! (D1 refuses LIKE patterns over 50 bytes).

use serde_json::Value;

use super::ids;
use super::listing::{bad, Arg};
use crate::error::ApiResult;

/// At most this many comma-separated values per filter.
pub const MAX_VALUES: usize = 100;
/// `q` is 1 to this many characters (after trimming).
pub const MAX_SEARCH: usize = 200;
/// Each value of a free-text filter (`Values`) is at most this many characters.
pub const MAX_VALUE_CHARS: usize = 100;

/// How a filter parameter maps onto a column.
#[derive(Debug, Clone, Copy)]
pub enum FilterKind {
    /// Comma-separated values, each one of the listed ones.
    OneOf(&'static [&'static str]),
    /// Comma-separated ids with this prefix.
    Ids(&'static str),
    /// Case-insensitive (ASCII, as SQLite's `lower`) substring over these columns.
    Search(&'static [&'static str]),
    /// `true`/`false` against an integer 0/1 column.
    Flag,
    /// Comma-separated integers within a range.
    Ints(i64, i64),
    /// Comma-separated free values, matched exactly.
    Values,
    /// A day `YYYY-MM-DD`: objects whose date column (dates kept as written) is on or after it.
    OnOrAfter,
    /// A day `YYYY-MM-DD`: objects whose date column is on or before it.
    OnOrBefore,
}

#[derive(Debug, Clone, Copy)]
pub struct Filter {
    pub param: &'static str,
    pub column: &'static str,
    pub kind: FilterKind,
}

/// The condition for `raw`, the parameter's value, and what it binds; 400 naming the
/// parameter when a value is not acceptable.
pub fn condition(f: &Filter, raw: &str) -> ApiResult<(String, Vec<Arg>)> {
    let accept = |ok: bool| if ok { Ok(()) } else { Err(bad(f.param)) };
    match f.kind {
        FilterKind::OneOf(allowed) => {
            let values = split(f.param, raw)?;
            accept(values.iter().all(|v| allowed.contains(v)))?;
            Ok(one_of(f.column, values.into_iter().map(Value::from).collect()))
        }
        FilterKind::Ids(prefix) => {
            let values = split(f.param, raw)?;
            accept(values.iter().all(|v| ids::is_id(prefix, v)))?;
            Ok(one_of(f.column, values.into_iter().map(Value::from).collect()))
        }
        FilterKind::Values => {
            let values = split(f.param, raw)?;
            accept(values.iter().all(|v| v.chars().count() <= MAX_VALUE_CHARS))?;
            Ok(one_of(f.column, values.into_iter().map(Value::from).collect()))
        }
        FilterKind::Ints(min, max) => {
            let mut ints = Vec::new();
            for v in split(f.param, raw)? {
                match v.parse::<i64>() {
                    Ok(n) if (min..=max).contains(&n) => ints.push(Value::from(n)),
                    _ => return Err(bad(f.param)),
                }
            }
            Ok(one_of(f.column, ints))
        }
        FilterKind::Flag => {
            let on = match raw {
                "true" => 1,
                "false" => 0,
                _ => return Err(bad(f.param)),
            };
            Ok((format!("{} = ?", f.column), vec![Arg::Int(on)]))
        }
        FilterKind::OnOrAfter | FilterKind::OnOrBefore => {
            let day = raw.trim();
            accept(day.len() == 10 && chrono::NaiveDate::parse_from_str(day, "%Y-%m-%d").is_ok())?;
            let op = if matches!(f.kind, FilterKind::OnOrAfter) { ">=" } else { "<=" };
            Ok((format!("{} {op} ?", f.column), vec![Arg::Text(day.to_string())]))
        }
        FilterKind::Search(columns) => {
            let needle = raw.trim();
            accept(!needle.is_empty() && needle.chars().count() <= MAX_SEARCH)?;
            let needle = needle.to_ascii_lowercase();
            let ors: Vec<String> = columns.iter().map(|c| format!("instr(lower({c}), ?) > 0")).collect();
            Ok((format!("({})", ors.join(" OR ")), columns.iter().map(|_| Arg::Text(needle.clone())).collect()))
        }
    }
}

fn split<'a>(param: &str, raw: &'a str) -> ApiResult<Vec<&'a str>> {
    let values: Vec<&str> = raw.split(',').map(str::trim).collect();
    if values.iter().any(|v| v.is_empty()) || values.len() > MAX_VALUES {
        return Err(bad(param));
    }
    Ok(values)
}

/// `column = ?` for one value (so a single-value filter can use its index), else membership
/// in the values bound as one JSON array.
fn one_of(column: &str, mut values: Vec<Value>) -> (String, Vec<Arg>) {
    if values.len() == 1 {
        let arg = match values.remove(0) {
            Value::Number(n) => n.as_i64().map_or(Arg::Null, Arg::Int),
            Value::String(s) => Arg::Text(s),
            _ => Arg::Null,
        };
        return (format!("{column} = ?"), vec![arg]);
    }
    (format!("{column} IN (SELECT value FROM json_each(?))"), vec![Arg::Text(Value::Array(values).to_string())])
}

#[cfg(test)]
mod tests {
    use super::*;

    const STATUS: Filter =
        Filter { param: "status", column: "status", kind: FilterKind::OneOf(&["active", "inactive"]) };
    const SITE: Filter = Filter { param: "site_id", column: "site_id", kind: FilterKind::Ids("site") };
    const CODE: Filter = Filter { param: "code", column: "code", kind: FilterKind::Ints(100, 599) };
    const Q: Filter = Filter { param: "q", column: "", kind: FilterKind::Search(&["name", "email"]) };

    #[test]
    fn one_value_is_an_equality_several_are_one_json_array() {
        assert_eq!(condition(&STATUS, "active").unwrap(), ("status = ?".into(), vec![Arg::Text("active".into())]));
        let (sql, args) = condition(&STATUS, "active, inactive").unwrap();
        assert_eq!(sql, "status IN (SELECT value FROM json_each(?))");
        assert_eq!(args, vec![Arg::Text(r#"["active","inactive"]"#.into())]);
        assert_eq!(condition(&CODE, "200,429").unwrap().1, vec![Arg::Text("[200,429]".into())]);
        assert_eq!(condition(&CODE, "429").unwrap().1, vec![Arg::Int(429)]);
    }

    #[test]
    fn a_hundred_values_bind_one_parameter_and_more_are_400() {
        let ids: Vec<String> = (0..101).map(|i| format!("site_0193c2aa00007000800000000000{i:04}")).collect();
        let (_, args) = condition(&SITE, &ids[..100].join(",")).unwrap();
        assert_eq!(args.len(), 1);
        assert_eq!(condition(&SITE, &ids.join(",")).unwrap_err().status(), 400);
    }

    #[test]
    fn search_is_a_substring_of_any_length_up_to_200() {
        let (sql, args) = condition(&Q, " 50%_Off ").unwrap();
        assert_eq!(sql, "(instr(lower(name), ?) > 0 OR instr(lower(email), ?) > 0)");
        assert_eq!(args, vec![Arg::Text("50%_off".into()); 2]);
        assert_eq!(condition(&Q, "Ángel").unwrap().1[0], Arg::Text("Ángel".into()), "only ASCII folds, as in SQLite");
        assert!(condition(&Q, &"x".repeat(200)).is_ok());
        assert_eq!(condition(&Q, &"x".repeat(201)).unwrap_err().status(), 400);
        assert_eq!(condition(&Q, "  ").unwrap_err().status(), 400);
    }

    #[test]
    fn bad_values_are_400() {
        for (f, raw) in [(&STATUS, "gone"), (&STATUS, "active,"), (&SITE, "wkr_1"), (&CODE, "99"), (&CODE, "2x")] {
            assert_eq!(condition(f, raw).unwrap_err().status(), 400, "{} {raw}", f.param);
        }
        let flag = Filter { param: "published", column: "published", kind: FilterKind::Flag };
        assert_eq!(condition(&flag, "yes").unwrap_err().status(), 400);
        assert_eq!(condition(&flag, "false").unwrap().1, vec![Arg::Int(0)]);
    }

    #[test]
    fn days_bound_a_date_column_inclusively() {
        let from = Filter { param: "from", column: "spent_date", kind: FilterKind::OnOrAfter };
        let to = Filter { param: "to", column: "spent_date", kind: FilterKind::OnOrBefore };
        assert_eq!(condition(&from, "2026-03-01").unwrap(), ("spent_date >= ?".into(), vec![Arg::from("2026-03-01")]));
        assert_eq!(condition(&to, "2026-03-31").unwrap().0, "spent_date <= ?");
        for raw in ["2026-02-30", "2026-3-1", "20260301", "2026-03-01T00:00:00Z", ""] {
            assert_eq!(condition(&from, raw).unwrap_err().status(), 400, "{raw}");
        }
    }
}
