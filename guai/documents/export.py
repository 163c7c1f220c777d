"""Export drafts and summaries to HWPX (python-hwpx), DOCX (python-docx) and Markdown.

Numbering is kept as written (the item symbols are part of each line), indentation becomes a left indent, the
`끝.` line stays as it is, and the paper is A4 (영 제7조제6항). Every HWPX file is parsed back with
``hwp-hwpx-parser`` before it is handed out, so a broken package never reaches the user.
"""

from __future__ import annotations

import io
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from guai.documents import DocumentError

FORMATS = ("hwpx", "docx", "md")
MEDIA_TYPES = {
    "hwpx": "application/hwp+zip",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "md": "text/markdown; charset=utf-8",
}
KOREAN_FONT = "맑은 고딕"
HWPX_FONT = "함초롬바탕"
INDENT_MM = 5.0


@dataclass(frozen=True)
class Exported:
    data: bytes
    filename: str
    media_type: str


def _lines(text: str) -> list[tuple[int, str]]:
    """(indent level, line without leading indentation); two spaces = one level."""
    out = []
    for raw in text.rstrip("\n").splitlines():
        stripped = raw.lstrip(" \u3000")
        indent = len(raw) - len(stripped)
        out.append((indent // 2, stripped.rstrip() if not stripped.endswith("  끝.") else stripped))
    return out


_MD_MARKER = re.compile(r"^(\d+)([.)])(\s)")


def text_to_markdown(text: str, title: str | None = None) -> str:
    """Markdown that renders the numbering literally (1\\. stays 1., not an auto-numbered list)."""
    out = [f"# {title}", ""] if title else []
    for level, line in _lines(text):
        if not line:
            out.append("")
            continue
        line = _MD_MARKER.sub(lambda m: f"{m.group(1)}\\{m.group(2)}{m.group(3)}", line)
        if line.startswith(("-", "*", "+", "#", ">")):
            line = "\\" + line
        line = line.replace("  끝.", "&nbsp;&nbsp;끝.")
        out.append(("&emsp;" * level) + line + "  ")
    return "\n".join(out).rstrip() + "\n"


def to_docx(text: str, title: str | None = None) -> bytes:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Mm(20)
    section.top_margin, section.bottom_margin = Mm(30), Mm(15)
    normal = doc.styles["Normal"]
    normal.font.name = KOREAN_FONT
    normal.font.size = Pt(12)
    rpr = normal.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.append(fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), KOREAN_FONT)
    if title:
        heading = doc.add_paragraph()
        heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = heading.add_run(title)
        run.bold = True
        run.font.size = Pt(16)
    for level, line in _lines(text):
        para = doc.add_paragraph()
        para.paragraph_format.space_after = Pt(2)
        if level:
            para.paragraph_format.left_indent = Mm(INDENT_MM * level)
        if line:
            para.add_run(line)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def to_hwpx(text: str, title: str | None = None) -> bytes:
    from hwpx import HwpxDocument

    doc = HwpxDocument.new()
    doc.page.setup(paper_size="A4")
    body_style = doc.styles.ensure_run(font=HWPX_FONT, size=12)
    title_style = doc.styles.ensure_run(font=HWPX_FONT, size=16, bold=True)
    rows = ([(0, title, title_style)] if title else []) + [
        (lvl, line, body_style) for lvl, line in _lines(text)
    ]
    if not rows:
        rows = [(0, "", body_style)]
    for i, (level, line, style) in enumerate(rows):
        if i == 0:
            doc.paragraphs[0].text = line
            para_index = 0
            first = doc.paragraphs[0]
            for run in getattr(first, "runs", []):
                run.char_pr_id_ref = style
        else:
            doc.add_paragraph(line, char_pr_id_ref=style)
            para_index = len(doc.paragraphs) - 1
        if level:
            doc.styles.apply_paragraph_format(paragraph_index=para_index, indent_left_mm=INDENT_MM * level)
        if i == 0 and title:
            doc.styles.apply_paragraph_format(paragraph_index=0, alignment="center")
    data = doc.to_bytes()
    check_hwpx(data, [line for _, line, _ in rows if line])
    return data


def read_hwpx_text(data: bytes) -> str:
    """Text of an HWPX package, read by an independent parser (hwp-hwpx-parser)."""
    from hwp_hwpx_parser import extract_hwpx

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "check.hwpx"
        path.write_bytes(data)
        text, error = extract_hwpx(path)
    if error:
        raise DocumentError(f"만든 HWPX 파일을 다시 읽지 못했습니다: {error}")
    return text


def check_hwpx(data: bytes, expected_lines: list[str]) -> None:
    """Parse the package back and make sure every line is there."""
    text = read_hwpx_text(data)
    flat = re.sub(r"\s+", "", text)
    missing = [ln for ln in expected_lines if re.sub(r"\s+", "", ln) not in flat]
    if missing:
        raise DocumentError(f"만든 HWPX 파일에 일부 문단이 빠졌습니다: {missing[0][:40]}…")


def _safe_name(title: str) -> str:
    name = re.sub(r"[\\/:*?\"<>|\s]+", "_", title).strip("_.") or "문서"
    return name[:60]


def export(text: str, fmt: str, *, title: str | None = None) -> Exported:
    """`text` (a draft's or summary's text) as a file in `fmt` (hwpx, docx or md)."""
    if fmt not in FORMATS:
        raise DocumentError(f"내보내기 형식은 {', '.join(FORMATS)} 중 하나여야 합니다: {fmt!r}")
    if not text.strip():
        raise DocumentError("내보낼 내용이 비어 있습니다.")
    if fmt == "md":
        data = text_to_markdown(text, title).encode("utf-8")
    elif fmt == "docx":
        data = to_docx(text, title)
    else:
        data = to_hwpx(text, title)
    return Exported(data, f"{_safe_name(title or '문서')}.{fmt}", MEDIA_TYPES[fmt])
