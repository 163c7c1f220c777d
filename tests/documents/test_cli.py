"""guai proofread | summarize | draft | translate."""

from __future__ import annotations

import json
from pathlib import Path

from docx import Document

from guai.documents.export import read_hwpx_text


def test_proofread_json_and_fix(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    src = tmp_path / "a.txt"
    src.write_text("1. 익일 오후 2시 회의\n3. 끝\n", encoding="utf-8")
    result = cli("proofread", str(src), "--format", "json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert {d["rule"] for d in data} >= {"PLAIN-WORDS", "TIME-FORMAT", "ITEM-ORDER"}
    assert set(data[0]) == {"rule", "start", "end", "message", "suggestion"}
    fixed = cli("proofread", "-", "--fix", input="1. 익일 오후 2시 회의\n")
    assert fixed.stdout == "1. 다음 날 14:00 회의\n"
    table = cli("proofread", str(src))
    assert "PLAIN-WORDS" in table.stdout


def test_proofread_missing_file_is_clear_error(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("proofread", "없는파일.txt")
    assert result.exit_code != 0 and "찾을 수 없습니다" in result.stderr


def test_summarize_and_export(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    text = "\n".join(f"{i}번째 문장은 사업 추진 현황을 자세히 설명하고 있습니다." for i in range(1, 12))
    out = tmp_path / "요약.docx"
    result = cli("summarize", "-", "--length", "3줄", "--export", "docx", "--out", str(out), input=text)
    assert result.exit_code == 0, result.stderr
    assert len([ln for ln in result.stdout.splitlines() if ln.startswith("○ ")]) == 3
    assert any(p.text.startswith("○ ") for p in Document(str(out)).paragraphs)
    js = cli("summarize", "-", "--format", "json", "--no-model", input=text)
    assert json.loads(js.stdout)["lines"][0]["source_end"] > 0


def test_draft_kinds_fields_and_hwpx(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    listing = cli("draft", "공문", "--list-fields")
    assert "수신" in listing.stdout
    out = tmp_path / "공문.hwpx"
    result = cli(
        "draft",
        "공문",
        "-f",
        "수신=각 동장",
        "-f",
        "제목=협조 요청",
        "-f",
        "본문=협조 바랍니다.\\n- 기간: 2025-04-01",
        "--export",
        "hwpx",
        "--out",
        str(out),
    )
    assert result.exit_code == 0, result.stderr
    assert "1. 협조 바랍니다.\n  가. 기간: 2025. 4. 1.  끝." in result.stdout
    assert "가. 기간: 2025. 4. 1.  끝." in read_hwpx_text(out.read_bytes())
    bad = cli("draft", "회의록")
    assert bad.exit_code != 0 and "서식이 없습니다" in bad.stderr


def test_translate_without_model(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("translate", "-", "--to", "en", input="주민센터를 방문하세요.")
    assert result.exit_code != 0 and "AI 모델이 필요" in result.stderr
