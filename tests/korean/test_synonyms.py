"""Synonym groups: canonical terms, query expansion, and the size and shape of the vocabulary."""

from __future__ import annotations

import pytest

from guai.korean import (
    all_groups,
    canonical,
    canonicalize_tokens,
    expand_query_tokens,
    synonym_group,
    tokens,
)
from guai.korean._data import (
    VocabularyError,
    parse_synonyms,
    parse_user_dictionary,
    synonym_rows,
    user_dictionary,
)
from guai.korean.synonyms import _token_index


@pytest.mark.parametrize(
    ("term", "expected"),
    [
        ("전동 킥보드", "전동킥보드"),
        ("킥보드", "전동킥보드"),
        ("개인형 이동장치", "전동킥보드"),
        ("PM", "전동킥보드"),
        ("pm", "전동킥보드"),
        ("킥고잉", "전동킥보드"),
        ("라임", "전동킥보드"),
        ("불법 주차", "불법주정차"),
        ("주정차 위반", "불법주정차"),
        ("불법주차", "불법주정차"),
        ("쓰레기 불법투기", "무단투기"),
        ("무단 투기", "무단투기"),
        ("윗집 소음", "층간소음"),
        ("보안등", "가로등"),
        ("동사무소", "주민센터"),
        ("행정 복지센터", "주민센터"),
        ("씨씨티비", "CCTV"),
        ("버스", "버스"),  # in no group: returned unchanged
    ],
)
def test_canonical(term: str, expected: str) -> None:
    assert canonical(term) == expected


def test_group_lists_canonical_first() -> None:
    members = synonym_group("킥보드")
    assert members[0] == "전동킥보드"
    assert {"전동 킥보드", "개인형이동장치", "PM", "킥고잉", "지쿠터"} <= set(members)
    assert synonym_group("없는낱말") == ["없는낱말"]


def test_every_canonical_is_one_search_token() -> None:
    for grp in all_groups():
        assert len(tokens(grp.canonical)) == 1, grp.canonical


def test_terms_map_to_one_group_and_tokens_do_not_clash() -> None:
    seen: dict[str, str] = {}
    for grp in all_groups():
        for term in grp.terms:
            key = "".join(term.split()).casefold()
            assert seen.setdefault(key, grp.canonical) == grp.canonical, term
    assert _token_index().conflicts == ()


def test_expand_query_tokens_adds_group_members() -> None:
    expanded = expand_query_tokens(["킥보드", "방치"])
    assert expanded[:2] == ["킥보드", "방치"]
    assert {"전동킥보드", "개인형이동장치", "공유킥보드"} <= set(expanded)
    # One-way variants are recognised but never added: 라임 is also a fruit, PM also p.m.
    assert "라임" not in expanded and "pm" not in expanded
    assert "전동킥보드" in expand_query_tokens(tokens("라임 주차"))
    assert len(expanded) == len(set(expanded))


def test_expand_recognises_multi_token_variants() -> None:
    assert "불법주정차" in expand_query_tokens(tokens("주차 위반 신고"))
    assert "층간소음" in expand_query_tokens(tokens("윗집 소음 때문에 힘들어요"))
    assert expand_query_tokens(["버스", "노선"]) == ["버스", "노선"]


def test_canonicalize_tokens() -> None:
    assert canonicalize_tokens(tokens("보안등 고장 신고")) == ["가로등", "고장", "신고"]
    assert canonicalize_tokens(tokens("윗집 소음 문제")) == ["층간소음", "문제"]
    assert canonicalize_tokens(tokens("CCTV 설치")) == ["cctv", "설치"]


def test_vocabulary_is_large_enough() -> None:
    dictionary = user_dictionary()
    groups = all_groups()
    synonym_terms = sum(len(g.terms) for g in groups)
    assert len(dictionary) >= 200
    assert len(groups) >= 100
    assert len(dictionary) + synonym_terms >= 300


@pytest.mark.parametrize(
    "words",
    [
        ["불법주정차", "전동킥보드", "자전거도로", "버스정류장", "어린이보호구역", "견인", "승차거부"],
        ["무단투기", "대형폐기물", "음식물쓰레기", "분리수거", "악취", "미세먼지", "소음"],
        ["보도블록", "포트홀", "가로등", "신호등", "맨홀", "하수구", "빗물받이"],
        ["불법건축물", "층간소음", "공동주택", "재개발", "리모델링"],
        ["놀이터", "산책로", "가지치기", "공중화장실"],
        ["기초생활수급자", "긴급복지", "장애인", "노인", "한부모가족", "기초연금", "주거급여"],
        ["식품위생", "감염병", "금연구역", "유기동물", "반려동물"],
        ["주민센터", "전입신고", "인감증명서", "가족관계증명서", "여권", "민원서류"],
        ["재산세", "자동차세", "체납", "과태료"],
        ["CCTV", "재난", "침수"],
    ],
)
def test_vocabulary_covers_complaint_areas(words: list[str]) -> None:
    known = {e.word for e in user_dictionary()} | {t for g in all_groups() for t in g.terms}
    assert set(words) <= known


def test_data_files_parse_strictly() -> None:
    assert len(synonym_rows()) == len(all_groups())
    entry = parse_user_dictionary("# c\n전동 킥보드\tNNG\n킥고잉\tNNP\t2.5\n")[1]
    assert (entry.word, entry.tag, entry.score) == ("킥고잉", "NNP", 2.5)
    for bad in ["킥보드\n", "킥보드\tVV\n", "킥보드\tNNG\tmany\n", "킥보드\tNNG\n킥 보드\tNNG\n"]:
        with pytest.raises(VocabularyError):
            parse_user_dictionary(bad)
    row = parse_synonyms("전동킥보드\t킥보드\t~라임\n")[0]
    assert row.variants == ("킥보드", "라임") and row.one_way == {"라임"}
    for bad in ["외톨이\n", "~라임\t킥보드\n"]:
        with pytest.raises(VocabularyError):
            parse_synonyms(bad)
