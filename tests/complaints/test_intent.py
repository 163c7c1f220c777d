"""Natural-language requests: ten phrasings reach the same ranking; periods; non-requests are refused."""

from __future__ import annotations

from datetime import date

import pytest

from guai.complaints.intent import parse_request
from guai.complaints.periods import parse_period
from guai.complaints.service import answer_request, rank_topic

TODAY = date(2026, 11, 25)
PHRASINGS = [
    "전동킥보드 관련 들어온 민원들을 순위별로 정리해줘",
    "전동 킥보드 민원 순위 보여줘",
    "킥보드 관련 민원 유형별로 정리해 주세요",
    "개인형 이동장치 민원을 많은 순서대로 알려줘",
    "PM 관련 민원 랭킹",
    "전동킥보드에 대한 민원 분석해줘",
    "공유 킥보드 민원 정리 부탁드립니다",
    "전동킥보드 관련해서 들어온 민원 순위 좀",
    "전동킥보드 민원이 어떤 게 많아?",
    "민원 중에서 전동킥보드 관련된 것 순위 매겨줘",
    "가온구에 들어온 킥보드 민원 정리해 줄래?",
]


def _comparable(ranking) -> dict:  # type: ignore[no-untyped-def]
    data = ranking.to_dict()
    for key in ("generated_at", "query"):
        data.pop(key)
    return data


def test_ten_phrasings_reach_the_same_ranking(demo) -> None:
    db, settings = demo
    with db.session() as s:
        reference = _comparable(rank_topic(s, "전동킥보드", settings=settings))
        for text in PHRASINGS:
            ranking = answer_request(s, text, today=TODAY, settings=settings)
            assert ranking is not None, text
            assert _comparable(ranking) == reference, text


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("올해 전동킥보드 민원 순위", date(2026, 1, 1), TODAY),
        ("지난달 불법 주정차 민원 유형별로 알려줘", date(2026, 10, 1), date(2026, 10, 31)),
        ("최근 3개월 층간소음 민원 현황", date(2026, 8, 26), TODAY),
        ("2024년 상반기 쓰레기 무단투기 민원 통계", date(2024, 1, 1), date(2024, 6, 30)),
        ("3월부터 5월까지 가로등 고장 신고 정리", date(2026, 3, 1), date(2026, 5, 31)),
        ("작년 하반기 킥보드 민원 정리", date(2025, 7, 1), date(2025, 12, 31)),
        ("2025.3.1~2025.5.31 가로등 민원 분석", date(2025, 3, 1), date(2025, 5, 31)),
    ],
)
def test_periods(text: str, start: date, end: date) -> None:
    request = parse_request(text, today=TODAY)
    assert request is not None and request.period is not None
    assert (request.period.start, request.period.end) == (start, end)
    assert request.topic in (
        "전동킥보드",
        "불법 주정차",
        "층간소음",
        "쓰레기 무단투기",
        "가로등 고장",
        "킥보드",
        "가로등",
    )


def test_period_in_sentence_filters_the_ranking(demo) -> None:
    db, settings = demo
    with db.session() as s:
        ranking = answer_request(s, "2026년 상반기 전동킥보드 민원 순위", today=TODAY, settings=settings)
    assert ranking is not None and ranking.months[0] == "2026-01" and ranking.months[-1] == "2026-06"


@pytest.mark.parametrize(
    "text", ["민원 답변서 초안 써줘", "오늘 점심 메뉴 추천", "전동킥보드 타는 법", "민원"]
)
def test_other_requests_are_not_claimed(text: str) -> None:
    assert parse_request(text, today=TODAY) is None


def test_top_n_and_format_hints() -> None:
    request = parse_request("전동킥보드 민원 top 3 엑셀로 정리", today=TODAY)
    assert request is not None and request.top == 3 and request.format == "xlsx"


def test_parse_period_error_is_korean() -> None:
    with pytest.raises(ValueError, match="기간을 알아듣지 못했습니다"):
        parse_period("언젠가", TODAY)
