"""Search tokens, morphemes, sentences and spacing from the shared Kiwi analyser."""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor

import pytest

from guai.korean import analyze, get_kiwi, space_text, split_sentences, tokens, tokens_batch
from guai.korean._data import user_dictionary
from guai.korean.normalize import normalize


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("전동 킥보드 방치 민원", "전동킥보드 방치 민원"),
        ("개인형 이동 장치 주차 문제", "개인형이동장치 주차 문제"),
        ("불법 주정차 단속 요청합니다", "불법주정차 단속 요청합니다"),
        ("층간 소음 때문에 못 살겠어요", "층간소음 때문에 못 살겠어요"),
        ("주민 센터에서 인감 증명서 발급", "주민센터에서 인감증명서 발급"),
        ("쓰레기 무단 투기 신고", "쓰레기 무단투기 신고"),
        ("음식물 쓰레기 수거가 안 됩니다", "음식물쓰레기 수거가 안 됩니다"),
        ("빗물 받이가 막혔어요", "빗물받이가 막혔어요"),
    ],
)
def test_spacing_variants_give_identical_tokens(a: str, b: str) -> None:
    assert tokens(a) == tokens(b)


@pytest.mark.parametrize(
    ("text", "compound"),
    [
        ("전동킥보드가 인도에 방치되어 있어요", "전동킥보드"),
        ("개인형이동장치는 보도에 주차하면 안 됩니다", "개인형이동장치"),
        ("주민센터에 문의했습니다", "주민센터"),
        ("골목에 쓰레기 무단투기가 심해요", "무단투기"),
        ("불법주정차 차량 때문에 통행이 어렵습니다", "불법주정차"),
        ("소방도로에 불법주차 차량 단속 바랍니다", "불법주차"),
        ("층간소음이 너무 심합니다", "층간소음"),
        ("보안등이 고장났어요", "보안등"),
        ("킥보드 타는 학생들", "킥보드"),
        ("빗물받이에 담배꽁초가 가득", "빗물받이"),
        ("이륜차 소음 단속", "이륜차"),
        ("코로나19 선별진료소 위치", "코로나19"),
        ("장애인전용주차구역에 일반 차량이", "장애인전용주차구역"),
        ("과속방지턱 설치 요청", "과속방지턱"),
        ("유기견 보호소", "유기견"),
        ("수분양자들이 관리단과 분쟁 중", "관리단"),
    ],
)
def test_dictionary_compounds_stay_whole(text: str, compound: str) -> None:
    assert compound in tokens(text)


def test_token_format() -> None:
    toks = tokens("CCTV 설치하고 PM 단속 부탁드려요. 보도블록이 깨졌어요. 걸어서 다니기 힘들어요 2020년 文化")
    assert "cctv" in toks and "pm" in toks  # SL lowercased
    assert "깨지" in toks  # verb stem without 다
    assert "걷" in toks  # irregular stem as its lemma (걸어서 -> 걷다)
    assert "힘들" in toks  # adjective stem
    assert "2020" in toks and "文化" in toks  # SN, SH
    assert not {"하", "이", "가", "요", "."} & set(toks)  # stop stems, particles, endings, symbols


def test_prefix_stays_on_its_noun() -> None:
    assert "불친절" in tokens("직원이 불친절해요")
    assert "무허가" in tokens("무허가 영업을 합니다") or "무허가영업" in tokens("무허가 영업을 합니다")
    assert "재활용" in tokens("재활용을 잘 합시다")


def test_empty_texts() -> None:
    assert tokens("") == [] and tokens(" \n ") == []
    assert analyze("") == [] and split_sentences("") == [] and split_sentences("   ") == []
    assert tokens_batch([]) == []
    assert space_text("") == ""


def test_batch_equals_single_on_real_complaints(complaint_texts: list[str]) -> None:
    sample = complaint_texts[:400] + ["", "  ", "전동 킥보드"]
    assert tokens_batch(sample, batch_size=37) == [tokens(t) for t in sample]


def test_batch_size_must_be_positive() -> None:
    with pytest.raises(ValueError):
        tokens_batch(["가"], batch_size=0)


def test_dictionary_words_in_real_complaints_come_out_whole(complaint_texts: list[str]) -> None:
    words = sorted((e.word for e in user_dictionary()), key=len, reverse=True)
    pattern = re.compile("|".join(map(re.escape, words)))
    lines = [
        line
        for text in complaint_texts
        for line in re.split(r"[\n.!?]", normalize(text))
        if pattern.search(line)
    ]
    assert len(lines) > 1000
    found = missed = 0
    for line, toks in zip(lines, tokens_batch(lines), strict=True):
        for match in pattern.finditer(line):
            # A longer token containing the word is fine (공동대표 is not 동대표).
            if any(match.group() in tok for tok in toks):
                found += 1
            else:
                missed += 1
    assert found / (found + missed) > 0.99


def test_morpheme_offsets_point_into_the_text() -> None:
    text = "😀 전동 킥보드가\n인도에 방치되어 있어요!"
    morphemes = analyze(text)
    assert morphemes[0].tag == "W_EMOJI" and (morphemes[0].start, morphemes[0].end) == (0, 1)
    for m in morphemes:
        if m.tag.startswith("NN"):
            assert text[m.start : m.end] == m.form


def test_sentence_offsets_slice_the_original(complaint_texts: list[str]) -> None:
    for text in complaint_texts[:300]:
        sentences = split_sentences(text)
        assert sentences, text
        previous_end = 0
        for s in sentences:
            assert text[s.start : s.end] == s.text
            assert s.text == s.text.strip() and s.start >= previous_end
            previous_end = s.end


def test_sentence_split_basic_and_long_text() -> None:
    text = "  안녕하세요. 😀 전동킥보드가 방치되어 있습니다! 치워주세요\n감사합니다  "
    assert [s.text for s in split_sentences(text)] == [
        "안녕하세요.",
        "😀 전동킥보드가 방치되어 있습니다!",
        "치워주세요",
        "감사합니다",
    ]
    long_text = "골목에 킥보드가 방치되어 통행이 어렵습니다. " * 3000
    sentences = split_sentences(long_text)
    assert len(sentences) == 3000
    assert all(long_text[s.start : s.end] == s.text for s in sentences)


def test_space_text() -> None:
    assert space_text("전동킥보드가인도에방치되어있어요") == "전동킥보드가 인도에 방치되어 있어요"
    assert space_text("인 도에방치", reset_whitespace=True).replace(" ", "") == "인도에방치"


def test_one_shared_kiwi_safe_across_threads(complaint_texts: list[str]) -> None:
    assert get_kiwi() is get_kiwi()
    sample = complaint_texts[:60]
    expected = [tokens(t) for t in sample]
    with ThreadPoolExecutor(max_workers=4) as pool:
        assert list(pool.map(tokens, sample)) == expected


def test_pre_analysed_words_give_the_same_tokens_alone_and_in_context() -> None:
    # "이의신청" alone was read as 이(대명사)+의(조사)+신청, so searches for 이의 missed it.
    assert tokens("이의신청") == ["이의", "신청"]
    assert tokens("이의신청") == tokens("이의를 신청")
    assert tokens("과태료 이의제기") == ["과태료", "이의", "제기"]


def test_pre_analysed_file_rejects_pieces_that_do_not_spell_the_word() -> None:
    from guai.korean._data import VocabularyError, parse_pre_analyzed

    with pytest.raises(VocabularyError, match="do not spell"):
        parse_pre_analyzed("이의신청\t이의/NNG 신고/NNG\n")
