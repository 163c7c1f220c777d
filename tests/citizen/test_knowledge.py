"""Public knowledge collections answer what the guidance lacks; staff-only collections never reach residents."""

from __future__ import annotations

from guai.citizen import ask
from guai.db.engine import Database
from guai.knowledge.collections import parse_visibility
from guai.knowledge.ingest import ingest_bytes

PUBLIC_DOC = """# 가온구 전기차 충전기 설치 지원 안내

## 지원 내용
가온구는 공동주택에 전기차 충전기를 설치하는 비용의 50%를 한 단지에 최대 500만원까지 지원합니다.
신청은 매년 3월 환경과에서 받습니다.
"""
STAFF_DOC = """# 환경과 내부 메모

## 전기차 충전기 지원 예산
전기차 충전기 설치 지원 예산의 내부 잔액과 심사 메모: ZZTOP-SECRET 검토 중, 외부 공개 금지.
"""


def test_public_collection_is_cited_and_staff_collection_is_not(guidance_db: Database) -> None:
    ingest_bytes(
        guidance_db,
        PUBLIC_DOC.encode(),
        "전기차_충전기_지원.md",
        collection="가온구 공개 안내",
        visibility=parse_visibility("public"),
    )
    ingest_bytes(
        guidance_db,
        STAFF_DOC.encode(),
        "내부_메모.md",
        collection="환경과 내부",
        visibility=parse_visibility("staff"),
    )
    answer = ask(
        guidance_db, "전기차 충전기 설치 지원금 있나요?", session_id=None, client="4.4.4.4", secret="t"
    )
    text = " ".join(str(v) for v in answer.public().values())
    assert "ZZTOP" not in text and "내부" not in text
    assert answer.escalate  # not a reviewed guidance entry: offer a contact as well
    assert "50%" in answer.answer and answer.sources and not answer.sources[0].startswith("G")
