"""The SDK against a running edgeclock (``wrangler dev``, started by the end-to-end suite, which
passes EDGECLOCK_TEST_BASE_URL, EDGECLOCK_TEST_KEY and EDGECLOCK_TEST_LOW_KEY — a key of one
request a second). Skipped when they are not set."""

import asyncio
import os
import random
import threading
import time
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, HTTPServer

import httpx
import pytest

from edgeclock import AsyncClient, Client, EdgeclockError, RetryPolicy, verify_webhook

BASE = os.environ.get("EDGECLOCK_TEST_BASE_URL")
KEY = os.environ.get("EDGECLOCK_TEST_KEY")
LOW = os.environ.get("EDGECLOCK_TEST_LOW_KEY")
pytestmark = pytest.mark.skipif(not BASE or not KEY, reason="no server (EDGECLOCK_TEST_BASE_URL)")


def unique():
    return f"py-{time.time_ns()}-{random.randrange(10**6)}"


def test_create_list_and_paginate():
    with Client(KEY, base_url=BASE) as client:
        tag = unique()
        made = [client.departments.create({"name": f"{tag} {i}"})["id"] for i in range(7)]
        pages, cursor = [], None
        paginator = client.departments.list(q=tag, limit=3)
        while True:
            page = paginator.page(cursor)
            pages.append(len(page["data"]))
            cursor = page["meta"]["next_cursor"]
            if not cursor:
                break
        assert pages == [3, 3, 1]
        assert [d["id"] for d in client.departments.list(q=tag, limit=3)] == made


def test_async_client_paginates_too():
    async def run():
        async with AsyncClient(KEY, base_url=BASE) as client:
            tag = unique()
            made = [(await client.departments.create({"name": f"{tag} {i}"}))["id"] for i in range(4)]
            seen = [d["id"] async for d in client.departments.list(q=tag, limit=3)]
            assert seen == made
            got = await client.departments.get(made[0])
            assert got["name"] == f"{tag} 0"

    asyncio.run(run())


@pytest.mark.skipif(not LOW, reason="no low-limit key")
def test_a_429_is_retried_with_the_same_idempotency_key_and_writes_once():
    sent = []

    def record(response):
        sent.append((response.request.headers.get("idempotency-key"), response.status_code))

    http = httpx.Client(event_hooks={"response": [record]})
    tag = unique()
    with Client(LOW, base_url=BASE, http_client=http, retry=RetryPolicy(max_attempts=8)) as client:
        threads = [threading.Thread(target=client.departments.create, args=({"name": f"{tag} {i}"},)) for i in range(3)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    limited = [k for k, status in sent if status == 429]
    assert limited, f"at least one 429 was retried: {sent}"
    for key in limited:
        assert (key, 201) in sent, "the retried write succeeded under the same key"
    with Client(KEY, base_url=BASE) as owner:
        assert len(list(owner.departments.list(q=tag))) == 3, "exactly one object per create"


def test_invalid_body_is_a_typed_error_with_details():
    with Client(KEY, base_url=BASE) as client:
        with pytest.raises(EdgeclockError) as e:
            client.workers.create({"name": "X", "email": "not-an-email"})
        assert (e.value.status, e.value.code) == (422, "validation_failed")
        assert e.value.request_id.startswith("req_")
        assert e.value.details[0]["field"] == "email"
        with pytest.raises(EdgeclockError) as e:
            client.workers.get("wkr_missing")
        assert (e.value.status, e.value.code) == (404, "not_found")


def test_sync_returns_changes_and_tombstones():
    since = (datetime.now(timezone.utc) - timedelta(seconds=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    with Client(KEY, base_url=BASE) as client:
        kept = client.departments.create({"name": f"{unique()} kept"})
        gone = client.departments.create({"name": f"{unique()} gone"})
        client.departments.delete(gone["id"])
        result = client.sync("departments", since)
        assert any(d["id"] == kept["id"] for d in result["items"])
        assert any(d["id"] == gone["id"] and d["deleted"] for d in result["tombstones"])
        assert result["synced_at"] >= since


def test_verifies_a_real_delivery():
    got = {}
    done = threading.Event()

    class Hook(BaseHTTPRequestHandler):
        def do_POST(self):
            got["body"] = self.rfile.read(int(self.headers["Content-Length"]))
            got["headers"] = dict(self.headers)
            self.send_response(200)
            self.end_headers()
            done.set()

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Hook)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        with Client(KEY, base_url=BASE) as client:
            url = f"http://127.0.0.1:{server.server_address[1]}/hook"
            endpoint = client.webhooks.create({"url": url, "events": ["worker.created"]})
            client.webhooks.test_webhook(endpoint["id"])
            assert done.wait(30), "the ping arrived"
        event = verify_webhook(got["body"], got["headers"], endpoint["secret"])
        assert event["event"] == "ping"
        for scheme in ("edgeclock", "standard"):
            assert verify_webhook(got["body"], got["headers"], endpoint["secret"], scheme=scheme)["id"] == event["id"]
        with pytest.raises(Exception, match="matches"):
            verify_webhook(got["body"].replace(b"ping", b"pong"), got["headers"], endpoint["secret"])
    finally:
        server.shutdown()
