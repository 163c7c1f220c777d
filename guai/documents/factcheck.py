"""Check a generated text against its source: numbers, dates and names in the output must appear in the source."""

from __future__ import annotations

import re
from dataclasses import dataclass

_DATE_RE = re.compile(
    r"(?:(?P<y>(?:19|20)\d{2})\s*[.년/\-]\s*)?(?P<m>\d{1,2})\s*[.월/\-]\s*(?P<d>\d{1,2})\s*[.일]?"
)
_FULL_DATE_RE = re.compile(
    r"(?P<y>(?:19|20)\d{2})\s*[.년/\-]\s*(?P<m>\d{1,2})\s*[.월/\-]\s*(?P<d>\d{1,2})\s*[.일]?"
)
_NUMBER_RE = re.compile(r"\d[\d,]*(?:\.\d+)?")
_QUOTED_RE = re.compile(r"[「『“\"]([^」』”\"\n]{2,40})[」』”\"]")
_LATIN_RE = re.compile(r"\b[A-Z][A-Za-z&]{1,}\b")


@dataclass(frozen=True)
class FactIssue:
    """Something in the output that the source does not contain."""

    kind: str  # 숫자, 날짜, 이름
    value: str
    message: str


def _norm_number(value: str) -> str:
    value = value.replace(",", "")
    if "." in value:
        value = value.rstrip("0").rstrip(".")
    return value


def _dates(text: str) -> set[tuple[int, int, int]]:
    out = set()
    for m in _FULL_DATE_RE.finditer(text):
        out.add((int(m.group("y")), int(m.group("m")), int(m.group("d"))))
    return out


def _numbers(text: str, skip: list[tuple[int, int]] | None = None) -> set[str]:
    out = set()
    for m in _NUMBER_RE.finditer(text):
        if skip and any(s <= m.start() < e for s, e in skip):
            continue
        out.add(_norm_number(m.group(0)))
    return out


def _names(text: str) -> set[str]:
    names = {m.group(1).strip() for m in _QUOTED_RE.finditer(text)}
    names |= set(_LATIN_RE.findall(text))
    try:
        from guai.korean.analyzer import analyze

        names |= {m.form for m in analyze(text) if m.tag == "NNP" and len(m.form) >= 2}
    except ImportError:  # without Korean analysis only quoted and Latin names are checked
        pass
    return names


def check_facts(output: str, source: str) -> list[FactIssue]:
    """Numbers, dates and names of `output` missing from `source` (commas, spacing and date styles ignored)."""
    issues: list[FactIssue] = []
    source_dates = _dates(source)
    source_numbers = _numbers(source)
    source_flat = re.sub(r"\s+", "", source)
    date_spans = []
    for m in _FULL_DATE_RE.finditer(output):
        date_spans.append(m.span())
        key = (int(m.group("y")), int(m.group("m")), int(m.group("d")))
        if key not in source_dates:
            issues.append(
                FactIssue("날짜", m.group(0).strip(), f"날짜 '{m.group(0).strip()}'이(가) 원문에 없습니다.")
            )
    for number in sorted(_numbers(output, date_spans)):
        if number not in source_numbers:
            issues.append(FactIssue("숫자", number, f"숫자 '{number}'이(가) 원문에 없습니다."))
    for name in sorted(_names(output)):
        if re.sub(r"\s+", "", name) not in source_flat:
            issues.append(FactIssue("이름", name, f"이름 '{name}'이(가) 원문에 없습니다."))
    return issues
