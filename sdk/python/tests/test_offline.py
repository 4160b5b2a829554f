"""What the SDK decides alone: webhook signatures (the Standard Webhooks published test vector
and a Stripe-style one), the retry policy, the generated files' freshness is the TypeScript
suite's (one generator writes both)."""

import hashlib
import hmac

import pytest

from edgeclock import RetryPolicy, WebhookVerificationError, verify_webhook
from edgeclock._retry import next_delay, retry_after

SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
HEADERS = {
    "webhook-id": "msg_p5jXN8AQM9LWM0D4loKWxJek",
    "webhook-timestamp": "1614265330",
    "webhook-signature": "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
}


def test_standard_webhooks_test_vector():
    assert verify_webhook('{"test": 2432232314}', HEADERS, SECRET, now=1614265330) == {"test": 2432232314}
    with pytest.raises(WebhookVerificationError):
        verify_webhook('{"test": 2432232315}', HEADERS, SECRET, now=1614265330)
    with pytest.raises(WebhookVerificationError, match="tolerance"):
        verify_webhook('{"test": 2432232314}', HEADERS, SECRET, now=1614265330 + 301)
    rotated = {**HEADERS, "webhook-signature": "v1,bm90IGl0 " + HEADERS["webhook-signature"]}
    assert verify_webhook(b'{"test": 2432232314}', rotated, SECRET, now=1614265330)


def test_edgeclock_signature_with_either_secret_of_a_rotation():
    body, t = '{"id":"evt_1","event":"ping"}', 1_800_000_000

    def sig(secret):
        return hmac.new(secret.encode(), f"{t}.{body}".encode(), hashlib.sha256).hexdigest()

    headers = {"Edgeclock-Signature": f"t={t},v1={sig('whsec_new')},v1={sig('whsec_old')}"}
    assert verify_webhook(body, headers, "whsec_old", now=t)["id"] == "evt_1"
    assert verify_webhook(body, headers, "whsec_new", now=t)["id"] == "evt_1"
    with pytest.raises(WebhookVerificationError, match="matches"):
        verify_webhook(body, headers, "whsec_other", now=t)
    with pytest.raises(WebhookVerificationError, match="no signature headers"):
        verify_webhook(body, {}, "whsec_old")


def test_backoff_is_jittered_honours_retry_after_and_stops():
    p = RetryPolicy(max_attempts=4, base_delay=0.1, max_delay=0.3, max_elapsed=5)
    assert next_delay(p, 1, 0, None, lambda: 1) == pytest.approx(0.1)
    assert next_delay(p, 3, 0, None, lambda: 1) == pytest.approx(0.3)
    assert next_delay(p, 2, 0, None, lambda: 0) == 0
    assert next_delay(p, 1, 0, 1.0, lambda: 0.5) == 1.0
    assert next_delay(p, 4, 0, None) is None
    assert next_delay(p, 1, 4.5, 1.0) is None
    assert retry_after("2") == 2.0
    assert retry_after("Thu, 01 Jan 1970 00:00:10 GMT", now=4) == 6.0
    assert retry_after(None) is None
