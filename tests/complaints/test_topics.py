"""Topic matching on a labelled fixture: spacing variants, synonyms, brand names and near-misses."""

from __future__ import annotations

import csv

import pytest

from guai.complaints.service import TopicError, rank_topic
from tests.complaints.conftest import FIXTURES

TOPICS = ["전동킥보드", "불법 주정차", "층간소음", "쓰레기 무단투기", "가로등 고장"]


def _expected(topic: str) -> set[str]:
    with (FIXTURES / "topics_labelled.csv").open(encoding="utf-8") as fh:
        return {row["민원번호"] for row in csv.DictReader(fh) if row["정답"] == topic}


@pytest.mark.parametrize("topic", TOPICS)
def test_topic_matches_exactly_the_labelled_complaints(labelled, topic: str) -> None:
    db, settings = labelled
    with db.session() as s:
        ranking = rank_topic(s, topic, settings=settings)
    assert set(ranking.matched_ids) == _expected(topic)


@pytest.mark.parametrize("variant", ["전동 킥보드", "킥보드", "PM", "공유 킥보드", "개인형 이동장치"])
def test_spacing_variants_and_synonyms_find_the_same_complaints(labelled, variant: str) -> None:
    db, settings = labelled
    with db.session() as s:
        ranking = rank_topic(s, variant, settings=settings)
    assert ranking.label == "전동킥보드"
    assert set(ranking.matched_ids) == _expected("전동킥보드")


def test_near_misses_and_passing_mentions_are_left_out(labelled) -> None:
    db, settings = labelled
    with db.session() as s:
        ranking = rank_topic(s, "전동킥보드", settings=settings)
    assert not {"T-007", "T-008", "T-009"} & set(ranking.matched_ids)  # 킥복싱, 보드게임카페, 전동휠체어
    assert "T-027" not in ranking.matched_ids and ranking.passing_excluded == 1


def test_each_match_says_why(labelled) -> None:
    db, settings = labelled
    with db.session() as s:
        ranking = rank_topic(s, "전동킥보드", settings=settings)
    why = {row["id"]: row["why"] for row in ranking.rows}
    assert why["T-001"].startswith("제목에 '전동킥보드'")
    assert all(why.values())


def test_topic_without_words_is_a_clear_error(labelled) -> None:
    db, settings = labelled
    with db.session() as s, pytest.raises(TopicError, match="검색할 낱말"):
        rank_topic(s, "???", settings=settings)
