//! Payroll exports (SPEC §6): the request (`from`, `to`, `format`), the life of an export
//! (`queued` → `processing` → `completed` or `failed`), the message its computation travels
//! in, and where its file lives and what it is called.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::formats::Format;
use super::model::{defaulted, required, DefaultValue, FieldDef, Kind};
use super::named::named;
use super::reader;
use super::reports::check_range;
use crate::error::ApiResult;

named! {
    /// Where an export is in its life.
    pub enum ExportStatus {
        Queued = "queued",
        Processing = "processing",
        Completed = "completed",
        Failed = "failed",
    }
}

impl ExportStatus {
    /// Whether nothing more will happen to it.
    pub fn is_final(self) -> bool {
        matches!(self, ExportStatus::Completed | ExportStatus::Failed)
    }
}

/// The only kind of export so far.
pub const PAYROLL: &str = "payroll";

/// A computation that failed this many times in a row marks its export `failed`.
pub const MAX_FAILURES: i64 = 5;

/// `POST /v1/exports/payroll`.
pub const NEW_PAYROLL: &[FieldDef] = &[
    required("from", Kind::Date).doc("The first local day paid, `YYYY-MM-DD`."),
    required("to", Kind::Date).doc(
        "The last local day paid (included), `YYYY-MM-DD`: not before `from` and at most 365 days after it \
         (`out_of_range`).",
    ),
    defaulted("format", Kind::OneOf(Format::NAMES), DefaultValue::Text("csv")).doc("The file's format."),
];

/// A validated payroll export request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NewExport {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub format: Format,
}

/// Reads the body of `POST /v1/exports/payroll`: its fields (422 naming each bad one), then the
/// range (422 on `to`).
pub fn parse(body: &Value) -> ApiResult<NewExport> {
    let cols = reader::parse(body, NEW_PAYROLL, &[], true)?;
    let day = |name: &str| cols.text(name).and_then(|s| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok());
    let (from, to) = (day("from").unwrap_or_default(), day("to").unwrap_or_default());
    check_range(from, to)?;
    Ok(NewExport { from, to, format: cols.text("format").and_then(Format::parse).unwrap_or(Format::Csv) })
}

/// The queue message that computes the next page of an export: the page after worker `after`
/// (the first page without one). A message whose `after` is not where the export stands is
/// late or repeated, and does nothing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Step {
    pub export_id: String,
    pub tenant_id: String,
    pub after: Option<String>,
}

/// Where the file of an export is stored (one key per export: a recomputation overwrites it).
pub fn file_key(tenant: &str, export_id: &str, format: Format) -> String {
    format!("exports/{tenant}/{export_id}.{}", format.extension())
}

/// The name a download is saved under.
pub fn file_name(from: &str, to: &str, format: Format) -> String {
    format!("payroll-{from}-{to}.{}", format.extension())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reads_a_request() {
        let e = parse(&json!({"from": "2026-03-01", "to": "2026-03-31"})).unwrap();
        assert_eq!(
            (e.from.to_string(), e.to.to_string(), e.format),
            ("2026-03-01".into(), "2026-03-31".into(), Format::Csv)
        );
        assert_eq!(
            parse(&json!({"from": "2026-03-01", "to": "2026-03-01", "format": "json"})).unwrap().format,
            Format::Json
        );
    }

    #[test]
    fn refuses_bad_requests_with_the_field() {
        for (body, fields) in [
            (json!({}), vec!["from", "to"]),
            (json!({"from": "2026-3-1", "to": "2026-02-30"}), vec!["from", "to"]),
            (json!({"from": "2026-03-01", "to": "2026-03-31", "format": "xml"}), vec!["format"]),
            (json!({"from": "2026-03-01", "to": "2026-03-31", "extra": 1}), vec!["extra"]),
            (json!({"from": "2026-03-02", "to": "2026-03-01"}), vec!["to"]),
            (json!({"from": "2025-01-01", "to": "2026-01-02"}), vec!["to"]),
        ] {
            let e = parse(&body).unwrap_err();
            let got: Vec<_> = e.details.iter().map(|d| d.field.as_str()).collect();
            assert_eq!((e.status(), got), (422, fields), "{body}");
        }
    }

    #[test]
    fn steps_and_files() {
        let step = Step { export_id: "exp_1".into(), tenant_id: "ten_1".into(), after: None };
        let text = serde_json::to_string(&step).unwrap();
        assert_eq!(serde_json::from_str::<Step>(&text).unwrap(), step);
        assert!(serde_json::from_str::<Step>(r#"{"export_id":"exp_1"}"#).is_err());
        assert_eq!(file_key("ten_1", "exp_1", Format::Json), "exports/ten_1/exp_1.json");
        assert_eq!(file_name("2026-03-01", "2026-03-31", Format::Csv), "payroll-2026-03-01-2026-03-31.csv");
        assert!(ExportStatus::Failed.is_final() && !ExportStatus::Processing.is_final());
    }
}
