"""공문서 notation helpers: dates `2025. 3. 10.`, times `14:00`, money in words, item symbols."""

from __future__ import annotations

import datetime as dt
import re

# 행정업무의 운영 및 혁신에 관한 규정 시행규칙 제2조제1항: 1. → 가. → 1) → 가) → (1) → (가) → ① → ㉮
HANGUL_ORDER = "가나다라마바사아자차카타파하"
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
CIRCLED_HANGUL = "㉮㉯㉰㉱㉲㉳㉴㉵㉶㉷㉸㉹㉺㉻"
LEVEL_NAMES = ["1.", "가.", "1)", "가)", "(1)", "(가)", "①", "㉮"]


def item_symbol(level: int, index: int) -> str:
    """The item symbol for `level` (0 = top, 1., …) and 0-based `index` within that level."""
    if level in (0, 2, 4):
        n = str(index + 1)
        return {0: f"{n}.", 2: f"{n})", 4: f"({n})"}[level]
    if level in (1, 3, 5):
        h = HANGUL_ORDER[index % len(HANGUL_ORDER)]
        return {1: f"{h}.", 3: f"{h})", 5: f"({h})"}[level]
    if level == 6:
        return CIRCLED[index % len(CIRCLED)]
    return CIRCLED_HANGUL[index % len(CIRCLED_HANGUL)]


def format_date(value: dt.date) -> str:
    """`2025. 3. 10.` (영 제7조제5항: 연·월·일 글자 대신 온점)."""
    return f"{value.year}. {value.month}. {value.day}."


def format_time(value: dt.time) -> str:
    """`14:00` (24시각제, 시·분 사이 쌍점)."""
    return f"{value.hour:02d}:{value.minute:02d}"


_DATE_INPUT_RE = re.compile(r"^\s*(\d{4})\s*[.\-/년]\s*(\d{1,2})\s*[.\-/월]\s*(\d{1,2})\s*[.일]?\s*$")


def parse_date(text: str) -> dt.date | None:
    """A date from common input forms (2025-03-10, 2025.3.10, 2025년 3월 10일, 2025. 3. 10.)."""
    m = _DATE_INPUT_RE.match(text or "")
    if not m:
        return None
    try:
        return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


def normalize_date_text(text: str) -> str:
    """Dates in user input rewritten to `2025. 3. 10.`; anything else returned unchanged."""
    parsed = parse_date(text)
    return format_date(parsed) if parsed else text.strip()


_DIGITS = "영일이삼사오육칠팔구"
_SMALL_UNITS = ["", "십", "백", "천"]
_BIG_UNITS = ["", "만", "억", "조", "경"]


def amount_in_words(amount: int) -> str:
    """113560 → `일십일만삼천오백육십` (금액 표기: every digit spelled, 일 included, 시행규칙 제2조제2항)."""
    if amount < 0:
        raise ValueError("금액은 0 이상이어야 합니다.")
    if amount == 0:
        return "영"
    parts: list[str] = []
    group_index = 0
    while amount > 0:
        amount, group = divmod(amount, 10000)
        if group:
            words = ""
            for pos in range(3, -1, -1):
                digit = (group // 10**pos) % 10
                if digit:
                    words += _DIGITS[digit] + _SMALL_UNITS[pos]
            parts.append(words + _BIG_UNITS[group_index])
        group_index += 1
    return "".join(reversed(parts))


def format_money(amount: int) -> str:
    """`금113,560원(금일십일만삼천오백육십원)`."""
    return f"금{amount:,}원(금{amount_in_words(amount)}원)"


def parse_amount(text: str) -> int | None:
    """An integer amount from `113,560`, `113560원`, `금113,560원`; None when not a plain number."""
    cleaned = re.sub(r"[\s,금원]", "", text or "")
    return int(cleaned) if cleaned.isdigit() else None
