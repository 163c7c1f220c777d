"""Public (no login) ticket services: leave a question for staff, and look up a ticket by its code."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select

from guai.audit import record
from guai.citizen.answer import korean_date
from guai.citizen.index import get_index
from guai.citizen.ratelimit import Limit, client_hash, hit
from guai.citizen.store import CitizenError
from guai.citizen.tickets import TicketInput, create_ticket, find_by_code
from guai.db.engine import Database
from guai.db.models.auth import Department

__all__ = ["PublicTicket", "TooMany", "escalate", "lookup"]

#: The best guidance match must reach this score for the ticket to go to its department.
ROUTE_CONFIDENCE = 0.15


class TooMany(CitizenError):
    """Rate limit reached for tickets or lookups."""


@dataclass
class PublicTicket:
    """What a resident may see about their own ticket (never contact details, never staff names)."""

    code: str
    status: str
    department: str
    phone: str
    question: str
    reply: str | None
    created: str
    replied: str | None

    def public(self) -> dict[str, object]:
        return dict(self.__dict__)


def _phone_of(db: Database, name: str, default: str) -> str:
    with db.session() as s:
        phone = s.execute(select(Department.phone).where(Department.name == name)).scalar()
    return phone or default


def _to_public(db: Database, t, default_phone: str) -> PublicTicket:  # type: ignore[no-untyped-def]
    return PublicTicket(
        code=t.code,
        status=t.status,
        department=t.department_name,
        phone=_phone_of(db, t.department_name, default_phone),
        question=t.question,
        reply=t.reply if t.reply else None,
        created=korean_date(t.created_at.astimezone().date()),
        replied=korean_date(t.replied_at.astimezone().date()) if t.replied_at else None,
    )


def escalate(db: Database, item: TicketInput, *, client: str | None, secret: str) -> PublicTicket:
    """Create a ticket routed to the department of the best guidance match (or the default contact)."""
    index = get_index(db)
    cfg = index.settings
    who = client_hash(client, secret)
    with db.session() as s:
        allowed, over, count = hit(s, who, [Limit("ticket-h", cfg.tickets_per_hour, 3600)])
        if not allowed and over is not None and count == over.max_count + 1:
            record(
                s,
                actor="citizen",
                action="citizen.rate_limited",
                outcome="거부",
                client=who,
                detail={"limit": over.name, "max": over.max_count},
            )
    if not allowed:
        raise TooMany(
            f"문의는 한 시간에 {cfg.tickets_per_hour}건까지 남길 수 있습니다. "
            f"급한 문의는 {cfg.default_department}({cfg.default_phone})로 전화해 주세요."
        )
    wanted = (item.department or "").strip()
    if not wanted and item.guidance_code:
        wanted = next((d.department for d in index.docs if d.code == item.guidance_code), "")
    if not wanted:
        matches = index.search(item.question or "", k=1)
        if matches and matches[0].score >= ROUTE_CONFIDENCE:
            wanted = matches[0].doc.department
    with db.session() as s:
        dept = None
        for name in (wanted, cfg.default_department):
            if name:
                dept = s.execute(select(Department).where(Department.name == name)).scalar_one_or_none()
                if dept is not None:
                    break
        ticket = create_ticket(s, item, department=dept, client_hash=who, now=datetime.now(UTC))
        return PublicTicket(
            code=ticket.code,
            status=ticket.status,
            department=ticket.department_name,
            phone=(dept.phone if dept is not None and dept.phone else cfg.default_phone),
            question=ticket.question,
            reply=None,
            created=korean_date(datetime.now().date()),
            replied=None,
        )


def lookup(db: Database, code: str, *, client: str | None, secret: str) -> PublicTicket | None:
    """The ticket with this code, or None. Lookups are rate-limited so codes cannot be guessed by trying."""
    cfg = get_index(db).settings
    who = client_hash(client, secret)
    with db.session() as s:
        allowed, _over, _count = hit(s, who, [Limit("lookup-m", cfg.lookups_per_minute, 60)])
    if not allowed:
        raise TooMany("조회가 너무 많습니다. 1분 뒤에 다시 시도해 주세요.")
    with db.session() as s:
        ticket = find_by_code(s, code)
        if ticket is None:
            record(
                s,
                actor="citizen",
                action="citizen.ticket.lookup",
                outcome="실패",
                client=who,
                detail={"code": (code or "")[:20]},
            )
            return None
    return _to_public(db, ticket, cfg.default_phone)
