//! The workforce resources (SPEC §6) as the API answers them: each is its ids (text, and the
//! integer of SPEC §9), the fields a client writes (read back from their declarations: every
//! field present, `null` where it is optional), what the API adds, and its timestamps.

use utoipa::openapi::schema::{AllOfBuilder, Schema};

use super::super::dsl::{amount, array, count, describe, id, object, or_null, reference, Obj};
use super::super::fields::read_props;
use super::common::{harvest_id, instant};
use super::Registry;
use crate::domain::model::FieldDef;
use crate::domain::{jobs, shifts, workers};
use crate::handlers::catalog::{Resource, COST_CODES, CUSTOMERS, DEPARTMENTS, SITES, TASKS};

/// An object with `id` and `harvest_id`, the declared `fields` as written, and what `more` adds.
pub fn resource(
    reg: &mut Registry,
    prefix: &str,
    description: &str,
    fields: &[FieldDef],
    more: impl FnOnce(Obj) -> Obj,
) -> Obj {
    let o = object(description).prop("id", id(prefix)).prop("harvest_id", harvest_id());
    let o = more(read_props(o, fields, reg));
    o.prop("created_at", instant("")).prop("updated_at", instant(""))
}

fn catalog(reg: &mut Registry, name: &str, r: &Resource, description: &str) {
    let o = resource(reg, r.prefix, description, r.fields, |o| o);
    reg.add(name, o);
}

fn jobs(reg: &mut Registry) {
    let (geofence, budget) = (&jobs::GEOFENCE, &jobs::BUDGET);
    let fence = read_props(object("A circle around a point: clock-ins outside it are flagged."), geofence.fields, reg);
    reg.add("Geofence", fence);
    let money = read_props(object("What a job may use: hours, an amount of money, or both."), budget.fields, reg);
    reg.add("Budget", money);
    let job = resource(
        reg,
        "job",
        "A piece of work, as listed (lists carry no `budget_used`; the detail does).",
        jobs::FIELDS,
        |o| o,
    );
    reg.add("Job", job);
    let used = object("What the job has used so far, from its `approved` and `pending` time entries.")
        .prop("hours", describe(amount(), "Hours worked (breaks excluded), to 2 decimals."))
        .prop("amount", describe(count(0), "Labour cost in minor units: each entry's hours times its worker's `pay_rate`."))
        .prop(
            "percent",
            or_null(describe(amount(), "Percentage of the budget used, of its hours when it has them, else of its amount; `null` without a budget.").build()),
        );
    reg.add("BudgetUsed", used);
    let detail = AllOfBuilder::new()
        .item(reference("Job"))
        .item(object("").prop("budget_used", reference("BudgetUsed")))
        .description(Some("A job with its budget use, as its detail, create and update answer it."));
    reg.add("JobDetail", Schema::AllOf(detail.build()));
}

fn shifts(reg: &mut Registry) {
    let shift = resource(
        reg,
        "shf",
        "Scheduled work for one worker at a site, the half-open interval `[starts_at, ends_at)`. A worker's live shifts never overlap.",
        shifts::FIELDS,
        |o| o,
    );
    reg.add("Shift", shift);
    let published = object("What `POST /v1/shifts/publish` did.")
        .prop("from", instant("The start of the range, as an instant (UTC)."))
        .prop("to", instant("The inclusive end of the range, as an instant (UTC)."))
        .prop("published", describe(count(0), "How many drafts were published now."))
        .prop("shift_ids", array(id("shf"), "The shifts published now, in creation order.").build());
    reg.add("ShiftPublishResult", published);
}

pub fn add(reg: &mut Registry) {
    let worker = resource(reg, "wkr", "An employee.", workers::FIELDS, |o| o).example(
        r#"{"id": "wkr_0193c2aa7b4c7e2a9f1d3c5b00001234", "harvest_id": 1042, "name": "Ana García", "email": "ana@example.com",
            "phone": "+34 600 123 456", "employee_code": "EMP-0042", "position": "Site supervisor",
            "department_id": "dep_0193c2a97b4c7e2a9f1d3c5b00000007", "site_id": "site_0193c2a87b4c7e2a9f1d3c5b00000003",
            "pay_rate": 2250, "status": "active", "created_at": "2026-05-30T14:23:11Z", "updated_at": "2026-05-30T14:23:11Z"}"#,
    );
    reg.add("Worker", worker);
    catalog(
        reg,
        "Site",
        &SITES,
        "A place where work happens, with an optional location and geofence and its own time zone.",
    );
    catalog(reg, "Department", &DEPARTMENTS, "A department workers belong to.");
    catalog(reg, "CostCode", &COST_CODES, "An accounting code time is booked against.");
    catalog(reg, "Task", &TASKS, "A kind of work time is recorded for.");
    catalog(reg, "Customer", &CUSTOMERS, "A client jobs are done for.");
    let contact = resource(reg, "ctc", "A person to write to at a customer.", crate::handlers::contacts::FIELDS, |o| {
        o.prop("customer_id", id("cus"))
    });
    reg.add("Contact", contact);
    jobs(reg);
    shifts(reg);
}
