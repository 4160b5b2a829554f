"""edgeclock: the edgeclock API from Python, sync and async, on httpx — auth, retries with
backoff, idempotency keys, auto-pagination, typed errors and webhook verification."""

from ._client import AsyncClient, AsyncPaginator, Client, Paginator
from ._errors import ConnectionError, EdgeclockError, WebhookVerificationError
from ._operations import OPERATIONS
from ._retry import RetryPolicy
from ._webhooks import verify_webhook

__all__ = [
    "AsyncClient",
    "AsyncPaginator",
    "Client",
    "ConnectionError",
    "EdgeclockError",
    "OPERATIONS",
    "Paginator",
    "RetryPolicy",
    "WebhookVerificationError",
    "verify_webhook",
]
__version__ = "0.1.0"
