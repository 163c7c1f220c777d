"""Department services: add, list, import from CSV (UTF-8 or cp949) all-or-nothing."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from guai.auth.errors import AuthError
from guai.db.models.auth import Department, DepartmentKind
from guai.textio import TextDecodeError, decode_bytes

HEADER_ALIASES = {
    "name": {"name", "부서", "부서명", "이름", "명칭"},
    "phone": {"phone", "전화", "전화번호", "연락처", "대표전화"},
    "parent": {"parent", "상위부서", "상위", "소속", "국"},
    "kind": {"kind", "구분", "유형", "종류"},
}


def guess_kind(name: str) -> str:
    if name.endswith("주민센터") or (name.endswith("동") and len(name) <= 8):
        return DepartmentKind.DONG.value
    for suffix, kind in (
        ("국", DepartmentKind.BUREAU),
        ("과", DepartmentKind.DIVISION),
        ("팀", DepartmentKind.TEAM),
    ):
        if name.endswith(suffix):
            return kind.value
    return DepartmentKind.OTHER.value


def find_department(session: Session, name: str) -> Department | None:
    return session.execute(select(Department).where(Department.name == name.strip())).scalar_one_or_none()


def get_department(session: Session, name: str) -> Department:
    dept = find_department(session, name)
    if dept is None:
        raise AuthError(
            f"부서 '{name}'을(를) 찾을 수 없습니다. 'guai departments list'로 이름을 확인하거나 먼저 추가하세요."
        )
    return dept


def add_department(
    session: Session,
    *,
    name: str,
    phone: str | None = None,
    parent: str | None = None,
    kind: str | None = None,
) -> Department:
    name = name.strip()
    if not name:
        raise AuthError("부서 이름이 비어 있습니다.")
    if find_department(session, name):
        raise AuthError(f"부서 '{name}'은(는) 이미 있습니다.")
    parent_dept = get_department(session, parent) if parent else None
    if kind and kind not in {k.value for k in DepartmentKind}:
        raise AuthError(f"부서 구분 '{kind}'을(를) 알 수 없습니다. 국, 과, 팀, 동, 기타 중 하나를 쓰세요.")
    dept = Department(
        name=name,
        phone=(phone or None),
        parent_id=parent_dept.id if parent_dept else None,
        kind=kind or guess_kind(name),
    )
    session.add(dept)
    session.flush()
    return dept


def list_departments(session: Session) -> list[Department]:
    return list(session.execute(select(Department).order_by(Department.name)).scalars())


@dataclass
class DepartmentRow:
    line: int
    name: str
    phone: str | None
    parent: str | None
    kind: str | None


def parse_department_csv(data: bytes, source: str = "CSV") -> list[DepartmentRow]:
    """Parse a department CSV; raise AuthError naming the exact problem (nothing is written)."""
    try:
        text = decode_bytes(data, source)
    except TextDecodeError as exc:
        raise AuthError(str(exc)) from exc
    reader = csv.reader(io.StringIO(text))
    try:
        header = next(reader)
    except StopIteration:
        raise AuthError(f"{source}: 파일이 비어 있습니다.") from None
    columns: dict[str, int] = {}
    for idx, raw in enumerate(header):
        key = raw.strip().lower()
        for field, aliases in HEADER_ALIASES.items():
            if key in aliases and field not in columns:
                columns[field] = idx
    if "name" not in columns:
        raise AuthError(
            f"{source}: '부서명'(또는 name) 열이 없습니다. 첫 줄의 열 이름: {', '.join(header)}. "
            "필요한 열: 부서명, 선택 열: 전화번호, 상위부서, 구분."
        )
    rows: list[DepartmentRow] = []
    for line, values in enumerate(reader, start=2):
        if not any(v.strip() for v in values):
            continue

        def cell(field: str, values: list[str] = values) -> str | None:
            idx = columns.get(field)
            if idx is None or idx >= len(values):
                return None
            return values[idx].strip() or None

        name = cell("name")
        if not name:
            raise AuthError(f"{source} {line}번째 줄: 부서명이 비어 있습니다.")
        rows.append(DepartmentRow(line, name, cell("phone"), cell("parent"), cell("kind")))
    if not rows:
        raise AuthError(f"{source}: 부서 행이 없습니다.")
    return rows


def import_departments(session: Session, path: Path) -> tuple[int, int]:
    """Import departments from CSV in one transaction. Returns (added, already existing)."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise AuthError(f"파일을 읽을 수 없습니다: {path} ({exc.strerror})") from exc
    rows = parse_department_csv(data, path.name)
    added = existing = 0
    names_in_file = {r.name for r in rows}
    # Parents first: a row whose parent appears later in the file still works.
    pending = list(rows)
    while pending:
        progressed = False
        for row in list(pending):
            if row.parent and not find_department(session, row.parent):
                if row.parent not in names_in_file:
                    raise AuthError(
                        f"{path.name} {row.line}번째 줄: 상위부서 '{row.parent}'을(를) 찾을 수 없습니다."
                    )
                continue
            if find_department(session, row.name):
                existing += 1
            else:
                add_department(session, name=row.name, phone=row.phone, parent=row.parent, kind=row.kind)
                added += 1
            pending.remove(row)
            progressed = True
        if not progressed:
            raise AuthError(
                f"{path.name}: 상위부서 관계가 순환합니다 ({', '.join(r.name for r in pending)})."
            )
    return added, existing
