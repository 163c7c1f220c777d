"""With a model (scripted OpenAI-compatible server): labels and summary improve, numbers stay the data's."""

from __future__ import annotations

import json

from guai.complaints.service import rank_topic, run_tool
from guai.llm import get_gateway
from tests.complaints.conftest import FIXTURES, load_file
from tests.support.fixtures import register_fake_provider


def test_model_improves_labels_and_summary_but_not_numbers(db, settings, fake_llm) -> None:
    load_file(db, settings, FIXTURES / "topics_labelled.csv")
    with db.session() as s:
        plain = rank_topic(s, "전동킥보드", settings=settings)
    register_fake_provider(db, fake_llm)
    fake_llm.reply(
        json.dumps(
            {
                "labels": {"1": "무단 방치·통행 방해"},
                "summary": [
                    "1위 유형은 방치입니다.",
                    "민원이 999건 늘었습니다.",
                    "방치 관련 민원이 가장 많습니다.",
                ],
            },
            ensure_ascii=False,
        )
    )
    with db.session() as s:
        ranking = rank_topic(s, "전동킥보드", settings=settings, gateway=get_gateway(db))
    assert ranking.groups[0].display_label == "무단 방치·통행 방해"
    assert ranking.summary == [
        "1위 유형은 방치입니다.",
        "방치 관련 민원이 가장 많습니다.",
    ]  # 999 is not in the data
    assert ranking.total == len(ranking.matched_ids) >= plain.total
    assert set(ranking.matched_ids) >= set(plain.matched_ids)
    assert fake_llm.calls("/embeddings"), "semantic matching asked for embeddings"
    ranking.check()


def test_model_failure_leaves_the_ranking_intact(db, settings, fake_llm) -> None:
    load_file(db, settings, FIXTURES / "topics_labelled.csv")
    register_fake_provider(db, fake_llm, max_retries=0)
    fake_llm.fail(500, times=10)
    with db.session() as s:
        ranking = rank_topic(s, "전동킥보드", settings=settings, gateway=get_gateway(db))
    assert ranking.total == 6 and ranking.summary == [] and ranking.model is None


def test_tool_for_function_calling(db, settings) -> None:
    load_file(db, settings, FIXTURES / "topics_labelled.csv")
    with db.session() as s:
        out = run_tool(
            s, {"topic": "층간소음", "date_from": "2026-01-01", "date_to": "2026-01-31"}, settings=settings
        )
    assert out["total"] == 3 and out["topic"] == "층간소음" and "| 순위 |" in out["markdown"]
