//! Query parameters a handler reads itself, beside the list parameters of [`super::listing`]
//! (SPEC §1.1): each declared once with its kind, which both the handler's reading and the
//! OpenAPI document use. A missing required, malformed or unknown parameter is 400.

use chrono::NaiveDate;

use super::ids;
use super::listing::Query;
use super::named::Named;
use crate::error::{ApiError, ApiResult};
use crate::i18n::Msg;

/// What a parameter's value must be.
#[derive(Debug, Clone, Copy)]
pub enum ParamKind {
    /// A calendar date, `YYYY-MM-DD`.
    Date,
    Int(i64, i64),
    /// An id with this prefix.
    Id(&'static str),
    /// One of these words.
    OneOf(&'static [&'static str]),
    /// Exactly this many lower-case hexadecimal digits (a signature).
    Hex(usize),
    /// Comma-separated ids with this prefix (1–100, repeats dropped).
    Ids(&'static str),
    /// Comma-separated words, each one of these (repeats dropped).
    Words(&'static [&'static str]),
    /// An instant (RFC 3339, or a date for its first second), read by the handler.
    Instant,
    /// A calendar date as Harvest's clients send it: `YYYY-MM-DD` or `YYYYMMDD`.
    HarvestDate,
    /// Visible ASCII of at most this many characters (a token or an id read as sent).
    Opaque(usize),
}

#[derive(Debug, Clone, Copy)]
pub struct Param {
    pub name: &'static str,
    pub kind: ParamKind,
    pub required: bool,
    /// What the OpenAPI document says of it (native builds only).
    #[cfg(not(target_arch = "wasm32"))]
    pub doc: &'static str,
}

impl Param {
    const fn new(name: &'static str, kind: ParamKind, required: bool) -> Param {
        Param {
            name,
            kind,
            required,
            #[cfg(not(target_arch = "wasm32"))]
            doc: "",
        }
    }
    pub const fn required(name: &'static str, kind: ParamKind) -> Param {
        Param::new(name, kind, true)
    }
    pub const fn optional(name: &'static str, kind: ParamKind) -> Param {
        Param::new(name, kind, false)
    }
    #[allow(unused_mut, unused_variables)]
    pub const fn doc(mut self, text: &'static str) -> Param {
        #[cfg(not(target_arch = "wasm32"))]
        {
            self.doc = text;
        }
        self
    }
}

fn bad(name: &str) -> ApiError {
    ApiError::bad_request(Msg::InvalidQuery(name.to_string()))
}

/// 400 for any parameter not in `params`, or given twice.
pub fn only(query: &Query, params: &[Param]) -> ApiResult<()> {
    query.only(&params.iter().map(|p| p.name).collect::<Vec<_>>())
}

/// The raw value of `p`: 400 when it is required and missing.
fn raw<'q>(query: &'q Query, p: &Param) -> ApiResult<Option<&'q str>> {
    match query.get(p.name) {
        None if p.required => Err(bad(p.name)),
        other => Ok(other),
    }
}

/// A [`ParamKind::Date`] parameter.
pub fn date(query: &Query, p: &Param) -> ApiResult<Option<NaiveDate>> {
    match raw(query, p)? {
        Some(v) => NaiveDate::parse_from_str(v, "%Y-%m-%d").map(Some).map_err(|_| bad(p.name)),
        None => Ok(None),
    }
}

/// A [`ParamKind::Int`] parameter, within its bounds.
pub fn int(query: &Query, p: &Param) -> ApiResult<Option<i64>> {
    let ParamKind::Int(min, max) = p.kind else { return Err(bad(p.name)) };
    match raw(query, p)? {
        Some(v) => v.parse::<i64>().ok().filter(|n| (min..=max).contains(n)).map(Some).ok_or_else(|| bad(p.name)),
        None => Ok(None),
    }
}

/// A [`ParamKind::Id`] parameter.
pub fn id<'q>(query: &'q Query, p: &Param) -> ApiResult<Option<&'q str>> {
    let ParamKind::Id(prefix) = p.kind else { return Err(bad(p.name)) };
    match raw(query, p)? {
        Some(v) if ids::is_id(prefix, v) => Ok(Some(v)),
        Some(_) => Err(bad(p.name)),
        None => Ok(None),
    }
}

/// A [`ParamKind::Hex`] parameter.
pub fn hex<'q>(query: &'q Query, p: &Param) -> ApiResult<Option<&'q str>> {
    let ParamKind::Hex(len) = p.kind else { return Err(bad(p.name)) };
    match raw(query, p)? {
        Some(v) if v.len() == len && v.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)) => Ok(Some(v)),
        Some(_) => Err(bad(p.name)),
        None => Ok(None),
    }
}

/// A [`ParamKind::OneOf`] parameter, as the named value it spells.
pub fn one_of<T: Named>(query: &Query, p: &Param) -> ApiResult<Option<T>> {
    match raw(query, p)? {
        Some(v) => T::parse(v).map(Some).ok_or_else(|| bad(p.name)),
        None => Ok(None),
    }
}

/// The comma-separated values of `p`, each accepted by `valid`, repeats dropped; 400 for an
/// empty value, more than 100, or one `valid` refuses.
fn list<'q>(query: &'q Query, p: &Param, valid: impl Fn(&str) -> bool) -> ApiResult<Option<Vec<&'q str>>> {
    let Some(v) = raw(query, p)? else { return Ok(None) };
    let mut out: Vec<&str> = Vec::new();
    for item in v.split(',').map(str::trim) {
        if !valid(item) {
            return Err(bad(p.name));
        }
        if !out.contains(&item) {
            out.push(item);
        }
    }
    if out.len() > super::filters::MAX_VALUES {
        return Err(bad(p.name));
    }
    Ok(Some(out))
}

/// A [`ParamKind::Ids`] parameter.
pub fn ids<'q>(query: &'q Query, p: &Param) -> ApiResult<Option<Vec<&'q str>>> {
    let ParamKind::Ids(prefix) = p.kind else { return Err(bad(p.name)) };
    list(query, p, |v| ids::is_id(prefix, v))
}

/// A [`ParamKind::Words`] parameter.
pub fn words<'q>(query: &'q Query, p: &Param) -> ApiResult<Option<Vec<&'q str>>> {
    let ParamKind::Words(allowed) = p.kind else { return Err(bad(p.name)) };
    list(query, p, |v| allowed.contains(&v))
}

/// A [`ParamKind::Opaque`] parameter.
pub fn opaque<'q>(query: &'q Query, p: &Param) -> ApiResult<Option<&'q str>> {
    let ParamKind::Opaque(max) = p.kind else { return Err(bad(p.name)) };
    match raw(query, p)? {
        Some(v) if !v.is_empty() && v.len() <= max && v.bytes().all(|b| b.is_ascii_graphic()) => Ok(Some(v)),
        Some(_) => Err(bad(p.name)),
        None => Ok(None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_of_ids_and_words() {
        let w = Param::optional("worker_ids", ParamKind::Ids("wkr"));
        let a = format!("wkr_{}", "a".repeat(32));
        let b = format!("wkr_{}", "b".repeat(32));
        let query = q(&[("worker_ids", &format!("{a}, {b},{a}"))]);
        let got = ids(&query, &w).unwrap().unwrap();
        assert_eq!(got, [a.as_str(), b.as_str()]);
        for bad in ["", "wkr_1", &format!("{a},"), &format!("{a},site_{}", "a".repeat(32))] {
            assert!(ids(&q(&[("worker_ids", bad)]), &w).is_err(), "{bad}");
        }
        let too_many = q(&[("worker_ids", &vec![a.as_str(); 101].join(","))]);
        assert_eq!(ids(&too_many, &w).unwrap().unwrap().len(), 1, "repeats are dropped first");
        let inc = Param::optional("include", ParamKind::Words(&["context", "latest"]));
        let both = q(&[("include", "latest,context")]);
        assert_eq!(words(&both, &inc).unwrap().unwrap(), ["latest", "context"]);
        assert!(words(&q(&[("include", "sites")]), &inc).is_err());
        let t = Param::optional("token", ParamKind::Opaque(8));
        assert_eq!(opaque(&q(&[("token", "ect_ab.c")]), &t).unwrap(), Some("ect_ab.c"));
        assert!(opaque(&q(&[("token", "ect_ab.cd")]), &t).is_err());
        assert!(opaque(&q(&[("token", "a b")]), &t).is_err());
    }

    fn q(pairs: &[(&str, &str)]) -> Query {
        Query::new(pairs.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect())
    }

    const MONTH: Param = Param::required("month", ParamKind::Int(1, 12));
    const DAY: Param = Param::optional("date", ParamKind::Date);

    #[test]
    fn reads_by_kind_and_refuses_the_rest() {
        assert_eq!(int(&q(&[("month", "6")]), &MONTH).unwrap(), Some(6));
        for bad in [vec![], vec![("month", "13")], vec![("month", "x")]] {
            assert_eq!(int(&q(&bad), &MONTH).unwrap_err().status(), 400);
        }
        assert_eq!(date(&q(&[]), &DAY).unwrap(), None);
        assert!(date(&q(&[("date", "2026-02-30")]), &DAY).is_err());
        assert!(only(&q(&[("month", "1"), ("year", "2026")]), &[MONTH]).is_err());
        let tenant = Param::required("tenant_id", ParamKind::Id("ten"));
        assert!(id(&q(&[("tenant_id", "wkr_1")]), &tenant).is_err());
        use crate::domain::formats::Format;
        let format = Param::optional("format", ParamKind::OneOf(Format::NAMES));
        assert_eq!(one_of::<Format>(&q(&[("format", "csv")]), &format).unwrap(), Some(Format::Csv));
        assert_eq!(one_of::<Format>(&q(&[]), &format).unwrap(), None);
        assert_eq!(one_of::<Format>(&q(&[("format", "xml")]), &format).unwrap_err().status(), 400);
        let sig = Param::required("signature", ParamKind::Hex(4));
        assert_eq!(hex(&q(&[("signature", "09af")]), &sig).unwrap(), Some("09af"));
        for bad in ["09AF", "09a", "09afe", "09ag"] {
            assert!(hex(&q(&[("signature", bad)]), &sig).is_err(), "{bad}");
        }
    }
}
