"""Word lists (≥200 old expressions, admin overrides), the conjugator and 공문서 notation helpers."""

from __future__ import annotations

from pathlib import Path

import pytest

from guai.documents.formatting import amount_in_words, format_date, format_money, item_symbol, parse_date
from guai.documents.proofread import proofread
from guai.documents.proofread.conjugate import conjugate
from guai.documents.proofread.terms import TermFileError, TermMatcher, load_terms, parse_terms


def test_plain_term_list_has_at_least_200_entries() -> None:
    terms = load_terms("plain_terms.tsv", extra_dir=Path("/nonexistent"))
    assert len(terms) >= 200
    olds = {t.old for t in terms}
    assert {"익일", "상기", "시건장치", "만전을 기하다"} <= olds


def test_every_listed_word_is_found_and_replaced_in_a_sentence() -> None:
    matcher = TermMatcher(load_terms("plain_terms.tsv", extra_dir=Path("/nonexistent")))
    for term in (
        t for t in load_terms("plain_terms.tsv", extra_dir=Path("/nonexistent")) if t.kind == "word"
    ):
        found = matcher.find(f"이번 {term.old} 관련 안내")
        assert any(m.old == term.old and m.new == term.new for m in found), term


@pytest.mark.parametrize(
    ("verb", "ending", "expected"),
    [
        ("보내다", "ㅂ니다", "보냅니다"),
        ("받다", "ㄴ", "받은"),
        ("웃돌다", "는", "웃도는"),
        ("웃돌다", "ㄴ", "웃돈"),
        ("갖추다", "어", "갖춰"),
        ("기울이다", "었", "기울였"),
        ("가져오다", "어야", "가져와야"),
        ("밝히다", "ㄹ", "밝힐"),
        ("적다", "으며"[1:], "적으며"),
        ("늘 있다", "ㄴ", "늘 있는"),
    ],
)
def test_conjugation(verb: str, ending: str, expected: str) -> None:
    assert conjugate(verb, ending) == expected


def test_administrator_override_adds_changes_and_removes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "guai-home" / "documents" / "proofread"
    folder.mkdir(parents=True)
    (folder / "plain_terms.tsv").write_text(
        "word\t익일\t이튿날\nword\t품의\t여쭘\nword\t상기\t-\n", encoding="utf-8"
    )
    findings = proofread("익일 품의 상기 내용", rules=["PLAIN-WORDS"])
    assert [(f.suggestion) for f in findings] == ["이튿날", "여쭘"]


def test_bad_term_file_is_reported_with_line() -> None:
    with pytest.raises(TermFileError, match="2번째 줄"):
        parse_terms("word\t익일\t다음 날\nbogus line\n", "x.tsv")
    with pytest.raises(TermFileError, match="정규식"):
        parse_terms("regex\t([\t바꿈\n", "x.tsv")


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        (113560, "일십일만삼천오백육십"),
        (1000, "일천"),
        (10000, "일만"),
        (100000000, "일억"),
        (12000500, "일천이백만오백"),
        (7, "칠"),
        (0, "영"),
    ],
)
def test_amount_in_words(amount: int, words: str) -> None:
    assert amount_in_words(amount) == words


def test_notation_helpers() -> None:
    assert format_money(113560) == "금113,560원(금일십일만삼천오백육십원)"
    d = parse_date("2025년 3월 10일")
    assert d is not None and format_date(d) == "2025. 3. 10."
    assert parse_date("2025-02-30") is None
    assert [item_symbol(level, 0) for level in range(8)] == [
        "1.",
        "가.",
        "1)",
        "가)",
        "(1)",
        "(가)",
        "①",
        "㉮",
    ]
    assert item_symbol(1, 2) == "다."
