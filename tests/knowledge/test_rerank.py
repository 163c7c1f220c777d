"""Article-level reordering rules (rerank.py) on hand-made rankings."""

from __future__ import annotations

import numpy as np

from guai.knowledge.rerank import penalty_rows, reorder

# rows: 0 시행규칙 제32조, 1 법 제50조, 2 법 제156조 (벌칙), 3 법 제160조 (과태료), 4 법 제50조 again (split chunk),
#       5 other law 제29조 (벌칙)
DOC_IDS = np.array([2, 1, 1, 1, 1, 3])
KEYS = ["제32조", "제50조", "제156조", "제160조", "제50조", "제29조"]
DELEGATED = np.array([True, False, False, False, False, False])
FAMILIES = {1: "도로교통법", 2: "도로교통법", 3: "한부모가족지원법"}
PENALTY = penalty_rows(
    [
        ["인명", "보호", "장구"],
        ["특정", "운전자", "준수", "사항"],
        ["벌칙"],
        ["과태료"],
        ["특정", "운전자", "준수", "사항"],
        ["벌칙"],
    ]
)


def _order(ranked: list[tuple[int, float]], asks_penalty: bool) -> list[int]:
    out = reorder(
        ranked,
        doc_ids=DOC_IDS,
        article_keys=KEYS,
        delegated=DELEGATED,
        penalty=PENALTY,
        families=FAMILIES,
        asks_penalty=asks_penalty,
    )
    scores = [s for _, s in out]
    assert scores == sorted(scores, reverse=True) and max(scores) <= max(s for _, s in ranked)
    return [r for r, _ in out]


def test_penalty_titles() -> None:
    assert PENALTY.tolist() == [False, False, True, True, False, True]
    assert penalty_rows(
        [["과태료", "부과", "기준"], ["과태료", "징수", "유예"], ["양벌", "규정"], []]
    ).tolist() == [True, False, True, False]


def test_sanction_question_duty_first_then_its_own_penalty() -> None:
    ranked = [(5, 10.0), (2, 9.9), (0, 9.8), (3, 9.7), (1, 9.6), (4, 9.5)]
    assert _order(ranked, asks_penalty=True) == [1, 2, 5, 0, 3]  # 제50조, its 벌칙, …; chunk 4 collapsed
    # not a sanction question: the ranking stands (only the duplicate chunk goes)
    assert _order(ranked, asks_penalty=False) == [5, 2, 0, 3, 1]


def test_statute_duty_goes_before_a_decree_article_only_when_near() -> None:
    assert _order([(0, 10.0), (1, 8.0), (2, 5.0)], asks_penalty=True) == [1, 2, 0]
    assert _order([(0, 10.0), (1, 7.0), (2, 5.0)], asks_penalty=True) == [0, 2, 1]
    assert _order([(0, 10.0), (1, 8.0), (2, 5.0)], asks_penalty=False) == [0, 1, 2]


def test_a_weak_duty_article_is_not_promoted() -> None:
    assert _order([(2, 10.0), (1, 5.0)], asks_penalty=True) == [2, 1]
