//! The simple workforce resources (SPEC §6): sites, departments, cost codes, tasks and
//! customers. Each is a declaration — its fields, JSON shape, filters and the rows that may
//! point at it — served by the shared handlers in [`super::crud`].

use crate::domain::fields::ABOVE_ZERO;
use crate::domain::listing::{Filter, FilterKind, ListSpec};
use crate::domain::model::{field, required, FieldDef, Kind, CURRENCIES};
use crate::i18n::Noun;
use crate::storage::resource::Table;

/// A resource served entirely by the shared CRUD handlers.
pub struct Resource {
    pub table: Table,
    /// Id prefix of new objects.
    pub prefix: &'static str,
    pub fields: &'static [FieldDef],
    /// Columns given on create when the client sends none.
    pub defaults: &'static [(&'static str, Default)],
}

#[derive(Debug, Clone, Copy)]
pub enum Default {
    Int(i64),
    Real(f64),
    Text(&'static str),
}

const fn table(
    name: &'static str,
    json: &'static str,
    filters: &'static [Filter],
    noun: Noun,
    unique_field: &'static str,
    referenced_by: &'static [(&'static str, &'static str)],
) -> Table {
    Table {
        list: ListSpec { table: name, scope: "tenant_id", json, filters, date_column: None },
        noun,
        unique_field,
        created_event: None,
        updated_event: None,
        referenced_by,
    }
}

pub static SITES: Resource = Resource {
    table: table(
        "sites",
        "json_object('id', id, 'name', name, 'address', address, 'latitude', latitude, 'longitude', longitude, \
         'geofence_radius_m', geofence_radius_m, 'capacity', capacity, 'timezone', timezone, \
         'created_at', created_at, 'updated_at', updated_at)",
        &[
            Filter { param: "q", column: "", kind: FilterKind::Search(&["name", "address"]) },
            Filter { param: "timezone", column: "timezone", kind: FilterKind::Values },
        ],
        Noun::Site,
        "id",
        &[("jobs", "site_id"), ("workers", "site_id"), ("shifts", "site_id"), ("time_entries", "site_id")],
    ),
    prefix: "site",
    fields: &[
        required("name", Kind::Text(200)),
        field("address", Kind::Text(500)),
        field("latitude", Kind::Real(-90.0, 90.0)),
        field("longitude", Kind::Real(-180.0, 180.0)),
        field("geofence_radius_m", Kind::Real(ABOVE_ZERO, 1_000_000.0)),
        field("capacity", Kind::Int(0, 1_000_000)),
        field("timezone", Kind::Timezone),
    ],
    defaults: &[("geofence_radius_m", Default::Real(100.0))],
};

pub static DEPARTMENTS: Resource = Resource {
    table: table(
        "departments",
        "json_object('id', id, 'name', name, 'description', description, 'created_at', created_at, 'updated_at', updated_at)",
        &[Filter { param: "q", column: "", kind: FilterKind::Search(&["name"]) }],
        Noun::Department,
        "id",
        &[("workers", "department_id")],
    ),
    prefix: "dep",
    fields: &[required("name", Kind::Text(200)), field("description", Kind::Text(1000))],
    defaults: &[],
};

pub static COST_CODES: Resource = Resource {
    table: table(
        "cost_codes",
        "json_object('id', id, 'code', code, 'name', name, 'description', description, \
         'created_at', created_at, 'updated_at', updated_at)",
        &[
            Filter { param: "code", column: "code", kind: FilterKind::Values },
            Filter { param: "q", column: "", kind: FilterKind::Search(&["code", "name"]) },
        ],
        Noun::CostCode,
        "code",
        &[("time_entries", "cost_code_id")],
    ),
    prefix: "cc",
    fields: &[
        required("code", Kind::Code(64)),
        required("name", Kind::Text(200)),
        field("description", Kind::Text(1000)),
    ],
    defaults: &[],
};

pub static TASKS: Resource = Resource {
    table: table(
        "tasks",
        "json_object('id', id, 'name', name, 'billable_by_default', json(CASE WHEN billable_by_default THEN 'true' ELSE 'false' END), \
         'default_hourly_rate', default_hourly_rate, 'created_at', created_at, 'updated_at', updated_at)",
        &[
            Filter { param: "billable_by_default", column: "billable_by_default", kind: FilterKind::Flag },
            Filter { param: "q", column: "", kind: FilterKind::Search(&["name"]) },
        ],
        Noun::Task,
        "id",
        &[("time_entries", "task_id")],
    ),
    prefix: "tsk",
    fields: &[
        required("name", Kind::Text(200)),
        field("billable_by_default", Kind::Bool),
        field("default_hourly_rate", Kind::Int(0, 100_000_000)),
    ],
    defaults: &[("billable_by_default", Default::Int(1))],
};

pub static CUSTOMERS: Resource = Resource {
    table: table(
        "customers",
        "json_object('id', id, 'name', name, 'email', email, 'phone', phone, 'address', address, \
         'currency', currency, 'created_at', created_at, 'updated_at', updated_at)",
        &[
            Filter { param: "currency", column: "currency", kind: FilterKind::OneOf(CURRENCIES) },
            Filter { param: "q", column: "", kind: FilterKind::Search(&["name", "email"]) },
        ],
        Noun::Customer,
        "id",
        &[("jobs", "customer_id")],
    ),
    prefix: "cus",
    fields: &[
        required("name", Kind::Text(200)),
        field("email", Kind::Email),
        field("phone", Kind::Phone),
        field("address", Kind::Text(500)),
        field("currency", Kind::Currency),
    ],
    defaults: &[("currency", Default::Text("USD"))],
};
