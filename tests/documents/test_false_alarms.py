"""The proofreader must not flag correct official text (hand-written, law and press sentences)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from guai.documents.proofread import proofread
from tests.conftest import SHARED_DATA

DATA = Path(__file__).parent / "data" / "correct_sentences.tsv"


def _sentences() -> list[tuple[str, str]]:
    rows = []
    for line in DATA.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            src, text = line.split("\t", 1)
            rows.append((src, text))
    return rows


def test_correct_sentences_get_no_errors() -> None:
    rows = _sentences()
    assert len(rows) >= 100
    errors = [(src, text, f) for src, text in rows for f in proofread(text) if f.severity == "오류"]
    assert errors == []


def test_plain_word_advice_on_correct_sentences_is_rare() -> None:
    rows = _sentences()
    advice = [f for _, text in rows for f in proofread(text) if f.severity == "권고"]
    assert len(advice) <= len(rows) * 0.03  # a few 권고 (e.g. 홈페이지 → 누리집) on law text, never 오류


@pytest.mark.skipif(not (SHARED_DATA / "laws").is_dir(), reason="../shared/data/laws not available")
def test_false_alarm_rate_on_law_text() -> None:
    """Law paragraphs follow 어문규범; only the law genre's `2012년 1월 22일` dates are outside 공문서 style."""
    base = SHARED_DATA / "laws"
    paragraphs = []
    for rel in (
        "행정업무의운영및혁신에관한규정/대통령령.md",
        "행정업무의운영및혁신에관한규정/시행규칙.md",
        "지방자치법/법률.md",
    ):
        body = (base / rel).read_text(encoding="utf-8").split("---", 2)[-1]
        for para in body.splitlines():
            para = re.sub(r"\*\*|\\\\", "", para).replace("\\.", ".").strip()
            if (
                len(para) >= 20
                and not para.startswith("#")
                and not re.search(r"\d{4}년\s*\d{1,2}월\s*\d{1,2}일", para)
            ):
                paragraphs.append(para)
    assert len(paragraphs) > 1000
    errors = [(p, f) for p in paragraphs for f in proofread(p, spacing_model=False) if f.severity == "오류"]
    assert len(errors) <= len(paragraphs) * 0.002, errors[:5]
