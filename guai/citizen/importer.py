"""Import guidance Q&A from CSV (UTF-8, BOM or cp949) or XLSX, all or nothing."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.orm import Session

from guai.citizen.store import CitizenError, GuidanceInput, parse_date, save_guidance
from guai.textio import TextDecodeError, decode_bytes

__all__ = ["ImportReport", "import_guidance", "read_rows"]

HEADERS = {
    "code": {"id", "code", "번호", "안내번호", "아이디", "코드"},
    "question": {"question", "질문", "문의", "제목", "q"},
    "answer": {"answer", "답변", "안내", "내용", "a", "답"},
    "department": {"department", "부서", "담당부서", "담당", "부서명"},
    "phone": {"phone", "전화", "전화번호", "연락처", "담당전화"},
    "tags": {"tags", "tag", "태그", "키워드", "검색어", "유사어"},
    "category": {"category", "분류", "구분", "카테고리"},
    "source": {"source", "근거", "출처", "법령", "근거법령"},
    "valid_until": {"valid until", "valid_until", "validuntil", "유효기간", "게시종료", "만료일", "유효기한"},
    "last_checked": {
        "last checked",
        "last_checked",
        "lastchecked",
        "확인일",
        "최종확인",
        "최종확인일",
        "검토일",
    },
}
REQUIRED = ("question", "answer", "department")
MAX_ROWS = 20000


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    codes: list[str] = field(default_factory=list)


def _key(header: object) -> str | None:
    name = str(header or "").strip().lower().replace("\ufeff", "")
    compact = name.replace(" ", "").replace("_", "")
    for field_name, aliases in HEADERS.items():
        if name in aliases or compact in {a.replace(" ", "").replace("_", "") for a in aliases}:
            return field_name
    return None


def read_rows(data: bytes, filename: str) -> list[dict[str, object]]:
    """Rows keyed by our field names; unknown columns are ignored, missing required ones refused."""
    suffix = Path(filename).suffix.lower()
    if suffix in {".xlsx", ".xlsm"}:
        table = _xlsx_rows(data)
    elif suffix in {".csv", ".txt", ".tsv"}:
        try:
            text = decode_bytes(data)
        except TextDecodeError as exc:
            raise CitizenError(str(exc)) from exc
        dialect = (
            "excel-tab"
            if suffix == ".tsv" or ("\t" in text.split("\n", 1)[0] and "," not in text.split("\n", 1)[0])
            else "excel"
        )
        table = [list(r) for r in csv.reader(io.StringIO(text), dialect=dialect)]
    else:
        raise CitizenError(f"'{filename}'은(는) 읽을 수 없는 형식입니다. CSV 또는 XLSX 파일을 쓰세요.")
    table = [r for r in table if any(str(c or "").strip() for c in r)]
    if not table:
        raise CitizenError("파일에 내용이 없습니다.")
    keys = [_key(h) for h in table[0]]
    missing = [f for f in REQUIRED if f not in keys]
    if missing:
        names = {"question": "질문(question)", "answer": "답변(answer)", "department": "부서(department)"}
        raise CitizenError(
            f"필수 열이 없습니다: {', '.join(names[m] for m in missing)}. 첫 줄에 열 이름을 적으세요."
        )
    if len(table) - 1 > MAX_ROWS:
        raise CitizenError(f"한 번에 {MAX_ROWS:,}개까지 가져올 수 있습니다 (파일에 {len(table) - 1:,}개).")
    rows = []
    for raw in table[1:]:
        row: dict[str, object] = {}
        for k, value in zip(keys, raw, strict=False):
            if k is not None:
                row[k] = value.strip() if isinstance(value, str) else value
        rows.append(row)
    return rows


def _xlsx_rows(data: bytes) -> list[list[object]]:
    from zipfile import BadZipFile

    import openpyxl

    try:
        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (BadZipFile, KeyError, OSError, ValueError) as exc:
        raise CitizenError(f"XLSX 파일을 열 수 없습니다: {exc}") from exc
    try:
        ws = wb.worksheets[0]
        return [["" if c is None else c for c in row] for row in ws.iter_rows(values_only=True)]
    finally:
        wb.close()


def import_guidance(session: Session, data: bytes, filename: str, *, actor: str) -> ImportReport:
    """Validate every row, then save them all; any bad row aborts the import with its line number."""
    rows = read_rows(data, filename)
    items: list[GuidanceInput] = []
    errors: list[str] = []
    seen: set[str] = set()
    for line, row in enumerate(rows, start=2):
        try:
            item = GuidanceInput(
                question=str(row.get("question") or ""),
                answer=str(row.get("answer") or ""),
                department=str(row.get("department") or ""),
                phone=str(row.get("phone") or ""),
                code=str(row.get("code") or ""),
                tags=str(row.get("tags") or ""),
                category=str(row.get("category") or ""),
                source=str(row.get("source") or ""),
                valid_until=parse_date(row.get("valid_until"), "유효기간"),
                last_checked=parse_date(row.get("last_checked"), "최종 확인일"),
            )
        except CitizenError as exc:
            errors.append(f"{line}행: {exc}")
            continue
        code = item.code.strip()
        if code and code in seen:
            errors.append(f"{line}행: 안내 번호 '{code}'이(가) 파일 안에서 겹칩니다.")
        seen.add(code)
        items.append(item)
    report = ImportReport()
    if not errors:
        for line, item in enumerate(items, start=2):
            try:
                with session.begin_nested():
                    row_obj, created = save_guidance(session, item, actor=actor)
            except CitizenError as exc:
                errors.append(f"{line}행: {exc}")
                continue
            report.codes.append(row_obj.code)
            if created:
                report.created += 1
            else:
                report.updated += 1
    if errors:
        session.rollback()
        more = f" 외 {len(errors) - 10}건" if len(errors) > 10 else ""
        raise CitizenError(
            "가져오기를 취소했습니다 (아무것도 저장하지 않음). " + " / ".join(errors[:10]) + more
        )
    return report
