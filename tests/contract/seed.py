"""Seeds the contract fuzzer's server (scripts/contract.sh) through the API itself.

Creates an enterprise tenant whose limits stay out of the fuzzer's way, one live object of
every kind the routes name (so generated requests can reach past "no such object"), a spare
key and a real list cursor. Writes one schemathesis dictionary per kind of id into DIR (see
tests/contract/schemathesis.toml) and prints shell `export` lines for the values the
configuration reads from the environment.

usage: seed.py BASE_URL OPERATOR_TOKEN DIR
"""

import json
import shlex
import sys
import time
import urllib.request
from pathlib import Path

BASE, OPERATOR, DIR = sys.argv[1], sys.argv[2], Path(sys.argv[3])


def call(method, path, token, body=None):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(BASE + path, data=data, method=method)
    request.add_header("Authorization", f"Bearer {token}")
    if data is not None:
        request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return json.load(response)
    except urllib.error.HTTPError as error:
        sys.exit(f"seed: {method} {path} answered {error.code}: {error.read().decode(errors='replace')}")


limits = {"per_second": 100000, "per_minute": 1000000, "per_day": 100000000}
tenant = call("POST", "/v1/operator/tenants", OPERATOR,
              {"name": "Contract Co", "tier": "enterprise", "timezone": "Europe/Madrid", "limits": limits})["data"]
key = tenant["api_key"]["key"]


def make(path, body):
    return call("POST", path, key, body)["data"]["id"]


department = make("/v1/departments", {"name": "Electrical"})
make("/v1/departments", {"name": "Plumbing"})
cursor = call("GET", "/v1/departments?limit=1", key)["meta"]["next_cursor"]
site = make("/v1/sites", {"name": "Head office", "timezone": "Europe/Madrid", "latitude": 39.4561, "longitude": -0.3272})
customer = make("/v1/customers", {"name": "Acme Corp", "currency": "EUR"})
job = make("/v1/jobs", {"name": "Fit-out", "customer_id": customer, "site_id": site})
task = make("/v1/tasks", {"name": "Install"})
cost_code = make("/v1/cost-codes", {"code": "LAB-100", "name": "Labour"})
worker = make("/v1/workers", {"name": "Ana Lima", "department_id": department, "site_id": site, "pay_rate": 2250})
shift = make("/v1/shifts", {"worker_id": worker, "site_id": site, "job_id": job,
                            "starts_at": "2026-06-08T06:00:00Z", "ends_at": "2026-06-08T14:00:00Z"})
entry = make("/v1/time-entries", {"worker_id": worker, "job_id": job, "task_id": task, "cost_code_id": cost_code,
                                  "started_at": "2026-06-08T06:00:00Z", "ended_at": "2026-06-08T14:00:00Z"})
division = make("/v1/divisions", {"name": "Contract North"})
spare_key = make("/v1/api-keys", {"label": "Spare", "scopes": "read-only"})
vendor = call("POST", "/v1/operator/vendors", OPERATOR, {"name": "PayrollHub"})["data"]["id"]
partnership = make("/v1/partnerships", {"vendor_id": vendor, "scopes": "read-only"})
# An endpoint on a dead loopback port, and one delivery to it (a ping) for the deliveries routes.
webhook = make("/v1/webhooks", {"url": "http://127.0.0.1:9/contract-hook", "events": ["*"]})
delivery = call("POST", f"/v1/webhooks/{webhook}/test", key, {})["data"]["id"]
call("POST", f"/v1/time-entries/{entry}/approve", key, {})
export = make("/v1/exports/payroll", {"from": "2026-06-01", "to": "2026-06-30"})
for _ in range(240):  # a completed export, so its detail carries a link (at most a minute)
    if call("GET", f"/v1/exports/{export}", key)["data"]["status"] in ("completed", "failed"):
        break
    time.sleep(0.25)

dictionaries = {
    "tenant_ids": [tenant["id"]],
    "division_ids": [division],
    "vendor_ids": [vendor],
    "key_ids": [spare_key],
    "partnership_ids": [partnership],
    "department_ids": [department],
    "site_ids": [site],
    "customer_ids": [customer],
    "job_ids": [job],
    "task_ids": [task],
    "cost_code_ids": [cost_code],
    "worker_ids": [worker],
    "shift_ids": [shift],
    "time_entry_ids": [entry],
    "webhook_ids": [webhook],
    "delivery_ids": [delivery],
    "export_ids": [export],
}
DIR.mkdir(parents=True, exist_ok=True)
for name, values in dictionaries.items():
    (DIR / f"{name}.dict").write_text("".join(json.dumps(v) + "\n" for v in values), encoding="utf-8")

for name, value in {"EDGECLOCK_API_KEY": key, "EDGECLOCK_CURSOR": cursor}.items():
    print(f"export {name}={shlex.quote(value)}")
