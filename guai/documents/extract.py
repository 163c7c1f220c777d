"""Text of an uploaded document (HWP, HWPX, PDF, DOCX, TXT, MD) for summarising and proofreading.

Uses the shared extractors of guai.knowledge.extract, so an upload is read the same way everywhere.
"""

from __future__ import annotations

from guai.documents import DocumentError

ACCEPTED = (".hwp", ".hwpx", ".pdf", ".docx", ".txt", ".md")


def text_from_upload(data: bytes, filename: str) -> tuple[str, str]:
    """(title, text) of an uploaded file; DocumentError with a Korean reason when it cannot be read."""
    from guai.knowledge.extract import ExtractError, extract_bytes, kind_of

    if kind_of(filename) is None:
        raise DocumentError(f"'{filename}'은(는) 읽을 수 없는 형식입니다. {', '.join(ACCEPTED)} 파일을 올리세요.")
    try:
        extracted = extract_bytes(data, filename)
    except ExtractError as exc:
        raise DocumentError(f"'{filename}'을(를) 읽을 수 없습니다: {exc}") from exc
    text = extracted.law_markdown or "\n".join(b.text for b in extracted.blocks)
    if not text.strip():
        raise DocumentError(f"'{filename}'에서 글자를 찾지 못했습니다(스캔한 이미지 문서일 수 있습니다).")
    return extracted.title, text
