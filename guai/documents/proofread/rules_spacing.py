"""Spacing around punctuation, units and symbols (한글 맞춤법 부록 문장 부호; 영 제7조제1항 어문규범)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from guai.documents.proofread.engine import DECREE, Context, Finding, rule

SOURCE = f"{DECREE} 제7조제1항 (「국어기본법」 제3조제3호 어문규범: 한글 맞춤법 부록 문장 부호)"

_SPACE_BEFORE_PUNCT = re.compile(r"(?<=[가-힣A-Za-z0-9)])[ \t]+(?=[,?!](?:\s|$)|\.(?:\s|$)(?!끝))")
_COMMA_NO_SPACE = re.compile(r"(?<=[가-힣]),(?=[가-힣])")
_PAREN_INNER = re.compile(r"\([ \t]+(?=[^\s)])|(?<=[^\s(])[ \t]+\)")
_COLON_BEFORE = re.compile(r"(?<=[가-힣])[ \t]+:(?=[ \t])")
_COLON_AFTER = re.compile(r"(?<=[가-힣]):(?=[가-힣])")
_PERCENT = re.compile(r"(?<=\d)[ \t]+(?=%|℃|‰)")
_TILDE = re.compile(
    r"(?<=[\d.)일월])[ \t]+([~∼])[ \t]+(?=\d)|(?<=[\d.)일월])([~∼])[ \t]+(?=\d)|(?<=[\d.)일월])[ \t]+([~∼])(?=\d)"
)


@rule("PUNCT-SPACING", "문장 부호 띄어쓰기", SOURCE)
def check_punctuation(ctx: Context) -> Iterator[Finding | None]:
    text = ctx.text
    for m in _SPACE_BEFORE_PUNCT.finditer(text):
        yield ctx.finding(
            "PUNCT-SPACING", m.start(), m.end(), "문장 부호(쉼표·마침표 등)는 앞말에 붙여 씁니다.", ""
        )
    for m in _COMMA_NO_SPACE.finditer(text):
        yield ctx.finding("PUNCT-SPACING", m.start(), m.end(), "쉼표 뒤는 한 칸 띄어 씁니다.", ", ")
    for m in _PAREN_INNER.finditer(text):
        yield ctx.finding(
            "PUNCT-SPACING", m.start(), m.end(), "괄호 안쪽은 띄우지 않습니다.", m.group(0).strip()
        )
    for m in _COLON_BEFORE.finditer(text):
        yield ctx.finding(
            "PUNCT-SPACING", m.start(), m.end(), "쌍점(:)은 앞말에 붙이고 뒤는 띄어 씁니다.", ":"
        )
    for m in _COLON_AFTER.finditer(text):
        yield ctx.finding("PUNCT-SPACING", m.start(), m.end(), "쌍점(:) 뒤는 한 칸 띄어 씁니다.", ": ")
    for m in _TILDE.finditer(text):
        sym = m.group(1) or m.group(2) or m.group(3)
        yield ctx.finding(
            "PUNCT-SPACING", m.start(), m.end(), "기간을 나타내는 물결표(~)는 앞말과 뒷말에 붙여 씁니다.", sym
        )


@rule("UNIT-SPACING", "숫자와 단위 기호 붙여 쓰기", SOURCE)
def check_units(ctx: Context) -> Iterator[Finding | None]:
    for m in _PERCENT.finditer(ctx.text):
        yield ctx.finding("UNIT-SPACING", m.start(), m.end(), "%, ℃ 같은 단위 기호는 숫자에 붙여 씁니다.", "")
