"""The package's public API and `guai analyze`."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import guai.korean

PACKAGE = Path(guai.korean.__file__).parent


def test_public_api_is_explicit() -> None:
    assert set(guai.korean.__all__) >= {
        "get_kiwi",
        "tokens",
        "tokens_batch",
        "analyze",
        "split_sentences",
        "space_text",
        "normalize",
        "canonical",
        "synonym_group",
        "expand_query_tokens",
        "Morpheme",
        "Sentence",
    }
    for name in guai.korean.__all__:
        assert getattr(guai.korean, name) is not None


def test_modules_have_docstrings_and_stay_small() -> None:
    for path in PACKAGE.glob("*.py"):
        source = path.read_text(encoding="utf-8")
        assert source.startswith('"""'), path.name
        assert source.count("\n") < 800, path.name


def test_analyze_json(cli: Callable[..., object]) -> None:
    text = "전동 킥보드 방치 민원입니다. 주민센터 앞 보안등도 고장났어요!"
    result = cli("analyze", text, "--format", "json")
    assert result.exit_code == 0  # type: ignore[attr-defined]
    report = json.loads(result.stdout)  # type: ignore[attr-defined]
    assert report["normalized"].startswith("전동킥보드 방치")
    assert [s["text"] for s in report["sentences"]] == [
        "전동 킥보드 방치 민원입니다.",
        "주민센터 앞 보안등도 고장났어요!",
    ]
    for s in report["sentences"]:
        assert text[s["start"] : s["end"]] == s["text"]
    assert {"form": "방치", "tag": "NNG", "start": 7, "end": 9} in report["morphemes"]
    assert report["tokens"][:3] == ["전동킥보드", "방치", "민원"]
    assert {"token": "보안등", "canonical": "가로등"} in report["synonyms"]
    assert "가로등" in report["canonical_tokens"]
    assert "개인형이동장치" in report["expanded_query"]


def test_analyze_table_is_default(cli: Callable[..., object]) -> None:
    result = cli("analyze", "층간 소음 민원")
    assert result.exit_code == 0  # type: ignore[attr-defined]
    assert "층간소음" in result.stdout and "형태소" in result.stdout  # type: ignore[attr-defined]


def test_analyze_reads_stdin(cli: Callable[..., object]) -> None:
    result = cli("analyze", "-", "--format", "json", input="불법 주차 신고\n")
    assert json.loads(result.stdout)["tokens"] == ["불법주차", "신고"]  # type: ignore[attr-defined]


def test_analyze_rejects_empty_text(cli: Callable[..., object]) -> None:
    result = cli("analyze", "   ")
    assert result.exit_code == 2  # type: ignore[attr-defined]
    assert "비어 있습니다" in result.output  # type: ignore[attr-defined]
