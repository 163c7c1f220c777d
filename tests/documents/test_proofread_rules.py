"""Each proofreading rule: positive and negative examples, and fixing yields text that passes."""

from __future__ import annotations

import pytest

from guai.documents.proofread import RULES, apply_fixes, fix_all, proofread

# (rule, wrong text, expected text after fixing) — fixing the wrong text must give exactly the expected text.
POSITIVE = [
    ("DATE-FORMAT", "회의는 2025년 3월 10일에 엽니다.", "회의는 2025. 3. 10.에 엽니다."),
    ("DATE-FORMAT", "기한: 2025.03.10", "기한: 2025. 3. 10."),
    ("DATE-FORMAT", "기한: 2025-3-10 까지", "기한: 2025. 3. 10. 까지"),
    ("DATE-FORMAT", "11.29.(금) 발표", "11. 29.(금) 발표"),
    ("TIME-FORMAT", "오후 2시 30분에 시작", "14:30에 시작"),
    ("TIME-FORMAT", "오전 9시부터 접수", "09:00부터 접수"),
    ("TIME-FORMAT", "14시 30분 회의", "14:30 회의"),
    ("TIME-FORMAT", "회의는 15시에 시작", "회의는 15:00에 시작"),
    ("MONEY-FORMAT", "금113,560원을 지급", "금113,560원(금일십일만삼천오백육십원)을 지급"),
    ("MONEY-FORMAT", "금 5000원", "금5,000원(금오천원)"),
    ("MONEY-FORMAT", "금113,560원(금일십만원)", "금113,560원(금일십일만삼천오백육십원)"),
    ("MONEY-FORMAT", "예산 1500000원 편성", "예산 1,500,000원 편성"),
    ("ITEM-ORDER", "1. 배경\n2. 현황\n4. 계획\n", "1. 배경\n2. 현황\n3. 계획\n"),
    ("ITEM-ORDER", "1. 배경\n  1) 세부\n", "1. 배경\n  가. 세부\n"),
    ("ITEM-ORDER", "1. 배경\n  가. 하나\n  다. 둘\n", "1. 배경\n  가. 하나\n  나. 둘\n"),
    ("END-MARK", "1. 협조 바랍니다. 끝.", "1. 협조 바랍니다.  끝."),
    (
        "END-MARK",
        "수신  교통행정과장\n제목  협조 요청\n\n1. 협조 바랍니다.\n",
        "수신  교통행정과장\n제목  협조 요청\n\n1. 협조 바랍니다.  끝.\n",
    ),
    ("ATTACHMENT", "본문입니다.\n붙임: 계획서 1부.", "본문입니다.\n붙임  계획서 1부."),
    ("ATTACHMENT", "본문입니다.\n붙임  계획서", "본문입니다.\n붙임  계획서 1부."),
    ("PUNCT-SPACING", "예산 , 인력을 확보합니다 .", "예산, 인력을 확보합니다."),
    ("PUNCT-SPACING", "예산,인력", "예산, 인력"),
    ("PUNCT-SPACING", "관련 : 지침", "관련: 지침"),
    ("PUNCT-SPACING", "( 붙임 참조 )", "(붙임 참조)"),
    ("PUNCT-SPACING", "2025. 4. 1. ~ 4. 30.", "2025. 4. 1.~4. 30."),
    ("UNIT-SPACING", "참여율 50 %", "참여율 50%"),
    ("PLAIN-WORDS", "익일까지 제출", "다음 날까지 제출"),
    ("PLAIN-WORDS", "상기 내용을 확인", "위 내용을 확인"),
    ("PLAIN-WORDS", "시건장치 점검", "잠금장치 점검"),
    ("PLAIN-WORDS", "만전을 기하여 주시기 바랍니다", "빈틈없이 하여 주시기 바랍니다"),
    ("PLAIN-WORDS", "자료를 송부합니다", "자료를 보냅니다"),
    ("PLAIN-WORDS", "여건을 감안한 계획", "여건을 고려한 계획"),
    ("PLAIN-WORDS", "3개소에 설치", "3곳에 설치"),
    ("MISSPELLING", "몇일 뒤", "며칠 뒤"),
    ("MISSPELLING", "역활을 나눕니다", "역할을 나눕니다"),
    ("RATE-SUFFIX", "참여률이 높다", "참여율이 높다"),
    ("RATE-SUFFIX", "이용율이 높다", "이용률이 높다"),
    ("KIWI-SPACING", "확인할수 있습니다", "확인할 수 있습니다"),
    ("KIWI-SPACING", "제출하여야한다", "제출하여야 한다"),
    ("KIWI-SPACING", "확인하는것이 중요합니다", "확인하는 것이 중요합니다"),
]

NEGATIVE = [
    ("DATE-FORMAT", "회의는 2025. 3. 10.(월)에 엽니다."),
    ("DATE-FORMAT", "<개정 2013.3.23, 2014.11.19>"),
    ("TIME-FORMAT", "회의는 14:00에 시작하며 2시간 동안 진행합니다."),
    ("TIME-FORMAT", "24시간 운영"),
    ("MONEY-FORMAT", "금113,560원(금일십일만삼천오백육십원)"),
    ("MONEY-FORMAT", "입장료는 5,000원입니다."),
    ("ITEM-ORDER", "1. 배경\n  가. 하나\n    1) 세부\n      가) 더 세부\n  나. 둘\n2. 현황\n"),
    ("ITEM-ORDER", "2. 현황 (앞 장에 이어)\n3. 계획\n"),
    ("ITEM-ORDER", "① 첫째\n② 둘째\n- 다른 묶음\n① 다시 첫째\n"),
    ("END-MARK", "1. 협조 바랍니다.  끝."),
    ("END-MARK", "일이 끝났습니다."),
    ("ATTACHMENT", "본문.\n붙임  1. 계획서 1부.\n      2. 명단 1부.  끝."),
    ("ATTACHMENT", "붙임 문서를 참고하여 의견을 제출해 주시기 바랍니다."),
    ("PUNCT-SPACING", "1,000명이 14:00에 모였다. 기간은 4. 1.~4. 30.이다."),
    ("PUNCT-SPACING", "서식의 빈칸 (   )에 적습니다."),
    ("UNIT-SPACING", "참여율 50%"),
    ("PLAIN-WORDS", "지난 일을 상기시키다."),
    ("PLAIN-WORDS", "금일봉을 전달했다."),
    ("PLAIN-WORDS", "개소식을 열었다. 3개소식"),
    ("MISSPELLING", "며칠 뒤 역할을 나눕니다."),
    ("RATE-SUFFIX", "법률, 선율, 비율, 확률, 출산율, 합격률, 이용률, 참여율"),
    ("KIWI-SPACING", "할수록 좋고 갈수록 늘어난다. 이것은 그것과 같다."),
    ("KIWI-SPACING", "개인에게 상장을 친수하여 격려하였다."),
]


@pytest.mark.parametrize(
    ("rule", "wrong", "expected"), POSITIVE, ids=[f"{r}-{i}" for i, (r, _, _) in enumerate(POSITIVE)]
)
def test_rule_finds_and_fixes(rule: str, wrong: str, expected: str) -> None:
    findings = [f for f in proofread(wrong) if f.rule == rule]
    assert findings, f"{rule} should flag {wrong!r}"
    for f in findings:
        assert f.message and 0 <= f.start <= f.end <= len(wrong)
    fixed = fix_all(wrong)
    assert fixed == expected
    assert [f for f in proofread(fixed) if f.suggestion is not None] == []


@pytest.mark.parametrize(("rule", "text"), NEGATIVE, ids=[f"{r}-{i}" for i, (r, _) in enumerate(NEGATIVE)])
def test_rule_leaves_correct_text(rule: str, text: str) -> None:
    assert [f for f in proofread(text) if f.rule == rule] == []


def test_every_rule_has_examples_and_cites_its_article() -> None:
    ids = {r.id for r in RULES}
    assert ids == {r for r, *_ in POSITIVE} == {r for r, _ in NEGATIVE}
    for r in RULES:
        assert "행정업무의 운영 및 혁신에 관한 규정" in r.source and "제" in r.source and "조" in r.source


def test_apply_fixes_skips_overlaps_and_rejects_foreign_findings() -> None:
    text = "익일 오후 2시"
    findings = proofread(text)
    assert apply_fixes(text, findings) == "다음 날 14:00"
    with pytest.raises(ValueError):
        apply_fixes("짧다", findings)


def test_rule_filter_and_unknown_rule() -> None:
    assert {f.rule for f in proofread("익일 오후 2시", rules=["TIME-FORMAT"])} == {"TIME-FORMAT"}
    with pytest.raises(ValueError, match="알 수 없는"):
        proofread("x", rules=["NOPE"])


def test_whole_document_fixes_to_clean_text() -> None:
    text = (
        "수신  교통행정과장\n제목 : 회의 알림\n\n1. 2025년 3월 10일 오후 2시에 회의합니다 .\n"
        "3. 상기 예산은 금 113560원입니다.\n  1) 시건장치를 점검할수 있도록 합니다.\n붙임: 계획서\n   2. 명단 1부\n"
    )
    fixed = fix_all(text)
    assert proofread(fixed) == []
    assert fixed.endswith("2. 명단 1부.  끝.\n")
    assert "2. 위 예산은 금113,560원(금일십일만삼천오백육십원)입니다." in fixed
    assert "  가. 잠금장치를 점검할 수 있도록 합니다." in fixed
