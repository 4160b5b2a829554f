"""Schemathesis hooks for the contract fuzzer (scripts/contract.sh, SPEC §8).

A schema describes one request at a time. Two things the API rightly does depend on what
happened before, or on more than one field at once, and no OpenAPI document can say them:

* An `Idempotency-Key` belongs to the first request that used it; another request with the same
  key is `422 idempotency_key_reused` (SPEC §4). Generated keys repeat (every example and every
  boundary case draws the same few values), so each valid key is made unique before it is sent.
  Malformed keys are sent as drawn: the API must refuse them and the document must say so. Reuse
  itself is the end-to-end suite's subject (tests/e2e/idempotency.rs).
* A well-formed request can name objects that do not exist or are inactive (`not_found`,
  `inactive`), or break a rule between fields, or one against the clock or another object's
  state (RULES below). Such a `422` to a schema-valid request is dropped from the
  "schema-valid request rejected" check; every other refusal of a schema-valid request still
  fails the run, and schemathesis counts the dropped ones in its summary.
"""

import json
import os
import re
import uuid

import schemathesis

# SPEC §4 as the API reads it: 1 to 255 visible ASCII characters.
VALID_IDEMPOTENCY_KEY = re.compile(r"[\x21-\x7e]{1,255}")

# `details[].code` values that speak about other objects, not about the request's shape.
STATE_CODES = {"not_found", "inactive"}

KEY_ROUTES = (
    "POST /v1/api-keys",
    "POST /v1/divisions/{division_id}/api-keys",
    "POST /v1/operator/tenants/{tenant_id}/api-keys",
    "POST /v1/operator/vendors/{vendor_id}/api-keys",
)

# (operation, details[].field, details[].code) refusals that no JSON Schema can foresee.
RULES = {
    # `end` on or after `start`, and at most 31 days from it.
    ("GET /v1/attendance/range", "end", "out_of_range"),
    # A shift ends after it starts (on PATCH, against the stored other end too).
    ("POST /v1/shifts", "ends_at", "out_of_range"),
    ("PATCH /v1/shifts/{shift_id}", "ends_at", "out_of_range"),
    # A report's or payroll export's `to` on or after `from`, at most 365 days from it.
    ("GET /v1/reports/job-costing", "to", "out_of_range"),
    ("GET /v1/reports/time", "to", "out_of_range"),
    ("POST /v1/exports/payroll", "to", "out_of_range"),
    # Publishing a period whose `to` is before its `from`.
    ("POST /v1/shifts/publish", "to", "out_of_range"),
    # An entry starts at most 5 minutes from now and ends after it starts; breaks lie inside it.
    ("POST /v1/time-entries", "started_at", "out_of_range"),
    ("POST /v1/time-entries", "ended_at", "out_of_range"),
    ("PATCH /v1/time-entries/{time_entry_id}", "started_at", "out_of_range"),
    ("PATCH /v1/time-entries/{time_entry_id}", "ended_at", "out_of_range"),
    # A position is recorded at most 5 minutes from now.
    ("POST /v1/positions", "recorded_at", "out_of_range"),
    # A webhook filter's time range cannot end where it starts (it would match nothing).
    ("POST /v1/webhooks", "filters.time_range.end", "out_of_range"),
    ("PATCH /v1/webhooks/{webhook_id}", "filters.time_range.end", "out_of_range"),
}
# A new key expires in the future and never exceeds its owner's limits.
for route in KEY_ROUTES:
    RULES |= {(route, field, "out_of_range") for field in ("expires_at", "limits.per_second", "limits.per_minute", "limits.per_day")}

BREAK_FIELD = re.compile(r"breaks\[\d+\]")
BREAK_ROUTES = {"POST /v1/time-entries", "PATCH /v1/time-entries/{time_entry_id}"}


@schemathesis.hook
def before_call(context, case, kwargs):
    """Gives every well-formed `Idempotency-Key` a value no earlier request used."""
    headers = case.headers or {}
    for name, value in list(headers.items()):
        if name.lower() == "idempotency-key" and isinstance(value, str) and VALID_IDEMPOTENCY_KEY.fullmatch(value):
            headers[name] = f"contract-{uuid.uuid4().hex}"


def excused(label, detail):
    field, code = detail.get("field", ""), detail.get("code")
    if code in STATE_CODES or (label, field, code) in RULES:
        return True
    # Breaks must lie inside their entry, in order: `breaks[i]` out of range.
    return label in BREAK_ROUTES and code == "out_of_range" and bool(BREAK_FIELD.fullmatch(field))


@schemathesis.hook
def filter_failure(context, failure, case, response):
    """Keeps every failure except a schema-valid request refused for the reasons above."""
    if failure.code != "ST202" or response.status_code != 422:
        return True
    try:
        error = json.loads(response.content)["error"]
    except (ValueError, KeyError, TypeError):
        return True
    details = error.get("details") or []
    if error.get("code") != "validation_failed" or not details:
        return True
    label = case.operation.label
    if not all(isinstance(d, dict) and excused(label, d) for d in details):
        return True
    # Written down so a run can show what it did not count (scripts/contract.sh tallies it).
    log = os.environ.get("CONTRACT_DROPPED_LOG")
    if log:
        with open(log, "a", encoding="utf-8") as out:
            reasons = sorted({f"{d.get('field')} {d.get('code')}" for d in details})
            out.write(json.dumps({"operation": label, "reasons": reasons}) + "\n")
    return False
