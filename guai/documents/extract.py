"""Text of an uploaded document (HWP, HWPX, PDF, DOCX, TXT, MD) for summarising and proofreading.

Uses the shared extractors of guai.knowledge.extract, so an upload is read the same way everywhere.
"""

from __future__ import annotations

from guai.documents import DocumentError

ACCEPTED = (".hwp", ".hwpx", ".pdf", ".docx", ".txt", ".md")


def text_from_upload(data: bytes, filename: str) -> tuple[str, str]:
    """(title, text) of an uploaded file; DocumentError with a Korean reason when it cannot be read."""
    from guai.knowledge.extract import ExtractError, extract_bytes, kind_of
    from guai.textio import TextDecodeError, decode_bytes

    if filename.lower().endswith((".txt", ".md")):
        # Plain text is used as it is, so proofreading positions match the file byte for byte.
        try:
            text = decode_bytes(data)
        except TextDecodeError as exc:
            raise DocumentError(
                f"'{filename}'의 문자 인코딩을 알 수 없습니다(UTF-8 또는 CP949로 저장하세요)."
            ) from exc
        if not text.strip():
            raise DocumentError(f"'{filename}'이(가) 비어 있습니다.")
        first = next((ln.strip("# ").strip() for ln in text.splitlines() if ln.strip()), filename)
        return first[:80], text
    if kind_of(filename) is None:
        raise DocumentError(
            f"'{filename}'은(는) 읽을 수 없는 형식입니다. {', '.join(ACCEPTED)} 파일을 올리세요."
        )
    try:
        extracted = extract_bytes(data, filename)
    except ExtractError as exc:
        raise DocumentError(f"'{filename}'을(를) 읽을 수 없습니다: {exc}") from exc
    text = extracted.law_markdown or "\n".join(b.text for b in extracted.blocks)
    if not text.strip():
        raise DocumentError(f"'{filename}'에서 글자를 찾지 못했습니다(스캔한 이미지 문서일 수 있습니다).")
    return extracted.title, text
