"""Text extraction per file format (legalize-kr Markdown laws, MD, TXT, HWP 5.0, HWPX, PDF, DOCX).

Every extractor raises ExtractError with a Korean reason (corrupt, encrypted, unsupported, empty) so ingest can
report the file by name and go on with the rest.
"""

from __future__ import annotations

import io
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from guai.textio import TextDecodeError, decode_bytes

SUPPORTED = {
    ".md": "md",
    ".markdown": "md",
    ".txt": "txt",
    ".hwp": "hwp",
    ".hwpx": "hwpx",
    ".pdf": "pdf",
    ".docx": "docx",
}


class ExtractError(Exception):
    """A file cannot be read; str(exc) is the Korean reason shown next to the file name."""


@dataclass
class Block:
    """A paragraph (or heading when `level` is set) with the page it came from, when the format has pages."""

    text: str
    page: int | None = None
    level: int | None = None


@dataclass
class Extracted:
    """What a file says, ready for chunking."""

    kind: str
    title: str
    blocks: list[Block] = field(default_factory=list)
    law_markdown: str | None = None  # the raw text when the file is a legalize-kr law

    def lines(self) -> list[tuple[int | None, str]]:
        out: list[tuple[int | None, str]] = []
        for b in self.blocks:
            for line in b.text.splitlines():
                out.append((b.page, line))
        return out

    def char_count(self) -> int:
        return len(self.law_markdown) if self.law_markdown else sum(len(b.text) for b in self.blocks)


def kind_of(filename: str) -> str | None:
    return SUPPORTED.get(Path(filename).suffix.lower())


def extract_bytes(data: bytes, filename: str) -> Extracted:
    """Extract the text of `data`, which was read from a file called `filename`."""
    kind = kind_of(filename)
    if kind is None:
        suffix = Path(filename).suffix or "(확장자 없음)"
        raise ExtractError(f"지원하지 않는 형식입니다 ({suffix}). 지원 형식: HWP, HWPX, PDF, DOCX, TXT, MD")
    if not data:
        raise ExtractError("빈 파일입니다.")
    stem = Path(filename).stem
    extracted = _EXTRACTORS[kind](data, stem)
    has_text = bool(extracted.law_markdown) or any(b.text.strip() for b in extracted.blocks)
    if not has_text:
        raise ExtractError("읽을 수 있는 글자가 없습니다 (스캔한 이미지 PDF이거나 빈 문서일 수 있습니다).")
    return extracted


def _text(data: bytes, stem: str) -> str:
    try:
        return decode_bytes(data, stem)
    except TextDecodeError as exc:
        raise ExtractError(str(exc)) from exc


def _paragraph_blocks(text: str, page: int | None = None) -> list[Block]:
    return [Block(p.strip(), page) for p in re.split(r"\n\s*\n", text) if p.strip()]


def _from_txt(data: bytes, stem: str) -> Extracted:
    text = _text(data, stem)
    return Extracted("txt", _first_line_title(text, stem), _paragraph_blocks(text))


def _from_md(data: bytes, stem: str) -> Extracted:
    from guai.knowledge.lawtext import is_law_markdown

    text = _text(data, stem)
    if is_law_markdown(text):
        return Extracted("law", stem, [], law_markdown=text)
    blocks: list[Block] = []
    title = None
    para: list[str] = []

    def flush() -> None:
        if para:
            blocks.append(Block("\n".join(para).strip()))
            para.clear()

    for line in text.splitlines():
        m = re.match(r"^(#{1,6})\s+(.+?)\s*#*\s*$", line)
        if m:
            flush()
            level = len(m.group(1))
            if level == 1 and title is None:
                title = m.group(2)
            blocks.append(Block(m.group(2), level=level))
        elif not line.strip():
            flush()
        else:
            para.append(line)
    flush()
    return Extracted("md", title or _first_line_title(text, stem), blocks)


def _first_line_title(text: str, stem: str) -> str:
    for line in text.splitlines():
        line = line.strip().lstrip("#").strip()
        if line and re.match(r"^제\s*\d+\s*조", line):
            return stem  # the text starts with its first 조: the file name is the better title
        if line:
            return line[:120] if len(line) <= 60 else stem
    return stem


def _via_tempfile(data: bytes, suffix: str, fn):  # type: ignore[no-untyped-def]
    # hwp-hwpx-parser reads from a path, so uploads go through a private temporary file.
    with tempfile.NamedTemporaryFile(suffix=suffix) as tmp:
        tmp.write(data)
        tmp.flush()
        return fn(tmp.name)


def _hwp_reason(error: str) -> str:
    low = error.lower()
    if "encrypt" in low or "password" in low or "암호" in error:
        return "암호가 걸린 문서라 읽을 수 없습니다. 암호를 해제한 뒤 다시 올려 주세요."
    # The parser names our private temporary file, which means nothing to the user (and is a server path).
    error = re.sub(re.escape(tempfile.gettempdir()) + r"\S*", "", error).rstrip(" :")
    return f"파일이 손상되었거나 올바른 한글 문서가 아닙니다 ({error.strip()[:200]})."


_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _check_hwp5_container(data: bytes) -> None:
    """Refuse a cut-off or foreign OLE file before parsing it.

    olefile and hwp-hwpx-parser read a truncated HWP without complaint (missing sectors become empty or short
    streams), so a half-downloaded file would be reported as "no text" or, worse, stored with half its text.
    """
    import olefile

    try:
        ole = olefile.OleFileIO(io.BytesIO(data), raise_defects=olefile.DEFECT_INCORRECT)
        try:
            header = ole.openstream("FileHeader").read() if ole.exists("FileHeader") else b""
            for stream in ole.listdir():
                ole.openstream(stream).read()  # a missing sector only shows when its stream is read
        finally:
            ole.close()
    except Exception as exc:  # olefile raises OleFileError, OSError, struct.error… for broken containers
        raise ExtractError(
            f"파일이 손상되었거나 중간에 잘린 한글 문서입니다 ({str(exc)[:200]}). 원본 파일을 다시 올려 주세요."
        ) from exc
    if not header.startswith(b"HWP Document File"):
        raise ExtractError(
            "파일이 손상되었거나 올바른 한글 문서가 아닙니다 (HWP 5.0 파일 머리가 없습니다. "
            "다른 프로그램의 OLE 문서(예: 예전 Word .doc)일 수 있습니다)."
        )


def _from_hwpx(data: bytes, stem: str) -> Extracted:
    from hwp_hwpx_parser import extract_hwpx

    if data[:8] == _OLE_MAGIC:
        raise ExtractError(
            "확장자는 .hwpx 이지만 실제로는 HWP 5.0(바이너리) 파일입니다. 확장자를 .hwp 로 바꿔 주세요."
        )
    try:
        text, error = _via_tempfile(data, ".hwpx", extract_hwpx)
    except Exception as exc:  # the parser raises many types for broken zips; all mean "cannot read"
        raise ExtractError(_hwp_reason(str(exc))) from exc
    if error:
        raise ExtractError(_hwp_reason(error))
    return Extracted("hwpx", _first_line_title(text, stem), _line_blocks(text))


def _from_hwp(data: bytes, stem: str) -> Extracted:
    from hwp_hwpx_parser import extract_hwp5

    if data[:4] == b"PK\x03\x04":
        raise ExtractError(
            "확장자는 .hwp 이지만 실제로는 HWPX(zip) 파일입니다. 확장자를 .hwpx 로 바꿔 주세요."
        )
    if data[:8] == _OLE_MAGIC:
        _check_hwp5_container(data)
    try:
        text, error = _via_tempfile(data, ".hwp", extract_hwp5)
    except Exception as exc:
        raise ExtractError(_hwp_reason(str(exc))) from exc
    if error:
        raise ExtractError(_hwp_reason(error))
    return Extracted("hwp", _first_line_title(text, stem), _line_blocks(text))


def _line_blocks(text: str) -> list[Block]:
    # HWP paragraphs come one per line; blank-line grouping would glue a whole document together.
    return [Block(line.strip()) for line in text.splitlines() if line.strip()]


def _from_pdf(data: bytes, stem: str) -> Extracted:
    import logging

    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    # pypdf logs every repair it attempts; the user gets one clear reason from us instead.
    logging.getLogger("pypdf").setLevel(logging.ERROR)

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            try:
                ok = reader.decrypt("")
            except Exception as exc:
                raise ExtractError(
                    "암호가 걸린 PDF라 읽을 수 없습니다. 암호를 해제한 뒤 다시 올려 주세요."
                ) from exc
            if not ok:
                raise ExtractError("암호가 걸린 PDF라 읽을 수 없습니다. 암호를 해제한 뒤 다시 올려 주세요.")
        blocks: list[Block] = []
        for number, page in enumerate(reader.pages, start=1):
            text = page.extract_text() or ""
            blocks.extend(Block(line.strip(), number) for line in text.splitlines() if line.strip())
        meta_title = (reader.metadata.title if reader.metadata else None) or None
    except ExtractError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as exc:
        raise ExtractError(f"PDF 파일이 손상되었거나 PDF가 아닙니다 ({str(exc)[:200]}).") from exc
    if meta_title and meta_title.strip().lower() in ("untitled", "(anonymous)", "anonymous", "제목 없음"):
        meta_title = None  # generators' placeholders, not a title
    title = (
        meta_title
        if meta_title and meta_title.strip()
        else _first_line_title("\n".join(b.text for b in blocks[:3]), stem)
    )
    return Extracted("pdf", title, _merge_pdf_lines(blocks))


def _merge_pdf_lines(lines: list[Block]) -> list[Block]:
    """PDF text comes as visual lines; join lines of one sentence, keep lines that start a 조/항/호/heading."""
    out: list[Block] = []
    starts = re.compile(r"^(제\s*\d+\s*(조|장|절|편|관)|부\s*칙|[①-⑳]|\d+\.|[가-하]\.|[□○◦•\-·※])")
    for b in lines:
        if (
            out
            and out[-1].page == b.page
            and not starts.match(b.text)
            and not re.search(r"[.다:]$", out[-1].text)
        ):
            out[-1] = Block(out[-1].text + " " + b.text, b.page)
        else:
            out.append(b)
    return out


def _from_docx(data: bytes, stem: str) -> Extracted:
    from docx import Document
    from docx.opc.exceptions import PackageNotFoundError

    try:
        doc = Document(io.BytesIO(data))
    except (PackageNotFoundError, KeyError, ValueError, OSError) as exc:
        raise ExtractError(f"DOCX 파일이 손상되었거나 Word 문서가 아닙니다 ({str(exc)[:200]}).") from exc
    except Exception as exc:  # zipfile.BadZipFile and lxml errors for truncated files
        raise ExtractError(f"DOCX 파일이 손상되었거나 Word 문서가 아닙니다 ({type(exc).__name__}).") from exc
    blocks: list[Block] = []
    title = (doc.core_properties.title or "").strip() or None
    for para in doc.paragraphs:
        text = para.text.strip()
        if not text:
            continue
        style = (para.style.name if para.style is not None else "") or ""
        level = None
        m = re.match(r"^(?:Heading|제목)\s*(\d)", style)
        if style == "Title":
            level = 1
            title = title or text
        elif m:
            level = int(m.group(1))
        blocks.append(Block(text, level=level))
    for table in doc.tables:
        for row in table.rows:
            cells = [c.text.strip() for c in row.cells if c.text.strip()]
            if cells:
                blocks.append(Block(" | ".join(dict.fromkeys(cells))))
    return Extracted("docx", title or _first_line_title("\n".join(b.text for b in blocks[:2]), stem), blocks)


_EXTRACTORS = {
    "md": _from_md,
    "txt": _from_txt,
    "hwp": _from_hwp,
    "hwpx": _from_hwpx,
    "pdf": _from_pdf,
    "docx": _from_docx,
}
