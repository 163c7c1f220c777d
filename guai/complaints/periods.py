"""Korean period expressions → date ranges: 올해, 지난달, 최근 3개월, 2024년 상반기, 3월부터 5월까지 ...

`find_period(text, today)` returns the period and the matched span, so intent parsing can cut it out
of the sentence before looking for the topic. All rules are relative to `today`, never the clock.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta


@dataclass(frozen=True)
class Period:
    """An inclusive date range with the words it came from."""

    start: date
    end: date
    label: str

    def previous(self) -> Period:
        """The period of the same length just before this one (by months when whole months)."""
        if self.start.day == 1 and self.end == month_end(self.end):
            months = (self.end.year - self.start.year) * 12 + self.end.month - self.start.month + 1
            start = add_months(self.start, -months)
            return Period(start, self.start - timedelta(days=1), f"직전 {months}개월")
        days = (self.end - self.start).days + 1
        return Period(self.start - timedelta(days=days), self.start - timedelta(days=1), f"직전 {days}일")


def month_end(d: date) -> date:
    return date(d.year, d.month, calendar.monthrange(d.year, d.month)[1])


def add_months(d: date, months: int) -> date:
    index = d.year * 12 + d.month - 1 + months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(d.day, calendar.monthrange(year, month + 1)[1]))


def _month(year: int, month: int) -> tuple[date, date]:
    first = date(year, month, 1)
    return first, month_end(first)


_NUM = {
    "한": 1,
    "두": 2,
    "세": 3,
    "네": 4,
    "다섯": 5,
    "여섯": 6,
    "일곱": 7,
    "여덟": 8,
    "아홉": 9,
    "열": 10,
    "열두": 12,
    "반": 6,
}
_UNIT = r"(개월|달|주|일|년)"
_COUNT = r"(\d+|한|두|세|네|다섯|여섯|일곱|여덟|아홉|열두|열)"


def _count(token: str) -> int:
    return int(token) if token.isdigit() else _NUM[token]


def _recent(today: date, n: int, unit: str) -> tuple[date, date]:
    if unit in ("개월", "달"):
        return add_months(today, -n) + timedelta(days=1), today
    if unit == "주":
        return today - timedelta(days=7 * n - 1), today
    if unit == "일":
        return today - timedelta(days=n - 1), today
    return add_months(today, -12 * n) + timedelta(days=1), today


def _year(text: str | None, today: date) -> int:
    if not text:
        return today.year
    value = int(text)
    return value + 2000 if value < 100 else value


# Each rule: regex and a function (match, today) → (start, end). Order: most specific first.
_RULES: list[tuple[re.Pattern[str], object]] = []


def _rule(pattern: str):  # type: ignore[no-untyped-def]
    def wrap(fn):  # type: ignore[no-untyped-def]
        _RULES.append((re.compile(pattern), fn))
        return fn

    return wrap


@_rule(
    r"(\d{4})\s*[-.]\s*(\d{1,2})\s*[-.]\s*(\d{1,2})\.?\s*(?:부터|에서|~|-|–)\s*(\d{4})\s*[-.]\s*(\d{1,2})\s*[-.]\s*(\d{1,2})\.?\s*(?:까지)?"
)
def _date_range(m: re.Match[str], today: date) -> tuple[date, date]:
    y1, m1, d1, y2, m2, d2 = (int(g) for g in m.groups())
    return date(y1, m1, d1), date(y2, m2, d2)


@_rule(
    r"(?:(\d{2,4})\s*년\s*)?(\d{1,2})\s*월\s*(?:부터|에서|~|-)\s*(?:(\d{2,4})\s*년\s*)?(\d{1,2})\s*월\s*(?:까지)?"
)
def _month_range(m: re.Match[str], today: date) -> tuple[date, date]:
    y1 = _year(m.group(1), today) if m.group(1) else None
    y2 = _year(m.group(3), today) if m.group(3) else None
    m1, m2 = int(m.group(2)), int(m.group(4))
    if y1 is None and y2 is None:
        # "3월부터 5월까지" means the most recent such span that has started.
        y2 = today.year if m2 <= today.month or m1 <= today.month else today.year - 1
        y1 = y2 if m1 <= m2 else y2 - 1
    elif y1 is None:
        y1 = y2 if m1 <= m2 else y2 - 1  # type: ignore[operator]
    elif y2 is None:
        y2 = y1 if m2 >= m1 else y1 + 1
    return date(y1, m1, 1), month_end(date(y2, m2, 1))  # type: ignore[arg-type]


@_rule(r"(\d{2,4})\s*년\s*(상반기|하반기|[1-4]\s*분기)")
def _half(m: re.Match[str], today: date) -> tuple[date, date]:
    year = _year(m.group(1), today)
    return _part(year, m.group(2))


@_rule(r"(올해|금년|작년|지난해|전년|재작년)\s*(상반기|하반기|[1-4]\s*분기)")
def _relative_half(m: re.Match[str], today: date) -> tuple[date, date]:
    shift = {"올해": 0, "금년": 0, "작년": 1, "지난해": 1, "전년": 1, "재작년": 2}[m.group(1)]
    return _part(today.year - shift, m.group(2))


def _part(year: int, part: str) -> tuple[date, date]:
    part = part.replace(" ", "")
    if part == "상반기":
        return date(year, 1, 1), date(year, 6, 30)
    if part == "하반기":
        return date(year, 7, 1), date(year, 12, 31)
    quarter = int(part[0])
    return _month(year, 3 * quarter - 2)[0], _month(year, 3 * quarter)[1]


@_rule(r"(?:(\d{2,4})\s*년\s*)(\d{1,2})\s*월")
def _year_month(m: re.Match[str], today: date) -> tuple[date, date]:
    return _month(_year(m.group(1), today), int(m.group(2)))


@_rule(r"(\d{4})\s*년(?:도)?")
def _whole_year(m: re.Match[str], today: date) -> tuple[date, date]:
    year = int(m.group(1))
    return date(year, 1, 1), date(year, 12, 31)


@_rule(r"(?:최근|지난|요즘|근)\s*" + _COUNT + r"\s*" + _UNIT + r"(?:\s*간|\s*동안)?")
def _recent_n(m: re.Match[str], today: date) -> tuple[date, date]:
    return _recent(today, _count(m.group(1)), m.group(2))


@_rule(r"(?:최근|지난)\s*(반년|일주일|한\s*해|1\s*년)")
def _recent_word(m: re.Match[str], today: date) -> tuple[date, date]:
    word = m.group(1).replace(" ", "")
    if word == "반년":
        return _recent(today, 6, "개월")
    if word == "일주일":
        return _recent(today, 1, "주")
    return _recent(today, 1, "년")


@_rule(r"(올해|금년|올\s*한\s*해|이번\s*해)")
def _this_year(m: re.Match[str], today: date) -> tuple[date, date]:
    return date(today.year, 1, 1), today


@_rule(r"(작년|지난해|전년도|전년)")
def _last_year(m: re.Match[str], today: date) -> tuple[date, date]:
    return date(today.year - 1, 1, 1), date(today.year - 1, 12, 31)


@_rule(r"재작년")
def _year_before(m: re.Match[str], today: date) -> tuple[date, date]:
    return date(today.year - 2, 1, 1), date(today.year - 2, 12, 31)


@_rule(r"(지난\s*달|저번\s*달|전월|지난\s*월)")
def _last_month(m: re.Match[str], today: date) -> tuple[date, date]:
    prev = add_months(date(today.year, today.month, 1), -1)
    return _month(prev.year, prev.month)


@_rule(r"(이번\s*달|이달|금월|당월)")
def _this_month(m: re.Match[str], today: date) -> tuple[date, date]:
    return date(today.year, today.month, 1), today


@_rule(r"(지난\s*주|저번\s*주|전주)")
def _last_week(m: re.Match[str], today: date) -> tuple[date, date]:
    monday = today - timedelta(days=today.weekday())
    return monday - timedelta(days=7), monday - timedelta(days=1)


@_rule(r"(이번\s*주|금주)")
def _this_week(m: re.Match[str], today: date) -> tuple[date, date]:
    return today - timedelta(days=today.weekday()), today


@_rule(r"(?<![\d년])(\d{1,2})\s*월(?!\s*(?:부터|에서|~))")
def _bare_month(m: re.Match[str], today: date) -> tuple[date, date]:
    month = int(m.group(1))
    year = today.year if month <= today.month else today.year - 1
    return _month(year, month)


@_rule(r"(어제)")
def _yesterday(m: re.Match[str], today: date) -> tuple[date, date]:
    day = today - timedelta(days=1)
    return day, day


@_rule(r"(오늘|금일)")
def _today(m: re.Match[str], today: date) -> tuple[date, date]:
    return today, today


def find_period(text: str, today: date) -> tuple[Period, tuple[int, int]] | None:
    """The first period expression in `text` (by rule priority) and its character span."""
    for pattern, fn in _RULES:
        match = pattern.search(text)
        if match is None:
            continue
        try:
            start, end = fn(match, today)  # type: ignore[operator]
        except ValueError:
            continue  # e.g. 13월: not a date, try the next rule
        if start > end:
            start, end = end, start
        return Period(start, end, " ".join(match.group(0).split())), match.span()
    return None


def parse_period(text: str, today: date | None = None) -> Period:
    """A period from words alone ("지난달"); raises ValueError with a Korean message if none."""
    found = find_period(text, today or date.today())
    if found is None:
        raise ValueError(
            f"'{text}'에서 기간을 알아듣지 못했습니다. 예: 올해, 지난달, 최근 3개월, 2024년 상반기"
        )
    return found[0]
