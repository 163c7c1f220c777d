"""Escalation tickets: a resident's question (with optional, consented contact details) for a department.

Residents see a ticket only through its unguessable code; staff see their own department's tickets, with
contact details masked unless their role may see them (department administrators of the ticket's
department and system administrators).
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from guai.audit import record
from guai.citizen.safety import mask_for_log
from guai.citizen.store import CitizenError
from guai.db.models.auth import Department, Role, User
from guai.db.models.citizen import CitizenTicket

__all__ = [
    "STATUSES",
    "TicketInput",
    "TicketView",
    "can_see_contact",
    "create_ticket",
    "find_by_code",
    "list_tickets",
    "normalise_code",
    "staff_view",
    "status_counts",
    "update_ticket",
    "visible_to",
]

STATUSES = ("접수", "처리중", "답변완료", "종결")
CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
_CODE_RE = re.compile(r"^GA-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}$")
_PHONE = re.compile(r"^0\d{1,2}-?\d{3,4}-?\d{4}$")
_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]{1,190}\.[A-Za-z]{2,}$")
MAX_QUESTION = 2000
MAX_REPLY = 4000


@dataclass
class TicketInput:
    question: str
    contact_name: str = ""
    contact_phone: str = ""
    contact_email: str = ""
    consent: bool = False
    department: str = ""
    guidance_code: str = ""
    session: str = ""


def _new_code() -> str:
    pick = "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))
    return f"GA-{pick[:4]}-{pick[4:]}"


def normalise_code(code: str) -> str:
    """Ticket codes as residents type them: lower case, spaces or missing dashes."""
    raw = re.sub(r"[^0-9A-Za-z]", "", code or "").upper()
    if raw.startswith("GA"):
        raw = raw[2:]
    return f"GA-{raw[:4]}-{raw[4:8]}" if len(raw) == 8 else code.strip().upper()


def create_ticket(
    session: Session,
    item: TicketInput,
    *,
    department: Department | None,
    client_hash: str | None,
    now: datetime | None = None,
) -> CitizenTicket:
    """Validate and store a ticket for `department` (None → unassigned, seen by system administrators)."""
    question = (item.question or "").strip()
    if not question:
        raise CitizenError("문의 내용을 적어 주세요.")
    if len(question) > MAX_QUESTION:
        raise CitizenError(f"문의 내용은 {MAX_QUESTION}자 이내로 적어 주세요.")
    name, phone, email = (
        (item.contact_name or "").strip(),
        (item.contact_phone or "").strip(),
        (item.contact_email or "").strip(),
    )
    if (name or phone or email) and not item.consent:
        raise CitizenError(
            "연락처를 남기시려면 개인정보 수집·이용에 동의해 주세요. 동의하지 않으시면 연락처 칸을 비워 두세요."
        )
    if phone and not _PHONE.match(phone.replace(" ", "")):
        raise CitizenError("전화번호 형식이 올바르지 않습니다 (예: 010-1234-5678).")
    if email and not _EMAIL.match(email):
        raise CitizenError("이메일 주소 형식이 올바르지 않습니다.")
    if len(name) > 50:
        raise CitizenError("이름은 50자 이내로 적어 주세요.")
    code = _new_code()
    while session.execute(select(CitizenTicket.id).where(CitizenTicket.code == code)).first():
        code = _new_code()
    ticket = CitizenTicket(
        code=code,
        department_id=department.id if department else None,
        department_name=department.name if department else "미배정",
        question=question,
        contact_name=name or None,
        contact_phone=phone.replace(" ", "") or None,
        contact_email=email or None,
        consent=bool(item.consent and (name or phone or email)),
        status="접수",
        guidance_code=(item.guidance_code or None),
        session=(item.session or None)[:40] if item.session else None,
        client_hash=client_hash,
        created_at=now or datetime.now(UTC),
    )
    session.add(ticket)
    session.flush()
    record(
        session,
        actor="citizen",
        action="citizen.ticket.create",
        target=code,
        department=ticket.department_name,
        client=client_hash,
        detail={"question": mask_for_log(question)[:200], "contact": bool(name or phone or email)},
    )
    return ticket


def find_by_code(session: Session, code: str) -> CitizenTicket | None:
    code = normalise_code(code)
    if not _CODE_RE.match(code):
        return None
    return session.execute(select(CitizenTicket).where(CitizenTicket.code == code)).scalar_one_or_none()


def visible_to(user: User) -> list:
    """Filter clauses for the tickets a staff member may see: own department, or everything for system admins."""
    if user.is_system_admin:
        return []
    return [CitizenTicket.department_id == user.department_id]


def can_see_contact(user: User, ticket: CitizenTicket) -> bool:
    if user.is_system_admin:
        return True
    return user.role == Role.DEPT_ADMIN.value and ticket.department_id == user.department_id


def list_tickets(
    session: Session, user: User, *, status: str | None = None, limit: int = 200
) -> list[CitizenTicket]:
    stmt = (
        select(CitizenTicket).where(*visible_to(user)).order_by(CitizenTicket.created_at.desc()).limit(limit)
    )
    if status:
        stmt = stmt.where(CitizenTicket.status == status)
    return list(session.execute(stmt).scalars())


def status_counts(session: Session, user: User) -> dict[str, int]:
    rows = session.execute(
        select(CitizenTicket.status, func.count()).where(*visible_to(user)).group_by(CitizenTicket.status)
    ).all()
    return {status: int(n) for status, n in rows}


def get_for_staff(session: Session, user: User, ticket_id: int) -> CitizenTicket:
    ticket = session.get(CitizenTicket, ticket_id)
    if ticket is None or (not user.is_system_admin and ticket.department_id != user.department_id):
        raise CitizenError("문의를 찾을 수 없거나 볼 권한이 없습니다.")
    return ticket


def _mask_name(name: str) -> str:
    if len(name) <= 1:
        return "*"
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


def _mask_phone(phone: str) -> str:
    digits = re.sub(r"\D", "", phone)
    return f"{digits[:3]}-****-{digits[-4:]}" if len(digits) >= 9 else "****"


def _mask_email(email: str) -> str:
    local, _, domain = email.partition("@")
    return (local[:2] + "***@" + domain) if domain else "***"


@dataclass
class TicketView:
    """What a staff page shows for one ticket (contact masked unless the role may see it)."""

    id: int
    code: str
    department: str
    question: str
    status: str
    reply: str | None
    replied_by: str | None
    replied_at: datetime | None
    created_at: datetime
    contact_name: str | None
    contact_phone: str | None
    contact_email: str | None
    contact_visible: bool
    guidance_code: str | None


def staff_view(user: User, ticket: CitizenTicket) -> TicketView:
    full = can_see_contact(user, ticket)
    name, phone, email = ticket.contact_name, ticket.contact_phone, ticket.contact_email
    question = ticket.question if full else mask_for_log(ticket.question)
    if not full:
        name = _mask_name(name) if name else None
        phone = _mask_phone(phone) if phone else None
        email = _mask_email(email) if email else None
    return TicketView(
        ticket.id,
        ticket.code,
        ticket.department_name,
        question,
        ticket.status,
        ticket.reply,
        ticket.replied_by,
        ticket.replied_at,
        ticket.created_at,
        name,
        phone,
        email,
        full,
        ticket.guidance_code,
    )


def update_ticket(
    session: Session,
    user: User,
    ticket_id: int,
    *,
    status: str,
    reply: str = "",
    department: Department | None = None,
    client: str | None = None,
) -> CitizenTicket:
    """Change status, write the reply residents will see, or hand the ticket to another department."""
    ticket = get_for_staff(session, user, ticket_id)
    if status not in STATUSES:
        raise CitizenError(f"상태 '{status}'을(를) 알 수 없습니다. {', '.join(STATUSES)} 중 하나를 고르세요.")
    reply = (reply or "").strip()
    if len(reply) > MAX_REPLY:
        raise CitizenError(f"답변은 {MAX_REPLY}자 이내로 적어 주세요.")
    if status == "답변완료" and not (reply or ticket.reply):
        raise CitizenError("'답변완료'로 바꾸려면 답변을 적어 주세요.")
    changes: dict[str, object] = {}
    if reply and reply != ticket.reply:
        ticket.reply, ticket.replied_by, ticket.replied_at = reply, user.username, datetime.now(UTC)
        changes["reply"] = len(reply)
    if status != ticket.status:
        changes["status"] = f"{ticket.status}→{status}"
        ticket.status = status
    if department is not None and department.id != ticket.department_id:
        changes["department"] = f"{ticket.department_name}→{department.name}"
        ticket.department_id, ticket.department_name = department.id, department.name
    session.flush()
    record(
        session,
        actor=user.username,
        action="citizen.ticket.update",
        target=ticket.code,
        department=user.department.name,
        client=client,
        detail=changes or {"unchanged": True},
    )
    return ticket
