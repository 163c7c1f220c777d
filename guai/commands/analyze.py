"""`guai analyze TEXT`: show what the shared Korean layer makes of a text (for checking and debugging)."""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from typing import Any

import typer
from rich.table import Table

from guai.commands.common import GuaiCliError, console


class OutputFormat(StrEnum):
    table = "table"
    json = "json"


def _read_text(text: str) -> str:
    if text == "-":
        return sys.stdin.read()
    return text


def analysis_report(text: str) -> dict[str, Any]:
    """Everything `guai analyze` shows, as plain data (offsets index the text as given)."""
    from guai.korean import (
        analyze,
        canonical,
        canonicalize_tokens,
        expand_query_tokens,
        normalize,
        split_sentences,
        tokens,
    )

    toks = tokens(text)
    return {
        "text": text,
        "normalized": normalize(text),
        "sentences": [{"text": s.text, "start": s.start, "end": s.end} for s in split_sentences(text)],
        "morphemes": [{"form": m.form, "tag": m.tag, "start": m.start, "end": m.end} for m in analyze(text)],
        "tokens": toks,
        "synonyms": [
            {"token": t, "canonical": canonical(t)} for t in dict.fromkeys(toks) if canonical(t) != t
        ],
        "canonical_tokens": canonicalize_tokens(toks),
        "expanded_query": expand_query_tokens(toks),
    }


def _print_tables(report: dict[str, Any]) -> None:
    summary = Table("항목", "결과", title="한국어 분석", show_lines=True, title_justify="left")
    summary.add_row("정규화", report["normalized"])
    summary.add_row("검색 토큰", " · ".join(report["tokens"]) or "(없음)")
    summary.add_row(
        "동의어 대표어",
        ", ".join(f"{s['token']} → {s['canonical']}" for s in report["synonyms"]) or "(없음)",
    )
    summary.add_row("대표어 토큰", " · ".join(report["canonical_tokens"]) or "(없음)")
    summary.add_row("질의 확장", " · ".join(report["expanded_query"]) or "(없음)")
    console.print(summary, highlight=False)

    sentences = Table("#", "시작", "끝", "문장", title="문장", title_justify="left")
    for number, sent in enumerate(report["sentences"], start=1):
        sentences.add_row(str(number), str(sent["start"]), str(sent["end"]), sent["text"])
    console.print(sentences, highlight=False)

    morphemes = Table("형태", "품사", "시작", "끝", title="형태소 (원문 기준 위치)", title_justify="left")
    for m in report["morphemes"]:
        morphemes.add_row(m["form"], m["tag"], str(m["start"]), str(m["end"]))
    console.print(morphemes, highlight=False)


def analyze_command(
    text: str = typer.Argument(..., help='분석할 텍스트 ("-"이면 표준 입력에서 읽음)'),
    output: OutputFormat = typer.Option(
        OutputFormat.table, "--format", "-f", help="출력 형식: table 또는 json"
    ),
) -> None:
    """텍스트의 정규화 결과, 문장, 형태소, 검색 토큰, 동의어 대표어를 보여 줍니다."""
    text = _read_text(text)
    if not text.strip():
        raise GuaiCliError("분석할 텍스트가 비어 있습니다.", exit_code=2)
    try:
        report = analysis_report(text)
    except ImportError as exc:  # kiwipiepy or its model missing from this environment
        raise GuaiCliError(
            f"한국어 형태소 분석기(kiwipiepy)를 불러올 수 없습니다: {exc}", exit_code=3
        ) from exc
    if output is OutputFormat.json:
        typer.echo(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        _print_tables(report)


def register(app: typer.Typer) -> None:
    app.command("analyze")(analyze_command)
