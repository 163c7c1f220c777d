"""HWPX, DOCX and Markdown exports reopen and keep the text, numbering and the 끝. line."""

from __future__ import annotations

import io
import re

import pytest
from docx import Document
from hwpx import HwpxDocument

from guai.documents import DocumentError
from guai.documents.drafting import draft, get_template
from guai.documents.export import export, read_hwpx_text
from guai.documents.summarize import summarize


@pytest.fixture(scope="module")
def letter():  # type: ignore[no-untyped-def]
    return draft("공문", {f.name: f.example for f in get_template("공문").fields if f.example}, complete=True)


def test_hwpx_parses_back_with_text_and_numbering(letter) -> None:  # type: ignore[no-untyped-def]
    out = export(letter.text, "hwpx", title=letter.title)
    assert out.filename.endswith(".hwpx") and out.data[:2] == b"PK"
    text = read_hwpx_text(out.data)
    for needle in (
        "수신  수신자 참조",
        "1. 관련:",
        "가. 협조 기간: 2025. 4. 1.~4. 30.",
        "2. 협조 대상 명단 1부.  끝.",
    ):
        assert needle in text
    doc = HwpxDocument.open(io.BytesIO(out.data))
    assert doc.validate().issues == ()
    assert any("3. 아래와 같이" in p.text for p in doc.paragraphs)


def test_docx_reopens_with_korean_font(letter) -> None:  # type: ignore[no-untyped-def]
    out = export(letter.text, "docx", title=letter.title)
    doc = Document(io.BytesIO(out.data))
    texts = [p.text for p in doc.paragraphs]
    assert texts[0] == letter.title
    assert "1. 관련: 가온구 교통행정과-1234(2025. 3. 4.)" in texts
    assert any(t.endswith("  끝.") for t in texts)
    nested = next(p for p in doc.paragraphs if p.text.startswith("가. 협조 기간"))
    assert nested.paragraph_format.left_indent is not None
    fonts = doc.styles["Normal"].element.rPr.rFonts
    assert fonts.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia") == "맑은 고딕"


def test_markdown_keeps_literal_numbering(letter) -> None:  # type: ignore[no-untyped-def]
    md = export(letter.text, "md", title=letter.title).data.decode("utf-8")
    assert md.startswith("# ")
    assert re.search(r"^1\\\. 관련", md, re.M)
    assert "&nbsp;&nbsp;끝." in md


def test_summary_exports() -> None:
    s = summarize(
        "첫 문장은 사업 개요를 설명합니다.\n둘째 문장은 예산을 설명합니다.\n셋째 문장은 일정을 설명합니다.\n"
    )
    assert "○ " in read_hwpx_text(export(s.to_text(), "hwpx", title=s.title).data)


def test_export_errors() -> None:
    with pytest.raises(DocumentError, match="형식"):
        export("본문", "pdf")
    with pytest.raises(DocumentError, match="비어"):
        export("  ", "docx")
