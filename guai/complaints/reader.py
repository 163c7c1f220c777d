"""Read a complaint export (CSV, CSV.GZ, XLSX) into a header row and data rows, with clear Korean errors."""

from __future__ import annotations

import csv
import gzip
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from guai.textio import TextDecodeError, decode_bytes

SUPPORTED = (".csv", ".csv.gz", ".tsv", ".txt", ".xlsx")


class ImportFileError(ValueError):
    """The file as a whole cannot be imported; nothing was written."""


@dataclass
class Table:
    """A file's header and rows (row_number is the 1-based line/row number staff see in their editor)."""

    name: str
    headers: list[str]
    rows: list[tuple[int, list[object]]]
    encoding: str


def _kind(name: str) -> str:
    lower = name.lower()
    for ext in SUPPORTED:
        if lower.endswith(ext):
            return ext
    raise ImportFileError(
        f"{name}: 지원하지 않는 파일 형식입니다. CSV(.csv, .csv.gz) 또는 엑셀(.xlsx) 파일을 사용하세요."
    )


def read_table(data: bytes, name: str) -> Table:
    """Parse `data` (the file's bytes) by the extension of `name`."""
    kind = _kind(name)
    if not data.strip():
        raise ImportFileError(f"{name}: 빈 파일입니다.")
    if kind == ".xlsx":
        return _read_xlsx(data, name)
    if kind == ".csv.gz":
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError) as exc:
            raise ImportFileError(f"{name}: 압축을 풀 수 없습니다 (손상된 gzip 파일): {exc}") from exc
    return _read_csv(data, name)


def _read_csv(data: bytes, name: str) -> Table:
    encoding = "utf-8-sig" if data.startswith(b"\xef\xbb\xbf") else "utf-8"
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        encoding = "cp949"
    try:
        text = decode_bytes(data, name)
    except TextDecodeError as exc:
        raise ImportFileError(str(exc)) from exc
    first_line = text.split("\n", 1)[0]
    delimiter = "\t" if first_line.count("\t") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    rows: list[tuple[int, list[object]]] = []
    try:
        headers = next(reader, None)
        if headers is None:
            raise ImportFileError(f"{name}: 머리글 행이 없습니다.")
        for row in reader:
            if not any(cell.strip() for cell in row):
                continue
            # reader.line_num is the physical line where this record ended; good enough to find it.
            rows.append((reader.line_num, list(row)))
    except csv.Error as exc:
        raise ImportFileError(f"{name}: CSV 형식이 깨져 있습니다 ({reader.line_num}번째 줄: {exc}).") from exc
    return Table(
        name=name, headers=[h.strip().lstrip("\ufeff") for h in headers], rows=rows, encoding=encoding
    )


def _read_xlsx(data: bytes, name: str) -> Table:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as exc:
        raise ImportFileError(
            f"{name}: 엑셀 파일을 열 수 없습니다 (손상되었거나 .xlsx 형식이 아닙니다). 엑셀에서 다시 저장해 보세요."
        ) from exc
    try:
        sheet = next((ws for ws in workbook.worksheets if (ws.max_row or 0) > 0), None)
        if sheet is None:
            raise ImportFileError(f"{name}: 데이터가 있는 시트가 없습니다.")
        headers: list[str] | None = None
        rows: list[tuple[int, list[object]]] = []
        for number, values in enumerate(_sheet_rows(sheet), start=1):
            if not any(v not in (None, "") for v in values):
                continue
            if headers is None:
                headers = ["" if v is None else str(v).strip() for v in values]
                continue
            rows.append((number, list(values)))
        if headers is None:
            raise ImportFileError(f"{name}: 머리글 행이 없습니다.")
    finally:
        workbook.close()
    return Table(name=name, headers=headers, rows=rows, encoding="xlsx")


def _sheet_rows(sheet: object) -> Iterator[tuple[object, ...]]:
    yield from sheet.iter_rows(values_only=True)  # type: ignore[attr-defined]


def read_path(path: Path) -> Table:
    """Read a file from disk with a clear error when it is missing."""
    if not path.is_file():
        raise ImportFileError(f"파일을 찾을 수 없습니다: {path}")
    return read_table(path.read_bytes(), path.name)
