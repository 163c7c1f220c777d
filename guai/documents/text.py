"""Fast sentence splitting with offsets for official Korean text (bullets and prose)."""

from __future__ import annotations

import re
from dataclasses import dataclass

# Leading item markers of 개조식 lines and numbered items; stripped when a line becomes a summary line.
BULLET_RE = re.compile(
    r"^\s*(?:[□■◆◇○●◎ㅇ▶▷※\-–·ㆍ•*]+|\d{1,2}\.|[가-하]\.|\d{1,2}\)|[가-하]\)|\(\d{1,2}\)|\([가-하]\)|[①-⑳]|[㉮-㉻])\s+"
)
# A sentence ends after 다/요/음/함/됨/임 etc. with a full stop, or ?/!, when followed by space or line end.
_END_RE = re.compile(r"(?<=[가-힣)\]」』\"'”’])[.?!](?=\s|$)|(?<=[.?!])[\"'”’](?=\s|$)")


@dataclass(frozen=True)
class Span:
    """A sentence (or 개조식 line) of the source with its character offsets."""

    text: str
    start: int
    end: int


def split_sentences(text: str) -> list[Span]:
    """Sentences of `text` with offsets: each non-empty line is split further at sentence ends."""
    spans: list[Span] = []
    pos = 0
    for line in text.splitlines(keepends=True):
        line_start = pos
        pos += len(line)
        body = line.rstrip("\r\n")
        cut = 0
        for m in _END_RE.finditer(body):
            _append(spans, body, line_start, cut, m.end())
            cut = m.end()
        _append(spans, body, line_start, cut, len(body))
    return spans


def _append(spans: list[Span], body: str, offset: int, start: int, end: int) -> None:
    while start < end and body[start].isspace():
        start += 1
    while end > start and body[end - 1].isspace():
        end -= 1
    if start < end:
        spans.append(Span(body[start:end], offset + start, offset + end))


def strip_bullet(line: str) -> str:
    """The line without its leading item marker."""
    return BULLET_RE.sub("", line, count=1).strip()
