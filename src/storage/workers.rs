//! The `workers` table: its JSON shape and list filters.

use crate::domain::events::Event;
use crate::domain::listing::{Filter, FilterKind, ListSpec};
use crate::domain::workers::WorkerStatus;
use crate::i18n::Noun;
use crate::storage::resource::Table;

pub static WORKERS: Table = Table {
    list: ListSpec {
        table: "workers",
        scope: "tenant_id",
        json: "json_object('id', id, 'harvest_id', harvest_id, 'name', name, 'email', email, 'phone', phone, \
               'employee_code', employee_code, 'position', position, 'department_id', department_id, \
               'site_id', site_id, 'pay_rate', pay_rate, 'status', status, \
               'created_at', created_at, 'updated_at', updated_at)",
        filters: &[
            Filter { param: "status", column: "status", kind: FilterKind::OneOf(WorkerStatus::NAMES) },
            Filter { param: "department_id", column: "department_id", kind: FilterKind::Ids("dep") },
            Filter { param: "site_id", column: "site_id", kind: FilterKind::Ids("site") },
            Filter { param: "q", column: "", kind: FilterKind::Search(&["name", "email", "employee_code"]) },
        ],
        date_column: None,
    },
    noun: Noun::Worker,
    unique_field: "employee_code",
    created_event: Some(Event::WorkerCreated),
    updated_event: Some(Event::WorkerUpdated),
    referenced_by: &[("time_entries", "worker_id"), ("shifts", "worker_id"), ("expenses", "worker_id")],
};
