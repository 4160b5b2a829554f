//! The parameters of an operation (SPEC §1, §1.1, §1.2, §2, §4): path ids, the query a list or
//! handler reads (from its [`ListSpec`] and [`Param`] declarations), and the request headers
//! the API reads.

use utoipa::openapi::path::{Parameter, ParameterBuilder, ParameterIn, ParameterStyle};
use utoipa::openapi::schema::Schema;
use utoipa::openapi::{RefOr, Required};

use super::dsl::{self, array, describe, id, integer, one_of, reference, string};
use crate::domain::listing::{
    FilterKind, ListSpec, COMMON, DEFAULT_LIMIT, MAX_LIMIT, MAX_SEARCH, MAX_VALUES, MAX_VALUE_CHARS,
};
use crate::domain::params::{Param, ParamKind};
use crate::pipeline::route_doc::QueryDoc;

fn param(
    name: &str,
    at: ParameterIn,
    required: bool,
    description: &str,
    schema: impl Into<RefOr<Schema>>,
) -> ParameterBuilder {
    ParameterBuilder::new()
        .name(name)
        .parameter_in(at)
        .required(if required { Required::True } else { Required::False })
        .description(Some(description))
        .schema(Some(schema))
}

/// The id prefix of each path parameter (the API answers any other value with `404`).
const PATH_IDS: &[(&str, &str, &str)] = &[
    ("tenant_id", "ten", "tenant (or division)"),
    ("vendor_id", "ven", "vendor"),
    ("key_id", "key", "API key"),
    ("division_id", "ten", "division"),
    ("partnership_id", "prt", "partnership"),
    ("worker_id", "wkr", "worker"),
    ("site_id", "site", "site"),
    ("department_id", "dep", "department"),
    ("cost_code_id", "cc", "cost code"),
    ("task_id", "tsk", "task"),
    ("customer_id", "cus", "customer"),
    ("contact_id", "ctc", "contact"),
    ("job_id", "job", "job"),
    ("shift_id", "shf", "shift"),
    ("time_entry_id", "te", "time entry"),
    ("expense_id", "xpn", "expense"),
    ("invoice_id", "inv", "invoice"),
    ("webhook_id", "whk", "webhook endpoint"),
    ("delivery_id", "dlv", "webhook delivery"),
    ("export_id", "exp", "export"),
];

/// A path parameter: an id with its prefix on `/v1`, an integer id on `/v2` (`harvest`).
pub fn path(name: &str, harvest: bool) -> Parameter {
    if harvest {
        let noun = name.trim_end_matches("_id").replace('_', " ");
        let description =
            format!("The {noun}'s integer id. Another tenant's, a deleted one's or anything else is `404`.");
        return param(name, ParameterIn::Path, true, &description, integer(1, 9_007_199_254_740_991)).build();
    }
    let (_, prefix, noun) =
        PATH_IDS.iter().find(|(n, ..)| *n == name).unwrap_or_else(|| panic!("no id prefix for path parameter {name}")); // ok: native-only generator, fails the openapi test
    let description =
        format!("The {noun}'s id (`{prefix}_…`). An id of another tenant, or of a deleted object, is `404`.");
    param(name, ParameterIn::Path, true, &description, id(prefix)).build()
}

/// A comma-separated list of values (`status=active,inactive`).
fn values(name: &str, description: &str, item: impl Into<RefOr<Schema>>) -> Parameter {
    let schema = array(item, "").min_items(Some(1)).max_items(Some(MAX_VALUES));
    param(name, ParameterIn::Query, false, description, schema.build())
        .style(Some(ParameterStyle::Form))
        .explode(Some(false))
        .build()
}

fn common(name: &str, spec: &ListSpec) -> Parameter {
    let q = |required, description: &str, schema: RefOr<Schema>| {
        param(name, ParameterIn::Query, required, description, schema).build()
    };
    let bound = |which: &str| {
        let column = spec.date_column.unwrap_or_default();
        format!(
            "Only objects whose `{column}` is at or {which} this instant (inclusive). {}",
            instant_words(which == "before")
        )
    };
    match name {
        "limit" => q(false, "Page size.", integer(1, MAX_LIMIT as i64).default(Some(DEFAULT_LIMIT.into())).into()),
        "cursor" => q(
            false,
            "The opaque `meta.next_cursor` of the previous page; one the API did not issue is `400`.",
            reference("Cursor"),
        ),
        "updated_since" => q(
            false,
            &format!("Only objects created, changed or deleted at or after this instant. {}", instant_words(false)),
            reference("Instant"),
        ),
        "include_deleted" => q(
            false,
            "`true` also lists deleted objects, as tombstones `{\"id\", \"deleted\": true, \"deleted_at\"}`.",
            dsl::boolean().default(Some(false.into())).into(),
        ),
        "from" => q(false, &bound("after"), reference("Instant")),
        "to" => q(false, &bound("before"), reference("EndInstant")),
        other => panic!("no documentation for the list parameter {other}"), // ok: native-only generator, fails the openapi test
    }
}

fn instant_words(end: bool) -> &'static str {
    if end {
        "An RFC 3339 date-time, a date-time without offset (UTC), or a date meaning its last second (UTC)."
    } else {
        "An RFC 3339 date-time, a date-time without offset (UTC), or a date meaning its first second (UTC)."
    }
}

/// The parameters of `spec`'s list: paging, `updated_since`, tombstones, dates and filters.
fn list(spec: &ListSpec, only: &[&str]) -> Vec<Parameter> {
    let wanted = |name: &str| only.is_empty() || only.contains(&name);
    let mut out: Vec<Parameter> = COMMON
        .iter()
        .filter(|n| spec.date_column.is_some() || !matches!(**n, "from" | "to"))
        .filter(|n| wanted(n))
        .map(|n| common(n, spec))
        .collect();
    for f in spec.filters.iter().filter(|f| wanted(f.param)) {
        let any = format!("Only objects whose `{}` is one of these (comma-separated).", f.param);
        out.push(match f.kind {
            FilterKind::OneOf(allowed) => values(f.param, &any, one_of(allowed).build()),
            FilterKind::Ids(prefix) => values(f.param, &any, id(prefix).build()),
            FilterKind::Ints(min, max) => values(f.param, &any, integer(min, max).build()),
            FilterKind::Values => {
                let item =
                    string().min_length(Some(1)).max_length(Some(MAX_VALUE_CHARS)).pattern(Some(r"^[^,]*[^,\s][^,]*$"));
                values(f.param, &format!("{any} Exact matches."), item.build())
            }
            FilterKind::Flag => {
                let d = format!("Only objects that are (`true`) or are not (`false`) `{}`.", f.param);
                param(f.param, ParameterIn::Query, false, &d, dsl::boolean()).build()
            }
            FilterKind::OnOrAfter | FilterKind::OnOrBefore => {
                let which = if matches!(f.kind, FilterKind::OnOrAfter) { "on or after" } else { "on or before" };
                let d = format!("Only objects whose `{}` is {which} this day (`YYYY-MM-DD`, inclusive).", f.column);
                param(f.param, ParameterIn::Query, false, &d, dsl::date()).build()
            }
            FilterKind::Search(columns) => {
                let list = columns.iter().map(|c| format!("`{c}`")).collect::<Vec<_>>().join(", ");
                let d = format!("A case-insensitive substring of {list}.");
                let s = string().min_length(Some(1)).max_length(Some(MAX_SEARCH)).pattern(Some(r"\S"));
                param(f.param, ParameterIn::Query, false, &d, s).build()
            }
        });
    }
    out
}

fn own(p: &Param) -> Parameter {
    let schema = match p.kind {
        ParamKind::Date => dsl::date(),
        ParamKind::Int(min, max) => integer(min, max),
        ParamKind::Id(prefix) => id(prefix),
        ParamKind::OneOf(values) => one_of(values),
        ParamKind::Hex(len) => string().pattern(Some(format!("^[0-9a-f]{{{len}}}$"))),
        ParamKind::Ids(prefix) => {
            let one = dsl::id_pattern(prefix);
            let one = one.trim_start_matches('^').trim_end_matches('$');
            string().pattern(Some(format!("^{one}( *, *{one}){{0,99}}$")))
        }
        ParamKind::Words(words) => {
            let one = format!("({})", words.join("|"));
            string().pattern(Some(format!("^{one}(,{one})*$")))
        }
        ParamKind::HarvestDate => string().pattern(Some(r"^(\d{4}-\d{2}-\d{2}|\d{8})$")),
        ParamKind::Instant => {
            return param(
                p.name,
                ParameterIn::Query,
                p.required,
                &format!("{} Malformed is `400`.", p.doc),
                reference("Instant"),
            )
            .build()
        }
        ParamKind::Opaque(max) => string().min_length(Some(1)).max_length(Some(max)).pattern(Some("^[!-~]+$")),
    };
    let rule = if p.required { "Missing or malformed is `400`." } else { "Malformed is `400`." };
    param(p.name, ParameterIn::Query, p.required, &format!("{} {rule}", p.doc), schema).build()
}

/// The query parameters a route reads.
pub fn query(q: &QueryDoc) -> Vec<Parameter> {
    let mut out: Vec<Parameter> = q.params.iter().map(own).collect();
    if let Some(spec) = q.list {
        out.extend(list(spec, q.only));
    }
    out
}

fn header(name: &str, description: &str, schema: impl Into<RefOr<Schema>>) -> Parameter {
    param(name, ParameterIn::Header, false, description, schema).build()
}

/// `Idempotency-Key` (SPEC §4), on every write of a key route.
pub fn idempotency_key() -> Parameter {
    // No example: one shared value would make every fuzzed write a reuse of the same key.
    let s = string().pattern(Some(format!(r"^[\x21-\x7E]{{1,{}}}$", crate::domain::idempotency::MAX_KEY)));
    header(
        "Idempotency-Key",
        "Makes this write safe to retry: 1–255 visible ASCII characters (else `400`), scoped to the API key. Within \
         24 h a repeat with the same method, path and body gets the stored response (`X-Idempotency-Hit: true`) \
         and does nothing again; a different request with the same key is `422 idempotency_key_reused`; a repeat \
         while the first is running is `409 conflict` with `Retry-After: 1`.",
        s,
    )
}

/// `Accept`, on routes that can answer CSV as well as JSON.
pub fn accept() -> Parameter {
    header(
        "Accept",
        "Without `format`, a CSV attachment is answered when this prefers `text/csv` to `application/json` (a higher \
         quality, or the same quality listed first); otherwise JSON.",
        string().examples(["text/csv", "application/json"]),
    )
}

/// The headers every operation reads; `Edgeclock-Tenant-Id` on key routes.
pub fn common_headers(key_route: bool) -> Vec<Parameter> {
    let mut out = Vec::new();
    if key_route {
        out.push(header(
            "Edgeclock-Tenant-Id",
            "Vendor keys only: the tenant (`ten_…`) to act for, which must have an active partnership with the \
             vendor (else `403`); required for a vendor key on every key route but `GET /v1/me`. Tenant keys ignore it.",
            describe(string(), "").examples(["ten_0193c2a67b4c7e2a9f1d3c5b00000001"]),
        ));
    }
    out.push(header(
        "Accept-Language",
        "Language of error messages: `en` (default), `es`, `fr` or `de`, with quality values; anything else falls \
         back to English. The choice is echoed in `Content-Language`.",
        string().examples(["es", "fr-CA, en;q=0.5"]),
    ));
    out.push(header(
        "X-Request-Id",
        "Your own id for this request, echoed in the `X-Request-Id` response header and `request_id` if it is 1–64 \
         visible ASCII characters (0x21–0x7E); any other value is ignored (never refused) and a `req_…` id is \
         generated instead.",
        string().examples(["sync-2026-05-30-0001"]),
    ));
    out
}
