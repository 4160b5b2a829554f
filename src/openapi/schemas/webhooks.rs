//! Webhook endpoints (SPEC §7) as the API answers them: the fields a client writes (from their
//! declarations), the status the API keeps, and, on create and rotation only, the secret.

use utoipa::openapi::schema::{AllOfBuilder, ObjectBuilder, Schema};
use utoipa::openapi::RefOr;

use super::super::dsl::{date_time, describe, object, one_of, or_null, reference, string};
use super::work::resource;
use super::Registry;
use crate::domain::webhooks::endpoint::STATUSES;
use crate::handlers::webhooks::FIELDS;

fn nullable(b: ObjectBuilder, description: &str) -> RefOr<Schema> {
    RefOr::T(Schema::Object(or_null(describe(b, description).build())))
}

pub fn add(reg: &mut Registry) {
    let endpoint = resource(reg, "whk", "A webhook endpoint. Its secrets are never shown here.", FIELDS, |o| {
        o.prop("status", describe(one_of(STATUSES), "`disabled` by the tenant, or after the endpoint answered 410."))
            .prop("disabled_reason", nullable(string(), "Why it is disabled; `null` while enabled."))
            .prop(
                "previous_secret_expires_at",
                nullable(date_time(), "After a rotation with overlap, until when the previous secret still signs."),
            )
    });
    reg.add("Webhook", endpoint);
    let secret = object("").prop(
        "secret",
        describe(
            string().pattern(Some("^whsec_[A-Za-z0-9+/]{32}$")),
            "The signing secret, shown this once: `whsec_` + base64 of 24 random bytes.",
        ),
    );
    let with_secret = AllOfBuilder::new()
        .item(reference("Webhook"))
        .item(secret.build())
        .description(Some("An endpoint with its new signing secret, as create and rotate-secret answer it."));
    reg.add("WebhookWithSecret", Schema::AllOf(with_secret.build()));
}
