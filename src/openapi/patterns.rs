//! The patterns of the text kinds (e-mail, phone, code, URL) in the OpenAPI document: each one
//! says exactly what the validator's check accepts once it trims surrounding whitespace (SPEC
//! §8), and a test holds each pattern to its check.

/// Characters that are never part of an e-mail address: `@`, whitespace and control characters.
const NOT_EMAIL: &str = r"@\s\x00-\x1f\x7f-\x9f";

/// Whitespace the validator trims from every string (and that every regex dialect agrees on).
const TRIMMED: &str = r"[\t\n\x0b\x0c\r ]*";

pub fn email_pattern() -> String {
    let c = NOT_EMAIL;
    format!("^{TRIMMED}[^{c}]+@[^{c}.][^{c}]*\\.[^{c}]*[^{c}.]{TRIMMED}$")
}

/// The addresses `domain::webhooks::url::check` reads with its scheme and host rules lifted (as
/// local runs and tests have them): `http(s)://`, optional credentials up to the last `@`, a host
/// (or a bracketed one) with an optional port of 1–5 digits, then a path, query or fragment;
/// no whitespace or control character inside. Production also wants `https` and a public host.
pub fn url_pattern() -> String {
    let c = r"\s\x00-\x1f\x7f-\x9f";
    let auth = format!("[^{c}/?#@]");
    format!(
        "^{TRIMMED}[Hh][Tt][Tt][Pp][Ss]?://(?:[^{c}/?#]*@)?\
         (?:\\[[^{c}/?#@\\]]+\\](?:[^{c}/?#@:]{auth}*|:[0-9]{{1,5}})?|[^{c}/?#@:\\[][^{c}/?#@:]*(?::[0-9]{{1,5}})?)\
         (?:[/?#][^{c}]*)?{TRIMMED}$"
    )
}

/// `domain::harvest::wire::parse_clock`: `H:MM`/`HH:MM` on a 24-hour clock, or 1–12 `:MM` then
/// `am`/`pm` (any case, optionally after whitespace).
pub fn clock_pattern() -> String {
    format!("^{TRIMMED}(?:(?:[01]?[0-9]|2[0-3]):[0-5][0-9]|(?:0?[1-9]|1[0-2]):[0-5][0-9]{TRIMMED}[AaPp][Mm]){TRIMMED}$")
}

pub fn code_pattern() -> String {
    format!("^{TRIMMED}[A-Za-z0-9._-]+{TRIMMED}$")
}

/// What [`crate::domain::fields::is_phone`] accepts.
pub fn phone_pattern() -> String {
    format!("^{TRIMMED}[ +().-]*(?:[0-9][ +().-]*){{3,}}{TRIMMED}$")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::fields::{is_email, is_phone};

    /// The patterns say what the validator's checks accept (on values without surrounding
    /// whitespace, which the validator trims first).
    #[test]
    fn patterns_agree_with_the_validator() {
        let email = regex::Regex::new(&email_pattern()).expect("email pattern");
        for s in [
            "ana@example.com",
            "a@b.c",
            "a.b+c@d.e.f",
            "ana@example",
            "@example.com",
            "ana@.com",
            "ana@com.",
            "a@b@c.d",
            "an a@b.c",
            "a\u{7}@b.c",
            "ana@exa\u{85}mple.com",
            "ñ@ü.de",
            "a@b..c",
            "a@@b.c",
        ] {
            assert_eq!(email.is_match(s), is_email(s.trim()), "{s:?}");
        }
        let phone = regex::Regex::new(&phone_pattern()).expect("phone pattern");
        for s in ["+1 (555) 010-2030", "123", "12", "1.2.3", "call me", "+-()", "555 010 x", "0", "\t123 "] {
            assert_eq!(phone.is_match(s), is_phone(s.trim()), "{s:?}");
        }
        let code = regex::Regex::new(&code_pattern()).expect("code pattern");
        for s in ["EMP-0042", "a.b_c", "a b", "é", "x/y", " EMP-1\t"] {
            assert_eq!(code.is_match(s), crate::domain::reader::is_code(s.trim()), "{s:?}");
        }
        let clock = regex::Regex::new(&clock_pattern()).expect("clock pattern");
        for s in ["09:30", "9:30", "23:59", "24:00", "9:30am", "12:05 PM", "0:10am", "13:00pm", "9:3", "930", " 7:00 "]
        {
            assert_eq!(clock.is_match(s), crate::domain::harvest::wire::parse_clock(s.trim()).is_some(), "{s:?}");
        }
        let url = regex::Regex::new(&url_pattern()).expect("url pattern");
        for s in [
            "https://hooks.example.com/edgeclock?x=1#f",
            "http://127.0.0.1:8080/in",
            "HTTPS://A.B",
            "https://user:pw@host@example.com/p",
            "https://[::1]:443/x",
            "https://[::1]junk",
            "https://[]/x",
            "https://[::1",
            "https://host:/x",
            "https://host:123456",
            "https://host:80a",
            "https://:80",
            "https:///path",
            "ftp://example.com",
            "0",
            "https://exa mple.com",
            "https://ex\u{7}.com",
            " https://a.b\t",
            "https://a.b/x\u{85}y",
            "https://ñ.example/é",
            "https://a@",
        ] {
            let api = crate::domain::webhooks::url::check(s.trim(), true).is_ok();
            assert_eq!(url.is_match(s), api, "{s:?}");
        }
    }
}
