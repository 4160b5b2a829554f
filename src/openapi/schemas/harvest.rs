//! The Harvest-compatible `/v2` bodies (SPEC §9): bare objects with integer ids, Harvest's list
//! body with absolute links, and its error body.

use utoipa::openapi::schema::{Schema, SchemaType, Type};
use utoipa::openapi::RefOr;

use super::super::dsl::{
    array, boolean, describe, integer, object, one_of, or_null, ref_or_null, reference, string, Obj,
};
use super::common::instant;
use super::Registry;

/// An integer id as `/v2` shows it (`harvest_id` on `/v1`).
pub(super) fn int_id() -> RefOr<Schema> {
    describe(integer(1, 9_007_199_254_740_991), "The object's stable integer id.").into()
}

pub(super) fn nullable_number() -> RefOr<Schema> {
    utoipa::openapi::schema::ObjectBuilder::new().schema_type(SchemaType::from_iter([Type::Number, Type::Null])).into()
}

pub(super) fn nullable_string() -> RefOr<Schema> {
    or_null(string().build()).into()
}

pub(super) fn stamps(o: Obj) -> Obj {
    o.prop("created_at", instant("")).prop("updated_at", instant(""))
}

/// `<Name>s`: Harvest's list body around `item`s under `key`.
pub(super) fn list(reg: &mut Registry, name: &str, key: &str, item: &str) {
    let page = |what: &str| describe(integer(1, i64::MAX), what);
    let next = |what: &str| or_null(describe(integer(1, i64::MAX), what).build());
    let o = object(
        "One numbered page, newest first; `links` are absolute and keep later pages to the set the first one saw.",
    )
    .prop(key, array(reference(item), "").build())
    .prop("per_page", page("1–2000 (`per_page`, default 100)."))
    .prop("total_pages", page("At least 1."))
    .prop("total_entries", describe(integer(0, i64::MAX), ""))
    .prop("next_page", next("`null` on the last page."))
    .prop("previous_page", next("`null` on the first page."))
    .prop("page", page(""))
    .prop("links", reference("HarvestLinks"));
    reg.add(name, o);
}

pub fn add(reg: &mut Registry) {
    let link = || nullable_string();
    let links = object("Absolute URLs of the list's pages.")
        .prop("first", string().build())
        .prop("next", link())
        .prop("previous", link())
        .prop("last", string().build());
    reg.add("HarvestLinks", links);
    let error = object("Harvest's error body: a sentence and edgeclock's code (SPEC §1).")
        .prop("message", describe(string(), "In the language of `Content-Language`; names invalid fields."))
        .prop("code", string());
    reg.add("HarvestError", error);
    let reference_to = object("A reference; `{\"id\": 0, \"name\": \"(none)\"}` where there is none.")
        .prop("id", describe(integer(0, 9_007_199_254_740_991), "`0` for the placeholder."))
        .prop("name", string());
    reg.add("HarvestReference", reference_to);

    let user = object("A worker (or, for `users/me`, the calling key) as a Harvest user.")
        .prop("id", int_id())
        .prop("first_name", string())
        .prop("last_name", string())
        .prop("email", describe(string(), "`\"\"` when the worker has none."))
        .prop("telephone", string())
        .prop("timezone", string())
        .prop("has_access_to_all_future_projects", boolean())
        .prop("is_contractor", boolean())
        .prop("is_active", boolean())
        .prop("weekly_capacity", describe(integer(0, i64::MAX), "Seconds: the tenant's weekly hours."))
        .prop("default_hourly_rate", nullable_number())
        .prop("cost_rate", nullable_number())
        .prop("roles", array(string(), "").build())
        .prop("access_roles", array(string(), "").build())
        .prop("avatar_url", string())
        .optional("employee_code", string());
    reg.add("HarvestUser", stamps(user));
    list(reg, "HarvestUsers", "users", "HarvestUser");

    let client = object("A customer as a Harvest client.")
        .prop("id", int_id())
        .prop("name", string())
        .prop("is_active", boolean())
        .prop("address", nullable_string())
        .prop("statement_key", string())
        .prop("currency", string());
    reg.add("HarvestClient", stamps(client));
    list(reg, "HarvestClients", "clients", "HarvestClient");

    let project = object("A job as a Harvest project.")
        .prop("id", int_id())
        .prop("name", string())
        .prop("code", nullable_string())
        .prop("is_active", boolean())
        .prop("is_billable", boolean())
        .prop("is_fixed_fee", boolean())
        .prop("bill_by", one_of(&["none"]))
        .prop("budget", nullable_number())
        .prop("budget_by", one_of(&["project", "none"]))
        .prop("budget_is_monthly", boolean())
        .prop("notify_when_over_budget", boolean())
        .prop("show_budget_to_all", boolean())
        .prop("cost_budget", nullable_number())
        .prop("hourly_rate", nullable_number())
        .prop("fee", nullable_number())
        .prop("notes", string())
        .prop("starts_on", nullable_string())
        .prop("ends_on", nullable_string())
        .prop("client", reference("HarvestReference"));
    reg.add("HarvestProject", stamps(project));
    list(reg, "HarvestProjects", "projects", "HarvestProject");

    let contact = object("A customer's contact in Harvest's shape.")
        .prop("id", int_id())
        .prop("title", nullable_string())
        .prop("first_name", string())
        .prop("last_name", string())
        .prop("email", string())
        .prop("phone_office", string())
        .prop("phone_mobile", string())
        .prop("fax", string())
        .prop("client", reference("HarvestReference"));
    reg.add("HarvestContact", stamps(contact));
    list(reg, "HarvestContacts", "contacts", "HarvestContact");

    let task = object("A task in Harvest's shape.")
        .prop("id", int_id())
        .prop("name", string())
        .prop("billable_by_default", boolean())
        .prop("default_hourly_rate", nullable_number())
        .prop("is_default", boolean())
        .prop("is_active", boolean());
    reg.add("HarvestTask", stamps(task));
    list(reg, "HarvestTasks", "tasks", "HarvestTask");

    let company = object("The tenant as Harvest's company.")
        .prop("base_uri", describe(string(), "The request's origin."))
        .prop("full_domain", string())
        .prop("name", string())
        .prop("is_active", boolean())
        .prop("week_start_day", string())
        .prop("wants_timestamp_timers", boolean())
        .prop("time_format", one_of(&["decimal"]))
        .prop("date_format", string())
        .prop("plan_type", string())
        .prop("clock", one_of(&["24h"]))
        .prop("currency", string())
        .prop("currency_code_display", string())
        .prop("currency_symbol_display", string())
        .prop("decimal_symbol", string())
        .prop("thousands_separator", string())
        .prop("color_scheme", string())
        .prop("weekly_capacity", integer(0, i64::MAX))
        .prop("expense_feature", boolean())
        .prop("invoice_feature", boolean())
        .prop("estimate_feature", boolean())
        .prop("approval_feature", boolean())
        .prop("team_feature", boolean())
        .prop("saml_sso_feature", boolean());
    reg.add("HarvestCompany", company);
    reg.add("HarvestEmpty", object("Nothing: `{}`."));
    entries(reg);
    super::harvest_expenses::add(reg);
    super::harvest_invoices::add(reg);
    reports(reg);
}

pub(super) fn number_schema() -> utoipa::openapi::schema::ObjectBuilder {
    utoipa::openapi::schema::ObjectBuilder::new().schema_type(SchemaType::new(Type::Number))
}

pub(super) fn null_schema() -> utoipa::openapi::schema::ObjectBuilder {
    utoipa::openapi::schema::ObjectBuilder::new().schema_type(SchemaType::new(Type::Null))
}

fn entries(reg: &mut Registry) {
    let maybe = |what: &str| or_null(describe(string(), what).build());
    let entry = object("A time entry in Harvest's shape; local dates and times in the site's (else tenant's) zone.")
        .prop("id", int_id())
        .prop("spent_date", describe(string(), "The local date the entry starts on, `YYYY-MM-DD`."))
        .prop("hours", describe(number_schema(), "To 2 decimals; a running entry's so far."))
        .prop("hours_without_timer", number_schema())
        .prop("rounded_hours", number_schema())
        .prop("notes", nullable_string())
        .prop("is_locked", describe(boolean(), "True once approved or invoiced."))
        .prop("locked_reason", maybe("`Invoiced` when on an invoice, else `Approved` when approved."))
        .prop("is_closed", boolean())
        .prop("approval_status", one_of(&["unsubmitted", "approved"]))
        .prop("is_billed", describe(boolean(), "True once on an invoice."))
        .prop("timer_started_at", maybe("When the running timer started; `null` unless running."))
        .prop("started_time", describe(string(), "`HH:MM`, 24 h, local."))
        .prop("ended_time", maybe("`HH:MM`, 24 h, local; `null` while running."))
        .prop("is_running", boolean())
        .prop("billable", boolean())
        .prop("budgeted", boolean())
        .prop("billable_rate", nullable_number())
        .prop("cost_rate", nullable_number())
        .prop("user", reference("HarvestReference"))
        .prop("client", reference("HarvestReference"))
        .prop("project", reference("HarvestReference"))
        .prop("task", reference("HarvestReference"))
        .prop("user_assignment", null_schema())
        .prop("task_assignment", null_schema())
        .prop("external_reference", null_schema())
        .prop("invoice", ref_or_null("HarvestInvoiceReference", "The invoice it is on; `null` until invoiced."))
        .prop("source", string())
        .prop(
            "metadata",
            utoipa::openapi::schema::ObjectBuilder::new()
                .schema_type(SchemaType::from_iter([Type::Object, Type::Null])),
        );
    reg.add("HarvestTimeEntry", stamps(entry));
    let invoice = object("The invoice an entry or expense is on.")
        .prop("id", int_id())
        .prop("number", describe(string(), "The invoice's number."));
    reg.add("HarvestInvoiceReference", invoice);
    list(reg, "HarvestTimeEntries", "time_entries", "HarvestTimeEntry");
}

fn reports(reg: &mut Registry) {
    for (name, id, label) in [
        ("Team", "user_id", "user_name"),
        ("Clients", "client_id", "client_name"),
        ("Projects", "project_id", "project_name"),
        ("Tasks", "task_id", "task_name"),
    ] {
        let mut row = object("One group's hours.")
            .prop(id, describe(integer(0, 9_007_199_254_740_991), "`0` for entries without one."))
            .prop(label, string())
            .prop("total_hours", number_schema())
            .prop("billable_hours", number_schema())
            .prop("currency", string())
            .prop("billable_amount", number_schema());
        if name == "Team" {
            row = row.prop("is_contractor", boolean());
        }
        let row_name = format!("HarvestReport{name}Result");
        reg.add(&row_name, row);
        list(reg, &format!("HarvestReport{name}"), "results", &row_name);
    }
}
