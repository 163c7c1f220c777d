"""Rules for dates, times and money (영 제7조제4항·제5항, 시행규칙 제2조제2항)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from guai.documents.formatting import amount_in_words
from guai.documents.proofread.engine import DECREE, RULES_ACT, Context, Finding, rule

_DATE_WORDS = re.compile(r"(?<!\d)((?:19|20)\d{2})년\s*(\d{1,2})월\s*(\d{1,2})일")
_DATE_NUM = re.compile(
    r"(?<![\d.])((?:19|20)\d{2})(\s*)([.\-/])(\s*)(\d{1,2})(\s*)\3(\s*)(\d{1,2})(\.?)(?![\d])"
)
_MONTH_DAY = re.compile(r"(?<![\d.\s])(?<![\d.])(\d{1,2})\.(\d{1,2})\.(?=\s?\([월화수목금토일]\))")


def _valid(month: int, day: int) -> bool:
    return 1 <= month <= 12 and 1 <= day <= 31


@rule("DATE-FORMAT", "날짜 표기", f"{DECREE} 제7조제5항")
def check_dates(ctx: Context) -> Iterator[Finding | None]:
    text = ctx.text
    msg = "날짜는 연·월·일 글자를 생략하고 그 자리에 온점을 찍어 '2025. 3. 10.'처럼 씁니다."
    for m in _DATE_WORDS.finditer(text):
        y, mo, d = int(m.group(1)), int(m.group(2)), int(m.group(3))
        if _valid(mo, d):
            yield ctx.finding("DATE-FORMAT", m.start(), m.end(), msg, f"{y}. {mo}. {d}.")
    for m in _DATE_NUM.finditer(text):
        y, mo, d = int(m.group(1)), int(m.group(5)), int(m.group(8))
        if not _valid(mo, d):
            continue
        canonical = f"{y}. {mo}. {d}."
        if m.group(0) != canonical:
            yield ctx.finding("DATE-FORMAT", m.start(), m.end(), msg, canonical)
    for m in _MONTH_DAY.finditer(text):
        mo, d = int(m.group(1)), int(m.group(2))
        if _valid(mo, d):
            yield ctx.finding(
                "DATE-FORMAT",
                m.start(),
                m.end(),
                "월·일 뒤에 온점을 찍고 한 칸 띄어 '3. 10.'처럼 씁니다.",
                f"{mo}. {d}.",
            )


_AMPM = re.compile(r"(오전|오후)\s*(\d{1,2})시(?:\s*(\d{1,2})분|\s*(반))?(?!\s*간)")
_HOUR_MIN = re.compile(r"(?<![\d:.])(\d{1,2})시\s*(\d{1,2})분(?!\s*간)")
_HOUR_ONLY = re.compile(r"(?<![\d:.])(1[3-9]|2[0-4])시(?=까지|부터|에|경|\s|$|[,.)~∼])")
_REDUNDANT = re.compile(r"(?<!\d)(\d{1,2}):(\d{2})\s?시(?![가-힣])")


@rule("TIME-FORMAT", "시각 표기", f"{DECREE} 제7조제5항")
def check_times(ctx: Context) -> Iterator[Finding | None]:
    msg = "시각은 24시각제로, 시·분 글자 없이 쌍점을 찍어 '14:00'처럼 씁니다."
    for m in _AMPM.finditer(ctx.text):
        hour = int(m.group(2))
        minute = 30 if m.group(4) else int(m.group(3) or 0)
        if not (0 <= hour <= 12 and minute < 60):
            continue
        if m.group(1) == "오후" and hour < 12:
            hour += 12
        if m.group(1) == "오전" and hour == 12:
            hour = 0
        yield ctx.finding("TIME-FORMAT", m.start(), m.end(), msg, f"{hour:02d}:{minute:02d}")
    for m in _HOUR_MIN.finditer(ctx.text):
        hour, minute = int(m.group(1)), int(m.group(2))
        if hour <= 24 and minute < 60 and not _inside(m.start(), _AMPM, ctx.text):
            yield ctx.finding("TIME-FORMAT", m.start(), m.end(), msg, f"{hour:02d}:{minute:02d}")
    for m in _HOUR_ONLY.finditer(ctx.text):
        yield ctx.finding("TIME-FORMAT", m.start(), m.end(), msg, f"{int(m.group(1)):02d}:00")
    for m in _REDUNDANT.finditer(ctx.text):
        yield ctx.finding(
            "TIME-FORMAT",
            m.start(),
            m.end(),
            "'14:00'에는 '시'를 붙이지 않습니다.",
            f"{m.group(1)}:{m.group(2)}",
        )


def _inside(pos: int, pattern: re.Pattern[str], text: str) -> bool:
    return any(m.start() <= pos < m.end() for m in pattern.finditer(text, max(0, pos - 8), pos + 20))


_NUMBER_WORDS = "영일이삼사오육칠팔구십백천만억조경"
_MONEY = re.compile(
    r"(?:(금)(\s*))?(\d{1,3}(?:,\d{3})+|\d+)원(\s*\(\s*(금)?\s*([" + _NUMBER_WORDS + r"]+)\s*원\s*\))?"
)


@rule("MONEY-FORMAT", "금액 표기", f"{RULES_ACT} 제2조제2항 (영 제7조제4항)")
def check_money(ctx: Context) -> Iterator[Finding | None]:
    """`금113,560원(금일십일만삼천오백육십원)`: formal amounts need the words; given words must match."""
    for m in _MONEY.finditer(ctx.text):
        digits = m.group(3)
        amount = int(digits.replace(",", ""))
        formal = m.group(1) is not None
        has_words = m.group(4) is not None
        if m.start() > 0 and (ctx.text[m.start() - 1].isdigit() or ctx.text[m.start() - 1] in ",."):
            continue
        if not formal and not has_words:
            if amount >= 10000 and "," not in digits and digits[0] != "0":
                yield ctx.finding(
                    "MONEY-FORMAT", m.start(3), m.end(3), "금액은 세 자리마다 쉼표를 찍습니다.", f"{amount:,}"
                )
            continue
        if digits.startswith("0") and amount:
            continue
        expected = f"금{amount:,}원(금{amount_in_words(amount)}원)"
        if has_words and m.group(6) != amount_in_words(amount):
            # Built directly: the words in brackets are a protected region for every other rule.
            yield Finding(
                "MONEY-FORMAT",
                m.start(),
                m.end(),
                f"괄호 안 한글 금액이 숫자({amount:,}원)와 다릅니다.",
                expected,
            )
        elif m.group(0) != expected:
            why = (
                "금액은 아라비아 숫자로 쓰고 괄호 안에 한글로 적습니다(예: 금113,560원(금일십일만삼천오백육십원))."
                if not has_words
                else "금액 표기 형식을 '금113,560원(금일십일만삼천오백육십원)'에 맞춥니다."
            )
            yield Finding("MONEY-FORMAT", m.start(), m.end(), why, expected)
