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
    # /v2 (SPEC §9) reads Harvest's fields into /v1's: a duration or start time needs its day, an
    # end needs a start before it, and the entry they make obeys /v1's clock rule; a report's
    # range is at most a year, `to` not before `from`.
    ("POST /v2/time_entries", "spent_date", "invalid"),
    ("POST /v2/time_entries", "started_time", "invalid"),
    ("POST /v2/time_entries", "ended_time", "invalid"),
    ("POST /v2/time_entries", "started_at", "out_of_range"),
    ("POST /v2/time_entries", "ended_at", "out_of_range"),
    ("PATCH /v2/time_entries/{time_entry_id}", "spent_date", "invalid"),
    ("PATCH /v2/time_entries/{time_entry_id}", "started_time", "invalid"),
    ("PATCH /v2/time_entries/{time_entry_id}", "ended_time", "invalid"),
    ("PATCH /v2/time_entries/{time_entry_id}", "started_at", "out_of_range"),
    ("PATCH /v2/time_entries/{time_entry_id}", "ended_at", "out_of_range"),
    ("GET /v2/reports/time/team", "to", "out_of_range"),
    # A date of the right shape that no calendar has (`20260230`).
    ("GET /v2/time_entries", "from", "invalid"),
    ("GET /v2/time_entries", "to", "invalid"),
    ("GET /v2/reports/time/clients", "to", "out_of_range"),
    ("GET /v2/reports/time/projects", "to", "out_of_range"),
    ("GET /v2/reports/time/tasks", "to", "out_of_range"),
    # Days of the right shape that no calendar has, on the /v2 lists of expenses and invoices.
    ("GET /v2/expenses", "from", "invalid"),
    ("GET /v2/expenses", "to", "invalid"),
    ("GET /v2/invoices", "from", "invalid"),
    ("GET /v2/invoices", "to", "invalid"),
    # An invoice is made from lines or by an import over a range, not both (and `include`,
    # `job_ids` belong to an import); the range runs forwards over at most 366 days; a line's
    # quantity has at most 4 decimals (JSON numbers are binary: no `multipleOf` states it).
    ("POST /v1/invoices", "from", "not_allowed"),
    ("POST /v1/invoices", "include", "not_allowed"),
    ("POST /v1/invoices", "job_ids", "not_allowed"),
    ("POST /v1/invoices", "to", "out_of_range"),
    ("POST /v1/invoices", "to", "required"),
    ("POST /v1/invoices", "from", "required"),
    # A /v2 invoice is in its client's currency: another one sent is refused, not converted.
    ("POST /v2/invoices", "currency", "not_allowed"),
    # A webhook filter's time range cannot end where it starts (it would match nothing).
    ("POST /v1/webhooks", "filters.time_range.end", "out_of_range"),
    ("PATCH /v1/webhooks/{webhook_id}", "filters.time_range.end", "out_of_range"),
}
# A new key expires in the future and never exceeds its owner's limits.
for kind in ("team", "clients", "projects", "tasks"):
    RULES |= {(f"GET /v2/reports/time/{kind}", field, "invalid") for field in ("from", "to")}
for route in KEY_ROUTES:
    RULES |= {(route, field, "out_of_range") for field in ("expires_at", "limits.per_second", "limits.per_minute", "limits.per_day")}

BREAK_FIELD = re.compile(r"breaks\[\d+\]")
LINE_QUANTITY = re.compile(r"line_items\[\d+\]\.quantity")
INVOICE_ROUTES = {"POST /v1/invoices", "PATCH /v1/invoices/{invoice_id}"}
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
    # An invoice line's quantity of more than 4 decimals: `line_items[i].quantity` invalid.
    if label in INVOICE_ROUTES and code == "invalid" and LINE_QUANTITY.fullmatch(field):
        return True
    # Breaks must lie inside their entry, in order: `breaks[i]` out of range.
    return label in BREAK_ROUTES and code == "out_of_range" and bool(BREAK_FIELD.fullmatch(field))


# `/v2` errors are Harvest's `{message, code}`: the message names each invalid field as
# `field (code)`, and a state conflict (`/v1`'s 409, which the check expects) is a 422 `conflict`.
HARVEST_FIELD = re.compile(r"([A-Za-z_][A-Za-z0-9_.\[\]]*) \(([a-z_]+)\)")


def error_of(response):
    """The `/v1` error object, or a `/v2` error read into the same shape."""
    body = json.loads(response.content)
    if "error" in body:
        return body["error"]
    details = [{"field": f, "code": c} for f, c in HARVEST_FIELD.findall(body.get("message", ""))]
    return {"code": body.get("code"), "details": details}


@schemathesis.hook
def filter_failure(context, failure, case, response):
    """Keeps every failure except a schema-valid request refused for the reasons above."""
    if failure.code != "ST202" or response.status_code != 422:
        return True
    try:
        error = error_of(response)
    except (ValueError, KeyError, TypeError, AttributeError):
        return True
    label = case.operation.label
    if label.split(" ", 1)[-1].startswith("/v2/") and error.get("code") == "conflict":
        return False
    details = error.get("details") or []
    if error.get("code") != "validation_failed" or not details:
        return True
    if not all(isinstance(d, dict) and excused(label, d) for d in details):
        return True
    # Written down so a run can show what it did not count (scripts/contract.sh tallies it).
    log = os.environ.get("CONTRACT_DROPPED_LOG")
    if log:
        with open(log, "a", encoding="utf-8") as out:
            reasons = sorted({f"{d.get('field')} {d.get('code')}" for d in details})
            out.write(json.dumps({"operation": label, "reasons": reasons}) + "\n")
    return False
