"""Errors the client raises: the API's error envelope as a typed error (SPEC §1), a request
that never got an answer, or a webhook that does not verify."""

from typing import Any, Dict, List, Optional


class EdgeclockError(Exception):
    """An error answer of the API: its status and the envelope's code, message, request id and details."""

    def __init__(self, status: int, body: Any, request_id: Optional[str] = None) -> None:
        error = body.get("error", {}) if isinstance(body, dict) else {}
        self.status = status
        self.code: str = error.get("code", "unknown")
        self.message: str = error.get("message", f"HTTP {status}")
        self.request_id: Optional[str] = error.get("request_id", request_id)
        self.details: List[Dict[str, Any]] = error.get("details", []) or []
        self.body = body
        super().__init__(f"{status} {self.code}: {self.message}")


class ConnectionError(Exception):  # noqa: A001 - the SDK's own, exported as edgeclock.ConnectionError
    """A request that never got an answer, after every retry."""


class WebhookVerificationError(Exception):
    """A webhook whose signature, timestamp or headers do not verify."""
