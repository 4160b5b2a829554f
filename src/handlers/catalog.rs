//! The simple workforce resources (SPEC §6): sites, departments, cost codes, tasks and
//! customers. Each is a declaration — its fields, JSON shape, filters and the rows that may
//! point at it — served by the shared handlers in [`super::crud`].

use crate::domain::fields::ABOVE_ZERO;
use crate::domain::listing::{Filter, FilterKind, ListSpec};
use crate::domain::model::{defaulted, field, required, DefaultValue, FieldDef, Kind, CURRENCIES};
use crate::i18n::Noun;
use crate::storage::resource::Table;

/// A resource served entirely by the shared CRUD handlers.
pub struct Resource {
    pub table: Table,
    /// Id prefix of new objects.
    pub prefix: &'static str,
    pub fields: &'static [FieldDef],
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
        "json_object('id', id, 'harvest_id', harvest_id, 'name', name, 'address', address, 'latitude', latitude, \
         'longitude', longitude, 'geofence_radius_m', geofence_radius_m, 'capacity', capacity, 'timezone', timezone, \
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
        required("name", Kind::Text(200)).doc("The site's name."),
        field("address", Kind::Text(500)).doc("Postal address."),
        field("latitude", Kind::Real(-90.0, 90.0))
            .doc("Degrees. With `longitude`, where the site is: jobs created at the site take its geofence."),
        field("longitude", Kind::Real(-180.0, 180.0)).doc("Degrees."),
        defaulted("geofence_radius_m", Kind::Real(ABOVE_ZERO, 1_000_000.0), DefaultValue::Real(100.0))
            .doc("Radius of the site's geofence around its coordinates, in metres."),
        field("capacity", Kind::Int(0, 1_000_000)).doc("How many workers the site holds."),
        field("timezone", Kind::Timezone).doc("Without one, the tenant's zone applies."),
    ],
};

pub static DEPARTMENTS: Resource = Resource {
    table: table(
        "departments",
        "json_object('id', id, 'harvest_id', harvest_id, 'name', name, 'description', description, \
         'created_at', created_at, 'updated_at', updated_at)",
        &[Filter { param: "q", column: "", kind: FilterKind::Search(&["name"]) }],
        Noun::Department,
        "id",
        &[("workers", "department_id")],
    ),
    prefix: "dep",
    fields: &[
        required("name", Kind::Text(200)).doc("The department's name."),
        field("description", Kind::Text(1000)).doc("Free text."),
    ],
};

pub static COST_CODES: Resource = Resource {
    table: table(
        "cost_codes",
        "json_object('id', id, 'harvest_id', harvest_id, 'code', code, 'name', name, 'description', description, \
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
        required("code", Kind::Code(64)).doc(
            "Unique among the tenant's live cost codes (a duplicate is `409 conflict`; a deleted code's value may be reused).",
        ),
        required("name", Kind::Text(200)).doc("What the code stands for."),
        field("description", Kind::Text(1000)).doc("Free text."),
    ],
};

pub static TASKS: Resource = Resource {
    table: table(
        "tasks",
        "json_object('id', id, 'harvest_id', harvest_id, 'name', name, \
         'billable_by_default', json(CASE WHEN billable_by_default THEN 'true' ELSE 'false' END), \
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
        required("name", Kind::Text(200)).doc("The task's name."),
        defaulted("billable_by_default", Kind::Bool, DefaultValue::Bool(true))
            .doc("Whether time on this task is billable unless stated otherwise."),
        field("default_hourly_rate", Kind::Int(0, 100_000_000)).doc("Minor currency units per hour."),
    ],
};

pub static CUSTOMERS: Resource = Resource {
    table: table(
        "customers",
        "json_object('id', id, 'harvest_id', harvest_id, 'name', name, 'email', email, 'phone', phone, \
         'address', address, 'currency', currency, 'created_at', created_at, 'updated_at', updated_at)",
        &[
            Filter { param: "currency", column: "currency", kind: FilterKind::OneOf(CURRENCIES) },
            Filter { param: "q", column: "", kind: FilterKind::Search(&["name", "email"]) },
        ],
        Noun::Customer,
        "id",
        &[("jobs", "customer_id"), ("contacts", "customer_id"), ("invoices", "customer_id")],
    ),
    prefix: "cus",
    fields: &[
        required("name", Kind::Text(200)).doc("The customer's name."),
        field("email", Kind::Email),
        field("phone", Kind::Phone),
        field("address", Kind::Text(500)).doc("Billing address."),
        defaulted("currency", Kind::Currency, DefaultValue::Text("USD")).doc("The currency the customer is billed in."),
    ],
};
