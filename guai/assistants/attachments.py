"""Text from a file attached in chat: the knowledge ingest extractors when present, else TXT/MD/CSV/PDF/DOCX."""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

from guai.textio import decode_bytes

MAX_CHARS_FOR_MODEL = 20000


class AttachmentError(ValueError):
    """The file cannot be used; Korean message."""


@dataclass(frozen=True)
class Attachment:
    filename: str
    text: str
    truncated: bool

    @property
    def chars(self) -> int:
        return len(self.text)


def _own_extract(data: bytes, filename: str) -> str:
    suffix = Path(filename).suffix.lower()
    if suffix in (".txt", ".md", ".csv", ".tsv", ".json"):
        return decode_bytes(data, filename)
    if suffix == ".pdf":
        from pypdf import PdfReader

        reader = PdfReader(io.BytesIO(data))
        return "\n".join((page.extract_text() or "") for page in reader.pages)
    if suffix == ".docx":
        import docx

        return "\n".join(p.text for p in docx.Document(io.BytesIO(data)).paragraphs)
    raise AttachmentError(
        f"첨부할 수 없는 형식입니다 ({suffix or '확장자 없음'}). TXT, MD, CSV, PDF, DOCX, HWP, HWPX 파일을 첨부하세요."
    )


def extract_attachment(data: bytes, filename: str, *, max_bytes: int) -> Attachment:
    if not data:
        raise AttachmentError(f"'{filename}' 파일이 비어 있습니다.")
    if len(data) > max_bytes:
        raise AttachmentError(
            f"'{filename}' 파일이 너무 큽니다. {max_bytes // 1048576}MB 이하만 첨부할 수 있습니다."
        )
    text: str | None = None
    try:
        from guai.knowledge.extract import ExtractError, extract_bytes, kind_of
    except ImportError:
        kind_of = None  # type: ignore[assignment]
    if kind_of is not None and kind_of(filename):
        try:
            ex = extract_bytes(data, filename)
        except ExtractError as exc:
            raise AttachmentError(f"'{filename}': {exc}") from exc
        text = ex.law_markdown or "\n\n".join(b.text for b in ex.blocks)
    if text is None:
        try:
            text = _own_extract(data, filename)
        except AttachmentError:
            raise
        except Exception as exc:  # a damaged PDF/DOCX: say so instead of a server error
            raise AttachmentError(
                f"'{filename}' 파일을 읽을 수 없습니다 (손상되었거나 암호가 걸린 파일일 수 있습니다)."
            ) from exc
    text = text.strip()
    if not text:
        raise AttachmentError(f"'{filename}'에서 읽을 수 있는 글자를 찾지 못했습니다.")
    return Attachment(
        filename=filename, text=text[:MAX_CHARS_FOR_MODEL], truncated=len(text) > MAX_CHARS_FOR_MODEL
    )
