//! The document's front matter: title and prose (`intro.md`, the conventions every operation
//! shares), the server, the security schemes of SPEC §2 and the tags routes are grouped by.

use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::tag::{Tag, TagBuilder};
use utoipa::openapi::{Info, InfoBuilder, Server, ServerBuilder};

/// What every operation shares, told once.
const INTRO: &str = include_str!("intro.md");

/// The tags, in the order the routes use them, with what each groups.
const TAGS: &[(&str, &str)] = &[
    ("Operator", "Platform operator routes, authenticated by the `OPERATOR_TOKEN` secret."),
    ("Me", "The calling API key."),
    ("API keys", "The tenant's API keys: create (secret shown once), list, inspect, revoke."),
    ("Divisions", "Isolated child tenants, and keys minted inside them by the parent."),
    ("Partnerships", "A tenant's grants of scopes to vendors, which let vendor keys act for it."),
    ("Audit log", "Every request made with the tenant's keys."),
    ("Workers", "Employees of the tenant."),
    ("Sites", "Places where work happens, with their location, geofence and time zone."),
    ("Departments", "Departments workers belong to."),
    ("Cost codes", "Accounting codes time is booked against."),
    ("Tasks", "Kinds of work, with billing defaults."),
    ("Customers", "Clients jobs are done for."),
    ("Jobs", "Work for a customer at a site: geofence, budget and budget use, status."),
    ("Shifts", "Scheduled work per worker, without overlaps; drafts published by date range."),
    (
        "Time entries",
        "Worked time per worker, without overlaps: breaks, approval, geofence and verification flags, batches.",
    ),
    (
        "Attendance",
        "The kiosk's clock-in, clock-out and breaks, and daily, range, monthly, today and per-worker views.",
    ),
    (
        "Expenses",
        "Money workers spend (mileage, meals, …), in minor units: approval as for time entries, locks once \
         approved or invoiced.",
    ),
    (
        "Webhooks",
        "Signed event deliveries to the tenant's endpoints, retried for over 24 hours: the delivery log and replays.",
    ),
    (
        "Positions",
        "Where workers are: recorded positions and their history, a delayed live stream (SSE or WebSocket), embed \
         tokens and the embeddable live map.",
    ),
    (
        "Harvest v2",
        "The Harvest-compatible API (SPEC §9): Harvest's paths, integer ids, bare objects, numbered pages with \
         absolute links and `{message, code}` errors, over the same data, keys, limits and audit as `/v1`. Also \
         served under `/api/v2`.",
    ),
    ("Reports", "Hours and labour cost over local days: per job (with budget use), per worker, job, customer or task."),
    ("Exports", "Payroll files computed off the request path, downloaded through signed links that need no key."),
    (
        "Invoices",
        "Bills to customers: explicit lines or an import of approved billable time and expenses (each billed once), \
         numbered per tenant, from draft to open to paid or closed.",
    ),
];

pub fn info() -> Info {
    InfoBuilder::new().title("edgeclock").version(env!("CARGO_PKG_VERSION")).description(Some(INTRO)).build()
}

pub fn servers() -> Vec<Server> {
    vec![ServerBuilder::new().url("http://127.0.0.1:8787").description(Some("Local development (`make dev`).")).build()]
}

/// The tags `used` names, in declaration order; a tag without a description here is a mistake.
pub fn tags(used: &[&str]) -> Vec<Tag> {
    for t in used {
        assert!(TAGS.iter().any(|(name, _)| name == t), "tag {t} has no description in openapi/info.rs");
    }
    TAGS.iter()
        .filter(|(name, _)| used.contains(name))
        .map(|(name, description)| TagBuilder::new().name(*name).description(Some(*description)).build())
        .collect()
}

pub fn security_schemes() -> Vec<(&'static str, SecurityScheme)> {
    let bearer = |format: Option<&str>, description: &str| {
        let mut http = HttpBuilder::new().scheme(HttpAuthScheme::Bearer).description(Some(description));
        if let Some(f) = format {
            http = http.bearer_format(f);
        }
        SecurityScheme::Http(http.build())
    };
    vec![
        (
            "ApiKeyBearer",
            bearer(
                Some("ec_live_<32 base62 characters>"),
                "A tenant, division or vendor API key as `Authorization: Bearer ec_live_…`. Vendor keys also send \
                 `Edgeclock-Tenant-Id`.",
            ),
        ),
        (
            "ApiKeyHeader",
            SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::with_description(
                "X-API-Key",
                "The same API key in the `X-API-Key` header (used when no bearer token is sent).",
            ))),
        ),
        (
            "EmbedToken",
            SecurityScheme::ApiKey(ApiKey::Query(ApiKeyValue::with_description(
                "token",
                "An embed token (`ect_…`, from `POST /v1/positions/embed-tokens`) in the query: read-only, at most \
                 24 hours, accepted by `GET /v1/positions/live` only, for browsers whose `EventSource` cannot send a \
                 key.",
            ))),
        ),
        (
            "OperatorToken",
            bearer(
                None,
                "The platform's `OPERATOR_TOKEN` secret as `Authorization: Bearer <token>`; only for `/v1/operator/…`.",
            ),
        ),
    ]
}
