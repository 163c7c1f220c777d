"""Route every row of a CSV/XLSX file in one run: JSON lines, or the workbook with added columns."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy.orm import Session

from guai.complaints.columns import detect_columns
from guai.complaints.operations import suggest
from guai.complaints.reader import read_path
from guai.config import Settings


def route_file(
    path: Path, out: Path | None, *, k: int, session: Session | None, settings: Settings | None
) -> tuple[Path, int]:
    """Suggest top-k departments for each row; write `out` (.jsonl default, .xlsx adds columns)."""
    table = read_path(path)
    cmap = detect_columns(table.headers)

    def cell(row: list[object], name: str) -> str:
        i = cmap.by_field.get(name)
        return "" if i is None or i >= len(row) or row[i] is None else str(row[i]).strip()

    texts = ["\n".join(t for t in (cell(r, "title"), cell(r, "content")) if t) for _, r in table.rows]
    field, results = suggest(texts, settings=settings, k=k, session=session)
    out = out or path.with_name(path.name.split(".")[0] + ".route.jsonl")
    if out.suffix.lower() == ".xlsx":
        from openpyxl import Workbook

        wb = Workbook()
        ws = wb.active
        ws.title = "부서 추천"
        ws.append([*table.headers, *[f"추천 {i}" for i in range(1, k + 1)]])
        for (_, row), suggestions in zip(table.rows, results, strict=True):
            ws.append([*["" if v is None else v for v in row], *[s.label for s in suggestions]])
        wb.save(out)
    else:
        with out.open("w", encoding="utf-8") as fh:
            for (number, row), suggestions in zip(table.rows, results, strict=True):
                fh.write(
                    json.dumps(
                        {
                            "row": number,
                            "id": cell(row, "source_no") or None,
                            "field": field,
                            "suggestions": [
                                {"label": s.label, "score": round(s.score, 4)} for s in suggestions
                            ],
                        },
                        ensure_ascii=False,
                    )
                    + "\n"
                )
    return out, len(results)
