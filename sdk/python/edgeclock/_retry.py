"""When and how long to wait before trying a request again: 429, 503 and network errors are
retried with exponential backoff and full jitter (a random wait up to the backoff), never
sooner than the answer's ``Retry-After``, bounded by the attempts and the total time allowed."""

import random
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from typing import Callable, Optional
import time

RETRY_STATUSES = (429, 503)


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int = 5
    """Attempts in all, the first included."""
    base_delay: float = 0.25
    """The first backoff cap in seconds, doubled each attempt."""
    max_delay: float = 8.0
    """The largest backoff cap in seconds."""
    max_elapsed: float = 60.0
    """No retry starts later than this many seconds after the first attempt."""


def retry_after(value: Optional[str], now: Optional[float] = None) -> Optional[float]:
    """Seconds (or an HTTP date) in a ``Retry-After`` header, as seconds; ``None`` if none."""
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        at = parsedate_to_datetime(value).timestamp()
    except (TypeError, ValueError):
        return None
    return max(0.0, at - (time.time() if now is None else now))


def next_delay(
    policy: RetryPolicy,
    attempt: int,
    elapsed: float,
    after: Optional[float],
    rand: Callable[[], float] = random.random,
) -> Optional[float]:
    """The wait before attempt ``attempt + 1`` (attempts count from 1), or ``None`` to stop."""
    if attempt >= policy.max_attempts:
        return None
    cap = min(policy.max_delay, policy.base_delay * 2 ** (attempt - 1))
    delay = max(rand() * cap, after or 0.0)
    if elapsed + delay > policy.max_elapsed:
        return None
    return delay
