"""Source health: failing sources back off exponentially, by how bad their errors are.

A source that keeps failing is retried less and less often, but never less than once a day:
feeds come back after outages, and a monitoring tool must notice when they do.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

from ..model import SourceState

# How much one failure of each kind weighs: a DNS or TLS failure, a 404 or 410, or a refused
# URL rarely fixes itself within minutes; a 5xx or a timeout often does.
ERROR_SCORES = {
    "dns": 3.0, "tls": 3.0, "scheme": 3.0, "http4xx": 2.0, "file": 2.0, "too_large": 2.0,
    "redirect": 2.0, "parse": 1.5, "http5xx": 1.0, "timeout": 1.0, "connect": 1.0,
    "url": 3.0, "policy": 3.0, "internal": 2.0,
}
FIRST_DELAY = timedelta(minutes=15)
LONGEST_DELAY = timedelta(hours=24)


def is_due(state: SourceState, now: datetime) -> bool:
    return state.next_attempt is None or now >= state.next_attempt


def after_success(state: SourceState, now: datetime) -> SourceState:
    return replace(state, last_success=now, failures=0, penalty=0.0, next_attempt=None)


def after_failure(state: SourceState, now: datetime, kind: str, message: str) -> SourceState:
    penalty = state.penalty + ERROR_SCORES.get(kind, 1.0)
    return replace(
        state, last_error=message, last_error_kind=kind, last_error_at=now,
        failures=state.failures + 1, penalty=penalty, next_attempt=now + backoff(penalty),
    )


def backoff(penalty: float) -> timedelta:
    """15 minutes after a light failure, doubling with the penalty, never beyond a day."""
    if penalty >= 20:  # 2**19 quarter-hours is far past the cap; avoid huge floats
        return LONGEST_DELAY
    return min(FIRST_DELAY * 2 ** max(0.0, penalty - 1.0), LONGEST_DELAY)
