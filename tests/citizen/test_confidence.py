"""Answer confidence: a resident never gets a confident answer from an entry about another topic.

The blind set (tests/citizen/blind_questions.py) was committed before the confidence model changed
and was not used to tune it; the dev set (tests/citizen/dev_questions.py) was.
"""

from __future__ import annotations

from guai.citizen import ask
from guai.citizen.store import CitizenSettings
from guai.db.engine import Database
from tests.citizen.blind_questions import ANSWERABLE, UNANSWERABLE
from tests.citizen.dev_questions import DEV_ANSWERABLE, DEV_UNANSWERABLE

#: Confident answers from the wrong entry, over the whole blind set (measured 2/49 = 4.1%).
MAX_WRONG_CONFIDENT = 0.05
#: Blind answerable questions answered from the right entry (measured 24/30 = 80%; the rest escalate).
BLIND_ACCURACY_FLOOR = 0.75


def _ask_all(db: Database, questions: list[str], net: int) -> list:
    return [
        ask(db, q, session_id=None, client=f"10.{net}.{i // 250}.{i % 250}", secret="t")
        for i, q in enumerate(questions)
    ]


def _is_polite_escalation(answer) -> bool:
    return (
        answer.escalate
        and answer.answer.startswith("죄송합니다.")
        and "문의 남기기" in answer.answer
        and answer.phone in answer.answer
        and not any(s.startswith("G") for s in answer.sources)
    )


def test_blind_set_is_large_enough() -> None:
    assert len(ANSWERABLE) >= 25 and len(UNANSWERABLE) >= 15
    assert len(ANSWERABLE) + len(UNANSWERABLE) >= 40
    assert not set(UNANSWERABLE) & set(DEV_UNANSWERABLE)


def test_blind_wrong_confident_rate(guidance_db: Database) -> None:
    answered = _ask_all(guidance_db, [q for q, _ in ANSWERABLE], 20)
    refused = _ask_all(guidance_db, UNANSWERABLE, 21)
    right = sum(
        1
        for (_q, want), a in zip(ANSWERABLE, answered, strict=True)
        if not a.escalate and a.sources[:1] == [want]
    )
    wrong = [
        (q, a.sources[:1], round(a.confidence, 3))
        for (q, want), a in zip(ANSWERABLE, answered, strict=True)
        if not a.escalate and a.sources[:1] != [want]
    ]
    wrong += [
        (q, a.sources[:1], round(a.confidence, 3))
        for q, a in zip(UNANSWERABLE, refused, strict=True)
        if not a.escalate
    ]
    total = len(ANSWERABLE) + len(UNANSWERABLE)
    print(
        f"\n블라인드 평가: 답변 가능 {right}/{len(ANSWERABLE)} 정답 ({right / len(ANSWERABLE):.1%}), "
        f"확신한 오답 {len(wrong)}/{total} ({len(wrong) / total:.1%}): {wrong}"
    )
    assert len(wrong) / total <= MAX_WRONG_CONFIDENT, wrong
    assert right / len(ANSWERABLE) >= BLIND_ACCURACY_FLOOR
    assert all(_is_polite_escalation(a) for a in refused), [
        a.answer for a in refused if not _is_polite_escalation(a)
    ]


def test_dev_set_calibration_holds(guidance_db: Database) -> None:
    refused = _ask_all(guidance_db, DEV_UNANSWERABLE, 22)
    assert [q for q, a in zip(DEV_UNANSWERABLE, refused, strict=True) if not a.escalate] == []
    answered = _ask_all(guidance_db, [q for q, _ in DEV_ANSWERABLE], 23)
    right = sum(
        1
        for (_q, want), a in zip(DEV_ANSWERABLE, answered, strict=True)
        if not a.escalate and a.sources[:1] == [want]
    )
    assert right / len(DEV_ANSWERABLE) >= 0.9


def test_partial_match_says_which_topic_it_lacks_and_names_the_general_desk(guidance_db: Database) -> None:
    cfg = CitizenSettings()
    for question, word in [("경로당 프로그램 신청", "경로당"), ("외국인 등록증 갱신", "외국인")]:
        answer = ask(guidance_db, question, session_id=None, client="10.24.0.1", secret="t")
        assert _is_polite_escalation(answer), answer.answer
        assert f"'{word}'" in answer.answer
        # The sports-centre / disability entries are other topics: their departments are not the contact.
        assert (answer.department, answer.phone) == (cfg.default_department, cfg.default_phone)


def test_a_typo_in_the_topic_word_still_counts_as_covered(guidance_db: Database) -> None:
    answer = ask(guidance_db, "폐건정지 어디 버려요", session_id=None, client="10.24.0.2", secret="t")
    assert answer.sources[:1] == ["G015"] and not answer.escalate
