//! CSV as reports and payroll files are written (SPEC §6): RFC 4180 — a header row, CRLF after
//! every record, a field in double quotes when it holds a comma, a double quote, CR or LF (its
//! quotes doubled) — and safe to open in a spreadsheet: a field that starts with `=`, `+`, `-`,
//! `@`, a tab or CR is prefixed with `'`, so it is shown as text and never run as a formula.

use std::borrow::Cow;

/// Characters a spreadsheet reads, at the start of a cell, as the start of a formula.
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// One field as written: guarded against formulas, then quoted if RFC 4180 needs it.
pub fn field(value: &str) -> Cow<'_, str> {
    let guarded: Cow<'_, str> =
        if value.starts_with(FORMULA_STARTS) { Cow::Owned(format!("'{value}")) } else { Cow::Borrowed(value) };
    if guarded.contains([',', '"', '\r', '\n']) {
        Cow::Owned(format!("\"{}\"", guarded.replace('"', "\"\"")))
    } else {
        guarded
    }
}

/// A CSV document being written, record by record.
#[derive(Debug)]
pub struct Csv {
    text: String,
}

impl Csv {
    /// A document whose first record is `header`.
    pub fn new<S: AsRef<str>>(header: impl IntoIterator<Item = S>) -> Csv {
        let mut csv = Csv { text: String::new() };
        csv.record(header);
        csv
    }

    /// Appends one record.
    pub fn record<S: AsRef<str>>(&mut self, fields: impl IntoIterator<Item = S>) {
        for (i, f) in fields.into_iter().enumerate() {
            if i > 0 {
                self.text.push(',');
            }
            self.text.push_str(&field(f.as_ref()));
        }
        self.text.push_str("\r\n");
    }

    pub fn finish(self) -> String {
        self.text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_fields_stay_as_they_are() {
        assert_eq!(field("Ada Lovelace"), "Ada Lovelace");
        assert_eq!(field("12.5"), "12.5");
        assert_eq!(field(""), "");
        assert_eq!(field("naïve — ok"), "naïve — ok");
    }

    #[test]
    fn quotes_what_rfc_4180_requires() {
        assert_eq!(field("Smith, John"), "\"Smith, John\"");
        assert_eq!(field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(field("two\nlines"), "\"two\nlines\"");
        assert_eq!(field("a\rb"), "\"a\rb\"");
    }

    #[test]
    fn formula_starts_are_made_text() {
        for (raw, written) in [
            ("=SUM(A1:A9)", "'=SUM(A1:A9)"),
            ("+1", "'+1"),
            ("-2", "'-2"),
            ("@cmd", "'@cmd"),
            ("\tx", "'\tx"),
            ("\rx", "\"'\rx\""),
            ("=HYPERLINK(\"http://x\",\"y\")", "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\""),
        ] {
            assert_eq!(field(raw), written, "{raw:?}");
        }
        // Only the first character matters.
        assert_eq!(field("a=b"), "a=b");
        assert_eq!(field(" =x"), " =x");
    }

    #[test]
    fn a_document_is_a_header_and_crlf_records() {
        let mut csv = Csv::new(["worker_id", "name", "hours"]);
        csv.record(["wkr_1", "=Doe, \"Jo\"", "7.5"]);
        csv.record(vec![String::from("wkr_2"), String::new(), String::from("0")]);
        assert_eq!(csv.finish(), "worker_id,name,hours\r\nwkr_1,\"'=Doe, \"\"Jo\"\"\",7.5\r\nwkr_2,,0\r\n");
    }
}
