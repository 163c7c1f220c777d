"""Decoding of uploaded or imported text files: UTF-8 (with or without BOM) or cp949/EUC-KR."""

from __future__ import annotations


class TextDecodeError(ValueError):
    """The bytes are in no encoding we accept; the message names the file and the fix."""


def decode_bytes(data: bytes, source: str = "파일") -> str:
    """Decode bytes as UTF-8 (BOM stripped) or cp949; refuse binary files with a clear message."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if b"\x00" in data[:4096]:
        raise TextDecodeError(
            f"{source}: 텍스트 파일이 아닙니다 (이진 데이터). CSV 또는 텍스트 파일을 올려 주세요."
        )
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp949")
    except UnicodeDecodeError as exc:
        raise TextDecodeError(
            f"{source}: 문자 인코딩을 알 수 없습니다 ({exc.start}번째 바이트). UTF-8 또는 CP949(EUC-KR)로 저장해 주세요."
        ) from exc
