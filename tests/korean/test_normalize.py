"""normalize(): NFKC without breaking Hangul jamo, one whitespace style, spacing variants joined."""

from __future__ import annotations

import subprocess
import sys

import pytest

from guai.korean import normalize
from guai.korean._data import user_dictionary
from guai.korean.normalize import spacing_variants


@pytest.mark.parametrize(
    ("spaced", "joined"),
    [
        ("전동 킥보드 방치", "전동킥보드 방치"),
        ("불법 주정차 단속", "불법주정차 단속"),
        ("층간 소음 민원", "층간소음 민원"),
        ("주민 센터에서", "주민센터에서"),
        ("개인형 이동 장치", "개인형이동장치"),
        ("개인형 이동장치", "개인형이동장치"),
        ("개인형이동 장치", "개인형이동장치"),
        ("쓰레기 무단 투기가 심해요", "쓰레기 무단투기가 심해요"),
        ("기초 생활 수급자", "기초생활수급자"),
    ],
)
def test_spacing_variants_are_joined(spaced: str, joined: str) -> None:
    assert normalize(spaced) == joined


def test_every_dictionary_split_point_is_joined() -> None:
    checked = 0
    for entry in user_dictionary():
        for variant in spacing_variants(entry.spaced):
            assert normalize(variant) == entry.word, variant
            checked += 1
    assert checked > 100


def test_spacing_variants_lists_every_spaced_form() -> None:
    assert sorted(spacing_variants("개인형 이동 장치")) == [
        "개인형 이동 장치",
        "개인형 이동장치",
        "개인형이동 장치",
    ]
    assert spacing_variants("킥보드") == []


def test_words_without_split_points_are_left_alone() -> None:
    # "보안 등" is "security, etc.", not 보안등 (a lamp): the dictionary marks no split point there.
    assert normalize("보안 등 여러 문제") == "보안 등 여러 문제"
    assert normalize("신호 등 교통시설") == "신호 등 교통시설"


def test_nfkc_and_whitespace() -> None:
    raw = "\ufeffＣＣＴＶ\u3000설치\u00a0요청\t\t합니다 \r\n\r\n\r\n\r\n다음\u200b 문단  "
    assert normalize(raw) == "CCTV 설치 요청 합니다\n\n다음 문단"


def test_hangul_compatibility_jamo_survive_nfkc() -> None:
    # Plain NFKC would turn ㅋ into a conjoining jamo and "ㅋㅏ" into "카".
    text = "ㅋㅋ ㅠㅠ ㅋㅏ 소음ㆍ진동관리법"
    assert normalize(text) == text


def test_empty_and_blank() -> None:
    assert normalize("") == ""
    assert normalize(" \n\t ") == ""


def test_idempotent_on_real_complaints(complaint_texts: list[str]) -> None:
    for text in complaint_texts[:3000]:
        once = normalize(text)
        assert normalize(once) == once


def test_import_does_no_io() -> None:
    code = (
        "import sys, guai.korean, guai.korean.synonyms, guai.korean._data as d;"
        "assert 'kiwipiepy' not in sys.modules, 'kiwi imported';"
        "assert d.user_dictionary.cache_info().currsize == 0, 'dictionary read at import'"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
