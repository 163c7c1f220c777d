"""Real complaint texts from shared/data for the Korean layer's tests."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from tests.conftest import SHARED_DATA

COMPLAINTS = SHARED_DATA / "complaints"


def _rows(name: str) -> list[dict[str, str]]:
    path: Path = COMPLAINTS / name
    if not path.is_file():
        pytest.skip(f"shared complaint data not found at {path} (set GUAI_TEST_SHARED_DATA)")
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="session")
def complaint_texts() -> list[str]:
    """Titles, bodies and official answers of the 인천 중구 and 옹진군 complaints (≈ 2.5 MB)."""
    texts: list[str] = []
    for row in _rows("incheon_junggu_minwon.csv"):
        texts += [row["title"], row["content"], row["answer"]]
    for row in _rows("ongjin_minwon_categories.csv"):
        texts += [row["title"], row["summary"]]
    return [t for t in texts if t]
