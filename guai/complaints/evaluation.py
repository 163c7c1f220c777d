"""Routing evaluation on labelled files (e.g. the sets in shared/data/MANIFEST.md), ours vs TF-IDF."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from rich.console import Console

from guai.complaints import routing
from guai.complaints.columns import detect_columns
from guai.complaints.reader import read_path


def labelled_texts(path: Path, label_field: str | None = None) -> tuple[list[str], list[str], str]:
    """(texts, labels, field) of a file: title + content, labelled by department (else category)."""
    table = read_path(path)
    cmap = detect_columns(table.headers)
    field = label_field or ("department" if "department" in cmap.by_field else "category")
    if field not in cmap.by_field:
        raise ValueError(
            f"{path.name}: 정답 열({field})이 없습니다. 처리부서나 분류 열이 있어야 평가할 수 있습니다."
        )
    texts, labels = [], []

    def cell(row: list[object], name: str) -> str:
        i = cmap.by_field.get(name)
        return "" if i is None or i >= len(row) or row[i] is None else str(row[i]).strip()

    for _, row in table.rows:
        label = cell(row, field)
        text = "\n".join(t for t in (cell(row, "title"), cell(row, "content")) if t)
        if label and text:
            texts.append(text)
            labels.append(label)
    return texts, labels, field


def evaluate_files(
    paths: Sequence[Path], *, label_field: str | None = None, console: Console | None = None
) -> list[routing.Evaluation]:
    results = []
    for path in paths:
        if console:
            console.print(f"[dim]{path.name}: 형태소 분석과 학습 중…[/]")
        texts, labels, field = labelled_texts(path, label_field)
        samples = routing.samples_from_texts(texts)
        results.append(routing.evaluate(path.name, samples, labels, field))
    return results
