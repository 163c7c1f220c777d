"""개조식 (noun-ending) style: turn a sentence into a bullet line ending in a noun or 음/함/됨."""

from __future__ import annotations

import re

from guai.documents.text import strip_bullet

# Longest endings first; each maps a sentence ending to its 개조식 form.
_ENDINGS: list[tuple[str, str]] = [
    ("할 계획입니다", "할 계획"),
    ("할 계획이다", "할 계획"),
    ("할 예정입니다", "할 예정"),
    ("할 예정이다", "할 예정"),
    ("하였습니다", "함"),
    ("했습니다", "함"),
    ("하였다", "함"),
    ("했다", "함"),
    ("합니다", "함"),
    ("한다", "함"),
    ("되었습니다", "됨"),
    ("됐습니다", "됨"),
    ("되었다", "됨"),
    ("됐다", "됨"),
    ("됩니다", "됨"),
    ("된다", "됨"),
    ("있습니다", "있음"),
    ("있었다", "있었음"),
    ("있다", "있음"),
    ("없습니다", "없음"),
    ("없다", "없음"),
    ("입니다", "임"),
    ("이었다", "이었음"),
    ("이다", "임"),
    ("밝혔다", "밝힘"),
    ("말했다", "말함"),
    ("나타났다", "나타남"),
    ("늘었다", "늘었음"),
    ("줄었다", "줄었음"),
    ("높였다", "높임"),
    ("열었다", "열었음"),
    ("바랍니다", "바람"),
    ("했으며", "했음"),
]
_TRAILING = re.compile(r"(?<=[가-힣)\]」』'\"”’])[.。!?\s]+$|\s+$")


def to_gaejosik(sentence: str) -> str:
    """`…증가하였다.` → `…증가함`; sentences with an unknown ending are kept, without the final full stop."""
    line = strip_bullet(sentence.strip())
    line = _TRAILING.sub("", line)
    for old, new in _ENDINGS:
        if line.endswith(old):
            return line[: -len(old)] + new
    return line
