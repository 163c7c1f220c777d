"""Retention purge of the citizen chatbot's records, registered in guai.ops.retention under "citizen".

The answer log is sealed into the audit chain in id ranges (guai.citizen.records). Deleting old rows
would make those seals fail, so the purge first seals whatever is still unsealed among the rows it
deletes, checks each affected range against the digest that vouches for it, deletes, and appends a
re-seal (digest of what is left, deleted count, whether the range was intact before) to the audit
chain. `verify_seals` then still passes after an honest purge and still catches any other edit.
Tickets are purged only once closed (답변완료/종결): an open ticket is a resident still waiting.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from guai.audit import record
from guai.citizen.records import PURGE_ACTION, range_rows, row_digest, seal_pending, sealed_ranges
from guai.db.models.citizen import CitizenQuestion, CitizenTicket

__all__ = ["CLOSED_STATUSES", "purge_closed_tickets", "purge_questions"]

CLOSED_STATUSES = ("답변완료", "종결")
_SEAL_BATCH = 20000


def _cutoff(session: Session, cutoff: datetime) -> datetime:
    # SQLite stores UTC without an offset; compare like with like.
    if session.get_bind().dialect.name == "sqlite":
        return cutoff.astimezone(UTC).replace(tzinfo=None)
    return cutoff


def purge_questions(session: Session, cutoff: datetime, dry_run: bool) -> int:
    """Delete logged answers older than `cutoff`, keeping every audit seal verifiable; returns the count."""
    due = CitizenQuestion.at < _cutoff(session, cutoff)
    count, newest = session.execute(select(func.count(), func.max(CitizenQuestion.id)).where(due)).one()
    if dry_run or not count:
        return int(count)
    # Seal what is due but not sealed yet, so every row we delete belongs to a sealed range.
    while (sealed := seal_pending(session, actor="retention", limit=_SEAL_BATCH, through=newest)) != 0:
        if sealed is None:  # a worker sealed concurrently; its seal covers those rows — look again
            continue
    oldest = session.execute(select(func.min(CitizenQuestion.id)).where(due)).scalar_one()
    for (first, last), (_entry, detail) in sorted(sealed_ranges(session).items()):
        if last < oldest or first > newest:
            continue
        doomed = session.execute(
            select(func.count()).where(due, CitizenQuestion.id >= first, CitizenQuestion.id <= last)
        ).scalar_one()
        if not doomed:
            continue
        intact = row_digest(range_rows(session, first, last)) == detail.get("sha256")
        session.execute(
            delete(CitizenQuestion).where(due, CitizenQuestion.id >= first, CitizenQuestion.id <= last)
        )
        record(
            session,
            actor="retention",
            action=PURGE_ACTION,
            target=f"{first}-{last}",
            detail={
                "deleted": int(doomed),
                "cutoff": cutoff.isoformat(),
                "intact_before": intact,
                "sha256": row_digest(range_rows(session, first, last)),
            },
        )
    return int(count)


def purge_closed_tickets(session: Session, cutoff: datetime, dry_run: bool) -> int:
    """Delete closed tickets (with their contact details) last changed before `cutoff`; returns the count."""
    due = (CitizenTicket.status.in_(CLOSED_STATUSES), CitizenTicket.updated_at < _cutoff(session, cutoff))
    count = int(session.execute(select(func.count()).select_from(CitizenTicket).where(*due)).scalar_one())
    if count and not dry_run:
        session.execute(delete(CitizenTicket).where(*due))
    return count
