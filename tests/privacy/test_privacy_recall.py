"""Recall on generated identifiers and false positives on ordinary official text (generated and real laws)."""

from __future__ import annotations

import os
import random
import re
from collections import Counter
from pathlib import Path

import pytest

from guai.privacy import PiiType, detect

from .synthetic import PATTERNED, STRUCTURED, Sample, generate

SHARED_DATA = Path(
    os.environ.get("GUAI_TEST_SHARED_DATA", Path(__file__).resolve().parents[3] / "shared" / "data")
)


def _recall(samples: list[Sample]) -> tuple[dict[PiiType, float], float, list[Sample]]:
    hits: Counter[PiiType] = Counter()
    totals: Counter[PiiType] = Counter()
    missed: list[Sample] = []
    for sample in samples:
        totals[sample.type] += 1
        spans = detect(sample.sentence)
        if any(s.type is sample.type and s.start == sample.start and s.value == sample.value for s in spans):
            hits[sample.type] += 1
        else:
            missed.append(sample)
    per_type = {t: hits[t] / totals[t] for t in totals}
    return per_type, sum(hits.values()) / sum(totals.values()), missed


def test_recall_on_structured_identifiers() -> None:
    samples = generate(STRUCTURED, per_type=60)
    assert len(samples) == 420
    per_type, overall, missed = _recall(samples)
    assert overall >= 0.98, missed[:10]
    for pii_type, recall in per_type.items():
        assert recall >= 0.95, (pii_type, [m.sentence for m in missed if m.type is pii_type][:5])


def test_recall_on_addresses_and_names() -> None:
    per_type, overall, missed = _recall(generate(PATTERNED, per_type=100, seed=7))
    assert overall >= 0.95, missed[:10]
    assert min(per_type.values()) >= 0.9, per_type


def test_generated_sentences_hold_nothing_else() -> None:
    samples = generate({**STRUCTURED, **PATTERNED}, per_type=30, seed=11)
    extra = [
        (sample.sentence, span.value)
        for sample in samples
        for span in detect(sample.sentence)
        if not (span.start < sample.start + len(sample.value) and sample.start < span.end)
    ]
    assert extra == []


# --- ordinary official sentences -----------------------------------------------------------------------------


def _official_sentences(n: int, seed: int = 3) -> list[str]:
    rng = random.Random(seed)

    def date() -> str:
        y, m, d = rng.randint(2015, 2026), rng.randint(1, 12), rng.randint(1, 28)
        return rng.choice(
            (f"{y}. {m}. {d}.", f"{y}-{m:02d}-{d:02d}", f"{y}년 {m}월 {d}일", f"{y % 100}.{m}.{d}.")
        )

    def amount() -> str:
        n = rng.randint(1, 9_999_999)
        return rng.choice(
            (f"금{n:,}원", f"{n:,}원", f"{rng.randint(1, 9999):,}만원", f"{rng.randint(1, 99)}억 원")
        )

    def article() -> str:
        return rng.choice(
            (f"제{rng.randint(1, 200)}조제{rng.randint(1, 9)}항", f"제{rng.randint(1, 99)}조의{rng.randint(2, 5)}",
             f"같은 법 시행령 제{rng.randint(1, 99)}조 제{rng.randint(1, 20)}호")
        )  # fmt: skip

    def receipt() -> str:
        yymm = f"{rng.randint(15, 26)}{rng.randint(1, 12):02d}"
        return rng.choice(
            (f"{rng.randint(1, 2)}AA-{yymm}-{rng.randint(100000, 999999)}", f"SPP-{yymm}-{rng.randint(1000000, 9999999)}",
             f"제{rng.randint(2015, 2026)}-{rng.randint(1, 999)}호")
        )  # fmt: skip

    templates = (
        lambda: (
            f"{date()} {rng.randint(9, 18)}:{rng.choice(('00', '30'))} 구청 {rng.randint(1, 12)}층 대회의실에서 설명회를 엽니다."
        ),
        lambda: f"총사업비 {amount()} 중 {amount()}을 {date()}까지 집행하였습니다.",
        lambda: f"「도로교통법」 {article()}에 따라 과태료 {amount()}을 부과합니다.",
        lambda: (
            f"민원 {rng.randint(1, 999)}건 중 {rng.randint(1, 100)}%를 {rng.randint(1, 30)}일 안에 처리했습니다."
        ),
        lambda: f"접수번호 {receipt()}({date()})에 대한 회신입니다.",
        lambda: (
            f"우편번호 ({rng.randint(1000, 63999):05d}) 안내, 문의는 대표번호 1588-{rng.randint(1000, 9999)}"
        ),
        lambda: (
            f"{rng.randint(2015, 2026)}년 대비 {rng.randint(1, 99)}.{rng.randint(0, 9)}% 증가한 {rng.randint(1, 500)}세대가 신청했습니다."
        ),
        lambda: f"붙임  1. 계획서 {rng.randint(1, 3)}부.  2. 명단 {rng.randint(1, 3)}부.  끝.",
        lambda: (
            f"{rng.randint(1, 12)}개월마다 {rng.randint(1, 5)}회 이상 점검하고 {rng.randint(10, 200)}개소를 정비합니다."
        ),
        lambda: (
            f"{rng.randint(14, 20)}:00-{rng.randint(21, 23)}:00 사이 {rng.randint(2, 99)}명이 참석, {rng.randint(3, 40)}km 구간 정비"
        ),
        lambda: f"국민신문고 {receipt()} 관련 {article()} 검토 결과를 알려 드립니다.",
        lambda: f"성수동 주민 여러분, {date()}부터 {rng.randint(1, 9)}단계 공사가 시작됩니다.",
    )
    return [rng.choice(templates)() for _ in range(n)]


def test_no_false_positives_on_ordinary_official_sentences() -> None:
    sentences = _official_sentences(400)
    found = [(s, [span.value for span in detect(s)]) for s in sentences]
    assert [f for f in found if f[1]] == []


# --- real statutes --------------------------------------------------------------------------------------------

_SENTENCE_END = re.compile(r"(?<=다\.)\s+|\n+")


def _law_sentences(limit: int) -> list[str]:
    files = sorted((SHARED_DATA / "laws").glob("*/법률.md"))
    sentences: list[str] = []
    for path in files:
        body = path.read_text(encoding="utf-8").split("---", 2)[-1]
        parts = [p.strip() for p in _SENTENCE_END.split(body) if len(p.strip()) >= 20]
        sentences.extend(parts[::25])  # spread over every statute
    rng = random.Random(5)
    rng.shuffle(sentences)
    return sentences[:limit]


@pytest.mark.skipif(not (SHARED_DATA / "laws").is_dir(), reason="shared data (laws) not available")
def test_law_text_is_left_alone() -> None:
    sentences = _law_sentences(600)
    assert len(sentences) >= 500
    flagged = [(s, [(span.type.value, span.value) for span in detect(s)]) for s in sentences]
    flagged = [f for f in flagged if f[1]]
    assert len(flagged) <= len(sentences) // 200, flagged  # at most 0.5 %
