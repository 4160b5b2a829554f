//! The two shapes a report or a payroll file comes in (SPEC §6): JSON, or CSV. A report is CSV
//! when its `format` parameter says so or, without one, when the `Accept` header prefers
//! `text/csv` to `application/json`. Both are rendered from one [`Table`], so the CSV holds
//! exactly what the JSON does: one record per object, one column per field, in the same order.

use serde_json::{Map, Value};

use super::csv::Csv;
use super::named::named;

named! {
    /// A report's or file's format.
    pub enum Format {
        Json = "json",
        Csv = "csv",
    }
}

impl Format {
    /// The `Content-Type` of a body in this format.
    pub fn content_type(self) -> &'static str {
        match self {
            Format::Json => "application/json; charset=utf-8",
            Format::Csv => "text/csv; charset=utf-8",
        }
    }

    /// The file-name extension of this format.
    pub fn extension(self) -> &'static str {
        self.as_str()
    }

    /// The format asked for: the `format` parameter when given, else what `Accept` prefers.
    pub fn negotiate(param: Option<Format>, accept: Option<&str>) -> Format {
        param.unwrap_or_else(|| if prefers_csv(accept.unwrap_or("")) { Format::Csv } else { Format::Json })
    }
}

/// The quality `Accept` gives a media range (`q` defaults to 1; an unreadable `q` counts as 0).
fn quality(accept: &str, media: &str) -> Option<(f32, usize)> {
    accept.split(',').enumerate().find_map(|(position, item)| {
        let mut parts = item.split(';');
        let range = parts.next().unwrap_or("").trim();
        if !range.eq_ignore_ascii_case(media) {
            return None;
        }
        let q = parts
            .find_map(|p| p.trim().strip_prefix("q=").map(|v| v.trim().parse::<f32>().unwrap_or(0.0)))
            .unwrap_or(1.0);
        Some((q, position))
    })
}

/// Whether `Accept` names `text/csv` (with a quality above 0) ahead of `application/json`:
/// with a higher quality, or the same quality and listed first.
pub fn prefers_csv(accept: &str) -> bool {
    let Some((csv, csv_at)) = quality(accept, "text/csv").filter(|(q, _)| *q > 0.0) else { return false };
    match quality(accept, "application/json") {
        Some((json, json_at)) => csv > json || (csv == json && csv_at < json_at),
        None => true,
    }
}

/// Rows of values under named columns.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub columns: &'static [&'static str],
    pub rows: Vec<Vec<Value>>,
}

/// A value as a CSV field: text as is, numbers as JSON writes them, `null` empty.
fn text(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

impl Table {
    /// The rows as JSON objects, one field per column.
    pub fn objects(&self) -> Vec<Value> {
        let object = |row: &Vec<Value>| {
            let fields = self.columns.iter().zip(row).map(|(c, v)| (c.to_string(), v.clone()));
            Value::Object(fields.collect::<Map<_, _>>())
        };
        self.rows.iter().map(object).collect()
    }

    /// The rows as CSV: the column names, then one record per row.
    pub fn csv(&self) -> String {
        let mut csv = Csv::new(self.columns);
        for row in &self.rows {
            csv.record(row.iter().map(text));
        }
        csv.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_parameter_wins() {
        assert_eq!(Format::negotiate(Some(Format::Json), Some("text/csv")), Format::Json);
        assert_eq!(Format::negotiate(Some(Format::Csv), Some("application/json")), Format::Csv);
        assert_eq!(Format::negotiate(None, None), Format::Json);
    }

    #[test]
    fn accept_decides_otherwise() {
        for (accept, csv) in [
            ("text/csv", true),
            ("TEXT/CSV; charset=utf-8", true),
            ("text/csv, application/json", true),
            ("application/json, text/csv", false),
            ("application/json;q=0.5, text/csv", true),
            ("text/csv;q=0.2, application/json", false),
            ("text/csv;q=0", false),
            ("text/csv;q=x", false),
            ("*/*", false),
            ("application/json", false),
            ("", false),
        ] {
            assert_eq!(Format::negotiate(None, Some(accept)) == Format::Csv, csv, "{accept}");
        }
    }

    #[test]
    fn one_table_two_renderings() {
        use serde_json::json;
        let t = Table {
            columns: &["id", "name", "hours", "rate"],
            rows: vec![vec![json!("wkr_1"), json!("=Doe, \"Jo\""), json!(7.5), Value::Null]],
        };
        assert_eq!(t.objects(), vec![json!({"id": "wkr_1", "name": "=Doe, \"Jo\"", "hours": 7.5, "rate": null})]);
        assert_eq!(t.csv(), "id,name,hours,rate\r\nwkr_1,\"'=Doe, \"\"Jo\"\"\",7.5,\r\n");
        let empty = Table { columns: &["id"], rows: vec![] };
        assert_eq!((empty.objects().len(), empty.csv().as_str()), (0, "id\r\n"));
    }

    #[test]
    fn types_and_extensions() {
        assert_eq!(Format::Csv.content_type(), "text/csv; charset=utf-8");
        assert_eq!(Format::Json.extension(), "json");
    }
}
