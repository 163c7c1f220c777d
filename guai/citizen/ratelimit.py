"""Fixed-window rate limits kept in the database, so every worker behind a load balancer sees one count.

One multi-row `INSERT … ON CONFLICT DO UPDATE … RETURNING` for all windows of a request: atomic on SQLite (≥ 3.35) and PostgreSQL,
no read-modify-write race between workers, and one small row per client and window.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass

from sqlalchemy import Connection, delete, text
from sqlalchemy.orm import Session

from guai.db.models.citizen import CitizenRateCounter

__all__ = ["Limit", "client_hash", "hit", "purge_old"]

_UPSERT_MANY = (
    "INSERT INTO citizen_rate_counters (key, win, count) VALUES {rows} "
    "ON CONFLICT (key, win) DO UPDATE SET count = citizen_rate_counters.count + 1 RETURNING key, count"
)


@dataclass(frozen=True, slots=True)
class Limit:
    """At most `max_count` hits per `seconds` for one key prefix (e.g. chat per minute)."""

    name: str
    max_count: int
    seconds: int


def client_hash(client: str | None, secret: str) -> str:
    """A stable pseudonym for a client address: rate limits and logs never store the address itself."""
    return hashlib.sha256(f"{secret}|{client or '-'}".encode()).hexdigest()[:24]


def hit(
    session: Session | Connection, key: str, limits: list[Limit], *, now: float | None = None
) -> tuple[bool, Limit | None, int]:
    """Count one request for `key` under each limit; returns (allowed, limit exceeded, count under it).

    The count is incremented even when over the limit, so `count == max_count + 1` marks the first
    refused request of a window (audited once, not once per refused request).
    """
    now = time.time() if now is None else now
    if not limits:
        return True, None, 0
    keys = {f"{limit.name}:{key}"[:64]: limit for limit in limits}
    params: dict[str, object] = {}
    rows = []
    for i, (full_key, limit) in enumerate(keys.items()):
        params[f"k{i}"], params[f"w{i}"] = full_key, int(now // limit.seconds) * limit.seconds
        rows.append(f"(:k{i}, :w{i}, 1)")
    # One statement for every window: one round trip per request, whatever the number of limits.
    result = session.execute(text(_UPSERT_MANY.format(rows=", ".join(rows))), params)
    counts = {row[0]: int(row[1]) for row in result}
    for full_key, limit in keys.items():
        if counts[full_key] > limit.max_count:
            return False, limit, int(counts[full_key])
    return True, None, 0


def purge_old(
    session: Session | Connection, *, keep_seconds: int = 2 * 86400, now: float | None = None
) -> int:
    """Delete counters whose window started more than `keep_seconds` ago."""
    now = time.time() if now is None else now
    result = session.execute(
        delete(CitizenRateCounter).where(CitizenRateCounter.win < int(now - keep_seconds))
    )
    return int(result.rowcount or 0)
