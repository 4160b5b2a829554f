//! Webhook endpoints (SPEC §7) as the API answers them: the fields a client writes (from their
//! declarations), the status the API keeps, and, on create and rotation only, the secret; and
//! `WebhookFilters`, what the endpoint's filter reader accepts (written and read back alike).

use utoipa::openapi::schema::{AllOfBuilder, ArrayBuilder, ObjectBuilder, Schema, SchemaType, Type};
use utoipa::openapi::RefOr;

use super::super::dsl::{array, date_time, describe, id, integer, object, one_of, or_null, reference, string};
use super::work::resource;
use super::Registry;
use crate::domain::webhooks::endpoint::STATUSES;
use crate::domain::webhooks::filters::{DAYS, DAYS_OF_WEEK, ID_LISTS, MAX_IDS, TIME_RANGE};
use crate::handlers::webhooks::FIELDS;

fn nullable(b: ObjectBuilder, description: &str) -> RefOr<Schema> {
    RefOr::T(Schema::Object(or_null(describe(b, description).build())))
}

fn nullable_list(b: ArrayBuilder) -> RefOr<Schema> {
    let mut a = b.build();
    a.schema_type = SchemaType::Array(vec![Type::Array, Type::Null]);
    RefOr::T(Schema::Array(a))
}

/// A time of day as `filters::minutes` reads it: `HH:MM`, 00:00 to 23:59.
const CLOCK: &str = "^(?:[01][0-9]|2[0-3]):[0-5][0-9]$";

/// The filters `domain::webhooks::filters::read` accepts, from its constants: each optional
/// (`null` is not given), nothing else. A `time_range` whose `start` equals its `end` is refused
/// too (`out_of_range`), a rule between two values that no schema states.
fn filters() -> ObjectBuilder {
    let mut o = object(
        "An endpoint's filters: an event must pass every one given. Ids are not checked to exist; an event \
         without a site, worker or department does not pass a filter on it. Duplicates are dropped and days \
         sorted when stored.",
    );
    for (name, prefix) in ID_LISTS {
        o = o.optional(name, nullable_list(array(id(prefix), "").min_items(Some(1)).max_items(Some(MAX_IDS))));
    }
    let days =
        array(integer(DAYS.0, DAYS.1), "ISO weekdays (1 = Monday … 7 = Sunday) of `occurred_at` in the tenant's zone.");
    let clock = |what: &str| describe(string().pattern(Some(CLOCK)), what);
    let range = object("`occurred_at`'s time of day in the tenant's zone; wraps midnight when `end` is before `start`; `start` equal to `end` is `out_of_range`.")
        .prop("start", clock("Inclusive, `HH:MM`."))
        .prop("end", clock("Exclusive, `HH:MM`."))
        .closed();
    o.optional(DAYS_OF_WEEK, nullable_list(days.min_items(Some(1))))
        .optional(TIME_RANGE, RefOr::T(Schema::Object(or_null(range.build()))))
        .closed()
        .builder()
}

pub fn add(reg: &mut Registry) {
    reg.add("WebhookFilters", filters().build());
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

#[cfg(test)]
mod tests {
    use super::CLOCK;
    use crate::domain::webhooks::filters::minutes;

    #[test]
    fn the_clock_pattern_is_what_the_filter_reader_accepts() {
        let clock = regex::Regex::new(CLOCK).expect("clock pattern");
        let mut samples: Vec<String> = (0..30).flat_map(|h| (0..70).map(move |m| format!("{h:02}:{m:02}"))).collect();
        samples.extend(
            ["7:00", "07:0", "0700", "07:00 ", " 07:00", "+7:00", "07:00:00", "٠٧:٠٠", "", ":"].map(String::from),
        );
        for s in samples {
            assert_eq!(clock.is_match(&s), minutes(&s).is_some(), "{s:?}");
        }
    }
}
