//! Harvest's numbered pages (SPEC §9): `page` from 1 and `per_page` 1–2000 (default 100), and
//! the list body around a page — `{"<name>": [...], "per_page", "total_pages",
//! "total_entries", "next_page", "previous_page", "page", "links": {first, next, previous,
//! last}}` with absolute links. Lists run newest first; the first page fixes a ceiling (the
//! highest integer id it saw) that every link carries, so entries inserted while a client walks
//! the pages never shift them: nothing is repeated or skipped.

use super::{unprocessable, Query};
use crate::error::ApiResult;

pub const DEFAULT_PER_PAGE: u64 = 100;
pub const MAX_PER_PAGE: u64 = 2000;
/// The highest page number asked for that is read as one (beyond: 422).
pub const MAX_PAGE: u64 = 1_000_000_000;
/// The link parameter that keeps later pages to the set the first one saw.
pub const CEILING: &str = "ceiling";

/// Which page a request asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageRequest {
    pub page: u64,
    pub per_page: u64,
    /// Only objects whose integer id is at most this (absent on a first request).
    pub ceiling: Option<i64>,
}

impl PageRequest {
    /// Rows to skip before this page.
    pub fn offset(&self) -> u64 {
        (self.page - 1).saturating_mul(self.per_page)
    }
}

fn number(query: &Query, name: &str, default: u64, max: u64) -> ApiResult<u64> {
    match query.get(name) {
        None => Ok(default),
        Some(v) => match v.trim().parse::<u64>() {
            Ok(n) if (1..=max).contains(&n) => Ok(n),
            _ => Err(unprocessable(name)),
        },
    }
}

/// `page` and `per_page` (and a link's ceiling): anything else than whole numbers in range is 422.
pub fn request(query: &Query) -> ApiResult<PageRequest> {
    let page = number(query, "page", 1, MAX_PAGE)?;
    let per_page = number(query, "per_page", DEFAULT_PER_PAGE, MAX_PER_PAGE)?;
    let ceiling = match query.get(CEILING) {
        None => None,
        Some(v) => Some(v.parse::<i64>().ok().filter(|n| *n >= 0).ok_or_else(|| unprocessable(CEILING))?),
    };
    Ok(PageRequest { page, per_page, ceiling })
}

/// One page of a list, ready to be written.
pub struct ListPage<'a> {
    /// The list's name in the body (`time_entries`, `users`, …).
    pub name: &'a str,
    /// The page's objects, as JSON text.
    pub items: Vec<String>,
    pub total_entries: u64,
    pub request: PageRequest,
    /// The ceiling the links carry (the request's, else the highest id the list holds).
    pub ceiling: Option<i64>,
    /// The request's origin and path (`https://host/v2/time_entries`), and its other
    /// parameters, already encoded (`from=2026-01-01&user_id=5`).
    pub base: &'a str,
    pub query: &'a str,
}

impl ListPage<'_> {
    fn link(&self, page: u64) -> String {
        let mut q = String::new();
        if !self.query.is_empty() {
            q.push_str(self.query);
            q.push('&');
        }
        q.push_str(&format!("page={page}&per_page={}", self.request.per_page));
        if let Some(c) = self.ceiling {
            q.push_str(&format!("&{CEILING}={c}"));
        }
        format!("{}?{q}", self.base)
    }

    /// The list body.
    pub fn render(&self) -> String {
        let per_page = self.request.per_page;
        let total_pages = self.total_entries.div_ceil(per_page).max(1);
        let page = self.request.page;
        let next = (page < total_pages).then_some(page + 1);
        let previous = (page > 1).then(|| (page - 1).min(total_pages));
        let opt = |n: Option<u64>| n.map_or_else(|| "null".to_string(), |n| n.to_string());
        let link = |n: Option<u64>| n.map_or_else(|| "null".to_string(), |n| json_string(&self.link(n)));
        format!(
            "{{\"{}\":[{}],\"per_page\":{per_page},\"total_pages\":{total_pages},\"total_entries\":{},\
             \"next_page\":{},\"previous_page\":{},\"page\":{page},\"links\":{{\"first\":{},\"next\":{},\
             \"previous\":{},\"last\":{}}}}}",
            self.name,
            self.items.join(","),
            self.total_entries,
            opt(next),
            opt(previous),
            link(Some(1)),
            link(next),
            link(previous),
            link(Some(total_pages)),
        )
    }
}

fn json_string(s: &str) -> String {
    serde_json::Value::from(s).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    fn q(pairs: &[(&str, &str)]) -> Query {
        Query::new(pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect())
    }

    #[test]
    fn pages_and_sizes() {
        assert_eq!(request(&q(&[])).unwrap(), PageRequest { page: 1, per_page: 100, ceiling: None });
        let r = request(&q(&[("page", "3"), ("per_page", "2000"), ("ceiling", "77")])).unwrap();
        assert_eq!((r.offset(), r.ceiling), (4000, Some(77)));
        for bad in [("per_page", "2001"), ("per_page", "0"), ("page", "0"), ("page", "x"), ("ceiling", "-1")] {
            assert_eq!(request(&q(&[bad])).unwrap_err().status(), 422, "{bad:?}");
        }
    }

    #[test]
    fn the_body_and_absolute_links() {
        let page = ListPage {
            name: "users",
            items: vec!["{\"id\":1}".into()],
            total_entries: 5,
            request: PageRequest { page: 2, per_page: 2, ceiling: None },
            ceiling: Some(9),
            base: "https://h.example/v2/users",
            query: "is_active=true",
        };
        let v: Value = serde_json::from_str(&page.render()).unwrap();
        assert_eq!(v["users"][0]["id"], 1);
        assert_eq!(
            (v["total_pages"].as_u64(), v["next_page"].as_u64(), v["previous_page"].as_u64()),
            (Some(3), Some(3), Some(1))
        );
        assert_eq!(v["links"]["next"], "https://h.example/v2/users?is_active=true&page=3&per_page=2&ceiling=9");
        assert_eq!(v["links"]["first"], "https://h.example/v2/users?is_active=true&page=1&per_page=2&ceiling=9");
        assert_eq!(v["links"]["last"], "https://h.example/v2/users?is_active=true&page=3&per_page=2&ceiling=9");
        let empty = ListPage {
            items: vec![],
            total_entries: 0,
            request: PageRequest { page: 1, per_page: 100, ceiling: None },
            ceiling: None,
            query: "",
            ..page
        };
        let v: Value = serde_json::from_str(&empty.render()).unwrap();
        assert_eq!(
            (v["total_pages"].as_u64(), v["next_page"].clone(), v["links"]["previous"].clone()),
            (Some(1), Value::Null, Value::Null)
        );
        assert_eq!(v["links"]["first"], "https://h.example/v2/users?page=1&per_page=100");
    }
}
