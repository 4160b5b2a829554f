//! Positions (SPEC §6) as the API answers them: a recorded position, a batch's results, and
//! an embed token.

use utoipa::openapi::schema::{Array, SchemaType, Type};

use super::super::dsl::{array, describe, id, object, or_null, string};
use super::super::fields::read_props;
use super::common::{harvest_id, instant};
use super::time::batch_result;
use super::Registry;
use crate::domain::positions::{FIELDS, MAX_BATCH};

/// A list of ids, or `null` for "all".
fn ids_or_all(prefix: &str, what: &str) -> Array {
    let mut a = array(id(prefix), what).min_items(Some(1)).build();
    a.schema_type = SchemaType::Array(vec![Type::Array, Type::Null]);
    a
}

pub fn add(reg: &mut Registry) {
    let p = object("A recorded position, as the history lists it and the live stream sends it.")
        .prop("id", id("pos"))
        .prop("harvest_id", harvest_id());
    let site = "The worker's site when the position was recorded (what the stream's `site_ids` filter matches).";
    let p = read_props(p, &FIELDS[..1], reg).prop("site_id", or_null(describe(id("site"), site).build()));
    let p = read_props(p, &FIELDS[1..], reg).prop("created_at", instant("When the API recorded it."));
    reg.add("Position", p);
    batch_result(reg, "Position", "positions", MAX_BATCH);
    let token = object("A read-only token for one tenant's live stream.")
        .prop(
            "token",
            describe(string().pattern(Some(r"^ect_[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$")), "Send it as `?token=`."),
        )
        .prop("expires_at", instant("When it stops working."))
        .prop("worker_ids", ids_or_all("wkr", "The workers it is limited to; `null`: all."))
        .prop("site_ids", ids_or_all("site", "The sites it is limited to; `null`: all."))
        .prop("stream_url", describe(string(), "`GET /v1/positions/live` with the token."))
        .prop("embed_url", describe(string(), "The live map page with the token, for an `<iframe>`."));
    reg.add("EmbedToken", token);
    let n = |what: &str| describe(super::super::dsl::count(0), what);
    let stats = object("What a tenant's live feed holds now.")
        .prop("pending", n("Positions waiting for their release time (at most 20,000)."))
        .prop("released", n("Released positions kept for `Last-Event-ID` resumes (at most 2,000)."))
        .prop("workers", n("Workers with a latest position kept (at most 10,000)."))
        .prop("skipped", n("Positions not streamed since the object started because the waiting buffer was full."))
        .prop("sse_streams", n("Open Server-Sent Events streams."))
        .prop("websockets", n("Open WebSockets (hibernating ones included)."))
        .prop("memory_bytes", n("The object's wasm linear memory."));
    reg.add("LiveFeedStats", stats);
}
