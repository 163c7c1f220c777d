"""Sub-issue labels on real complaint text (인천 중구 e-민원): no place names, no generic words.

Uses ../shared/data (skipped cleanly when it is missing); the synthetic-data label tests are in test_ranking.py.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest

from guai.complaints.labels import is_place
from guai.complaints.service import rank_topic
from guai.config import Settings
from guai.db.engine import Database
from tests.complaints.conftest import _module_db, load_file
from tests.conftest import SHARED_DATA

REAL = SHARED_DATA / "complaints" / "incheon_junggu_minwon.csv"

# Written by hand from reading the data, not from the code: places of 인천 중구 seen in these complaints.
PLACES = set(
    "영종 영종도 영종동 용유 신흥동 운서동 을왕리 중구 인천 남동구 동구 율목 율목공원 송월동 월미도 신선초등학교 "
    "영종하늘도서관 영종하늘도시 서해대로 축항대로 소무의도 소무 백운산 전자랜드 누리타워 동인천동 자유공원 "
    "맥아더 혜경스테이 아울렛마트 신동방 영종골든튤립 하늘연".split()
)
GENERIC = set(
    "민원 요청 문의 부탁 불편 일원 주변 부근 근처 인근 안녕 건의 주소 주소지 인하 말씀 조속 감사 질의".split()
)
TOPICS = ("주차", "불법 주정차", "쓰레기", "소음", "도로", "공원", "버스", "가로등", "공사", "나무", "코로나")


@pytest.fixture(scope="module")
def real(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Database, Settings]]:
    if not REAL.is_file():
        pytest.skip(f"real complaint data not available ({REAL})")
    db, settings = _module_db(tmp_path_factory, "real")
    load_file(db, settings, REAL)
    yield db, settings
    db.dispose()


def test_labels_name_the_problem_not_the_place(real) -> None:
    db, settings = real
    bad: list[str] = []
    labelled = 0
    for topic in TOPICS:
        with db.session() as s:
            ranking = rank_topic(
                s, topic, settings=settings, date_from=date(2012, 1, 1), date_to=date(2020, 12, 31)
            )
        ranking.check()  # also with the export's repeated complaint numbers
        for group in ranking.groups:
            if group.label == "기타":
                continue
            labelled += 1
            for part in group.label.split("·"):
                if part in PLACES or part in GENERIC or is_place(part) or len(part) < 2:
                    bad.append(f"{topic}: {group.label}")
    assert labelled >= 25 and not bad, bad


def test_repeated_source_numbers_stay_distinct(real) -> None:
    db, settings = real
    with db.session() as s:
        ranking = rank_topic(
            s, "바람막이", settings=settings, date_from=date(2018, 1, 1), date_to=date(2018, 12, 31)
        )
    # 46605 and 46433 each number two different complaints about bus-stop wind shields in this export.
    repeated = [cid for cid in ranking.matched_ids if cid.startswith(("46605", "46433"))]
    assert len(repeated) == len(set(repeated)) == 4 and all("행)" in cid for cid in repeated)
