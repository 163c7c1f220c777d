"""Resident questions in everyday Korean (typos, dialect-like spellings) reach the right guidance entry."""

from __future__ import annotations

from guai.citizen import ask
from guai.db.engine import Database
from tests.citizen.questions import OUT_OF_SCOPE, QUESTIONS

#: Floor for top-1 accuracy over QUESTIONS (measured 68/71 = 95.8% when written; misses are printed).
ACCURACY_FLOOR = 0.9


def test_at_least_forty_varied_questions() -> None:
    assert len(QUESTIONS) >= 40
    assert len({code for _q, code in QUESTIONS}) >= 40


def test_everyday_questions_find_the_right_guidance(guidance_db: Database) -> None:
    hits, misses = 0, []
    for i, (question, want) in enumerate(QUESTIONS):
        answer = ask(guidance_db, question, session_id=None, client=f"10.0.{i // 250}.{i % 250}", secret="t")
        if answer.sources[:1] == [want] and not answer.escalate:
            hits += 1
            assert answer.department and answer.phone.startswith("02-2600-")
            assert f"담당: {answer.department} ({answer.phone})" in answer.answer
            assert "최종 확인: " in answer.answer and answer.last_checked
        else:
            misses.append((question, want, answer.sources, round(answer.confidence, 3)))
    accuracy = hits / len(QUESTIONS)
    print(f"\n시민 질문 정확도: {hits}/{len(QUESTIONS)} = {accuracy:.1%}; 놓친 질문: {misses}")
    assert accuracy >= ACCURACY_FLOOR, misses


def test_out_of_scope_questions_escalate_politely(guidance_db: Database) -> None:
    for i, question in enumerate(OUT_OF_SCOPE):
        answer = ask(guidance_db, question, session_id=None, client=f"10.9.0.{i}", secret="t")
        assert answer.escalate, (question, answer.sources, answer.confidence)
        assert answer.answer.startswith("죄송합니다.")
        assert "문의 남기기" in answer.answer and answer.phone in answer.answer
        assert answer.sources == [] or all(not s.startswith("G") for s in answer.sources)
