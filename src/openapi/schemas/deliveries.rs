//! Webhook deliveries and their attempts (SPEC §7) as the deliveries API answers them.

use utoipa::openapi::schema::{ObjectBuilder, Schema};
use utoipa::openapi::RefOr;

use super::super::dsl::{array, count, date_time, describe, id, integer, object, one_of, or_null, reference, string};
use super::common::{harvest_id, instant};
use super::Registry;
use crate::domain::events::Event;
use crate::domain::webhooks::delivery::{DeliveryStatus, RESPONSE_EXCERPT_BYTES};

fn nullable(b: ObjectBuilder, description: &str) -> RefOr<Schema> {
    RefOr::T(Schema::Object(or_null(describe(b, description).build())))
}

pub fn add(reg: &mut Registry) {
    let attempt = object("One attempt to post a delivery: the endpoint's answer, or why there was none.")
        .prop("at", instant("When the attempt started; its signatures carry this second."))
        .prop("status_code", nullable(integer(100, 599), "The status answered; `null` if none was."))
        .prop(
            "error",
            nullable(string(), "Why there was no answer (a timeout after 10 s, a refused connection…); else `null`."),
        )
        .prop("duration_ms", describe(count(0), "How long the attempt took, in milliseconds."))
        .prop(
            "response_body",
            nullable(
                string().max_length(Some(RESPONSE_EXCERPT_BYTES)),
                "The first 1 KB of the answer's body (as text); `null` when there was no answer.",
            ),
        );
    reg.add("WebhookAttempt", attempt);
    let delivery = object(
        "One event sent to one endpoint. Its `id` is the `webhook-id` header, the same on every attempt and replay, \
         as is the body; consumers de-duplicate on it.",
    )
    .prop("id", id("dlv"))
    .prop("harvest_id", harvest_id())
    .prop("webhook_id", id("whk"))
    .prop("event_id", describe(id("evt"), "The event's id (the body's `id`)."))
    .prop("event", one_of(Event::NAMES))
    .prop(
        "status",
        describe(
            one_of(DeliveryStatus::NAMES),
            "`pending` until answered 2xx (`delivered`); `failed` once the retries are spent or the endpoint \
             answered 410.",
        ),
    )
    .prop("attempts", array(reference("WebhookAttempt"), "Every attempt, oldest first.").build())
    .prop("next_attempt_at", nullable(date_time(), "While pending, when the next attempt is due; else `null`."))
    .prop("created_at", instant(""))
    .prop("updated_at", instant(""));
    reg.add("WebhookDelivery", delivery);
}
