//! Slack-format deliveries (SPEC §7): an endpoint with `format: "slack"` is posted
//! `{"text": …}` rendered from its `template` — placeholders `{event}`, `{worker_name}`,
//! `{site_name}` and `{timestamp}` (RFC 3339 in the tenant's zone); a placeholder with no value
//! renders empty, and any other text in braces is kept as written.

use chrono::{DateTime, SecondsFormat};
use chrono_tz::Tz;

/// The template of an endpoint that sets none.
pub const DEFAULT_TEMPLATE: &str = "{event}: {worker_name} at {site_name} ({timestamp})";

/// What the placeholders stand for, for one event.
#[derive(Debug, Clone, Default)]
pub struct Values<'a> {
    pub event: &'a str,
    pub worker_name: Option<&'a str>,
    pub site_name: Option<&'a str>,
    /// Already in the tenant's zone ([`local_timestamp`]).
    pub timestamp: Option<&'a str>,
}

impl Values<'_> {
    fn get(&self, name: &str) -> Option<&str> {
        match name {
            "event" => Some(self.event),
            "worker_name" => Some(self.worker_name.unwrap_or("")),
            "site_name" => Some(self.site_name.unwrap_or("")),
            "timestamp" => Some(self.timestamp.unwrap_or("")),
            _ => None,
        }
    }
}

/// The template with its placeholders filled, in one pass: a value is never read as a
/// template itself (a worker named `{site_name}` stays so).
pub fn render(template: &str, values: &Values) -> String {
    let mut out = String::with_capacity(template.len() + 64);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('}').and_then(|close| values.get(&after[..close]).map(|v| (close, v))) {
            Some((close, value)) => {
                out.push_str(value);
                rest = &after[close + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The body posted to a Slack endpoint: `{"text": …}`.
pub fn body(template: Option<&str>, values: &Values) -> String {
    serde_json::json!({ "text": render(template.unwrap_or(DEFAULT_TEMPLATE), values) }).to_string()
}

/// `occurred_ms` as RFC 3339 in zone `tz` (IANA; UTC when unknown), e.g.
/// `2026-05-30T16:23:11+02:00`.
pub fn local_timestamp(occurred_ms: i64, tz: &str) -> String {
    let zone: Tz = tz.parse().unwrap_or(Tz::UTC);
    DateTime::from_timestamp_millis(occurred_ms)
        .unwrap_or_default()
        .with_timezone(&zone)
        .to_rfc3339_opts(SecondsFormat::Secs, true)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values<'a>(worker: Option<&'a str>, site: Option<&'a str>) -> Values<'a> {
        Values { event: "attendance.clock_in", worker_name: worker, site_name: site, timestamp: Some("T") }
    }

    #[test]
    fn the_default_template() {
        let text = render(DEFAULT_TEMPLATE, &values(Some("Ana"), Some("Depot")));
        assert_eq!(text, "attendance.clock_in: Ana at Depot (T)");
    }

    #[test]
    fn missing_values_render_empty_and_unknown_braces_stay() {
        assert_eq!(render("{event}: {worker_name} at {site_name}", &values(None, None)), "attendance.clock_in:  at ");
        assert_eq!(render("{x} {event} {", &values(None, None)), "{x} attendance.clock_in {");
        assert_eq!(render("{{event}}", &values(None, None)), "{attendance.clock_in}");
        assert_eq!(render("no placeholders", &values(None, None)), "no placeholders");
        assert_eq!(render("ünï {event} ✓", &values(None, None)), "ünï attendance.clock_in ✓");
    }

    #[test]
    fn values_are_not_templates() {
        let text = render("{worker_name}|{site_name}", &values(Some("{site_name}"), Some("S")));
        assert_eq!(text, "{site_name}|S");
    }

    #[test]
    fn body_is_json_with_text() {
        let b = body(Some("\"{worker_name}\""), &values(Some("A \"B\""), None));
        let v: serde_json::Value = serde_json::from_str(&b).unwrap();
        assert_eq!(v, serde_json::json!({"text": "\"A \"B\"\""}));
        assert!(body(None, &values(Some("A"), Some("S"))).contains("A at S"));
    }

    #[test]
    fn timestamps_are_in_the_tenant_zone() {
        // 2026-05-30T14:23:11Z
        let ms = 1_780_151_391_000 - 6 * 60_000 - 40_000;
        assert_eq!(local_timestamp(ms, "Europe/Berlin"), "2026-05-30T16:23:11+02:00");
        assert_eq!(local_timestamp(ms, "UTC"), "2026-05-30T14:23:11Z");
        assert_eq!(local_timestamp(ms, "Not/AZone"), "2026-05-30T14:23:11Z");
        // Winter time.
        assert_eq!(local_timestamp(1_767_225_600_000, "Europe/Berlin"), "2026-01-01T01:00:00+01:00");
    }
}
