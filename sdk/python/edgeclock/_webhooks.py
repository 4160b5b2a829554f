"""Webhook verification (SPEC §7), both schemes every delivery carries:

- ``Edgeclock-Signature: t=<unix>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`` (Stripe's scheme;
  the secret's full string is the key; during a rotation there are two ``v1=``),
- Standard Webhooks: ``webhook-id``, ``webhook-timestamp``, ``webhook-signature: v1,<base64
  HMAC-SHA256(base64-decoded secret, "<id>.<t>.<body>")>`` (space-separated when several).

A delivery verifies when a signature of each scheme checked matches and its timestamp is within
the tolerance; the event (the parsed body) is returned.
"""

import base64
import hashlib
import hmac
import json
import time
from typing import Any, Mapping, Optional, Union

from ._errors import WebhookVerificationError


def _header(headers: Mapping[str, Any], name: str) -> Optional[str]:
    for key, value in headers.items():
        if key.lower() == name:
            return value[0] if isinstance(value, (list, tuple)) else value
    return None


def _check_time(t: str, tolerance: int, now: float) -> None:
    try:
        ts = int(t)
    except ValueError:
        raise WebhookVerificationError("the timestamp is not a number") from None
    if abs(now - ts) > tolerance:
        raise WebhookVerificationError("the timestamp is outside the tolerance")


def _standard(raw: bytes, headers: Mapping[str, Any], secret: str, tolerance: int, now: float) -> None:
    msg_id, t, sigs = (_header(headers, h) for h in ("webhook-id", "webhook-timestamp", "webhook-signature"))
    if not msg_id or not t or not sigs:
        raise WebhookVerificationError("missing webhook-id, webhook-timestamp or webhook-signature")
    _check_time(t, tolerance, now)
    key = base64.b64decode(secret[len("whsec_"):] if secret.startswith("whsec_") else secret)
    want = base64.b64encode(hmac.new(key, f"{msg_id}.{t}.".encode() + raw, hashlib.sha256).digest()).decode()
    for sig in sigs.split(" "):
        version, _, value = sig.partition(",")
        if version == "v1" and hmac.compare_digest(value, want):
            return
    raise WebhookVerificationError("no webhook-signature matches")


def _edgeclock(raw: bytes, headers: Mapping[str, Any], secret: str, tolerance: int, now: float) -> None:
    value = _header(headers, "edgeclock-signature")
    if not value:
        raise WebhookVerificationError("missing Edgeclock-Signature")
    parts = [p.partition("=") for p in value.split(",")]
    t = next((v for k, _, v in parts if k == "t"), None)
    sigs = [v for k, _, v in parts if k == "v1"]
    if not t or not sigs:
        raise WebhookVerificationError("Edgeclock-Signature has no t= or v1=")
    _check_time(t, tolerance, now)
    want = hmac.new(secret.encode(), f"{t}.".encode() + raw, hashlib.sha256).hexdigest()
    if not any(hmac.compare_digest(s, want) for s in sigs):
        raise WebhookVerificationError("no Edgeclock-Signature v1 matches")


def verify_webhook(
    raw_body: Union[bytes, str],
    headers: Mapping[str, Any],
    secret: str,
    *,
    tolerance_seconds: int = 300,
    scheme: Optional[str] = None,
    now: Optional[float] = None,
) -> Any:
    """Verifies a delivery and returns its event. ``raw_body`` is the body exactly as received,
    ``headers`` any mapping, ``secret`` the endpoint's ``whsec_…`` secret; ``scheme`` is
    ``"edgeclock"``, ``"standard"`` or by default every scheme whose headers are present (at
    least one)."""
    raw = raw_body.encode() if isinstance(raw_body, str) else bytes(raw_body)
    now = time.time() if now is None else now
    present = [s for s, h in (("standard", "webhook-signature"), ("edgeclock", "edgeclock-signature")) if _header(headers, h)]
    schemes = [scheme] if scheme else present
    if not schemes:
        raise WebhookVerificationError("no signature headers")
    for s in schemes:
        if s == "standard":
            _standard(raw, headers, secret, tolerance_seconds, now)
        elif s == "edgeclock":
            _edgeclock(raw, headers, secret, tolerance_seconds, now)
        else:
            raise WebhookVerificationError(f"unknown scheme {s}")
    try:
        return json.loads(raw)
    except ValueError:
        raise WebhookVerificationError("the body is not JSON") from None
