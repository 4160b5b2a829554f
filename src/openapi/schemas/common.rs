//! What every answer shares (SPEC §1): the envelope's `meta`, the error envelope and its codes,
//! tombstones, and the value types many bodies use (currencies, time zones, instants, scopes).

use utoipa::openapi::schema::{OneOfBuilder, Schema, Type};
use utoipa::openapi::RefOr;

use super::super::dsl::{self, array, count, date, date_time, describe, object, one_of, reference, string};
use super::Registry;
use crate::domain::model::CURRENCIES;
use crate::domain::reader::MAX_SCOPES;
use crate::domain::scopes::{Action, Preset, Resource, Wildcard};
use crate::error::ErrorCode;
use crate::i18n::FieldCode;

/// Every error code, in the order of SPEC §1.
pub const ERROR_CODES: &[ErrorCode] = &[
    ErrorCode::BadRequest,
    ErrorCode::Unauthorized,
    ErrorCode::Forbidden,
    ErrorCode::PlanRequired,
    ErrorCode::NotFound,
    ErrorCode::MethodNotAllowed,
    ErrorCode::Conflict,
    ErrorCode::PayloadTooLarge,
    ErrorCode::UnsupportedMediaType,
    ErrorCode::ValidationFailed,
    ErrorCode::IdempotencyKeyReused,
    ErrorCode::RateLimited,
    ErrorCode::Internal,
];

const FIELD_CODES: &[FieldCode] = &[
    FieldCode::Required,
    FieldCode::Invalid,
    FieldCode::TooLong,
    FieldCode::OutOfRange,
    FieldCode::NotAllowed,
    FieldCode::UnknownField,
    FieldCode::WrongType,
    FieldCode::NotFound,
    FieldCode::Inactive,
];

const REQUEST_ID: &str = "req_0193c2aa7b4c7e2a9f1d3c5b7a9e1f20";

/// An object's integer id (SPEC §9), a property of every object with a text `id`.
pub fn harvest_id() -> RefOr<Schema> {
    let range = dsl::integer(1, crate::storage::harvest_ids::MAX);
    describe(range, "The object's stable integer id, its `id` on the Harvest-compatible `/v2`.").into()
}

/// `X` as the API writes instants.
/// The approval fields time entries and expenses share (SPEC §6): when, by which key, and the
/// last rejection's note.
pub fn approval(o: dsl::Obj) -> dsl::Obj {
    o.prop(
        "approved_at",
        dsl::or_null(describe(dsl::date_time(), "When it was approved; `null` unless `approved`.").build()),
    )
    .prop(
        "approved_by",
        dsl::or_null(describe(dsl::id("key"), "The key that approved it; `null` unless `approved`.").build()),
    )
    .prop(
        "rejection_note",
        dsl::or_null(describe(dsl::string().max_length(Some(2000)), "The note of the last rejection.").build()),
    )
}

pub fn instant(description: &str) -> RefOr<Schema> {
    describe(date_time(), description).into()
}

fn scope_pattern() -> String {
    let resources: Vec<String> = Resource::NAMES.iter().map(|r| r.replace('-', "\\-")).collect();
    let wild: Vec<String> = Wildcard::NAMES.iter().map(|w| w.replace('*', "\\*")).collect();
    format!("^({}):({}|{})$", Action::NAMES.join("|"), wild.join("|"), resources.join("|"))
}

fn envelope(reg: &mut Registry) {
    let meta = object("Present on every success envelope.")
        .prop("request_id", describe(string(), "Same value as the `X-Request-Id` response header."))
        .prop("took_ms", describe(count(0), "Time spent serving the request, in milliseconds."))
        .example(&format!(r#"{{"request_id": "{REQUEST_ID}", "took_ms": 3}}"#));
    reg.add("Meta", meta);
    let list = object("`meta` of a list page.")
        .prop("request_id", describe(string(), "Same value as the `X-Request-Id` response header."))
        .prop("took_ms", describe(count(0), "Time spent serving the request, in milliseconds."))
        .prop(
            "next_cursor",
            dsl::or_null(describe(string(), "Pass as `cursor` for the next page; `null` on the last page.").build()),
        )
        .prop("has_more", describe(dsl::boolean(), "Whether another page follows."));
    reg.add("ListMeta", list);
    let tombstone = object(
        "What remains of a deleted object: returned by `DELETE`, and listed with `include_deleted=true`.",
    )
    .prop("id", string())
    .prop("deleted", dsl::constant(Type::Boolean, true))
    .prop("deleted_at", instant("When it was deleted."))
    .example(
        r#"{"id": "wkr_0193c2aa7b4c7e2a9f1d3c5b00001234", "deleted": true, "deleted_at": "2026-06-02T09:00:00Z"}"#,
    );
    reg.add("Tombstone", tombstone);
}

fn errors(reg: &mut Registry) {
    let field_codes: Vec<&str> = FIELD_CODES.iter().map(|c| c.as_str()).collect();
    let field_error = object("One invalid field of a `422 validation_failed`.")
        .prop(
            "field",
            describe(
                string(),
                "The field's name; nested fields are dotted (`limits.per_day`) and list items indexed (`breaks[1]`, \
                 `breaks[0].started_at`); `body` when the body is not a JSON object.",
            ),
        )
        .prop(
            "code",
            describe(
                one_of(&field_codes),
                "`required`: missing or `null` where a value is needed; `invalid`: empty or badly formed; `too_long`: \
                 over the maximum length (or size, or number of items); `out_of_range`: outside its bounds; \
                 `not_allowed`: not one of the allowed values, or not allowed here; `unknown_field`: the API has no \
                 such field; `wrong_type`: wrong JSON type; `not_found`: an id that names no live object of this \
                 tenant; `inactive`: the worker is inactive.",
            ),
        )
        .prop("message", describe(string(), "Human-readable, in the negotiated language."));
    reg.add("FieldError", field_error);
    let codes: Vec<&str> = ERROR_CODES.iter().map(|c| c.as_str()).collect();
    let details =
        array(reference("FieldError"), "Only on `validation_failed`: every invalid field, not just the first.");
    let body = object("What went wrong: the inside of the error envelope (and of a failed item of a batch).")
        .prop("code", describe(one_of(&codes), "Stable machine-readable code; never translated."))
        .prop("message", describe(string(), "Human-readable, in the language of `Content-Language`."))
        .prop("request_id", describe(string(), "Same value as the `X-Request-Id` response header."))
        .optional("details", details.min_items(Some(1)).build());
    reg.add("ErrorBody", body);
    reg.add("Error", object("The error envelope, used by every failure.").prop("error", reference("ErrorBody")));
}

fn values(reg: &mut Registry) {
    let currency =
        one_of(CURRENCIES).description(Some("An ISO 4217 currency code, upper case, from the list the API accepts."));
    reg.add("Currency", currency.build());
    let zones: Vec<&str> = chrono_tz::TZ_VARIANTS.iter().map(|tz| tz.name()).collect();
    reg.add("Timezone", one_of(&zones).description(Some("An IANA time zone name (`Europe/Madrid`).")).build());
    let instant = |description: &str| {
        let exact = date_time().max_length(Some(40));
        dsl::any_of(vec![exact.into(), date().into()], description)
    };
    reg.add(
        "Instant",
        Schema::AnyOf(instant(
            "An RFC 3339 date-time (any offset), or a date meaning its first second (UTC). Stored and returned in \
             UTC with `Z`, to the second; unparseable is `invalid`.",
        )),
    );
    reg.add(
        "EndInstant",
        Schema::AnyOf(instant(
            "An RFC 3339 date-time (any offset), or a date meaning its last second (UTC), so a date is an \
             inclusive end; unparseable is `invalid`.",
        )),
    );
    let scope = string().pattern(Some(scope_pattern())).description(Some(
        "`read:<resource>` (for `GET`/`HEAD`) or `write:<resource>` (any other method), where `<resource>` is the \
         first path segment after `/v1`; `read:*`/`read:all` and `write:*`/`write:all` cover every resource of \
         their action. `write` never implies `read`.",
    ));
    reg.add("Scope", scope.build());
    let (pattern, min, max) = super::super::cursor::pattern();
    let cursor = string().pattern(Some(pattern)).min_length(Some(min)).max_length(Some(max)).description(Some(
        "An opaque cursor, as `meta.next_cursor` gives it (the pattern admits exactly the cursors the API issues).",
    ));
    reg.add("Cursor", cursor.build());
    let mut listed: Vec<String> = Vec::new();
    for action in Action::NAMES {
        listed.extend(Wildcard::NAMES.iter().chain(Resource::NAMES).map(|r| format!("{action}:{r}")));
    }
    let explicit =
        array(RefOr::T(Schema::Object(one_of(&listed.iter().map(String::as_str).collect::<Vec<_>>()).build())), "")
            .title(Some("Explicit list"))
            .min_items(Some(1))
            .max_items(Some(MAX_SCOPES));
    let input = OneOfBuilder::new().item(one_of(Preset::NAMES).title(Some("Preset"))).item(explicit).description(Some(
        "Scopes to give: the preset `read-only` (`[\"read:*\"]`) or `read-write` (`[\"read:*\", \"write:*\"]`), or \
             an explicit, non-empty list of at most 64 scopes. An unknown preset is `not_allowed`; an empty list, a \
             non-string item or an unknown scope makes the field `invalid`. A key can only give scopes it holds \
             itself (else `403 forbidden` naming the first one it lacks).",
    ));
    reg.add("ScopesInput", Schema::OneOf(input.build()));
}

pub fn add(reg: &mut Registry) {
    envelope(reg);
    errors(reg);
    values(reg);
}
