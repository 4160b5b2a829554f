//! Who may call (SPEC §2, §3, §5): tenants and divisions, vendors, API keys, the calling key,
//! partnerships and audit entries, as the API answers them.

use utoipa::openapi::schema::{AllOfBuilder, Schema, Type};
use utoipa::openapi::RefOr;

use super::super::dsl::{self, array, describe, id, integer, object, one_of, or_null, reference, string};
use super::common::{harvest_id, instant};
use super::Registry;
use crate::domain::tenants::{self, Tier, WeekStart, MAX_LIMIT};

fn nullable(b: utoipa::openapi::schema::ObjectBuilder, description: &str) -> RefOr<Schema> {
    RefOr::T(Schema::Object(or_null(describe(b, description).build())))
}

/// `base` with more properties (`allOf` the base and an object of the extras).
fn extends(base: &str, description: &str, extra: super::super::dsl::Obj) -> Schema {
    let all = AllOfBuilder::new().item(reference(base)).item(extra).description(Some(description));
    Schema::AllOf(all.build())
}

fn plans(reg: &mut Registry) {
    reg.add("Tier", one_of(Tier::NAMES).description(Some("Plan tier; sets the default rate limits.")).build());
    let window = |what: &str| describe(integer(1, MAX_LIMIT), what);
    let limits = object("Requests allowed per window.")
        .prop("per_second", window("Per second."))
        .prop("per_minute", window("Per minute."))
        .prop("per_day", window("Per UTC day."));
    reg.add("Limits", limits);
    let s = &tenants::SETTINGS;
    let settings = object(s.schema.1)
        .optional("daily_overtime_hours", dsl::number(0.5, 24.0))
        .optional("weekly_overtime_hours", dsl::number(1.0, 168.0))
        .optional("week_start", one_of(WeekStart::NAMES))
        .optional("pinshot_threshold", integer(0, 100))
        .optional("overtime_multiplier", dsl::number(1.0, 10.0))
        .optional("currency", reference("Currency"));
    reg.add("TenantSettings", settings);
}

fn tenant(reg: &mut Registry) {
    let t = object("A company using edgeclock.")
        .prop("id", id("ten"))
        .prop("harvest_id", harvest_id())
        .prop("name", string().max_length(Some(200)))
        .prop("tier", reference("Tier"))
        .prop("timezone", describe(string(), "IANA time zone name."))
        .prop("limits", reference("Limits"))
        .prop("settings", reference("TenantSettings"))
        .prop("parent_id", nullable(id("ten"), "The parent tenant of a division; `null` for a top-level tenant."))
        .prop("created_at", instant(""))
        .prop("updated_at", instant(""));
    reg.add("Tenant", t);
    let with_key = |what| object("").prop("api_key", describe_ref("CreatedApiKey", what));
    reg.add(
        "TenantCreated",
        extends(
            "Tenant",
            "The new tenant, with its first owner key (`read:*`, `write:*`).",
            with_key("The owner key; its secret is shown this once."),
        ),
    );
    let division = object("").prop("parent_id", id("ten"));
    reg.add(
        "Division",
        extends(
            "Tenant",
            "A division: a child tenant, fully isolated, with its parent's tier, limits and settings.",
            division,
        ),
    );
    let vendor = object("A platform integrator acting for tenants that grant it access (partnerships).")
        .prop("id", id("ven"))
        .prop("harvest_id", harvest_id())
        .prop("name", string().max_length(Some(200)))
        .prop("tier", reference("Tier"))
        .prop("limits", reference("Limits"))
        .prop("created_at", instant(""))
        .prop("updated_at", instant(""));
    reg.add("Vendor", vendor);
    reg.add(
        "VendorCreated",
        extends(
            "Vendor",
            "The new vendor, with its first key (label `Vendor`).",
            with_key("The vendor's first key; its secret is shown this once."),
        ),
    );
}

fn describe_ref(name: &str, description: &str) -> RefOr<Schema> {
    super::super::dsl::described_ref(name, description)
}

fn keys(reg: &mut Registry) {
    let scopes = |what: &str| array(reference("Scope"), what).build();
    let created = object("A new API key. `key` is the secret: it is shown in this response only.")
        .prop("id", id("key"))
        .prop("harvest_id", harvest_id())
        .prop("label", string().max_length(Some(100)))
        .prop("key", describe(string().pattern(Some("^ec_live_[0-9A-Za-z]{32}$")), "The secret. Store it now."))
        .prop("prefix", dsl::constant(Type::String, "ec_live_"))
        .prop(
            "last_four",
            describe(string().min_length(Some(4)).max_length(Some(4)), "The key's last four characters."),
        )
        .prop("scopes", scopes("Presets expanded."))
        .prop("tier", reference("Tier"))
        .prop("limits", reference("Limits"))
        .prop("tenant_id", nullable(id("ten"), "The tenant (or division) the key belongs to; `null` for a vendor key."))
        .prop("vendor_id", nullable(id("ven"), "The vendor a vendor key belongs to; `null` for a tenant key."))
        .prop("created_at", instant(""))
        .prop("expires_at", nullable(dsl::date_time(), "`null`: never expires."))
        .prop("last_used_at", describe(dsl::typed(Type::Null), "Always `null` on a new key."));
    reg.add("CreatedApiKey", created);
    let listed = object("An API key as listed: never the secret (only its prefix and last four characters).")
        .prop("id", id("key"))
        .prop("harvest_id", harvest_id())
        .prop("label", string().max_length(Some(100)))
        .prop("prefix", dsl::constant(Type::String, "ec_live_"))
        .prop("last_four", string().min_length(Some(4)).max_length(Some(4)))
        .prop("scopes", scopes(""))
        .prop("tier", reference("Tier"))
        .prop("limits", reference("Limits"))
        .prop("created_at", instant(""))
        .prop("updated_at", instant(""))
        .prop(
            "expires_at",
            nullable(dsl::date_time(), "After this instant the key is refused with `401`; `null`: never."),
        )
        .prop(
            "last_used_at",
            nullable(dsl::date_time(), "Refreshed at most about once a minute; `null` if never used."),
        )
        .prop("revoked_at", nullable(dsl::date_time(), "Always `null` on a live key (a revoked key is a tombstone)."));
    reg.add("ApiKey", listed);
    let revoked = object("The tombstone of a revoked key; revocation is effective on its very next request.")
        .prop("id", id("key"))
        .prop("deleted", dsl::constant(Type::Boolean, true))
        .prop("deleted_at", instant(""))
        .prop("revoked_at", instant(""));
    reg.add("RevokedApiKey", revoked);
    let vendor = object("").prop("id", id("ven"));
    let me = object(
        "The calling API key and what it acts for. For a vendor key, `tenant` is the tenant named in \
         `Edgeclock-Tenant-Id` and `granted_scopes` its grant; without the header both are `null`.",
    )
    .prop("id", describe(id("key"), "The key's id (never the secret)."))
    .prop("label", string())
    .prop("scopes", scopes("The key's own scopes."))
    .prop("tier", reference("Tier"))
    .prop("limits", reference("Limits"))
    .prop("expires_at", nullable(dsl::date_time(), ""))
    .prop("tenant", dsl::ref_or_null("Tenant", "The tenant the request acts on."))
    .prop(
        "vendor",
        RefOr::T(Schema::Object(or_null(vendor.builder().description(Some("The vendor of a vendor key.")).build()))),
    )
    .prop("granted_scopes", {
        let mut a = array(reference("Scope"), "A vendor key's grant from the acting tenant; `null` otherwise.").build();
        a.schema_type = utoipa::openapi::schema::SchemaType::Array(vec![Type::Array, Type::Null]);
        RefOr::T(Schema::Array(a))
    });
    reg.add("Me", me);
}

fn grants(reg: &mut Registry) {
    let partnership = object("A tenant's grant of scopes to a vendor, whose keys may then act for the tenant.")
        .prop("id", id("prt"))
        .prop("harvest_id", harvest_id())
        .prop("vendor_id", id("ven"))
        .prop("scopes", array(reference("Scope"), "The granted scopes (presets expanded).").build())
        .prop("status", describe(dsl::constant(Type::String, "active"), "A revoked partnership is a tombstone."))
        .prop("created_at", instant(""))
        .prop("updated_at", instant(""));
    reg.add("Partnership", partnership);
    let methods = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"];
    let text = |what: &str| nullable(string(), what);
    let entry = object("One request made with an API key, recorded after its response was sent.")
        .prop("id", id("aud"))
        .prop("harvest_id", harvest_id())
        .prop("occurred_at", instant("When the request arrived. `from`/`to` filter on it."))
        .prop("tenant_id", describe(id("ten"), "The tenant the request acted on."))
        .prop("key_id", id("key"))
        .prop("key_label", describe(string(), "The key's label at the time."))
        .prop("vendor_id", nullable(id("ven"), "Set when a vendor key made the request."))
        .prop("method", one_of(&methods))
        .prop("path", string())
        .prop("query", text("The raw query string, without `?`; `null` if there was none."))
        .prop("status", describe(integer(100, 599), "The status answered (refusals included)."))
        .prop("request_id", describe(string(), "The response's `X-Request-Id`."))
        .prop("ip", text("The client's address (`CF-Connecting-IP`); `null` when unknown."))
        .prop("resource", text("For writes, the resource written (as in scopes); `null` for reads."))
        .prop("resource_id", text("For successful writes, the id of the object written; `null` otherwise."))
        .prop("replay", describe(dsl::boolean(), "Whether the response was an idempotent replay."));
    reg.add("AuditEntry", entry);
}

pub fn add(reg: &mut Registry) {
    plans(reg);
    tenant(reg);
    keys(reg);
    grants(reg);
}
