"""Helpers shared by the detectors: candidate spans, boundaries, context windows, unit suffixes."""

from __future__ import annotations

import re
from dataclasses import dataclass

from guai.privacy.types import PiiType

#: Start of a number that is not glued to a preceding letter/digit or to an id like "2AA-2405-".
NUM_START = r"(?<![0-9A-Za-z])(?<![0-9A-Za-z]-)"
#: End of a number not continued by another digit or digit group ("-12", ".5", ",000").
NUM_END = r"(?![0-9])(?!-[0-9])(?![.,][0-9])"

# Units that make a preceding number a quantity, not an identifier ("3년", "150건", "30%", "5,000원").
_UNITS = (
    "개월|개소|개년|개|년|월|일|시간|시|분|초|명|인분|인|건|곳|가구|세대|대|회|차례|차|번째|배|"
    "%|％|프로|퍼센트|원|만|천|억|조|미터|m|㎞|km|킬로|센티|cm|밀리|mm|㎡|㎥|평|톤|kg|리터|ℓ|주년|주|학년|세|살|"
    r"점|부|권|장|쪽|페이지|단계|종|급|등급|위|등|필지|층|호선|번\s?출구"
)
# Glued to the number any unit counts ("3년", "2차"); after a space a one-syllable unit counts only as a word of
# its own ("30 분 정도", "5 명이"), not as the start of one ("1234 차량", "12 세대주").
_UNIT_WORD_END = (
    r"(?![가-힣])|(?=이|가|을|를|은|는|의|에|씩|간|째|당|마다|도|만|이상|이하|미만|정도|가량|내외|여)"
)
UNIT_AFTER = re.compile(rf"(?:{_UNITS})|\s{{1,2}}(?:(?:{_UNITS})(?:{_UNIT_WORD_END}))")

_LINE_BREAK = re.compile(r"[\n\r]")


@dataclass(slots=True)
class Candidate:
    """A detector's claim on text[start:end]; `masked=False` claims it as public (e.g. 1588 numbers)."""

    type: PiiType
    start: int
    end: int
    priority: int
    masked: bool = True
    #: Continues an address just before it ("101동 1203호" after "왕십리로 123,"): merged into one span.
    joins: bool = False


def before(text: str, start: int, width: int) -> str:
    """Up to `width` characters before `start`, cut at the last line break (context stays in its line)."""
    window = text[max(0, start - width) : start]
    cut = max(window.rfind("\n"), window.rfind("\r"))
    return window[cut + 1 :] if cut >= 0 else window


def after(text: str, end: int, width: int) -> str:
    """Up to `width` characters after `end`, cut at the first line break."""
    window = text[end : end + width]
    m = _LINE_BREAK.search(window)
    return window[: m.start()] if m else window


def unit_follows(text: str, end: int) -> bool:
    """True when a quantity unit follows the number ending at `end`."""
    return UNIT_AFTER.match(text, end) is not None


# Full-width ASCII, odd dashes and spaces -> ASCII, one character for one so offsets stay valid.
_FULLWIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
_DASHES = {ord(c): "-" for c in "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63"}
_SPACES = {ord(c): " " for c in "\u00a0\u2002\u2003\u2009\u200a\u202f\u3000"}
_TABLE: dict[int, int | str] = {**_FULLWIDTH, **_DASHES, **_SPACES}
_NEEDS_FOLD = re.compile("[" + "".join(re.escape(chr(c)) for c in sorted(_TABLE)) + "]")


def fold(text: str) -> str:
    """Same-length copy with full-width forms and dash/space variants made ASCII (010－1234－5678)."""
    if _NEEDS_FOLD.search(text) is None:
        return text
    return text.translate(_TABLE)
