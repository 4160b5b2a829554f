//! What a delivery says about its event (SPEC §7): the JSON body
//! `{"id", "event", "occurred_at", "tenant_id", "data"}` — `data` being the outbox's snapshot of
//! the object, byte for byte — and what the event is about (its worker, job and site), which
//! the filters and the Slack placeholders are resolved from.

use serde_json::Value;

use crate::domain::events::Event;

/// The JSON body of an event. `data` is the outbox's JSON text, inserted as is (SQLite wrote
/// it); text that is not JSON becomes `null` rather than a body that does not parse.
pub fn json_body(id: &str, event: Event, occurred_at: &str, tenant_id: &str, data: &str) -> String {
    let data = if serde_json::from_str::<serde::de::IgnoredAny>(data).is_ok() { data } else { "null" };
    format!(
        "{{\"id\":{},\"event\":{},\"occurred_at\":{},\"tenant_id\":{},\"data\":{data}}}",
        Value::from(id),
        Value::from(event.as_str()),
        Value::from(occurred_at),
        Value::from(tenant_id),
    )
}

/// The objects an event is about, as its snapshot names them.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Subject {
    pub worker_id: Option<String>,
    pub job_id: Option<String>,
    /// The site the snapshot names itself (a time entry's, a job's or a worker's own).
    pub site_id: Option<String>,
}

/// The worker, job and site of an event: the snapshot's `worker_id`, `job_id` and `site_id`,
/// and for events about a worker or a job, that object's own id. SPEC §7's "the event's site"
/// is then this site, else the job's, else the worker's (resolved in storage).
pub fn subject(event: Event, data: &Value) -> Subject {
    let text = |field: &str| data.get(field).and_then(Value::as_str).map(str::to_string);
    let own = |prefix: &str| event.as_str().starts_with(prefix).then(|| text("id")).flatten();
    Subject {
        worker_id: text("worker_id").or_else(|| own("worker.")),
        job_id: text("job_id").or_else(|| own("job.")),
        site_id: text("site_id"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_body_keeps_the_snapshot_bytes() {
        let data = r#"{"id":"te_1","hours":1.50,"z":1,"a":2}"#;
        let body = json_body("evt_1", Event::TimeEntryApproved, "2026-05-30T14:23:11Z", "ten_1", data);
        assert_eq!(
            body,
            r#"{"id":"evt_1","event":"time_entry.approved","occurred_at":"2026-05-30T14:23:11Z","tenant_id":"ten_1","data":{"id":"te_1","hours":1.50,"z":1,"a":2}}"#
        );
        let parsed: Value = serde_json::from_str(&body).unwrap();
        assert_eq!(parsed["data"]["a"], 2);
        assert!(json_body("e", Event::Ping, "t", "x", "{oops").ends_with("\"data\":null}"));
    }

    #[test]
    fn subjects_by_event() {
        let entry = json!({"id": "te_1", "worker_id": "wkr_1", "job_id": "job_1", "site_id": null});
        assert_eq!(
            subject(Event::TimeEntryCreated, &entry),
            Subject { worker_id: Some("wkr_1".into()), job_id: Some("job_1".into()), site_id: None }
        );
        let worker = json!({"id": "wkr_2", "site_id": "site_2", "department_id": "dep_1"});
        assert_eq!(
            subject(Event::WorkerUpdated, &worker),
            Subject { worker_id: Some("wkr_2".into()), job_id: None, site_id: Some("site_2".into()) }
        );
        let job = json!({"id": "job_3", "site_id": "site_3"});
        assert_eq!(subject(Event::JobCreated, &job).job_id.as_deref(), Some("job_3"));
        let threshold = json!({"job_id": "job_4", "threshold": 75});
        assert_eq!(subject(Event::JobBudgetThreshold, &threshold).job_id.as_deref(), Some("job_4"));
        let published = json!({"from": "2026-01-01", "shift_ids": ["shf_1"]});
        assert_eq!(subject(Event::SchedulePublished, &published), Subject::default());
        assert_eq!(subject(Event::AttendanceClockIn, &Value::Null), Subject::default());
    }
}
