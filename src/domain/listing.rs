//! The one listing mechanism every resource uses (SPEC §1.1, §1.2): query validation,
//! filters, `updated_since`, tombstones and keyset pagination, compiled to a single SQL
//! statement that is an index range scan on `(tenant_id, …, id)`.

pub use crate::domain::filters::{Filter, FilterKind};
use crate::domain::{cursor, filters, time};
use crate::error::{ApiError, ApiResult};
use crate::i18n::Msg;

/// A value bound to a SQL placeholder.
#[derive(Debug, Clone, PartialEq)]
pub enum Arg {
    Text(String),
    Int(i64),
    Real(f64),
    Null,
}

impl From<&str> for Arg {
    fn from(s: &str) -> Self {
        Arg::Text(s.to_string())
    }
}
impl From<String> for Arg {
    fn from(s: String) -> Self {
        Arg::Text(s)
    }
}
impl From<i64> for Arg {
    fn from(v: i64) -> Self {
        Arg::Int(v)
    }
}
impl<T: Into<Arg>> From<Option<T>> for Arg {
    fn from(v: Option<T>) -> Self {
        v.map(Into::into).unwrap_or(Arg::Null)
    }
}

/// The query string of a request, as decoded pairs.
#[derive(Debug, Default, Clone)]
pub struct Query {
    pairs: Vec<(String, String)>,
}

impl Query {
    pub fn new(pairs: Vec<(String, String)>) -> Self {
        Query { pairs }
    }
    /// Every pair, in the order sent.
    pub fn pairs(&self) -> impl Iterator<Item = (&String, &String)> {
        self.pairs.iter().map(|(k, v)| (k, v))
    }
    pub fn get(&self, name: &str) -> Option<&str> {
        self.pairs.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }
    /// 400 for any parameter not in `allowed`, or given twice.
    pub fn only(&self, allowed: &[&str]) -> ApiResult<()> {
        for (i, (k, _)) in self.pairs.iter().enumerate() {
            if !allowed.contains(&k.as_str()) || self.pairs[..i].iter().any(|(p, _)| p == k) {
                return Err(ApiError::bad_request(Msg::InvalidQuery(k.clone())));
            }
        }
        Ok(())
    }
    /// The same query less one parameter (one consumed by the handler itself).
    pub fn without(&self, name: &str) -> Query {
        Query { pairs: self.pairs.iter().filter(|(k, _)| k != name).cloned().collect() }
    }
    pub fn bool(&self, name: &str) -> ApiResult<Option<bool>> {
        match self.get(name) {
            None => Ok(None),
            Some("true") => Ok(Some(true)),
            Some("false") => Ok(Some(false)),
            Some(_) => Err(bad(name)),
        }
    }
}

pub(crate) fn bad(param: &str) -> ApiError {
    ApiError::bad_request(Msg::InvalidQuery(param.to_string()))
}

/// What one resource's list endpoint looks like.
#[derive(Debug)]
pub struct ListSpec {
    pub table: &'static str,
    /// The column that scopes rows to their owner (`tenant_id`; `parent_id` for divisions).
    pub scope: &'static str,
    /// SQL expression rendering one live row as its JSON object.
    pub json: &'static str,
    pub filters: &'static [Filter],
    /// Column bounded by `from`/`to` (inclusive), if the resource has a main date.
    pub date_column: Option<&'static str>,
}

pub const DEFAULT_LIMIT: usize = 50;
pub const MAX_LIMIT: usize = 200;

/// A compiled list query: fetches `limit + 1` rows of `(id, json)` to learn `has_more`.
#[derive(Debug)]
pub struct ListQuery {
    pub sql: String,
    pub args: Vec<Arg>,
    pub limit: usize,
}

/// The parameters of every list (`from`/`to` only where it has a main date).
pub const COMMON: &[&str] = &["limit", "cursor", "updated_since", "include_deleted", "from", "to"];
pub use super::filters::{MAX_SEARCH, MAX_VALUES, MAX_VALUE_CHARS};

/// `limit` of a page: 1–200, default 50 (400 otherwise).
pub fn page_limit(query: &Query) -> ApiResult<usize> {
    match query.get("limit") {
        None => Ok(DEFAULT_LIMIT),
        Some(v) => match v.parse::<usize>() {
            Ok(n) if (1..=MAX_LIMIT).contains(&n) => Ok(n),
            _ => Err(bad("limit")),
        },
    }
}

/// Validates `query` against `spec` and compiles the statement for one page of `tenant_id`'s
/// objects (of all objects for `None`: the operator's cross-tenant views).
pub fn compile(spec: &ListSpec, tenant_id: Option<&str>, query: &Query) -> ApiResult<ListQuery> {
    let mut allowed: Vec<&str> = COMMON.to_vec();
    if spec.date_column.is_none() {
        allowed.retain(|p| *p != "from" && *p != "to");
    }
    // After the common ones: a list of days declares its own `from`/`to` filters.
    allowed.extend(spec.filters.iter().map(|f| f.param));
    query.only(&allowed)?;

    let limit = page_limit(query)?;
    let include_deleted = query.bool("include_deleted")?.unwrap_or(false);

    let mut clauses = Vec::new();
    let mut args: Vec<Arg> = Vec::new();
    if let Some(t) = tenant_id {
        clauses.push(format!("{} = ?", spec.scope));
        args.push(t.into());
    }

    if let Some(c) = query.get("cursor") {
        let after = cursor::decode(c).ok_or_else(|| ApiError::bad_request(Msg::InvalidCursor))?;
        clauses.push("id > ?".into());
        args.push(after.into());
    }
    if !include_deleted {
        clauses.push("deleted_at IS NULL".into());
    }
    if let Some(v) = query.get("updated_since") {
        let t = time::normalize(v, false).ok_or_else(|| bad("updated_since"))?;
        clauses.push("updated_at >= ?".into());
        args.push(t.into());
    }
    if let Some(col) = spec.date_column {
        for (param, op, end) in [("from", ">=", false), ("to", "<=", true)] {
            if let Some(v) = query.get(param) {
                let t = time::normalize(v, end).ok_or_else(|| bad(param))?;
                clauses.push(format!("{col} {op} ?"));
                args.push(t.into());
            }
        }
    }
    for f in spec.filters {
        let Some(raw) = query.get(f.param) else { continue };
        let (clause, values) = filters::condition(f, raw)?;
        clauses.push(clause);
        args.extend(values);
    }

    let row = if include_deleted {
        format!(
            "CASE WHEN deleted_at IS NULL THEN {} ELSE json_object('id', id, 'deleted', json('true'), 'deleted_at', deleted_at) END",
            spec.json
        )
    } else {
        spec.json.to_string()
    };
    let sql = format!(
        "SELECT id, {row} AS j FROM {}{}{} ORDER BY id LIMIT {}",
        spec.table,
        if clauses.is_empty() { "" } else { " WHERE " },
        clauses.join(" AND "),
        limit + 1
    );
    Ok(ListQuery { sql, args, limit })
}

/// One page of results: the JSON objects and the cursor for the next page, if any.
#[derive(Debug, PartialEq)]
pub struct Page {
    pub items: Vec<String>,
    pub next_cursor: Option<String>,
}

/// Turns the `limit + 1` fetched `(id, json)` rows into a page.
pub fn paginate(mut rows: Vec<(String, String)>, limit: usize) -> Page {
    let has_more = rows.len() > limit;
    rows.truncate(limit);
    let next_cursor = if has_more { rows.last().map(|(id, _)| cursor::encode(id)) } else { None };
    Page { items: rows.into_iter().map(|(_, j)| j).collect(), next_cursor }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::workers::WorkerStatus;

    static SPEC: ListSpec = ListSpec {
        table: "workers",
        scope: "tenant_id",
        json: "json_object('id', id)",
        filters: &[
            Filter { param: "status", column: "status", kind: FilterKind::OneOf(WorkerStatus::NAMES) },
            Filter { param: "site_id", column: "site_id", kind: FilterKind::Ids("site") },
            Filter { param: "q", column: "", kind: FilterKind::Search(&["name", "email"]) },
            Filter { param: "code", column: "code", kind: FilterKind::Ints(100, 599) },
        ],
        date_column: None,
    };

    fn q(pairs: &[(&str, &str)]) -> Query {
        Query::new(pairs.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect())
    }

    #[test]
    fn defaults_to_live_rows_in_id_order() {
        let lq = compile(&SPEC, Some("ten_1"), &q(&[])).unwrap();
        assert_eq!(
            lq.sql,
            "SELECT id, json_object('id', id) AS j FROM workers WHERE tenant_id = ? AND deleted_at IS NULL ORDER BY id LIMIT 51"
        );
        assert_eq!(lq.args, vec![Arg::Text("ten_1".into())]);
    }

    #[test]
    fn unscoped_lists_have_no_tenant_clause() {
        let lq = compile(&SPEC, None, &q(&[("include_deleted", "true")])).unwrap();
        assert!(lq.sql.contains("FROM workers ORDER BY id"), "{}", lq.sql);
        assert!(lq.args.is_empty());
    }

    #[test]
    fn multi_value_filters_and_cursor() {
        let c = cursor::encode("wkr_9");
        let lq =
            compile(&SPEC, Some("t"), &q(&[("status", "active,inactive"), ("cursor", &c), ("limit", "2")])).unwrap();
        assert!(lq.sql.contains("id > ?"));
        assert!(lq.sql.contains("status IN (SELECT value FROM json_each(?))"));
        assert!(lq.sql.ends_with("LIMIT 3"));
        assert_eq!(lq.args.len(), 3);
    }

    #[test]
    fn every_filter_at_its_most_values_stays_within_d1s_bound_parameters() {
        let sites: Vec<String> = (0..100).map(|i| format!("site_0193c2aa00007000800000000000{i:04}")).collect();
        let codes: Vec<String> = (0..100).map(|i| (200 + i).to_string()).collect();
        let statuses = vec!["active"; 100].join(",");
        let query = q(&[("site_id", &sites.join(",")), ("code", &codes.join(",")), ("status", &statuses), ("q", "a")]);
        let lq = compile(&SPEC, Some("t"), &query).unwrap();
        assert_eq!(lq.args.len(), 1 + 3 + 2);
    }

    #[test]
    fn rejects_bad_values_and_unknown_parameters() {
        for pairs in [
            vec![("status", "gone")],
            vec![("status", "active,")],
            vec![("limit", "0")],
            vec![("limit", "201")],
            vec![("limit", "x")],
            vec![("cursor", "zzz")],
            vec![("site_id", "wkr_1")],
            vec![("code", "99")],
            vec![("code", "2x")],
            vec![("include_deleted", "yes")],
            vec![("updated_since", "last week")],
            vec![("from", "2026-01-01")],
            vec![("colour", "red")],
            vec![("status", "active"), ("status", "inactive")],
        ] {
            let err = compile(&SPEC, Some("t"), &q(&pairs)).unwrap_err();
            assert_eq!(err.status(), 400, "{pairs:?}");
        }
    }

    #[test]
    fn tombstones_when_deleted_included() {
        let lq =
            compile(&SPEC, Some("t"), &q(&[("include_deleted", "true"), ("updated_since", "2026-01-01")])).unwrap();
        assert!(lq.sql.contains("'deleted', json('true')"));
        assert!(!lq.sql.contains("AND deleted_at IS NULL"));
        assert_eq!(lq.args[1], Arg::Text("2026-01-01T00:00:00Z".into()));
    }

    #[test]
    fn paginate_reports_has_more_with_a_cursor() {
        let rows = |n: usize| (0..n).map(|i| (format!("wkr_{i}"), format!("{{\"i\":{i}}}"))).collect();
        let page = paginate(rows(3), 2);
        assert_eq!(page.items.len(), 2);
        assert_eq!(page.next_cursor.as_deref().and_then(cursor::decode).as_deref(), Some("wkr_1"));
        assert_eq!(paginate(rows(2), 2).next_cursor, None);
    }
}
