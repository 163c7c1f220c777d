"""With the scripted OpenAI-compatible server: checked summaries, structured drafts, translation."""

from __future__ import annotations

import json

import pytest

from guai.db.engine import Database
from guai.documents import DocumentError
from guai.documents.drafting import draft
from guai.documents.llm import gateway_for
from guai.documents.proofread import proofread
from guai.documents.summarize import summarize
from guai.documents.translate import TranslationUnavailable, translate
from tests.support.fake_llm import FakeLLM

SOURCE = """가온구는 2025. 4. 1.부터 전동킥보드 집중 정비 기간을 운영한다.
최근 3개월 동안 관련 민원은 412건으로 지난해보다 35% 늘었다.
전용 주차구역 100곳을 역세권부터 설치할 계획이다.
"""


def test_summary_numbers_not_in_source_are_flagged(db: Database, fake_provider: FakeLLM) -> None:
    gw = gateway_for(db)
    assert gw is not None
    fake_provider.reply(
        "- 관련 민원 412건으로 35% 증가\n- 전용 주차구역 150곳 설치 계획\n- 2025. 5. 1.부터 집중 정비"
    )
    s = summarize(SOURCE, gateway=gw)
    assert s.method == "생성" and s.model == "fake-chat"
    assert s.lines[0].issues == ()
    assert [i.value for i in s.lines[1].issues] == ["150"]
    assert {i.kind for i in s.lines[2].issues} == {"날짜"}
    assert "원문에 없는" in s.notes[0]
    assert (
        "전용 주차구역 100곳" in s.lines[1].source_text
    )  # each line still points at its closest source sentence
    assert "412건" in fake_provider.sent_text()


def test_summary_names_not_in_source_are_flagged(db: Database, fake_provider: FakeLLM) -> None:
    fake_provider.reply("- 「도로교통법」에 따라 정비\n- 가온구 집중 정비 운영")
    s = summarize(SOURCE, gateway=gateway_for(db))
    assert [i.kind for i in s.lines[0].issues] == ["이름"]


def test_generated_draft_keeps_structure_and_is_proofread(db: Database, fake_provider: FakeLLM) -> None:
    fake_provider.reply(
        json.dumps(
            {
                "제목": "전동킥보드 정비 계획 보고",
                "부서": "교통행정과",
                "배경": ["보도 위 방치 민원 증가", "보행자 안전 위협"],
                "현황": ["최근 3개월 민원 412건"],
                "계획": ["익일부터 집중 정비 실시", "업체 간담회 개최"],
                "기대효과": ["보행 환경 개선"],
                "행정사항": ["결과 보고"],
            },
            ensure_ascii=False,
        )
    )
    doc = draft(
        "보고서",
        {"제목": "킥보드 정비", "부서": "교통행정과", "배경": "민원 증가", "계획": "집중 정비"},
        gateway=gateway_for(db),
    )
    assert doc.method == "생성"
    assert "1. 추진 배경\n  가. 보도 위 방치 민원 증가" in doc.text
    assert (
        "  가. 다음 날부터 집중 정비 실시" in doc.text
    )  # the model's jargon was corrected by the proofreader
    assert proofread(doc.text) == []


def test_model_reply_without_json_is_an_error(db: Database, fake_provider: FakeLLM) -> None:
    fake_provider.reply("죄송합니다. 작성할 수 없습니다.")
    with pytest.raises(DocumentError, match="JSON"):
        draft(
            "공문",
            {"수신": "각 동장", "제목": "협조 요청", "본문": "협조 바랍니다."},
            gateway=gateway_for(db),
        )


def test_translation_uses_glossary_and_keeps_lines(db: Database, fake_provider: FakeLLM) -> None:
    fake_provider.reply("1. Visit the Community Service Center.\n2. Bring your ID.  End.")
    result = translate(
        "1. 주민센터를 방문하세요.\n2. 신분증을 가져오세요.  끝.", "en", gateway=gateway_for(db)
    )
    assert result.text.startswith("1. Visit the Community Service Center.")
    assert ("주민센터", "Community Service Center") in result.glossary
    assert result.notes == []
    assert "주민센터 → Community Service Center" in fake_provider.sent_text()


def test_translation_without_model_says_so(db: Database) -> None:
    assert gateway_for(db) is None
    with pytest.raises(TranslationUnavailable, match="AI 모델이 필요"):
        translate("주민센터를 방문하세요.", "en", gateway=None)
