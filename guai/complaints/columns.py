"""Column detection for complaint exports: Korean/English headers → guai's fields, plus value parsing.

Real exports (새올, 국민신문고, 안전신문고, spreadsheets staff keep) name the same column many ways;
`detect_columns` maps headers by normalised name, and `--map 제목=title` overrides it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

#: guai's complaint fields, with the Korean name used in messages.
FIELDS: dict[str, str] = {
    "source_no": "민원번호",
    "title": "제목",
    "content": "내용",
    "received_on": "접수일",
    "department": "처리부서",
    "answer": "답변",
    "dong": "동",
    "place": "장소/주소",
    "channel": "접수경로",
    "category": "분류",
    "subcategory": "소분류",
}

# Normalised header (lower case, no spaces/brackets/punctuation) → field. Order matters only for
# readability; the first header of a file that maps to a field wins.
_ALIASES: dict[str, tuple[str, ...]] = {
    "source_no": (
        "민원번호",
        "접수번호",
        "신청번호",
        "민원접수번호",
        "신고번호",
        "청원번호",
        "관리번호",
        "번호",
        "id",
        "no",
        "number",
        "complaintid",
        "receiptno",
        "petitionidx",
    ),
    "title": ("제목", "민원제목", "청원제목", "신고제목", "민원명", "title", "subject"),
    "content": (
        "내용",
        "민원내용",
        "청원내용",
        "신고내용",
        "민원요지",
        "요지",
        "질의내용",
        "문의내용",
        "본문",
        "content",
        "body",
        "text",
        "summary",
        "description",
    ),
    "received_on": (
        "접수일",
        "접수일자",
        "접수일시",
        "등록일",
        "등록일자",
        "등록일시",
        "신청일",
        "신청일자",
        "작성일",
        "작성일자",
        "신고일",
        "신고일자",
        "민원접수일",
        "일자",
        "날짜",
        "date",
        "receivedon",
        "created",
        "createdat",
        "begin",
    ),
    "department": (
        "처리부서",
        "담당부서",
        "답변부서",
        "처리기관",
        "소관부서",
        "부서",
        "부서명",
        "department",
        "dept",
    ),
    "answer": (
        "답변",
        "답변내용",
        "처리결과",
        "처리내용",
        "회신내용",
        "조치결과",
        "조치내용",
        "answer",
        "reply",
        "response",
    ),
    "dong": ("동", "행정동", "법정동", "동명", "읍면동", "dong"),
    "place": ("주소", "발생장소", "발생위치", "위치", "장소", "민원발생지", "address", "place", "location"),
    "channel": ("접수경로", "경로", "접수채널", "채널", "신청경로", "channel", "source"),
    "category": ("분류", "대분류", "민원분류", "민원유형", "유형", "분야", "category"),
    "subcategory": ("소분류", "세부분류", "세부유형", "subcategory"),
}

_HEADER_LOOKUP: dict[str, str] = {alias: field for field, aliases in _ALIASES.items() for alias in aliases}
_HEADER_CLEAN = re.compile(r"[\s_\-\.\(\)\[\]<>:/·]+")


class ColumnError(ValueError):
    """The file's columns cannot be used; the message lists what was found and how to map it."""


def _clean_header(header: str) -> str:
    return _HEADER_CLEAN.sub("", header.strip().lstrip("\ufeff")).lower()


@dataclass(frozen=True)
class ColumnMap:
    """Which source column (by index) feeds each field, and the header names for messages."""

    by_field: dict[str, int]
    headers: list[str]

    def describe(self) -> dict[str, str]:
        return {field: self.headers[i] for field, i in self.by_field.items()}


def parse_overrides(pairs: list[str] | None) -> dict[str, str]:
    """`["제목=title", "민원요지=content"]` → {header: field}; field may be given in Korean too."""
    out: dict[str, str] = {}
    korean = {v: k for k, v in FIELDS.items()}
    for pair in pairs or []:
        if "=" not in pair:
            raise ColumnError(
                f"--map 값 '{pair}' 형식이 틀렸습니다. '열이름=필드' 형식으로 쓰세요 (예: 제목=title)."
            )
        header, field = (p.strip() for p in pair.split("=", 1))
        field = korean.get(field, field)
        if field not in FIELDS:
            raise ColumnError(
                f"--map 의 필드 '{field}'을(를) 모릅니다. 쓸 수 있는 필드: "
                + ", ".join(f"{k}({v})" for k, v in FIELDS.items())
            )
        out[header] = field
    return out


def detect_columns(headers: list[str], overrides: dict[str, str] | None = None) -> ColumnMap:
    """Map headers to fields; overrides ({header: field}) win. Needs at least a title or content column."""
    by_field: dict[str, int] = {}
    cleaned = [_clean_header(h) for h in headers]
    for header, field in (overrides or {}).items():
        target = _clean_header(header)
        if target not in cleaned:
            raise ColumnError(
                f"--map 에 쓴 열 '{header}'이(가) 파일에 없습니다. 파일의 열: {', '.join(h for h in headers if h)}"
            )
        by_field[field] = cleaned.index(target)
    used = set(by_field.values())
    for index, name in enumerate(cleaned):
        field = _HEADER_LOOKUP.get(name)
        if field and field not in by_field and index not in used:
            by_field[field] = index
            used.add(index)
    if "title" not in by_field and "content" not in by_field:
        shown = ", ".join(h for h in headers if h.strip()) or "(머리글 없음)"
        raise ColumnError(
            f"제목이나 내용 열을 찾지 못했습니다. 파일의 열: {shown}. "
            "'--map 열이름=title' 또는 '--map 열이름=content' 로 지정하세요."
        )
    return ColumnMap(by_field=by_field, headers=list(headers))


_DATE_PATTERNS = (
    re.compile(r"^(\d{4})\s*[-./년]\s*(\d{1,2})\s*[-./월]\s*(\d{1,2})\s*일?"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})(?:\D|$)"),
)


def parse_date(value: object) -> date | None:
    """Dates as exports write them: 2024-03-05, 2024.3.5., 2024/03/05 14:00, 20240305, 2024년 3월 5일, Excel dates.

    Returns None for an empty value; raises ValueError for a value that is not a date.
    """
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    if not text:
        return None
    for pattern in _DATE_PATTERNS:
        match = pattern.match(text)
        if match:
            year, month, day = (int(g) for g in match.groups())
            try:
                return date(year, month, day)
            except ValueError:  # 2024-02-30: Python's own message is English
                raise ValueError(f"없는 날짜입니다 '{text[:30]}'") from None
    raise ValueError(f"날짜로 읽을 수 없는 값 '{text[:30]}'")


_DONG_IN_ADDRESS = re.compile(r"(?:^|\s)([가-힣]{1,6}\d?동)(?=\s|$|,|\))")


def dong_from_address(address: str) -> str | None:
    """The 동 name in an address-like value ("가온구 새빛동 12-3" → "새빛동"); None when there is none.

    Only used on address/place columns: free text mentions words like 전동(킥보드) that are not places.
    """
    for match in _DONG_IN_ADDRESS.finditer(address or ""):
        if len(match.group(1)) >= 2:
            return match.group(1)
    return None
