"""Atomic import of complaint exports: parse, reject bad rows to a file, skip duplicates, store tokens.

`import_table(session, table, ...)` does everything inside the caller's transaction, so a failure
anywhere leaves the database as it was. Rows that cannot be read go to a reject CSV (row number and
reason); re-importing a file adds nothing because each row has a content fingerprint.
"""

from __future__ import annotations

import csv
import hashlib
import json
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from guai.complaints.columns import ColumnMap, detect_columns, dong_from_address, parse_date
from guai.complaints.reader import ImportFileError, Table
from guai.db.models.complaints import Complaint, ComplaintImport

#: Content beyond this many characters is stored but not tokenised: the topic of a complaint is stated
#: early, and petitions run to thousands of characters.
TOKEN_CHARS = 1500
CHUNK = 2000
_WS = re.compile(r"\s+")
_LIMITS = {
    "title": 500,
    "source_no": 64,
    "department": 120,
    "category": 120,
    "subcategory": 120,
    "dong": 60,
    "place": 255,
    "channel": 60,
}


@dataclass
class ImportReport:
    """What an import did; `reject_file` lists unreadable rows with their row number and reason."""

    file_name: str
    rows_total: int = 0
    imported: int = 0
    duplicates: int = 0
    rejected: int = 0
    reject_file: Path | None = None
    import_id: int | None = None
    columns: dict[str, str] = field(default_factory=dict)
    chars_tokenised: int = 0
    seconds: float = 0.0

    def to_dict(self) -> dict[str, object]:
        return {
            "file": self.file_name,
            "rows": self.rows_total,
            "imported": self.imported,
            "duplicates": self.duplicates,
            "rejected": self.rejected,
            "reject_file": str(self.reject_file) if self.reject_file else None,
            "columns": self.columns,
            "seconds": round(self.seconds, 2),
        }

    def summary_ko(self) -> str:
        text = (
            f"{self.file_name}: 전체 {self.rows_total:,}행 중 {self.imported:,}건 가져옴, "
            f"중복 {self.duplicates:,}건 건너뜀, 읽을 수 없는 행 {self.rejected:,}건"
        )
        if self.reject_file:
            text += f" (사유: {self.reject_file})"
        return text


def _cell(row: list[object], cmap: ColumnMap, name: str) -> object:
    index = cmap.by_field.get(name)
    if index is None or index >= len(row):
        return None
    return row[index]


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def fingerprint(source_no: str, received: date | None, title: str, content: str) -> str:
    """Identity of a complaint across imports: number, date and whitespace-normalised text."""
    key = "\x1f".join(
        (source_no, received.isoformat() if received else "", _WS.sub(" ", title), _WS.sub(" ", content))
    )
    return hashlib.sha1(key.encode("utf-8")).hexdigest()


def parse_rows(
    table: Table, cmap: ColumnMap
) -> tuple[list[dict[str, object]], list[tuple[int, str, list[object]]]]:
    """Turn rows into complaint records; unreadable rows come back as (row number, reason, values)."""
    records: list[dict[str, object]] = []
    rejects: list[tuple[int, str, list[object]]] = []
    width = len(table.headers)
    for number, row in table.rows:
        if len(row) > width and any(_text(v) for v in row[width:]):
            rejects.append(
                (
                    number,
                    f"열 개수({len(row)})가 머리글({width})보다 많습니다 — 따옴표나 구분자를 확인하세요",
                    row,
                )
            )
            continue
        title, content = _text(_cell(row, cmap, "title")), _text(_cell(row, cmap, "content"))
        if not title and not content:
            rejects.append((number, "제목과 내용이 모두 비어 있습니다", row))
            continue
        try:
            received = parse_date(_cell(row, cmap, "received_on"))
        except ValueError as exc:
            rejects.append((number, f"접수일: {exc}", row))
            continue
        record: dict[str, object] = {"source_row": number, "received_on": received}
        for name in (
            "source_no",
            "department",
            "category",
            "subcategory",
            "dong",
            "place",
            "channel",
            "answer",
        ):
            value = _text(_cell(row, cmap, name))
            limit = _LIMITS.get(name)
            record[name] = (value[:limit] if limit else value) or None
        if not record["dong"] and record["place"]:
            record["dong"] = dong_from_address(str(record["place"]))
        record["title"] = (title or content.split("\n", 1)[0])[: _LIMITS["title"]]
        record["content"] = content or title
        record["fingerprint"] = fingerprint(str(record["source_no"] or ""), received, title, content)
        records.append(record)
    return records, rejects


def _existing_fingerprints(session: Session, prints: list[str]) -> set[str]:
    found: set[str] = set()
    for start in range(0, len(prints), 900):
        chunk = prints[start : start + 900]
        found.update(session.scalars(select(Complaint.fingerprint).where(Complaint.fingerprint.in_(chunk))))
    return found


def write_rejects(path: Path, headers: list[str], rejects: list[tuple[int, str, list[object]]]) -> Path:
    """CSV (UTF-8 with BOM so Excel opens it) with 행 번호, 사유 and the original values."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["행 번호", "사유", *headers])
        for number, reason, row in rejects:
            writer.writerow([number, reason, *["" if v is None else v for v in row]])
    return path


def import_table(
    session: Session,
    table: Table,
    *,
    actor: str,
    sha256: str,
    overrides: dict[str, str] | None = None,
    reject_dir: Path | None = None,
    strict: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> ImportReport:
    """Import `table` in the caller's transaction; raise ImportFileError (nothing written) when unusable.

    `progress(done, total)` is called as rows are tokenised and stored. With `strict`, any unreadable
    row stops the import.
    """
    from guai.korean import tokens_batch

    started = time.perf_counter()
    cmap = detect_columns(table.headers, overrides)
    report = ImportReport(file_name=table.name, rows_total=len(table.rows), columns=cmap.describe())
    if not table.rows:
        raise ImportFileError(f"{table.name}: 머리글만 있고 민원 행이 없습니다.")
    records, rejects = parse_rows(table, cmap)
    report.rejected = len(rejects)
    if rejects and reject_dir is not None:
        stem = re.sub(r"[^\w가-힣.-]+", "_", table.name)
        report.reject_file = write_rejects(
            reject_dir / f"{stem}.{sha256[:8]}.rejects.csv", table.headers, rejects
        )
    if not records:
        raise ImportFileError(
            f"{table.name}: 읽을 수 있는 행이 하나도 없습니다"
            + (f" (사유는 {report.reject_file} 참고)." if report.reject_file else ".")
        )
    if strict and rejects:
        first = rejects[0]
        raise ImportFileError(
            f"{table.name}: 읽을 수 없는 행이 {len(rejects)}건 있어 가져오지 않았습니다 "
            f"(첫 번째: {first[0]}행 — {first[1]})."
        )
    # Within-file duplicates and rows already imported are skipped before any tokenising.
    seen: set[str] = set()
    unique: list[dict[str, object]] = []
    for record in records:
        key = str(record["fingerprint"])
        if key not in seen:
            seen.add(key)
            unique.append(record)
    existing = _existing_fingerprints(session, [str(r["fingerprint"]) for r in unique])
    fresh = [r for r in unique if r["fingerprint"] not in existing]
    report.duplicates = len(records) - len(fresh)

    batch = ComplaintImport(
        file_name=table.name[:255],
        sha256=sha256,
        rows_total=len(table.rows),
        rows_duplicate=report.duplicates,
        rows_rejected=len(rejects),
        column_map=json.dumps(report.columns, ensure_ascii=False),
        imported_by=actor[:100],
    )
    session.add(batch)
    session.flush()
    report.import_id = batch.id
    total = len(fresh)
    if progress:
        progress(0, total)
    for start in range(0, total, CHUNK):
        chunk = fresh[start : start + CHUNK]
        titles = [str(r["title"]) for r in chunk]
        bodies = [str(r["content"])[:TOKEN_CHARS] for r in chunk]
        report.chars_tokenised += sum(map(len, titles)) + sum(map(len, bodies))
        title_tokens = tokens_batch(titles)
        body_tokens = tokens_batch(bodies)
        for record, tt, bt in zip(chunk, title_tokens, body_tokens, strict=True):
            record["title_tokens"] = " ".join(tt)
            record["body_tokens"] = " ".join(bt)
            record["import_id"] = batch.id
            record["source_file"] = table.name[:255]
        session.execute(insert(Complaint), chunk)
        if progress:
            progress(min(start + CHUNK, total), total)
    batch.rows_imported = report.imported = total
    report.seconds = time.perf_counter() - started
    return report


def file_sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
