"""Guidance knowledge store: validated create/update/deactivate, the shared generation counter, settings."""

from __future__ import annotations

import re
from dataclasses import dataclass, fields
from datetime import date

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from guai.db.models.auth import Department
from guai.db.models.citizen import CitizenGuidance, CitizenState
from guai.db.models.settings import AppSetting

__all__ = [
    "CitizenError",
    "CitizenSettings",
    "GuidanceInput",
    "bump_generation",
    "current_generation",
    "deactivate_guidance",
    "get_guidance",
    "list_guidance",
    "load_settings",
    "parse_date",
    "save_guidance",
    "save_settings",
]

GENERATION = "generation"
MAX_QUESTION = 500
MAX_ANSWER = 4000
_PHONE = re.compile(r"^(0\d{1,2}-\d{3,4}-\d{4}|1\d{2,3}(-\d{4})?)$")
_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,39}$")
_DATE_PARTS = re.compile(r"^\s*(\d{4})\s*[-./년]\s*(\d{1,2})\s*[-./월]\s*(\d{1,2})\s*[.일]?\s*$")


class CitizenError(ValueError):
    """A citizen-chatbot operation was refused; the message is Korean and says what to fix."""


def parse_date(value: object, what: str) -> date | None:
    """Dates as staff type them: 2025-03-10, 2025.3.10, 2025. 3. 10., 2025년 3월 10일, or Excel dates."""
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value if type(value) is date else value.date()  # type: ignore[attr-defined]
    m = _DATE_PARTS.match(str(value))
    if not m:
        raise CitizenError(
            f"{what} '{value}'을(를) 날짜로 읽을 수 없습니다. 2025-03-10 또는 2025. 3. 10. 형식으로 적으세요."
        )
    try:
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError as exc:
        raise CitizenError(f"{what} '{value}'은(는) 없는 날짜입니다.") from exc


@dataclass
class GuidanceInput:
    """One guidance entry as entered in the web form or a CSV/XLSX row."""

    question: str
    answer: str
    department: str
    phone: str = ""
    code: str = ""
    tags: str = ""
    category: str = ""
    source: str = ""
    valid_until: date | None = None
    last_checked: date | None = None

    def cleaned(self) -> GuidanceInput:
        out = GuidanceInput(**{f.name: getattr(self, f.name) for f in fields(self)})
        for name in ("question", "answer", "department", "phone", "code", "tags", "category", "source"):
            setattr(out, name, (getattr(out, name) or "").strip())
        out.tags = ", ".join(t.strip() for t in re.split(r"[,;/|\n]", out.tags) if t.strip())
        return out


def _validate(session: Session, item: GuidanceInput) -> tuple[GuidanceInput, str]:
    """Check one entry; returns it cleaned plus the phone to store (the department's when left blank)."""
    if not item.question:
        raise CitizenError("질문이 비어 있습니다.")
    if len(item.question) > MAX_QUESTION:
        raise CitizenError(f"질문은 {MAX_QUESTION}자 이내로 적으세요 (지금 {len(item.question)}자).")
    if not item.answer:
        raise CitizenError(f"'{item.question[:30]}'의 답변이 비어 있습니다.")
    if len(item.answer) > MAX_ANSWER:
        raise CitizenError(f"답변은 {MAX_ANSWER}자 이내로 적으세요 (지금 {len(item.answer)}자).")
    if item.code and not _CODE.match(item.code):
        raise CitizenError(f"안내 번호 '{item.code}'에는 영문, 숫자, -, _, . 만 쓸 수 있습니다 (40자 이내).")
    if not item.department:
        raise CitizenError(f"'{item.question[:30]}'의 담당 부서가 비어 있습니다.")
    dept = session.execute(select(Department).where(Department.name == item.department)).scalar_one_or_none()
    if dept is None:
        raise CitizenError(
            f"담당 부서 '{item.department}'을(를) 찾을 수 없습니다. 부서 관리에서 이름을 확인하세요."
        )
    phone = item.phone or (dept.phone or "")
    if not phone:
        raise CitizenError(f"'{item.department}'의 전화번호가 없습니다. 전화번호 칸을 채우세요.")
    if not _PHONE.match(phone):
        raise CitizenError(f"전화번호 '{phone}'의 형식이 올바르지 않습니다 (예: 02-2600-1510).")
    return item, phone


def current_generation(session: Session) -> int:
    value = session.execute(select(CitizenState.value).where(CitizenState.name == GENERATION)).scalar()
    return int(value or 0)


def bump_generation(session: Session) -> None:
    """Tell every worker that guidance or settings changed (their indexes rebuild on next use)."""
    done = session.execute(
        update(CitizenState).where(CitizenState.name == GENERATION).values(value=CitizenState.value + 1)
    ).rowcount
    if not done:
        session.add(CitizenState(name=GENERATION, value=1))
    session.flush()


def _next_code(session: Session) -> str:
    count = session.execute(select(func.count()).select_from(CitizenGuidance)).scalar() or 0
    n = count + 1
    while session.execute(select(CitizenGuidance.id).where(CitizenGuidance.code == f"G{n:03d}")).first():
        n += 1
    return f"G{n:03d}"


def save_guidance(
    session: Session, item: GuidanceInput, *, actor: str, today: date | None = None
) -> tuple[CitizenGuidance, bool]:
    """Create or update (by code) one entry; returns (entry, created). Bumps the generation."""
    item, phone = _validate(session, item.cleaned())
    today = today or date.today()
    existing = None
    if item.code:
        existing = session.execute(
            select(CitizenGuidance).where(CitizenGuidance.code == item.code)
        ).scalar_one_or_none()
    row = existing or CitizenGuidance(code=item.code or _next_code(session))
    row.question, row.answer, row.department, row.phone = item.question, item.answer, item.department, phone
    row.tags, row.category, row.source = item.tags, item.category, item.source
    row.valid_until = item.valid_until
    row.last_checked = item.last_checked or today
    row.active = True
    row.updated_by = actor
    if existing is None:
        session.add(row)
    session.flush()
    bump_generation(session)
    return row, existing is None


def get_guidance(session: Session, code: str) -> CitizenGuidance:
    row = session.execute(select(CitizenGuidance).where(CitizenGuidance.code == code)).scalar_one_or_none()
    if row is None:
        raise CitizenError(f"안내 '{code}'을(를) 찾을 수 없습니다.")
    return row


def deactivate_guidance(session: Session, code: str, *, actor: str) -> CitizenGuidance:
    """Stop answering from an entry (kept for the record; questions already logged keep their code)."""
    row = get_guidance(session, code)
    row.active = False
    row.updated_by = actor
    session.flush()
    bump_generation(session)
    return row


def list_guidance(
    session: Session, *, query: str = "", department: str | None = None, include_inactive: bool = False
) -> list[CitizenGuidance]:
    stmt = select(CitizenGuidance).order_by(CitizenGuidance.code)
    if not include_inactive:
        stmt = stmt.where(CitizenGuidance.active.is_(True))
    if department:
        stmt = stmt.where(CitizenGuidance.department == department)
    if query:
        like = f"%{query.strip()}%"
        stmt = stmt.where(
            CitizenGuidance.question.like(like)
            | CitizenGuidance.tags.like(like)
            | CitizenGuidance.code.like(like)
        )
    return list(session.execute(stmt).scalars())


@dataclass
class CitizenSettings:
    """Run-time settings administrators change on /admin/citizen (stored in app_settings, shared by workers)."""

    chat_per_minute: int = 20
    chat_per_day: int = 300
    tickets_per_hour: int = 5
    lookups_per_minute: int = 20
    min_confidence: float = 0.18
    default_department: str = "민원여권과"
    default_phone: str = "02-2600-1120"
    allowed_origins: str = "*"

    @classmethod
    def names(cls) -> list[str]:
        return [f.name for f in fields(cls)]


_PREFIX = "citizen."


def load_settings(session: Session) -> CitizenSettings:
    rows = session.execute(select(AppSetting).where(AppSetting.key.like(f"{_PREFIX}%"))).scalars()
    out = CitizenSettings()
    for row in rows:
        name = row.key[len(_PREFIX) :]
        if name in CitizenSettings.names():
            kind = type(getattr(out, name))
            try:
                setattr(out, name, kind(row.value))
            except ValueError:
                continue  # a bad stored value falls back to the default instead of breaking the public chat
    return out


def save_settings(session: Session, values: dict[str, str], *, actor: str) -> CitizenSettings:
    """Validate and store settings; all or nothing."""
    current = load_settings(session)
    for name, raw in values.items():
        if name not in CitizenSettings.names():
            raise CitizenError(f"알 수 없는 설정 '{name}'입니다.")
        kind = type(getattr(current, name))
        try:
            value = kind(str(raw).strip())
        except ValueError as exc:
            raise CitizenError(f"설정 '{name}' 값 '{raw}'이(가) 올바르지 않습니다.") from exc
        if kind is int and not 1 <= value <= 1_000_000:  # type: ignore[operator]
            raise CitizenError(f"설정 '{name}'은(는) 1 이상 1,000,000 이하여야 합니다.")
        if kind is float and not 0.0 <= value <= 1.0:  # type: ignore[operator]
            raise CitizenError(f"설정 '{name}'은(는) 0과 1 사이여야 합니다.")
        setattr(current, name, value)
    for name, _raw in values.items():
        key = _PREFIX + name
        row = session.get(AppSetting, key)
        value = str(getattr(current, name))
        if row is None:
            session.add(AppSetting(key=key, value=value, updated_by=actor))
        else:
            row.value, row.updated_by = value, actor
    session.flush()
    bump_generation(session)
    return current
