"""Fixtures for knowledge tests: small files built by the tests, and one shared indexed database per module."""

from __future__ import annotations

import io
import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from guai.config import load_settings
from guai.db.engine import Database

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "laws"
ROAD_LAW = EXAMPLES / "법령" / "도로교통법" / "법률.md"


def korean_pdf(lines_per_page: list[list[str]], *, encrypt: str | None = None) -> bytes:
    """A PDF with Korean text (NanumGothic from koreanize-matplotlib, embedded so pypdf can read it back)."""
    import importlib.util

    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    # The font file only: importing koreanize_matplotlib would reconfigure matplotlib (and warn).
    spec = importlib.util.find_spec("koreanize_matplotlib")
    font = os.path.join(list(spec.submodule_search_locations)[0], "fonts", "NanumGothic.ttf")  # type: ignore[union-attr]
    pdfmetrics.registerFont(TTFont("NanumGothic", font))
    buf = io.BytesIO()
    c = canvas.Canvas(buf, encrypt=encrypt)
    for lines in lines_per_page:
        c.setFont("NanumGothic", 11)
        for i, line in enumerate(lines):
            c.drawString(50, 800 - 20 * i, line)
        c.showPage()
    c.save()
    return buf.getvalue()


def hwpx_bytes(paragraphs: list[str], path: Path) -> Path:
    from hwpx import HwpxDocument

    doc = HwpxDocument.new()
    for p in paragraphs:
        doc.add_paragraph(p)
    doc.save_to_path(str(path))
    return path


def docx_bytes(title: str, sections: list[tuple[str, list[str]]]) -> bytes:
    from docx import Document

    doc = Document()
    doc.add_heading(title, level=0)
    for heading, paras in sections:
        doc.add_heading(heading, level=1)
        for p in paras:
            doc.add_paragraph(p)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


@pytest.fixture(scope="module")
def law_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    """A database (own GUAI_HOME) with 도로교통법 법률+시행규칙 in public "법령" and a fictional ordinance."""
    from guai.knowledge.collections import parse_visibility
    from guai.knowledge.ingest import ingest_paths

    home = tmp_path_factory.mktemp("law-home")
    db = Database(load_settings(home=home))
    db.upgrade()
    src = home / "src"
    (src / "도로교통법").mkdir(parents=True)
    for name in ("법률.md", "시행규칙.md"):
        (src / "도로교통법" / name).write_bytes((EXAMPLES / "법령" / "도로교통법" / name).read_bytes())
    ingest_paths(db, [src], collection="법령", visibility=parse_visibility("public"), actor="test")
    ingest_paths(
        db,
        [EXAMPLES / "가온구_자치법규"],
        collection="가온구 자치법규",
        visibility=parse_visibility("public"),
        actor="test",
    )
    yield db
    db.dispose()


@pytest.fixture
def write(tmp_path: Path) -> Callable[[str, bytes | str], Path]:
    def _write(name: str, data: bytes | str) -> Path:
        path = tmp_path / "files" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
        return path

    return _write
