"""Rule-based understanding of a complaint-ranking request in Korean, without a model.

Public API (stable; the chat intent router calls it):

    parse_request(text, today=None) -> ComplaintRequest | None

"전동킥보드 관련 들어온 민원들을 순위별로 정리해줘" → ComplaintRequest(topic="전동킥보드", period=None).
"지난달 불법 주정차 민원 유형별 건수 알려줘" → topic "불법 주정차", period = last calendar month.
Returns None when the sentence is not a request to rank/summarise complaints about a topic (so the
caller can route it elsewhere), e.g. "민원 답변서 초안 써줘" or "오늘 점심 메뉴 추천".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from guai.complaints.periods import Period, find_period

_COMPLAINT = r"(?:민원|신고|청원|건의|불편\s*사항|진정)"
# Words that say "rank / summarise / count / show".
_CUE = re.compile(
    r"순위|랭킹|순서|많은|많이|많아|정리|분석|유형|통계|현황|건수|몇\s*건|추이|top|상위|보여|알려|뽑아|요약|집계|비교|"
    r"어떤|무슨|살펴|파악|리포트|보고",
    re.IGNORECASE,
)
# Requests that mention 민원 but want something else (writing, law search, routing a single case).
_OTHER_TASK = re.compile(
    r"초안|작성|써\s*줘|써\s*주|답변서|회신문|공문|보도자료|번역|법령|조례\s*찾|어느\s*부서|담당\s*부서\s*어디"
)
_TOPIC_BEFORE = re.compile(
    r"^(?P<topic>.+?)\s*(?:과|와|이랑|랑)?\s*"
    r"(?:관련(?:된|해서|하여|한|해)?|에\s*(?:관한|대한|대해서?|관해서?|관련된)|쪽|분야)?\s*"
    r"(?:(?:으로|로|에|에서)?\s*(?:들어온|들어왔던|접수된|접수한|제기된|발생한|신고된|올라온|받은|쌓인)\s*)?"
    + _COMPLAINT
)
_TOPIC_AFTER = re.compile(
    _COMPLAINT + r"\S*\s*(?:중에서?|가운데|에서)\s*(?P<topic>.+?)\s*"
    r"(?:관련(?:된|해서|한)?|에\s*(?:관한|대한|대해서?)|것|건)"
)
_LEADING_FILLER = re.compile(
    r"^(?:(?:우리\s*구|가온구|구청|관내|우리\s*동네|최근|요즘|그동안|혹시|지금까지|여태|이번에|그|좀|저기|"
    r"(?:\S+(?:에|으로|로|에서)\s+)?(?:들어온|접수된|올라온))(?:에서|에|의|으로|로|에서)?\s+)+"
)
_TRAILING_PARTICLE = re.compile(r"(?:에서의|에서|으로|로|에|의|은|는|이|가|을|를|들|과|와|도|만)$")
_TOP_N = re.compile(r"(?:top|상위|톱)\s*(\d{1,2})|(\d{1,2})\s*(?:위|개)\s*까지", re.IGNORECASE)
_FORMATS = {
    "엑셀": "xlsx",
    "excel": "xlsx",
    "xlsx": "xlsx",
    "차트": "png",
    "그래프": "png",
    "그림": "png",
    "json": "json",
    "마크다운": "md",
    "markdown": "md",
}


@dataclass(frozen=True)
class ComplaintRequest:
    """What the staff member asked for: a topic, optionally a period, a top-N and an output format."""

    topic: str
    period: Period | None = None
    top: int | None = None
    format: str | None = None

    def to_kwargs(self) -> dict[str, object]:
        """Keyword arguments for guai.complaints.service.rank_topic."""
        return {
            "topic": self.topic,
            "date_from": self.period.start if self.period else None,
            "date_to": self.period.end if self.period else None,
        }


def _clean_topic(raw: str) -> str:
    text = " ".join(raw.replace('"', " ").replace("'", " ").replace("“", " ").replace("”", " ").split())
    for _ in range(3):
        text = _LEADING_FILLER.sub("", text).strip()
        text = _TRAILING_PARTICLE.sub("", text).strip()
    return text.strip(" ,.?!·")


def parse_request(text: str, today: date | None = None) -> ComplaintRequest | None:
    """A ComplaintRequest when `text` asks for complaints about a topic ranked or summarised, else None."""
    if not text or not re.search(_COMPLAINT, text):
        return None
    if _OTHER_TASK.search(text) or not _CUE.search(text):
        return None
    today = today or date.today()
    period: Period | None = None
    rest = " ".join(text.split())
    found = find_period(rest, today)
    if found is not None:
        period, (start, end) = found
        rest = (rest[:start] + " " + rest[end:]).strip()
        rest = " ".join(rest.split())
    topic = ""
    after = _TOPIC_AFTER.search(rest)
    if after:
        topic = _clean_topic(after.group("topic"))
    if not topic:
        before = _TOPIC_BEFORE.search(rest)
        if before:
            topic = _clean_topic(before.group("topic"))
    if not topic or not re.search(r"[가-힣A-Za-z]", topic) or len(topic) > 40:
        return None
    top = None
    top_match = _TOP_N.search(text)
    if top_match:
        top = int(top_match.group(1) or top_match.group(2))
    fmt = next((f for word, f in _FORMATS.items() if word in text.lower()), None)
    return ComplaintRequest(topic=topic, period=period, top=top, format=fmt)
